"""``cleaner check``: what cleaning would change in text and JSONL files, as findings; ``--fix`` applies it.

A finding is a removed piece, a caption that leaves the text, or a seam where a
paragraph would be rejoined, printed as ``PATH:LINE:COL: RULE: MESSAGE``. In a
JSONL file LINE is the record's line and COL is 1 + the offset (in code points)
inside the record's text field. ``--fix`` writes the text back with what the findings
name changed and the rest as it was written (``edited_text``; for JSONL: into the text
field of each record with findings, every other byte of the file kept), through a
temporary file and a rename.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import BYTE_ORDER_MARK, LINE_BREAK
from .io import (CONVERT_ADVICE, InputError, OutputError, decode, has_lone_surrogates, is_jsonl, is_stream, read_source,
                 replacing, write_atomically)
from .jsonl import RecordError, compressing, parse_records, read_lines, record_text
from .options import Options
from .pieces import CODE_JOIN, JOIN_REASONS, LineIndex, Paragraph, Result, _quote

#: The text files a folder given to ``check`` is searched for, beside JSONL files (hidden files
#: and folders are skipped).
TEXT_SUFFIX = ".txt"
#: A line break between two lines of one paragraph, with the whitespace around it.
_LINE_BREAK = re.compile(r"[^\S\r\n]*(?:\r*\n|\r)\s*")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing cleaning would change: where (``LINE:COL``), the rule, and what."""

    where: str
    rule: str
    message: str


@dataclass(slots=True)
class Outcome:
    """What checking one file gave: its findings, its errors, and whether ``--fix`` rewrote it."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: bool = False

    def lines(self) -> list[str]:
        return [f"{self.path}:{f.where}: {f.rule}: {f.message}" for f in self.findings]


def files_to_check(paths: list[Path]) -> tuple[list[Path], list[Outcome]]:
    """The files named, and under each folder named its text and JSONL files (``checked``), sorted;
    and an error for each folder that could not be read (its files go unchecked: exit 2)."""
    files, unread = [], []

    def cannot_read(error: OSError) -> None:
        unread.append(Outcome(error.filename, errors=[f"{error.filename}: cannot read: {error.strerror or error}"]))

    for path in paths:
        try:
            folder = path.is_dir()
        except OSError:  # a file in a folder we may not search: reading it names the error
            folder = False
        if not folder:
            files.append(path)
            continue
        for folder, subfolders, names in os.walk(path, onerror=cannot_read):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            files += [Path(folder, name) for name in sorted(names)  # not a pipe: reading it would wait forever
                      if not name.startswith(".") and checked(name) and not is_stream(Path(folder, name))]
    return files, unread


def checked(name: str) -> bool:
    """Whether a file of this name in a folder given to ``check`` is checked: text (``.txt``) or
    JSONL (``.jsonl``, ``.ndjson``, plain or compressed), in any case."""
    return name.lower().endswith(TEXT_SUFFIX) or is_jsonl(name)


def check_files(files: list[Path], options_of: Mapping[str, Options], fix: bool = False,
                text_field: str = "text") -> Iterator[Outcome]:
    """Check (and with ``fix``, rewrite) each file: a ``.jsonl`` file record by record, others as text."""
    for path in files:
        options = options_of[str(path)]
        try:
            if is_jsonl(path.name):
                yield check_jsonl(path, options, fix, text_field)
            else:
                yield check_text(path, options, fix)
        except (InputError, OutputError) as exc:  # the other files are still checked
            yield Outcome(str(path), errors=[str(exc)])


def exit_code(outcomes: list[Outcome]) -> int:
    """2 when a file could not be checked, 1 when anything was found (or fixed), else 0."""
    if any(outcome.errors for outcome in outcomes):
        return 2
    return 1 if any(outcome.findings for outcome in outcomes) else 0


def check_text(path: Path, options: Options, fix: bool) -> Outcome:
    """Check one text file; with ``fix``, replace it by its ``fixed_text`` (and a final newline),
    written with the file's own line endings and byte-order mark."""
    from . import clean

    read_at = _stat(path)
    text = decode(read_source(str(path), None), str(path), advice=CONVERT_ADVICE)
    result = clean(text, options, input_format="text")
    outcome = Outcome(str(path), findings_of(result, options, LineIndex(text).line_col))
    if fix and outcome.findings:
        fixed = fixed_text(result, options)
        ending = "" if fixed.endswith("\n") or not fixed else "\n"
        write_atomically(path, [in_the_style_of(text, fixed + ending)] if fixed.strip() else [], read_at)
        outcome.fixed = True
    return outcome


