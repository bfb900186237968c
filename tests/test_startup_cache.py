"""The start-up cache: rule patterns built from the regex engine's code kept on disk."""

from __future__ import annotations

import json
import re

import pytest

from cleaner.rules import startup_cache
from cleaner.rules.startup_cache import cache_folder, compile_cached

PATTERNS = [
    r"(?ix: (?: advertisement | anzeige ) \s* )",
    r"(?P<who>[A-Z]\w+)\s+says:?",
    r"(?i:ſhare)|(?-i:Teilen)",
    r"(?<=[.!?])\s*(?:Share)\s*\Z",
]
LINES = ["Advertisement", "ANZEIGE ", "Anna says:", "anna says", "SHARE", "share", "Teilen", "teilen",
         "It rained. Share", "It rained Share", ""]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _same_pattern(built: re.Pattern, pattern: str) -> None:
    expected = re.compile(pattern)
    assert (built.pattern, built.flags, built.groups, dict(built.groupindex)) == \
        (expected.pattern, expected.flags, expected.groups, dict(expected.groupindex))
    for line in LINES:
        for method in ("fullmatch", "match", "search"):
            found, wanted = getattr(built, method)(line), getattr(expected, method)(line)
            assert (found and (found.span(), found.groupdict())) == (wanted and (wanted.span(), wanted.groupdict()))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_built_from_stored_code_is_the_one_re_compiles(pattern, monkeypatch):
    _same_pattern(compile_cached(pattern), pattern)  # computed and stored
    assert list(cache_folder().glob("regex-*.json"))
    monkeypatch.setattr(startup_cache, "_engine_code", lambda _: pytest.fail("the stored code was not used"))
    _same_pattern(compile_cached(pattern), pattern)  # read back


def test_damaged_stored_code_falls_back_to_re_compile():
    pattern = PATTERNS[1]
    compile_cached(pattern)
    for path in cache_folder().glob("regex-*.json"):
        path.write_text('{"flags": 32, "code": [1, 2, 3], "groups": 0, "groupindex": {}, "indexgroup": [null]}',
                        encoding="utf-8")
    _same_pattern(compile_cached(pattern), pattern)


def test_stored_code_of_another_pattern_is_not_used():
    """A file found by a checksum names the pattern it holds; one for another pattern is ignored."""
    compile_cached(PATTERNS[0])
    stored = next(cache_folder().glob("regex-*.json"))
    other = json.loads(stored.read_text(encoding="utf-8"))
    compile_cached(PATTERNS[1])
    for path in cache_folder().glob("regex-*.json"):
        path.write_text(json.dumps(other), encoding="utf-8")
    _same_pattern(compile_cached(PATTERNS[1]), PATTERNS[1])


def test_a_bad_pattern_raises_as_re_compile_does():
    with pytest.raises(re.error):
        compile_cached("(unclosed")


def test_every_choice_of_rules_shares_one_dispatch_file_and_few_sets_are_kept():
    """A program choosing the rules per text (languages found, rules disabled) wrote one cache
    file per choice and kept every rule set built (2,500 choices: 5 GB, 123 MB on disk)."""
    from cleaner.rules import RULE_SETS_KEPT, all_rules, rule_set

    ids = [rule.id for rule in all_rules()]
    for index in range(RULE_SETS_KEPT + 5):
        assert rule_set(None, frozenset(ids[index: index + 2])).rules
    assert len(list(cache_folder().glob("dispatch-*.json"))) == 1
    assert rule_set.cache_info().currsize <= RULE_SETS_KEPT
