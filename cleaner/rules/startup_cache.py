"""A small on-disk cache for what start-up would otherwise recompute on every run.

A pipe filter starts once per file; parsing the rule files, reading required
literals off every pattern and compiling the patterns a text needs would cost more
than the whole run. Results are kept as JSON under ``$XDG_CACHE_HOME/cleaner``
(default ``~/.cache/cleaner``), named by a checksum of their inputs, so a changed
rule file simply misses. A cache that cannot be read or written only costs time.
Files not used for ``MAX_AGE_DAYS`` (those of rule files since changed, of another
Python, of patterns no longer used) are deleted whenever a new one is written, so
the folder does not grow with every upgrade.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import _sre


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"


#: A cache file unused for this long is deleted when the next file is written.
MAX_AGE_DAYS = 30
#: A file's time of last use is brought up to date at most this often (a write per day, not per run).
TOUCH_AFTER = 86400.0
#: The kinds of file kept here (``cached_json``'s ``kind``): only these are ever pruned.
KINDS = ("dispatch", "regex", "rules")


def cached_json(kind: str, source: bytes, compute: Callable[[], object]) -> object:
    """``compute()``, or its result stored earlier for the same ``kind`` and ``source`` bytes."""
    checksum = f"{zlib.crc32(source):08x}{zlib.adler32(source):08x}{len(source):x}"
    path = cache_folder() / f"{kind}-{checksum}.json"
    try:
        return _read_and_touch(path)
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        temp.replace(path)
        _prune_once(path.parent)
    except OSError:
        pass
    return value


def _read_and_touch(path: Path) -> object:
    """The JSON in ``path``; its modification time, the time of its last use, is renewed when a day old."""
    with open(path, encoding="utf-8") as file:
        value = json.loads(file.read())
        if time.time() - os.fstat(file.fileno()).st_mtime > TOUCH_AFTER:
            try:
                os.utime(path)
            except OSError:  # a read-only cache is still a cache
                pass
    return value


_pruned: set[Path] = set()


def _prune_once(folder: Path) -> None:
    """``prune(folder)`` on the first write of this process: a run writing fifty files lists the folder once."""
    if folder not in _pruned:
        _pruned.add(folder)
        prune(folder)


def prune(folder: Path) -> int:
    """Delete this cache's files in ``folder`` unused for ``MAX_AGE_DAYS`` (and temporary files left
    by a run that died while writing, a day old); return how many. Other files are left alone."""
    now, removed = time.time(), 0
    for path in folder.glob("*.json*"):
        name = path.name
        ours = name.endswith(".json") and name.partition("-")[0] in KINDS
        left_over = name.startswith(".") and name.endswith(".tmp") and name[1:].partition("-")[0] in KINDS
        if not (ours or left_over):
            continue
        try:
            if now - path.stat().st_mtime > (MAX_AGE_DAYS * 86400.0 if ours else TOUCH_AFTER):
                path.unlink()
                removed += 1
        except OSError:  # gone already, or not ours to delete
            pass
    return removed


#: Changes whenever what is stored for a pattern changes, so that older files miss.
REGEX_CACHE_VERSION = "2"


def compile_cached(pattern: str) -> re.Pattern:
    """``re.compile(pattern)``, built from the regex engine's code kept on disk.

    Compiling a rule's pattern costs up to 10 ms (a date rule of a few hundred
    case-insensitive alternatives), building it from its stored code under 1 ms.
    The code is the one ``re`` makes for ``pattern``, stored per Python build and
    engine version, with the pattern it is for (a file named by the checksum of another
    is not used); the engine checks the code when building, and anything amiss (another
    Python, a damaged file) falls back to ``re.compile``. A bad pattern raises
    ``re.error`` as ``re.compile`` does.
    """
    source = "\0".join([REGEX_CACHE_VERSION, sys.version, str(_sre.MAGIC), pattern]).encode()
    stored = cached_json("regex", source, lambda: _engine_code(pattern))
    if isinstance(stored, dict) and stored.get("pattern") == pattern:
        try:
            return _sre.compile(pattern, stored["flags"], stored["code"], stored["groups"], stored["groupindex"],
                                tuple(stored["indexgroup"]))
        except (TypeError, ValueError, KeyError, RuntimeError):
            pass
    return re.compile(pattern)


def _engine_code(pattern: str) -> dict | None:
    """What ``re.compile`` hands the regex engine for ``pattern``, as ``re._compiler.compile``
    does it (None where this Python's ``re`` is built otherwise)."""
    try:
        from re._compiler import _code
        from re._parser import parse
    except ImportError:
        return None
    parsed = parse(pattern, 0)
    indexgroup = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return {"pattern": pattern, "flags": parsed.state.flags, "code": _code(parsed, 0),
            "groups": parsed.state.groups - 1, "groupindex": parsed.state.groupdict, "indexgroup": indexgroup}
