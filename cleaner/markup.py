"""HTML mode's markup stage: residue the page's own markup names.

trafilatura already drops the page frame (navigation, asides, footers), but some
boxes inside the article container get through: a disclaimer, an author bio, a
call to action, footnotes, a pop-up. Their class and id names say what they are.
After the text stage, every output paragraph is placed in the page's element
tree; a paragraph inside an element named by a rule of ``markup.toml``, below
the *main element* (the deepest element holding most of the output's words),
is moved to ``removed`` with that rule's id. Names above the main element
(``<body class="...">``, the article wrapper) say nothing about one paragraph
and are not read.

Guards: never the headline, never a paragraph with a large share of the page's
words, never code (``<pre>``, ``<code>``) nor a box that holds some (the tab panels
of a documentation page, one per package manager, explain the command they hold), and
nothing on a page where the named boxes would hold most of the words (the names then
describe the article).

The element tree comes from one regex pass over the page's tags with a stack of
open elements (void elements, the usual implied end tags, end tags closed within
table scope, stray end tags ignored): close enough to lxml's tree for
class names, and no second parse of the page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path

from .blocks import UNSPACED

RULES_FILE = Path(__file__).resolve().parent / "markup.toml"
MARKUP_FAMILY = "markup"
#: The main element holds at least this share of the output's words.
MAIN_SHARE = 0.6
#: A paragraph with this share of the page's words or more is never removed.
MAX_SHARE = 0.2
#: When the named boxes hold more than this share of the page's words, none is removed.
PAGE_CAP = 0.5
#: The structural rule: outside the main element, a line of fewer than OUTSIDE_WORDS words.
OUTSIDE_SHORT = "markup.outside_short"
OUTSIDE_WORDS = 4
OUTSIDE_REASON = f"fewer than {OUTSIDE_WORDS} words, outside the page's main element"
#: Paragraphs inside these elements are never removed: code is content.
PROTECTED = frozenset({"pre", "code"})

_ATTRIBUTES = r"""(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=|["'])*+"""
#: Elements whose content is not markup (it may hold "<" freely), or holds no text of ours (svg).
_RAW = ("script", "style", "noscript", "textarea", "title", "xmp", "iframe", "svg")
_TAG = re.compile(
    r"<!--[^-]*+(?:-(?!->|-!>)[^-]*+)*+(?:--!?>)?"
    r"|<!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
    + "".join(rf"|<{name}(?=[\s/>]){_ATTRIBUTES}>[^<]*+(?:<(?!/{name}[\s/>])[^<]*+)*+(?:</{name}[^>]*+>)?"
              for name in _RAW)
    + rf"|<(/?)([a-z][a-z0-9:_-]*+)({_ATTRIBUTES})>"
    + r"|<[!?/][^>]*+>",
    re.IGNORECASE | re.DOTALL,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen frame basefont "
                  "bgsound command".split())
#: Start tags that close an open <p>.
_P_CLOSERS = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul li dd dt plaintext".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SCOPE = frozenset("applet caption html table td th marquee object template".split())
_LIST_SCOPE = _SCOPE | {"ol", "ul"}
_TABLE_SECTIONS = ("tbody", "thead", "tfoot")
#: Start tags that close an open element of their own kind, and how far up they look.
_IMPLIED = {
    "li": (("li",), _LIST_SCOPE),
    "dd": (("dd", "dt"), _SCOPE | {"dl"}), "dt": (("dd", "dt"), _SCOPE | {"dl"}),
    "td": (("td", "th"), {"table", "tr"}), "th": (("td", "th"), {"table", "tr"}),
    "tr": (("tr",), {"table", *_TABLE_SECTIONS}),
    **{name: (_TABLE_SECTIONS, {"table"}) for name in _TABLE_SECTIONS},
    "option": (("option",), {"select", "datalist"}), "a": (("a",), _SCOPE),
}
#: How far up an end tag looks for its element (default: up to any element of ``_SCOPE``).
_END_SCOPE = {"p": _SCOPE | {"button"}, "li": _LIST_SCOPE, "table": {"html", "template"},
              **{name: {"table", "html", "template"} for name in ("tr", "td", "th", *_TABLE_SECTIONS, "caption")}}
_IGNORED_END = frozenset({"html", "body"}) | _VOID
#: Elements a page opens once: a second start tag of one opens nothing.
_ONCE = frozenset(("html", "body", "head"))
#: Elements whose start tag opens them even written self-closing (``<div/>``), as in a parser.
_SELF_CLOSING_OK = frozenset(("div", "span", "p", "a", "li", "section"))
_IN_HEAD = frozenset("meta link title style script noscript base template basefont bgsound".split())
_NAME_ATTRIBUTE = re.compile(r"""(?<![\w:-])(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


@dataclass(frozen=True)
class MarkupRule:
    """Class or id words that name a box of residue (``tokens``), with the rule's id and reason."""

    id: str
    tokens: frozenset[str]
    reason: str
    match_examples: tuple[str, ...] = ()
    miss_examples: tuple[str, ...] = ()


@cache
def markup_rules() -> tuple[MarkupRule, ...]:
    """The rules of ``markup.toml``."""
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    return tuple(MarkupRule(entry["id"], frozenset(entry["tokens"]), entry["reason"],
                            tuple(entry.get("examples", {}).get("match", ())),
                            tuple(entry.get("examples", {}).get("miss", ()))) for entry in data["rule"])


def markup_rule_ids() -> list[str]:
    """The ids of every markup rule: those of ``markup.toml`` and the structural ones."""
    return [rule_id for rule_id, _ in markup_rule_reasons()]


def markup_rule_reasons() -> list[tuple[str, str]]:
    """Every markup rule's id and what it removes (for ``cleaner rules``)."""
    named = [(rule.id, f"{rule.reason} (class or id: {', '.join(sorted(rule.tokens))})") for rule in markup_rules()]
    return named + [(OUTSIDE_SHORT, OUTSIDE_REASON)]


def name_words(attributes: str, ids: bool = True) -> frozenset[str]:
    """The words of an element's class and id, split at punctuation and camelCase, lowercased
    (``class="post-authorBio"`` → post, author, bio); one-letter words and numbers left out.

    ``ids=False``: the class only (a heading's id is mostly its own text, as an anchor).
    """
    words = set()
    seen = set()
    for key, *values in _NAME_ATTRIBUTE.findall(attributes):
        key = key.lower()
        if key in seen or (key == "id" and not ids):  # the first of a repeated attribute counts, as in a parser
            continue
        seen.add(key)
        value = unescape("".join(values))
        words.update(word.lower() for word in _WORD.findall(value) if len(word) > 1 and not word.isdigit())
    return frozenset(words)


@dataclass
class Elements:
    """The page's elements in document order (tag name and raw attribute text), and for each
    of some page offsets the elements open there, outermost first."""

    names: list[str]
    attributes: list[str]
    chains: list[tuple[int, ...]]


def open_elements(page: str, positions: list[int]) -> Elements:
    """The elements open at each of ``positions`` (page offsets), from one pass over the tags
    up to the last position."""
    order = sorted(range(len(positions)), key=positions.__getitem__)
    chains: list[tuple[int, ...]] = [()] * len(positions)
    names: list[str] = []
    attributes: list[str] = []
    open_ = _OpenElements()
    count, stack, elements = open_.count, open_.names, open_.elements
    done, upcoming = 0, positions[order[0]] if order else -1
    last = len(order)
    for match in _TAG.finditer(page):
        if match.start() > upcoming:
            at = match.start()
            while done < last and positions[order[done]] < at:
                chains[order[done]] = tuple(elements)
                done += 1
            if done == last:
                break
            upcoming = positions[order[done]]
        closing, name, raw = match.groups()
        if name is None:
            continue
        name = name.lower()
        if closing:
            if count.get(name) and name not in _IGNORED_END:
                if stack[-1] == name:  # the usual case, the innermost element: popped here, not by a method
                    count[name] -= 1
                    stack.pop()
                    elements.pop()
                else:
                    open_.close((name,), _END_SCOPE.get(name, _SCOPE))
            continue
        implied = _IMPLIED.get(name)  # what close_implied could act on: an open <head> or <p>, the tag's own kind, a heading
        if (count.get("head") or (name in _P_CLOSERS and count.get("p")) or (implied and any(map(count.get, implied[0])))
                or (name in _HEADINGS and stack and stack[-1] in _HEADINGS)):
            open_.close_implied(name)
        if name in _VOID or (name in _ONCE and count.get(name)):
            continue
        if raw and raw[-1] == "/" and name not in _SELF_CLOSING_OK:
            continue  # self-closing (SVG, MathML)
        elements.append(len(names))  # pushed here, not by a method: the loop's hottest lines
        stack.append(name)
        count[name] = count.get(name, 0) + 1
        names.append(name)
        attributes.append(raw)
    for index in order[done:]:
        chains[index] = tuple(elements)
    return Elements(names, attributes, chains)


class _OpenElements:
    """The stack of open elements (their indices and names, in two lists), and how many of
    each name are open: a tag that would close an element of a kind none of which is open
    costs nothing."""

    def __init__(self):
        self.elements: list[int] = []
        self.names: list[str] = []
        self.count: dict[str, int] = {}

    def pop_from(self, depth: int) -> None:
        for name in self.names[depth:]:
            self.count[name] -= 1
        del self.elements[depth:], self.names[depth:]

    def close(self, names: tuple[str, ...], scope) -> None:
        """Pop through the innermost open element named in ``names``, unless an element of
        ``scope`` (other than those named) comes first. Some element of ``names`` is open."""
        stack = self.names
        for depth in range(len(stack) - 1, -1, -1):
            name = stack[depth]
            if name in names:
                self.pop_from(depth)
                return
            if name in scope:
                return

    def in_head(self) -> bool:
        return bool(self.names) and self.names[-1] == "head"

    def close_implied(self, name: str) -> None:
        """Close what a start tag ``name`` closes: an open <head>, an open <p>, a previous item or cell."""
        stack, count = self.names, self.count
        if self.in_head() and name not in _IN_HEAD:
            self.pop_from(len(stack) - 1)
        if count.get("p") and name in _P_CLOSERS:
            self.close(("p",), _END_SCOPE["p"])
        implied = _IMPLIED.get(name)
        if implied and any(count.get(kind) for kind in implied[0]):
            self.close(*implied)
        if name in _HEADINGS and stack and stack[-1] in _HEADINGS:
            self.pop_from(len(stack) - 1)


@dataclass
class Verdict:
    """A paragraph the markup names as residue: which paragraph, the rule, and why."""

    index: int
    rule: str
    reason: str


def named_residue(page: str, paragraphs, disabled: frozenset[str] = frozenset(),
                  text_words: int = 0) -> list[Verdict]:
    """The paragraphs (objects with ``kind``, ``text`` and page ``spans``) that sit in a box
    of residue named by a rule of ``markup.toml`` (rules and the family ``markup`` can be ``disabled``).

    ``text_words``: the words of the whole text the paragraphs were kept from, residue the text
    stage took out included; a paragraph's share of the words (``MAX_SHARE``, ``PAGE_CAP``) is
    of these, so that what the text stage took out does not make a box of residue look large."""
    rules = [rule for rule in markup_rules() if rule.id not in disabled and MARKUP_FAMILY not in disabled]
    placed = [i for i, p in enumerate(paragraphs) if p.kind != "title" and p.spans]
    if not rules or not placed:
        return []
    elements = open_elements(page, [paragraphs[i].spans[0][0] for i in placed])
    words = {i: words_in(paragraphs[i].text) for i in placed}
    total = max(sum(words.values()), text_words) or 1
    main_path = _main_path([elements.chains[k] for k in range(len(placed))], [words[i] for i in placed])
    path, main = set(main_path), main_path[-1] if main_path else None
    in_code = [not PROTECTED.isdisjoint(map(elements.names.__getitem__, chain)) for chain in elements.chains]
    holding_code = {element for chain, code in zip(elements.chains, in_code) if code for element in chain}
    short_lines_go = main is not None and MARKUP_FAMILY not in disabled and OUTSIDE_SHORT not in disabled
    verdicts = []
    namings: dict[int, tuple[MarkupRule, frozenset[str]] | None] = {}
    for k, i in enumerate(placed):
        chain = elements.chains[k]
        if words[i] >= MAX_SHARE * total or in_code[k]:
            continue
        verdict = _named_by([e for e in chain if e not in path and e not in holding_code], elements, rules, i, namings)
        if verdict is None and short_lines_go and main not in chain and words[i] < OUTSIDE_WORDS:
            verdict = Verdict(i, OUTSIDE_SHORT, OUTSIDE_REASON)
        if verdict:
            verdicts.append(verdict)
    if sum(words[v.index] for v in verdicts) > PAGE_CAP * total:
        return []
    return verdicts


def words_in(text: str) -> int:
    """The words of ``text``: its tokens between spaces, and each character of a script written
    without spaces (a Japanese paragraph is one token, not one word: without this, a short line
    with a few Latin words held most of a Japanese page's words, and the paragraphs around it
    were taken for labels)."""
    tokens = len(text.split())
    return tokens if text.isascii() else tokens + len(UNSPACED.findall(text))


def _main_path(chains: list[tuple[int, ...]], words: list[int]) -> tuple[int, ...]:
    """The elements from the root down to the main element: the deepest holding ``MAIN_SHARE`` of the words."""
    total = sum(words) or 1
    held: dict[int, int] = {}
    for chain, count in zip(chains, words):
        for element in chain:
            held[element] = held.get(element, 0) + count
    best: tuple[int, ...] = ()
    for chain in chains:  # an element holds at most what its parent holds: those holding enough lead each chain
        depth = len(best)
        while depth < len(chain) and held[chain[depth]] >= MAIN_SHARE * total:
            depth += 1
        if depth > len(best):
            best = chain[:depth]
    return best


def _named_by(below: list[int], elements: Elements, rules: list[MarkupRule], index: int,
              namings: dict[int, tuple[MarkupRule, frozenset[str]] | None]) -> Verdict | None:
    """The first rule naming one of the elements ``below`` the main element, innermost first
    (``namings``: each element's :func:`_naming`, filled as the elements are read)."""
    for element in reversed(below):
        if element not in namings:
            namings[element] = _naming(elements, element, rules)
        if namings[element]:
            rule, hit = namings[element]
            name, shown = elements.names[element], " ".join(elements.attributes[element].split())[:80]
            return Verdict(index, rule.id, f"{rule.reason}: inside <{name} {shown}> ({', '.join(sorted(hit))})")
    return None


def _naming(elements: Elements, element: int, rules: list[MarkupRule]) -> tuple[MarkupRule, frozenset[str]] | None:
    """The first rule naming an element (its class or id words hold some of the rule's tokens), with those words."""
    attributes = elements.attributes[element]
    if not attributes:  # most elements: no class, no id
        return None
    words = name_words(attributes, ids=elements.names[element] not in _HEADINGS)
    for rule in rules:
        hit = words & rule.tokens
        if hit:
            return rule, hit
    return None
