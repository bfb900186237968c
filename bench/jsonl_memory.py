"""Peak memory of `cleaner clean --input-format jsonl` on a large corpus: it must stay flat.

The corpus is a JSONL file of fixture documents (``bench.corpus.fixture_documents``:
a pool of them, cycled to size, each record with its own id and url), written to
a temporary folder. The installed command cleans it in a child process whose own
peak RSS is read with ``os.wait4``, so that the bench's other children do not count.
That child is started by a small Python process, not by the bench itself: a
forked child's peak RSS starts at its parent's size (the pages it shares before
``exec`` count, and the peak survives ``exec``), and the bench is large.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .corpus import fixture_documents

#: Megabytes of distinct fixture documents the corpus cycles through.
POOL_MB = 32
SEED = 11
SITES = 50
#: Run a command and print its exit code and its own peak RSS (KiB), from a process of small size.
PEAK_OF = ("import os, subprocess, sys; child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL); "
           "_, status, usage = os.wait4(child.pid, 0); print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)")


@dataclass
class Measurement:
    peak_mb: float
    seconds: float
    file_mb: float
    records: int


def write_corpus(path: Path, megabytes: float) -> int:
    """A JSONL file of at least ``megabytes`` MB of fixture documents at ``path``; the number of records."""
    pool = fixture_documents(POOL_MB, SEED)
    size = count = 0
    with open(path, "wb") as out:
        while size < megabytes * 1_000_000:
            record = {"id": f"doc-{count}", "url": f"https://site{count % SITES}.example/{count}",
                      "text": pool[count % len(pool)]}
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            out.write(line)
            size += len(line)
            count += 1
    return count


def jsonl_peak_memory(megabytes: float, *options: str) -> Measurement:
    """Peak RSS and wall time of `cleaner clean --input-format jsonl OPTIONS` on a ``megabytes`` MB corpus."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        records = write_corpus(path, megabytes)
        command = [str(Path(sys.executable).parent / "cleaner"), "clean", "--input-format", "jsonl", *options, str(path)]
        peak_mb, seconds = child_peak_mb(command)
        return Measurement(peak_mb, seconds, path.stat().st_size / 1e6, records)


def child_peak_mb(command: list[str]) -> tuple[float, float]:
    """The peak RSS (MB) of ``command`` alone and its wall time (s); an error if it fails."""
    started = time.perf_counter()
    report = subprocess.run([sys.executable, "-c", PEAK_OF, *command], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    code, peak_kib = map(int, report.stdout.split())
    if code:
        raise subprocess.CalledProcessError(code, command, stderr=report.stderr)
    return peak_kib * 1024 / 1e6, seconds


if __name__ == "__main__":
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(jsonl_peak_memory(size, *sys.argv[2:]))
