"""cleaner: turn scraped article text into clean text with provenance.

>>> result = clean("Share\\n\\nFloods Close the River Road\\n\\nThe road was shut on Monday.\\n\\nAdvertisement")
>>> print(result.text)
Floods Close the River Road
<BLANKLINE>
The road was shut on Monday.
>>> [(r.rule, r.text) for r in result.removed]
[('share.button', 'Share'), ('ads.marker', 'Advertisement')]

The pipeline, one module per stage:
input text → blocks (``blocks``) → decisions (``decide``: rules, then the learned
model (``model``) on what they left, then captions in context) → paragraphs (``rejoin``, ``kinds``) → result (``pieces``) → output (``output``).
"""

from __future__ import annotations

from functools import partial

from .blocks import cut_blocks, is_table_row, wrap_width
from .decide import COMMENTS_RULE, MODEL_RULE, Action, Decision, decide, judge_paragraphs
from .kinds import assign_kinds
from .options import Options
from .pieces import Caption, Paragraph, Removed, Result
from .rejoin import rejoin
from .rules import rule_set

__all__ = ["clean", "clean_text", "Options", "Result", "Paragraph", "Caption", "Removed"]
__version__ = "0.1.0"


INPUT_FORMATS = ("auto", "text", "html")


def clean(data: str | bytes, options: Options | None = None, *, input_format: str = "auto", **overrides) -> Result:
    """Clean one document: residue removed, paragraphs rejoined, captions separated.

    ``data`` is text or an HTML page, as str or bytes. ``input_format``: ``text``,
    ``html`` (the main content is extracted with trafilatura, and every span points
    into the decoded page), or ``auto`` (HTML when it looks like markup). Bytes are
    decoded by the page's charset for HTML, as UTF-8 for text.
    ``overrides`` are fields of :class:`Options` (``captions="drop"``, ``title=False``, ...).
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"clean() takes the document as str or bytes, not {type(data).__name__}")
    options = Options.build(options, overrides)
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}")
    if input_format == "html" or (input_format == "auto" and looks_like_markup(data)):
        from .html import clean_html

        return clean_html(data, options)
    return clean_text(data.decode("utf-8") if isinstance(data, bytes) else data, options)


def looks_like_markup(data: str | bytes) -> bool:
    """True when ``data`` looks like an HTML page (the HTML module is imported only if it might)."""
    head = data[:1024]
    if (b"<" if isinstance(head, bytes) else "<") not in head:
        return False
    from .html import looks_like_html

    return looks_like_html(data)


def clean_text(text: str, options: Options, code_lines: dict[int, int] | None = None) -> Result:
    """The text pipeline: blocks, decisions, paragraphs, result (``code_lines``: see ``blocks.mark_code``)."""
    blocks = cut_blocks(text, code_lines)
    rules = rule_set(options.languages, options.disabled)
    model = None
    if options.use_model and MODEL_RULE not in options.disabled:
        # a model the caller names is read at once (a wrong path fails on the first text, not on the
        # first long one); the shipped one on first need
        model = _load_model(options.model) if options.model is not None else partial(_load_model, None)
    comments = options.appended_comments and COMMENTS_RULE not in options.disabled
    width = wrap_width(blocks)
    decisions = decide(blocks, rules, model, options.corpus_repeats, width, comments, text)
    paragraphs, hyphens = rejoin(text, decisions, width)
    joined_removed, joined_captions = judge_paragraphs(paragraphs, decisions, rules, width, options.disabled)
    assign_kinds(paragraphs)
    return assemble(text, decisions, paragraphs, joined_captions, hyphens + joined_removed, options)


def _load_model(path: str | None):
    """The model, imported and read on first need (a short text never needs it)."""
    from .model import load_model

    return load_model(path)


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
    removed += [Removed(d.rule, d.text, [[d.start, d.end]], d.reason, d.score)
                for d in decisions if d.action is Action.REMOVE]
    captions = joined + [Caption(d.text, [[d.start, d.end]], d.rule, d.reason)
                         for d in decisions if d.action is Action.CAPTION]
    if options.captions == "drop":
        removed += [Removed(c.rule, c.text, c.spans, c.reason) for c in captions]
        captions = []
    removed.sort(key=lambda piece: piece.spans[0][0])
    captions.sort(key=lambda piece: piece.spans[0][0])
    return Result(render(paragraphs, captions, options), paragraphs, captions, removed, text)


def body_pieces(paragraphs: list[Paragraph], captions: list[Caption], options: Options) -> list:
    """The pieces of the clean text, in input order: the paragraphs (the title unless ``--no-title``)
    and, with ``--captions inline``, the captions."""
    body = [p for p in paragraphs if options.title or p.kind != "title"]
    if options.captions == "inline":
        body = sorted(body + captions, key=lambda piece: piece.spans[0][0])
    return body


def render(paragraphs: list[Paragraph], captions: list[Caption], options: Options) -> str:
    """The clean text: paragraphs (and inline captions) separated by one blank line, the rows of a
    table by a line break (a blank line would end the table)."""
    body = body_pieces(paragraphs, captions, options)
    if not any(piece.text[0] == "|" for piece in body):
        return "\n\n".join(piece.text for piece in body)
    parts = [body[0].text] if body else []
    for before, piece in zip(body, body[1:]):
        parts.append("\n" if is_table_row(before.text) and is_table_row(piece.text) else "\n\n")
        parts.append(piece.text)
    return "".join(parts)
