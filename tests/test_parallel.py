"""``cleaner clean --jobs N``: the same output, byte for byte, and the same errors as one process, plus the bar."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from functools import partial
from pathlib import Path

import pytest

from cleaner import Options
from cleaner.io import WorkerError
from cleaner.parallel import BATCH_BYTES, FILES_PER_BATCH, RECORDS_PER_BATCH, Workers, batches, file_size, text_length

#: Pieces of our own made-up articles; ``article(n)`` combines them differently for each n.
HEADLINES = ["Orchard Growers Count Frost Damage", "Ferry Timetable Changes From June", "Library Opens a Night Reading Room",
             "Hill Village Votes on New Bridge", "Bakers Revive an Old Rye Recipe", "Tram Line Extension Wins Approval"]
SENTENCES = [
    "Growers in the upper valley walked their rows at dawn to look for blackened buds.",
    "The council said the new timetable adds two crossings on weekday evenings.",
    "Readers will be able to borrow books until midnight on Thursdays and Fridays.",
    "Residents argued for an hour about the cost before the vote was called.",
    "The recipe, found in a parish notebook, uses caraway and a slow overnight rise.",
    "Engineers expect the first trams to run on the extended line within two years.",
    "A spokesperson declined to give a figure but said the damage was patchy.",
    "Ticket prices stay the same, according to the operator's statement on Tuesday.",
]
RESIDUE = ["Share", "Advertisement", "Sign up for our newsletter", "Read more: Ten things to do this weekend"]
PHOTO = "Volunteer Mia Kowal, right, checks a branch on Saturday, March 8, 2025 in Eastbrook"


def article(n: int) -> str:
    """A made-up article with residue: its headline, paragraphs and residue lines depend on ``n``."""
    lines = [RESIDUE[n % 2], HEADLINES[n % len(HEADLINES)]]
    for k in range(3 + n % 4):
        lines.append(f"{SENTENCES[(n + k) % len(SENTENCES)]} Item {n}.{k} follows.")
        if k == 1:
            lines.append(RESIDUE[2 + n % 2])
    if n % 3 == 0:
        lines.append(PHOTO)
    return "\n\n".join(lines) + "\n"


def cleaner_command() -> list[str]:
    found = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-c", "from cleaner.cli import main; main()"]


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cleaner_command() + ["clean", *map(str, args)], capture_output=True, **kwargs)


@pytest.fixture
def text_files(tmp_path) -> list[Path]:
    folder = tmp_path / "texts"
    folder.mkdir()
    paths = []
    for n in range(14):
        path = folder / f"article-{n:02d}.txt"
        path.write_text(article(n), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path)


def write_corpus(folder: Path) -> Path:
    """40 made-up records (one in German) in ``folder/corpus.jsonl``."""
    path = folder / "corpus.jsonl"
    records = [{"id": f"doc-{n}", "url": f"https://news{n % 3}.example/story/{n}", "text": article(n)} for n in range(40)]
    records[7]["text"] = "Teilen\n\nDie Fähre fährt ab Juni öfter – auch sonntags.\n\nWerbung\n"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def with_bad_records(corpus: Path) -> Path:
    """``corpus`` with a line that is not JSON and a record without text, among the good ones."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[12:12] = ['{"id": "broken", "text": \n']
    lines[30:30] = ['{"id": "no-text"}\n', "\n"]
    bad = corpus.with_name("bad.jsonl")
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_text_files_same_output_on_two_processes(text_files, fmt):
    one = run("--format", fmt, *text_files, check=True)
    two = run("--format", fmt, "--jobs", "2", *text_files, check=True)
    assert one.stdout and two.stdout == one.stdout
    assert two.stderr == one.stderr == b""


def test_text_files_into_a_folder_on_two_processes(text_files, tmp_path):
    run("-o", tmp_path / "one", *text_files, check=True)
    run("-o", tmp_path / "two", "--jobs", "2", *text_files, check=True)
    for path in text_files:
        assert (tmp_path / "two" / path.name).read_bytes() == (tmp_path / "one" / path.name).read_bytes()


