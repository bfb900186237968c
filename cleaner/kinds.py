"""Paragraph kinds: the headline, headings, list items, quotes and code are kept and marked.

A headline has no terminal punctuation either, so it must be recognised, not
mistaken for residue; ``--no-title`` can then leave it out of the text.
"""

from __future__ import annotations

from .blocks import is_list_item
from .pieces import CODE_JOIN, Paragraph

MAX_TITLE_LENGTH = 250
MAX_TITLE_WORDS = 30
MAX_HEADING_LENGTH = 120
MAX_HEADING_WORDS = 15
#: A headline or heading never ends like a sentence or a teaser (it may end with "?" or "!"), in
#: Latin punctuation or in the full-width punctuation of Chinese and Japanese.
_NOT_A_HEADING_END = frozenset(".,;:…。．，、；：")


def assign_kinds(paragraphs: list[Paragraph]) -> None:
    """Mark the headline (first paragraph), headings, list items, quotes and blocks of code, in place."""
    for index, paragraph in enumerate(paragraphs):
        paragraph.kind = kind_of(paragraph, first=index == 0, last=index == len(paragraphs) - 1)


def reads_as_heading(text: str) -> bool:
    """Has letters and does not end like a sentence or a teaser."""
    return bool(text) and text[-1] not in _NOT_A_HEADING_END and any(c.isalpha() for c in text)


def could_be_title(text: str) -> bool:
    """Reads as a headline, were it the first paragraph."""
    return len(text) <= MAX_TITLE_LENGTH and reads_as_heading(text) and len(text.split()) <= MAX_TITLE_WORDS


def could_be_heading(text: str) -> bool:
    """Reads as a heading, were it between two paragraphs: short, capitalised, not ending a sentence."""
    return (len(text) <= MAX_HEADING_LENGTH and reads_as_heading(text) and len(text.split()) <= MAX_HEADING_WORDS
            and (text[0].isupper() or text[0].isdigit()))


def kind_of(paragraph: Paragraph, *, first: bool, last: bool) -> str:
    text = paragraph.text
    if CODE_JOIN in paragraph.joins:
        return "code"
    if is_list_item(text):
        return "list_item"
    if text.startswith(">"):
        return "quote"
    if paragraph.joins or not reads_as_heading(text):
        return "paragraph"
    if first and could_be_title(text):
        return "title"
    if not first and not last and could_be_heading(text):
        return "heading"
    return "paragraph"
