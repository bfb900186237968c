"""JSONL corpora: records in, one at a time, and cleaned records or Dolma attribute rows out.

``read_lines`` reads plain, gzip (``.gz``) or Zstandard (``.zst``) files by their
suffix, one line at a time; ``parse_records`` yields each record with its line
number and names the file and line of a malformed one; ``clean_record`` cleans
the text field of one record and keeps every other field; ``dolma_row`` turns
one record's cleaning into a row of Dolma attributes; ``convert_record`` turns
one parsed record into its outcome (its output line, or its ``RecordError``);
``clean_corpus`` streams whole files through, into stdout or files written
atomically, cleaning here or, through ``outcomes_of``, on a pool of processes or
a Ray cluster (``parallel``, ``integrations.ray``). Memory stays flat: one record
is held at a time (a bounded window of them on a pool).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .io import STDIN, STDOUT_NAME, InputError, ReportedWrites, make_parent, nests_deeper, replacing
from .pieces import Result

CLEANER_FIELD = "cleaner"
#: The Dolma attributes of a row: residue spans and caption spans, each ``[start, end, score]``.
DOLMA_RESIDUE = "cleaner__residue"
DOLMA_CAPTION = "cleaner__caption"
#: Pieces of these rules repair the text (a line-break hyphen) rather than remove residue.
REPAIR_PREFIX = "rejoin."
READ_BUFFER = 1 << 20
#: Compressed bytes a Zstandard file is read by: what one read decompresses to stays small.
ZSTD_CHUNK = 1 << 16
#: Skipped records whose messages are kept for the report; the rest are only counted.
REPORTED_SKIPS = 10
JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
              bool: "a boolean", type(None): "null"}


class RecordError(InputError):
    """One record that cannot be cleaned: the message names the file and line.

    It pickles whole (``message`` is the text without the place), so it can come
    back from a worker process or a Ray actor as it is.
    """

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.message = source, line, message

    def __reduce__(self):
        # Pickle's default calls the class with ``args`` (the one joined message), which __init__ does not take.
        return type(self), (self.source, self.line, self.message)


def decompressing(raw: BinaryIO, name: str) -> BinaryIO:
    """The binary stream ``raw``, decompressed by the suffix of ``name`` (``.gz``, ``.zst``, ``.bz2``,
    ``.xz``; others as they are).

    The result holds no file of its own: closing ``raw`` is its opener's work.
    """
    suffix = Path(name).suffix.lower()
    if suffix == ".gz":
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")
    if suffix == ".zst":
        return io.BufferedReader(ZstdReader(raw), READ_BUFFER)
    if suffix in _STDLIB_COMPRESSORS:
        return _stdlib_stream(raw, suffix, "rb")
    return raw


#: Compressions the standard library reads and writes alike: suffix, then module and file class.
_STDLIB_COMPRESSORS = {".bz2": ("bz2", "BZ2File"), ".xz": ("lzma", "LZMAFile")}


def _stdlib_stream(handle: BinaryIO, suffix: str, mode: str) -> BinaryIO:
    """``handle`` behind the standard library's file class for ``suffix`` (imported when used)."""
    import importlib

    module, name = _STDLIB_COMPRESSORS[suffix]
    return getattr(importlib.import_module(module), name)(handle, mode)