def test_explain_lines_keep_their_order(text_files):
    one = run("--explain", *text_files, check=True)
    two = run("--explain", "-j", "2", *text_files, check=True)
    assert b"removed ads.marker" in one.stderr
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)


def test_bad_text_inputs_reported_in_order_and_the_rest_cleaned(text_files, tmp_path):
    broken = tmp_path / "texts" / "broken.txt"
    broken.write_bytes(b"Caf\xe9 au lait\n")
    inputs = [*text_files[:5], tmp_path / "missing.txt", *text_files[5:9], broken, *text_files[9:]]
    one = run(*inputs)
    two = run("--jobs", "2", *inputs)
    assert one.returncode == two.returncode == 2
    assert b"missing.txt: cannot read" in one.stderr and b"broken.txt: invalid UTF-8 at byte offset 3" in one.stderr
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)


def test_stdin_among_files_on_two_processes(text_files):
    inputs = [*text_files[:3], "-", *text_files[3:6]]
    stdin = article(99).encode()
    one = run("--format", "json", *inputs, input=stdin, check=True)
    two = run("--format", "json", "-j", "2", *inputs, input=stdin, check=True)
    assert two.stdout == one.stdout
    assert b'"source": "-"' in two.stdout


@pytest.mark.parametrize("extra", [[], ["--format", "dolma"], ["--offsets", "bytes"]])
def test_jsonl_same_output_on_two_processes(corpus, tmp_path, extra):
    run(*extra, "--output", tmp_path / "one.jsonl", corpus, check=True)
    run(*extra, "--jobs", "2", "--output", tmp_path / "two.jsonl", corpus, check=True)
    one = (tmp_path / "one.jsonl").read_bytes()
    assert one.count(b"\n") == 40
    assert (tmp_path / "two.jsonl").read_bytes() == one


def test_jsonl_to_stdout_and_compressed_on_two_processes(corpus, tmp_path):
    one = run(corpus, check=True)
    two = run("-j", "2", corpus, check=True)
    assert two.stdout == one.stdout
    run("-j", "2", "--output", tmp_path / "two.jsonl.gz", corpus, check=True)
    import gzip

    assert gzip.decompress((tmp_path / "two.jsonl.gz").read_bytes()) == one.stdout


def test_jsonl_error_from_a_worker_names_the_file_and_line(corpus, tmp_path):
    bad = with_bad_records(corpus)
    one = run("--output", tmp_path / "one.jsonl", bad)
    two = run("--jobs", "2", "--output", tmp_path / "two.jsonl", bad)
    assert one.returncode == two.returncode == 2
    assert two.stderr == one.stderr
    assert one.stderr.startswith(f"cleaner: {bad}:13: not JSON: Expecting value".encode())
    assert not (tmp_path / "two.jsonl").exists()


def test_jsonl_skipped_records_as_on_one_process(corpus, tmp_path):
    bad = with_bad_records(corpus)
    one = run("--on-error", "skip", "--output", tmp_path / "one.jsonl", bad, check=True)
    two = run("--on-error", "skip", "--jobs", "2", "--output", tmp_path / "two.jsonl", bad, check=True)
    assert f"skipped {bad}:31: no 'text' field".encode() in one.stderr
    assert two.stderr == one.stderr
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_jsonl_explain_on_two_processes(corpus):
    one = run("--explain", corpus, check=True)
    two = run("--explain", "--jobs", "2", corpus, check=True)
    assert f"{corpus}:1: 1:1: removed share.button".encode() in one.stderr
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)


