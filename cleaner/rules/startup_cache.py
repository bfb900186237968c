"""A small on-disk cache for what start-up would otherwise recompute on every run.

A pipe filter starts once per file; parsing the rule files and reading required
literals off every pattern would cost more than the whole run. Results are kept
as JSON under ``$XDG_CACHE_HOME/cleaner`` (default ``~/.cache/cleaner``), named by
a checksum of their inputs, so a changed rule file simply misses. A cache that
cannot be read or written only costs time.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path


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
