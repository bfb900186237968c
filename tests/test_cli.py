"""The command line, through click's CliRunner, plus a few runs of the installed command."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.cli import cli

ARTICLE = (
    "Share\n\nLevee Holds as River Crests\n\n"
    "The river crested at nine metres on Monday, officials said. Volunteers filled sandbags along the\n\n"
    "Advertisement\n\n"
    "embankment until dawn.\n\n"
    "Shares of the local utility fell 2% on the news.\n\n"
    "Mayor Ana Ruiz, left, and engineer Tom Berg inspect the levee on Tuesday, May 6, 2025 in Riverton\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_clean_file_prints_clean_text(runner, article):
    result = runner.invoke(cli, ["clean", str(article)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Levee Holds as River Crests\n\n")
    assert "Share\n" not in result.stdout and "Advertisement" not in result.stdout
    assert "Volunteers filled sandbags along the embankment until dawn." in result.stdout
    assert "Shares of the local utility fell 2% on the news." in result.stdout
    assert "Mayor Ana Ruiz" not in result.stdout


def test_clean_reads_stdin(runner):
    result = runner.invoke(cli, ["clean", "-"], input=ARTICLE.encode())
    assert result.exit_code == 0
    assert "embankment until dawn." in result.stdout
    assert runner.invoke(cli, ["clean"], input=ARTICLE.encode()).stdout == result.stdout


def test_json_has_the_schema_and_spans(runner, article):
    result = runner.invoke(cli, ["clean", "--format", "json", str(article)])
    doc = json.loads(result.stdout)
    assert set(doc) == {"text", "paragraphs", "captions", "removed"}
    assert doc["paragraphs"][0]["kind"] == "title"
    assert [r["rule"] for r in doc["removed"]] == ["share.button", "ads.marker"]
    assert doc["captions"][0]["text"].startswith("Mayor Ana Ruiz")
    for piece in doc["paragraphs"] + doc["captions"] + doc["removed"]:
        covered = "".join(ARTICLE[start:end] for start, end in piece["spans"])
        assert "".join(covered.split()) == "".join(piece["text"].split())


def test_byte_offsets(runner, tmp_path):
    text = "Teilen\n\nDie Brücke über den Fluss wurde am Montag gesperrt.\n"
    path = tmp_path / "de.txt"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(runner.invoke(cli, ["clean", "--format", "json", "--offsets", "bytes", str(path)]).stdout)
    data = text.encode()
    start, end = doc["paragraphs"][0]["spans"][0]
    assert data[start:end].decode() == "Die Brücke über den Fluss wurde am Montag gesperrt."


def test_explain_names_rules_on_stderr(runner, article):
    result = runner.invoke(cli, ["clean", "--explain", str(article)])
    assert result.exit_code == 0
    assert f"{article}:1:1: removed share.button: 'Share'" in result.stderr
    assert "removed ads.marker: 'Advertisement'" in result.stderr
    assert "caption caption.positional" in result.stderr
    assert "joined rejoin.split" in result.stderr
    assert "Advertisement" not in result.stdout


def test_caption_modes_and_no_title(runner, article):
    inline = runner.invoke(cli, ["clean", "--captions", "inline", str(article)]).stdout
    assert inline.rstrip().endswith("in Riverton")
    dropped = json.loads(runner.invoke(cli, ["clean", "--captions", "drop", "--format", "json", str(article)]).stdout)
    assert dropped["captions"] == [] and dropped["removed"][-1]["rule"] == "caption.positional"
    untitled = runner.invoke(cli, ["clean", "--no-title", str(article)]).stdout
    assert untitled.startswith("The river crested")


def test_disable_a_rule(runner, article):
    result = runner.invoke(cli, ["clean", "--disable", "share", "--no-model", str(article)])
    assert result.stdout.startswith("Share\n")


@pytest.mark.parametrize("option, value, problem", [
    ("--disable", "shares", "unknown rule or family 'shares'"),
    ("--lang", "xx", "unknown language 'xx' (known: ar, cs, de, el, en, es, fr, he, id, it, ja, ko, nl, pl, pt, ru, sv, tr, zh)"),
])
def test_a_misspelt_rule_or_language_is_an_error_not_a_silent_no_op(runner, article, option, value, problem):
    for command in ("clean", "check"):
        result = runner.invoke(cli, [command, option, value, str(article)])
        assert result.exit_code == 2 and problem in result.output and result.stdout == "", command
    if option == "--lang":
        assert runner.invoke(cli, ["rules", option, value]).exit_code == 2


def test_empty_input_gives_empty_output(runner, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(cli, ["clean", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_invalid_utf8_names_file_and_offset(runner, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Fine line\nbad \xff byte\n")
    result = runner.invoke(cli, ["clean", str(path)])
    assert result.exit_code == 2
    assert f"{path}: invalid UTF-8 at byte offset 14 (line 2)" in result.stderr
    replaced = runner.invoke(cli, ["clean", "--encoding-errors", "replace", str(path)])
    assert replaced.exit_code == 0 and "bad \ufffd byte" in replaced.stdout


@pytest.mark.parametrize("data, message", [
    (b"Title\r\rFirst line.\r\rAdvert\xffisement\r", "invalid UTF-8 at byte offset 26 (line 5)"),  # lines end at "\r"
    (b"Title\r\r\nBad \xff", "invalid UTF-8 at byte offset 12 (line 2)"),  # "\r\r\n": one line end
    ("Quay news\n".encode("utf-16"), "UTF-16 text (it opens with a byte order mark); cleaner reads UTF-8 text: "
                                      "convert it first (iconv -f UTF-16 -t UTF-8)"),
    ("Quay news\n".encode("utf-32"), "UTF-32 text (it opens with a byte order mark)"),
])
def test_undecodable_input_names_its_line_and_what_it_is(runner, tmp_path, data, message):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    result = runner.invoke(cli, ["clean", str(path)])
    assert result.exit_code == 2 and f"cleaner: {path}: {message}" in result.stderr
    piped = runner.invoke(cli, ["clean", "-"], input=data)
    assert piped.exit_code == 2 and f"cleaner: standard input: {message}" in piped.stderr


def test_replaced_bytes_keep_byte_offsets_exact(runner, tmp_path):
    """Each byte that is not UTF-8 is one U+FFFD in the text and one byte in ``--offsets bytes``."""
    raw = "Café Reopens\n\nAdvertisement\n\nThe café by the pier opened on Monday, its owner said.\n".encode("latin-1")
    raw = raw.replace(b"The", b"\xe2\x82The")  # a truncated sequence: two bytes, two U+FFFD
    path = tmp_path / "latin1.txt"
    path.write_bytes(raw)
    result = runner.invoke(cli, ["clean", "--encoding-errors", "replace", "--format", "json", "--offsets", "bytes",
                                 str(path)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    pieces = doc["paragraphs"] + doc["removed"]
    assert [p["text"] for p in pieces] == ["Caf\ufffd Reopens", "\ufffd\ufffdThe caf\ufffd by the pier opened on Monday, "
                                           "its owner said.", "Advertisement"]
    for piece in pieces:
        (start, end), = piece["spans"]
        each_byte_replaced = "".join(char if char < "\udc80" or char > "\udcff" else "\ufffd"
                                     for char in raw[start:end].decode("utf-8", "surrogateescape"))
        assert each_byte_replaced == piece["text"]


def test_binary_input_is_refused(runner, tmp_path):
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    result = runner.invoke(cli, ["clean", str(path)])
    assert result.exit_code == 2
    assert "binary input (NUL byte at byte offset 8)" in result.stderr


def test_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["clean", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "nope.txt: cannot read" in result.stderr


def test_several_files_as_json_lines_with_source(runner, article, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Advertisement\n\nA short note on the weather.\n", encoding="utf-8")
    result = runner.invoke(cli, ["clean", "--format", "json", str(article), str(other)])
    lines = result.stdout.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(article), str(other)]


def test_bad_file_among_good_ones_is_reported_and_the_rest_cleaned(runner, article, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    result = runner.invoke(cli, ["clean", str(bad), str(article)])
    assert result.exit_code == 2 and "bad.txt: invalid UTF-8" in result.stderr
    assert "Levee Holds" in result.stdout


def test_output_dir_writes_each_file_and_never_over_its_input(runner, article, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["clean", "-o", str(out), str(article)])
    assert result.exit_code == 0 and result.stdout == ""
    assert (out / "article.txt").read_text(encoding="utf-8").startswith("Levee Holds")
    assert article.read_text(encoding="utf-8") == ARTICLE
    refused = runner.invoke(cli, ["clean", "-o", str(tmp_path), str(article)])
    assert refused.exit_code == 2 and "would overwrite the input" in refused.stderr
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_full_disk_is_an_error_naming_the_file_and_leaves_nothing_half_written(runner, article, tmp_path, full_disk):
    out = tmp_path / "out"
    (out).mkdir()
    (out / "article.txt").write_text("an earlier result\n", encoding="utf-8")
    result = runner.invoke(cli, ["clean", "-o", str(out), str(article)])
    assert result.exit_code == 2
    assert result.stderr == f"cleaner: {out / 'article.txt'}: cannot write: No space left on device\n"
    assert (out / "article.txt").read_text(encoding="utf-8") == "an earlier result\n"
    assert sorted(path.name for path in out.iterdir()) == ["article.txt"]  # no temporary file left


def test_only_the_writes_of_a_replaced_file_are_reported_as_writes(tmp_path, monkeypatch):
    """An error of the block's own (reading its input) stays what it is; a failed write names the file."""
    import errno
    import io

    import cleaner.io
    from cleaner.io import OutputError, replacing

    path = tmp_path / "out.jsonl"
    with pytest.raises(OSError) as caught, replacing(path):
        raise OSError(errno.EIO, "the input's disk failed")
    assert not isinstance(caught.value, OutputError)

    class FullDisk(io.BytesIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def open_on_a_full_disk(fd, mode):
        os.close(fd)
        return FullDisk()

    monkeypatch.setattr(cleaner.io.os, "fdopen", open_on_a_full_disk)
    with pytest.raises(OutputError, match="out.jsonl: cannot write: No space left on device"):
        with replacing(path) as handle:
            handle.write(b"a row\n")
    assert list(tmp_path.iterdir()) == []


def test_output_in_a_file_instead_of_a_folder_is_an_error(runner, article, tmp_path):
    result = runner.invoke(cli, ["clean", "-o", str(article / "out"), str(article)])
    assert result.exit_code == 2 and "cannot make the folder" in result.stderr and "Traceback" not in result.stderr
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["clean", "--output", str(article / "clean.jsonl"), str(records)])
    assert result.exit_code == 2 and result.stderr == f"cleaner: {article}: cannot write in it: not a folder\n"


