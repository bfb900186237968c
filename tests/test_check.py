"""``cleaner check`` and ``--fix``: findings with their places, exit codes, atomic rewrites, JSONL records."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given

from cleaner import Options, Paragraph, Removed, Result, clean
from cleaner.check import findings_of, fixed_text, replace_value, seams
from cleaner.pieces import LineIndex
from cleaner.cli import cli

from .conftest import FIXTURES, nonspace
from .test_invariants import ARTICLES, SETTINGS

BRIDGE = (
    "Harbour Bridge Reopens After Repairs\n"
    "\n"
    "The Harbour Bridge reopened to traffic on Friday after six weeks of repairs to its deck, the city said.\n"
    "\n"
    "Engineers replaced forty steel plates and resurfaced both lanes.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Cyclists will get a separate lane from next month, a spokeswoman added. Share this article\n"
    "\n"
    "Commuters who bought monthly ferry passes can ask for a refund at the harbour office, the operator said\n"
    "\n"
    "Advertisement\n"
    "\n"
    "in a statement on its website.\n"
    "\n"
    "Workers Nadia Osei, left, and Piet Kramer check the new deck plates on Thursday, May 15, 2025 in Portmere\n"
)
CLEAN = (
    "Orchard Growers Count Frost Damage\n"
    "\n"
    "Apple growers in the upper valley lost about a third of their blossom to two nights of frost, the growers' union said.\n"
    "\n"
    "Some farms ran wind machines through the night, and most of those came through with little harm.\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(runner, *args):
    return runner.invoke(cli, ["check", "--no-config", *map(str, args)])


# -- findings ---------------------------------------------------------------------------------------------------------


def test_residue_on_line_7_is_found_at_column_1(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    result = check(runner, path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{path}:7:1: ads.marker: would remove 'Advertisement' (advertisement marker line)"


def test_residue_glued_at_the_end_of_a_line_is_found_where_it_starts(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    line = BRIDGE.splitlines()[8]
    column = line.index("Share this article") + 1
    assert f"{path}:9:{column}: share.trailing: would remove 'Share this article'" in check(runner, path).stdout


def test_every_kind_of_finding_in_input_order(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    lines = check(runner, path).stdout.splitlines()
    places = [line.split(": ")[0].removeprefix(f"{path}:") + " " + line.split(": ")[1] for line in lines]
    split_end = len(BRIDGE.splitlines()[10]) + 1
    assert places == ["7:1 ads.marker", "9:73 share.trailing", f"11:{split_end} rejoin.split", "13:1 ads.marker",
                      "17:1 caption.positional"]
    assert "would rejoin with the text at 15:1" in lines[2]
    assert "would move caption 'Workers Nadia Osei" in lines[4]


def test_inline_captions_are_not_findings(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    assert "caption.positional" not in check(runner, "--captions", "inline", path).stdout


def test_clean_file_exits_0_quietly(runner, tmp_path):
    result = check(runner, write(tmp_path, "orchard.txt", CLEAN))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_unreadable_files_exit_2_and_the_others_are_still_checked(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Council Meets\n\nThe vote was \xff close.\n")
    good = write(tmp_path, "bridge.txt", BRIDGE)
    result = check(runner, bad, tmp_path / "missing.txt", good)
    assert result.exit_code == 2
    assert f"{bad}: invalid UTF-8 at byte offset 28 (line 3)" in result.stderr
    # not "use --encoding-errors replace", an option check has not (--fix would write the U+FFFD back)
    assert "convert the file to UTF-8 first" in result.stderr and "--encoding-errors" not in result.stderr
    assert f"{tmp_path / 'missing.txt'}: cannot read" in result.stderr
    assert f"{good}:7:1: ads.marker" in result.stdout


def test_no_path_is_a_usage_error(runner):
    assert check(runner).exit_code == 2


def test_stdin_is_not_checked(runner):
    result = check(runner, "-")
    assert result.exit_code == 2 and "not stdin" in result.stderr


def test_check_uses_rules_alone_unless_asked_for_the_model(runner, tmp_path, monkeypatch):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    models = spy_on_clean(monkeypatch)
    check(runner, path)
    check(runner, "--use-model", path)
    assert models == [False, True]


def spy_on_clean(monkeypatch) -> list[bool]:
    """Record whether each call of ``cleaner.clean`` used the learned model."""
    import cleaner

    models, real_clean = [], cleaner.clean

    def recording_clean(text, options, **overrides):
        models.append(options.use_model)
        return real_clean(text, options, **overrides)

    monkeypatch.setattr(cleaner, "clean", recording_clean)
    return models


def test_a_folder_stands_for_its_text_and_jsonl_files(runner, tmp_path):
    write(tmp_path, "b.txt", BRIDGE)
    write(tmp_path, "a.jsonl", json.dumps({"text": BRIDGE}) + "\n")
    write(tmp_path, "notes.md", BRIDGE)
    write(tmp_path, ".drafts/draft.txt", BRIDGE)
    write(tmp_path, ".hidden.txt", BRIDGE)
    write(tmp_path, "sub/c.txt", BRIDGE)
    write(tmp_path, "sub/D.TXT", BRIDGE)
    write(tmp_path, "sub/e.ndjson", json.dumps({"text": BRIDGE}) + "\n")
    (tmp_path / "sub" / "f.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": BRIDGE}) + "\n").encode()))
    result = check(runner, tmp_path)
    checked = list(dict.fromkeys(line.split(":")[0] for line in result.stdout.splitlines()))
    assert checked == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.txt"),
                       *(str(tmp_path / "sub" / name) for name in ("D.TXT", "c.txt", "e.ndjson", "f.jsonl.gz"))]


def test_a_folder_that_cannot_be_read_is_an_error_and_the_rest_is_checked(runner, tmp_path, monkeypatch):
    write(tmp_path, "corpus/a.txt", BRIDGE)
    locked = tmp_path / "corpus" / "locked"
    write(locked, "b.txt", BRIDGE)
    if os.geteuid() == 0:  # root reads a folder of mode 000: refuse it as the system refuses others
        scandir = os.scandir

        def refusing(path=".", *args):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return scandir(path, *args)

        monkeypatch.setattr(os, "scandir", refusing)
    locked.chmod(0)
    try:
        result = check(runner, tmp_path / "corpus")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and f"cleaner: {locked}: cannot read: Permission denied" in result.stderr
    assert f"{tmp_path / 'corpus' / 'a.txt'}:" in result.stdout


def test_a_file_whose_folder_cannot_be_searched_does_not_stop_the_run(runner, tmp_path, monkeypatch):
    hidden = tmp_path / "closed" / "a.txt"
    write(tmp_path, "closed/a.txt", BRIDGE)
    good = write(tmp_path, "b.txt", BRIDGE)
    is_dir = Path.is_dir

    def searching(path):
        if path == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return is_dir(path)

    monkeypatch.setattr(Path, "is_dir", searching)  # what Python 3.11 does without search permission
    result = check(runner, hidden, good)  # the run went on: it stopped at once with "Permission denied" alone
    assert f"{hidden}:7:1: ads.marker" in result.stdout and f"{good}:7:1: ads.marker" in result.stdout


def test_the_installed_command_prints_findings_and_exits_1(tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    out = subprocess.run(_cleaner() + ["check", "--no-config", str(path)], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert out.stdout.splitlines()[0] == f"{path}:7:1: ads.marker: would remove 'Advertisement' (advertisement marker line)"
    clean_path = write(tmp_path, "orchard.txt", CLEAN)
    assert subprocess.run(_cleaner() + ["check", str(clean_path)], capture_output=True).returncode == 0
    assert subprocess.run(_cleaner() + ["check", str(tmp_path / "gone.txt")], capture_output=True).returncode == 2


def _cleaner() -> list[str]:
    installed = Path(sys.executable).with_name("cleaner")
    return [str(installed)] if installed.exists() else [shutil.which("cleaner") or "cleaner"]


# -- seams of rejoined paragraphs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda path: path.stem)
def test_every_rejoined_paragraph_has_one_seam_per_join(path):
    text = path.read_text(encoding="utf-8")
    for paragraph in clean(text, use_model=False).paragraphs:
        assert len(seams(paragraph, text)) == len(paragraph.joins)


def test_a_hard_wrapped_paragraph_is_found_at_each_line_end(runner, tmp_path):
    lines = textwrap.wrap(
        "Snow closed the mountain pass for the third time this winter, and the road crews said they would not "
        "try to clear it before the storm had moved east, which the forecasters expected on Wednesday evening "
        "at the earliest. Drivers heading for the coast were sent along the valley road, which adds about an "
        "hour to the trip, and the police asked lorries to wait at the truck stop below the first bend.", 72)
    path = write(tmp_path, "pass.txt", "Mountain Pass Closed Again\n\n" + "\n".join(lines) + "\n")
    found = [line.split(": ")[0:2] for line in check(runner, path).stdout.splitlines()]
    assert found == [[f"{path}:{number}:{len(line) + 1}", "rejoin.wrap"] for number, line in enumerate(lines[:-1], 3)]
    assert "would rejoin with the text at 4:1" in check(runner, path).stdout


# -- --fix -------------------------------------------------------------------------------------------------------------


def test_fix_writes_the_clean_text_and_then_check_finds_nothing(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    result = check(runner, "--fix", path)
    assert (result.exit_code, result.stdout) == (1, f"Fixing {path}\n")
    assert path.read_text(encoding="utf-8") == clean(BRIDGE, use_model=False).text + "\n"
    again = check(runner, path)
    assert (again.exit_code, again.stdout) == (0, "")


def test_columns_of_the_first_line_do_not_count_a_byte_order_mark(runner, tmp_path):
    path = write(tmp_path, "bom.txt", "\ufeff" + BRIDGE.replace("Harbour Bridge Reopens", "Share Harbour Bridge Reopens"))
    assert LineIndex("\ufeffab\ncd").line_col(2) == "1:2" and LineIndex("\ufeffab").line_col(0) == "1:1"
    assert f"{path}:7:1: ads.marker" in check(runner, path).stdout
    assert f"{path}:1:1: " in runner.invoke(cli, ["clean", "--explain", str(path)]).stderr


def test_fix_keeps_the_files_line_endings_and_byte_order_mark(runner, tmp_path):
    """A corpus written on Windows stays CRLF after a fix: only the residue lines change in a diff."""
    path = tmp_path / "bridge.txt"
    path.write_bytes(("\ufeffShare\n\n" + BRIDGE).replace("\n", "\r\n").encode("utf-8"))
    assert check(runner, "--fix", path).exit_code == 1
    fixed = path.read_bytes().decode("utf-8")
    assert fixed == "\ufeff" + (clean(BRIDGE, use_model=False).text + "\n").replace("\n", "\r\n")
    assert (check(runner, path).exit_code, check(runner, "--fix", path).exit_code) == (0, 0)
    assert path.read_bytes().decode("utf-8") == fixed


def test_fix_keeps_unix_line_endings_in_a_file_with_a_stray_carriage_return(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE.replace("Advertisement\n", "Advertisement\r\n", 1))
    assert check(runner, "--fix", path).exit_code == 1
    assert path.read_bytes().decode("utf-8") == clean(BRIDGE, use_model=False).text + "\n"


def test_fix_keeps_permissions_and_leaves_clean_files_untouched(runner, tmp_path):
    dirty = write(tmp_path, "bridge.txt", BRIDGE)
    untouched = write(tmp_path, "orchard.txt", CLEAN)
    dirty.chmod(0o640)
    long_ago = 1_600_000_000_000_000_000
    os.utime(untouched, ns=(long_ago, long_ago))
    result = check(runner, "--fix", tmp_path)
    assert result.exit_code == 1
    assert stat.S_IMODE(dirty.stat().st_mode) == 0o640
    assert untouched.read_bytes() == CLEAN.encode()
    assert untouched.stat().st_mtime_ns == long_ago
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bridge.txt", "orchard.txt"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_fix_run_as_root_keeps_the_owner_and_group(runner, tmp_path):
    """pre-commit as root in a container, on a bind-mounted checkout: the user's files stay theirs."""
    dirty = write(tmp_path, "bridge.txt", BRIDGE)
    os.chown(dirty, 65534, 65534)
    dirty.chmod(0o664)
    assert check(runner, "--fix", dirty).exit_code == 1
    assert dirty.read_text(encoding="utf-8") != BRIDGE
    mode = dirty.stat()
    assert (mode.st_uid, mode.st_gid, stat.S_IMODE(mode.st_mode)) == (65534, 65534, 0o664)


