"""`make bench`: `cleaner clean --jobs 1` against `--jobs 2`, as the installed command, on one JSONL file and on text files.

The same documents go in both ways: one JSONL file of records, and a folder of
text files (one document each). Each command runs as a new process, so start-up
and the pool's start are in the times, as a user would see them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 3


def cleaner() -> str:
    return str(Path(sys.executable).parent / "cleaner")


def best_times(commands: list[list[str]], rounds: int = ROUNDS) -> list[float]:
    """Best wall time of each command over ``rounds`` rounds, the commands taking turns (so a busy spell on
    the machine weighs on both); their output is thrown away."""
    best = [float("inf")] * len(commands)
    for _ in range(rounds):
        for index, command in enumerate(commands):
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def write_inputs(documents: list[str], folder: Path) -> tuple[Path, list[Path]]:
    """``documents`` as one JSONL file and as text files under ``folder``."""
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for number, document in enumerate(documents):
            handle.write(json.dumps({"id": number, "text": document}, ensure_ascii=False) + "\n")
    (folder / "texts").mkdir()
    texts = []
    for number, document in enumerate(documents):
        path = folder / "texts" / f"{number:06d}.txt"
        path.write_text(document, encoding="utf-8")
        texts.append(path)
    return corpus, texts


def jobs_speed_up(documents: list[str], name: str) -> None:
    """Print the times of `--jobs 1` and `--jobs 2` on ``documents`` as JSONL and as text files, and the speed-up."""
    megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    print(f"`cleaner clean --jobs 1` against `--jobs 2` ({name}: {len(documents)} documents, {megabytes:.0f} MB),"
          f" best of {ROUNDS}:")
    print()
    print("| input | --jobs 1 s | --jobs 2 s | speed-up |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        corpus, texts = write_inputs(documents, Path(folder))
        runs = {"one JSONL file": [str(corpus)], f"{len(texts)} text files": [str(path) for path in texts]}
        for label, inputs in runs.items():
            one, two = best_times([[cleaner(), "clean", "--quiet", "--jobs", jobs, *inputs] for jobs in ("1", "2")])
            print(f"| {label} | {one:.1f} | {two:.1f} | {one / two:.2f}x |")
