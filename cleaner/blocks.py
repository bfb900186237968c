"""Cut input text into blocks: one block per non-blank line, with its offsets.

Lines end at "\n", "\r\n" or a "\r" alone.

Offsets are born here, once, and only carried along afterwards. A block is the
stripped text of one line: ``text[start:end]`` has no leading or trailing
whitespace, so the blocks together cover every non-whitespace character of the
input exactly once.

>>> [(b.start, b.end, b.text, b.gap_before) for b in cut_blocks("Share\\n\\nTitle\\n  body ")]
[(0, 5, 'Share', False), (7, 12, 'Title', True), (15, 19, 'body', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

#: The stripped content of one line: from its first to its last non-space character, byte order
#: marks that open it left out (the second pattern for a text with a "\r" in it: the first, one
#: character class less, is faster).
_LINE = re.compile(r"[^\s\ufeff](?:[^\n]*\S)?")
_LINE_OR_RETURN = re.compile(r"[^\s\ufeff](?:[^\n\r]*\S)?")
#: A line break: "\n" (with any "\r" before it: "\r\n", and the "\r\r\n" of a text whose line ends
#: were converted twice), or a "\r" alone (old Mac files).
LINE_BREAK = re.compile(r"\r*\n|\r(?!\r*\n)")
_LONE_RETURN = re.compile(r"\r(?!\r*\n)")

#: Wrapped text has lines no longer than this (terminals, e-mail, plain-text archives),
#: and no shorter than this (narrower "wrapping" is verse, or a list).
MAX_WRAP_WIDTH = 160
MIN_WRAP_WIDTH = 20
#: A line that reaches this share of the wrap width was broken by the wrapper.
FULL_LINE_SHARE = 0.6
#: Share of wrapped lines (followed by a line of the same paragraph) that must be full: so full
#: that the next line's first word would not have fitted on them.
WRAPPED_FULL_SHARE = 0.7
#: The share of the width a next word may have had left and still not fit: a proportional
#: font (text copied from a PDF) and wrappers that balance their lines (fmt) end lines early.
OVERFLOW_SLACK = 0.1
#: Share of such lines that end mid-sentence; one-paragraph-per-line text has almost none.
WRAPPED_OPEN_SHARE = 0.4
#: Share of such lines whose next line starts with a lowercase letter: a wrapper breaks
#: sentences anywhere, while verse, addresses and score lines start each line with a capital.
WRAPPED_LOWER_SHARE = 0.25
#: Wrapped lines needed before a document counts as hard-wrapped.
MIN_WRAPPED_LINES = 3

#: A block this long that ends a sentence is a paragraph of article prose.
PROSE_LENGTH = 80
#: A line shorter than this was ended by its writer (a line of verse, a list item, a label), not
#: by a wrapper: it does not run on into the next line.
SHORT_LINE = 40

BYTE_ORDER_MARK = "\ufeff"
_SENTENCE_END = frozenset(".!?:;\"”’»)…。！？")


@dataclass(slots=True)
class Block:
    """One non-blank line of the input, stripped."""

    start: int
    end: int
    text: str
    #: A blank line (or the start of the input) separates this block from the previous one.
    gap_before: bool
    #: The white space before it on its line (the line's indentation), in code points.
    indent: int = 0
    #: The block of code it is a line of, numbered from 1; 0 for none (``mark_code``).
    code: int = 0

    @property
    def right_edge(self) -> int:
        """The column where its line ends: where a hard wrap broke it."""
        return self.indent + len(self.text)


def cut_blocks(text: str, code_lines: dict[int, int] | None = None) -> list[Block]:
    """Cut ``text`` into blocks, one per non-blank line, with their offsets and the blocks of code
    they make (``mark_code``; ``code_lines``: lines known to be code, see there). A byte order mark
    that opens the text, or a line of it (files joined one after the other), is not text: it is
    in no block (and in no piece of the result), so the clean text never starts with one."""
    blocks = []
    previous_end = int(text.startswith(BYTE_ORDER_MARK))
    lone_returns = has_lone_returns(text)
    for match in (_LINE_OR_RETURN if lone_returns else _LINE).finditer(text, previous_end):
        start = match.start()
        if lone_returns:
            gap = not blocks or len(LINE_BREAK.findall(text, previous_end, start)) > 1
            line_start = max(text.rfind("\n", previous_end, start), text.rfind("\r", previous_end, start)) + 1
        else:
            gap = not blocks or text.count("\n", previous_end, start) > 1
            line_start = text.rfind("\n", previous_end, start) + 1
        blocks.append(Block(start, match.end(), match.group(), gap, start - max(line_start, previous_end)))
        previous_end = match.end()
    mark_code(blocks, code_lines)
    return blocks


def has_lone_returns(text: str) -> bool:
    """Whether a "\r" ends a line of ``text`` by itself (rare: only then are lines and breaks
    found by the slower patterns; "\r\n" needs none)."""
    return "\r" in text and _LONE_RETURN.search(text) is not None


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with any "\r" of its line end left at its end (to be stripped)."""
    return LINE_BREAK.split(text) if has_lone_returns(text) else text.split("\n")


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with terminal punctuation (or a closing quote)."""
    return bool(text) and text[-1] in _SENTENCE_END


def starts_lowercase(text: str) -> bool:
    """True when ``text`` starts with a lowercase letter: it continues a sentence."""
    return bool(text) and text[0].islower()


def wrap_width(blocks: list[Block]) -> int:
    """The column at which the input was hard-wrapped, or 0 when it was not.

    A hard-wrapped text has many lines directly followed by a line of the same
    paragraph; nearly all of them end close to one column, so close that the next
    line's first word would not have fitted, and many end in the middle of a
    sentence, the next line going on in lowercase. Text with one paragraph per line
    fails the last tests; verse, lists of addresses or results and code fail the
    first (their lines end where the writer ended them, well short of the width).
    Lines are measured to their right edge (indentation counts), a line of one word
    (a long address) does not set the width, and a list item is not a wrapped line's
    continuation; e-mail quote marks ("> ") are passed over, and a line of them alone is a
    blank line of the quote.
    """
    pairs = [(b, after) for b, after in zip(blocks, islice(blocks, 1, None))
             if not after.gap_before and not is_list_item(after.text) and _unquoted(b.text) and _unquoted(after.text)]
    if len(pairs) < MIN_WRAPPED_LINES:
        return 0
    lengths = sorted(b.right_edge for b, _ in pairs if " " in b.text) or sorted(b.right_edge for b, _ in pairs)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return 0
    broken = sum(next_word_overflows(b, after.text, width) for b, after in pairs)
    open_ended = sum(not ends_sentence(b.text) for b, _ in pairs)
    lower = sum(goes_on_in_lowercase(after.text) for _, after in pairs)
    if broken < WRAPPED_FULL_SHARE * len(pairs) or open_ended < WRAPPED_OPEN_SHARE * len(pairs) \
            or lower < WRAPPED_LOWER_SHARE * len(pairs):
        return 0
    return width


def is_full_line(block: Block, width: int) -> bool:
    """True when ``block`` reaches close enough to ``width`` to have been broken by a hard wrap."""
    return width > 0 and block.right_edge >= FULL_LINE_SHARE * width


def next_word_overflows(block: Block, following: str, width: int) -> bool:
    """True when the first word of ``following`` would not have fitted on ``block``'s line within
    ``width`` (less ``OVERFLOW_SLACK``): a wrapper would have put it there, so a line it follows
    was ended by its writer."""
    word = _unquoted(following).split(" ", 1)[0]
    return block.right_edge + 1 + len(word) > width * (1 - OVERFLOW_SLACK)


def goes_on_in_lowercase(text: str) -> bool:
    """True when the line ``text`` (past any e-mail quote marks) starts with a letter that is
    not a capital: lowercase, or of a script without case (Chinese, Japanese, Thai ...)."""
    first = _unquoted(text)[:1]
    return first.isalpha() and not first.isupper()


def _unquoted(text: str) -> str:
    """``text`` past the quote marks of an e-mail reply ("> > ")."""
    return text[_QUOTE_MARKS.match(text).end():] if text[:1] == ">" else text


_QUOTE_MARKS = re.compile(r"(?:>[ \t]*)+")


def inside_wrapped_paragraph(blocks: list[Block], index: int, width: int) -> bool:
    """True when block ``index`` of a text hard-wrapped at ``width`` runs on from, or into, a wrapped line."""
    if not width:
        return False
    block = blocks[index]
    runs_on = index > 0 and not block.gap_before and is_full_line(blocks[index - 1], width)
    runs_into = index + 1 < len(blocks) and not blocks[index + 1].gap_before and is_full_line(block, width)
    return runs_on or runs_into


def word_count(text: str) -> int:
    """A block's number of words, cheaply: its spaces plus one."""
    return text.count(" ") + 1 if text else 0