class ZstdReader(io.RawIOBase):
    """The content of a Zstandard file, frame after frame; a file that ends inside a frame is an ``EOFError``.

    (zstandard's own stream reader ends quietly, and may yield nothing, on a file cut short.)
    """

    def __init__(self, raw: BinaryIO):
        import zstandard

        self._new_frame = zstandard.ZstdDecompressor().decompressobj
        self._frame, self._in_frame = self._new_frame(), False
        self._file = raw
        self._data, self._offset = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._data):
            chunk = self._file.read(ZSTD_CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("the Zstandard file ends inside a frame (was it cut short?)")
                return 0
            self._data, self._offset = self._decompress(chunk), 0
        size = min(len(buffer), len(self._data) - self._offset)
        buffer[:size] = self._data[self._offset:self._offset + size]
        self._offset += size
        return size

    def _decompress(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            out.append(self._frame.decompress(chunk))
            self._in_frame = True
            if not self._frame.eof:
                break
            chunk = self._frame.unused_data
            self._frame, self._in_frame = self._new_frame(), False
        return b"".join(out)


@contextmanager
def compressing(handle: BinaryIO, name: str) -> Iterator[BinaryIO]:
    """``handle`` behind a compressor chosen by the suffix of ``name``; the compressed stream ends with the block."""
    suffix = Path(name).suffix.lower()
    if suffix == ".gz":
        import gzip

        with gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as stream:
            yield stream
    elif suffix == ".zst":
        import zstandard

        with zstandard.ZstdCompressor().stream_writer(handle, closefd=False) as stream:
            yield stream
    elif suffix in _STDLIB_COMPRESSORS:
        with _stdlib_stream(handle, suffix, "wb") as stream:
            yield stream
    else:
        yield handle


def read_lines(source: str, stdin: BinaryIO | None = None) -> Iterator[bytes]:
    """The lines of a JSONL file (``stdin`` for ``-``), one at a time; a broken file is an ``InputError``."""
    try:
        raw = nullcontext(stdin) if source == STDIN else open(source, "rb", buffering=READ_BUFFER)
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    with raw as handle:
        yield from stream_lines(decompressing(handle, source), source)


def stream_lines(stream: BinaryIO, source: str) -> Iterator[bytes]:
    """The lines of an opened JSONL ``stream``, split at ``\\n``.

    A stream that cannot be read to its end (a compressed file cut short or not
    compressed at all) is an ``InputError`` naming ``source`` and the line it broke in.
    """
    import lzma
    import zlib

    import zstandard

    number = 0
    try:
        for number, line in enumerate(stream, 1):
            yield line
    # zlib's and lzma's errors: data corrupt inside a gzip or xz file (bz2's is an OSError)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError) as exc:
        raise InputError(f"{source}:{number + 1}: cannot read: {exc}") from None


def parse_records(lines: Iterable[str | bytes], source: str,
                  encoding_errors: str = "strict") -> Iterator[tuple[int, dict | RecordError]]:
    """``(line number, record)`` for each non-blank line, or ``(line number, RecordError)`` for a bad one.

    Lines may be text or UTF-8 bytes (decoded with ``encoding_errors``). Errors are
    yielded, not raised, so a caller can skip them (``--on-error skip``) or stop.
    """
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8", encoding_errors)
            except UnicodeDecodeError as exc:
                yield number, RecordError(source, number, f"invalid UTF-8 at byte offset {exc.start} of the line: "
                                                          f"{exc.reason}; use --encoding-errors replace to go on")
                continue
        if not line.strip():
            continue
        if nests_deeper(line, MAX_DEPTH):
            yield number, RecordError(source, number, f"JSON nested deeper than {MAX_DEPTH} levels")
            continue
        try:
            if line.startswith("\ufeff"):
                raise json.JSONDecodeError("it starts with a UTF-8 byte order mark, which JSON Lines does not have "
                                           f"(remove it: sed -i '1s/^\\xEF\\xBB\\xBF//' {source})", line, 0)
            record = _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            column = min(exc.pos, len(line.rstrip("\r\n"))) + 1  # a record cut short ends at its line's end, not past it
            yield number, RecordError(source, number, f"not JSON: {exc.msg} (column {column})")
            continue
        except ValueError as exc:  # a number Python will not read (over 4,300 digits)
            yield number, RecordError(source, number, f"not readable JSON: {str(exc).split(';')[0]}")
            continue
        if not isinstance(record, dict):
            yield number, RecordError(source, number, f"a record must be a JSON object, not {_json_type(record)}")
            continue
        yield number, record


def _refuse_constant(name: str):
    """``NaN`` and ``Infinity``, which Python reads but JSON does not have (written back, the row would not be JSON)."""
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent; one too large for a float (``1e999``) would be
    written back as ``Infinity``, which is not JSON."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:20]} is too large to be written back")
    return value


#: One decoder for every line (``json.loads`` with hooks would build one per call).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


#: Records nested deeper are refused, by every engine alike: a worker process is sent each
#: record pickled, and pickling a deeply nested one fails where reading it did not.
MAX_DEPTH = 100


def record_text(record: dict, text_field: str, source: str, line: int) -> str:
    """The text to clean of one record; a missing or non-string field is a ``RecordError``."""
    if text_field not in record:
        raise RecordError(source, line, f"no {text_field!r} field (fields: {', '.join(sorted(record)) or 'none'}); "
                                        "--text-field names another")
    text = record[text_field]
    if not isinstance(text, str):
        raise RecordError(source, line, f"field {text_field!r} is {_json_type(text)}, not a string")
    return text


def refuse_a_cleaner_field(record: dict, source: str, line: int) -> None:
    """A record that holds a ``cleaner`` field already (cleaned before) is a ``RecordError``: its
    spans point into a text the record no longer holds, and the new field would replace them."""
    if CLEANER_FIELD in record:
        raise RecordError(source, line, f"a {CLEANER_FIELD!r} field already (a record cleaned before?): this run "
                                        "would replace it, and its spans point into the text before that cleaning; "
                                        "clean the original records, or rename the field")


def record_id(record: dict, id_field: str, source: str, line: int):
    """The id of one record for its Dolma row; a record without one is a ``RecordError``.

    Dolma's mixer pairs each attribute row with its document by position and
    checks that their ids are equal, so a row cannot do without it.
    """
    if id_field not in record:
        raise RecordError(source, line, f"no {id_field!r} field: a Dolma row names its document by id "
                                        "(--id-field names another field)")
    value = record[id_field]
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        kind = "empty" if value == "" else "a number with a decimal point or an exponent" if isinstance(value, float) else _json_type(value)
        raise RecordError(source, line, f"field {id_field!r} is {kind}: a document's id is a string or a whole number")
    return value


def _json_type(value) -> str:
    return JSON_TYPES.get(type(value), type(value).__name__)


def record_result(record: dict, options=None, text_field: str = "text", source: str = "<jsonl>",
                  line: int = 0) -> Result:
    """The cleaned text field of one record (as text); corpus repeats, if any, seen from the record's group."""
    from . import Options, clean_text

    if not isinstance(options, Options):
        options = Options.build(options, {})  # the defaults for None; a dict of options is a TypeError
    text = record_text(record, text_field, source, line)
    if options.corpus_repeats is not None:
        options = replace(options, corpus_repeats=options.corpus_repeats.for_record(record))
    return clean_text(text, options)


def cleaned_record(record: dict, result: Result, text_field: str = "text", offsets: str = "chars",
                   source: str = "<jsonl>", line: int = 0) -> dict:
    """``record`` with the clean text in its text field and a ``cleaner`` field of paragraphs, captions and
    removed pieces; a record that has that field already is a ``RecordError`` (``refuse_a_cleaner_field``)."""
    if text_field == CLEANER_FIELD:
        raise ValueError(f"text_field {CLEANER_FIELD!r}: the clean text would be replaced by its spans, which "
                         "go in that field; name the text field otherwise")
    refuse_a_cleaner_field(record, source, line)
    doc = result.to_dict(offsets)
    cleaned = dict(record)
    cleaned[text_field] = doc.pop("text")
    cleaned[CLEANER_FIELD] = doc
    return cleaned


def clean_record(record: dict, options, text_field: str = "text", source: str = "<jsonl>", line: int = 0) -> dict:
    """``record`` with its text field cleaned and a ``cleaner`` field of paragraphs, captions and removed pieces.

    Spans in the ``cleaner`` field are character offsets into the record's original text.
    """
    return cleaned_record(record, record_result(record, options, text_field, source, line), text_field,
                          source=source, line=line)


def dolma_row(doc_id, result: Result) -> dict:
    """A row of Dolma attributes: the residue and caption spans of one document, ``[start, end, score]`` each.

    Offsets are characters (code points) into the original text, as Dolma's mixer
    counts them; the score is 1.0 for a rule and the residue probability for the
    learned model. Repairs (a line-break hyphen) are not residue and are left out.
    """
    residue = sorted([start, end, round(piece.score, 4)] for piece in result.removed
                     if not piece.rule.startswith(REPAIR_PREFIX) for start, end in piece.spans)
    captions = sorted([start, end, 1.0] for caption in result.captions for start, end in caption.spans)
    return {"id": doc_id, "attributes": {DOLMA_RESIDUE: residue, DOLMA_CAPTION: captions}}


def encode_row(row: dict) -> bytes:
    """One output line, UTF-8; a text with lone surrogates is written with ASCII escapes instead."""
    line = json.dumps(row, ensure_ascii=False) + "\n"
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(row) + "\n").encode("ascii")


