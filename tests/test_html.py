"""HTML input: decoding, the page's text index, alignment, spans into the page, fixtures.

The fixtures are small pages we wrote ourselves (``tests/fixtures/html``). Regenerate
their golden files after a deliberate change with
``CLEANER_UPDATE_GOLDEN=1 pytest tests/test_html.py`` and review the diff.
"""

from __future__ import annotations

import codecs
import gzip
import json
import warnings
from html import unescape

import pytest

import cleaner.html as html_module
from cleaner import Options
from cleaner.html import (
    HtmlResult,
    PageIndex,
    TextIndex,
    align,
    check_provenance,
    clean_html,
    decode_html,
    extract_text,
    html_byte_offsets,
    looks_like_html,
    mask_markup,
    page_title,
    _suspiciously_short,
    parse_page,
    provenance_exactness,
    with_title,
)
from cleaner.io import InputError

from .conftest import FIXTURES, assert_golden, check_expectations, nonspace

HTML_FIXTURES = FIXTURES / "html"
CASES = sorted(path.stem for path in HTML_FIXTURES.glob("*.html"))


def page_of(body: str, head: str = "<title>A</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def stream_places(page: str) -> tuple[str, list[str]]:
    """The page's stream and, for each of its characters, the page text it comes from."""
    index = PageIndex(page)
    places = []
    for k in range(index.size):
        (start, end), = index.html_spans(k, k + 1)
        places.append(page[start:end])
    return index.stream, places


def page_texts(result, piece) -> str:
    """What the page says at a piece's spans, unescaped, whitespace deleted."""
    return nonspace("".join(unescape(result.input[start:end]) for start, end in piece.spans))


def without_marker(piece) -> str:
    text = piece.text
    return text[2:] if getattr(piece, "kind", "") == "list_item" and text.startswith("- ") else text


# -- the page's text index ------------------------------------------------------------


def test_index_unescapes_entities_and_maps_them_to_their_whole_reference():
    page = page_of("<p>Fish &amp; chips&nbsp;for &#163;4 &mdash; caf&eacute; o&#x2019;clock</p>")
    stream, places = stream_places(page)
    assert stream.endswith("Fish&chipsfor£4—caféo’clock")
    assert places[stream.index("&")] == "&amp;"
    assert places[stream.index("£")] == "&#163;"
    assert places[stream.index("—")] == "&mdash;"
    assert places[stream.index("é")] == "&eacute;"
    assert places[stream.index("’")] == "&#x2019;"
    assert places[stream.index("F")] == "F"


def test_index_skips_script_style_noscript_and_comments():
    page = page_of(
        "<script>var s = '<p>scripted</p>';</script><style>p { color: red }</style>"
        "<noscript>Enable JavaScript</noscript><!-- a <p>comment</p> --><p>Visible text</p>"
        "<![CDATA[ cdata ]]><SCRIPT type='x'>IGNORED</SCRIPT>",
        head="<title>T</title><script>var head = 1;</script>",
    )
    assert PageIndex(page).stream == "TVisibletext"


def test_index_does_not_take_attributes_for_text():
    page = page_of('<p class="lead" title="a > b" data-x=\'c > d\'>Body <a href="/x?a=1&amp;b=2">link</a></p>'
                   '<img alt="An image description">')
    assert PageIndex(page).stream == "ABodylink"


def test_index_reads_template_content_which_trafilatura_extracts():
    assert PageIndex(page_of("<template><p>Templated</p></template>")).stream == "ATemplated"


def test_index_keeps_a_bare_less_than_sign_as_text():
    assert PageIndex(page_of("<p>1 < 2 and 3 > 2</p>")).stream == "A1<2and3>2"


def test_spans_split_where_a_tag_intervenes_and_cover_whitespace_inside_a_text_node():
    page = page_of("<p>one two <b>three</b> four</p>")
    index = PageIndex(page)
    start = index.stream.index("one")
    spans = index.html_spans(start, start + len("onetwothreefour"))
    assert [page[s:e] for s, e in spans] == ["one two", "three", "four"]


def test_characters_trafilatura_drops_break_a_span():
    page = page_of("<p>soft\u00adhyphen and zero\u200bwidth</p>")
    index = PageIndex(page)
    start = index.stream.index("soft")
    assert index.stream[start:] == "softhyphenandzerowidth"
    spans = index.html_spans(start, index.size)
    assert [page[s:e] for s, e in spans] == ["soft", "hyphen and zero", "width"]


# -- alignment ------------------------------------------------------------------------


def aligned_spans(page: str, text: str, title_lines: int = 0) -> list[list[str]]:
    """For each line of ``text``, the page texts its characters map to."""
    index, lines = PageIndex(page), TextIndex(mask_markup(text))
    alignment = align(lines, index, title_lines)
    out = []
    for sig, chars in zip(lines.sigs, lines.chars):
        spans = [span for low, high in alignment.stream_ranges(sig, sig + len(chars))
                 for span in index.html_spans(low, high)]
        out.append([page[s:e] for s, e in spans])
    return out


def test_the_same_sentence_twice_maps_each_line_to_its_own_place():
    page = page_of("<p>The bridge stays shut.</p><aside>Related</aside><blockquote>The bridge stays shut.</blockquote>"
                   "<p>Repairs start in May.</p>")
    index = PageIndex(page)
    text = "The bridge stays shut.\nThe bridge stays shut.\nRepairs start in May."
    lines = TextIndex(text)
    alignment = align(lines, index)
    first, second = (alignment.stream_ranges(sig, sig + len(chars))[0] for sig, chars in zip(lines.sigs, lines.chars[:2]))
    assert first[0] < second[0]
    spans = [index.html_spans(*first)[0], index.html_spans(*second)[0]]
    assert page.index("<p>The bridge") < spans[0][0] < page.index("<blockquote>") < spans[1][0]


def test_posts_given_out_of_order_map_each_repeated_label_to_its_own_post():
    """trafilatura gave a forum's first post last: its labels pointed into the last post, and
    the labels of the others all pointed back into the first (two lines on one page text)."""
    posts = [f"<div class='post'><p>Member</p><p>Joined: 2019</p><p>Post number {n} says hello.</p></div>" for n in (1, 2, 3)]
    page = page_of("".join(posts))
    text = "\n".join(f"Member\nJoined: 2019\nPost number {n} says hello." for n in (2, 3, 1))
    index, lines = PageIndex(page), TextIndex(text)
    alignment = align(lines, index)
    starts = [[index.html_spans(low, high)[0][0] for low, high in alignment.stream_ranges(sig, sig + len(chars))]
              for sig, chars in zip(lines.sigs, lines.chars)]
    assert all(len(line) == 1 for line in starts)  # every line found whole
    assert len({line[0] for line in starts}) == 9  # and no place of the page given to two lines
    assert [starts[at][0] for at in (2, 5, 8)] == [page.index(f"Post number {n}") for n in (2, 3, 1)]


def test_a_line_missing_a_footnote_number_is_aligned_word_by_word():
    page = page_of("<p>Stress is common [<a href='#r1'>1</a>] among students.</p>")
    assert aligned_spans(page, "Stress is common [] among students.") == [["Stress is common [", "] among students."]]


def test_a_line_glued_across_two_blocks_is_aligned_in_pieces():
    page = page_of("<div>Links to Example.com</div><div>Rating 4.6</div><p>Overview: it works.</p>")
    assert aligned_spans(page, "Links to Example.comOverview: it works.") == [["Links to Example.com", "Overview: it works."]]


def test_a_title_line_is_looked_for_in_the_body_first_and_does_not_move_the_search():
    page = page_of("<h1>Big News</h1><p>First line.</p>", head="<title>Big News</title>")
    spans = aligned_spans(page, "Big News\nFirst line.", title_lines=1)
    assert spans == [["Big News"], ["First line."]]
    index = PageIndex(page)
    assert index.html_spans(index.stream.index("BigNews", 5), index.stream.index("BigNews", 5) + 1)[0][0] > page.index("<h1>")


def test_text_not_in_the_page_is_inexact():
    page = page_of("<p>Only this.</p>")
    assert aligned_spans(page, "Only this.\nQQQ") == [["Only this."], []]


def test_list_markers_and_table_bars_are_markup_not_text():
    text = "- first item\n  - nested\n| a | b \\| c |\n|---|---|\nplain - text | here"
    masked = mask_markup(text)
    assert masked == "  first item\n    nested\n  a   b  | c  \n         \nplain - text | here"


# -- decoding -------------------------------------------------------------------------


def test_decode_honours_a_declared_latin1_charset():
    data = '<html><head><meta charset="ISO-8859-1"></head><body><p>Café – 5 €</p></body></html>'.encode("cp1252")
    text, codec = decode_html(data)
    assert codec == "cp1252" and "Café – 5 €" in text and text.encode(codec) == data


def test_decode_reads_http_equiv_and_xml_declarations():
    data = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет</p>'.encode("koi8-r")
    assert decode_html(data) == (data.decode("koi8-r"), "koi8-r")
    data = '<?xml version="1.0" encoding="iso-8859-15"?><html><p>Œuvre €</p></html>'.encode("iso-8859-15")
    assert decode_html(data)[1] == "iso8859-15"


@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_decode_honours_a_byte_order_mark_over_the_declaration(bom, codec):
    page = '<html><head><meta charset="windows-1252"></head><body><p>Grüße</p></body></html>'
    data = bom + page.encode(codec)
    text, found = decode_html(data)
    assert found == codec and text == "\ufeff" + page and text.encode(codec) == data


def test_decode_keeps_bytes_invalid_after_a_bom_for_exact_byte_offsets():
    data = codecs.BOM_UTF8 + b"<html><body><p>Caf\xe9 on the \xe2\x80\x9cquay\xe2\x80\x9d</p></body></html>"
    text, codec = decode_html(data)
    assert codec == "utf-8" and "Caf\udce9 on the “quay”" in text
    assert text.encode(codec, "surrogateescape") == data


def test_decode_falls_back_from_utf8_to_cp1252_and_takes_mislabelled_utf8_as_utf8():
    assert decode_html("<p>naïve – “quoted”</p>".encode("cp1252")) == ("<p>naïve – “quoted”</p>", "cp1252")
    assert decode_html(b"<p>\x81\x8d bytes cp1252 lacks</p>")[1] == "latin-1"
    mislabelled = '<meta charset="iso-8859-1"><p>Grüße</p>'.encode()
    assert decode_html(mislabelled) == (mislabelled.decode(), "utf-8")


FRENCH = "<p>Le café coûte cher à Noël, déjà ; « naïve » façon de compter, dit-elle.</p>" * 3
RUSSIAN = "<p>Городской совет обсудил новый бюджет на следующий год и утвердил его.</p>" * 3


def test_decode_keeps_the_declared_charset_when_a_stray_byte_breaks_it():
    """One bad byte turned a page declared UTF-8 into cp1252 mojibake ("cafÃ©"); it is now one
    U+FFFD-to-be (a lone surrogate), the byte offsets still exact."""
    data = b'<meta charset="utf-8">' + FRENCH.encode().replace(b" dit", b" \xff dit", 1)
    text, codec = decode_html(data)
    assert codec == "utf-8" and "Le café coûte" in text and text.count("\udcff") == 1
    assert text.encode(codec, "surrogateescape") == data
    japanese = "<p>市議会は火曜日の夜、新しい予算案について議論しました。</p>".encode("shift_jis")
    text, codec = decode_html(b'<meta charset="shift_jis">' + japanese[:12] + b"\x85\x20" + japanese[12:])
    assert codec == "cp932" and "議会" in text and "予算案" in text


def test_decode_detects_an_undeclared_charset():
    assert decode_html(RUSSIAN.encode("koi8-r")) == (RUSSIAN, "koi8-r")
    # a one-byte Latin charset cannot be told from its neighbours by a few accents: cp1252, as browsers read it
    assert decode_html(FRENCH.encode("cp1252")) == (FRENCH, "cp1252")


def test_decode_tries_every_declaration_and_looks_past_a_long_head():
    conflicting = '<?xml version="1.0" encoding="utf-8"?><meta charset="koi8-r">'
    assert decode_html(conflicting.encode() + RUSSIAN.encode("koi8-r"))[1] == "koi8-r"
    late = f'<!-- {"x" * 5000} --><meta charset="windows-1251">'
    assert decode_html(late.encode() + RUSSIAN.encode("cp1251"))[1] == "cp1251"


@pytest.mark.parametrize("label", ["utf-8-sig", "cp500", "utf-7"])
def test_decode_reads_a_label_no_ascii_page_can_carry_as_utf8(label):
    """"utf-8-sig" would add a BOM the bytes lack (every byte offset one off); EBCDIC and UTF-7
    cannot be declared in bytes that read as ASCII."""
    data = f'<meta charset="{label}">'.encode() + FRENCH.encode()
    text, codec = decode_html(data)
    assert codec == "utf-8" and text.encode(codec) == data


@pytest.mark.parametrize("charset", ["undefined", "punycode", "unicode_escape", "base64"])
def test_decode_passes_over_a_declared_codec_no_page_is_written_in(charset):
    page = f'<meta charset="{charset}"><p>Grüße aus der Stadt\\n</p>'
    assert decode_html(page.encode()) == (page, "utf-8")


@pytest.mark.parametrize("data, message", [
    (b"", "page.html: the page is empty"),
    (b" \n\t ", "page.html: the page is empty"),
    (codecs.BOM_UTF8, "page.html: the page is empty"),
    ("", "page.html: the page is empty"),
    (b"\x00\x01\x02\x00" * 100, "page.html: binary data"),
    (gzip.compress(b"<html><body><p>A page kept compressed.</p></body></html>" * 50),
     r"page.html: gzip-compressed data, not an HTML page \(decompress it first\)"),
    # a PDF is mostly ASCII: without a look at its first bytes, its streams came out as clean text
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 20,
     "page.html: a PDF document, not an HTML page"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(1, 256)) * 40, "page.html: a JPEG image, not an HTML page"),
])
def test_decode_refuses_bad_input_naming_the_source(data, message):
    with pytest.raises(InputError, match=message):
        decode_html(data, "page.html")


