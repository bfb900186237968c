"""Dispatch: try on a line only the rules that could match it.

One regex of a hundred case-insensitive multilingual alternatives costs tens of
microseconds per line, and most lines are prose that no rule matches. Nearly
every rule needs some literal text in any line it matches ("advertisement",
"newsletter", "lesen sie auch"): these required literals are read off the parsed
pattern, and one Aho-Corasick pass over the lowercased line (pyahocorasick) finds
which rules are worth trying. The few rules without such a literal are always
tried. Rules also say how long a line they act on (``max_length``). The
candidates keep their order, so the rule that wins is the same as if all were tried.
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


class Dispatcher:
    """The candidate rules for a line, each with its own pattern, in rule order.

    A line meets only the rules whose ``max_length`` it fits: there is one index
    of required literals per distinct length limit, built when a line first needs it. ``compile`` turns a rule into
    its pattern on first use; ``literals`` maps rule ids to required literals.
    """

    def __init__(self, rules: list, compile: Callable, literals: dict[str, frozenset[str] | None]):
        self._rules = rules
        self._compile = compile
        self._patterns: list[re.Pattern | None] = [None] * len(rules)
        self._required = [literals[rule.id] for rule in rules]
        self._limits = sorted({rule.max_length for rule in rules})
        self._indexes: list[_Index | None] = [None] * len(self._limits)

    def candidates(self, line: str) -> list[tuple[object, re.Pattern]]:
        """The rules that could match ``line``, with their patterns, in rule order."""
        position = bisect_left(self._limits, len(line))
        if position == len(self._limits):
            return []
        return [(self._rules[i], self._pattern(i)) for i in self._index(position).candidates(line)]

    def _index(self, position: int) -> _Index:
        """The index of the rules whose limit reaches ``self._limits[position]``, built on first use."""
        index = self._indexes[position]
        if index is None:
            bound = self._limits[position]
            members = [i for i, rule in enumerate(self._rules) if rule.max_length >= bound]
            index = self._indexes[position] = _Index(members, self._required)
        return index

    def _pattern(self, index: int) -> re.Pattern:
        pattern = self._patterns[index]
        if pattern is None:
            pattern = self._patterns[index] = self._compile(self._rules[index])
        return pattern


class _Index:
    """Which of some rules a line may meet: the rules without a required literal, and
    those whose literal occurs in the lowercased line (one Aho-Corasick pass)."""

    def __init__(self, members: list[int], literals: list[frozenset[str] | None]):
        self.always = [i for i in members if literals[i] is None]
        self._automaton = ahocorasick.Automaton()
        by_literal: dict[str, set[int]] = {}
        for i in members:
            for literal in literals[i] or ():
                by_literal.setdefault(literal, set()).add(i)
        for literal, indices in by_literal.items():
            self._automaton.add_word(literal, tuple(indices))
        self._searchable = bool(by_literal)
        if self._searchable:
            self._automaton.make_automaton()

    def candidates(self, line: str) -> list[int]:
        if not self._searchable:
            return self.always
        found = set(self.always)
        found.update(*map(itemgetter(1), self._automaton.iter(line.lower())))
        return sorted(found)


def literal_index(rules: tuple) -> dict[str, frozenset[str] | None]:
    """Required literals of every rule (kept in the on-disk cache: reading them is slow)."""
    source = "\0".join(f"{rule.id}\0{rule.compiled()}" for rule in rules).encode()

    def compute() -> dict[str, list[str] | None]:
        found = {rule.id: required_literals(rule.compiled()) for rule in rules}
        return {rule_id: sorted(literals) if literals else None for rule_id, literals in found.items()}

    stored = cached_json("literals", source, compute)
    return {rule_id: frozenset(literals) if literals else None for rule_id, literals in stored.items()}
