"""cleaner: turn scraped article text into clean text with provenance.

>>> result = clean("Share\\n\\nFloods Close the River Road\\n\\nThe road was shut on Monday.\\n\\nAdvertisement")
>>> print(result.text)
Floods Close the River Road
<BLANKLINE>
The road was shut on Monday.
>>> [(r.rule, r.text) for r in result.removed]
[('share.button', 'Share'), ('ads.marker', 'Advertisement')]

The pipeline, one module per stage:
input text → blocks (``blocks``) → decisions (``decide``: rules, then captions in
context) → paragraphs (``rejoin``, ``kinds``) → result (``pieces``) → output (``output``).
"""

from __future__ import annotations

from .blocks import cut_blocks, wrap_width
from .decide import Action, Decision, decide, judge_paragraphs
from .kinds import assign_kinds
from .options import Options
from .pieces import Caption, Paragraph, Removed, Result
from .rejoin import rejoin
from .rules import rule_set

__all__ = ["clean", "Options", "Result", "Paragraph", "Caption", "Removed"]
__version__ = "0.1.0"


def clean(text: str, options: Options | None = None, **overrides) -> Result:
    """Clean one document: residue removed, paragraphs rejoined, captions separated.

    ``overrides`` are fields of :class:`Options` (``captions="drop"``, ``title=False``, ...).
    """
    options = Options.build(options, overrides)
    blocks = cut_blocks(text)
    rules = rule_set(options.languages, options.disabled)
    decisions = decide(blocks, rules)
    paragraphs, hyphens = rejoin(text, decisions, wrap_width(blocks))
    joined_removed, joined_captions = judge_paragraphs(paragraphs, decisions, rules)
    assign_kinds(paragraphs)
    return assemble(text, decisions, paragraphs, joined_captions, hyphens + joined_removed, options)


def assemble(
    text: str,
    decisions: list[Decision],
    paragraphs: list[Paragraph],
    joined: list[Caption],
    more_removed: list[Removed],
    options: Options,
) -> Result:
    """Collect the pieces in input order and render the clean text."""
    removed = [cut for d in decisions for cut in d.cuts] + more_removed
    removed += [Removed(d.rule, d.text, [[d.start, d.end]], d.reason) for d in decisions if d.action is Action.REMOVE]
    captions = joined + [Caption(d.text, [[d.start, d.end]], d.rule, d.reason)
                         for d in decisions if d.action is Action.CAPTION]
    if options.captions == "drop":
        removed += [Removed(c.rule, c.text, c.spans, c.reason) for c in captions]
        captions = []
    removed.sort(key=lambda piece: piece.spans[0][0])
    captions.sort(key=lambda piece: piece.spans[0][0])
    return Result(render(paragraphs, captions, options), paragraphs, captions, removed, text)


def render(paragraphs: list[Paragraph], captions: list[Caption], options: Options) -> str:
    """The clean text: paragraphs (and inline captions) separated by one blank line."""
    body = [p for p in paragraphs if options.title or p.kind != "title"]
    if options.captions == "inline":
        body = sorted(body + captions, key=lambda piece: piece.spans[0][0])
    return "\n\n".join(piece.text for piece in body)