def test_fix_of_clean_files_exits_0(runner, tmp_path):
    result = check(runner, "--fix", write(tmp_path, "orchard.txt", CLEAN))
    assert (result.exit_code, result.stdout) == (0, "")


def test_fix_with_the_model_then_check_with_the_model_finds_nothing(runner, tmp_path):
    path = write(tmp_path, "bridge.txt", BRIDGE)
    assert check(runner, "--use-model", "--fix", path).exit_code == 1
    assert check(runner, "--use-model", path).exit_code == 0


def test_fix_cleans_again_until_nothing_is_left_to_find(monkeypatch):
    """Like the model, a stand-in that sees only the last paragraph takes one more stray mark out each pass."""
    import cleaner

    def last_stray_mark_out(text, options, **overrides):
        parts, start = [], 0
        for part in text.split("\n\n"):
            parts.append(Paragraph("paragraph", part, [[start, start + len(part)]]))
            start += len(part) + 2
        *body, last = parts
        if last.text.strip() in ("|", "—"):
            return Result("\n\n".join(p.text for p in body), body, [], [Removed("model", last.text, last.spans)], text)
        return Result(text, parts, [], [], text)

    monkeypatch.setattr(cleaner, "clean", last_stray_mark_out)
    text = "Ferry Runs Again\n\nThe ferry to Gull Island ran on Sunday.\n\n—\n\n|\n\n|"
    first = last_stray_mark_out(text, Options())
    assert fixed_text(first, Options()) == "Ferry Runs Again\n\nThe ferry to Gull Island ran on Sunday."


