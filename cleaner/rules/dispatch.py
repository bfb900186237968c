"""Dispatch: try on a line only the rules that could match it.

One regex of a hundred case-insensitive multilingual alternatives costs tens of
microseconds per line, and most lines are prose that no rule matches. Nearly
every rule needs some literal text in any line it matches ("advertisement",
"newsletter", "lesen sie auch"): these required literals are read off the parsed
pattern, and one Aho-Corasick pass over the lowercased line (pyahocorasick) finds
which rules are worth trying; the pass is made once per line for all match kinds.
The few rules without such a literal are always tried. Rules also say how long a
line they act on (``max_length``). The candidates keep their order, so the rule that
wins is the same as if all were tried.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from operator import itemgetter
from re import _constants as sre
from re import _parser as sre_parse

import ahocorasick

from .startup_cache import cached_json

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
#: A required literal must be this long, or a single symbol such as "©" or "›".
MIN_LITERAL_LENGTH = 2


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lowercased literals one of which occurs in every match of ``pattern``; None when unknown."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    found = _required(list(parsed))
    return frozenset(found) if found else None


def _required(items: list) -> set[str] | None:
    """The most selective set of required literals of a sequence of parsed items."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value).lower())
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        if op in _ZERO_WIDTH:
            continue
        found = _required_of_item(op, value)
        if found:
            candidates.append(found)
    if run:
        candidates.append({"".join(run)})
    usable = [c for c in candidates if all(_usable(literal) for literal in c)]
    return max(usable, key=lambda c: (min(map(len, c)), -len(c))) if usable else None


def _required_of_item(op, value) -> set[str] | None:
    if op is sre.SUBPATTERN:
        return _required(list(value[-1]))
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in value[1]:
            found = _required(list(alternative))
            if not found:
                return None
            union |= found
        return union
    if op in _REPEATS and value[0] >= 1:
        return _required(list(value[2]))
    if op is sre.IN and all(member is sre.LITERAL for member, _ in value):
        return {chr(code).lower() for _, code in value}
    return None


def _usable(literal: str) -> bool:
    stripped = literal.strip()
    return len(stripped) >= MIN_LITERAL_LENGTH or (len(stripped) == 1 and not stripped.isalnum())


class LiteralIndex:
    """Which rules' required literals occur in a line: one Aho-Corasick pass over the
    lowercased line (pyahocorasick), built on first use. The rules are numbered by their
    place in ``literals`` (None: a rule without a usable literal, never reported)."""

    def __init__(self, literals: list[frozenset[str] | None]):
        self._literals = literals
        self._built = False
        self._automaton: ahocorasick.Automaton | None = None  # None once built: no literals at all

    def hits(self, line: str) -> set[int]:
        """The numbers of the rules one of whose required literals occurs in ``line``."""
        if not self._built:
            self._build()
        found: set[int] = set()
        if self._automaton is not None:
            found.update(*map(itemgetter(1), self._automaton.iter(line.lower())))
        return found

    def _build(self) -> None:
        by_literal: dict[str, set[int]] = {}
        for number, literals in enumerate(self._literals):
            for literal in literals or ():
                by_literal.setdefault(literal, set()).add(number)
        if by_literal:
            self._automaton = ahocorasick.Automaton()
            for literal, numbers in by_literal.items():
                self._automaton.add_word(literal, tuple(sorted(numbers)))
            self._automaton.make_automaton()
        self._built = True


class Dispatcher:
    """The candidate rules for a line, each with its own pattern, in rule order.

    ``members`` are the numbers (places in ``rules``, which are in rule order) of the
    rules this dispatcher tries. A line meets only the members whose ``max_length`` it
    fits and that either have no required literal or have one in the line (the ``hits``
    of a :class:`LiteralIndex` over all ``rules``). ``pattern`` gives a rule's compiled
    pattern by its number; ``literals`` holds each rule's required literals (None: unknown).
    """

    def __init__(self, rules: tuple, members: list[int], pattern: Callable[[int], re.Pattern],
                 literals: list[frozenset[str] | None]):
        self._rules = rules
        self._pattern = pattern
        self._limits = sorted({rules[i].max_length for i in members})
        #: Per length limit: the members without a literal, and those with one.
        self._buckets = [
            (frozenset(i for i in members if rules[i].max_length >= bound and literals[i] is None),
             frozenset(i for i in members if rules[i].max_length >= bound and literals[i] is not None))
            for bound in self._limits
        ]

    def candidates(self, length: int, hits: set[int]) -> list[tuple[object, re.Pattern]]:
        """The members that could match a line of ``length`` characters whose literal
        ``hits`` are given, with their patterns, in rule order."""
        position = bisect_left(self._limits, length)
        if position == len(self._limits):
            return []
        always, literal = self._buckets[position]
        found = always | (literal & hits) if hits else always
        return [(self._rules[i], self._pattern(i)) for i in sorted(found)]


def literal_index(rules: tuple) -> dict[str, frozenset[str] | None]:
    """Required literals of every rule (kept in the on-disk cache: reading them is slow)."""
    source = "\0".join(f"{rule.id}\0{rule.compiled()}" for rule in rules).encode()

    def compute() -> dict[str, list[str] | None]:
        found = {rule.id: required_literals(rule.compiled()) for rule in rules}
        return {rule_id: sorted(literals) if literals else None for rule_id, literals in found.items()}

    stored = cached_json("literals", source, compute)
    return {rule_id: frozenset(literals) if literals else None for rule_id, literals in stored.items()}
