"""`make bench`: throughput of clean() beside a one-regex line filter, cold start, peak memory.

Two corpora of article-sized documents, at least 20 MB each: real article text
from the development pages (when ``../shared`` is there), cycled to size; and our
own fixture paragraphs, shuffled and recombined with a fixed seed, which is much
denser in residue than real text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner import clean
from cleaner.model import SHIPPED_MODEL

from .corpus import DEV_ARTICLES, FIXTURES, dev_texts, fixture_documents
from .jobs import jobs_speed_up
from .jsonl_memory import child_peak_mb, jsonl_peak_memory

CORPUS_MB = 20
BIG_FILE_MB = 50
#: The JSONL corpus whose cleaning must stay under 200 MB of memory.
JSONL_MB = 1000
SEED = 7

#: The floor: what a one-regex Python line filter costs on the same documents, in two
#: common forms: lines that *are* residue (anchored, the fast and strict floor), and
#: lines that *contain* a residue word (grep -v -i style).
FLOOR_PATTERN = re.compile(r"(?i)(?:share|advertisement|read more.*|sign up.*|related|\d+ comments?)")
GREP_PATTERN = re.compile(r"(?i)\b(?:share|advertisement|read more|sign up|related|comments?)\b")


def rules_alone(document: str):
    return clean(document, use_model=False)


def floor_filter(document: str) -> str:
    return "\n".join(line for line in document.split("\n") if not FLOOR_PATTERN.fullmatch(line.strip()))


def grep_filter(document: str) -> str:
    return "\n".join(line for line in document.split("\n") if not GREP_PATTERN.search(line))


def throughputs(functions, documents: list[str], rounds: int = 5) -> list[float]:
    """Best MB/s of each of ``functions`` over all documents, document by document.

    The functions take turns within each round, so a machine that speeds up or slows
    down during the run (other load, clock changes) weighs on all of them alike and
    their ratios (the model's cost, cleaner against the floor) stay fair.
    """
    megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for slot, function in enumerate(functions):
            started = time.perf_counter()
            for document in documents:
                function(document)
            best[slot] = min(best[slot], time.perf_counter() - started)
    return [megabytes / seconds for seconds in best]


def model_load_ms(rounds: int = 5) -> float:
    """Best time to read and parse the shipped model, each time in a new process."""
    code = ("import time; from cleaner.model import load_model; t = time.perf_counter(); load_model(); "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
            for _ in range(rounds)]
    return min(runs) * 1000


def cold_start(rounds: int = 10, bytecode: bool = True) -> float:
    """Best wall time of `cleaner clean small.txt` as a new process.

    ``bytecode``: the package's modules are byte-compiled first, as pip leaves an
    installed package and as Python leaves them after a first run. Otherwise (and where
    ``PYTHONDONTWRITEBYTECODE`` is set, as on some build machines) every start compiles
    the package's sources again.
    """
    small = FIXTURES / "08_very_short_no_final_newline.txt"
    command = [str(Path(sys.executable).parent / "cleaner"), "clean", str(small)]
    package = Path(clean.__code__.co_filename).parent
    if bytecode:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    else:
        for cached in package.rglob("__pycache__"):
            shutil.rmtree(cached)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, **({} if bytecode else {"PYTHONDONTWRITEBYTECODE": "1"})})
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory_mb(megabytes: int) -> tuple[float, float]:
    """Peak RSS of `cleaner clean` alone on one ``megabytes`` MB file, and the file's size (see ``child_peak_mb``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text("\n\n".join(fixture_documents(megabytes, seed=SEED + 1)), encoding="utf-8")
        size = path.stat().st_size / 1e6
        peak, _ = child_peak_mb([str(Path(sys.executable).parent / "cleaner"), "clean", str(path)])
        return peak, size


def cycled(documents: list[str], megabytes: float) -> list[str]:
    """``documents`` repeated in order until they hold ``megabytes`` MB."""
    out, size = [], 0
    while size < megabytes * 1_000_000:
        for document in documents:
            out.append(document)
            size += len(document.encode("utf-8"))
    return out


def corpora() -> dict[str, list[str]]:
    found = {}
    if DEV_ARTICLES.exists():
        texts = dev_texts()
        found[f"dev pages, text (a) ({len(texts)} real texts, cycled)"] = cycled(texts, CORPUS_MB)
    found[f"fixture paragraphs recombined (seed {SEED})"] = fixture_documents(CORPUS_MB, SEED)
    return found


def html_time_ratio() -> tuple[float, float, int]:
    """Seconds of trafilatura default alone, and of cleaner's HTML mode, over the development pages."""
    import gzip
    import warnings

    import trafilatura

    from cleaner.html import clean_html, decode_html

    pages = [gzip.decompress(path.read_bytes()) for path in sorted((DEV_ARTICLES / "html").glob("*.html.gz"))]
    alone = ours = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for raw in pages:
            started = time.perf_counter()
            trafilatura.extract(decode_html(raw)[0])
            alone += time.perf_counter() - started
            started = time.perf_counter()
            clean_html(raw)
            ours += time.perf_counter() - started
    return alone, ours, len(pages)


def main() -> None:
    rows = []
    for name, documents in corpora().items():
        megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
        clean(documents[0])  # load the rules once, as a long run would
        speeds = throughputs((clean, rules_alone, floor_filter, grep_filter), documents)
        rows.append((name, len(documents), megabytes, *speeds))
    print("| corpus | docs | MB | clean() MB/s | rules alone MB/s | model's cost "
          "| floor MB/s (anchored) | ratio | floor MB/s (grep-style) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, count, megabytes, cleaner_speed, alone_speed, floor_speed, grep_speed in rows:
        print(f"| {name} | {count} | {megabytes:.0f} | {cleaner_speed:.1f} | {alone_speed:.1f} |"
              f" {1 - cleaner_speed / alone_speed:.1%} | {floor_speed:.1f} |"
              f" {cleaner_speed / floor_speed:.3f} | {grep_speed:.1f} | {cleaner_speed / grep_speed:.2f} |")
    print()
    print(f"model: {model_load_ms():.1f} ms to load {SHIPPED_MODEL.name} ({SHIPPED_MODEL.stat().st_size / 1e3:.0f} kB),"
          " best of 5 in a new process")
    if DEV_ARTICLES.exists():
        alone, ours, count = html_time_ratio()
        print()
        print(f"HTML mode on {count} development pages: cleaner {ours:.1f} s, trafilatura default alone {alone:.1f} s,"
              f" ratio {ours / alone:.2f}")
    print()
    print(f"cold start, `cleaner clean small.txt`: {cold_start() * 1000:.0f} ms (best of 10; the package"
          f" byte-compiled, as installed), {cold_start(bytecode=False) * 1000:.0f} ms when every start compiles it")
    peak, size = peak_memory_mb(BIG_FILE_MB)
    print(f"peak memory, `cleaner clean` on one {size:.0f} MB file: {peak:.0f} MB")
    corpus = jsonl_peak_memory(JSONL_MB)
    print(f"peak memory, `cleaner clean --input-format jsonl` on a {corpus.file_mb:,.0f} MB JSONL file"
          f" ({corpus.records:,} records): {corpus.peak_mb:.0f} MB, {corpus.seconds:.0f} s")
    print()
    name, documents = next(iter(corpora().items()))
    jobs_speed_up(documents, name)


if __name__ == "__main__":
    main()
