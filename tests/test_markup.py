"""HTML mode's markup stage: the element tree at a page offset, the rule data and its
examples, and the guards (``cleaner/markup.py``, ``cleaner/markup.toml``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cleaner.html import clean_html
from cleaner.markup import (
    OUTSIDE_SHORT,
    markup_rules,
    name_words,
    named_residue,
    open_elements,
)

RULES = markup_rules()


@dataclass
class Piece:
    kind: str
    text: str
    spans: list


def pieces_of(page: str, texts: list[str], kinds: list[str] | None = None) -> list[Piece]:
    """Paragraphs with one span each, at the first place their text stands in ``page``."""
    kinds = kinds or ["paragraph"] * len(texts)
    return [Piece(kind, text, [[page.index(text), page.index(text) + len(text)]]) for kind, text in zip(kinds, texts)]


def chain_names(page: str, text: str) -> list[str]:
    elements = open_elements(page, [page.index(text)])
    return [elements.names[e] for e in elements.chains[0]]


def test_rule_ids_are_unique_and_in_the_markup_family():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) and all(i.startswith("markup.") for i in ids)
    assert all(rule.tokens and rule.reason and rule.match_examples and rule.miss_examples for rule in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_examples(rule):
    for tag in rule.match_examples:
        assert name_words(tag) & rule.tokens, f"{rule.id} does not name {tag}"
    for tag in rule.miss_examples:
        assert not name_words(tag) & rule.tokens, f"{rule.id} names {tag}"


def test_name_words_split_punctuation_and_camel_case_and_read_class_and_id_only():
    assert name_words('<div class="post-authorBio x" id="main_Box2" data-x="cta">') == {"post", "author", "bio",
                                                                                         "main", "box"}
    assert name_words('<h2 id="about-us" class="title">', ids=False) == {"title"}
    assert name_words('<div class="A&amp;B-cta">') == {"cta"}


def test_open_elements_follow_nesting_and_implied_end_tags():
    page = ("<html><body><div class=a><ul><li>one<li>two</ul><p>first<p>second"
            "<table><tr><td>cell<td>next</table><img src=x>after</div>tail</body></html>")
    assert chain_names(page, "two") == ["html", "body", "div", "ul", "li"]
    assert chain_names(page, "second") == ["html", "body", "div", "p"]
    assert chain_names(page, "next") == ["html", "body", "div", "table", "tr", "td"]
    assert chain_names(page, "after") == ["html", "body", "div"]
    assert chain_names(page, "tail") == ["html", "body"]


def test_open_elements_skip_scripts_comments_and_markup_inside_attributes():
    page = ('<div class=box><script>if (a < b) { document.write("<div>") }</script><!-- <div> -->'
            '<span title="<div>">x</span>text</div>')
    assert chain_names(page, "text") == ["div"]


def article(inner: str) -> str:
    body = "".join(f"<p>Paragraph {n} of the article tells what happened on the river that week.</p>" for n in range(8))
    return f"<html><body><div class=wrap><article><div class=content>{body}{inner}</div></article></div></body></html>"


def test_a_named_box_below_the_main_element_is_residue_with_its_rule_and_reason():
    page = article('<div class="post-disclaimer"><p>We are paid by the shops we link to.</p></div>')
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(8)]
    found = named_residue(page, pieces_of(page, texts + ["We are paid by the shops we link to."]))
    assert [(v.index, v.rule) for v in found] == [(8, "markup.disclaimer")]
    assert 'inside <div class="post-disclaimer"> (disclaimer)' in found[0].reason


def test_names_above_the_main_element_say_nothing():
    page = f"<div class='related-posts'>{article('')}</div>"
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(8)]
    assert named_residue(page, pieces_of(page, texts)) == []


def test_guards_title_code_big_paragraphs_and_disabled_rules():
    code = "<div class=menu><pre>print(menu)</pre></div>"
    page = article(f'{code}<div class="cta"><p>Book a river tour today.</p></div>')
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(8)]
    pieces = pieces_of(page, texts + ["print(menu)", "Book a river tour today."])
    assert [v.rule for v in named_residue(page, pieces)] == ["markup.cta"]
    assert named_residue(page, pieces, frozenset({"markup.cta"})) == []
    assert named_residue(page, pieces, frozenset({"markup"})) == []
    pieces[-1].kind = "title"
    assert named_residue(page, pieces) == []


def test_a_box_that_holds_code_is_the_articles():
    """A documentation page's tab panels, one per package manager, each explain the command they
    hold: the explanations went and the bare commands stayed."""
    panels = "".join(f'<div role="tabpanel" class="tab-panel"><p>With {tool}, add the tool to the project first:</p>'
                     f"<pre><code>{tool} add lumen</code></pre></div>" for tool in ("yarn", "pnpm"))
    page = article(f'<div class="tabs">{panels}</div><div class="tab-pane"><p>Popular this week</p></div>')
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(8)]
    texts += ["With yarn, add the tool to the project first:", "yarn add lumen",
              "With pnpm, add the tool to the project first:", "pnpm add lumen", "Popular this week"]
    assert [(v.index, v.rule) for v in named_residue(page, pieces_of(page, texts))] == [(12, "markup.tabs")]


def test_nothing_goes_when_the_named_boxes_hold_most_of_the_page():
    page = "<html><body><div>" + "".join(
        f"<div class='widget-tab'><p>Entry {n} of the list tells its own small story in full.</p></div>"
        for n in range(6)) + "</div></body></html>"
    texts = [f"Entry {n} of the list tells its own small story in full." for n in range(6)]
    assert named_residue(page, pieces_of(page, texts)) == []


def test_a_box_is_measured_against_the_whole_text_not_what_the_text_stage_kept():
    box = " ".join(["This cookie is set by the consent plugin and lasts eleven months."] * 3)
    page = article(f'<div class="cookie-tab"><p>{box}</p></div>')
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(3)]
    pieces = pieces_of(page, texts + [box])
    assert named_residue(page, pieces) == []  # a third of what is left: protected as a big paragraph
    assert [v.index for v in named_residue(page, pieces, text_words=500)] == [3]


def test_outside_the_main_element_short_lines_go():
    page = article("") + "<ul><li>More news from the river desk</li></ul><div><p>Sponsored</p></div>"
    texts = [f"Paragraph {n} of the article tells what happened on the river that week." for n in range(8)]
    pieces = pieces_of(page, texts + ["More news from the river desk", "Sponsored"],
                       ["paragraph"] * 8 + ["list_item", "paragraph"])
    assert [(v.index, v.rule) for v in named_residue(page, pieces)] == [(9, OUTSIDE_SHORT)]


def test_clean_html_moves_named_boxes_to_removed_and_keeps_every_span():
    page = article('<div class="promo-cta"><p>Get the river letter every Friday morning.</p></div>')
    result = clean_html(page.encode())
    gone = [r for r in result.removed if r.rule == "markup.cta"]
    assert [r.text for r in gone] == ["Get the river letter every Friday morning."]
    assert "river letter" not in result.text
    start, end = gone[0].spans[0]
    assert page[start:end] == "Get the river letter every Friday morning."
    kept = clean_html(page.encode(), disabled=frozenset({"markup"}))
    assert "Get the river letter every Friday morning." in kept.text


def test_config_knows_the_markup_rules_and_family(tmp_path):
    from cleaner.config import known_rule_names, rules_outside

    assert {"markup", "markup.cta", OUTSIDE_SHORT} <= known_rule_names()
    assert "markup.cta" in rules_outside(frozenset({"ads"})) and "markup.cta" not in rules_outside(frozenset({"markup"}))


def test_an_end_tag_closes_only_its_own_kind():
    page = "<div><tab><table><tr><td>cell</td></tr></table>after</tab>out</div>"
    assert chain_names(page, "after") == ["div", "tab"]
    assert chain_names(page, "out") == ["div"]
