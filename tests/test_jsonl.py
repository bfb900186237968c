"""JSONL corpora in `cleaner clean`: records in and out, compression, errors, Dolma attribute rows."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import pickle
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import zstandard

from cleaner import Options
from cleaner.cli import cli
from cleaner.jsonl import RecordError, clean_record, dolma_row, parse_records, record_result
from cleaner.model import Model
from cleaner.pieces import Removed, Result

from .conftest import check_invariants, nonspace

RECORDS = [
    {
        "id": "harbour-1",
        "url": "https://news.example.org/harbour/ferry",
        "meta": {"lang": "en", "crawl": 7},
        "text": "Share\n\nFerry Service Resumes After Storm\n\n"
                "The harbour ferry ran again on Friday morning, three days after the storm tore a mooring loose.\n\n"
                "Advertisement\n\n"
                "Crews worked through the night to replace the damaged cables, the port authority said.\n\n"
                "Read more: Storm leaves thousands without power\n",
    },
    {
        "id": "harbour-2",
        "url": "https://news.example.org/schools/roof",
        "meta": {"lang": "en", "crawl": 7},
        "text": "School Roof Repairs Finished Early\n\n"
                "Builders finished the new roof of the Northgate primary school two weeks ahead of schedule.\n\n"
                "Pupils will return to their classrooms on Monday, the head teacher wrote to parents.\n\n"
                "Workers lift a steel beam onto the roof of Northgate primary school, left, on Tuesday, May 6, 2025\n",
    },
    {"id": "harbour-3", "url": "https://news.example.org/empty", "text": ""},
]


COMPRESS = {".gz": gzip.compress, ".zst": zstandard.ZstdCompressor().compress, ".bz2": bz2.compress, ".xz": lzma.compress}
DECOMPRESS = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress}


def write_jsonl(path: Path, records: list, raw_lines: tuple[bytes, ...] = ()) -> Path:
    """``records`` (then ``raw_lines`` as they are) as JSONL at ``path``, compressed by its suffix."""
    data = b"".join(json.dumps(r).encode() + b"\n" for r in records) + b"".join(raw_lines)
    path.write_bytes(COMPRESS.get(path.suffix, bytes)(data))
    return path


def read_jsonl(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.suffix == ".zst":
        data = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True).read()
    elif path.suffix in COMPRESS:
        data = DECOMPRESS[path.suffix](data)
    return [json.loads(line) for line in data.decode().splitlines()]


def rows(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def check_spans(original: str, cleaner_field: dict) -> None:
    """Every piece's spans point at its text in the original, whitespace aside."""
    for key in ("paragraphs", "captions", "removed"):
        for piece in cleaner_field[key]:
            covered = "".join(original[start:end] for start, end in piece["spans"])
            assert nonspace(covered) == nonspace(piece["text"]), (key, piece)


def test_records_keep_their_fields_and_get_clean_text(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS)
    result = runner.invoke(cli, ["clean", "--input-format", "jsonl", "--text-field", "text", str(corpus)])
    assert result.exit_code == 0, result.stderr
    out = rows(result.stdout)
    assert [r["id"] for r in out] == ["harbour-1", "harbour-2", "harbour-3"]
    for original, cleaned in zip(RECORDS, out):
        assert set(cleaned) == set(original) | {"cleaner"}
        assert {k: v for k, v in cleaned.items() if k not in ("text", "cleaner")} == \
               {k: v for k, v in original.items() if k != "text"}
        check_spans(original["text"], cleaned["cleaner"])
    first = out[0]
    assert first["text"].startswith("Ferry Service Resumes After Storm\n\n")
    assert "Advertisement" not in first["text"] and "Read more" not in first["text"]
    assert {r["rule"] for r in first["cleaner"]["removed"]} >= {"share.button", "ads.marker"}
    assert out[1]["cleaner"]["captions"][0]["text"].startswith("Workers lift a steel beam")
    assert out[2]["text"] == "" and out[2]["cleaner"]["paragraphs"] == []


def test_cleaned_record_matches_clean_record_and_holds_the_invariants():
    options = Options()
    for record in RECORDS:
        assert clean_record(record, options, "text", "corpus.jsonl", 1)["text"] == \
               record_result(record, options).text
        check_invariants(record["text"], record_result(record, options))