def test_an_output_that_is_a_named_pipe_is_written_to_not_replaced(runner, tmp_path):
    """Renaming a file over a FIFO (or, as root, over /dev/null) would take it away from every other program."""
    import threading

    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    fifo = tmp_path / "clean.jsonl"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(cli, ["clean", "--output", str(fifo), str(records)])
    reader.join(timeout=30)
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["text"] == clean(ARTICLE).text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can make a device node")
def test_an_output_that_is_a_device_stays_a_device(runner, tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    assert runner.invoke(cli, ["clean", "--output", str(null), str(records)]).exit_code == 0
    failed = runner.invoke(cli, ["clean", "--output", str(full), str(records)])
    assert (failed.exit_code, failed.stderr) == (2, f"cleaner: {full}: cannot write: No space left on device\n")
    assert all(stat.S_ISCHR(device.stat().st_mode) for device in (null, full))


def test_output_dir_never_writes_over_another_input(runner, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "a.txt.json"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["clean", "--format", "json", "-o", str(tmp_path), str(first), str(second)])
    assert result.exit_code == 2 and f"would overwrite the input {second}" in result.stderr
    assert second.read_text(encoding="utf-8") == ARTICLE


def test_standard_input_is_named_once(runner):
    result = runner.invoke(cli, ["clean", "-", "-"], input="Some text.\n")
    assert result.exit_code == 2 and "standard input ('-') can be read once" in result.stderr


def test_jobs_has_a_ceiling(runner, article):
    result = runner.invoke(cli, ["clean", "--jobs", "100000000000", str(article)])
    assert result.exit_code == 2 and "0<=x<=256" in result.stderr


def test_rules_lists_ids(runner):
    result = runner.invoke(cli, ["rules", "--lang", "de"])
    assert result.exit_code == 0 and "ads.marker" in result.stdout
    markup = [line.split()[:2] for line in result.stdout.splitlines() if line.startswith("markup.")]
    assert ["markup.cta", "markup"] in markup and ["markup.outside_short", "markup"] in markup
    model = [line.split()[:2] for line in result.stdout.splitlines() if line.startswith("model")]
    assert model == [["model", "model"], ["model.comments", "model"]]
    engine = [line.split()[:2] for line in result.stdout.splitlines() if line.startswith("document.")]
    assert engine == [["document.repeated", "engine"], ["document.sibling_links", "engine"]]


def test_every_listed_rule_can_be_disabled(runner):
    """A misspelt --disable points at 'cleaner rules': every name it lists is one --disable takes."""
    from cleaner.config import known_rule_names

    listed = {line.split()[0] for line in runner.invoke(cli, ["rules"]).stdout.splitlines()}
    assert listed <= known_rule_names() and {"model", "model.comments", "document.repeated", "document.sibling_links"} <= listed


# Real runs of the installed command.

def _cleaner() -> list[str]:
    found = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-c", "from cleaner.cli import main; main()"]


def test_installed_command_in_a_pipe(article):
    out = subprocess.run(_cleaner() + ["clean", "-"], input=ARTICLE.encode(), capture_output=True, check=True)
    assert out.stdout.decode().startswith("Levee Holds as River Crests")


def test_closed_pipe_ends_quietly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(("A paragraph of the article that goes on for a while, as they do.\n\n" * 100000), encoding="utf-8")
    shell = f"{' '.join(_cleaner())} clean {big} | head -n 1"
    out = subprocess.run(["bash", "-c", shell], capture_output=True, env=os.environ | {"PYTHONWARNINGS": "ignore"})
    assert out.stdout.decode().startswith("A paragraph")
    assert b"Traceback" not in out.stderr and b"BrokenPipe" not in out.stderr


def test_installed_command_interrupted_exits_130(tmp_path):
    """Ctrl-C is not exit 1, which ``cleaner check`` and pre-commit read as "findings"."""
    import signal

    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    process = subprocess.Popen(_cleaner() + ["clean", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb"):  # returns once cleaner has opened it: it is inside the command, reading
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (130, b"", b"cleaner: interrupted\n")


@pytest.mark.parametrize("stop, code, said", [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")])
def test_installed_command_stopped_while_writing_leaves_no_file(tmp_path, stop, code, said):
    """The output being written (here a JSONL file, record by record) is removed, not left in part."""
    import signal

    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    process = subprocess.Popen(_cleaner() + ["clean", "--output", str(tmp_path / "out.jsonl"), str(fifo)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(fifo, "wb") as feed:
        feed.write((json.dumps({"text": ARTICLE}) + "\n").encode() * 50)
        feed.flush()
        for _ in range(600):  # until the output being written is there (at most a minute)
            if len(list(tmp_path.iterdir())) > 1:
                break
            time.sleep(0.1)
        assert len(list(tmp_path.iterdir())) == 2, "cleaner began no output"
        process.send_signal(getattr(signal, stop))
        stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (code, f"cleaner: {said}\n".encode())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["records.jsonl"]


def test_installed_command_exit_code_on_bad_input(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xc3\x28")
    out = subprocess.run(_cleaner() + ["clean", str(path)], capture_output=True)
    assert out.returncode == 2 and b"invalid UTF-8 at byte offset 0" in out.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full (Linux)")
@pytest.mark.parametrize("name, text", [("article.txt", ARTICLE), ("records.jsonl", json.dumps({"text": ARTICLE}) + "\n")])
def test_installed_command_on_a_full_standard_output(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        out = subprocess.run(_cleaner() + ["clean", str(path)], stdout=full, stderr=subprocess.PIPE)
    assert out.returncode == 2
    assert out.stderr.decode() == "cleaner: standard output: cannot write: No space left on device\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full (Linux)")
@pytest.mark.parametrize("args", [["rules"], ["--help"], ["--version"], ["clean", "--help"]])
def test_installed_command_writing_help_or_rules_to_a_full_disk(args):
    with open("/dev/full", "wb") as full:
        out = subprocess.run(_cleaner() + args, stdout=full, stderr=subprocess.PIPE)
    assert out.returncode == 2 and b"No space left on device" in out.stderr and b"Traceback" not in out.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full (Linux)")
def test_installed_command_explaining_to_a_full_standard_error(article):
    """Where the error cannot be told (standard error is what failed), the exit code still says it."""
    with open("/dev/full", "wb") as full:
        out = subprocess.run(_cleaner() + ["clean", "--explain", str(article)], stdout=subprocess.DEVNULL, stderr=full)
    assert out.returncode == 2


@pytest.mark.parametrize("command, message", [
    ("clean {article} >&-", "cleaner: standard output: cannot write: the stream is closed\n"),
    ("check {article} >&-", "cleaner: standard output: cannot write: the stream is closed\n"),
    ("clean - <&-", "cleaner: standard input: cannot read: the stream is closed\n"),
])
def test_installed_command_with_a_closed_standard_stream(article, command, message):
    """The shell closed standard output (``>&-``) or input (``<&-``): the command says so, exit 2."""
    shell = f"{' '.join(_cleaner())} {command.format(article=article)}"
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert (out.returncode, out.stderr) == (2, message)


def test_installed_command_asked_for_more_workers_than_open_files_allow(article):
    """With ``ulimit -n 40`` a pool of 100 workers would fail while it starts and leave them hanging."""
    shell = f"ulimit -n 40 && {' '.join(_cleaner())} clean --jobs 100 {article} {article}"
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == ("cleaner: 100 worker processes need about 224 open files, over this process's limit "
                          "of 40 (ask for fewer --jobs, or raise 'ulimit -n')\n")


HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"


def test_html_file_is_detected_and_spans_point_into_the_page(runner):
    page = HTML_FIXTURES / "03_inline_ad_split.html"
    result = runner.invoke(cli, ["clean", "--format", "json", "--offsets", "bytes", str(page)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    raw = page.read_bytes()
    import html as html_module

    for piece in doc["paragraphs"]:
        covered = "".join(html_module.unescape(raw[a:b].decode("utf-8")) for a, b in piece["spans"])
        assert "".join(covered.split()) == "".join(piece["text"].split())


def test_a_jsonl_corpus_piped_in_as_text_is_cleaned_with_a_warning(runner, tmp_path):
    """Cleaned as text, a corpus's records were taken for lines of one article (the model removed
    most of them) without a word."""
    corpus = "".join(json.dumps({"id": n, "text": f"Share\n\nThe ferry sailed at {n} o'clock."}) + "\n" for n in range(4))
    piped = runner.invoke(cli, ["clean"], input=corpus)
    assert piped.exit_code == 0
    assert "standard input: every line looks like a JSON object" in piped.stderr and "--input-format jsonl" in piped.stderr
    named = tmp_path / "notes.txt"  # a file named as text is text, whatever it holds
    named.write_text(corpus, encoding="utf-8")
    assert "JSON object" not in runner.invoke(cli, ["clean", str(named)]).stderr
    assert runner.invoke(cli, ["clean"], input="A line with {braces} in it.\n").stderr == ""


def test_html_on_stdin_is_sniffed(runner):
    page = (HTML_FIXTURES / "01_ads_share_bar.html").read_bytes()
    sniffed = runner.invoke(cli, ["clean", "-"], input=page)
    forced = runner.invoke(cli, ["clean", "--input-format", "html", "-"], input=page)
    assert sniffed.exit_code == 0 and sniffed.stdout == forced.stdout and "<" not in sniffed.stdout


TAG_TUTORIAL = ("Share\n\nYour First Web Page\n\nA page opens with <!DOCTYPE html> and an <html> element: the <head> "
                "holds its title, the <body> what readers see, each paragraph in a <p>.\n\nAdvertisement\n\n"
                "Save it as index.html and open it in a browser.\n")


def test_an_article_that_quotes_tags_is_text_on_stdin_and_in_any_file(runner, tmp_path):
    """Only input that opens with markup is sniffed as HTML: a tutorial quoting tags must not go to
    trafilatura, which finds no article in it and would leave an empty output."""
    kept = "A page opens with <!DOCTYPE html> and an <html> element"
    for name in ("tutorial", "tutorial.dat"):
        (tmp_path / name).write_text(TAG_TUTORIAL, encoding="utf-8")
        result = runner.invoke(cli, ["clean", str(tmp_path / name)])
        assert result.exit_code == 0 and result.stderr == ""
        assert kept in result.stdout and "Advertisement" not in result.stdout
    assert kept in runner.invoke(cli, ["clean", "-"], input=TAG_TUTORIAL).stdout


def test_a_txt_file_is_text_even_when_it_opens_with_markup(runner, tmp_path):
    path = tmp_path / "snippet.txt"
    path.write_text("<p>Tags</p> <b>shown</b> <i>as written</i>\n\nAn article about markup.\n", encoding="utf-8")
    result = runner.invoke(cli, ["clean", str(path)])
    assert result.exit_code == 0 and result.stdout.startswith("<p>Tags</p> <b>shown</b>")


def test_empty_html_page_is_an_input_error(runner, tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    result = runner.invoke(cli, ["clean", str(page)])
    assert result.exit_code == 2 and "empty.html" in result.stderr


def test_page_without_article_warns_and_prints_nothing(runner, tmp_path):
    page = tmp_path / "nav.html"
    page.write_text("<html><head></head><body><script>var shown = 1;</script><div></div></body></html>")
    result = runner.invoke(cli, ["clean", str(page)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "cleaner: warning:" in result.stderr and "nav.html" in result.stderr


def test_installed_command_cleans_an_html_page():
    page = HTML_FIXTURES / "02_figure_captions.html"
    out = subprocess.run(_cleaner() + ["clean", str(page)], capture_output=True, check=True)
    assert out.stdout.strip() and b"<" not in out.stdout
