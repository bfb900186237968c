"""Residue rules: one TOML data file per family, compiled into three matchers.

The layout of a rule file is described in ``README.md`` beside this module.
Block, leading and contains rules meet only the lines they could match (their
first characters, or the literals they need: see ``dispatch.py``); the trailing
rules are joined into one regular expression with a named group per rule, so
``match.lastgroup`` names the rule that fired.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .startup_cache import cached_json, compile_cached
from .dispatch import LiteralDispatcher, LiteralIndex, PrefixDispatcher, dispatch_keys

RULES_FOLDER = Path(__file__).resolve().parent
MATCH_KINDS = ("block", "contains", "leading", "trailing")
ACTIONS = ("remove", "caption")
ZONES = ("any", "top")
#: Zones of residue a header line opens: related links run until the article's prose
#: resumes, the others to the end of the text (``ENDLESS_ZONES``).
OPENS_ZONES = ("", "comments", "related", "author", "references", "republish", "end_matter")
#: Zones that run to the end of the text: no later header ends or replaces them.
ENDLESS_ZONES = ("comments", "author", "references", "republish", "end_matter")

#: Characters stripped from both ends of a line before block rules see it.
DECORATION = (
    " \t\r\n\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff"
    "-–—_*•·|:;,.!?[](){}<>«»‹›▶►▸▼▲→←↑↓…'\"“”‘’„#=+~/\\"
)
#: The longest line a rule acts on, unless the rule says otherwise (``max_length``):
#: residue lines are short, and a rule never needs to look at a paragraph of prose.
DEFAULT_MAX_LENGTH = {"block": 100, "contains": 200, "leading": 10_000, "trailing": 10_000}
#: Symbols stripped from the ends of a line too (emoji, arrows, dingbats: "💡 Related: ..."),
#: by Unicode category; the signs a rule may need (copyright, trademark) stay.
SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Mn", "Cf", "Zs"})
KEPT_SYMBOLS = frozenset("©®™℗№")
#: No rule may look at lines longer than this: a block rule (a cookie banner's paragraph
#: is long), a contains rule (its phrase must be the line's point: at most ``MAX_CONTAINS_LENGTH``).
MAX_RULE_LENGTH = 1200
MAX_CONTAINS_LENGTH = 400
#: ``RuleSet.match_block`` remembers its verdicts on lines this short, up to ``SEEN_LINES`` of them
#: (then it forgets them all and starts again).
SEEN_LENGTH = 64
SEEN_LINES = 8192
_UNSEEN = object()
#: Trailing rules look at this many characters at the end of a line.
TRAILING_WINDOW = 160


class RuleError(ValueError):
    """A rule file is malformed: the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    languages: tuple[str, ...]
    match: str
    action: str
    reason: str
    pattern: str
    case_sensitive: bool = False
    zone: str = "any"
    max_length: int = 100
    #: The shortest line a block rule acts on: a shorter one is not even tried (a long bio's rule).
    min_length: int = 0
    opens_zone: str = ""
    #: The header opens its zone only when at least this share of the text's words stands above it.
    opens_zone_below: float = 0.0
    #: The header opens its zone only above a bio of the one it names (``About Ann Lee`` over "Ann Lee
    #: is a writer ..."): a heading such as "About Lisbon" heads the article's own section.
    opens_zone_on_bio: bool = False
    #: The line the rule removes is a reader's comment itself (not a header): the comment model
    #: reads it as one of the thread it looks for.
    comment_line: bool = False
    #: A line that reports someone's words ("..., the director told donors") is the article's,
    #: whatever else it holds: the rule leaves it (``reports_speech``).
    spares_reported_speech: bool = False
    #: A short line ending in "!" right above a line the rule removed is that button's pitch ("... ships
    #: to your door!" over "Shop Now"): it goes too (``decide.take_button_pitches``).
    takes_pitch_above: bool = False
    min_repeats: int = 1
    remove_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()

    def covers(self, languages: frozenset[str] | None) -> bool:
        """True when the rule applies to any of ``languages`` (None: all)."""
        return languages is None or "*" in self.languages or bool(languages & set(self.languages))

    def spares(self, line: str) -> bool:
        """True when the rule leaves ``line`` although its pattern matches it: the line reports
        someone's words, and the rule spares reported speech."""
        return self.spares_reported_speech and reports_speech(line)

    def compiled(self) -> str:
        """The pattern as a group with its own flags, ready to be joined with others."""
        flags = "x" if self.case_sensitive else "ix"
        return f"(?{flags}:{self.pattern})"


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a rule matched: the rule, and the matched piece ``[start, end)`` of the line."""

    rule: Rule
    start: int
    end: int


@dataclass(frozen=True)
class RuleSet:
    """The active rules, with one matcher per match kind.

    Block, contains and leading rules meet only the lines they could match (see
    ``dispatch.py``); trailing rules are one regex, searched near the line's end.
    """

    rules: tuple[Rule, ...]
    by_id: dict[str, Rule] = field(init=False, repr=False)
    #: The ids of the rules whose lines are readers' comments themselves (``Rule.comment_line``).
    comment_lines: frozenset[str] = field(init=False, repr=False)
    _block: PrefixDispatcher = field(init=False, repr=False)
    _block_top: PrefixDispatcher = field(init=False, repr=False)
    _leading: PrefixDispatcher = field(init=False, repr=False)
    _contains: LiteralDispatcher = field(init=False, repr=False)
    _contains_limit: int = field(init=False, repr=False)
    #: The longest line any block or contains rule reads.
    _longest_line: int = field(init=False, repr=False)
    _trailing: re.Pattern | None = field(init=False, repr=False)
    _trailing_rules: dict[str, Rule] = field(init=False, repr=False)
    _literals: LiteralIndex = field(init=False, repr=False)
    _patterns: list[re.Pattern | None] = field(init=False, repr=False)
    #: ``match_block``'s verdicts on short lines already seen, anywhere and at the top (see ``SEEN_LENGTH``).
    _seen: tuple[dict[str, Rule | None], dict[str, Rule | None]] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_id", {rule.id: rule for rule in self.rules})
        object.__setattr__(self, "comment_lines", frozenset(rule.id for rule in self.rules if rule.comment_line))
        shipped = _shipped_by_id()
        # the keys of all shipped rules, one cache file for any choice of them (--lang, --disable)
        by_id = dispatch_keys(all_rules() if all(shipped.get(rule.id) is rule for rule in self.rules) else self.rules)
        keys = [by_id[rule.id] for rule in self.rules]
        literals = [found if rule.match == "contains" else None for rule, found in zip(self.rules, keys)]
        object.__setattr__(self, "_literals", LiteralIndex(literals))
        object.__setattr__(self, "_patterns", [None] * len(self.rules))
        object.__setattr__(self, "_seen", ({}, {}))

        def members(kind: str, zones: tuple[str, ...] = ZONES) -> list[int]:
            return [i for i, rule in enumerate(self.rules) if rule.match == kind and rule.zone in zones]

        prefixes = [found[0] if found and rule.match != "contains" else None for rule, found in zip(self.rules, keys)]
        for name, kind, zones in (("_block", "block", ("any",)), ("_block_top", "block", ZONES),
                                  ("_leading", "leading", ZONES)):
            object.__setattr__(self, name, PrefixDispatcher(self.rules, members(kind, zones), self._pattern, prefixes))
        contains = members("contains")
        object.__setattr__(self, "_contains", LiteralDispatcher(self.rules, contains, self._pattern, literals))
        object.__setattr__(self, "_contains_limit", max((self.rules[i].max_length for i in contains), default=0))
        blocks = members("block", ZONES)
        object.__setattr__(self, "_longest_line", max((self.rules[i].max_length for i in blocks + contains), default=0))
        trailing = {f"r{index}": rule for index, rule in enumerate(r for r in self.rules if r.match == "trailing")}
        object.__setattr__(self, "_trailing_rules", trailing)
        object.__setattr__(self, "_trailing", _trailing_pattern(trailing))

    def _pattern(self, number: int) -> re.Pattern:
        """The compiled pattern of rule ``number`` (its place in ``rules``), compiled on first use."""
        pattern = self._patterns[number]
        if pattern is None:
            pattern = self._patterns[number] = compile_rule(self.rules[number])
        return pattern

    def match_block(self, line: str, top: bool = False) -> Hit | None:
        """The block rule that matches the whole ``line`` (stripped of decoration), if any.

        ``top``: the line stands above the article's first paragraph, where rules of
        zone ``top`` (section labels, bylines, reading times) apply too. A line that
        no block rule matches as a whole may still hold a ``contains`` phrase.
        """
        if len(line) > self._longest_line:
            return None
        if len(line) > SEEN_LENGTH:
            rule = self._block_rule(line, top)
        else:  # a short line recurs: "Share", "Reply", "12" (a text of a million such lines asked a million times)
            seen = self._seen[top]
            rule = seen.get(line, _UNSEEN)
            if rule is _UNSEEN:
                if len(seen) >= SEEN_LINES:
                    seen.clear()
                rule = seen[line] = self._block_rule(line, top)
        return None if rule is None else Hit(rule, 0, len(line))

    def _block_rule(self, line: str, top: bool) -> Rule | None:
        """The rule of ``match_block``, if any (``line`` no longer than any block or contains rule's ``max_length``)."""
        core = single_spaced(strip_decoration(line))
        length = len(core)
        for rule, pattern, low, limit in (self._block_top if top else self._block).candidates(core):
            if low <= length <= limit and pattern.fullmatch(core) and not rule.spares(core):
                return rule
        if len(line) > self._contains_limit:
            return None
        line = single_spaced(line)
        for rule, pattern in self._contains.candidates(len(line), self._literals.hits(line)):
            if pattern.search(line) and not rule.spares(line):
                return rule
        return None

    def match_leading(self, line: str) -> Hit | None:
        """The leading piece of ``line`` a rule cuts off, if any (never the whole line)."""
        length = len(line)
        for rule, pattern, low, limit in self._leading.candidates(line):
            match = low <= length <= limit and pattern.match(line)
            if match and line[match.end():].strip():
                return Hit(rule, match.start(), match.end())
        return None

    def match_trailing(self, line: str) -> Hit | None:
        """The trailing piece of ``line`` a rule cuts off, if any (never the whole line).

        A line that ends a sentence (".", "!", "?") carries no glued marker: skipped.
        """
        if self._trailing is None or line[-1:] in ".!?":
            return None
        match = self._trailing.search(line, max(0, len(line) - TRAILING_WINDOW))
        if not match or not line[: match.start()].strip():
            return None
        return Hit(self._trailing_rules[match.lastgroup], match.start(), match.end())


#: A verb of saying, or "according": the line reports someone's words (``Rule.spares_reported_speech``).
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|told|according|wrote|joked|argued|asked|announced|explained|urged|advised|advises|ruled|reported)\b",
    re.IGNORECASE,
)


