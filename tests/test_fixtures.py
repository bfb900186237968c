"""Golden-file tests: each fixture article against its golden JSON and its hand-written expectations.

Regenerate the golden files after a deliberate change with
``CLEANER_UPDATE_GOLDEN=1 pytest tests/test_fixtures.py`` and review the diff.
"""

from __future__ import annotations

import json

import pytest

from cleaner import clean

from .conftest import FIXTURES, assert_golden, check_expectations, check_invariants

CASES = sorted(path.name.removesuffix(".txt") for path in FIXTURES.glob("*.txt"))


def _load(name: str):
    text = (FIXTURES / f"{name}.txt").read_bytes().decode("utf-8")
    expect = json.loads((FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    return text, expect


def test_there_are_enough_fixtures_in_enough_languages():
    languages = {_load(name)[1]["language"] for name in CASES}
    assert len(CASES) >= 12 and len(languages) >= 3


@pytest.mark.parametrize("name", CASES)
def test_matches_golden_json(name):
    text, _ = _load(name)
    assert_golden(FIXTURES / f"{name}.json", clean(text).to_dict())


@pytest.mark.parametrize("name", CASES)
def test_invariants(name):
    text, _ = _load(name)
    check_invariants(text, clean(text))


@pytest.mark.parametrize("name", CASES)
def test_meets_expectations(name):
    text, expect = _load(name)
    result = clean(text)
    check_expectations(result, expect)
    for first, second in expect.get("joined", []):
        assert f"{first} {second}" in result.text, f"not rejoined: {first!r} + {second!r}"
    for word in expect.get("dehyphenated", []):
        assert word in result.text
    headings = [p.text for p in result.paragraphs if p.kind == "heading"]
    for heading in expect.get("headings", []):
        assert heading in headings, f"not a heading: {heading!r}"