PROGRAM = ("How To Count In A Loop\n\nThe loop below prints each number it meets after the first, one to a line, "
           "and then stops.\n\n    for number in range(3):\n        if number:\n            print(number)\n\n")
VERSE = "The Lighthouse Keeper\n\nHe trims the wick at dusk,\nhe climbs the iron stair,\nand counts the passing ships.\n\n"


@pytest.mark.parametrize("kept", [PROGRAM, VERSE])
def test_fix_takes_the_residue_out_and_leaves_the_rest_as_it_was_written(runner, tmp_path, kept):
    """The fix wrote the clean text, a blank line between every two paragraphs: a program lost its
    indentation and verse its lines, and the check after it found nothing to say."""
    ending = "That is all, and it ends after the third number.\n"
    path = write(tmp_path, "article.txt", f"Share\n\n{kept}Advertisement\n\n{ending}")
    assert check(runner, "--fix", path).exit_code == 1
    assert path.read_text(encoding="utf-8") == kept + ending


@pytest.mark.parametrize("text, fixed", [
    # residue cut off a line, a sentence split by an ad rejoined, an indented line kept so
    ("Bridge Reopens\n\nThe bridge reopened on Monday after repairs that took the crews longer than\n"
     "Advertisement\nplanned, the council said. Advertisement\n\n  An indented line stays indented.\n",
     "Bridge Reopens\n\nThe bridge reopened on Monday after repairs that took the crews longer than planned, "
     "the council said.\n\n  An indented line stays indented.\n"),
    # a BOM was read as text before the first line (a space put in its place); the white space
    # ending the last line and the blank lines around a line cut short went
    ("\ufeff    indented first line of a note that goes on for a while\n\n"
     "The river rose on Monday and the road was closed for the night. Advertisement\n\n\n\n"
     "Roses are red\nViolets are blue\t\n\nAdvertisement\n",
     "\ufeff    indented first line of a note that goes on for a while\n\n"
     "The river rose on Monday and the road was closed for the night.\n\n\n\nRoses are red\nViolets are blue\t\n"),
])
def test_fix_changes_only_what_the_findings_name(runner, tmp_path, text, fixed):
    path = write(tmp_path, "note.txt", text)
    assert check(runner, "--fix", path).exit_code == 1
    assert path.read_text(encoding="utf-8") == fixed