def test_decode_refuses_a_page_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(html_module, "MAX_HTML_BYTES", 100)
    with pytest.raises(InputError, match=r"big\.html: the page is 101 bytes, over the limit of 100 bytes"):
        decode_html(b"x" * 101, "big.html")


def test_looks_like_html():
    assert looks_like_html(b"<!DOCTYPE html><p>x</p>")
    assert looks_like_html("\n  <html lang=en>")
    assert looks_like_html(codecs.BOM_UTF16_LE + "<body>hi</body>".encode("utf-16-le"))
    assert looks_like_html("<div><p>One</p><p>Two</p></div>")
    assert not looks_like_html("A headline\n\nThe text of an article, 3 < 4.")
    assert not looks_like_html(b"Plain text with one <b>bold</b> word.")
    assert not looks_like_html(b"x" * 2000 + b"<html>")
    assert not looks_like_html("Share\n\nA page opens with <!DOCTYPE html>, then <html>, <head> and <body>.")


# -- the title ------------------------------------------------------------------------


def test_page_title_follows_trafilaturas_rules():
    assert page_title(page_of("<h1>The Only <em>Headline</em></h1><h2>Sub</h2>")) == "The Only Headline"
    two = "<h1>Site</h1><h1 class='entry-title'>Story &amp; More</h1>"
    assert page_title(page_of(two, head="<title>T | S</title>")) == "Story & More"
    assert page_title(page_of("<h1>A</h1><h1>B</h1>", head="<title>Real Title | Site</title>")) == "Real Title"
    assert page_title(page_of("<script>html`<h1>No results</h1>`</script><!-- <h1>Old</h1> --><h1>Kept</h1><h2>x</h2>")) == "Kept"
    assert page_title(page_of("<p>no headings</p>", head="")) == ""