def reports_speech(line: str) -> bool:
    """True when ``line`` reports what someone said, wrote or announced (English verbs of saying)."""
    return _REPORTED_SPEECH.search(line) is not None


_SPACES = re.compile(r"\s{2,}|[^\S ]")


def single_spaced(line: str) -> str:
    """``line`` with each run of white space one space: what block and contains rules read, as
    they take or leave the whole line. A pattern's ``\\s+`` between words then meets one way to
    read each run (a row of "$75      at      Amazon" took seconds to fail on a price rule)."""
    return _SPACES.sub(" ", line) if "  " in line or not line.isprintable() else line


def strip_decoration(line: str) -> str:
    """``line`` without the whitespace, punctuation and symbols around its words (see ``DECORATION``)."""
    core = line.strip(DECORATION)
    if not core or (core[0].isascii() and core[-1].isascii()):
        return core
    start, end = 0, len(core)
    while start < end and _is_symbol(core[start]):
        start += 1
    while end > start and _is_symbol(core[end - 1]):
        end -= 1
    if (start, end) == (0, len(core)):
        return core
    return core[start:end].strip(DECORATION) or core  # a line of symbols alone ("✕") stays as it is


def _is_symbol(char: str) -> bool:
    return not char.isascii() and char not in KEPT_SYMBOLS and unicodedata.category(char) in SYMBOL_CATEGORIES