def test_fix_falls_back_to_the_clean_text_when_the_fixed_text_would_read_otherwise(runner, tmp_path):
    """Taking the last line out (a caption) makes the verse line above it the last one: cleaned
    again, the fixed text ran on into verse and code lines nobody had found anything in."""
    text = ("    def f(x):\n        y = x + 1\n        if y > 2:\n            return y\n        return 0\n\n"
            "Over the hill and far away\nThe water came on Monday\nWe sat and watched it rise\n")
    path = write(tmp_path, "verse.txt", text)
    assert check(runner, "--fix", path).exit_code == 1
    fixed = path.read_text(encoding="utf-8")
    assert "Over the hill and far away" in fixed and "The water came on Monday" in fixed
    assert check(runner, path).exit_code == 0


def test_an_article_of_nothing_but_residue_becomes_an_empty_file(runner, tmp_path):
    path = write(tmp_path, "residue.txt", "Share\n\nAdvertisement\n")
    assert check(runner, "--fix", path).exit_code == 1
    assert path.read_bytes() == b""
    assert check(runner, path).exit_code == 0


@SETTINGS
@given(ARTICLES)
def test_after_a_fix_there_is_nothing_to_find(text):
    for options in (Options(use_model=False), Options()):
        first = clean(text, options, input_format="text")
        fixed = fixed_text(first, options)
        assert not findings_of(clean(fixed, options, input_format="text"), options, str)
        if not findings_of(first, options, str):  # nothing found: nothing of the input is left out
            assert nonspace(first.text) == nonspace(text)


