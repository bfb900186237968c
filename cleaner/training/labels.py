"""Labelled blocks: each block of a page's text inputs, labelled content or residue by the ground truth.

A block is content when the line-deleting ceiling of the evaluation would keep
it: four tokens or more, at least half its 4-grams in the truth; shorter, only
as a whole line of the truth ("Share" is not content because the article says
"share" somewhere). The page's headline is content too: the benchmark keeps it
apart from the main text, but cleaner keeps and marks it. Each record carries what training needs and what a person
checking the labels wants to see: page, site, input, block index, text, label,
weight (the block's share of its document's words: a word-F1 cost), the share
of its document's words labelled content (near 0 when the truth is some other
part of the page: such documents teach nothing), the rule that decided it
(empty when the rules left it to the model), whether it is one of the page's
photo captions (its ``<figcaption>`` and caption/credit elements), whether it is
one of the readers' comments trafilatura appended to input ``a`` (they follow the
article: see ``comments_start``; None on other inputs) and its features.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlparse

from ..blocks import cut_blocks
from ..decide import Action, decide_by_rules
from ..evaluation.inputs import COMMENTS_INPUT
from ..evaluation.judge import TruthWords, caption_matches
from ..evaluation.metrics import SHINGLE, Truth, tokens
from ..features import document_features
from ..rules import RuleSet, rule_set

CONTENT, RESIDUE = "content", "residue"


def site(url: str, fallback: str) -> str:
    """The host of ``url`` without ``www.``: the unit of cross-validation."""
    host = (urlparse(url).hostname or "").removeprefix("www.")
    return host or fallback


def is_content(text: str, truth: Truth, words: TruthWords) -> bool:
    """Whether the ground truth holds ``text`` (see the module docstring)."""
    if len(tokens(text)) >= SHINGLE:
        return truth.keeps(text)
    return words.holds(text)


def is_title(text: str, title: list[str]) -> bool:
    """Whether ``text`` is the page's headline (its tokens ``title``), or the headline without a suffix."""
    words = tokens(text)
    return bool(words) and (words == title or (len(words) >= SHINGLE and title[: len(words)] == words))


def page_records(page, modes: Iterable[str], rules: RuleSet) -> Iterator[dict]:
    """The labelled blocks of one page's text inputs ``modes``, in order."""
    truth, words, title = Truth(page.truth), TruthWords(page.truth), tokens(page.title)
    host = site(page.url, page.id)
    for mode in modes:
        text = page.inputs[mode]
        decisions = decide_by_rules(cut_blocks(text), rules, text=text)
        total = max(1, len(tokens(text)))
        counts = [len(tokens(decision.text)) for decision in decisions]
        labels = [is_content(d.text, truth, words) or is_title(d.text, title) for d in decisions]
        content_share = sum(n for n, content in zip(counts, labels) if content) / total
        gold = page.gold_captions
        comments = page.comments_start
        for index, (decision, names) in enumerate(zip(decisions, document_features(decisions))):
            yield {
                "page": page.id, "site": host, "input": mode, "block": index, "text": decision.text,
                "label": CONTENT if labels[index] else RESIDUE,
                "weight": (counts[index] + 1) / total,
                "document_content": round(content_share, 4),
                "rule": "" if decision.action is Action.KEEP else decision.rule,
                "caption": any(caption_matches(caption, decision.text) for caption in gold),
                "comment": (comments is not None and decision.start >= comments) if mode == COMMENTS_INPUT else None,
                "features": names,
            }


def labelled_blocks(pages, modes: Iterable[str]) -> list[dict]:
    """The labelled blocks of every page's text inputs ``modes`` (already built), in page order."""
    rules = rule_set(None, frozenset())
    return [record for page in pages for record in page_records(page, modes, rules)]


def write_labels(records: Iterable[dict], path: Path) -> int:
    """Write ``records`` as JSONL (atomically); return how many."""
    from ..io import write_atomically

    count = 0

    def lines():
        nonlocal count
        for record in records:
            count += 1
            yield json.dumps(record, ensure_ascii=False) + "\n"

    write_atomically(path, lines())
    return count