# -- clean_html -------------------------------------------------------------------------


ARTICLE = page_of(
    "<h1>Harbour Wall Repaired Before Storm Season</h1>"
    "<p>Share</p>"
    "<p>Workers finished repairing the east harbour wall on Monday, two weeks before the storm season begins.</p>"
    "<p>Advertisement</p>"
    "<p>The council said the wall would be inspected again in October after the first gales.</p>",
    head='<meta charset="utf-8"><title>Harbour Wall Repaired Before Storm Season | Coast News</title>',
)


def test_clean_html_maps_every_piece_into_the_page():
    result = clean_html(ARTICLE.encode(), source="harbour.html")
    assert isinstance(result, HtmlResult) and result.input == ARTICLE and result.encoding == "utf-8"
    assert [p.kind for p in result.paragraphs] == ["title", "paragraph", "paragraph"]
    assert [r.text for r in result.removed] == ["Share", "Advertisement"]
    for piece in result.paragraphs + result.captions + result.removed:
        assert page_texts(result, piece) == nonspace(piece.text)
    assert result.paragraphs[0].spans[0][0] > ARTICLE.index("<body>")
    assert result.exact_share == 1.0 and provenance_exactness(result) == (result.exact_chars,) * 2
    assert check_provenance(result) == []
    assert result.explain()[0].startswith("1:")