def test_clean_record_refuses_the_field_its_spans_go_in():
    """As the command line refuses --text-field cleaner: the clean text would be lost."""
    with pytest.raises(ValueError, match="text_field 'cleaner': the clean text would be replaced by its spans"):
        clean_record({"cleaner": "Share\n\nThe ferry sailed at noon."}, Options(), "cleaner")


def test_output_dash_is_standard_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records = [{"text": "Share\n\nThe ferry sailed at noon."}]
    corpus = write_jsonl(tmp_path / "c.jsonl", records)
    result = runner.invoke(cli, ["clean", "--output", "-", str(corpus)])
    assert result.exit_code == 0 and json.loads(result.stdout)["text"] == "The ferry sailed at noon."
    assert not (tmp_path / "-").exists()


def test_another_text_field_and_byte_offsets(runner, tmp_path):
    records = [{"body": "Bridge Opens\n\nThe bridge opened to traffic on Sunday – a day early.\n\nShare"}]
    corpus = write_jsonl(tmp_path / "c.ndjson", records)
    result = runner.invoke(cli, ["clean", "--text-field", "body", "--offsets", "bytes", str(corpus)])
    assert result.exit_code == 0, result.stderr
    (out,) = rows(result.stdout)
    assert "Share" not in out["body"]
    raw = records[0]["body"].encode()
    (share,) = [r for r in out["cleaner"]["removed"] if r["rule"] == "share.button"]
    assert raw[share["spans"][0][0]:share["spans"][0][1]] == b"Share"


def test_a_lone_surrogate_escape_in_a_record_is_cleaned_and_written_back_escaped(runner, tmp_path):
    """JSON allows ``\\ud800`` alone; UTF-8 does not. The record is cleaned all the same."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "Share\\n\\nThe ferry \\ud800 resumed service on Monday after the storm."}\n',
                      encoding="utf-8")
    result = runner.invoke(cli, ["clean", "--offsets", "bytes", str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert '"The ferry \\ud800 resumed' in result.stdout  # escaped: the line stays valid UTF-8
    (out,) = rows(result.stdout)
    assert out["text"] == "The ferry \ud800 resumed service on Monday after the storm."
    (paragraph,) = out["cleaner"]["paragraphs"]
    assert paragraph["spans"] == [[7, 7 + len("The ferry ") + 3 + len(" resumed service on Monday after the storm.")]]
    fixed = runner.invoke(cli, ["check", "--fix", str(corpus)])
    assert fixed.exit_code == 1 and json.loads(corpus.read_text(encoding="utf-8"))["text"] == out["text"]


def test_byte_offsets_count_each_kind_of_lone_surrogate_alike_wherever_it_stands(runner, tmp_path):
    """U+DC80-U+DCFF (an undecodable byte kept by surrogateescape): one byte; other surrogates: three."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "\\udcff \\ud800 Hello world.\\nShare this article"}\n'
                      '{"text": "\\udcff Hello world.\\nShare this article"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["clean", "--offsets", "bytes", str(corpus)])
    assert [row["cleaner"]["paragraphs"][0]["spans"] for row in rows(result.stdout)] == [[[0, 18]], [[0, 14]]]


