"""Where the rest of the gap is: the input's lines cleaner keeps that the truth lacks, by kind.

Each line of a text input is kept (cleaner's body holds some of it) or not, and
content (the ceiling keeps it: ``Truth.keeps``) or not. A kept line that is not
content is one cleaner could still have dropped, and falls in one of ``KINDS``:
the readers' comments trafilatura appended to input ``a``; any line of a page
whose kept text is mostly outside the truth (the truth is some other part of
the page: its ceiling drops whole sections of article prose); a line of code;
a long paragraph, a middling line, a short one.

For each kind the harness scores what cleaner would give had it also dropped
every such line and nothing else, and reports the share of the gap to the
ceiling that would close: an upper bound of what work on that kind can gain.
The scores are of the kept lines as they stand in the input, which differ from
cleaner's paragraphs only where it rejoined or cut a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..blocks import ends_sentence, is_code_line
from ..pieces import overlaps
from .metrics import Truth, tokens

COMMENTS = "readers' comments that trafilatura appended"
OUTSIDE = "lines of pages whose kept text is mostly outside the truth"
CODE = "code-like lines"
LONG = "long prose lines (30+ words, ending a sentence)"
MIDDLING = "other lines of 10-29 words"
SHORT = "short lines (under 10 words)"
KINDS = (COMMENTS, OUTSIDE, CODE, LONG, MIDDLING, SHORT)
#: The scores of the kept lines as they stand: the base the kinds' gains are measured from.
KEPT = "kept lines"
LONG_WORDS, MIDDLING_WORDS = 30, 10


@dataclass(frozen=True)
class Line:
    """One non-blank line of an input: its text and tokens, whether cleaner kept it, whether the
    truth holds it, and its kind when it is kept residue (None otherwise)."""

    text: str
    words: int
    kept: bool
    content: bool
    kind: str | None = None


def input_lines(text: str, result, truth: str, comments_start: int | None = None) -> list[Line]:
    """The non-blank lines of ``text`` judged against ``result`` (cleaner's, on ``text``) and ``truth``."""
    kept_spans = sorted(tuple(span) for p in result.paragraphs if p.kind != "title" for span in p.spans)
    judge = Truth(truth)
    rows, offset = [], 0
    for raw in text.split("\n"):
        start, offset = offset, offset + len(raw) + 1
        if raw.strip():
            rows.append((start, raw, len(tokens(raw)), overlaps((start, start + len(raw)), kept_spans), judge.keeps(raw)))
    residue = sum(words for _, _, words, kept, content in rows if kept and not content)
    content_words = sum(words for _, _, words, kept, content in rows if kept and content)
    outside = residue > content_words
    return [Line(raw, words, kept, content, _kind(raw, words, start, comments_start, outside) if kept and not content else None)
            for start, raw, words, kept, content in rows]


def _kind(line: str, words: int, start: int, comments_start: int | None, outside: bool) -> str:
    if comments_start is not None and start >= comments_start:
        return COMMENTS
    if outside:
        return OUTSIDE
    stripped = line.strip()
    if is_code_line(stripped):
        return CODE
    if words >= LONG_WORDS and ends_sentence(stripped):
        return LONG
    return MIDDLING if words >= MIDDLING_WORDS else SHORT


def texts_by_kind(lines: list[Line]) -> dict[str, str]:
    """The kept lines as they stand (``KEPT``), and for each kind the kept lines but those of that kind."""
    texts = {KEPT: "\n".join(line.text for line in lines if line.kept)}
    for kind in KINDS:
        texts[kind] = "\n".join(line.text for line in lines if line.kept and line.kind != kind)
    return texts


def residue_words(lines: list[Line]) -> dict[str, int]:
    """The words of the kept lines the truth lacks, by kind."""
    words = dict.fromkeys(KINDS, 0)
    for line in lines:
        if line.kind:
            words[line.kind] += line.words
    return words
