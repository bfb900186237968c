"""Ray Data on a real local Ray instance: ``CleanBatch`` in ``map_batches``, and ``cleaner clean --engine ray``."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

# The test instance talks over loopback only (Ray reads this when it is imported).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray", reason="needs the ray extra: pip install 'cleaner[ray]' (make test installs it)")
pytest.importorskip("ray.data", reason="needs Ray Data: pip install 'cleaner[ray]' (make test installs it)")

from cleaner import Options  # noqa: E402
from cleaner.cli import cli  # noqa: E402
from cleaner.integrations.ray import LINES_PER_BLOCK, CleanBatch  # noqa: E402
from cleaner.jsonl import clean_record  # noqa: E402

from .test_parallel import article, with_bad_records, write_corpus  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False)
    yield
    ray.shutdown()


@pytest.fixture
def big_corpus(tmp_path):
    """More records than one read block holds, so the order of blocks matters."""
    path = tmp_path / "big.jsonl"
    count = 2 * LINES_PER_BLOCK + 37
    path.write_text("".join(json.dumps({"id": n, "text": article(n % 60) if n % 7 else f"Share\n\nShort note {n}.\n"})
                            + "\n" for n in range(count)), encoding="utf-8")
    return path


def clean_with(engine_args: list[str], *args) -> tuple[int, str]:
    """Exit code and cleaner's own messages on stderr (Ray's log lines, which its
    processes sometimes print there, "(pid=gcs_server) ...", left out)."""
    result = CliRunner().invoke(cli, ["clean", *engine_args, *map(str, args)])
    ours = [line for line in result.stderr.splitlines(keepends=True) if not _is_ray_log(line)]
    return result.exit_code, "".join(ours)


def _is_ray_log(line: str) -> bool:
    return line.lstrip("\x1b[0123456789;m").startswith("(")


def test_ray_output_equals_one_process_record_for_record(big_corpus, tmp_path):
    assert clean_with([], "--output", tmp_path / "one.jsonl", big_corpus) == (0, "")
    code, _ = clean_with(["--engine", "ray"], "--output", tmp_path / "ray.jsonl", big_corpus)
    assert code == 0
    one = (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()
    on_ray = (tmp_path / "ray.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(one) == 2 * LINES_PER_BLOCK + 37
    for expected, got in zip(one, on_ray, strict=True):
        assert json.loads(got) == json.loads(expected)
    assert on_ray == one


def test_ray_skips_and_stops_as_one_process(tmp_path):
    bad = with_bad_records(write_corpus(tmp_path))
    one = clean_with(["--on-error", "skip"], "--output", tmp_path / "one.jsonl", bad)
    on_ray = clean_with(["--on-error", "skip", "--engine", "ray"], "--output", tmp_path / "ray.jsonl", bad)
    assert on_ray == one and "skipped 2 bad record(s)" in one[1]
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    code, stderr = clean_with(["--engine", "ray"], "--output", tmp_path / "stopped.jsonl", bad)
    assert code == 2 and stderr.startswith(f"cleaner: {bad}:13: not JSON")
    assert not (tmp_path / "stopped.jsonl").exists()


def test_ray_reads_compressed_files_and_writes_dolma_rows(big_corpus, tmp_path):
    import gzip

    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(gzip.compress(big_corpus.read_bytes()))
    assert clean_with(["--format", "dolma"], "--output", tmp_path / "one.jsonl", big_corpus)[0] == 0
    assert clean_with(["--format", "dolma", "--engine", "ray"], "--output", tmp_path / "ray.jsonl", packed)[0] == 0
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


@pytest.mark.parametrize("name, packed", [
    ("cut.jsonl.gz", lambda data: __import__("gzip").compress(data)[:4000]),
    ("cut.jsonl.zst", lambda data: __import__("zstandard").ZstdCompressor().compress(data)[:4000]),
    ("fake.jsonl.gz", lambda data: data),
])
def test_ray_names_a_broken_compressed_file_and_its_line_as_one_process_does(big_corpus, tmp_path, name, packed):
    """Ray read the file itself: its message had no line, and Ray's retry advice was appended to it."""
    broken = tmp_path / name
    broken.write_bytes(packed(big_corpus.read_bytes()))
    one = clean_with([], "--output", tmp_path / "one.jsonl", broken)
    on_ray = clean_with(["--engine", "ray"], "--output", tmp_path / "ray.jsonl", broken)
    assert on_ray == one and one[0] == 2
    assert one[1].startswith(f"cleaner: {broken}:") and ": cannot read: " in one[1] and one[1].count("\n") == 1
    assert not (tmp_path / "ray.jsonl").exists()


@pytest.mark.parametrize("name, reason", [("missing.jsonl", "No such file or directory"), ("folder.jsonl", "Is a directory")])
def test_ray_reports_an_input_it_cannot_open_as_one_process_does(big_corpus, tmp_path, name, reason):
    (tmp_path / "folder.jsonl").mkdir()
    bad = tmp_path / name
    for engine in (["--engine", "ray"], []):
        code, stderr = clean_with(engine, "--output", tmp_path / "out.jsonl", big_corpus, bad)
        assert code == 2 and f"cleaner: {bad}: cannot read: {reason}" in stderr and "Traceback" not in stderr


def test_a_cluster_that_does_not_answer_is_an_error_at_once():
    """Ray retries an address nobody answers at for minutes, saying nothing of ours."""
    from cleaner.integrations.ray import join
    from cleaner.io import InputError

    with pytest.raises(InputError, match="cannot join the Ray cluster at 127.0.0.1:1: Connection refused"):
        join("127.0.0.1:1")


def test_joining_ray_keeps_the_commands_signal_handlers(monkeypatch):
    """ray.init sets its own SIGTERM handler: the command then died with Ray's stack dump and
    exit 15 instead of "cleaner: terminated" and 143."""
    import signal

    from cleaner.integrations import ray as integration

    def ours(signum, frame):
        raise KeyboardInterrupt

    def init(**_):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    previous = signal.signal(signal.SIGTERM, ours)
    try:
        monkeypatch.setattr(integration.ray, "init", init)
        integration.join(None)
        assert signal.getsignal(signal.SIGTERM) is ours
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_engine_ray_is_for_jsonl_files(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(article(1), encoding="utf-8")
    code, stderr = clean_with(["--engine", "ray"], text)
    assert code == 2 and "--engine ray and --address are for JSONL input" in stderr


@pytest.mark.parametrize("batch_format", ["numpy", "pandas"])
def test_clean_batch_in_map_batches(batch_format):
    options = Options(captions="drop")
    rows = [{"id": n, "text": article(n)} for n in range(12)]
    dataset = ray.data.from_items(rows, override_num_blocks=3)
    cleaned = dataset.map_batches(CleanBatch, fn_constructor_kwargs={"options": options}, batch_format=batch_format,
                                  batch_size=5, compute=ray.data.ActorPoolStrategy(size=2)).take_all()
    expected = [clean_record(row, options) for row in rows]
    assert sorted((row["id"], row["text"]) for row in cleaned) == [(row["id"], row["text"]) for row in expected]
    by_id = {row["id"]: row["cleaner"] for row in cleaned}
    for row in expected:
        assert json.loads(json.dumps(by_id[row["id"]], default=list)) == row["cleaner"]
