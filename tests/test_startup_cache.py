"""The start-up cache: rule patterns built from the regex engine's code kept on disk."""

from __future__ import annotations

import json
import os
import re
import time

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


def _age(path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_files_unused_for_a_month_are_deleted_when_a_new_one_is_written(monkeypatch):
    """Every change of the rules (an upgrade) left its files behind: the folder only grew."""
    monkeypatch.setattr(startup_cache, "_pruned", set())
    folder = cache_folder()
    folder.mkdir(parents=True)
    old, recent = folder / "regex-00000000000000001.json", folder / "rules-00000000000000002.json"
    crashed, foreign = folder / ".dispatch-0000000000000003.json.123.tmp", folder / "notes-old.json"
    for path, days in ((old, 31), (recent, 29), (crashed, 2), (foreign, 400)):
        path.write_text("{}")
        _age(path, days)
    compile_cached(r"a\s+new\s+pattern")  # a miss: writes a file, and prunes
    assert sorted(path.name for path in folder.iterdir() if path.name.startswith(("regex", "rules", ".", "notes"))) \
        == sorted([recent.name, foreign.name, *(p.name for p in folder.glob("regex-*.json") if p != old)])
    assert not old.exists() and not crashed.exists()


def test_a_file_in_use_is_renewed_so_that_it_is_never_pruned():
    pattern = r"still\s+in\s+use"
    compile_cached(pattern)
    (stored,) = cache_folder().glob("regex-*.json")
    _age(stored, 40)
    _same_pattern(compile_cached(pattern), pattern)  # a hit, read from the aged file
    assert time.time() - stored.stat().st_mtime < 60
    assert startup_cache.prune(cache_folder()) == 0 and stored.exists()