def test_clean_html_passes_options_on():
    result = clean_html(ARTICLE, Options(title=False), source="harbour.html")
    assert not result.text.startswith("Harbour Wall")
    assert clean_html(ARTICLE, disabled={"ads"}).removed[-1].text == "Share"


def test_clean_html_prepends_the_title_when_trafilatura_leaves_it_out():
    page = page_of("<div class='top'><h1>Market Hall Reopens</h1></div><article><p>The market hall reopened on "
                   "Saturday after eighteen months of work on its roof and stalls.</p><p>Traders returned to "
                   "their old places, and the first customers arrived before seven.</p></article>")
    result = clean_html(page)
    assert result.paragraphs[0].kind == "title" and result.paragraphs[0].text == "Market Hall Reopens"
    assert page_texts(result, result.paragraphs[0]) == "MarketHallReopens"


def test_article_text_that_looks_like_markup_is_cleaned_as_text():
    page = page_of("<h1>Writing Your First Page</h1><p>Every page starts with a doctype and a root element, "
                   "and the body holds what readers see.</p><pre>&lt;!DOCTYPE html&gt;\n&lt;html&gt;&lt;body&gt;"
                   "&lt;p&gt;Hello&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</pre><p>Save the file and open it in a "
                   "browser to see the paragraph.</p>")
    result = clean_html(page)
    assert "<html><body><p>Hello</p></body></html>" in result.text
    assert result.exact_share == 1.0 and check_provenance(result) == []


