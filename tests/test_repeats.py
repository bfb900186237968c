"""`--corpus-repeats`: lines recurring across documents of one site are removed, through the normal pipeline."""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import pytest

from cleaner import Options, repeats
from cleaner.cli import cli
from cleaner.jsonl import record_result
from cleaner.repeats import LineCounter, RepeatedLines, count_repeats, group_of, line_key

from .conftest import check_invariants

PROMO = "Hear the whole interview on The Harbour Hour, out every Thursday"
#: Background prose a site repeats in every story of a series: long, and ending a sentence.
BACKGROUND = ("The harbour authority, which runs the port for the regional government, has spent more than forty "
              "million euros on new quays and breakwaters since the floods of 2019.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = ("June", "July", "August", "September", "October", "November")


def story(number: int, promo: str = PROMO, background: str = BACKGROUND) -> str:
    """A short news story of its own, with the promotion and the background paragraph."""
    return (f"Quay Works Reach Stage {number + 2}\n\n"
            f"Crews repaired {40 + number * 7} metres of the old sea wall on {DAYS[number % 6]}, "
            "the port engineer told reporters at the site.\n\n"
            f"{promo}\n\n{background}\n\n"
            f"Fishing boats will use the northern basin until the work ends in {MONTHS[number % 6]}, officials said.\n")


def corpus_records() -> list[dict]:
    """Five stories of one host with the promotion; three of another host with it; one that repeats it
    inside, four times in a row (above the tests' thresholds; five would be a run of ``document.sibling_links``)."""
    records = [{"id": f"dh-{n}", "url": f"https://dailyharbour.example/quay/{n}", "text": story(n)} for n in range(5)]
    records += [{"id": f"vp-{n}", "url": f"https://valleypost.example/{n}", "text": story(n + 10)} for n in range(3)]
    repeated_inside = story(20).replace(PROMO, "\n\n".join([PROMO] * 4))
    records.append({"id": "cc-1", "url": "https://coastcourier.example/a", "text": repeated_inside})
    return records


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in corpus_records()), encoding="utf-8")
    return path


def by_id(output: str) -> dict[str, dict]:
    return {row["id"]: row for row in map(json.loads, output.splitlines())}


def test_a_promotion_repeated_in_one_host_is_removed_there_only(runner, corpus):
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "4", str(corpus)])
    assert result.exit_code == 0, result.stderr
    out = by_id(result.stdout)
    for n in range(5):
        assert PROMO not in out[f"dh-{n}"]["text"]
        (removed,) = [r for r in out[f"dh-{n}"]["cleaner"]["removed"] if r["rule"] == "corpus.repeated"]
        assert removed["text"] == PROMO
    for record in ("vp-0", "vp-1", "vp-2", "cc-1"):
        assert PROMO in out[record]["text"], record
        assert not [r for r in out[record]["cleaner"]["removed"] if r["rule"] == "corpus.repeated"]
    assert "removed 5 lines (rule corpus.repeated)" in result.stderr


def test_the_guard_keeps_long_prose_and_says_so(runner, corpus):
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "4", str(corpus)])
    out = by_id(result.stdout)
    assert all(BACKGROUND in row["text"] for row in out.values())
    assert "the prose guard kept 1 repeated lines (5 occurrences)" in result.stderr
    assert "2 recur in at least 4 documents of their group" in result.stderr


def test_the_explanation_gives_the_count(runner, corpus):
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "3", "--explain", str(corpus)])
    assert result.exit_code == 0, result.stderr
    explained = {line.split(": ")[0]: line for line in result.stderr.splitlines() if "corpus.repeated: " in line}
    assert explained[f"{corpus}:1"].startswith(f"{corpus}:1: 5:1: removed corpus.repeated: 'Hear the whole interview")
    assert explained[f"{corpus}:1"].endswith(
        "(recurs in 5 documents of host 'dailyharbour.example' (--corpus-repeats 3))")
    assert "(recurs in 3 documents of host 'valleypost.example'" in explained[f"{corpus}:6"]
    assert f"{corpus}:9" not in explained


def test_a_line_repeated_inside_one_document_counts_once(runner, corpus):
    out = by_id(runner.invoke(cli, ["clean", "--corpus-repeats", "2", str(corpus)]).stdout)
    assert out["cc-1"]["text"].count(PROMO) == 4


def test_group_field_instead_of_the_host(runner, tmp_path):
    records = [{"id": n, "site": "harbour", "text": story(n)} for n in range(3)]
    records.append({"id": 9, "site": "valley", "text": story(9)})
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "3", "--group-field", "site", "--explain", str(path)])
    out = by_id(result.stdout)
    assert [PROMO in out[n]["text"] for n in (0, 1, 2, 9)] == [False, False, False, True]
    assert "recurs in 3 documents of site 'harbour'" in result.stderr
    misspelt = runner.invoke(cli, ["clean", "--corpus-repeats", "3", "--group-field", "sites", str(path)])
    assert misspelt.exit_code == 2 and misspelt.stdout == ""
    assert "cleaner: --group-field sites: no record has a field of that name" in misspelt.stderr


