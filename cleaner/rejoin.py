"""Rejoining: kept blocks become paragraphs, and split paragraphs become whole again.

Four seams are closed, each named by its rule id:

- ``rejoin.wrap``: a hard-wrapped line (so close to the text's wrap width that the
  next line's first word would not have fitted) and the line after it, with no blank
  line between;
- ``rejoin.hyphen``: a word hyphenated across a line break ("infor-" / "mation");
  the hyphen becomes a removed piece of its own;
- ``rejoin.compound``: a compound broken after its own hyphen ("Corona-" / "Pandemie",
  "well-" / "judged"), joined with the hyphen kept: the next word starts with a
  capital, the document spells the compound with its hyphen elsewhere, or its first
  part is one that keeps a hyphen (``HYPHEN_HEADS``), no suffix follows, and the
  document never spells it whole;
- ``rejoin.code``: the lines of a block of code (``cleaner.blocks.mark_code``), kept as
  lines: their line breaks and indentation (less what all of them share) stay;
- ``rejoin.split``: a sentence broken by removed residue, a caption or a stray
  break ("the father ... tore" / "Advertisement" / "frantically at ..."), a long
  line that ends in a word no sentence ends in ("... rest for" / "30 minutes."), or a
  German sentence broken by residue before a noun ("... auf bezahlbare" / "Anzeige" /
  "Wohnungen ...").

A sentence end followed by a blank line stays a paragraph boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import (
    CODE_REACH,
    FULL_LINE_SHARE,
    LINE_BREAK,
    SHORT_LINE,
    Block,
    as_wide_as_prose,
    ends_sentence,
    goes_on_in_lowercase,
    is_code_line,
    is_list_item,
    is_table_row,
    joins_without_space,
    looks_like_code,
    next_word_overflows,
    starts_lowercase,
)
from .decide import Action, Decision, continues_into
from .kinds import could_be_heading, could_be_title
from .pieces import CODE_JOIN, Paragraph, Removed

#: A word broken by a hyphen at the end of a line: two letters or more, then "-".
_HYPHENATED = re.compile(r"(?<![\W\d_])[^\W\d_]{2,}-\Z")
#: First parts of compounds that keep their hyphen ("well-judged", "self-aware", "twenty-five").
HYPHEN_HEADS = frozenset(
    "well self ex half non long short full cross high low far ill best quasi pseudo "
    "twenty thirty forty fifty sixty seventy eighty ninety".split()
)
#: What follows such a head when a typesetter broke a word after it ("high-ly", "cross-ing",
#: "ill-ness"): a suffix, not a word of a compound.
SUFFIXES = re.compile(r"(?:ly|ing|ings|er|ers|est|ed|en|ness|ther|less|ment|ments|ship)\Z")
#: Words no sentence ends in (articles, possessives, prepositions that are no verb particle,
#: conjunctions; none that is also a word of another of these languages that may), by language:
#: a long line that ends in one, in lowercase, goes on in the next line, whatever that starts
#: with ("... rest for" / "30 minutes.", "... on your" / "PATH.").
FUNCTION_WORDS = frozenset("""
    the a of to for with from and or nor your our their my its whose than into onto
    der die den dem des eine einen einem einer eines und oder zum zur im am für von bei
    le la les des du de à au aux et ou mais dans sur sans sous chez ce cette ces sa ses leur leurs
    el las del pero en por al su sus
    il lo gli di della delle degli nel nella tra fra
    en naar
    os pela sem
    и в во на с со по для от к ко о об из у под при над
