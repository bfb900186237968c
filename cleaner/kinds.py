"""Paragraph kinds: the headline, headings, list items and quotes are kept and marked.

A headline has no terminal punctuation either, so it must be recognised, not
mistaken for residue; ``--no-title`` can then leave it out of the text.
"""

from __future__ import annotations

from .pieces import Paragraph
from .rejoin import is_list_item

MAX_TITLE_LENGTH = 250
MAX_TITLE_WORDS = 30
MAX_HEADING_LENGTH = 120
MAX_HEADING_WORDS = 15
#: A headline or heading never ends like a sentence or a teaser (it may end with "?" or "!").
_NOT_A_HEADING_END = frozenset(".,;:…")


def assign_kinds(paragraphs: list[Paragraph]) -> None:
    """Mark the headline (first paragraph), headings, list items and quotes, in place."""
    for index, paragraph in enumerate(paragraphs):
        paragraph.kind = kind_of(paragraph, first=index == 0, last=index == len(paragraphs) - 1)


def kind_of(paragraph: Paragraph, *, first: bool, last: bool) -> str:
    text = paragraph.text
    if is_list_item(text):
        return "list_item"
    if text.startswith(">"):
        return "quote"
    if paragraph.joins or text[-1] in _NOT_A_HEADING_END or not any(c.isalpha() for c in text):
        return "paragraph"
    words = len(text.split())
    if first and len(text) <= MAX_TITLE_LENGTH and words <= MAX_TITLE_WORDS:
        return "title"
    if not first and not last and len(text) <= MAX_HEADING_LENGTH and words <= MAX_HEADING_WORDS:
        if text[0].isupper() or text[0].isdigit():
            return "heading"
    return "paragraph"
