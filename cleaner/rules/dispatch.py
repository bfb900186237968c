"""Dispatch: try on a line only the rules that can match its first character and length.

A line is tested against every block rule, and one regex of a hundred
case-insensitive alternatives costs tens of microseconds per line. Most rules can
only start with a few characters ("advertisement", "anzeige", "\\d+ comments") and
only match lines up to some length, so the rules are indexed by both, read off
the parsed pattern, and a line meets only the alternatives its key allows. The
alternatives keep their order, so the rule that wins is the same.
"""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse

#: Key for a line starting with a digit: ``\\d`` stands for any of them.
DIGIT = "0"
#: A rule whose first character cannot be known (``.``, ``\\w``, a negated set) or that
#: can match the empty string is tried on every line.
ANY = None

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_MAX_RANGE = 256
#: Upper bounds of the line-length buckets; longer lines share the last bucket.
_LENGTH_BOUNDS = (8, 16, 32, 64, 128, 256)


def line_key(line: str) -> str:
    """The dispatch key of a line: its first character, lowercased (digits fold to one key)."""
    if not line:
        return ""
    first = line[0]
    return DIGIT if first.isdigit() else first.lower()


def _bucket(length: int) -> int:
    for index, bound in enumerate(_LENGTH_BOUNDS):
        if length <= bound:
            return index
    return len(_LENGTH_BOUNDS)


_BUCKET_OF_LENGTH = [_bucket(length) for length in range(_LENGTH_BOUNDS[-1] + 1)]
_LAST_BUCKET = len(_LENGTH_BOUNDS)


def _bucket_range(bucket: int) -> tuple[int, float]:
    low = _LENGTH_BOUNDS[bucket - 1] + 1 if bucket else 0
    high = _LENGTH_BOUNDS[bucket] if bucket < len(_LENGTH_BOUNDS) else float("inf")
    return low, high


def match_widths(pattern: str) -> tuple[int, float]:
    """The shortest and longest text ``pattern`` can match (``inf``: unbounded)."""
    try:
        low, high = sre_parse.parse(pattern).getwidth()
    except re.error:
        return 0, float("inf")
    return low, high if high < sre.MAXREPEAT - 1 else float("inf")


def first_keys(pattern: str) -> frozenset[str] | None:
    """The keys a match of ``pattern`` can start with, or ``ANY``."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return ANY
    keys, nullable = _first(list(parsed))
    return ANY if keys is ANY or nullable else frozenset(keys)


def _first(items: list) -> tuple[set[str] | None, bool]:
    """First keys of a sequence of parsed items, and whether the sequence can match empty."""
    keys: set[str] = set()
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        item_keys, nullable = _first_of_item(op, value)
        if item_keys is ANY:
            return ANY, False
        keys |= item_keys
        if not nullable:
            return keys, False
    return keys, True


def _first_of_item(op, value) -> tuple[set[str] | None, bool]:
    if op is sre.LITERAL:
        return _fold(chr(value)), False
    if op is sre.IN:
        return _first_of_set(value), False
    if op is sre.SUBPATTERN:
        return _first(list(value[-1]))
    if op is sre.BRANCH:
        keys, nullable = set(), False
        for alternative in value[1]:
            branch_keys, branch_nullable = _first(list(alternative))
            if branch_keys is ANY:
                return ANY, False
            keys |= branch_keys
            nullable |= branch_nullable
        return keys, nullable
    if op in _REPEATS:
        low, _, body = value
        keys, nullable = _first(list(body))
        return keys, nullable or low == 0
    return ANY, False


def _first_of_set(members) -> set[str] | None:
    keys: set[str] = set()
    for op, value in members:
        if op is sre.LITERAL:
            keys |= _fold(chr(value))
        elif op is sre.RANGE and value[1] - value[0] <= _MAX_RANGE:
            for code in range(value[0], value[1] + 1):
                keys |= _fold(chr(code))
        elif op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            keys.add(DIGIT)
        else:
            return ANY
    return keys


def _fold(char: str) -> set[str]:
    """Keys a literal character can meet, whatever the case of the line."""
    return {line_key(char), line_key(char.upper()), line_key(char.swapcase())}


class Dispatcher:
    """One regex per (first character, length bucket), built on first use from the rules that fit.

    ``named`` holds (group name, pattern text, longest line the rule may act on).
    With ``by_first=False`` (rules searched anywhere in a line) only the length counts.
    """

    def __init__(self, named: list[tuple[str, str, int]], by_first: bool = True):
        self._rules = [
            (name, text, first_keys(text) if by_first else ANY, match_widths(text)[0], limit)
            for name, text, limit in named
        ]
        self._by_first = by_first
        self._by_key: dict[tuple[str, int], re.Pattern | None] = {}

    def pattern_for(self, line: str) -> re.Pattern | None:
        length = len(line)
        key = (
            line_key(line) if self._by_first else "",
            _BUCKET_OF_LENGTH[length] if length < len(_BUCKET_OF_LENGTH) else _LAST_BUCKET,
        )
        try:
            return self._by_key[key]
        except KeyError:
            pattern = self._by_key[key] = self._compile(*key)
            return pattern

    def _compile(self, first: str, bucket: int) -> re.Pattern | None:
        low, high = _bucket_range(bucket)
        alternatives = [
            f"(?P<{name}>{text})"
            for name, text, keys, shortest, limit in self._rules
            if (keys is ANY or first in keys) and shortest <= high and limit >= low
        ]
        return re.compile("|".join(alternatives)) if alternatives else None
