"""Features of each block for the learned model: cheap, sparse, and readable by name.

A block's features are the names of what holds for it (``len:5``, ``end:.``,
``w:comments``, ``zone:comments``), each worth 1.0: shape (length, words,
punctuation, case, digits, links), place (position in the text, prose before
and after), structure (the rule verdicts around it and the zone it sits in, how
often it repeats), words (its words, first and last word, word pairs at its
start: lexical cues of residue learned from data), and the shape of its
neighbours two blocks either way. Binned values and names keep the model linear
and readable: its weights are one table from feature name to number.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .blocks import ends_sentence

#: The decisions' actions, by value, so this module needs no import from ``decide``.
REMOVE, CAPTION = "remove", "caption"
#: A block this long that ends a sentence is a paragraph of prose.
PROSE_LENGTH = 80
WORD = re.compile(r"\w+")
LINK = re.compile(r"https?://|www\.|@\w|\w@\w|\.(?:com|org|net)\b", re.IGNORECASE)
#: Words looked at for word pairs: the start of a block says most ("read more", "posted by").
LEADING_PAIRS = 4
#: Words of a block that give word features; the rest of a long paragraph adds nothing.
MAX_WORDS = 40


def document_features(decisions) -> list[list[str]]:
    """The feature names of every block of one document, in order.

    ``decisions`` are the rule stage's verdicts (objects with ``text``,
    ``action.value`` and ``rule``); the model reads them as context.
    """
    texts = [d.text for d in decisions]
    shapes = [shape_features(text) for text in texts]
    repeats = Counter(text.lower() for text in texts)
    prose = [len(text) >= PROSE_LENGTH and ends_sentence(text) for text in texts]
    prose_after = _running_counts(prose[::-1])[::-1]
    prose_before = _running_counts(prose)
    hits = _rule_context(decisions)
    total = len(texts)
    word_counts = [len(WORD.findall(text)) for text in texts]
    all_words = max(1, sum(word_counts))
    features = []
    for index, text in enumerate(texts):
        names = list(shapes[index])
        names += lexical_features(text)
        names += place_features(index, total, prose_before[index] - prose[index], prose_after[index] - prose[index])
        names += hits[index]
        names.append(f"mass:{_bin(100 * word_counts[index] // all_words)}")
        if repeats[text.lower()] > 1:
            names.append("repeated")
        for offset, tag in ((-2, "p2"), (-1, "p1"), (1, "n1"), (2, "n2")):
            neighbour = index + offset
            if 0 <= neighbour < total:
                names += [f"{tag}:{name}" for name in shapes[neighbour] if not name.startswith("x:")]
                names.append(f"{tag}:act:{_verdict(decisions[neighbour])}")
            else:
                names.append(f"{tag}:none")
        features.append(names)
    return features


def shape_features(text: str) -> list[str]:
    """What the block looks like: length, words, ending, case, digits, links."""
    words = WORD.findall(text)
    count = len(words)
    names = [f"len:{_bin(len(text))}", f"words:{_bin(count)}", f"end:{_ending(text)}"]
    if count:
        capitalised = sum(w[0].isupper() for w in words) / count
        names.append(f"caps:{round(capitalised * 4)}")
        digits = sum(w.isdigit() for w in words) / count
        names.append(f"digits:{round(digits * 4)}")
        names.append(f"x:len_end:{_bin(len(text))}:{_ending(text)}")
    if text.isupper() and count:
        names.append("upper")
    if LINK.search(text):
        names.append("link")
    if text[0] in "-–—•·*|>▶►#":
        names.append(f"lead:{text[0]}")
    if "|" in text or " · " in text or " • " in text:
        names.append("separators")
    return names


def lexical_features(text: str) -> list[str]:
    """Words of the block: each word, the first and last word, and pairs at its start."""
    words = WORD.findall(text.lower())[:MAX_WORDS]
    if not words:
        return ["nowords"]
    names = [f"w:{word}" for word in set(words) if not word.isdigit()]
    names.append(f"first:{words[0]}")
    names.append(f"last:{words[-1]}")
    lead = words[:LEADING_PAIRS]
    names += [f"pair:{a}_{b}" for a, b in zip(lead, lead[1:])]
    return names


def place_features(index: int, total: int, prose_before: int, prose_after: int) -> list[str]:
    """Where the block stands: near either end, and how much prose lies before and after it."""
    names = [f"pos:{min(9, 10 * index // max(total, 1))}"]
    if index < 3:
        names.append(f"head:{index}")
    if total - index <= 3:
        names.append(f"tail:{total - index - 1}")
    names.append(f"prose_before:{min(prose_before, 3)}")
    names.append(f"prose_after:{min(prose_after, 3)}")
    return names


def _rule_context(decisions) -> list[list[str]]:
    """Per block: its own rule verdict, the last rule family above it and how far, the residue run before it."""
    context = []
    last_family, since, run = "", 0, 0
    for decision in decisions:
        verdict = _verdict(decision)
        names = [f"act:{verdict}"]
        if decision.rule.startswith("zone."):
            names.append(f"zone:{decision.rule[5:]}")
        if last_family:
            names.append(f"after:{last_family}")
            names.append(f"since:{_bin(since)}")
        names.append(f"run:{min(run, 3)}")
        context.append(names)
        if verdict == REMOVE and not decision.rule.startswith("zone."):
            last_family, since = decision.rule.split(".")[0], 0
        since += 1
        run = run + 1 if verdict != "keep" else 0
    return context


def _verdict(decision) -> str:
    action = decision.action.value
    if action == REMOVE and decision.rule.startswith("zone."):
        return "zone"
    return action


def _running_counts(flags: list[bool]) -> list[int]:
    """How many flags are set up to and including each position."""
    counts, total = [], 0
    for flag in flags:
        total += flag
        counts.append(total)
    return counts


def _bin(value: int) -> int:
    """A logarithmic bin: 0, 1, 2-3, 4-7, ... → 0, 1, 2, 3, ..."""
    return value.bit_length()


def _ending(text: str) -> str:
    """The block's last character, by class: sentence end, colon, digit, letter, other."""
    last = text[-1]
    if last in ".!?…。":
        return "."
    if last in ":;,":
        return last
    if ends_sentence(text):
        return "quote"
    if last.isdigit():
        return "digit"
    if last.isalpha():
        return "letter"
    return "other"


def logistic(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