""".split())
#: The letters of a word before its hyphen at a line's end; the letters a line starts with.
_HEAD = re.compile(r"[^\W\d_]+(?=-\Z)")
_TAIL = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)
class _Seam:
    """What lies between two kept blocks."""

    blank_line: bool
    residue: bool


@dataclass(slots=True)
class _Draft:
    """A paragraph being built: its parts and separators, spans and seams."""

    parts: list[str]
    spans: list[list[int]]
    joins: list[str]
    first: int
    last: int
    #: Whether the text looks like code (``looks_like_code``), as far as ``searched`` characters of it.
    code: bool = False
    searched: int = 0
    #: The text's length, kept as parts are added (``_extend``, ``_drop_hyphen``).
    size: int = field(init=False)
    #: Of a block of code: the indentation all its lines share, left out of its text.
    margin: int = 0

    def __post_init__(self):
        self.size = sum(map(len, self.parts))

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def tail(self, count: int) -> str:
        """The text's last ``count`` characters (all of it, when shorter), joined from the parts
        they are in only: a paragraph of ten thousand lines is not joined whole at each line."""
        taken, size = [], 0
        for part in reversed(self.parts):
            taken.append(part)
            size += len(part)
            if size >= count:
                break
        return "".join(reversed(taken))[-count:]

    def looks_like_code(self) -> bool:
        """``looks_like_code(self.text)``, searching only what was added since the last question
        and ``CODE_REACH`` characters before it, from a space (a web address has none): no sign
        of code spans more. (A paragraph joined from ten thousand lines was searched whole at
        every line.)"""
        if not self.code:
            fresh = self.tail(self.size - self.searched + 2 * CODE_REACH)
            offset = self.size - len(fresh)  # where ``fresh`` starts in the text
            reach = max(0, self.searched - CODE_REACH) - offset
            space = fresh.rfind(" ", max(0, reach - CODE_REACH), max(0, reach))
            start = space + 1 if space >= 0 else max(0, reach)
            # past the text's start, a space before it: what stood there, and no line's start ("cd ...")
            window = fresh[start:] if offset + start == 0 else f" {fresh[start:]}"
            self.code, self.searched = looks_like_code(window), self.size
        return self.code

    def finish(self) -> Paragraph:
        return Paragraph("paragraph", self.text, self.spans, self.joins, (self.first, self.last))


def rejoin(text: str, decisions: list[Decision], width: int) -> tuple[list[Paragraph], list[Removed]]:
    """Group the kept decisions into paragraphs; return them and the removed hyphens."""
    # each paragraph is finished as soon as the next one opens: one draft (and its list of parts)
    # at a time, not one per paragraph alive beside the paragraphs made of them
    paragraphs: list[Paragraph] = []
    draft: _Draft | None = None
    hyphens: list[Removed] = []
    spellings = Spellings(text)
    previous: Decision | None = None
    seam = _Seam(False, False)
    for index, decision in enumerate(decisions):
        seam.blank_line |= decision.block.gap_before
        if decision.action is not Action.KEEP:
            seam.residue = True
            continue
        seam.residue |= _has_leading_cut(decision)
        join = seam_rule(previous, decision, seam, width, draft, first=not paragraphs) if previous else None
        if join == "rejoin.hyphen" and keeps_hyphen(spellings, previous.text, decision.text):
            join = "rejoin.compound"
        if join:
            if join == "rejoin.hyphen":
                hyphens.append(_drop_hyphen(draft, previous.end - 1))
            _extend(draft, text, decision, join)
            draft.last = index
        else:
            if draft is not None:
                paragraphs.append(draft.finish())
            draft = _code_draft(text, decisions, index) if decision.block.code else \
                _Draft([decision.text], [[decision.start, decision.end]], [], index, index)
        previous = decision
        seam = _Seam(False, _has_trailing_cut(decision))
    if draft is not None:
        paragraphs.append(draft.finish())
    return paragraphs, hyphens


def seam_rule(before: Decision, after: Decision, seam: _Seam, width: int,
              paragraph: _Draft | Paragraph | None = None, first: bool = False) -> str | None:
    """The rejoin rule that joins ``after`` onto ``before``, or None for a paragraph break.

    ``paragraph``: the paragraph ``before`` ends, if known; ``first``: it is the text's
    first. A heading, or a headline (a first paragraph of one block that reads as one),
    followed by a blank line ends there when no residue stands between (else cleaning
    the clean text again would join it to a paragraph that a caption had stood between)."""
    if before.block.code or after.block.code:
        return CODE_JOIN if before.block.code == after.block.code and not seam.residue else None
    if is_list_item(after.text) or is_table_row(after.text) or is_table_row(before.text):
        return None
    line_break_only = not seam.blank_line
    if (line_break_only or seam.residue) and before.text[-1] == "-" and _HYPHENATED.search(before.text):
        if starts_lowercase(after.text):
            return "rejoin.hyphen"
        if after.text[0].isupper():
            return "rejoin.compound"
    if line_break_only and width and next_word_overflows(before.block, after.text, width) \
            and _has_words(after.text) and not _indented_paragraph(before, after) \
            and not (is_code_line(before.text) and is_code_line(after.text)):
        return "rejoin.wrap"  # (a short line before a long word, a web address, was broken by the wrapper too)
    if _sentence_goes_on(before, after, seam, width, paragraph, first) \
            and not (is_code_line(before.text) or is_code_line(after.text)):
        return "rejoin.split"  # (a command is no broken sentence: "yarn add lumen" / Advertisement / "pnpm users ...")
    return None


def _sentence_goes_on(before: Decision, after: Decision, seam: _Seam, width: int,
                      paragraph: _Draft | Paragraph | None, first: bool) -> bool:
    """Whether a sentence broken after ``before`` goes on in ``after`` (see ``seam_rule``)."""
    line_break_only = not seam.blank_line
    draft = paragraph if isinstance(paragraph, _Draft) else None
    # of a paragraph being built, its last characters: what the checks below read (a longer paragraph
    # is no heading and is prose by its length alone; the draft searches itself for code)
    text = draft.tail(SEAM_READS) if draft else paragraph.text if paragraph else before.text
    if (line_break_only or seam.residue) and _ends_in_a_function_word(before.text) \
            and not _line_by_line(text, after.text, width, draft):
        return True  # "... let it rest for" / "30 minutes.": no sentence ends in "for"
    if seam.residue and _german_noun_follows(text, before.text, after.text):
        return True  # "... auf bezahlbare" / Anzeige / "Wohnungen in den Städten."
    if seam.residue and not first and _caseless_sentence_goes_on(text, before.text, after.text):
        return True  # "……方便居民" / ADVERTISEMENT / "就近休闲。……"
    if not (continues_into(before.text, after.text) and _ends_mid_sentence(before.text)):
        return False
    if not seam.residue and _line_by_line(text, after.text, width, draft):
        return False
    if seam.blank_line and not seam.residue:
        one_block = not (paragraph and paragraph.joins)
        if could_be_heading(text) or (first and one_block and could_be_title(text)):
            return False
    return True


def gap_join(before: Paragraph, after: int, decisions: list[Decision], width: int, first: bool) -> str | None:
    """The rule that joins the paragraph whose first block is ``decisions[after]`` onto ``before``
    across a gap where a paragraph was taken out, if cleaning the clean text again would (it sees
    only a blank line between them; ``first``: ``before`` is the text's first paragraph), or None."""
    return seam_rule(decisions[before.sources[1]], decisions[after], _Seam(True, False), width, before, first=first)


class Joined:
    """A paragraph that paragraphs before it were joined onto across gaps (``gap_join``), one at
    a time from the text's end towards its start, as ``decide.judge_paragraphs`` walks: its parts
    are kept, last first, and joined once (``paragraph``). Joining each paragraph onto the whole
    of the one after it copied that one: ten thousand gaps closed in a row cost the square."""

    __slots__ = ("kind", "texts", "spans", "joins", "first", "last", "size")

    def __init__(self, paragraph: Paragraph):
        self.kind, self.texts, self.spans, self.joins = paragraph.kind, [paragraph.text], [paragraph.spans], [paragraph.joins]
        self.first, self.last = paragraph.sources
        self.size = len(paragraph.text)

    def join_after(self, before: Paragraph, join: str) -> Joined:
        """Join this paragraph onto ``before`` by rule ``join`` (``gap_join``'s): in place."""
        self.kind, self.first = before.kind, before.sources[0]
        self.texts.append(before.text)
        self.spans.append(before.spans)
        self.joins += [(join,), before.joins]
        self.size += len(before.text) + 1
        return self

    def paragraph(self) -> Paragraph:
        return Paragraph(self.kind, " ".join(reversed(self.texts)), [span for spans in reversed(self.spans) for span in spans],
                         [join for joins in reversed(self.joins) for join in joins], (self.first, self.last))


def joins_across_residue(before: Decision, after: Decision, blank_line: bool, width: int) -> bool:
    """Whether ``after`` would be joined onto ``before`` if what lies between them were residue
    (``blank_line``: a blank line lies between them too)."""
    return seam_rule(before, after, _Seam(blank_line, True), width) is not None


def _last_word(text: str) -> str:
    return text[text.rfind(" ") + 1:]


def _ends_in_a_function_word(text: str) -> bool:
    return _last_word(text) in FUNCTION_WORDS  # a whole word: the words are all letters


#: Words of German text: a paragraph holding three of them is read as German (``_german_noun_follows``).
GERMAN_WORDS = frozenset("der die das und nicht ist sich mit den von auf für eine einen dem des wird sind auch".split())
_GERMAN_WORD = re.compile(r"[a-zäöüß]+")
#: A sentence end inside a text: a full stop, "!" or "?" (a closing quote after it allowed), then a capital.
_SENTENCE_INSIDE = re.compile(r"[.!?][\"'»«“”’)]?\s+[A-ZÄÖÜ]")


def _german_noun_follows(paragraph: str, line: str, following: str) -> bool:
    """Whether a German sentence broken by residue goes on in ``following`` with a noun, which
    German writes with a capital: ``line`` (the last of ``paragraph``) ends in a lowercase word
    with no sentence end, ``following`` starts with a capital and is no heading, and
    ``paragraph`` holds three common German words and a sentence before the broken one (a
    caption above its credit, "... ist seit 2022 stark gesunken" / "Foto: dpa", is one
    sentence with no full stop). In English a capital after residue starts a new paragraph."""
    last = _last_word(line)
    return (last.isalpha() and last.islower() and following[:1].isupper() and not could_be_heading(following)
            and _SENTENCE_INSIDE.search(paragraph) is not None
            and len(GERMAN_WORDS.intersection(_GERMAN_WORD.findall(paragraph.lower()))) >= 3)


#: Commas after which a sentence goes on: Latin, full-width, ideographic, Arabic.
_COMMAS = frozenset(",，、،")


#: How much of the paragraph before a seam its checks read, from its end (see ``seam_rule``).
SEAM_READS = 2000


def _caseless_sentence_goes_on(paragraph: str, line: str, following: str) -> bool:
    """Whether a sentence of a script without capitals (Chinese, Japanese, Korean, Arabic,
    Hebrew ...) broken by residue goes on in ``following``, where no lowercase letter can say
    so: ``following`` starts with a letter of such a script, and ``line`` (the last of
    ``paragraph``) ends in a comma, or in such a letter with ``paragraph`` as wide as a
    paragraph of prose (a heading above residue is narrower; see ``as_wide_as_prose``)."""
    last = line[-1]
    return _caseless_letter(following[0]) and (last in _COMMAS or (_caseless_letter(last) and as_wide_as_prose(paragraph)))


def _caseless_letter(char: str) -> bool:
    return char.isalpha() and not char.isupper() and not char.islower()


def _indented_paragraph(before: Decision, after: Decision) -> bool:
    """True when ``after`` opens a paragraph of a text that marks them by indenting their first
    line (a book's style): it stands further in than the line before, which ends a sentence (and
    opens no list item), and it starts with a capital."""
    return after.block.indent > before.block.indent and ends_sentence(before.text) \
        and not is_list_item(before.text) and not goes_on_in_lowercase(after.text)


def _has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit: a line of "***" or "---" divides; it goes on nothing."""
    return any(char.isalnum() for char in text)


def _line_by_line(paragraph: str, line: str, width: int, draft: _Draft | None = None) -> bool:
    """True when a ``paragraph`` and the ``line`` after it, with nothing removed between them, were
    ended by their writer: code, or a short line (verse, a list, an address), not a sentence
    broken by a stray break. Short: under ``SHORT_LINE`` characters, or in a text hard-wrapped
    narrower, under a full line's share of its width. (The paragraph, not its last line, so
    that cleaning the clean text again, where it is one line, decides alike; ``draft``: the
    paragraph being built, which remembers how far it was searched for code.)"""
    short = min(SHORT_LINE, FULL_LINE_SHARE * width) if width else SHORT_LINE
    return len(paragraph) < short or (draft.looks_like_code() if draft else looks_like_code(paragraph)) \
        or looks_like_code(line)


def keeps_hyphen(spellings: Spellings, line: str, following: str) -> bool:
    """Whether the word that ``line`` ends with a hyphen and ``following`` goes on with is a
    compound (see ``rejoin.compound``) rather than a word hyphenated by a typesetter
    (``spellings``: how the text spells its words elsewhere)."""
    head, tail = _HEAD.search(line), _TAIL.match(following)
    if head is None or tail is None:
        return False
    head, tail = head.group(), tail.group()
    if spellings.holds(f"{head}-{tail}"):
        return True
    return head.lower() in HYPHEN_HEADS and not SUFFIXES.match(tail) and not spellings.holds(head + tail)


_WORD_RUN = re.compile(r"\w+")
_HYPHEN_CHAIN = re.compile(r"\w+(?:-\w+)+")


class Spellings:
    """The whole words of a text, and the pairs of them it joins with one hyphen ("well-known",
    "of-the" in "state-of-the-art"), in lower case: read once, on the first question, so that
    a text hyphenating every line costs one pass, not one search of the whole text per line."""

    def __init__(self, text: str):
        self.text = text
        self._spelt: set[str] | None = None

    def holds(self, word: str) -> bool:
        """Whether the text holds ``word`` (one word, or two joined by a hyphen) as a whole word, in any case."""
        if self._spelt is None:
            lowered = self.text.lower()
            self._spelt = set(_WORD_RUN.findall(lowered))
            for chain in _HYPHEN_CHAIN.findall(lowered):
                parts = chain.split("-")
                self._spelt.update(f"{first}-{second}" for first, second in zip(parts, parts[1:]))
        return word.lower() in self._spelt


def _ends_mid_sentence(text: str) -> bool:
    return text[-1].isalnum() or text[-1] in ",–—"


def _has_leading_cut(decision: Decision) -> bool:
    return bool(decision.cuts) and any(cut.spans[0][0] < decision.start for cut in decision.cuts)


def _has_trailing_cut(decision: Decision) -> bool:
    return bool(decision.cuts) and any(cut.spans[0][0] >= decision.end for cut in decision.cuts)


def _drop_hyphen(draft: _Draft, position: int) -> Removed:
    draft.parts[-1] = draft.parts[-1][:-1]
    draft.size -= 1
    draft.spans[-1][1] = position
    return Removed("rejoin.hyphen", "-", [[position, position + 1]], "line-break hyphen of a rejoined word")


def _code_draft(text: str, decisions: list[Decision], index: int) -> _Draft:
    """A paragraph of code opened by ``decisions[index]``, which leaves out the indentation
    that the lines of its block of code share."""
    run = decisions[index].block.code
    margin = min(d.block.indent for d in _while_code(decisions, index, run))
    decision = decisions[index]
    return _Draft([_indentation(text, decision.block)[margin:] + decision.text], [[decision.start, decision.end]], [],
                  index, index, margin=margin)


def _while_code(decisions: list[Decision], index: int, run: int):
    """The decisions from ``index`` on, as long as their blocks are lines of the block of code ``run``."""
    while index < len(decisions) and decisions[index].block.code == run:
        yield decisions[index]
        index += 1


def _indentation(text: str, block: Block) -> str:
    return text[block.start - block.indent : block.start]


def _separator(draft: _Draft, text: str, decision: Decision, join: str) -> str:
    """What stands between ``draft`` and the text of ``decision`` joined to it by ``join``: the
    line breaks and indentation between two lines of code, nothing within a word, else a space."""
    if join == CODE_JOIN:
        breaks = len(LINE_BREAK.findall(text, draft.spans[-1][1], decision.start))
        return "\n" * breaks + _indentation(text, decision.block)[draft.margin:]
    if join in ("rejoin.hyphen", "rejoin.compound") or joins_without_space(draft.parts[-1], decision.text):
        return ""
    return " "


def _extend(draft: _Draft, text: str, decision: Decision, join: str) -> None:
    """Append ``decision``'s text to ``draft``; merge spans separated only by whitespace."""
    separator = _separator(draft, text, decision, join)
    if separator:
        draft.parts.append(separator)
        draft.size += len(separator)
    draft.parts.append(decision.text)
    draft.size += len(decision.text)
    draft.joins.append(join)
    last = draft.spans[-1]
    if text[last[1] : decision.start].isspace():
        last[1] = decision.end
    else:
        draft.spans.append([decision.start, decision.end])
