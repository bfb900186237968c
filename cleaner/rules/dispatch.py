"""Dispatch: try on a line only the rules that could match it.

One regex of a hundred case-insensitive multilingual alternatives costs tens of
microseconds per line, and most lines are prose that no rule matches. Two
indexes, both read off each rule's parsed pattern, name the few rules worth trying:

- by prefix, for the rules that match at the start of a line (block and
  leading rules): the first characters any match can begin with ("adv", "sha",
  "©"), case-folded as the regex engine folds them; a dictionary lookup of the
  line's first characters finds the candidates;
- by required literal, for the rules that match anywhere in a line (contains
  rules): sets of literal text of which every match holds one ("afp" or
  "getty", and "/" or "|"); one Aho-Corasick pass over the lowercased line
  (ahocorasick-rs) finds each rule's most selective set, substring tests the others.

A rule that neither index can describe is always tried. Rules also say how long
a line they act on (``max_length``). The candidates keep their order, so the rule
that wins is the same as if all were tried.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from re import _casefix
from re import _constants as sre
from re import _parser as sre_parse

import _sre
import ahocorasick_rs

from ..io import without_lone_surrogates
from .startup_cache import cached_json

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
#: A required literal must be this long, or a single symbol such as "©" or "›".
MIN_LITERAL_LENGTH = 2
#: A rule's line must hold a literal of each of at most this many sets of required literals.
MAX_CONJUNCTS = 3
#: Punctuation too common in prose to be a required literal beside another.
COMMON_PUNCTUATION = ".,;'’-"
#: How many first characters of a line the prefix index looks at.
PREFIX_LENGTH = 3
#: A rule whose matches can begin in more ways than this is always tried.
MAX_PREFIXES = 4096
#: A character class of more members than this ends a prefix (``\w``, ``[^,]``, ``.``).
MAX_CLASS = 64
#: How many starts of lines a prefix dispatcher remembers the candidates of.
MET_CACHE = 4096
#: What a decimal digit other than 0-9 folds to (``fold_char``).
DIGIT = "\x00"
ASCII_DIGITS = "0123456789"


def required_literals(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Sets of lowercased literals such that every match of ``pattern`` holds one literal of
    each set (at most ``MAX_CONJUNCTS``, the most selective first); None when unknown."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    best, *more = _required(list(parsed)) or [None]
    if best is None:
        return None
    return (frozenset(best), *(frozenset(found) for found in more if all(map(_selective, found))))[:MAX_CONJUNCTS]


def _required(items: list) -> list[set[str]]:
    """The usable sets of required literals of a sequence of parsed items, the most selective first."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(_lowered_char(value))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        if op not in _ZERO_WIDTH:
            candidates += _required_of_item(op, value)
    if run:
        candidates.append({"".join(run)})
    usable = []
    for candidate in candidates:
        if all(map(_usable, candidate)) and candidate not in usable:
            usable.append(candidate)
    return sorted(usable, key=lambda c: (min(map(len, c)), -len(c)), reverse=True)


def _required_of_item(op, value) -> list[set[str]]:
    if op is sre.SUBPATTERN:
        return _required(list(value[-1]))
    if op is sre.BRANCH:  # one set of each alternative, the same rank in each, joined
        alternatives = [_required(list(alternative)) for alternative in value[1]]
        if not all(alternatives):
            return []
        ranks = max(map(len, alternatives))
        return [set().union(*(found[min(rank, len(found) - 1)] for found in alternatives)) for rank in range(ranks)]
    if op in _REPEATS and value[0] >= 1:
        return _required(list(value[2]))
    if op is sre.IN and all(member is sre.LITERAL for member, _ in value):
        return [{_lowered_char(code) for _, code in value}]
    return []


def _lowered_char(code: int) -> str:
    """A literal character of a pattern as ``lowered`` leaves it in a line."""
    return lowered(chr(code))


