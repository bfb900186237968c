"""The scores, the line-deleting ceiling and the gap closed: pure functions of strings.

Tokens are the lowercase ``\\w+`` runs of a text (Unicode word characters), as in
the benchmark. Conventions for empty texts, the same for every score: when both
the prediction and the truth are empty (no tokens, or no 4-grams) precision,
recall and F1 are 1.0; when only one of them is empty all three are 0.0.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from statistics import fmean

WORD = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    """The lowercase ``\\w+`` tokens of ``text``, in order."""
    return WORD.findall(text.lower())


def normalise(text: str) -> str:
    """Lowercase, whitespace runs collapsed to one space, ends stripped."""
    return " ".join(text.lower().split())


def ngrams(words: list[str], size: int = SHINGLE) -> list[tuple[str, ...]]:
    """The ``size``-grams of consecutive ``words``, in order."""
    return list(zip(*(words[i:] for i in range(size))))


def shingles(words: list[str], size: int = SHINGLE) -> Counter:
    """The multiset of ``size``-grams of consecutive ``words``."""
    return Counter(ngrams(words, size))


@dataclass(frozen=True)
class Overlap:
    """True positives, false positives and false negatives of one page."""

    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, predicted: Counter, truth: Counter) -> Overlap:
        """Multiset overlap of two bags."""
        tp = sum((predicted & truth).values())
        return cls(tp, sum(predicted.values()) - tp, sum(truth.values()) - tp)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, self.fn)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, self.fp)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def _ratio(tp: int, total: int, other: int) -> float:
    """``tp / total``; an empty ``total`` scores 1.0 only when the other side is empty too."""
    if total:
        return tp / total
    return 0.0 if other else 1.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@lru_cache(maxsize=16)
def bags(text: str) -> tuple[Counter, Counter]:
    """The token bag and the 4-gram bag of ``text`` (remembered: a page's truth is scored many times)."""
    words = tokens(text)
    return Counter(words), shingles(words)


def word_overlap(predicted: str, truth: str) -> Overlap:
    """Bag-of-words overlap of the tokens (the benchmark's word F1)."""
    return Overlap.of(bags(predicted)[0], bags(truth)[0])


def shingle_overlap(predicted: str, truth: str) -> Overlap:
    """Multiset overlap of the 4-gram shingles of the tokens."""
    return Overlap.of(bags(predicted)[1], bags(truth)[1])


def snippet_counts(predicted: str, with_: list[str], without: list[str]) -> dict[str, int]:
    """How many ``with`` snippets are found in ``predicted`` and ``without`` snippets absent.

    Matching is a case-insensitive substring test after collapsing whitespace on
    both sides (cleaning may join lines that the snippet has joined too).
    """
    text = normalise(predicted)
    return {
        "with_found": sum(normalise(s) in text for s in with_),
        "with_total": len(with_),
        "without_absent": sum(normalise(s) not in text for s in without),
        "without_total": len(without),
    }


def page_scores(predicted: str, truth: str, with_: list[str], without: list[str]) -> dict:
    """Every per-page score of ``predicted`` against one page's ground truth."""
    words, grams = word_overlap(predicted, truth), shingle_overlap(predicted, truth)
    return {
        "word_p": words.precision, "word_r": words.recall, "word_f1": words.f1,
        "shingle_tp": grams.tp, "shingle_fp": grams.fp, "shingle_fn": grams.fn,
        "shingle_p": grams.precision, "shingle_r": grams.recall,
        **snippet_counts(predicted, with_, without),
    }


def aggregate(records: list[dict]) -> dict[str, float]:
    """Scores over pages.

    Word precision, recall and F1 are means of the per-page values (macro).
    Shingle precision and recall are means of the per-page values, and shingle F1
    is the F1 of those two means. Snippet rates are totals over all snippets of
    all pages (micro): found / all ``with`` snippets, absent / all ``without``.
    """
    if not records:
        return {}
    shingle_p, shingle_r = _mean(records, "shingle_p"), _mean(records, "shingle_r")
    return {
        "word_p": _mean(records, "word_p"), "word_r": _mean(records, "word_r"), "word_f1": _mean(records, "word_f1"),
        "shingle_p": shingle_p, "shingle_r": shingle_r, "shingle_f1": f1(shingle_p, shingle_r),
        "with_found": _share(records, "with_found", "with_total"),
        "without_absent": _share(records, "without_absent", "without_total"),
    }


def _mean(records: list[dict], key: str) -> float:
    return fmean(record[key] for record in records)


def _share(records: list[dict], part: str, whole: str) -> float:
    """``part`` over ``whole``, both summed over the records; 1.0 when ``whole`` is 0."""
    total = sum(record[whole] for record in records)
    return sum(record[part] for record in records) / total if total else 1.0


#: Below this distance between input and ceiling the gap closed is noise, and reported as None.
MIN_GAP = 0.005


def gap_closed(cleaned: float, baseline: float, ceiling: float, min_gap: float = MIN_GAP) -> float | None:
    """``(cleaned - baseline) / (ceiling - baseline)``: the share of the way to the ceiling gone.

    None when the ceiling is within ``min_gap`` of the baseline (recall, for one:
    deleting lines can only lose it, so its ceiling sits at or just below the input).
    """
    gap = ceiling - baseline
    return (cleaned - baseline) / gap if abs(gap) >= min_gap else None


class Truth:
    """A page's ground truth, indexed for the ceiling: its 4-grams and its short n-grams."""

    def __init__(self, text: str):
        words = tokens(text)
        self.grams = set(ngrams(words))
        self.short = {n: set(ngrams(words, n)) for n in range(1, SHINGLE)}

    def keeps(self, line: str) -> bool:
        """Whether the ceiling keeps ``line``.

        A line of four tokens or more is kept when at least half of its 4-grams
        occur in the truth; a shorter line when its whole token sequence occurs
        contiguously in the truth; a line without tokens is dropped.
        """
        words = tokens(line)
        if not words:
            return False
        if len(words) < SHINGLE:
            return tuple(words) in self.short[len(words)]
        grams = ngrams(words)
        return 2 * sum(gram in self.grams for gram in grams) >= len(grams)


def ceiling(text: str, truth: str) -> str:
    """The best a line-deleting cleaner could do: the lines of ``text`` the truth supports."""
    index = Truth(truth)
    return "\n".join(line for line in text.splitlines() if index.keeps(line))