@dataclass(frozen=True)
class CorpusSettings:
    """How a corpus is read and what each record becomes: the cleaned record (``records``) or a Dolma row (``dolma``)."""

    output: str = "records"
    text_field: str = "text"
    id_field: str = "id"
    offsets: str = "chars"
    encoding_errors: str = "strict"
    on_error: str = "fail"

    def convert(self, record: dict, options, source: str, line: int) -> tuple[dict, Result]:
        """The output row of one record, and the cleaning result it was made from."""
        if self.output == "dolma":
            doc_id = record_id(record, self.id_field, source, line)
            result = record_result(record, options, self.text_field, source, line)
            return dolma_row(doc_id, result), result
        result = record_result(record, options, self.text_field, source, line)
        return cleaned_record(record, result, self.text_field, self.offsets, source, line), result


@dataclass
class Tally:
    """What a run did: rows written, records skipped (with the first messages), lines removed as corpus repeats."""

    written: int = 0
    skipped: int = 0
    repeated: int = 0
    skip_messages: list[str] = field(default_factory=list)

    def skip(self, error: RecordError) -> None:
        self.skipped += 1
        if len(self.skip_messages) < REPORTED_SKIPS:
            self.skip_messages.append(str(error))

    def report(self) -> list[str]:
        """The lines for stderr about skipped records: the first messages, then the count."""
        if not self.skipped:
            return []
        more = self.skipped - len(self.skip_messages)
        return ([f"skipped {message}" for message in self.skip_messages]
                + ([f"... and {more} more"] if more else [])
                + [f"skipped {self.skipped} bad record(s) of {self.skipped + self.written} (--on-error skip)"])