# -- JSONL -------------------------------------------------------------------------------------------------------------

RECORDS = [
    '{"id": 1, "text": ' + json.dumps(CLEAN) + ', "score": 1e5}\n',
    "\n",
    '{"id": 2, "url": "https://news.example/bridge", "text": ' + json.dumps(BRIDGE, ensure_ascii=False) + ', "meta": {"text": "x"}}\n',
    '{"id": 3, "text": "Kiosk Closes\\n\\nThe kiosk by the pier closed on Monday.\\n\\nAdvertisement"}\r\n',
]


def test_jsonl_findings_name_the_record_line_and_the_offset_in_its_text(runner, tmp_path):
    path = write(tmp_path, "news.jsonl", "".join(RECORDS))
    result = check(runner, path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    advert = BRIDGE.index("Advertisement")
    assert lines[0] == f"{path}:3:{advert + 1}: ads.marker: would remove 'Advertisement' (advertisement marker line)"
    kiosk = len("Kiosk Closes\n\nThe kiosk by the pier closed on Monday.\n\n")
    assert lines[-1].startswith(f"{path}:4:{kiosk + 1}: ads.marker:")
    assert not any(line.startswith(f"{path}:1:") for line in lines)


def test_jsonl_fix_replaces_the_text_field_and_keeps_every_other_byte(runner, tmp_path):
    path = write(tmp_path, "news.jsonl", "".join(RECORDS))
    result = check(runner, "--fix", path)
    assert (result.exit_code, result.stdout) == (1, f"Fixing {path}\n")
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    assert lines[:2] == RECORDS[:2]  # a record without findings, a blank line: byte-identical
    second = json.loads(lines[2])
    assert list(second) == ["id", "url", "text", "meta"] and second["meta"] == {"text": "x"}
    assert second["text"] == clean(BRIDGE, use_model=False).text
    assert lines[3] == '{"id": 3, "text": "Kiosk Closes\\n\\nThe kiosk by the pier closed on Monday."}\r\n'
    assert check(runner, path).exit_code == 0


def test_jsonl_bad_records_exit_2_and_the_file_is_not_fixed(runner, tmp_path):
    data = RECORDS[2] + "{not json\n" + '{"id": 9, "body": "no text field"}\n' + '["a list"]\n'
    path = write(tmp_path, "news.jsonl", data)
    result = check(runner, "--fix", path)
    assert result.exit_code == 2
    assert f"{path}:2: not JSON" in result.stderr
    assert f"{path}:3: no 'text' field" in result.stderr
    assert f"{path}:4: a record must be a JSON object" in result.stderr
    assert f"{path}:1:" in result.stdout  # the findings of the good record, not fixed
    assert path.read_text(encoding="utf-8") == data


def test_jsonl_lines_end_at_a_newline_alone_as_clean_reads_them(runner, tmp_path):
    """Records separated by a lone '\\r' are one line of bad JSON to ``clean``: ``check`` says the same."""
    data = RECORDS[2].rstrip("\n") + "\r" + RECORDS[3]
    path = write(tmp_path, "news.jsonl", data)
    result = check(runner, "--fix", path)
    assert result.exit_code == 2
    assert f"{path}:1: not JSON" in result.stderr and result.stdout == ""
    assert path.read_bytes() == data.encode("utf-8")
    cleaned = runner.invoke(cli, ["clean", str(path)])
    assert cleaned.exit_code == 2 and f"{path}:1: not JSON" in cleaned.stderr


def test_fix_on_a_full_disk_exits_2_and_leaves_the_file_as_it_was(runner, tmp_path, full_disk):
    path = write(tmp_path, "news.jsonl", "".join(RECORDS))
    result = check(runner, "--fix", path)
    assert (result.exit_code, result.stderr) == (2, f"cleaner: {path}: cannot write: No space left on device\n")
    assert path.read_bytes() == "".join(RECORDS).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["news.jsonl"]


@pytest.mark.parametrize("name", ["news.ndjson", "NEWS.JSONL"])
def test_every_jsonl_name_clean_reads_as_jsonl_is_checked_record_by_record(runner, tmp_path, name):
    """A JSONL file read as text would be rejoined into one line: its records merged, the file no longer JSONL."""
    path = write(tmp_path, name, "".join(RECORDS))
    assert check(runner, "--fix", path).exit_code == 1
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] == [1, 2, 3]


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ".xz"])
def test_compressed_jsonl_is_checked_and_fixed_in_its_compression(runner, tmp_path, suffix):
    import bz2
    import gzip
    import lzma

    import zstandard

    compress, decompress = {
        ".gz": (gzip.compress, gzip.decompress), ".bz2": (bz2.compress, bz2.decompress),
        ".xz": (lzma.compress, lzma.decompress),
        ".zst": (zstandard.ZstdCompressor().compress, lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data)),
    }[suffix]
    path = tmp_path / f"news.jsonl{suffix}"
    path.write_bytes(compress("".join(RECORDS).encode("utf-8")))
    found = check(runner, path)
    assert found.exit_code == 1 and found.stdout.startswith(f"{path}:3:")
    assert check(runner, "--fix", path).exit_code == 1
    lines = decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)
    assert lines[:2] == RECORDS[:2] and "Advertisement" not in "".join(lines)
    assert check(runner, path).exit_code == 0
    path.write_bytes(path.read_bytes()[:-8])
    cut = check(runner, path)
    assert cut.exit_code == 2 and f"{path}:" in cut.stderr and "cannot read" in cut.stderr