def _selective(literal: str) -> bool:
    """Whether ``literal`` is rare enough in prose to be worth looking for beside another
    (a word of three letters or more, or a symbol other than common punctuation)."""
    return len(literal.strip()) >= 3 or (len(literal) == 1 and literal not in COMMON_PUNCTUATION)


def _usable(literal: str) -> bool:
    stripped = literal.strip()
    return len(stripped) >= MIN_LITERAL_LENGTH or (len(stripped) == 1 and not stripped.isalnum())


def fold_char(char: str) -> str:
    """The character as the regex engine compares it when ignoring case: its simple lower case,
    or the smallest of the lower cases it is equivalent to ("ſ" is "s"). A decimal digit other
    than 0-9 is ``DIGIT``, as is ``\\d`` in a pattern, which also stands for each of 0-9."""
    if char.isdecimal() and not char.isascii():
        return DIGIT
    lower = _sre.unicode_tolower(ord(char))
    return chr(min((lower, *_casefix._EXTRA_CASES.get(lower, ()))))


def fold(text: str) -> str:
    """``text`` with every character folded (``fold_char``): equal for any two texts a
    case-insensitive regex cannot tell apart."""
    return text.lower() if text.isascii() else "".join(map(fold_char, text))


def lowered(text: str) -> str:
    """``text`` lowercased the way a case-insensitive regex compares it, but for digits: a
    literal found in it is found in the text by the regex ("ſ" is "s"); fast for long lines."""
    if text.isascii() or not _unusual_case_pattern().search(text):
        return text.lower()
    return text.translate(_unusual_cases()).lower()


@cache
def _unusual_case_pattern() -> re.Pattern:
    """A class of the ``_unusual_cases``: most lines hold none, and need no ``str.translate``."""
    return re.compile("[" + "".join(map(re.escape, map(chr, sorted(_unusual_cases())))) + "]")


@cache
def _unusual_cases() -> dict[int, str]:
    """The characters whose ``str.lower`` is not how the regex engine folds them: "İ", whose
    lower case is two characters, and those with more than one lower case ("ſ", "ς", "ϐ", ...)."""
    chars = {"\u0130"}
    for lower, others in _casefix._EXTRA_CASES.items():
        for char in map(chr, (lower, *others)):
            chars.update(form for form in (char, char.upper(), char.title()) if len(form) == 1)
    return {ord(char): fold_char(char) for char in chars if char.lower() != fold_char(char)}


class _Unknown(Exception):
    """A prefix cannot be read off the pattern: the rule is always tried."""


def required_prefixes(pattern: str, size: int = PREFIX_LENGTH) -> frozenset[str] | None:
    """Folded strings (``fold``) of at most ``size`` characters, one of which begins every
    match of ``pattern``; None when unknown (a match may begin with a class of many characters)."""
    try:
        parsed = sre_parse.parse(pattern)
        open_, closed = _extend({""}, list(parsed), size)
    except (re.error, _Unknown):
        return None
    found = open_ | closed
    return None if "" in found else frozenset(found)


