from __future__ import annotations

import gc
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV_ARTICLES = SHARED / "data" / "wcxb-dev-articles"


def assert_golden(path: Path, doc: dict) -> None:
    """``doc`` equals the golden JSON at ``path``; with CLEANER_UPDATE_GOLDEN=1, it becomes it."""
    if os.environ.get("CLEANER_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert doc == json.loads(path.read_text(encoding="utf-8"))


def needs_shared(path: Path):
    """Skip a test, with the reason, when a ../shared resource is absent (a user's clone)."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (../shared is only beside the project on our machines)")


@pytest.fixture
def deep_stack_collections():
    """While the test runs, the cycle collector runs at nearly every allocation and tries a little
    Python code each time; the fixture's list gets one entry per collection that found the stack too
    deep for it. A recursive parser handed deeply nested input puts the collector there, and what it
    runs there (a finaliser, the unraisable-exception hook) fails."""
    failures: list[str] = []

    def try_python(phase, info):
        try:
            _recurse(40)
        except RecursionError:
            failures.append(phase)

    threshold = gc.get_threshold()
    gc.callbacks.append(try_python)
    gc.set_threshold(1)
    try:
        yield failures
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(try_python)


def _recurse(depth: int) -> int:
    return _recurse(depth - 1) if depth else 0


def nonspace(text: str) -> str:
    return "".join(text.split())


def check_invariants(text: str, result) -> None:
    """Faithful and lossless, as the README defines them."""
    owner = [None] * len(text)
    pieces = (
        [("paragraph", p.text, p.spans) for p in result.paragraphs]
        + [("caption", c.text, c.spans) for c in result.captions]
        + [("removed", r.text, r.spans) for r in result.removed]
    )
    for index, (what, piece_text, spans) in enumerate(pieces):
        assert spans, f"{what} without spans: {piece_text!r}"
        covered = "".join(text[start:end] for start, end in spans)
        assert nonspace(covered) == nonspace(piece_text), f"{what} not faithful: {piece_text!r} vs {covered!r}"
        for start, end in spans:
            assert 0 <= start < end <= len(text)
            for offset in range(start, end):
                if not text[offset].isspace():
                    assert owner[offset] is None, f"offset {offset} ({text[offset]!r}) covered twice"
                    owner[offset] = index
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and owner[i] is None and not opens_a_line(text, i)]
    assert not missing, f"characters in no piece at offsets {missing[:10]}: {[text[i] for i in missing[:10]]}"


def opens_a_line(text: str, offset: int) -> bool:
    """Whether ``text[offset]`` is a byte order mark with nothing but white space and marks before it
    on its line: not text (see ``cleaner.blocks.cut_blocks``)."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return text[offset] == "\ufeff" and not text[line_start:offset].replace("\ufeff", "").strip()


def check_expectations(result, expect: dict) -> None:
    """The hand-written expectations every fixture has: title, removed, captions, kept text."""
    body = [p.text for p in result.paragraphs]
    titles = [p.text for p in result.paragraphs if p.kind == "title"]
    assert titles == ([expect["title"]] if expect["title"] else [])
    removed = {r.text for r in result.removed}
    for piece in expect["removed"]:
        assert piece in removed, f"not removed: {piece!r}"
        assert not any(p == piece or p.endswith(" " + piece) for p in body), f"left in the body: {piece!r}"
    captions = [c.text for c in result.captions]
    for caption in expect["captions"]:
        assert caption in captions, f"not a caption: {caption!r}"
        assert caption not in result.text
    for kept in expect["keep"]:
        assert kept in result.text, f"lost: {kept!r}"
    code = [p.text for p in result.paragraphs if p.kind == "code"]
    for block in expect.get("code", []):
        assert block in code, f"not a block of code as written: {block!r}"


@pytest.fixture
def runner():
    """click's runner for the command line, in process."""
    return CliRunner()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file written through ``cleaner.io.replacing`` fails as on a full disk, at the last moment."""
    import errno

    import cleaner.io

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cleaner.io.os, "fsync", no_space)
