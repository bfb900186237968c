"""Benchmark corpora: our fixtures recombined, and real article text from the development pages.

The development pages (WCXB dev split, article pages, CC-BY-4.0, Murrough Foley,
2026) are read from ``../shared/data/wcxb-dev-articles`` and never copied into the
repository; their extracted text is cached outside it (``$XDG_CACHE_HOME/cleaner``).
"""

from __future__ import annotations

import gzip
import os
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DEV_ARTICLES = ROOT.parent / "shared" / "data" / "wcxb-dev-articles"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cleaner" / "wcxb-text-recall"


def fixture_documents(megabytes: float, seed: int = 7) -> list[str]:
    """Separate article-sized documents built from fixture paragraphs, ``megabytes`` in all."""
    paragraphs = []
    for path in sorted(FIXTURES.glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(seed)
    documents, size = [], 0
    while size < megabytes * 1_000_000:
        document = "\n\n".join(rng.choice(paragraphs) for _ in range(rng.randint(15, 45)))
        documents.append(document)
        size += len(document.encode("utf-8"))
    return documents


def _extract(page: Path) -> str:
    import trafilatura

    html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
    return trafilatura.extract(html, favor_recall=True, include_comments=True, include_tables=True) or ""


def _cached_text(page: Path) -> str:
    target = CACHE / (page.name.removesuffix(".html.gz") + ".txt")
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(".tmp")
        temp.write_text(_extract(page), encoding="utf-8")
        temp.replace(target)
    return target.read_text(encoding="utf-8")


def dev_texts() -> list[str]:
    """The text trafilatura extracts (favouring recall, with comments) from each development page."""
    pages = sorted((DEV_ARTICLES / "html").glob("*.html.gz"))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [text for text in pool.map(_cached_text, pages, chunksize=8) if text.strip()]