def in_the_style_of(original: str, fixed: str) -> str:
    """``fixed`` (lines ending in "\\n") with ``original``'s line endings ("\\r\\n" where most
    of its lines end so, "\\r" where most end in it alone) and byte-order mark: a fixer that
    turned a Windows file's line endings into Unix ones would put every line of it in the
    commit's diff."""
    windows, returns = original.count("\r\n"), original.count("\r")
    if windows * 2 > original.count("\n"):
        fixed = fixed.replace("\n", "\r\n")
    elif returns - windows > original.count("\n"):  # an old Mac file: "\r" alone
        fixed = fixed.replace("\n", "\r")
    if original.startswith(BYTE_ORDER_MARK) and not fixed.startswith(BYTE_ORDER_MARK):
        fixed = BYTE_ORDER_MARK + fixed
    return fixed


def check_jsonl(path: Path, options: Options, fix: bool, text_field: str = "text") -> Outcome:
    """Check the text field of each record; with ``fix``, rewrite the records with findings.

    A file with a bad record is reported and left as it is.
    """
    from . import clean

    source = str(path)
    read_at = _stat(path)
    lines = jsonl_lines(decode(b"".join(read_lines(source)), source, advice=CONVERT_ADVICE))  # decompressed, as clean reads it
    outcome = Outcome(source)
    for number, record in parse_records(lines, source):
        try:
            if isinstance(record, RecordError):
                raise record
            text = record_text(record, text_field, source, number)
        except RecordError as exc:
            outcome.errors.append(str(exc))
            continue
        result = clean(text, options, input_format="text")
        found = findings_of(result, options, lambda offset: f"{number}:{offset + 1}")
        outcome.findings += found
        if fix and found:
            lines[number - 1] = replace_value(lines[number - 1], text_field, fixed_text(result, options))
    if fix and outcome.findings and not outcome.errors:
        with replacing(path, read_at) as handle, compressing(handle, source) as stream:  # compressed files stay so
            for line in lines:
                stream.write(line.encode("utf-8"))
        outcome.fixed = True
    return outcome


def jsonl_lines(text: str) -> list[str]:
    """``text``'s lines, each with its end: a JSON Lines file's lines end at "\\n" alone, as ``clean``
    reads them (a lone "\\r" is inside a line, and a record holding one is an error there too)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _stat(path: Path) -> os.stat_result | None:
    """The file's ``os.stat`` before it is read, to tell whether it changed before a fix is written."""
    try:
        return path.stat()
    except OSError:
        return None  # reading it says what is wrong


def findings_of(result: Result, options: Options, locate: Callable[[int], str]) -> list[Finding]:
    """The findings of one cleaned text, in input order; ``locate`` turns an offset into ``LINE:COL``."""
    found = [(r.spans[0][0], r.rule, f"would remove {_quote(r.text)}{_why(r.reason)}") for r in result.removed]
    if options.captions != "inline":
        found += [(c.spans[0][0], c.rule, f"would move caption {_quote(c.text)} out of the text{_why(c.reason)}")
                  for c in result.captions]
    for paragraph in result.paragraphs:
        for (end, start), rule in zip(seams(paragraph, result.input), paragraph.joins):
            if rule not in ("rejoin.hyphen", CODE_JOIN):  # the hyphen is a removed piece, already found
                found.append((end, rule, f"would rejoin with the text at {locate(start)}{_why(JOIN_REASONS[rule])}"))
    found.sort(key=lambda item: item[0])
    return [Finding(locate(offset), rule, message) for offset, rule, message in found]


def _why(reason: str) -> str:
    return f" ({reason})" if reason else ""


def seams(paragraph: Paragraph, text: str) -> list[tuple[int, int]]:
    """Where the lines of a rejoined paragraph meet, in order: (end of one, start of the next).

    Lines joined across whitespace alone share a span; lines joined across residue
    (or a repaired hyphen) are separate spans.
    """
    found = []
    for index, (start, end) in enumerate(paragraph.spans):
        if index:
            found.append((paragraph.spans[index - 1][1], start))
        found += [(match.start(), match.end()) for match in _LINE_BREAK.finditer(text, start, end)]
    return found


def fixed_text(result: Result, options: Options) -> str:
    """The text with what cleaning changes changed and the rest as it was written
    (``edited_text``), when cleaning that finds nothing more; else the clean text, cleaned
    again until there is nothing more to find.

    Taking lines out changes what stands around the others, and the text is then read anew:
    its wrap width, a line that has become the last one (a caption?), and, with the learned
    model, neighbours gone. The clean text, one paragraph to a line, reads the same again with
    the rules; the model may take out one more paragraph on each pass. Cleaning the edited
    text again instead could run on into lines the writer's text had nothing to find in (a
    program's lines joined as a wrapped paragraph, verse taken line by line for captions).
    """
    from . import clean

    text = edited_text(result, options)
    if not findings_of(clean(text, options, input_format="text"), options, str):
        return text
    text = result.text
    while findings_of(again := clean(text, options, input_format="text"), options, str):
        text = again.text
    return text