class Converted(NamedTuple):
    """One record cleaned: its output line, its lines removed as corpus repeats, its explanations."""

    row: bytes
    repeated: int
    explanations: list[str]

    def explain(self) -> list[str]:
        """The ``--explain`` lines of the record, as ``Result.explain`` gives them."""
        return self.explanations


#: What a record becomes, with its line number: ``Converted``, or the ``RecordError`` that stops or skips it.
Outcome = tuple[int, "Converted | RecordError"]
Explainer = Callable[[str, int, Converted], None]


def record_items(lines: Iterable[bytes], source: str, encoding_errors: str) -> Iterator[tuple]:
    """``(source, line, record)`` for each record of JSONL ``lines``, as ``convert_record`` takes them.

    ``record`` is the parsed record, or the ``RecordError`` of a malformed line.
    """
    for line, record in parse_records(lines, source, encoding_errors):
        yield source, line, record


def convert_record(settings: CorpusSettings, options_of: dict, explain: bool, item: tuple) -> Outcome:
    """The outcome of one ``(source, line, record)`` of ``record_items``: ``(line, Converted)`` or ``(line, RecordError)``.

    The unit of work of every engine: here, on a pool of processes (``parallel``) and on Ray.
    """
    from .repeats import REPEAT_RULE

    source, line, record = item
    if isinstance(record, RecordError):
        return line, record
    try:
        row, result = settings.convert(record, options_of[source], source, line)
    except RecordError as error:
        return line, error
    except MemoryError:  # a record of tens of megabytes on a small machine: the record is named, not a traceback
        text = record.get(settings.text_field)
        size = f" of {len(text):,} characters" if isinstance(text, str) else ""
        return line, RecordError(source, line, f"out of memory while cleaning its text{size}; clean it on a "
                                               "larger machine, or pass over it with --on-error skip")
    repeated = sum(piece.rule == REPEAT_RULE for piece in result.removed)
    return line, Converted(encode_row(row), repeated, result.explain() if explain else [])