def _extend(open_: set[str], items: list, size: int) -> tuple[set[str], set[str]]:
    """Extend the prefixes ``open_`` by a sequence of parsed items: the prefixes still open
    (shorter than ``size``, their match may go on) and those closed (nothing more is known)."""
    closed: set[str] = set()
    for op, value in items:
        if not open_:
            break
        if op is sre.ASSERT and value[0] == 1:  # a lookahead: what follows begins as it does
            ahead = set().union(*_extend(open_, list(value[1]), size))
            if "" not in ahead:
                closed |= ahead
                open_ = set()
            continue
        if op in _ZERO_WIDTH:
            continue
        if op is sre.SUBPATTERN or op is getattr(sre, "ATOMIC_GROUP", None):
            open_, more = _extend(open_, list(value[-1] if op is sre.SUBPATTERN else value), size)
            closed |= more
        elif op is sre.BRANCH:
            branches = [_extend(open_, list(alternative), size) for alternative in value[1]]
            open_ = set().union(*(o for o, _ in branches))
            closed |= set().union(*(c for _, c in branches))
        elif op in _REPEATS:
            low, high, item = value
            once, more = _extend(open_, list(item), size)
            closed |= more
            if high == 1:  # "?" or "{1}": what follows goes on from either
                open_ = (open_ | once) if low == 0 else once
            else:  # another repetition may follow: what one gives is all that is known
                closed |= once
                open_ = open_ if low == 0 else set()
        else:
            characters = _characters(op, value)
            if characters is None:
                closed |= open_
                open_ = set()
            else:
                open_ = {prefix + char for prefix in open_ for char in characters}
        done = {prefix for prefix in open_ if len(prefix) >= size}
        closed |= done
        open_ -= done
        if len(open_) + len(closed) > MAX_PREFIXES:
            raise _Unknown
    return open_, closed


def _characters(op, value) -> set[str] | None:
    """The folded characters one parsed item can match, or None for too many or unknown."""
    if op is sre.LITERAL:
        return {fold_char(chr(value))}
    if op is not sre.IN:
        return None
    found: set[str] = set()
    for member, argument in value:
        if member is sre.LITERAL:
            found.add(fold_char(chr(argument)))
        elif member is sre.RANGE and argument[1] - argument[0] < MAX_CLASS:
            found.update(fold_char(chr(code)) for code in range(argument[0], argument[1] + 1))
        elif member is sre.CATEGORY and argument is sre.CATEGORY_DIGIT:
            found.update(ASCII_DIGITS, DIGIT)
        else:  # a negated class, a wide range, \w, \s, ...
            return None
    return found if len(found) <= MAX_CLASS else None


class PrefixDispatcher:
    """The candidate rules for a line by its first characters, each with its own pattern, in rule order.

    ``members`` are the numbers (places in ``rules``) of the rules this dispatcher
    tries, all of which match at the start of a line; ``prefixes`` holds each rule's
    ``required_prefixes`` (None: unknown, always tried); ``pattern`` gives a rule's
    compiled pattern by its number.
    """

    def __init__(self, rules: tuple, members: list[int], pattern: Callable[[int], re.Pattern],
                 prefixes: list[frozenset[str] | None]):
        self._rules = rules
        self._pattern = pattern
        self._always = frozenset(i for i in members if prefixes[i] is None)
        table: dict[str, set[int]] = {}
        for number in members:
            for prefix in prefixes[number] or ():
                table.setdefault(prefix, set()).add(number)
        self._table = {prefix: frozenset(numbers) for prefix, numbers in table.items()}
        #: Per folded start of a line: the rules it meets, with their patterns and length limits (shortest, longest).
        self._met: dict[str, list[tuple[object, re.Pattern, int, int]]] = {}

    def candidates(self, line: str) -> list[tuple[object, re.Pattern, int, int]]:
        """The members whose matches could begin ``line``, in rule order, each with its pattern and
        its ``min_length`` and ``max_length`` (which the caller checks against the line: one list per start of a line,
        made and its patterns compiled when a line first needs it)."""
        key = fold(line[:PREFIX_LENGTH])
        met = self._met.get(key)
        return self._meet(key) if met is None else met

    def _meet(self, key: str) -> list[tuple[object, re.Pattern, int, int]]:
        table = self._table
        numbers = self._always.union(*(table.get(key[:end], ()) for end in range(1, len(key) + 1)))
        if len(self._met) >= MET_CACHE:
            self._met.clear()
        rules, pattern = self._rules, self._pattern
        met = self._met[key] = [(rules[i], pattern(i), rules[i].min_length, rules[i].max_length) for i in sorted(numbers)]
        return met


#: A match's first item: the number of the literal found.
_first = itemgetter(0)