def test_a_folder_walk_passes_over_pipes(runner, tmp_path):
    import os

    write(tmp_path, "a.txt", BRIDGE)
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer forever
    result = check(runner, tmp_path)
    assert result.exit_code == 1 and "pipe.txt" not in result.stdout + result.stderr


def test_fix_through_a_symbolic_link_fixes_the_file_and_keeps_the_link(runner, tmp_path):
    target = write(tmp_path, "real.txt", BRIDGE)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    assert check(runner, "--fix", link).exit_code == 1
    assert link.is_symlink() and "Advertisement" not in target.read_text(encoding="utf-8")


def test_fix_leaves_a_file_that_changed_while_it_was_checked(runner, tmp_path, monkeypatch):
    import cleaner.check

    path = write(tmp_path, "a.txt", BRIDGE)
    cleaned = cleaner.check.fixed_text

    def meanwhile_an_editor_saves(result, options):
        with path.open("a", encoding="utf-8") as file:
            file.write("A line the editor added.\n")
        return cleaned(result, options)

    monkeypatch.setattr(cleaner.check, "fixed_text", meanwhile_an_editor_saves)
    result = check(runner, "--fix", path)
    assert result.exit_code == 2 and "changed while cleaner read it; left as it is" in result.stderr
    assert path.read_text(encoding="utf-8") == BRIDGE + "A line the editor added.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_an_old_mac_file_is_read_line_by_line_and_fixed_with_its_line_ends(runner, tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(BRIDGE.replace("\n", "\r").encode("utf-8"))
    found = check(runner, path)
    assert found.exit_code == 1 and f"{path}:7:1: ads.marker" in found.stdout  # a line at each "\r"
    assert check(runner, "--fix", path).exit_code == 1
    fixed = path.read_bytes().decode("utf-8")
    assert "\n" not in fixed and "Advertisement" not in fixed and fixed.count("\r\r") >= 1
    assert check(runner, path).exit_code == 0