def edited_text(result: Result, options: Options) -> str:
    """The input as its writer wrote it, less what cleaning changes: the residue and the
    captions that leave the text taken out (a line left with nothing on it dropped), split
    paragraphs rejoined; indentation, line breaks, blank lines and white space at the ends of
    lines kept as they were (the clean text would put a blank line between every two
    paragraphs, and strip a program's indentation). Lines end in "\\n"; a byte order mark is
    left out (the fixer writes the file's own back)."""
    from . import body_pieces

    pieces = body_pieces(result.paragraphs, result.captions, options)
    if not pieces:
        return ""
    text = result.input
    parts = [_leading_gap(text[:pieces[0].spans[0][0]])]
    for piece, following in zip(pieces, pieces[1:]):
        parts += [_as_written(piece, text), _gap(text[piece.spans[-1][1]:following.spans[0][0]])]
    return "".join([*parts, _as_written(pieces[-1], text), _trailing_gap(text[pieces[-1].spans[-1][1]:])])


def _as_written(piece, text: str) -> str:
    """The piece's text; a block of code's as it stands in ``text`` (its clean text leaves out
    the indentation its lines share)."""
    if isinstance(piece, Paragraph) and CODE_JOIN in piece.joins:
        return LINE_BREAK.sub("\n", text[piece.spans[0][0]:piece.spans[-1][1]])
    return piece.text


def _gap(gap: str) -> str:
    """What stands between two kept pieces of a text, less the residue in it: a line of residue
    is dropped with its line break (and the blank lines around the dropped lines shrink to
    one), residue cut off the end of the line above or the start of the line below is taken
    off it. Everything else is kept as it is (line breaks as "\\n")."""
    lines = LINE_BREAK.split(gap)
    if len(lines) == 1:  # no line break: pieces of one line (cannot be, as blocks are lines)
        return gap if not _has_text(gap) else " "
    return "\n".join([_line_end(lines[0]), *_between(lines[1:-1]), _indentation(lines[-1])])


def _leading_gap(gap: str) -> str:
    """What stands before the first kept piece, less the residue in it (see ``_gap``): when
    lines of residue are dropped there, so are the blank lines around them."""
    lines = LINE_BREAK.split(gap.replace(BYTE_ORDER_MARK, ""))
    whole, head = lines[:-1], _indentation(lines[-1])
    if any(map(_has_text, whole)):
        return head
    return "\n".join([*whole, head])


def _trailing_gap(gap: str) -> str:
    """What stands after the last kept piece, less the residue in it (see ``_gap``): the white
    space that ends the last line is kept, and the line breaks and blank lines after it unless
    residue is dropped there too (the fixer ends a file with one line break)."""
    lines = LINE_BREAK.split(gap)
    end, rest = _line_end(lines[0]), lines[1:]
    if any(map(_has_text, rest)):
        return end
    return "\n".join([end, *rest])


def _between(lines: list[str]) -> list[str]:
    """The whole lines between two kept ones: as they are, or, when some are residue, without
    them and with their blank lines shrunk to one."""
    kept = [line for line in lines if not _has_text(line)]
    if len(kept) == len(lines):
        return lines
    return kept[:1]


def _line_end(text: str) -> str:
    """The rest of a kept line after its kept piece: its white space, or nothing when residue
    was cut off there (with the white space before it)."""
    return "" if _has_text(text) else text


def _indentation(text: str) -> str:
    """The start of a kept line before its kept piece: its indentation, without a residue cut."""
    return re.match(r"[^\S\r\n]*", text).group()


def _has_text(text: str) -> bool:
    return bool(text) and not text.isspace()


def replace_value(line: str, key: str, value: str) -> str:
    """``line`` (one JSON object) with the value of ``key`` replaced by ``value``; every other byte kept.

    The value is written with non-ASCII characters escaped when the line had none, or when it
    holds a lone surrogate (UTF-8 has no such character; the escape is valid JSON).
    """
    start, end = _value_span(line, key)
    return line[:start] + json.dumps(value, ensure_ascii=line.isascii() or has_lone_surrogates(value)) + line[end:]


_SPACE = re.compile(r"[ \t\n\r]*")


def _value_span(line: str, key: str) -> tuple[int, int]:
    """Where the value of ``key`` lies in ``line``, a JSON object (the last one, as ``json.loads`` reads it)."""
    decoder = json.JSONDecoder()
    span = None
    position = _SPACE.match(line).end() + 1  # past "{"
    while True:
        name, position = decoder.raw_decode(line, _SPACE.match(line, position).end())
        start = _SPACE.match(line, _SPACE.match(line, position).end() + 1).end()  # past ":"
        _, position = decoder.raw_decode(line, start)
        if name == key:
            span = (start, position)
        position = _SPACE.match(line, position).end()
        if line[position] == "}":
            return span
        position += 1  # past ","

