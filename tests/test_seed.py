"""The user's own example: the bar the first issue set."""

from __future__ import annotations

import re

from cleaner import clean

from .conftest import SEEDS, check_invariants, needs_shared

SEED = SEEDS / "000_714261e96b266c12.txt"
pytestmark = needs_shared(SEED)


def _sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.”])\s+(?=[“A-Z])", line) if s]


def test_seed_is_cleaned_as_the_user_expects():
    text = SEED.read_text(encoding="utf-8")
    result = clean(text)
    check_invariants(text, result)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    removed = [(r.rule, r.text) for r in result.removed]
    assert [t for _, t in removed] == ["Share", "Advertisement", "Advertisement"]
    assert all(rule for rule, _ in removed)
    assert result.paragraphs[0].kind == "title" and result.paragraphs[0].text == lines[1]
    caption = lines[-1]
    assert [c.text for c in result.captions] == [caption]
    assert caption not in result.text
    for line in lines[1:-1]:
        if line != "Advertisement":
            for sentence in _sentences(line):
                assert sentence in result.text
