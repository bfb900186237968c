"""Readers and writers: bytes in with clear errors, text or JSON out, files written atomically."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from .blocks import LINE_BREAK

STDIN = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSION_SUFFIXES = ("", ".gz", ".zst", ".bz2", ".xz")


def is_jsonl(name: str) -> bool:
    """True for the names of JSONL files: ``.jsonl`` or ``.ndjson``, plain or compressed (``COMPRESSION_SUFFIXES``)."""
    name = name.lower()
    return any(name.endswith(suffix + compression) for suffix in JSONL_SUFFIXES for compression in COMPRESSION_SUFFIXES)


class InputError(Exception):
    """Input that cannot be cleaned; the message names the source and the place.

    It pickles as it was made: Ray appends its retry advice to the arguments of an
    exception raised in a task, which the user of a file cut short does not need.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.made_with = message

    def __reduce__(self):
        return type(self), (self.made_with,)


class OutputError(Exception):
    """Output that cannot be written (a full disk, a folder closed to us); the message names where."""


class WorkerError(Exception):
    """A worker process of ``--jobs`` died (killed by the system, out of memory): the work stops."""


#: How messages name standard output and standard input.
STDOUT_NAME = "standard output"
STDIN_NAME = "standard input"


@contextmanager
def writing_to(name: str) -> Iterator[None]:
    """Report an ``OSError`` raised in the block (which writes to ``name``: a file, or
    :data:`STDOUT_NAME`) as an :class:`OutputError` naming it. The block's reading
    errors are its own to report (as :class:`InputError`)."""
    try:
        yield
    except BrokenPipeError:
        if name == STDOUT_NAME:  # the reader left (``| head``): not an error of ours
            raise
        raise OutputError(f"{name}: cannot write: the reader closed the pipe") from None
    except OSError as exc:
        raise OutputError(f"{name}: cannot write: {exc.strerror or exc}") from None


#: Byte order marks of the encodings cleaner does not read as text, longest first.
_OTHER_UNICODE = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                  (b"\xfe\xff", "UTF-16"))


#: What a message on invalid UTF-8 advises: ``clean`` can go on, ``check`` (which may write the
#: file back) cannot.
GO_ON_ADVICE = "use --encoding-errors replace to go on"
CONVERT_ADVICE = "convert the file to UTF-8 first (iconv -f ENCODING -t UTF-8)"


def decode(data: bytes, source: str, errors: str = "strict", advice: str = GO_ON_ADVICE) -> str:
    """Decode UTF-8 input, refusing binary data; errors name ``source`` and the byte offset, and
    give ``advice``."""
    name = STDIN_NAME if source == STDIN else source
    nul = data.find(b"\0")
    if nul >= 0:
        encoding = next((encoding for mark, encoding in _OTHER_UNICODE if data.startswith(mark)), None)
        if encoding:
            raise InputError(f"{name}: {encoding} text (it opens with a byte order mark); cleaner reads UTF-8 text: "
                             f"convert it first (iconv -f {encoding} -t UTF-8)")
        raise InputError(f"{name}: binary input (NUL byte at byte offset {nul}); cleaner reads UTF-8 text")
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: invalid UTF-8 at byte offset {exc.start} (line {line_of(data, exc.start)}): {exc.reason}; "
            f"{advice}"
        ) from None


#: ``cleaner.blocks.LINE_BREAK`` for bytes.
_BYTE_LINE_BREAK = re.compile(LINE_BREAK.pattern.encode("ascii"))


def line_of(data: bytes, offset: int) -> int:
    """The line of byte ``offset``, lines ending as ``cleaner.blocks`` ends them."""
    if data.find(b"\r", 0, offset) < 0:
        return data.count(b"\n", 0, offset) + 1
    return sum(1 for _ in _BYTE_LINE_BREAK.finditer(data, 0, offset)) + 1


