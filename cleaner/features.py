"""Features of each block for the learned model: cheap, sparse, and readable by name.

A block's features are the names of what holds for it (``len:5``, ``end:.``,
``w:comments``, ``zone:comments``), each worth 1.0: shape (length, words,
punctuation, all capitals, links), place (position in the text, prose before
and after), structure (the rule verdicts around it and the zone it sits in, how
often it repeats), words (its words, first and last word, word pairs at its
start: lexical cues of residue learned from data), and the shape of its
neighbours two blocks either way. Binned values and names keep the model linear
and readable: its weights are one table from feature name to number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain, repeat, tee

from .blocks import ends_sentence, is_prose, word_count

#: The decisions' action of removal, by value, so this module needs no import from ``decide``.
REMOVE = "remove"
WORD = re.compile(r"\w+")
#: Words looked at for word pairs: the start of a block says most ("read more", "posted by").
LEADING_PAIRS = 4
#: Words of a block that give word features; the rest of a long paragraph adds nothing.
MAX_WORDS = 24
#: Blocks longer than this are not checked for repeats (a repeated line of residue is short).
MAX_REPEATED = 200
#: Characters at the start of a block that word and link features look at.
LOOK_CHARS = 240


NEIGHBOURS = ((-2, "p2"), (-1, "p1"), (1, "n1"), (2, "n2"))


class Document:
    """What the features of one document's blocks are computed from, computed once.

    ``decisions`` are the rule stage's verdicts (objects with ``text``,
    ``action.value`` and ``rule``); the model reads them as context. Per block it
    keeps only small shared values (the shape names are cached tuples), so a
    document of a million lines costs little memory; ``names(index)`` spells out
    one block's features, and ``cleaner.model`` sums the same weights faster.

    ``kept_only``: only the blocks the rules kept will be scored, so the other blocks'
    place, rule context and mass are left empty, and the shape of a block no kept
    block reads as a neighbour (``NEIGHBOURS``) is not computed.
    """

    def __init__(self, decisions, kept_only: bool = False):
        self.decisions = decisions
        texts = [d.text for d in decisions]
        self.total = len(texts)
        self.verdicts = list(map(_verdict, decisions))
        needed = _near_kept(self.verdicts) if kept_only else repeat(True)
        scored = [verdict == "keep" for verdict in self.verdicts] if kept_only else [True] * self.total
        self.word_counts = list(map(word_count, texts))
        self.shapes = [shape_of(text, count) if need else () for text, count, need in zip(texts, self.word_counts, needed)]
        self.all_words = max(1, sum(self.word_counts))
        #: Per block, the features that do not depend on its words or its neighbours, as shared
        #: cached tuples in three lists: its place, its rule context, its share of the words and repetition.
        self.places = self._places(texts, scored)
        self.contexts = _rule_context(decisions, self.verdicts, scored)
        self.masses = self._masses(texts, scored)
        self._words: dict[int, list[str]] = {}

    def words(self, index: int) -> list[str]:
        """Block ``index``'s ``lexical_words``, read once for all the models that ask."""
        found = self._words.get(index)
        if found is None:
            found = self._words[index] = lexical_words(self.decisions[index].text)
        return found

    def _places(self, texts: list[str], scored: list[bool]) -> list[tuple[str, ...]]:
        """Per block: where it stands (see ``_place_names``); () where not ``scored``."""
        total = self.total
        prose = list(map(is_prose, texts))
        places, before, after = [], 0, sum(prose)
        for index, (here, wanted) in enumerate(zip(prose, scored)):
            after -= here
            places.append(_place_names(10 * index // total, index if index < 3 else -1,
                                       total - index - 1 if total - index <= 3 else -1, min(before, 3), min(after, 3))
                          if wanted else ())
            before += here
        return places

    def _masses(self, texts: list[str], scored: list[bool]) -> list[tuple[str, ...]]:
        """Per block: its share of the document's words and whether it repeats (see ``_mass_names``);
        () where not ``scored``."""
        lowered = [text.lower() if len(text) <= MAX_REPEATED else "" for text in texts]
        repeats = Counter(lowered)
        return [_mass_names(log_bin(100 * count // self.all_words), bool(line) and repeats[line] > 1) if wanted else ()
                for count, line, wanted in zip(self.word_counts, lowered, scored)]

    def neighbour_names(self, index: int) -> list[str]:
        """The shape and verdict of the blocks two either way, each named by its offset."""
        names = []
        for offset, tag in NEIGHBOURS:
            neighbour = index + offset
            if 0 <= neighbour < self.total:
                names += [f"{tag}:{name}" for name in self.shapes[neighbour] if not name.startswith("x:")]
                names.append(f"{tag}:act:{self.verdicts[neighbour]}")
            else:
                names.append(f"{tag}:none")
        return names

    def names(self, index: int) -> list[str]:
        """Every feature name of block ``index``."""
        return [*self.shapes[index], *lexical_features(self.decisions[index].text),
                *self.places[index], *self.contexts[index], *self.masses[index], *self.neighbour_names(index)]


def document_features(decisions) -> list[list[str]]:
    """The feature names of every block of one document, in order (for training and inspection)."""
    document = Document(decisions)
    return [document.names(index) for index in range(document.total)]


def shape_of(text: str, count: int) -> tuple[str, ...]:
    """The block's shape names (a shared cached tuple); ``count`` is its ``word_count``.

    Links and separators are read off its first ``LOOK_CHARS`` characters: a block's start
    says what it is. (The shares of capitalised and of digit tokens among its first eight
    were features too: 23% of the model's instructions for no measurable gain.)
    """
    look = text[:LOOK_CHARS]
    key = (log_bin(len(text)), log_bin(count), _ending(text[-1]), count > 0 and text.isupper(), has_link(look),
           text[0] if text[0] in LEADS else "", "|" in look or " · " in look or " • " in look)
    return _shape_names(key)


LEADS = "-–—•·*|>▶►#"
#: The names of shape features (``_shape_names``) start so, or are one of ``SHAPE_FLAGS``.
SHAPE_PREFIXES = ("len:", "words:", "end:", "x:len_end:", "lead:")
SHAPE_FLAGS = frozenset({"upper", "link", "separators"})


def _near_kept(verdicts: list[str]) -> Iterator[bool]:
    """Per block, lazily: whether a block the rules kept reads it as a neighbour (or is it)."""
    reach = max(abs(offset) for offset, _ in NEIGHBOURS)
    kept = chain((False,) * reach, (verdict == "keep" for verdict in verdicts), (False,) * reach)
    windows = tee(kept, 2 * reach + 1)
    for ahead, window in enumerate(windows):
        for _ in range(ahead):
            next(window)
    return map(any, zip(*windows))


def has_link(text: str) -> bool:
    """Whether ``text`` holds a web address, a handle or an e-mail address: "://", "www.", "@",
    ".com", ".org" or ".net" (as addresses are written: in lower case)."""
    return ("@" in text or "://" in text or "www." in text or ".com" in text or ".org" in text
            or ".net" in text)


@lru_cache(maxsize=4096)
def _shape_names(key: tuple) -> tuple[str, ...]:
    """What the block looks like: length, words, ending, all capitals, links (see ``shape_of``)."""
    length, words, ending, upper, link, lead, separators = key
    names = [f"len:{length}", f"words:{words}", f"end:{ending}", f"x:len_end:{length}:{ending}"]
    if upper:
        names.append("upper")
    if link:
        names.append("link")
    if lead:
        names.append(f"lead:{lead}")
    if separators:
        names.append("separators")
    return tuple(names)


def lexical_words(text: str) -> list[str]:
    """The block's first words, lowercased: what its word features are made of."""
    return WORD.findall(text[:LOOK_CHARS].lower())[:MAX_WORDS]


#: The names of word features start so (``lexical_features``); "nowords" is one too.
LEXICAL_PREFIXES = ("w:", "first:", "last:", "pair:")


def is_lexical(name: str) -> bool:
    """Whether ``name`` is one of the word features of ``lexical_features``."""
    return name.startswith(LEXICAL_PREFIXES) or name == NO_WORDS


def is_text_feature(name: str) -> bool:
    """Whether ``name`` tells what a block's own text is (its shape or its words), not where it
    stands or what is around it: what the comment model reads."""
    return is_lexical(name) or name.startswith(SHAPE_PREFIXES) or name in SHAPE_FLAGS


NO_WORDS = "nowords"


def lexical_features(text: str) -> list[str]:
    """Words of the block: each word, the first and last word, and pairs at its start."""
    words = lexical_words(text)
    if not words:
        return [NO_WORDS]
    names = [f"w:{word}" for word in dict.fromkeys(words) if not word.isdigit()]  # each once, in text order
    names.append(f"first:{words[0]}")
    names.append(f"last:{words[-1]}")
    lead = words[:LEADING_PAIRS]
    names += [f"pair:{a}_{b}" for a, b in zip(lead, lead[1:])]
    return names


@lru_cache(maxsize=1024)
def _place_names(decile: int, head: int, tail: int, prose_before: int, prose_after: int) -> tuple[str, ...]:
    """Where the block stands: its tenth of the document, near either end (-1: not), prose before and after."""
    names = [f"pos:{decile}"]
    if head >= 0:
        names.append(f"head:{head}")
    if tail >= 0:
        names.append(f"tail:{tail}")
    return (*names, f"prose_before:{prose_before}", f"prose_after:{prose_after}")


@lru_cache(maxsize=64)
def _mass_names(share_bin: int, repeated: bool) -> tuple[str, ...]:
    """The block's share of the document's words (binned), and whether it repeats."""
    return (f"mass:{share_bin}", "repeated") if repeated else (f"mass:{share_bin}",)


def _rule_context(decisions, verdicts: list[str], scored: list[bool]) -> list[tuple[str, ...]]:
    """Per block: its own rule verdict, the last rule family above it and how far, the residue run
    before it; () where not ``scored``."""
    context = []
    last_family, since, run = "", 0, 0
    for decision, verdict, wanted in zip(decisions, verdicts, scored):
        zone = decision.rule[5:] if verdict == "zone" else ""
        context.append(_context_names(verdict, zone, last_family, log_bin(since) if last_family else -1, min(run, 3))
                       if wanted else ())
        if verdict == REMOVE:  # a zone's removals have the verdict "zone"
            last_family, since = decision.rule.split(".")[0], 0
        since += 1
        run = run + 1 if verdict != "keep" else 0
    return context


@lru_cache(maxsize=4096)
def _context_names(verdict: str, zone: str, family: str, since: int, run: int) -> tuple[str, ...]:
    names = [f"act:{verdict}"]
    if zone:
        names.append(f"zone:{zone}")
    if family:
        names += [f"after:{family}", f"since:{since}"]
    names.append(f"run:{run}")
    return tuple(names)


def _verdict(decision) -> str:
    action = decision.action._value_  # the member's value, without the slow ``value`` descriptor
    if action == REMOVE and decision.rule.startswith("zone."):
        return "zone"
    return action


#: A logarithmic bin: 0, 1, 2-3, 4-7, ... → 0, 1, 2, 3, ... (the number's bit length).
log_bin = int.bit_length


@lru_cache(maxsize=4096)
def _ending(last: str) -> str:
    """A block's last character, by class: sentence end, colon, digit, letter, other."""
    if last in ".!?…。":
        return "."
    if last in ":;,":
        return last
    if ends_sentence(last):
        return "quote"
    if last.isdigit():
        return "digit"
    if last.isalpha():
        return "letter"
    return "other"