def test_paragraphs_of_a_script_without_spaces_are_not_short_lines():
    """A Japanese paragraph is one token between spaces: counted so, a line with a few Latin words
    held most of the page's words, became the main element, and the article went as "short lines"."""
    paragraphs = ["港の灯台が十年ぶりに修理を終え、金曜日の夜に再び点灯しました。",
                  "市の担当者によると、工事は予定より二週間早く終わったということです。",
                  "地元の漁師たちは、夜の航海が安全になると話しています。",
                  "次の点検は来年の春に予定されています。"]
    page = page_of("<article><h1>灯台が再点灯</h1>" + "".join(f"<section><p>{p}</p></section>" for p in paragraphs)
                   + "<section><p>記念の Harbour Light Festival 2025 は土曜日に開かれ、 Mayor Ana Ruiz も来ます。</p></section>"
                   "</article>",
                   head='<meta charset="utf-8"><title>灯台が再点灯</title>')
    result = clean_html(page)
    assert [p.text for p in result.paragraphs[1:5]] == paragraphs
    assert not [r for r in result.removed if r.rule.startswith("markup.")]


def test_a_headline_run_on_into_the_first_line_is_split_off_not_repeated():
    """trafilatura's fallback joins a short page's headline and paragraphs into one line."""
    assert with_title("灯台が再点灯 港の灯台が金曜日の夜に再び点灯しました。", "灯台が再点灯") == \
        "灯台が再点灯\n\n港の灯台が金曜日の夜に再び点灯しました。"
    assert with_title("Ferry Times Change from Monday, the operator said.", "Ferry Times Change") == \
        "Ferry Times Change\n\nfrom Monday, the operator said."
    assert with_title("Storm damage was light.", "Storm") == "Storm\n\nStorm damage was light."  # too short to tell
    assert with_title("Quay\n\nThe quay reopened.", "Quay") == "Quay\n\nThe quay reopened."
    paragraphs = ["港の灯台が十年ぶりに修理を終え、金曜日の夜に再び点灯しました。", "次の点検は来年の春に予定されています。"]
    page = page_of("<main><article><h1>港の灯台が再点灯</h1><div>" + "".join(f"<p>{p}</p>" for p in paragraphs)
                   + "</div></article></main>", head='<meta charset="utf-8"><title>港の灯台が再点灯</title>')
    result = clean_html(page)
    assert result.text.count("港の灯台が再点灯") == 1 and result.paragraphs[0].kind == "title"
    assert check_provenance(result) == []