def is_prose(text: str) -> bool:
    """True when ``text`` reads as a paragraph of article prose: long (as wide as ``PROSE_LENGTH``
    Latin letters: a Chinese or Japanese paragraph of 40 characters is; see ``display_width``),
    and ending a sentence."""
    return as_wide_as_prose(text) and ends_sentence(text)


def as_wide_as_prose(text: str) -> bool:
    """Whether ``text`` takes ``PROSE_LENGTH`` columns or more (see ``display_width``), its width
    worked out only for a text too short in characters but long enough with wide ones."""
    length = len(text)
    return length >= PROSE_LENGTH or (2 * length >= PROSE_LENGTH and display_width(text) >= PROSE_LENGTH)


#: A character of a script written without spaces between words (Thai, Lao, Myanmar, Khmer, Japanese
#: kana, Chinese characters, half-width katakana).
_UNSPACED_CHARS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\uf900-\ufaff\uff66-\uff9f")
UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]")


#: A character of a script written without spaces, CJK punctuation or a full-width form.
_UNSPACED_OR_WIDE = re.compile(f"[{_UNSPACED_CHARS}\u3000-\u303f\uff00-\uffef]")


#: A character written twice as wide as a Latin letter: Hangul, kana, CJK characters, full-width forms.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a fixed-width font: a wide character (``_WIDE``) two."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def joins_without_space(before: str, after: str) -> bool:
    """True when a line ending in ``before`` runs on into ``after`` with no space between: the
    word ``before`` ends with and the word ``after`` starts with (as spaces delimit them) both hold
    a character of a script written without spaces (or CJK punctuation, a full-width form). So
    "午前" / "9時" and "绿地2" / "00公顷" (a number broken by the wrap) join closely, and "東京" / "is"
    with a space."""
    last, first = before.rsplit(None, 1)[-1], after.split(None, 1)[0]
    return bool(_UNSPACED_OR_WIDE.search(last)) and bool(_UNSPACED_OR_WIDE.search(first))


