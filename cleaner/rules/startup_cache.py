"""A small on-disk cache for what start-up would otherwise recompute on every run.

A pipe filter starts once per file; parsing the rule files, reading required
literals off every pattern and compiling the patterns a text needs would cost more
than the whole run. Results are kept as JSON under ``$XDG_CACHE_HOME/cleaner``
(default ``~/.cache/cleaner``), named by a checksum of their inputs, so a changed
rule file simply misses. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import _sre


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"


def cached_json(kind: str, source: bytes, compute: Callable[[], object]) -> object:
    """``compute()``, or its result stored earlier for the same ``kind`` and ``source`` bytes."""
    checksum = f"{zlib.crc32(source):08x}{zlib.adler32(source):08x}{len(source):x}"
    path = cache_folder() / f"{kind}-{checksum}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        temp.replace(path)
    except OSError:
        pass
    return value


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