def test_dolma_rows_tag_the_repeated_lines(runner, corpus):
    result = runner.invoke(cli, ["clean", "--format", "dolma", "--corpus-repeats", "4", str(corpus)])
    original = {r["id"]: r["text"] for r in corpus_records()}
    rows = by_id(result.stdout)
    assert PROMO in [original["dh-0"][s:e] for s, e, _ in rows["dh-0"]["attributes"]["cleaner__residue"]]
    assert PROMO not in [original["vp-0"][s:e] for s, e, _ in rows["vp-0"]["attributes"]["cleaner__residue"]]


def test_invariants_hold_with_corpus_repeats():
    records = corpus_records()
    repeated, summary = count_repeats(((r, r["text"]) for r in records), 2)
    assert (summary.documents, summary.repeated, summary.guarded) == (len(records), 2, 2)
    options = Options(corpus_repeats=repeated)
    for record in records:
        result = record_result(record, options)
        check_invariants(record["text"], result)
        assert (PROMO in result.text) == (record["id"] == "cc-1")


def test_stdin_is_refused(runner, corpus):
    result = runner.invoke(cli, ["clean", "--input-format", "jsonl", "--corpus-repeats", "3", "-"],
                           input=corpus.read_bytes())
    assert result.exit_code == 2 and "name its files, not stdin" in result.stderr


def test_a_pipe_named_as_a_file_is_refused(runner, corpus, tmp_path):
    """A FIFO (or ``<(zcat ...)``) is empty on the second pass: all records were lost, or it blocked."""
    import os

    fifo = tmp_path / "more.jsonl"
    os.mkfifo(fifo)
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "3", str(corpus), str(fifo)])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{fifo} is not a regular file (a pipe can be read once)" in result.stderr


def test_a_bad_record_stops_the_counting_pass(runner, corpus, tmp_path):
    corpus.write_text(corpus.read_text() + "{broken\n")
    target = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["clean", "--corpus-repeats", "3", "--output", str(target), str(corpus)])
    assert result.exit_code == 2 and f"{corpus}:10: not JSON" in result.stderr
    assert not target.exists()
    skipped = runner.invoke(cli, ["clean", "--corpus-repeats", "3", "--on-error", "skip", str(corpus)])
    assert skipped.exit_code == 0 and "skipped 1 bad record(s) of 10" in skipped.stderr


def test_lines_are_compared_normalised_and_grouped():
    assert line_key("a.example", "Hear  the WHOLE interview ") == line_key("a.example", "hear the whole interview")
    assert line_key("a.example", "Hear the interview") != line_key("b.example", "Hear the interview")
    assert group_of({"url": "https://News.Example.org/x?y=1"}) == "news.example.org"
    assert group_of({"url": "not a url"}) == group_of({}) == ""
    assert group_of({"site": 7}, "site") == "7"


def test_the_table_grows_and_keeps_its_counts(monkeypatch):
    monkeypatch.setattr(repeats, "FIRST_SLOTS", 16)
    counter = LineCounter()
    keys = [line_key("", f"line number {n}") for n in range(20_000)]
    for round_ in range(3):
        for key in keys[: 5_000 * (round_ + 1)]:
            counter.add(key, False)
    assert counter.table_bytes > 256 * 16 * 8
    repeated, summary = counter.repeated(3)
    assert summary.distinct == 15_000 and summary.repeated == 5_000
    assert repeated.count("line number 0") == 3 and repeated.count("line number 6000") == 0


def test_counts_saturate():
    counter = LineCounter()
    key = line_key("", "Advertisement")
    for _ in range(repeats.MAX_COUNT + 10):
        counter.add(key, False)
    repeated, _ = counter.repeated(2)
    assert repeated.count("advertisement") == repeats.MAX_COUNT
    assert "65535+ documents" in repeated.reason(repeats.MAX_COUNT)


def test_a_full_table_stops_counting_new_lines(monkeypatch):
    monkeypatch.setattr(repeats, "MAX_SLOTS", repeats.FIRST_SLOTS)
    monkeypatch.setattr(repeats, "FULL_SHARD", int(repeats.MAX_LOAD * repeats.FIRST_SLOTS))
    counter = LineCounter()
    for n in range(300_000):
        counter.add(line_key("g", str(n)), False)
    assert counter.table_bytes == 256 * repeats.FIRST_SLOTS * 8
    assert counter.uncounted == 300_000 - sum(counter.used) > 0
    assert "not counted (never removed)" in counter.repeated(2)[1].report(2)


def test_an_empty_table_finds_nothing():
    nothing = RepeatedLines(array("Q"), 3)
    assert nothing.count("anything") == 0 and len(nothing) == 0