#: Signs of program code in a line: braces, an assignment, a call, a tag, a comment (``_COMMAND``:
#: a line that opens with an import, a prompt or a shell command). Not a ";" at its end: prose
#: has them too.
_CODE = re.compile(r"[{}]|[^=!<>]=[^=]|\w\([^()\n]*\)|</?[A-Za-z][\w-]*[\s>/]|/>|(?<!:)//")
#: Every sign of ``_CODE`` holds one of these: a line without any is searched no further.
_CODE_SIGN = re.compile(r"[{}=(</]")
#: A shell command, a prompt, an import or an SQL statement that opens a line.
_COMMAND = re.compile(r"(?:import|from \S+ import|#include|\$|>>>|git|cd|sudo|pip3?|npm|npx|yarn|pnpm|python3?|node"
                      r"|cargo|brew|apt(?:-get)?|conda|kubectl|chmod|mkdir|curl|docker"
                      r"|SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|FROM|WHERE|JOIN|GROUP BY|ORDER BY|VALUES) ")


#: A line that opens or closes a fenced block of code in Markdown: three or more backticks or
#: tildes, then maybe the code's language and more ("```python", "``` js", "~~~", "```py title=a.py").
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})([^`]*)")


def is_code_fence(text: str) -> bool:
    return _CODE_FENCE.fullmatch(text) is not None


#: The longest sign of code (``_CODE``) a search needs to see whole: a call with its arguments, a tag.
CODE_REACH = 1000
#: A line of only brackets and separators closes (or opens) a block of code: "}", "});", "]".
_CODE_BRACKETS = re.compile(r"[\[\](){}<>;,]+")
#: A line with this many words is code only when dense with symbols and no sentence runs in it.
MAX_CODE_WORDS = 8
MIN_CODE_SYMBOLS = 0.12
#: Four plain words in a row: prose (a citation or an equation in a wrapped paragraph is dense too).
_PROSE_RUN = re.compile(r"(?:[^\W\d_]+ ){3}[^\W\d_]+\b")
#: A longer line is prose, or code no reader reads line by line (minified).
MAX_CODE_LINE = 240
#: A line ending in one of these is a sentence (a command's " ." aside): no line of code, nor a fence.
_SENTENCE_STOPS = frozenset(".!?。")


def ends_like_a_sentence(text: str) -> bool:
    return text[-1] in _SENTENCE_STOPS and not text.endswith(" .")  # "git add ." is no sentence


def is_code_line(text: str) -> bool:
    """Whether ``text`` reads as a line of a program: brackets alone, or a sign of code
    (``looks_like_code``) in a line that is no sentence (short of words, or dense with
    symbols without four plain words in a row; not ending in a full stop; at most
    ``MAX_CODE_LINE`` long), no list item and no table row."""
    if ends_like_a_sentence(text) or len(text) > MAX_CODE_LINE:
        return False
    if not looks_like_code(text):
        return _CODE_BRACKETS.fullmatch(text) is not None
    if is_list_item(text) or is_table_row(text):
        return False
    if len(text.split()) < MAX_CODE_WORDS:
        return True
    return sum(not (char.isalnum() or char.isspace()) for char in text) >= MIN_CODE_SYMBOLS * len(text) \
        and _PROSE_RUN.search(text) is None


def mark_code(blocks: list[Block], code_lines: dict[int, int] | None = None) -> None:
    """Number the blocks of code, in place (``Block.code``): the lines of fenced blocks
    (``fenced_blocks``), runs of lines that read as a program (``code_run_end``), listings of
    data a program reads (``listing_end``: YAML, INI files, diffs), and the lines
    known to be code (``code_lines``: the offset where such a line starts, and the block of code
    it is in, as the lines of a page's ``<pre>``). Their lines are kept as they stand: no rule
    or model removes one, and they are not joined as prose."""
    settled = dict(fenced_blocks(blocks))  # the blocks of code known before their lines are read
    if code_lines:
        settled.update(_known_blocks(blocks, code_lines))
    run, index, count = 0, 0, len(blocks)
    while index < count:
        end = settled.get(index)
        if end is None:
            if ends_like_a_sentence(blocks[index].text):  # most lines: a sentence, which opens nothing
                index += 1
                continue
            end = code_run_end(blocks, index, settled)
            if end is None:
                end = listing_end(blocks, index)
        if end is None:
            index += 1
            continue
        run += 1
        for block in blocks[index:end]:
            block.code = run
        index = end


def _known_blocks(blocks: list[Block], code_lines: dict[int, int]) -> list[tuple[int, int]]:
    """The runs of blocks whose lines ``code_lines`` names (by where the line starts, its
    indentation included), one run per block of code it names, as (first index, index after the last)."""
    found: list[tuple[int, int]] = []
    last = None  # the block of code of the block before, if known
    for index, block in enumerate(blocks):
        known = code_lines.get(block.start - block.indent)
        if known is not None and known == last and found and found[-1][1] == index:
            found[-1] = (found[-1][0], index + 1)
        elif known is not None:
            found.append((index, index + 1))
        last = known
    return found


def fenced_blocks(blocks: list[Block]) -> list[tuple[int, int]]:
    """The fenced blocks of code, as (index of the opening fence, index after the closing one),
    paired in order: a fence opens a block, and a bare fence of the same character, at least as
    long, closes it. A fence left open opens nothing: another fence with a language ("```js")
    before any closing one opens a block of its own, and one still open at the end of the text
    closes nothing."""
    found: list[tuple[int, int]] = []
    opened: tuple[int, str, int] | None = None  # the open fence's index, character and length
    for index, block in enumerate(blocks):
        fence = _CODE_FENCE.fullmatch(block.text) if block.text[0] in "`~" else None
        if fence is None:
            continue
        marks, info = fence.group(1), fence.group(2).strip()
        if opened is None:
            opened = (index, marks[0], len(marks))
        elif marks[0] == opened[1] and not info and len(marks) >= opened[2]:
            found.append((opened[0], index + 1))
            opened = None
        elif marks[0] == opened[1] and info:
            opened = (index, marks[0], len(marks))
    return found


def code_run_end(blocks: list[Block], index: int, settled: dict[int, int] | None = None) -> int | None:
    """Where a run of program lines that starts at ``blocks[index]`` ends (the index after it),
    or None when none starts there.

    The run starts at a line of code (``is_code_line``) and goes on through the lines of code
    and the lines indented deeper than its first, with no blank line between, unless the line
    after one is indented deeper and is code, or the run's indentation already varies (a
    blank line in a function); it stops before a block of code already known (``settled``: their
    first indices).
    It is code when two of its lines are, and either its indentation varies or every line is."""
    first = blocks[index]
    if not is_code_line(first.text):
        return None
    settled = settled or {}
    end, code_lines, indents = index + 1, 1, {first.indent}
    while end < len(blocks) and end not in settled:
        block = blocks[end]
        deeper, code = block.indent > first.indent, is_code_line(block.text)
        if block.gap_before and not (deeper and (code or len(indents) > 1)):
            break
        if code:
            code_lines += 1
        elif not deeper or is_prose(block.text):
            break
        indents.add(block.indent)
        end += 1
    return end if code_lines >= 2 and (len(indents) > 1 or code_lines == end - index) else None


#: The header of a unified diff: "diff --git a/x b/x", or "--- a/x" over "+++ b/x".
_DIFF_HEADERS = ("diff --git ", "--- ", "+++ ")
#: What a unified diff's lines open with: its headers, a hunk ("@@ -1,4 +1,4 @@"), a line taken
#: out or put in, "\ No newline at end of file", the git header's lines.
_DIFF_LINE = re.compile(r"[-+@\\]|diff --git |index |(?:new|deleted) file mode |similarity |rename ")
#: A section header of an INI file ("[server]"), and a line under it ("port = 8080", "; note").
_INI_SECTION = re.compile(r"\[[\w .:\"-]+\]")
_INI_LINE = re.compile(r"[\w.\"-]+\s*=|[;#]")
#: A key of a YAML mapping, with or without its value: "image: nginx:1.25", "ports:". No space
#: in the key, as a label of prose has ("Photo credit: ...").
_YAML_KEY = re.compile(r"[\w.\"'-]+:(?: |$)")


def listing_end(blocks: list[Block], index: int) -> int | None:
    """Where a listing of data that starts at ``blocks[index]`` ends (the index after it), or None
    when none starts there: a unified diff, an INI file or an indented YAML mapping, whose lines
    show no sign of program code (``is_code_line``) but are read by a program all the same."""
    text = blocks[index].text
    if text.startswith(_DIFF_HEADERS):
        return _diff_end(blocks, index)
    if text[0] == "[":
        return _ini_end(blocks, index)
    if _YAML_KEY.match(text):
        return _yaml_end(blocks, index)
    return None


def _next_line(blocks: list[Block], index: int) -> Block | None:
    """The block after ``index``, when it stands on the next line (no blank line between)."""
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    return None if after is None or after.gap_before else after


def _diff_end(blocks: list[Block], index: int) -> int | None:
    """A unified diff: its header, then hunks of lines taken out, put in, or kept (a kept line
    starts with a space, so its block is indented one column more), up to a blank line."""
    first = blocks[index]
    if first.text.startswith("--- ") and not ((after := _next_line(blocks, index)) and after.text.startswith("+++ ")):
        return None
    end, hunks = index + 1, 0
    while end < len(blocks) and not blocks[end].gap_before:
        block = blocks[end]
        if block.indent <= first.indent and _DIFF_LINE.match(block.text) is None:
            break
        hunks += block.text.startswith("@@ ")
        end += 1
    return end if hunks else None


def _ini_end(blocks: list[Block], index: int) -> int | None:
    """An INI file: a section header over a line of it, and its sections one after the other,
    a blank line between two allowed."""
    end = index
    while end < len(blocks) and _INI_SECTION.fullmatch(blocks[end].text) \
            and (after := _next_line(blocks, end)) and _INI_LINE.match(after.text):
        end += 1
        while end < len(blocks) and not blocks[end].gap_before and (
                _INI_LINE.match(blocks[end].text) or _INI_SECTION.fullmatch(blocks[end].text)):
            end += 1
    return end if end > index else None


def _yaml_end(blocks: list[Block], index: int) -> int | None:
    """An indented YAML mapping: a key over lines indented deeper, among them a key of its own
    ("Photo: Jane Doe" over an indented "Reuters" is a label and its credit), then more keys at
    its depth, each over deeper lines (a blank line before such a key allowed). A paragraph of
    prose among the deeper lines is no value: the listing ends before its key."""
    first, end = blocks[index], index
    while end < len(blocks) and blocks[end].indent == first.indent and _YAML_KEY.match(blocks[end].text) \
            and (after := _next_line(blocks, end)) and after.indent > first.indent:
        below = _deeper_lines_end(blocks, end + 1, first.indent)
        if below is None or (end == index and not any(_YAML_KEY.match(b.text) for b in blocks[end + 1:below])):
            break
        end = below
    return end if end > index else None


def _deeper_lines_end(blocks: list[Block], index: int, indent: int) -> int | None:
    """The end of the lines from ``index`` on that are indented deeper than ``indent``, with no
    blank line between; None when one of them is a paragraph of prose."""
    end = index
    while end < len(blocks) and not blocks[end].gap_before and blocks[end].indent > indent:
        if is_prose(blocks[end].text):
            return None
        end += 1
    return end


def looks_like_code(text: str) -> bool:
    """True when ``text`` reads as a line of program code rather than prose (a web address in
    it, query string and all, is not code)."""
    if "://" in text:
        text = _WEB_ADDRESS.sub(" ", text)
    if _COMMAND.match(text):
        return True
    return _CODE_SIGN.search(text) is not None and _CODE.search(text) is not None


_WEB_ADDRESS = re.compile(r"\S+://\S+")


_LIST_ITEM = re.compile(r"(?:[-*•·▪◦‣–—]|\d{1,3}[.)])\s")


def is_table_row(text: str) -> bool:
    """True when ``text`` is a row of a table as Markdown (and trafilatura) write one: between bars."""
    return len(text) > 1 and text[0] == "|" and text[-1] == "|"


def is_list_item(text: str) -> bool:
    """True when ``text`` starts with a bullet or an item number."""
    return bool(_LIST_ITEM.match(text))