@pytest.mark.parametrize("source_suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".jsonl.xz"])
@pytest.mark.parametrize("target_suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".jsonl.xz"])
def test_compressed_round_trips(runner, tmp_path, source_suffix, target_suffix):
    corpus = write_jsonl(tmp_path / f"corpus{source_suffix}", RECORDS)
    target = tmp_path / f"clean{target_suffix}"
    result = runner.invoke(cli, ["clean", "--output", str(target), str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    out = read_jsonl(target)
    assert [r["id"] for r in out] == [r["id"] for r in RECORDS]
    assert out == rows(runner.invoke(cli, ["clean", "--input-format", "jsonl", str(corpus)]).stdout)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_dir_keeps_names_and_compression(runner, tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl.gz", RECORDS[:1])
    second = write_jsonl(tmp_path / "b.jsonl", RECORDS[1:])
    result = runner.invoke(cli, ["clean", "-o", str(tmp_path / "out"), str(first), str(second)])
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "a.jsonl.gz")] == ["harbour-1"]
    assert [r["id"] for r in read_jsonl(tmp_path / "out" / "b.jsonl")] == ["harbour-2", "harbour-3"]
    again = runner.invoke(cli, ["clean", "-o", str(tmp_path), str(first)])
    assert again.exit_code == 2 and "would overwrite the input" in again.stderr


def test_jsonl_from_stdin(runner):
    data = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
    result = runner.invoke(cli, ["clean", "--input-format", "jsonl", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in rows(result.stdout)] == ["harbour-1", "harbour-2", "harbour-3"]


def test_malformed_record_names_file_and_line_and_writes_nothing(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS[:2], (b'{"id": "broken", "text": "Half a record"\n',))
    target = tmp_path / "clean.jsonl.gz"
    result = runner.invoke(cli, ["clean", "--output", str(target), str(corpus)])
    assert result.exit_code == 2
    # the record cut short is wrong at column 41, where its line ends (not at column 1 of a line past it)
    assert f"{corpus}:3: not JSON: Expecting ',' delimiter (column 41)" in result.stderr
    assert not target.exists()
    target.write_bytes(b"the previous run")
    assert runner.invoke(cli, ["clean", "--output", str(target), str(corpus)]).exit_code == 2
    assert target.read_bytes() == b"the previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.jsonl.gz", "corpus.jsonl"]


def test_record_errors_say_what_is_wrong(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": 1, "body": "x"}, {"id": 2, "text": ["a", "list"]}],
                         (b"[1, 2]\n", b'{"text": "caf\xe9"}\n'))
    result = runner.invoke(cli, ["clean", "--on-error", "skip", str(corpus)])
    assert result.exit_code == 0
    assert f"{corpus}:1: no 'text' field (fields: body, id)" in result.stderr
    assert f"{corpus}:2: field 'text' is an array, not a string" in result.stderr
    assert f"{corpus}:3: a record must be a JSON object, not an array" in result.stderr
    assert f"{corpus}:4: invalid UTF-8 at byte offset 13 of the line" in result.stderr
    replaced = runner.invoke(cli, ["clean", "--on-error", "skip", "--encoding-errors", "replace", str(corpus)])
    assert rows(replaced.stdout) and rows(replaced.stdout)[0]["text"] == "caf\ufffd"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_python_cannot_read_or_nested_too_deep_is_a_record_error(runner, tmp_path, jobs):
    nested = b'{"text": "x", "meta": ' + b"[" * 150 + b"]" * 150 + b"}\n"
    deeper = b'{"text": "x", "meta": ' + b"[" * 2000 + b"]" * 2000 + b"}\n"
    huge_number = b'{"text": "x", "id": ' + b"7" * 5000 + b"}\n"
    not_a_number = b'{"text": "x", "score": NaN}\n'
    too_large = b'{"text": "x", "score": 1e999}\n'
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "Fine."}], (nested, deeper, huge_number, not_a_number, too_large))
    result = runner.invoke(cli, ["clean", "--on-error", "skip", "--jobs", jobs, str(corpus)])
    assert result.exit_code == 0 and [row["text"] for row in rows(result.stdout)] == ["Fine."]
    assert f"{corpus}:2: JSON nested deeper than 100 levels" in result.stderr
    assert f"{corpus}:3: JSON nested deeper than 100 levels" in result.stderr
    assert f"{corpus}:4: not readable JSON: Exceeds the limit (4300 digits)" in result.stderr
    assert f"{corpus}:5: not readable JSON: NaN is not a JSON value" in result.stderr
    assert f"{corpus}:6: not readable JSON: the number 1e999 is too large to be written back" in result.stderr


def test_a_deeply_nested_record_is_refused_before_a_parser_recurses(deep_stack_collections):
    """CI once failed here: the collector ran deep inside ``json`` and its hook failed there."""
    deep = b'{"text": "x", "meta": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"
    outcomes = list(parse_records([deep], "c.jsonl"))
    assert [str(error) for _, error in outcomes] == ["c.jsonl:1: JSON nested deeper than 100 levels"]
    assert deep_stack_collections == []


def test_brackets_inside_strings_do_not_nest():
    text = "[" * 300 + ' a \\" quote and an escaped backslash ' + "{" * 300
    line = json.dumps({"text": text, "meta": [[["three deep"]]]})
    assert [record["text"] for _, record in parse_records([line], "c.jsonl")] == [text]


def test_an_address_without_the_ray_engine_is_refused(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "Fine."}])
    result = runner.invoke(cli, ["clean", "--address", "head:6379", str(corpus)])
    assert result.exit_code == 2 and "--address names a Ray cluster: give --engine ray" in result.stderr