def test_a_page_without_an_article_warns_and_gives_an_empty_result():
    with pytest.warns(UserWarning, match=r"empty\.html: no article text found"):
        result = clean_html(b"<html><body><script>app()</script></body></html>", source="empty.html")
    assert (result.text, result.paragraphs, result.captions, result.removed) == ("", [], [], [])
    assert result.exact_share == 1.0


@pytest.mark.parametrize("depth, lost", [(200, False), (300, True)])
def test_text_nested_deeper_than_the_parser_reads_is_an_input_error(depth, lost):
    """libxml2 reads no element nested more than 255 deep: such a page came out empty with a
    warning that it had no article. Now it is an error naming the page."""
    prose = "The harbour board met on Friday and agreed to keep the old crane for one more season."
    page = f"<html><body>{'<div>' * depth}<p>{prose}</p>{'</div>' * depth}</body></html>"
    if lost:
        with pytest.raises(InputError, match=r"deep\.html: the HTML parser read 0 of the page's 85 characters"):
            clean_html(page, source="deep.html")
    else:
        assert clean_html(page, source="deep.html").text.endswith(prose)


def test_a_page_of_nothing_but_residue_warns_too():
    """A menu alone: trafilatura gives "Home", which cleaning takes out; the empty result came
    without the warning a page with no article gets."""
    with pytest.warns(UserWarning, match=r"menu\.html: no article text left in the page once its residue is out"):
        result = clean_html(b'<html><body><nav><a href="/">Home</a></nav></body></html>', source="menu.html")
    assert result.text == "" and result.paragraphs == []