def local_outcomes(lines: Iterable[bytes], source: str, settings: CorpusSettings, options_of: dict,
                   explain: bool) -> Iterator[Outcome]:
    """The outcomes of the records of ``lines`` (of ``source``), cleaned here, one at a time."""
    items = record_items(lines, source, settings.encoding_errors)
    return map(partial(convert_record, settings, options_of, explain), items)


def write_outcomes(outcomes: Iterable[Outcome], source: str, write: Callable[[bytes], object],
                   settings: CorpusSettings, tally: Tally, explain: Explainer | None = None) -> None:
    """``write`` the row of each outcome, in order, and count it in ``tally``.

    A bad record stops the stream with its ``RecordError`` (``on_error="fail"``) or
    is counted in ``tally`` and passed over (``"skip"``).
    """
    for line, outcome in outcomes:
        if isinstance(outcome, RecordError):
            if settings.on_error == "fail":
                raise outcome
            tally.skip(outcome)
            continue
        write(outcome.row)
        tally.written += 1
        tally.repeated += outcome.repeated
        if explain is not None:
            explain(source, line, outcome)


def clean_stream(lines: Iterable[bytes], source: str, write: Callable[[bytes], object], options,
                 settings: CorpusSettings, tally: Tally, explain: Explainer | None = None) -> None:
    """Clean the records of ``lines`` one at a time and ``write`` a row for each (``write_outcomes``)."""
    outcomes = local_outcomes(lines, source, settings, {source: options}, explain is not None)
    write_outcomes(outcomes, source, write, settings, tally, explain)


def clean_corpus(sources: list[str], options_of: dict, settings: CorpusSettings, *, stdin: BinaryIO | None = None,
                 stdout: BinaryIO | None = None, output_file: Path | None = None, targets: list[Path] | None = None,
                 explain: Explainer | None = None,
                 outcomes_of: Callable[[str], Iterable[Outcome]] | None = None) -> Tally:
    """Clean JSONL ``sources`` into ``stdout``, into one ``output_file``, or each into its own file of ``targets``.

    Files are compressed by their suffix and written atomically: a run stopped by
    a bad record (or anything else) leaves no file half-written and an existing
    one untouched. ``options_of`` maps each source to its options.
    ``outcomes_of(source)`` gives the outcomes of a source's records, in input
    order; by default they are cleaned here (``local_outcomes``), and
    ``parallel.pooled_outcomes`` or ``integrations.ray.ray_outcomes`` clean them
    elsewhere (and read ``stdin`` themselves): the same rows and errors either way.
    """
    if outcomes_of is None:
        def outcomes_of(source: str) -> Iterator[Outcome]:
            return local_outcomes(read_lines(source, stdin), source, settings, options_of, explain is not None)
    tally = Tally()
    if targets:
        jobs = [(target, [source]) for source, target in zip(sources, targets)]
    else:
        jobs = [(output_file, sources)]
    for target, group in jobs:
        with _writing(target, stdout) as write:
            for source in group:
                write_outcomes(outcomes_of(source), source, write, settings, tally, explain)
    return tally


@contextmanager
def _writing(target: Path | None, stdout: BinaryIO | None) -> Iterator[Callable[[bytes], object]]:
    """The ``write`` of ``stdout`` (no target), or of ``target`` written atomically and compressed by its suffix."""
    if target is None:
        reported = ReportedWrites(stdout, STDOUT_NAME)  # the caller's own errors (reading) stay its own
        yield reported.write
        reported.flush()
        return
    make_parent(target)
    with replacing(target) as handle, compressing(handle, target.name) as stream:
        yield stream.write


def corpus_texts(sources: list[str], settings: CorpusSettings) -> Iterator[tuple[dict, str]]:
    """Each good record of ``sources`` with its text, for the counting pass of ``--corpus-repeats``.

    A bad record stops it (``on_error="fail"``), or is passed over here and
    reported by the cleaning pass (``"skip"``).
    """
    for source in sources:
        for number, record in parse_records(read_lines(source), source, settings.encoding_errors):
            try:
                if isinstance(record, RecordError):
                    raise record
                text = record_text(record, settings.text_field, source, number)
            except RecordError:
                if settings.on_error == "fail":
                    raise
                continue
            yield record, text