def test_the_text_field_cannot_be_the_field_cleaner_writes(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"cleaner": "Share\n\nThe river rose."}])
    result = runner.invoke(cli, ["clean", "--text-field", "cleaner", str(corpus)])
    assert result.exit_code == 2 and "--text-field cleaner" in result.stderr and result.stdout == ""


def test_a_record_error_survives_pickle():
    """Workers and Ray actors send a bad record's error back pickled: it must arrive whole."""
    error = RecordError("corpus.jsonl", 12, "not JSON: Expecting value (column 1)")
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is RecordError
    assert str(restored) == "corpus.jsonl:12: not JSON: Expecting value (column 1)"
    assert (restored.source, restored.line, restored.message) == ("corpus.jsonl", 12, "not JSON: Expecting value (column 1)")


def test_on_error_skip_counts_the_skipped_records(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS[:1], (b"not json at all\n", b"\n", b'{"id": 9}\n'))
    target = tmp_path / "clean.jsonl"
    result = runner.invoke(cli, ["clean", "--on-error", "skip", "--output", str(target), str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in read_jsonl(target)] == ["harbour-1"]
    assert f"skipped {corpus}:2: not JSON" in result.stderr
    assert f"skipped {corpus}:4: no 'text' field" in result.stderr
    assert "skipped 2 bad record(s) of 3 (--on-error skip)" in result.stderr


def test_a_record_cleaned_before_is_a_bad_record(runner, tmp_path):
    """Its ``cleaner`` field was replaced without a word, the first run's removed pieces lost."""
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS[:1])
    once = tmp_path / "once.jsonl"
    assert runner.invoke(cli, ["clean", "--output", str(once), str(corpus)]).exit_code == 0
    result = runner.invoke(cli, ["clean", str(once)])
    assert result.exit_code == 2 and f"{once}:1: a 'cleaner' field already" in result.stderr
    with pytest.raises(RecordError, match="a 'cleaner' field already"):
        clean_record(read_jsonl(once)[0], Options())
    dolma = runner.invoke(cli, ["clean", "--format", "dolma", str(once)])  # a Dolma row writes no such field
    assert dolma.exit_code == 0


def test_a_record_too_large_for_memory_is_named(runner, tmp_path, monkeypatch):
    """A MemoryError came out as a bare traceback, the record not named."""
    from cleaner.jsonl import CorpusSettings

    def out_of_memory(self, record, options, source, line):
        if record["id"] == "harbour-2":
            raise MemoryError
        return convert(self, record, options, source, line)

    convert = CorpusSettings.convert
    monkeypatch.setattr(CorpusSettings, "convert", out_of_memory)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS)
    result = runner.invoke(cli, ["clean", "--on-error", "skip", str(corpus)])
    assert result.exit_code == 0 and [r["id"] for r in rows(result.stdout)] == ["harbour-1", "harbour-3"]
    assert f"{corpus}:2: out of memory while cleaning its text of" in result.stderr


def test_clean_record_refuses_options_given_as_a_dict():
    """An AttributeError ('dict' object has no attribute 'corpus_repeats') said nothing useful."""
    with pytest.raises(TypeError, match="options must be an Options"):
        clean_record(RECORDS[0], {"captions": "drop"})


