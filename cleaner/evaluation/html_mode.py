"""HTML mode: page HTML in, clean text out, beside trafilatura's own settings in the same run."""

from __future__ import annotations

import gzip
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

#: trafilatura alone, in the settings the bar compares against.
TRAFILATURA_SETTINGS = {
    "trafilatura default": {},
    "trafilatura, include_comments=False": {"include_comments": False},
    "trafilatura, favor_precision=True": {"favor_precision": True},
}
DEFAULT = "trafilatura default"
CLEANER, CLEANER_TITLE = "cleaner (HTML)", "cleaner (HTML), with title"
CLEANER_RULES = "cleaner (HTML), rules alone"


def page_outputs(html_path: Path, model: str | None = None) -> dict:
    """Every HTML-mode system's text for one page, the time each took, and provenance exactness.

    Cleaner runs with rules alone and with the model in file ``model`` (None: the shipped one).
    """
    import trafilatura

    from ..html import clean_html, decode_html, provenance_exactness

    raw = gzip.decompress(html_path.read_bytes())
    html = decode_html(raw, str(html_path))[0]
    texts, seconds = {}, {}
    for name, settings in TRAFILATURA_SETTINGS.items():
        started = time.perf_counter()
        texts[name] = trafilatura.extract(html, **settings) or ""
        seconds[name] = time.perf_counter() - started
    try:
        rules_alone = clean_html(raw, source=str(html_path), use_model=False)
        started = time.perf_counter()
        result = clean_html(raw, source=str(html_path), model=model)
    except Exception as exc:  # a page the HTML stage cannot take is scored empty, and named
        texts[CLEANER] = texts[CLEANER_TITLE] = texts[CLEANER_RULES] = ""
        return {"texts": texts, "seconds": seconds, "error": f"{type(exc).__name__}: {exc}"}
    seconds[CLEANER] = time.perf_counter() - started
    texts[CLEANER_RULES] = "\n\n".join(p.text for p in rules_alone.paragraphs if p.kind != "title")
    texts[CLEANER] = "\n\n".join(p.text for p in result.paragraphs if p.kind != "title")
    texts[CLEANER_TITLE] = "\n\n".join(p.text for p in result.paragraphs)
    exact, total = provenance_exactness(result)
    return {"texts": texts, "seconds": seconds, "exact_chars": exact, "chars": total}


def all_outputs(paths: list[Path], models: list[str | None], workers: int | None = None) -> list[dict]:
    """``page_outputs`` of every page (each with its model file), in order, on all cores."""
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(page_outputs, paths, models, chunksize=4))


def html_bars(summary: dict[str, dict]) -> list[tuple[str, bool, str]]:
    """The HTML-mode bars of the evaluation issue: (what, met, the numbers)."""
    ours, default = summary[CLEANER], summary[DEFAULT]
    bars = []
    for metric, label in (("word_f1", "word F1"), ("shingle_f1", "4-gram F1")):
        top = max(summary[name][metric] for name in TRAFILATURA_SETTINGS)
        delta = ours[metric] - top
        bars.append((f"{label} at least 0.005 above the best trafilatura setting", delta >= 0.005,
                     f"{ours[metric]:.3f} vs {top:.3f} ({delta:+.3f})"))
    ours_found, default_found = 1 - ours["without_absent"], 1 - default["without_absent"]
    ratio = ours_found / default_found if default_found else 0.0
    bars.append(("'without' snippets found at most 0.6x trafilatura default's rate", ratio <= 0.6,
                 f"{ours_found:.3f} vs {default_found:.3f} ({ratio:.2f}x)"))
    drop = default["with_found"] - ours["with_found"]
    bars.append(("'with' snippets kept no more than 0.01 below trafilatura default", drop <= 0.01,
                 f"{ours['with_found']:.3f} vs {default['with_found']:.3f} ({-drop:+.3f})"))
    return bars


def html_summary(outputs: list[dict]) -> dict:
    """Time and provenance over all pages: cleaner's HTML mode against trafilatura default alone."""
    seconds = {name: sum(o["seconds"].get(name, 0.0) for o in outputs) for name in (DEFAULT, CLEANER)}
    exact = sum(o.get("exact_chars", 0) for o in outputs)
    chars = sum(o.get("chars", 0) for o in outputs)
    return {
        "seconds": seconds,
        "time_ratio": seconds[CLEANER] / seconds[DEFAULT] if seconds[DEFAULT] else None,
        "exact_chars": exact, "chars": chars, "exact_share": exact / chars if chars else None,
        "errors": [o["error"] for o in outputs if "error" in o],
    }
