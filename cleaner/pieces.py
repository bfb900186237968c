"""The output pieces: paragraphs, captions and removed residue, each with its spans.

Spans are ``[start, end)`` offsets in code points into the input. Together the
pieces cover every non-whitespace character of the input exactly once
(*lossless*; a byte order mark that opens the input is not text), and each piece's text is the text of its spans, give or take
whitespace (*faithful*).
"""

from __future__ import annotations

import codecs
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .blocks import BYTE_ORDER_MARK, LINE_BREAK

Spans = list[list[int]]
#: The join of two lines of one block of code: kept as lines, with their line breaks and indentation.
CODE_JOIN = "rejoin.code"


@dataclass(slots=True)
class Removed:
    """A piece of residue taken out, with the rule that took it and why."""

    rule: str
    text: str
    spans: Spans
    reason: str = ""
    #: How sure the decision is: 1.0 for a rule, the residue probability for the learned model.
    score: float = 1.0

    def to_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "spans": [list(span) for span in self.spans]}


@dataclass(slots=True)
class Caption:
    """A photo caption or credit moved out of the body."""

    text: str
    spans: Spans
    rule: str
    reason: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "spans": [list(span) for span in self.spans], "rule": self.rule}


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the body: its kind, its text and the spans it was joined from.

    ``joins`` names the rejoin rule of each seam where two input blocks became
    one paragraph (``rejoin.wrap``, ``rejoin.split``, ``rejoin.hyphen``, ``rejoin.compound``).
    """

    kind: str
    text: str
    spans: Spans
    joins: list[str] = field(default_factory=list)
    #: Indices of the first and last decision the paragraph was built from.
    sources: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "spans": [list(span) for span in self.spans]}


@dataclass(slots=True)
class Result:
    """What ``clean()`` returns: the clean text and every piece with its provenance."""

    text: str
    paragraphs: list[Paragraph]
    captions: list[Caption]
    removed: list[Removed]
    #: The decoded input, kept (not copied) so offsets can be converted or checked.
    input: str = field(repr=False, default="")

    def to_dict(self, offsets: str = "chars") -> dict:
        """The JSON schema of the README; ``offsets="bytes"`` gives UTF-8 byte offsets."""
        doc = {
            "text": self.text,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "captions": [c.to_dict() for c in self.captions],
            "removed": [r.to_dict() for r in self.removed],
        }
        if offsets == "bytes":
            convert_offsets(doc, self.input)
        elif offsets != "chars":
            raise ValueError(f"offsets must be 'chars' or 'bytes', not {offsets!r}")
        return doc

    def show_undecodable_bytes(self) -> None:
        """For an input decoded with ``surrogateescape`` (each byte that is not UTF-8 kept as one
        lone surrogate, so that byte offsets count it as the one byte it is): show each such byte
        as U+FFFD in the texts, in place. Offsets do not move: one character stands for another."""
        from .io import without_lone_surrogates

        self.text = without_lone_surrogates(self.text)
        for piece in (*self.paragraphs, *self.captions, *self.removed):
            piece.text = without_lone_surrogates(piece.text)

    def explain(self) -> list[str]:
        """One line per decision, in input order: ``line:col: verdict rule: text (why)``."""
        where = LineIndex(self.input)
        entries = []
        for r in self.removed:
            entries.append((r.spans[0][0], f"removed {r.rule}: {_quote(r.text)}", r.reason))
        for c in self.captions:
            entries.append((c.spans[0][0], f"caption {c.rule}: {_quote(c.text)}", c.reason))
        for p in self.paragraphs:
            if p.kind != "paragraph":
                entries.append((p.spans[0][0], f"{p.kind}: {_quote(p.text)}", ""))
            for join in (join for join in p.joins if join != CODE_JOIN):  # the kind says it: code
                entries.append((p.spans[0][0], f"joined {join}: {_quote(p.text)}", JOIN_REASONS[join]))
        entries.sort(key=lambda entry: entry[0])
        return [f"{where.line_col(start)}: {what}" + (f"  ({why})" if why else "") for start, what, why in entries]


JOIN_REASONS = {
    "rejoin.wrap": "hard-wrapped lines joined",
    "rejoin.split": "a sentence split across blocks rejoined",
    "rejoin.hyphen": "a word hyphenated across a line break repaired",
    "rejoin.compound": "a compound broken after its hyphen rejoined, the hyphen kept",
}


def overlaps(span, taken) -> bool:
    """Whether ``span`` overlaps any of ``taken``: spans sorted and apart from one another."""
    position = bisect_left(taken, span)
    neighbours = taken[max(0, position - 1) : position + 1]
    return any(start < span[1] and span[0] < end for start, end in neighbours)


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class LineIndex:
    """Maps code-point offsets to 1-based ``line:col`` positions, as an editor shows them: a
    byte order mark that opens the text is no column of its first line."""

    def __init__(self, text: str):
        self._starts = [1 if text.startswith(BYTE_ORDER_MARK) else 0]
        self._starts += [match.end() for match in LINE_BREAK.finditer(text)]

    def line_col(self, offset: int) -> str:
        line = max(1, bisect_right(self._starts, offset))  # the mark itself: line 1, column 1
        return f"{line}:{max(0, offset - self._starts[line - 1]) + 1}"


def convert_offsets(doc: dict, text: str, encoding: str = "utf-8") -> None:
    """Rewrite every span of ``doc`` from code-point offsets into ``text`` to byte offsets
    into ``text`` encoded with ``encoding``, in place (each prefix is encoded once)."""
    spans = [span for key in ("paragraphs", "captions", "removed") for piece in doc[key] for span in piece["spans"]]
    if text.isascii():
        return
    points = sorted({offset for span in spans for offset in span})
    mapping, byte_offset, previous = {}, 0, 0
    for point in points:
        byte_offset += _encoded_length(text[previous:point], encoding)
        mapping[point], previous = byte_offset, point
    for span in spans:
        span[0], span[1] = mapping[span[0]], mapping[span[1]]


def _encoded_length(text: str, encoding: str) -> int:
    """The bytes ``text`` takes in ``encoding``. A lone surrogate in U+DC80-U+DCFF, the range
    ``surrogateescape`` keeps an undecodable byte in, takes that one byte; any other (a JSON
    escape such as ``\\ud800``) takes three, as the U+FFFD that stands for it in UTF-8 would."""
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError:
        return len(text.encode(encoding, _SURROGATE_BYTES))


def _surrogate_bytes(error: UnicodeEncodeError) -> tuple[bytes, int]:
    """The ``encode`` error handler of :func:`_encoded_length`: placeholder bytes of the right count."""
    lone = error.object[error.start:error.end]
    return b"".join(b"?" if "\udc80" <= char <= "\udcff" else b"???" for char in lone), error.end


_SURROGATE_BYTES = "cleaner-surrogate-bytes"
codecs.register_error(_SURROGATE_BYTES, _surrogate_bytes)