def test_a_missing_file_is_an_input_error(runner, tmp_path):
    result = runner.invoke(cli, ["clean", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "absent.jsonl: cannot read: No such file or directory" in result.stderr


@pytest.mark.parametrize("suffix", [".gz", ".zst", ".bz2", ".xz"])
def test_a_file_cut_short_is_an_error_naming_it(runner, tmp_path, suffix):
    corpus = write_jsonl(tmp_path / f"corpus.jsonl{suffix}", RECORDS * 50)
    corpus.write_bytes(corpus.read_bytes()[:-40])
    result = runner.invoke(cli, ["clean", "--on-error", "skip", str(corpus)])
    assert result.exit_code == 2
    assert f"{corpus}:" in result.stderr and "cannot read" in result.stderr


@pytest.mark.parametrize("command", ["clean", "check"])
@pytest.mark.parametrize("suffix, error", [(".gz", zlib.error), (".xz", lzma.LZMAError)])
def test_a_file_corrupt_inside_is_an_error_naming_it(runner, tmp_path, command, suffix, error):
    """zlib's and lzma's own errors (not OSErrors) came out as a traceback and exit 1, which
    ``check`` and pre-commit read as findings."""
    corpus = write_jsonl(tmp_path / f"corpus.jsonl{suffix}", RECORDS * 50)
    data = bytearray(corpus.read_bytes())
    data[len(data) // 3] ^= 0xFF  # a byte of the compressed stream flipped ("invalid distance too far back")
    corpus.write_bytes(bytes(data))
    with pytest.raises(error):
        DECOMPRESS[suffix](bytes(data))
    result = runner.invoke(cli, [command, str(corpus)])
    assert result.exit_code == 2
    assert f"{corpus}:" in result.stderr and "cannot read" in result.stderr


def test_zstd_files_of_many_frames_are_read_to_the_end(runner, tmp_path):
    data = "".join(json.dumps(r) + "\n" for r in RECORDS * 20).encode()
    corpus = tmp_path / "corpus.jsonl.zst"
    corpus.write_bytes(b"".join(zstandard.ZstdCompressor().compress(data[i:i + 500]) for i in range(0, len(data), 500)))
    result = runner.invoke(cli, ["clean", str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert len(rows(result.stdout)) == 60


def test_explain_names_file_record_and_place(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS[:1])
    result = runner.invoke(cli, ["clean", "--explain", str(corpus)])
    assert f"{corpus}:1: 1:1: removed share.button: 'Share'" in result.stderr


def test_usage_errors(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", RECORDS)
    article = tmp_path / "article.txt"
    article.write_text(RECORDS[0]["text"])
    cases = [
        (["--format", "dolma", str(article)], "--format dolma is for JSONL input"),
        (["--output", str(tmp_path / "x.jsonl"), str(article)], "--output is for JSONL input"),
        # these were passed over in silence for a text input, where the others above are refused
        (["--text-field", "body", str(article)], "--text-field is for JSONL input"),
        (["--id-field", "doc", str(article)], "--id-field is for JSONL input"),
        (["--on-error", "skip", str(article)], "--on-error is for JSONL input"),
        (["--group-field", "site", str(article)], "--group-field is for JSONL input"),
        (["--format", "dolma", "--offsets", "bytes", str(corpus)], "character offsets"),
        (["--output", str(tmp_path / "x.jsonl"), "-o", str(tmp_path / "d"), str(corpus)], "not both"),
        (["--output", str(corpus), str(corpus)], "would overwrite an input"),
        ([str(corpus), str(article)], "JSONL and other inputs"),
    ]
    for args, message in cases:
        result = runner.invoke(cli, ["clean", *args])
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)


def test_dolma_rows(runner, tmp_path):
    corpus = write_jsonl(tmp_path / "documents.jsonl.gz", RECORDS)
    result = runner.invoke(cli, ["clean", "--format", "dolma", str(corpus)])
    assert result.exit_code == 0, result.stderr
    out = rows(result.stdout)
    assert [row["id"] for row in out] == [r["id"] for r in RECORDS]
    for record, row in zip(RECORDS, out):
        assert set(row) == {"id", "attributes"}
        assert set(row["attributes"]) == {"cleaner__residue", "cleaner__caption"}
        for spans in row["attributes"].values():
            assert spans == sorted(spans)
            assert all(len(span) == 3 and 0 <= span[0] < span[1] <= len(record["text"]) for span in spans)
    residue = [RECORDS[0]["text"][start:end] for start, end, _ in out[0]["attributes"]["cleaner__residue"]]
    assert residue == ["Share", "Advertisement", "Read more: Storm leaves thousands without power"]
    assert {score for _, _, score in out[0]["attributes"]["cleaner__residue"]} == {1.0}
    ((start, end, score),) = out[1]["attributes"]["cleaner__caption"]
    assert RECORDS[1]["text"][start:end].startswith("Workers lift a steel beam") and score == 1.0
    assert out[2]["attributes"] == {"cleaner__residue": [], "cleaner__caption": []}


def test_dolma_rows_need_an_id(runner, tmp_path):
    records = [{"doc": "d-1", "text": "Share\n\nBody text of the story."}, {"text": "No id here."}]
    corpus = write_jsonl(tmp_path / "documents.jsonl", records)
    result = runner.invoke(cli, ["clean", "--format", "dolma", str(corpus)])
    assert result.exit_code == 2
    assert f"{corpus}:1: no 'id' field: a Dolma row names its document by id" in result.stderr
    by_doc = runner.invoke(cli, ["clean", "--format", "dolma", "--id-field", "doc", "--on-error", "skip", str(corpus)])
    assert [row["id"] for row in rows(by_doc.stdout)] == ["d-1"]
    assert "skipped 1 bad record(s) of 2" in by_doc.stderr


def test_a_dolma_id_is_a_string_or_a_whole_number(runner, tmp_path):
    ids = ["d-1", 7, ["d", 1], False, "", 1.5, None]
    corpus = write_jsonl(tmp_path / "documents.jsonl", [{"id": value, "text": "Share\n\nBody."} for value in ids])
    result = runner.invoke(cli, ["clean", "--format", "dolma", "--on-error", "skip", str(corpus)])
    assert [row["id"] for row in rows(result.stdout)] == ["d-1", 7]
    for line, kind in ((3, "an array"), (4, "a boolean"), (5, "empty"), (6, "a number with a decimal point or an exponent"), (7, "null")):
        assert f"{corpus}:{line}: field 'id' is {kind}: a document's id is a string or a whole number" in result.stderr


def test_dolma_scores_of_the_learned_model(runner, tmp_path):
    """A model that scores every block 0.9933 removes the blocks it may, and the rows carry its score.
    (It knows every word, with no weight, so no line is left as one in a language it never saw.)"""
    model = tmp_path / "eager.json"
    known = {f"w:{word}": 0.0 for word in re.findall(r"\w+", RECORDS[0]["text"].lower())}
    model.write_text(json.dumps(Model(known, 5.0, 0.5, 1.0).to_dict()))
    corpus = write_jsonl(tmp_path / "documents.jsonl", RECORDS[:1])
    result = runner.invoke(cli, ["clean", "--format", "dolma", "--model", str(model), "--no-config", str(corpus)])
    assert result.exit_code == 0, result.stderr
    residue = rows(result.stdout)[0]["attributes"]["cleaner__residue"]
    assert 0.9933 in {score for _, _, score in residue}
    assert 1.0 in {score for _, _, score in residue}


def test_dolma_row_leaves_repairs_out():
    text = "The storm dam-\naged the pier."
    result = Result("", [], [], [Removed("rejoin.hyphen", "-", [[13, 14]]), Removed("model", "x", [[0, 3]], "", 0.91234)],
                    text)
    assert dolma_row("d", result) == {"id": "d", "attributes": {"cleaner__residue": [[0, 3, 0.9123]],
                                                                "cleaner__caption": []}}


def test_parse_records_takes_text_or_bytes():
    lines = ['{"a": 1}\n', b'{"b": 2}\n', "  \n", b"{oops\n"]
    parsed = list(parse_records(lines, "x.jsonl"))
    assert parsed[:2] == [(1, {"a": 1}), (2, {"b": 2})]
    assert parsed[2][0] == 4 and str(parsed[2][1]).startswith("x.jsonl:4: not JSON")


def _cleaner() -> list[str]:
    found = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-c", "from cleaner.cli import main; main()"]


def test_installed_command_streams_a_compressed_corpus(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl.gz", RECORDS)
    target = tmp_path / "clean.jsonl.zst"
    run = subprocess.run(_cleaner() + ["clean", "--input-format", "jsonl", "--text-field", "text",
                                       "--output", str(target), str(corpus)], capture_output=True)
    assert run.returncode == 0, run.stderr
    out = read_jsonl(target)
    assert [r["id"] for r in out] == [r["id"] for r in RECORDS]
    check_spans(RECORDS[0]["text"], out[0]["cleaner"])
    piped = subprocess.run(_cleaner() + ["clean", "--format", "dolma", str(corpus)], capture_output=True, check=True)
    assert [row["id"] for row in rows(piped.stdout.decode())] == [r["id"] for r in RECORDS]


def test_a_byte_order_mark_is_named_with_the_way_to_remove_it():
    [(line, error)] = list(parse_records(['\ufeff{"text": "A"}'], "corpus.jsonl"))
    assert line == 1 and isinstance(error, RecordError)
    assert "starts with a UTF-8 byte order mark" in str(error) and "sed -i" in str(error) and "utf-8-sig" not in str(error)
