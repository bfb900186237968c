"""Readers and writers: bytes in with clear errors, text or JSON out, files written atomically."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

STDIN = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSION_SUFFIXES = ("", ".gz", ".zst")


def is_jsonl(name: str) -> bool:
    """True for the names of JSONL files: ``.jsonl`` or ``.ndjson``, plain, ``.gz`` or ``.zst``."""
    name = name.lower()
    return any(name.endswith(suffix + compression) for suffix in JSONL_SUFFIXES for compression in COMPRESSION_SUFFIXES)


class InputError(Exception):
    """Input that cannot be cleaned; the message names the source and the place."""


class OutputError(Exception):
    """Output that cannot be written (a full disk, a folder closed to us); the message names where."""


#: How messages name standard output.
STDOUT_NAME = "standard output"


@contextmanager
def writing_to(name: str) -> Iterator[None]:
    """Report an ``OSError`` raised in the block (which writes to ``name``: a file, or
    :data:`STDOUT_NAME`) as an :class:`OutputError` naming it. The block's reading
    errors are its own to report (as :class:`InputError`)."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"{name}: cannot write: {exc.strerror or exc}") from None


def decode(data: bytes, source: str, errors: str = "strict") -> str:
    """Decode UTF-8 input, refusing binary data; errors name ``source`` and the byte offset."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(f"{source}: binary input (NUL byte at byte offset {nul}); cleaner reads UTF-8 text")
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{source}: invalid UTF-8 at byte offset {exc.start} (line {line}): {exc.reason}; "
            "use --encoding-errors replace to go on"
        ) from None


def without_lone_surrogates(text: str) -> str:
    """``text`` with lone surrogates (a JSON escape such as ``\\ud800``, or bytes kept by
    ``surrogateescape``) turned into U+FFFD, so that its offsets stay the same; what has
    none is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def read_source(source: str, stdin) -> bytes:
    """The raw bytes of a file path, or of ``stdin`` for ``-``."""
    if source == STDIN:
        return stdin.read()
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


def write_atomically(path: Path, chunks: list[str]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file in the same folder and a rename.

    The old file (if any) keeps its permissions and is never left half-written.
    """
    with replacing(path) as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file that takes the place of ``path`` when the ``with`` block ends well.

    It is a temporary file in the same folder, synced to disk and renamed over
    ``path``; if the block fails it is deleted and ``path`` is left as it was. The
    old file (if any) keeps its permissions and is never left half-written. A failed
    write (a full disk, a folder closed to us) raises :class:`OutputError` naming ``path``.
    """
    import tempfile

    with writing_to(str(path)):
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with writing_to(str(path)):
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
            os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
