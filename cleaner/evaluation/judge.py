"""Caption recall and precision, and how often each rule removes text of the article.

Caption matching (``caption_matches``), after lowercasing and collapsing
whitespace: the gold caption contains the predicted one (of 20 characters or
more) or the other way round, or their tokens overlap by 0.8 or more (multiset
overlap over the longer of the two). Both caption rates are micro: totals over pages.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .inputs import MIN_CAPTION
from .metrics import normalise, tokens

OVERLAP = 0.8
SAMPLE = 50
#: Pieces of fewer tokens than this count as article text only as a whole line of it.
MIN_WORDS = 4


def token_overlap(one: str, other: str) -> float:
    """Multiset token overlap of two texts over the token count of the longer one."""
    a, b = Counter(tokens(one)), Counter(tokens(other))
    longer = max(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / longer if longer else 0.0


def caption_matches(gold: str, predicted: str) -> bool:
    """Whether a predicted caption is (most of) a gold caption; see the module docstring."""
    g, p = normalise(gold), normalise(predicted)
    if not g or not p:
        return False
    if g in p or (len(p) >= MIN_CAPTION and p in g):
        return True
    return token_overlap(g, p) >= OVERLAP


def caption_record(gold: list[str], source: str, result, truth: str) -> dict:
    """One page's caption counts: gold captions present in ``source`` and recovered; predictions right.

    A gold caption is out of the body when it is no longer in any paragraph (title
    included), as a caption or as removed residue; it is recovered when it is out
    of the body and some caption of ``result`` matches it. A predicted caption
    is right when it matches a gold caption or is absent from the ground truth.
    """
    source_text, body = normalise(source), normalise(" ".join(p.text for p in result.paragraphs))
    predicted = [caption.text for caption in result.captions]
    present = [g for g in gold if normalise(g) in source_text]
    out = [g for g in present if normalise(g) not in body]
    missed = [g for g in present if g not in out or not any(caption_matches(g, p) for p in predicted)]
    truth_text = normalise(truth)
    wrong = [p for p in predicted if normalise(p) in truth_text and not any(caption_matches(g, p) for g in gold)]
    return {
        "gold": len(gold), "present": len(present), "out_of_body": len(out),
        "recovered": len(present) - len(missed), "predicted": len(predicted), "right": len(predicted) - len(wrong),
        "missed": missed, "wrong": wrong,
    }


def caption_summary(records: list[dict]) -> dict:
    """Totals over pages, with recall (recovered / present) and precision (right / predicted)."""
    keys = ("gold", "present", "out_of_body", "recovered", "predicted", "right")
    totals = {key: sum(record[key] for record in records) for key in keys}
    totals["recall"] = totals["recovered"] / totals["present"] if totals["present"] else None
    totals["precision"] = totals["right"] / totals["predicted"] if totals["predicted"] else None
    return totals


def word_string(text: str) -> str:
    """The tokens of ``text`` joined by spaces, with a space at each end (for whole-word tests)."""
    return f" {' '.join(tokens(text))} "


class TruthWords:
    """A page's ground truth (or any text) as word strings: the whole text, and each line on its own."""

    def __init__(self, truth: str):
        self.text = word_string(truth)
        self.lines = Counter(word_string(line) for line in truth.splitlines())

    def holds(self, piece: str, left: TruthWords | None = None) -> bool:
        """Whether ``piece`` is text of the article.

        A piece of four tokens or more is when its tokens occur in order, as whole
        words, in the truth; a shorter one only when it is a whole line of the
        truth (three words occur anywhere by chance: "Share", "Read more"); a piece
        without tokens (a lone dash or bullet) never is. Given ``left``, the words of
        the text cleaning left, only when the truth holds the piece more often than
        ``left`` still does: taking out the second copy of a paragraph the truth holds
        once takes nothing of the article.
        """
        count = len(tokens(piece))
        if not count:
            return False
        words = word_string(piece)
        if count >= MIN_WORDS:
            return occurrences(self.text, words) > (occurrences(left.text, words) if left else 0)
        return self.lines[words] > (left.lines[words] if left else 0)


def occurrences(text: str, words: str) -> int:
    """How often the word string ``words`` occurs in the word string ``text``, also side by
    side (two copies in a row share the space between them)."""
    count, start = 0, text.find(words)
    while start != -1:
        count, start = count + 1, text.find(words, start + len(words) - 1)
    return count


@dataclass
class RuleTally:
    """Every piece each rule took out (removed or captioned), by input, with whether the truth holds
    it (more often than the cleaned text still does)."""

    pieces: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, mode: str, page_id: str, result, truth: str) -> None:
        """Record the removed pieces and captions of one cleaned input."""
        taken = [(r.rule, r.text) for r in result.removed] + [(c.rule, c.text) for c in result.captions]
        if not taken:
            return
        words, left = TruthWords(truth), TruthWords(result.text)
        for rule, text in taken:
            self.pieces[rule].append({"mode": mode, "page": page_id, "text": text, "in_truth": words.holds(text, left)})

    def summary(self, modes: tuple[str, ...]) -> dict[str, dict]:
        """Per rule: how often it fired on each input, and the share in the truth of a fixed sample.

        The sample is up to 50 pieces drawn with the rule id as seed (the same on
        every run over the same pages); ``in_truth_all`` checks every piece.
        """
        table = {}
        for rule, pieces in sorted(self.pieces.items(), key=lambda item: (-len(item[1]), item[0])):
            sample = random.Random(rule).sample(pieces, min(SAMPLE, len(pieces)))
            counts = Counter(piece["mode"] for piece in pieces)
            table[rule] = {
                "fired": {mode: counts[mode] for mode in modes},
                "sampled": len(sample),
                "in_truth": sum(p["in_truth"] for p in sample) / len(sample),
                "in_truth_all": sum(p["in_truth"] for p in pieces) / len(pieces),
                "sample_in_truth": [p for p in sample if p["in_truth"]],
            }
        return table