@pytest.mark.parametrize("data", [
    b"<p>unclosed <b>bold <i>nested <div>mess</p></b> text & more &bogus; &#xZZ; <<<>>> </ta",
    b"<html><body><p>" + b"<div>" * 3000 + b"deep</p></body></html>",
    b"<html><body>\xff\xfe\x00garbage\x00</body></html>",
    "<html><body><p>lone surrogate \udcff and <!-- unterminated".encode("utf-8", "surrogatepass"),
])
def test_broken_markup_never_gives_a_traceback(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = clean_html(data, source="broken.html")
        except InputError as exc:
            assert "broken.html" in str(exc)
        else:
            for piece in result.paragraphs + result.captions + result.removed:
                assert all(0 <= s <= e <= len(result.input) for s, e in piece.spans)


def test_extraction_errors_become_input_errors_naming_the_source(monkeypatch):
    import trafilatura

    def explode(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(trafilatura, "extract", explode)
    with pytest.raises(InputError, match="bad.html: cannot extract the article from the page: RuntimeError: parser exploded"):
        clean_html(ARTICLE, source="bad.html")


def _recall_misses_the_article(monkeypatch, teaser: str):
    """trafilatura as it sometimes behaves: favouring recall, it settles on a teaser."""
    import trafilatura

    real = trafilatura.extract
    calls = []

    def extract(page, **settings):
        calls.append(settings["favor_recall"])
        return teaser if settings["favor_recall"] else real(page, **settings)

    monkeypatch.setattr(trafilatura, "extract", extract)
    return calls


def test_a_suspiciously_short_extraction_falls_back_to_trafilaturas_balanced_settings(monkeypatch):
    page = page_of("<nav>Home · World · Sport</nav><article>" + "".join(
        f"<p>Paragraph {n} of the ferry story says what the crew saw on the crossing that morning.</p>"
        for n in range(12)) + "</article><aside><p>Read next: the lighthouse keepers</p></aside>")
    calls = _recall_misses_the_article(monkeypatch, "Read next: the lighthouse keepers")
    result = clean_html(page.encode())
    assert calls == [True, False]
    assert "Paragraph 11 of the ferry story" in result.text and check_provenance(result) == []


MENU = "<nav><ul>" + "".join(f"<li>Section {n}: news, opinion and the weekend guides</li>" for n in range(12)) + "</ul></nav>"
FERRY = [f"Paragraph {n} of the ferry story says what the crew saw on the crossing that morning." for n in range(12)]


def test_an_extraction_holding_little_of_the_pages_paragraphs_falls_back_too(monkeypatch):
    """A tenth of a page of menus is not suspiciously short, but two of its twelve paragraphs are."""
    page = page_of(MENU + "<div class='story'>" + "".join(f"<p>{text}</p>" for text in FERRY) + "</div>")
    calls = _recall_misses_the_article(monkeypatch, "\n".join(FERRY[:2]))
    result = clean_html(page.encode())
    assert calls == [True, False]
    assert "Paragraph 11 of the ferry story" in result.text and check_provenance(result) == []


def test_an_extraction_holding_the_pages_paragraphs_is_kept_among_many_menus(monkeypatch):
    page = page_of(MENU * 3 + "<div class='story'>" + "".join(f"<p>{text}</p>" for text in FERRY[:3]) + "</div>")
    calls = _recall_misses_the_article(monkeypatch, "\n".join(FERRY[:3]))
    assert clean_html(page.encode()).text.endswith(FERRY[2]) and calls == [True]


@pytest.mark.parametrize("menus, paragraphs, extracted, suspicious", [
    (1, 12, 2, True),   # two of the article element's twelve paragraphs
    (12, 3, 3, False),  # all of the article element, on a page of menus (a twentieth of its text)
    (2, 12, 4, False),  # a third of the article element, a seventh of the page
])
def test_a_page_with_an_article_element_is_judged_by_it(menus, paragraphs, extracted, suspicious):
    page = page_of(MENU * menus + "<main><article>" + "".join(f"<p>{text}</p>" for text in FERRY[:paragraphs])
                   + "</article></main><footer><p>" + " ".join(FERRY[:2]) + "</p></footer>")
    chars = sum(len("".join(text.split())) for text in FERRY[:extracted])
    assert _suspiciously_short(lambda: parse_page(page), chars, PageIndex(page).size) is suspicious


def test_an_extraction_holding_enough_of_the_page_is_kept_without_a_second_run(monkeypatch):
    page = page_of("<article><p>The ferry crossed at dawn.</p></article>")
    calls = _recall_misses_the_article(monkeypatch, "The ferry crossed at dawn.")
    assert clean_html(page.encode()).text.endswith("The ferry crossed at dawn.") and calls == [True]


# -- byte offsets ---------------------------------------------------------------------


@pytest.mark.parametrize("codec, bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("cp1252", b"")])
def test_byte_offsets_point_into_the_raw_page(codec, bom):
    page = ARTICLE.replace("Workers", "Wörkers “quoted”").replace('charset="utf-8"', f'charset="{codec}"')
    data = bom + page.encode(codec)
    result = clean_html(data)
    assert result.encoding == codec
    chars, raw = result.to_dict(), result.to_dict(offsets="bytes")
    for key in ("paragraphs", "captions", "removed"):
        for by_char, by_byte in zip(chars[key], raw[key]):
            for (cs, ce), (bs, be) in zip(by_char["spans"], by_byte["spans"]):
                assert data[bs:be].decode(codec) == result.input[cs:ce]


def test_html_byte_offsets_rewrites_a_document_in_place():
    page = "<p>é€x</p>"
    doc = {"paragraphs": [{"spans": [[3, 6]]}], "captions": [], "removed": [{"spans": [[5, 6], [0, 3]]}]}
    html_byte_offsets(doc, page, "utf-8")
    assert doc["paragraphs"][0]["spans"] == [[3, 9]] and doc["removed"][0]["spans"] == [[8, 9], [0, 3]]


# -- fixtures ---------------------------------------------------------------------------


def _load(name: str):
    data = (HTML_FIXTURES / f"{name}.html").read_bytes()
    expect = json.loads((HTML_FIXTURES / f"{name}.expect.json").read_text(encoding="utf-8"))
    return data, expect


def test_there_are_enough_html_fixtures():
    assert len(CASES) >= 5


@pytest.mark.parametrize("name", CASES)
def test_html_fixture_matches_golden_json(name):
    data, _ = _load(name)
    result = clean_html(data, source=name)
    doc = {
        "encoding": result.encoding,
        "exact_share": result.exact_share,
        "chars": result.to_dict(),
        "bytes": result.to_dict(offsets="bytes"),
    }
    assert_golden(HTML_FIXTURES / f"{name}.json", doc)


@pytest.mark.parametrize("name", CASES)
def test_html_fixture_spans_are_faithful(name):
    data, _ = _load(name)
    result = clean_html(data, source=name)
    for piece in result.paragraphs + result.captions + result.removed:
        assert page_texts(result, piece) == nonspace(without_marker(piece)), piece.text
    assert result.exact_share == 1.0 and check_provenance(result) == []


@pytest.mark.parametrize("name", CASES)
def test_html_fixture_meets_expectations(name):
    data, expect = _load(name)
    result = clean_html(data, source=name)
    assert result.encoding == expect["encoding"]
    check_expectations(result, expect)
    for gone in expect["absent"]:
        assert gone not in result.text, f"in the text: {gone!r}"
    for first, second in expect.get("joined", []):
        joined = next(p for p in result.paragraphs if f"{first} {second}" in p.text)
        assert len(joined.spans) == 2 and joined.joins == ["rejoin.split"]
    items = [p.text for p in result.paragraphs if p.kind == "list_item"]
    assert items == expect.get("list_items", items)
    if "repeated" in expect:
        copies = [p for p in result.paragraphs if p.text.endswith(expect["repeated"])]
        assert len(copies) == 2 and copies[0].spans[-1][0] < copies[1].spans[0][0]


def test_figcaptions_come_from_the_page_in_every_caption_mode():
    data = (HTML_FIXTURES / "02_figure_captions.html").read_bytes()
    figure = "The Marta Vell waits at Harwick pier before the first crossing of the season."
    inline = clean_html(data, captions="inline").text.split("\n\n")
    assert inline.index(figure) == 2 and inline[1].startswith("HARWICK")
    dropped = clean_html(data, captions="drop")
    assert figure not in dropped.text and ("html.figcaption", figure) in [(r.rule, r.text) for r in dropped.removed]


@pytest.mark.parametrize("name", CASES)
def test_a_page_parsed_once_gives_trafilatura_the_same_text(name):
    page, _ = decode_html((HTML_FIXTURES / f"{name}.html").read_bytes())
    tree = parse_page(page)
    assert not isinstance(tree, str)
    assert extract_text(tree) == extract_text(page) != ""
    assert extract_text(tree) == extract_text(tree)  # trafilatura works on a copy of the tree


def test_a_page_without_a_tree_is_passed_on_as_text():
    assert parse_page("\ufeff") == ""
    assert extract_text(parse_page("")) == ""


def test_the_lines_of_a_pre_are_one_block_of_code_whatever_they_hold():
    """A YAML listing holds no sign of code the text alone shows: its lines met the rules (a port
    mapping taken for a time stamp, "image: nginx" for a caption) and lost their indentation."""
    listing = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"'
    page = page_of("<h1>Compose basics</h1><p>Compose describes several containers in one file, so that a single command "
                   f"starts the whole application.</p><pre><code>{listing}</code></pre><p>Run it in the same folder, and "
                   "both containers start together on one shared network.</p>")
    result = clean_html(page)
    assert [p.text for p in result.paragraphs if p.kind == "code"] == [listing]
    assert not result.removed and not result.captions