def has_lone_surrogates(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (a JSON escape such as ``\\ud800``, or a byte
    kept by ``surrogateescape``): a character UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def without_lone_surrogates(text: str) -> str:
    """``text`` with lone surrogates turned into U+FFFD, so that its offsets stay the same;
    what has none is returned as it is."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text) if has_lone_surrogates(text) else text


#: The quoted parts of JSON text: brackets inside them do not nest.
JSON_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
#: The quoted parts of TOML text: its four kinds of string, and its comments.
TOML_STRINGS = re.compile("|".join((
    r"'''.*?'''",  # multi-line literal string
    r'"""(?:[^\\]|\\.)*?"""',  # multi-line basic string
    r"'[^'\n]*'",  # literal string
    r'"(?:[^"\\\n]|\\.)*"',  # basic string
    r"#[^\n]*",  # comment
)), re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def nests_deeper(text: str, limit: int, quoted: re.Pattern = JSON_STRINGS) -> bool:
    """Whether the brackets of ``text`` outside its ``quoted`` parts nest deeper than ``limit``.

    Checked without recursion, before a recursive parser (``json``, ``tomllib``) is handed the
    text: deep in the stack, a parser fails with ``RecursionError``, and so does whatever the
    cycle collector runs there (a finaliser of an unrelated object, the unraisable-exception hook).
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(quoted.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def read_source(source: str, stdin) -> bytes:
    """The raw bytes of a file path, or of ``stdin`` for ``-``."""
    if source == STDIN:
        try:
            return stdin.read()
        except OSError as exc:
            raise InputError(f"{STDIN_NAME}: cannot read: {exc.strerror or exc}") from None
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror}") from None


def to_json_line(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False)


def make_parent(path: Path) -> None:
    """Make the folder ``path`` goes in (and the folders above it) if missing; an
    :class:`OutputError` naming the folder if that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{path.parent}: cannot write in it: not a folder") from None
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot make the folder: {exc.strerror or exc}") from None


def write_atomically(path: Path, chunks: list[str], unchanged: os.stat_result | None = None) -> None:
    """Write ``chunks`` to ``path`` through a temporary file in the same folder and a rename.

    The old file (if any) keeps its permissions and is never left half-written.
    """
    with replacing(path, unchanged) as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))


@contextmanager
def replacing(path: Path, unchanged: os.stat_result | None = None) -> Iterator[BinaryIO]:
    """A binary file that takes the place of ``path`` when the ``with`` block ends well.

    It is a temporary file in the same folder, synced to disk and renamed over
    ``path``; if the block fails it is deleted and ``path`` is left as it was. The
    old file (if any) keeps its permissions and is never left half-written. A failed
    write (a full disk, a folder closed to us) raises :class:`OutputError` naming ``path``.
    A symbolic link is followed: the file it points to is replaced, the link stays.
    ``unchanged``: the ``os.stat`` of ``path`` when it was read; if the file changed since
    (another program wrote to it), it is left as it is and :class:`InputError` says so.
    A device or a named pipe (``/dev/null``, a FIFO a reader waits on) is written to, not
    replaced: renaming a file over it would take it away from every other program.
    """
    import tempfile

    name, target = str(path), Path(os.path.realpath(path))
    if is_stream(target):
        with writing_to(name):
            handle = open(target, "wb")
        with _finished(handle, name, sync=False) as written:
            yield written
        return
    with writing_to(name):
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with _finished(os.fdopen(fd, "wb"), name, sync=True) as written:
            yield written
        with writing_to(name):
            keep_permissions(temp, target)
            if unchanged is not None and _changed(target, unchanged):
                raise InputError(f"{path}: changed while cleaner read it; left as it is (run again)")
            os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def is_stream(path: Path) -> bool:
    """Whether ``path`` is there and neither a regular file nor a folder: a device, a pipe, a socket."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextmanager
def _finished(handle: BinaryIO, name: str, sync: bool) -> Iterator[ReportedWrites]:
    """``handle``, its writes reported as ``name``'s, flushed (``sync``: to disk) and closed when the
    block ends well; the block's own errors (reading its input) stay its own. After a failure it is
    closed quietly: closing flushes what is left, which would only fail again and hide the first error."""
    try:
        yield ReportedWrites(handle, name)
        with writing_to(name):
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
            handle.close()
    finally:
        if not handle.closed:
            with suppress(OSError):
                handle.close()


def keep_permissions(temp: str, target: Path) -> None:
    """Give the file ``temp``, about to replace ``target``, the permissions of ``target`` (new:
    those the umask allows), and its owner and group where we may (as root: a checkout
    bind-mounted into a container keeps its owner; another user cannot give a file away)."""
    if not target.exists():
        os.chmod(temp, 0o666 & ~_umask())
        return
    old = target.stat()
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with suppress(PermissionError):
            os.chown(temp, old.st_uid, old.st_gid)
    os.chmod(temp, old.st_mode & 0o7777)  # after chown, which clears set-user-ID bits


class ReportedWrites:
    """A binary file whose failed writes raise :class:`OutputError` naming it (``name``)."""

    def __init__(self, handle: BinaryIO, name: str):
        self._handle, self._name = handle, name

    def write(self, data) -> int:
        with writing_to(self._name):
            return self._handle.write(data)

    def flush(self) -> None:
        with writing_to(self._name):
            self._handle.flush()

    def __getattr__(self, attribute: str):
        return getattr(self._handle, attribute)


def _changed(path: Path, then: os.stat_result) -> bool:
    try:
        now = path.stat()
    except FileNotFoundError:  # deleted meanwhile
        return True
    return (now.st_size, now.st_mtime_ns, now.st_ino) != (then.st_size, then.st_mtime_ns, then.st_ino)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