def test_line_ends_converted_twice_are_one_line_end(runner, tmp_path):
    """"\\r\\r\\n" (a Windows line end converted again) ends one line, as before lone "\\r" counted."""
    twice, plain = tmp_path / "twice.txt", tmp_path / "plain.txt"
    twice.write_bytes(BRIDGE.replace("\n", "\r\r\n").encode("utf-8"))
    plain.write_bytes(BRIDGE.encode("utf-8"))
    found = check(runner, twice).stdout.replace(str(twice), "FILE")
    assert found == check(runner, plain).stdout.replace(str(plain), "FILE") and found


def test_a_file_deleted_while_it_was_checked_is_an_error_of_its_own(runner, tmp_path, monkeypatch):
    import cleaner.check

    gone, other = write(tmp_path, "a.txt", BRIDGE), write(tmp_path, "b.txt", BRIDGE)
    cleaned = cleaner.check.fixed_text

    def meanwhile_deleted(result, options):
        gone.unlink(missing_ok=True)
        return cleaned(result, options)

    monkeypatch.setattr(cleaner.check, "fixed_text", meanwhile_deleted)
    result = check(runner, "--fix", gone, other)
    assert result.exit_code == 2 and f"{gone}: changed while cleaner read it" in result.stderr
    assert f"Fixing {other}" in result.stdout and not gone.exists()


def test_fix_of_a_record_with_a_lone_surrogate_on_a_non_ascii_line(runner, tmp_path):
    line = '{"id": "é", "text": "Share\\n\\nThe ferry \\ud800 resumed service on Monday."}\n'
    path = write(tmp_path, "news.jsonl", line)
    assert check(runner, "--fix", path).exit_code == 1
    assert path.read_text(encoding="utf-8") == '{"id": "é", "text": "The ferry \\ud800 resumed service on Monday."}\n'


def test_jsonl_text_field_option(runner, tmp_path):
    path = write(tmp_path, "news.jsonl", json.dumps({"body": BRIDGE}) + "\n")
    assert check(runner, "--text-field", "body", path).exit_code == 1
    assert "no 'text' field" in check(runner, path).stderr


@pytest.mark.parametrize("line, expected", [
    ('{"text": "old"}\n', '{"text": "new \\u00fc"}\n'),
    ('{ "id" : 1 ,\t"text" :"old" , "tags": ["text"] }\n', '{ "id" : 1 ,\t"text" :"new \\u00fc" , "tags": ["text"] }\n'),
    ('{"meta": {"text": "inner"}, "text": "old\\n\\"quoted\\"", "n": 1.50}', '{"meta": {"text": "inner"}, "text": "new \\u00fc", "n": 1.50}'),
    ('{"text": "first", "text": "old", "ä": 1}\n', '{"text": "first", "text": "new ü", "ä": 1}\n'),
])
def test_replace_value_changes_only_the_top_level_value(line, expected):
    assert replace_value(line, "text", "new ü") == expected
    assert json.loads(expected) == {**json.loads(line), "text": "new ü"}


def test_a_block_of_code_is_no_finding_and_a_fix_keeps_it_as_written(runner, tmp_path):
    """The lines of a program are kept as lines: they are not joined (no "would rejoin"), and
    the indentation they all share stays in the file."""
    code = "    for plate in plates:\n        plate.check()\n    report(plates)\n"
    path = write(tmp_path, "bridge.txt", BRIDGE.replace("Advertisement\n\nCyclists", "Advertisement\n\n" + code + "\nCyclists"))
    result = check(runner, path)
    assert "rejoin.code" not in result.output and "plate" not in result.output
    check(runner, "--fix", path)
    assert code in path.read_text(encoding="utf-8")