def _trailing_pattern(named: dict[str, Rule]) -> re.Pattern | None:
    """One regex of all trailing rules, a named group each, anchored at the end of the line."""
    groups = [f"(?P<{name}>{rule.compiled()})" for name, rule in named.items()]
    return compile_cached(f"(?:{'|'.join(groups)})\\s*\\Z") if groups else None


@cache
def compile_rule(rule: Rule) -> re.Pattern:
    """The rule's own compiled pattern, compiled on first use."""
    try:
        return compile_cached(rule.compiled())
    except re.error as exc:
        raise RuleError(f"{rule.family}.toml: rule {rule.id}: bad pattern: {exc}") from None


def load_rule_file(name: str, data: str, check_patterns: bool = True) -> list[Rule]:
    """Parse one family file; raise RuleError naming the file and rule on any defect.

    ``check_patterns=False`` leaves compiling each pattern to its first use (a
    bad pattern is then reported there, as a RuleError naming the rule): the
    shipped files are checked by the tests, and start-up stays light.
    """
    return rules_of(name, parse_toml(name, data), check_patterns)


def parse_toml(name: str, data: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{name}: not valid TOML: {exc}") from None


def rules_of(name: str, doc: dict, check_patterns: bool = True) -> list[Rule]:
    """The rules of one parsed family file, checked."""
    family = doc.get("family")
    if f"{family}.toml" != name:
        raise RuleError(f"{name}: family = {family!r} does not match the file name")
    return [_parse_rule(name, family, entry, check_patterns) for entry in doc.get("rule", [])]


def _parse_rule(name: str, family: str, entry: dict, check_pattern: bool) -> Rule:
    rule_id = entry.get("id", "?")
    where = f"{name}: rule {rule_id}"
    if not rule_id.startswith(f"{family}."):
        raise RuleError(f"{where}: id must start with '{family}.'")
    for key in ("languages", "pattern", "reason"):
        if key not in entry:
            raise RuleError(f"{where}: missing '{key}'")
    match, action, zone = entry.get("match", "block"), entry.get("action", "remove"), entry.get("zone", "any")
    if zone not in ZONES:
        raise RuleError(f"{where}: zone must be one of {', '.join(ZONES)}, not {zone!r}")
    if zone != "any" and match != "block":
        raise RuleError(f"{where}: zone '{zone}' is for block rules only")
    if match not in MATCH_KINDS:
        raise RuleError(f"{where}: match must be one of {', '.join(MATCH_KINDS)}, not {match!r}")
    max_length = entry.get("max_length", DEFAULT_MAX_LENGTH[match])
    longest = {"block": MAX_RULE_LENGTH, "contains": MAX_CONTAINS_LENGTH}.get(match)
    if longest and not 0 < max_length <= longest:
        raise RuleError(f"{where}: max_length must be from 1 to {longest}")
    min_length = entry.get("min_length", 0)
    if not isinstance(min_length, int) or not 0 <= min_length <= max_length or (min_length and match != "block"):
        raise RuleError(f"{where}: min_length must be a whole number from 0 to max_length, on a block rule")
    min_repeats = entry.get("min_repeats", 1)
    if not isinstance(min_repeats, int) or min_repeats < 1:
        raise RuleError(f"{where}: min_repeats must be a whole number of 1 or more")
    opens_zone = entry.get("opens_zone", "")
    if opens_zone not in OPENS_ZONES:
        raise RuleError(f"{where}: opens_zone must be one of {', '.join(z for z in OPENS_ZONES if z)}")
    opens_zone_below = entry.get("opens_zone_below", 0.0)
    if not isinstance(opens_zone_below, (int, float)) or not 0 <= opens_zone_below < 1 \
            or (opens_zone_below and not opens_zone):
        raise RuleError(f"{where}: opens_zone_below must be a share from 0 to below 1, on a rule that opens a zone")
    for key in ("comment_line", "spares_reported_speech", "opens_zone_on_bio", "takes_pitch_above"):
        if not isinstance(entry.get(key, False), bool):
            raise RuleError(f"{where}: {key} must be true or false")
    if entry.get("opens_zone_on_bio") and not opens_zone:
        raise RuleError(f"{where}: opens_zone_on_bio is for a rule that opens a zone")
    if entry.get("takes_pitch_above") and (match != "block" or action != "remove"):
        raise RuleError(f"{where}: takes_pitch_above is for block rules that remove")
    if entry.get("spares_reported_speech") and match not in ("block", "contains"):
        raise RuleError(f"{where}: spares_reported_speech is for block and contains rules only")
    if action not in ACTIONS:
        raise RuleError(f"{where}: action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if action == "caption" and match not in ("block", "contains"):
        raise RuleError(f"{where}: action 'caption' is for block and contains rules only")
    examples = entry.get("examples", {})
    rule = Rule(
        id=rule_id,
        family=family,
        languages=tuple(entry["languages"]),
        match=match,
        action=action,
        reason=entry["reason"],
        pattern=entry["pattern"],
        case_sensitive=entry.get("case_sensitive", False),
        zone=zone,
        max_length=max_length,
        min_length=min_length,
        opens_zone=opens_zone,
        opens_zone_below=float(opens_zone_below),
        opens_zone_on_bio=entry.get("opens_zone_on_bio", False),
        comment_line=entry.get("comment_line", False),
        spares_reported_speech=entry.get("spares_reported_speech", False),
        takes_pitch_above=entry.get("takes_pitch_above", False),
        min_repeats=min_repeats,
        remove_examples=tuple(examples.get("remove", ())),
        keep_examples=tuple(examples.get("keep", ())),
    )
    if "(?P<" in rule.pattern:
        raise RuleError(f"{where}: named groups are not allowed (rules are joined into one regex)")
    if check_pattern:
        compile_rule(rule)
    if not rule.remove_examples:
        raise RuleError(f"{where}: needs at least one example in examples.remove")
    return rule


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every family file shipped with the package, in file order."""
    paths = sorted(RULES_FOLDER.glob("*.toml"))
    texts = {path.name: path.read_text(encoding="utf-8") for path in paths}
    source = "\0".join(f"{name}\0{text}" for name, text in texts.items()).encode()
    docs = cached_json("rules", source, lambda: {name: parse_toml(name, text) for name, text in texts.items()})
    rules = [rule for name, doc in docs.items() for rule in rules_of(name, doc, check_patterns=False)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"rule id {rule.id} is defined twice")
        seen.add(rule.id)
    return tuple(rules)


@cache
def _shipped_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


#: Rule sets kept built, one per choice of languages and disabled rules (a set holds about 2 MB):
#: a program that varies them per text, by the language found in each, keeps no more than this.
RULE_SETS_KEPT = 32


@lru_cache(maxsize=RULE_SETS_KEPT)
def rule_set(languages: frozenset[str] | None = None, disabled: frozenset[str] = frozenset()) -> RuleSet:
    """The active rules for ``languages`` (None: all), less the ``disabled`` ids or families."""
    active = tuple(
        rule
        for rule in all_rules()
        if rule.covers(languages) and rule.id not in disabled and rule.family not in disabled
    )
    return RuleSet(active)