def run_on_a_terminal(*args) -> tuple[int, bytes]:
    """Run ``cleaner clean ARGS`` with stderr on a pseudo-terminal; its exit code and what the terminal got."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(cleaner_command() + ["clean", *map(str, args)], stdout=subprocess.DEVNULL,
                               stderr=follower)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    return process.wait(), screen


def test_progress_bar_on_a_terminal(corpus, text_files, tmp_path):
    code, screen = run_on_a_terminal("--jobs", "2", "--output", tmp_path / "out.jsonl", corpus)
    assert code == 0
    assert b"cleaning" in screen and b"40 docs" in screen and b"B/s" in screen
    code, screen = run_on_a_terminal("--jobs", "2", "-o", tmp_path / "texts-out", *text_files)
    assert code == 0 and b"14 docs" in screen


def test_progress_bar_keeps_its_total_and_counts_cleaned_files_when_an_input_is_missing(text_files, tmp_path):
    code, screen = run_on_a_terminal("--jobs", "2", "-o", tmp_path / "out", *text_files, tmp_path / "missing.txt")
    assert code == 2 and b"missing.txt" in screen
    assert b"100%" in screen  # the bar has a total: the bytes of the files that are there
    assert b"14 docs" in screen and b"15 docs" not in screen


def test_no_progress_bar_with_quiet_or_one_process(corpus, tmp_path):
    assert run_on_a_terminal("--jobs", "2", "--quiet", "--output", tmp_path / "a.jsonl", corpus) == (0, b"")
    assert run_on_a_terminal("--output", tmp_path / "b.jsonl", corpus) == (0, b"")


def test_workers_keep_the_order_of_many_small_items():
    items = [f"item {n}" for n in range(500)]
    with Workers(str.upper, 2, Options(use_model=False), batch_size=3) as workers:
        assert list(workers.map(items)) == [item.upper() for item in items]


def _killed(item: str) -> str:
    """Work that dies as the system's out-of-memory killer would end it."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_a_worker_killed_by_the_system_is_an_error():
    with pytest.raises(WorkerError, match="a worker process died"):
        with Workers(_killed, 2, Options(use_model=False), batch_size=1) as workers:
            list(workers.map(["one", "two", "three"]))


def test_jsonl_on_two_processes_into_a_closed_pipe_ends_quietly(corpus, tmp_path):
    """With workers running, SIGPIPE is ignored (a dead worker would kill the command without
    a word); a reader that leaves still ends the command quietly, with the shell's 141."""
    big = tmp_path / "big.jsonl"
    big.write_text(corpus.read_text(encoding="utf-8") * 25, encoding="utf-8")  # more than a pipe holds
    shell = f"{' '.join(cleaner_command())} clean --jobs 2 {big} | head -c 10; exit ${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", shell], capture_output=True)
    assert (out.returncode, out.stderr) == (141, b"")


def test_batches_of_records_end_at_a_budget_of_text():
    """Sixteen records of a megabyte each were one batch, and a window of them held hundreds of
    megabytes in the parent; a large record now goes alone."""
    small = [("c.jsonl", n, {"text": "A short record."}) for n in range(40)]
    large = [("c.jsonl", 40 + n, {"text": "x" * BATCH_BYTES}) for n in range(3)]
    bad = [("c.jsonl", 43, {"text": None}), ("c.jsonl", 44, {"body": "no text field"})]
    sizes = [len(batch) for batch in batches(small + large + bad, RECORDS_PER_BATCH, partial(text_length, "text"),
                                             BATCH_BYTES)]
    assert sizes == [16, 16, 9, 1, 1, 2]


def test_batches_of_files_end_at_a_byte_budget(tmp_path):
    """A few large files go to the workers one by one, small ones four at a time."""
    sizes = {"big1.txt": 900_000, "big2.txt": 200_000, "big3.txt": 1_500_000, **{f"s{n}.txt": 10 for n in range(6)}}
    items = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        items.append((str(tmp_path / name), None))
    items.append(("-", None))
    got = [[Path(path).name if path != "-" else "-" for path, _ in batch]
           for batch in batches(items, FILES_PER_BATCH, file_size, BATCH_BYTES)]
    assert got == [["big1.txt", "big2.txt"], ["big3.txt"], ["s0.txt", "s1.txt", "s2.txt", "s3.txt"],
                   ["s4.txt", "s5.txt", "-"]]
    assert list(batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
