"""Every rule file loads, and every rule proves itself on its own examples."""

from __future__ import annotations

import re

import pytest

from cleaner.blocks import Block
from cleaner.decide import Action, apply_rules
from cleaner.rules import (
    DECORATION,
    RuleError,
    RuleSet,
    all_rules,
    load_rule_file,
    rule_set,
)
from cleaner.rules.dispatch import ASCII_DIGITS, DIGIT, dispatch_keys, fold, required_literals, required_prefixes

RULES = all_rules()
_MARKED = re.compile(r"\[\[(.+?)\]\]")


def _block(line: str) -> Block:
    return Block(0, len(line), line, True)


def _cut_pieces(line: str, rules: RuleSet) -> tuple[Action, list[str]]:
    """What the rule stage does to ``line`` at the top of a text, where every rule applies."""
    decision = apply_rules(_block(line), rules, top=True)
    return decision.action, [cut.text for cut in decision.cuts]


def test_rules_exist_for_every_family_and_language():
    families = {rule.family for rule in RULES}
    assert {"share", "ads", "newsletter", "related", "comments", "credits", "legal"} <= families
    for language in ("en", "de", "fr", "es", "it", "pt", "nl", "ru"):
        covered = {rule.family for rule in RULES if language in rule.languages}
        assert {"share", "ads", "newsletter", "related"} <= covered, language


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_acts_on_its_remove_examples(rule):
    alone = RuleSet((rule,))
    for example in rule.remove_examples:
        if rule.match in ("block", "contains"):
            hit = alone.match_block(example, top=True)
            assert hit and hit.rule is rule, f"{rule.id} should match {example!r}"
        else:
            marked = _MARKED.findall(example)
            assert marked, f"{rule.id}: mark the piece to cut in {example!r} with [[ ]]"
            line = _MARKED.sub(lambda m: m.group(1), example)
            action, cuts = _cut_pieces(line, alone)
            assert cuts == [piece.strip() for piece in marked], f"{rule.id} on {line!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_leaves_its_keep_examples_alone(rule):
    alone = RuleSet((rule,))
    for example in rule.keep_examples:
        assert _cut_pieces(example, alone) == (Action.KEEP, []), f"{rule.id} must keep {example!r}"


def test_keep_examples_survive_all_rules_together():
    everything = rule_set()
    for rule in RULES:
        for example in rule.keep_examples:
            action, cuts = _cut_pieces(example, everything)
            assert (action, cuts) == (Action.KEEP, []), f"{example!r} (a keep example of {rule.id})"


def test_rule_ids_are_unique_and_named_after_their_family():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(rule.family + ".") for rule in RULES)


def test_few_rules_are_tried_on_every_line():
    """A rule without a known prefix or required literal is tried on every short line: keep them rare."""
    keys = dispatch_keys(tuple(RULES))
    undispatched = [rule.id for rule in RULES if rule.match != "trailing" and keys[rule.id] is None]
    assert len(undispatched) <= 3, undispatched
    no_prefix = [rule.id for rule in RULES if rule.match in ("block", "leading") and keys[rule.id] is None]
    assert no_prefix == [], "block and leading rules are found by their first characters"


@pytest.mark.parametrize(
    "pattern, literals",
    [("advertisement", [{"advertisement"}]), ("(?:\\d+\\s*)?(?:share|teilen)", [{"share", "teilen"}]),
     ("read\\s+more:\\s*.+", [{"more:"}, {"read"}]), ("\\w+\\s+says:?", [{"says"}]), ("[\\w.]+\\s+\\d+", None),
     ("© .*", [{"© "}]),
     # every match holds "reuters" or "afp", and a slash
     ("(?:reuters|afp)\\s*/\\s*\\w+", [{"reuters", "afp"}, {"/"}]),
     # each alternative gives its literals of the same rank: the slash is required either way
     ("(?:ap\\s*/|by\\s+\\w+\\s*/)\\s*\\w+", [{"ap", "by"}, {"/"}]),
     # a full stop is too common to be worth looking for
     ("source\\s*[.,]", [{"source"}])],
)
def test_required_literals(pattern, literals):
    found = required_literals(pattern)
    assert ([set(one) for one in found] if found else None) == literals


@pytest.mark.parametrize(
    "pattern, prefixes",
    [("advertisement", {"adv"}), ("(?:the\\s+)?story", {"the", "sto"}), ("(?:a|an)\\s+ad", {"a", "an"}),
     ("AD(?:S|VERT)", {"ads", "adv"}), ("\\w+\\s+says", None), ("(?i:ſhare)", {"sha"}),
     ("\\d+\\s+comments", set(ASCII_DIGITS) | {DIGIT}),
     # a lookahead says how the match begins
     ("(?=(?:mon|tue)\\b)\\w+", {"mon", "tue"}),
     # a repeated group: only its first pass is known
     ("(?:ab)+c", {"ab"}), ("(?:ab)?c", {"abc", "c"})],
)
def test_required_prefixes(pattern, prefixes):
    assert required_prefixes(pattern) == (frozenset(prefixes) if prefixes is not None else None)


@pytest.mark.parametrize("letter", ["i", "s", "k", "a", "ß", "µ", "ѐ", "1"])
def test_fold_puts_together_what_a_case_insensitive_regex_cannot_tell_apart(letter):
    pattern = re.compile(f"(?i){re.escape(letter)}")
    matched = [chr(code) for code in range(0x3000) if pattern.fullmatch(chr(code))]
    assert len(matched) >= 1
    assert {fold(char) for char in matched} == {fold(letter)}


