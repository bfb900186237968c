"""`make bench`: throughput of clean() beside a one-regex line filter, cold start, peak memory.

Documents are article-sized and all different: paragraphs of our own fixtures,
shuffled and recombined with a fixed seed, with residue lines between them.
"""

from __future__ import annotations

import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner import clean

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS_MB = 20
BIG_FILE_MB = 50
SEED = 7

#: The floor: what a one-regex Python line filter costs on the same documents.
FLOOR_PATTERN = re.compile(r"(?i)(?:share|advertisement|read more.*|sign up.*|related|\d+ comments?)")


def floor_filter(document: str) -> str:
    return "\n".join(line for line in document.split("\n") if not FLOOR_PATTERN.fullmatch(line.strip()))


def make_documents(megabytes: int, seed: int = SEED) -> list[str]:
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


def throughput(function, documents: list[str], rounds: int = 3) -> float:
    """Best MB/s of ``function`` over all documents, document by document."""
    megabytes = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for document in documents:
            function(document)
        best = min(best, time.perf_counter() - started)
    return megabytes / best


def cold_start(rounds: int = 10) -> float:
    """Best wall time of `cleaner clean small.txt` as a new process."""
    small = FIXTURES / "08_very_short_no_final_newline.txt"
    command = [str(Path(sys.executable).parent / "cleaner"), "clean", str(small)]
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory_mb(megabytes: int) -> tuple[float, float]:
    """Peak RSS of `cleaner clean` on one ``megabytes`` MB file, and the file's size."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        path.write_text("\n\n".join(make_documents(megabytes, seed=SEED + 1)), encoding="utf-8")
        size = path.stat().st_size / 1e6
        command = [str(Path(sys.executable).parent / "cleaner"), "clean", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, size


def main() -> None:
    documents = make_documents(CORPUS_MB)
    total = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    clean(documents[0])  # load the rules once, as a long run would
    cleaner_speed = throughput(clean, documents)
    floor_speed = throughput(floor_filter, documents)
    print(f"corpus: {len(documents)} documents, {total:.1f} MB (fixture paragraphs recombined, seed {SEED})")
    print()
    print(f"| {'what':34} | {'MB/s':>8} |")
    print(f"|{'-' * 36}|{'-' * 10}|")
    print(f"| {'clean() document by document':34} | {cleaner_speed:8.1f} |")
    print(f"| {'one-regex line filter (floor)':34} | {floor_speed:8.1f} |")
    print(f"| {'ratio cleaner / floor':34} | {cleaner_speed / floor_speed:8.2f} |")
    print()
    print(f"cold start, `cleaner clean small.txt`: {cold_start() * 1000:.0f} ms (best of 10)")
    peak, size = peak_memory_mb(BIG_FILE_MB)
    print(f"peak memory, `cleaner clean` on one {size:.0f} MB file: {peak:.0f} MB")


if __name__ == "__main__":
    main()