def _holds_one_of_each(text: str, sets) -> bool:
    """Whether ``text`` holds a literal of each of ``sets`` (plain loops, not ``all(any(...))``:
    on a line, the generators cost more than the substring tests)."""
    for literals in sets:
        for literal in literals:
            if literal in text:
                break
        else:
            return False
    return True


class LiteralIndex:
    """Which rules' required literals occur in a line: one Aho-Corasick pass over the
    lowercased line (ahocorasick-rs, built on first use) for each rule's first set of
    literals, then plain substring tests for its other sets. The rules are numbered by
    their place in ``literals``, which holds each rule's sets of required literals (None:
    a rule without a usable literal, never reported); a rule is reported when its line
    holds a literal of each of its sets."""

    def __init__(self, literals: list[tuple[frozenset[str], ...] | None]):
        self._literals = literals
        self._more = {number: sets[1:] for number, sets in enumerate(literals) if sets and len(sets) > 1}
        self._built = False
        self._automaton: ahocorasick_rs.AhoCorasick | None = None  # None once built: no literals at all
        #: Per literal (by its place in the automaton): the numbers of the rules it stands for.
        self._numbers: list[tuple[int, ...]] = []

    def hits(self, line: str) -> set[int]:
        """The numbers of the rules a literal of each of whose sets occurs in ``line``."""
        if not self._built:
            self._build()
        if self._automaton is None:
            return set()
        text = lowered(line)
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # the automaton reads UTF-8: a lone surrogate is no literal's
            matches = self._automaton.find_matches_as_indexes(without_lone_surrogates(text), overlapping=True)
        found = set().union(*map(self._numbers.__getitem__, map(_first, matches)))
        more = self._more
        for number in more.keys() & found:  # the rules with other sets: a literal of each must be in the line too
            if not _holds_one_of_each(text, more[number]):
                found.discard(number)
        return found

    def _build(self) -> None:
        by_literal: dict[str, set[int]] = {}
        for number, sets in enumerate(self._literals):
            for literal in sets[0] if sets else ():
                by_literal.setdefault(literal, set()).add(number)
        if by_literal:
            literals = sorted(by_literal)
            self._automaton = ahocorasick_rs.AhoCorasick(literals, matchkind=ahocorasick_rs.MatchKind.Standard)
            self._numbers = [tuple(sorted(by_literal[literal])) for literal in literals]
        self._built = True


class LiteralDispatcher:
    """The candidate rules for a line by the literals in it, each with its own pattern, in rule order.

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


#: The match kinds whose rules match at the start of a line, found by prefix; contains
#: rules are found by literal; trailing rules are one regex of their own.
BY_PREFIX = ("block", "leading")
BY_LITERAL = ("contains",)
#: Changes whenever the way keys are read off a pattern changes, so that the on-disk cache misses.
KEYS_VERSION = "5"


def dispatch_keys(rules: tuple) -> dict[str, tuple[frozenset[str], ...] | None]:
    """Per rule id: its required prefixes, as one set (block and leading rules), or its sets
    of required literals (contains rules); None when unknown or not dispatched. Kept in the
    on-disk cache: reading them off the patterns is slow."""
    source = "\0".join([KEYS_VERSION, *(f"{rule.id}\0{rule.match}\0{rule.compiled()}" for rule in rules)]).encode()

    def keys(rule) -> tuple[frozenset[str], ...] | None:
        if rule.match in BY_PREFIX:
            prefixes = required_prefixes(rule.compiled())
            return (prefixes,) if prefixes else None
        return required_literals(rule.compiled()) if rule.match in BY_LITERAL else None

    def compute() -> dict[str, list[list[str]] | None]:
        found = {rule.id: keys(rule) for rule in rules}
        return {rule_id: [sorted(one) for one in sets] if sets else None for rule_id, sets in found.items()}

    stored = cached_json("dispatch", source, compute)
    return {rule_id: tuple(map(frozenset, sets)) if sets else None for rule_id, sets in stored.items()}