def test_a_block_rule_is_not_tried_on_a_line_shorter_than_its_min_length():
    """A long bio's rule is tried only on long lines: a short one that its pattern would match stays."""
    data = ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="long.+line"\n'
            'min_length=12\nexamples.remove=["long enough line"]\nexamples.keep=["long a line"]')
    rules = RuleSet(tuple(load_rule_file("ads.toml", data)))
    assert rules.match_block("long enough line") and not rules.match_block("long a line")


def test_block_rules_see_the_line_without_decoration():
    hit = rule_set().match_block("— ADVERTISEMENT —")
    assert hit and hit.rule.id == "ads.marker"
    assert "—" in DECORATION


@pytest.mark.parametrize(
    "data, message",
    [
        ('family = "other"', "does not match the file name"),
        ('family = "ads"\n[[rule]]\nid = "share.x"', "id must start with 'ads.'"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="("', "bad pattern"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"', "examples.remove"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nmatch="middle"',
         "match must be one of"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="(?P<n>a)"\n'
         'examples.remove=["a"]', "named groups"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nopens_zone_below=0.5',
         "on a rule that opens a zone"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nmatch="trailing"\n'
         'spares_reported_speech=true', "for block and contains rules only"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nopens_zone_on_bio=true',
         "opens_zone_on_bio is for a rule that opens a zone"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nmin_length=200',
         "min_length must be a whole number from 0 to max_length"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nmatch="contains"\n'
         'min_length=5', "on a block rule"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\nmatch="contains"\n'
         'takes_pitch_above=true', "takes_pitch_above is for block rules that remove"),
        ('family = "ads"\n[[rule]]\nid = "ads.x"\nlanguages=["en"]\nreason="r"\npattern="a"\ntakes_pitch_above="yes"',
         "takes_pitch_above must be true or false"),
        ("family = ", "not valid TOML"),
    ],
)
def test_malformed_rule_files_are_refused_with_the_file_and_rule_named(data, message):
    with pytest.raises(RuleError, match=re.escape(message)) as error:
        load_rule_file("ads.toml", data)
    assert str(error.value).startswith("ads.toml")


def _first_block_rule_tried_in_order(line: str, rules: RuleSet, top: bool):
    """What ``match_block`` must find: every rule tried in rule order, no dispatch."""
    from cleaner.rules import MAX_RULE_LENGTH, compile_rule

    if len(line) > MAX_RULE_LENGTH:
        return None
    core = line.strip(DECORATION)
    for rule in rules.rules:
        if rule.match == "block" and (top or rule.zone == "any") and rule.min_length <= len(core) <= rule.max_length \
                and compile_rule(rule).fullmatch(core) and not rule.spares(core):
            return rule.id
    for rule in rules.rules:
        if rule.match == "contains" and len(line) <= rule.max_length and compile_rule(rule).search(line) \
                and not rule.spares(line):
            return rule.id
    return None


def test_dispatch_finds_the_rule_that_trying_every_rule_finds():
    """The literal pass only skips rules that cannot match: on every example line of every
    rule (and its pieces), the first rule that matches is the same as without dispatch."""
    rules = rule_set()
    lines = [example for rule in RULES for example in (*rule.remove_examples, *rule.keep_examples)]
    lines = [_MARKED.sub(r"\1", line) for line in lines]
    lines += [line[len(line) // 3:] for line in lines]  # pieces, as left after a cut
    for line in lines:
        for top in (False, True):
            hit = rules.match_block(line, top)
            assert (hit.rule.id if hit else None) == _first_block_rule_tried_in_order(line, rules, top), line


def test_dispatch_is_blind_to_case_as_the_rules_are():
    """Lines in upper case, title case, and with letters a case-insensitive regex takes for
    ASCII ones ("ſ" for "s", the Kelvin sign for "k"), meet the rules that trying every rule finds."""
    rules = rule_set()
    lines = [_MARKED.sub(r"\1", example) for rule in RULES for example in (*rule.remove_examples, *rule.keep_examples)]
    variants = [variant for line in lines
                for variant in (line.upper(), line.title(), line.replace("s", "ſ").replace("k", "\u212a"))]
    for line in variants:
        for top in (False, True):
            hit = rules.match_block(line, top)
            assert (hit.rule.id if hit else None) == _first_block_rule_tried_in_order(line, rules, top), line


NEAR_MISSES = r'''
import sys
from cleaner.rules import all_rules, compile_rule, single_spaced, strip_decoration

def near_misses(rule):
    """Lines built to nearly match ``rule``: its examples (and their first word) repeated up to
    its longest line, with runs of spaces or separators between, then a character that fails."""
    length = rule.max_length
    for example in (*rule.remove_examples, *rule.keep_examples):
        first = example.split()[0] if example.split() else example
        for piece in (example, first):
            for separator in ("  ", " · ", "\t ", " | ", ", ", "", "      "):
                line = (piece + separator) * (length // (len(piece) + len(separator)) + 1)
                yield line[: length - 1] + "$"

for rule in all_rules():
    pattern = compile_rule(rule)
    match = {"block": pattern.fullmatch, "contains": pattern.search, "leading": pattern.match,
             "trailing": pattern.search}[rule.match]
    for line in near_misses(rule):
        # as the engine reads a line: block and contains rules see it single-spaced (see match_block)
        match(single_spaced(strip_decoration(line)) if rule.match == "block"
              else single_spaced(line) if rule.match == "contains" else line)
'''


def test_no_rule_backtracks_out_of_hand_on_a_line_that_nearly_matches():
    """A pattern whose runs of spaces could be read several ways took minutes to fail on a row of
    ten "Like 3 · " (91 characters): lines built to nearly match each rule are decided in a child
    process. The limit is generous, for a slow machine: such a pattern needs hours on them, a
    sound one milliseconds."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", NEAR_MISSES], check=True, timeout=600)
