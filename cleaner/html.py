"""HTML input: decode the page, extract its article with trafilatura, clean the text,
and map every span back into the page.

``clean_html(data)`` returns an :class:`HtmlResult`: a :class:`~cleaner.pieces.Result`
whose spans are ``[start, end)`` code-point offsets into the decoded page
(``result.input``). For every piece whose characters were all found in the page,
``html.unescape(page[start:end])`` over its spans, whitespace deleted and joined, is
the piece's text with whitespace deleted (less the list markers and table bars
trafilatura writes for markup, see :func:`markup_positions`).

The pipeline, all in linear passes (no loop over the page's characters in Python):

1. :func:`decode_html`: bytes to text (BOM, declared charset, UTF-8, detected charset, cp1252, latin-1).
2. :func:`extract_text`: trafilatura with :data:`TRAFILATURA_SETTINGS`; the headline
   (:func:`page_title`, trafilatura's title rules read off the page) goes first
   unless trafilatura's text starts with it, so the cleaner marks it ``title``.
3. ``cleaner.clean`` on that text, as text.
4. :class:`PageIndex`: one regex pass cuts the page into text segments (the text
   between tags; the content of ``<script>``, ``<style>``, ``<noscript>``, comments,
   CDATA and attributes are not text) and joins their non-whitespace characters,
   entities unescaped, into one *stream*.
5. :func:`align`: each line of trafilatura's text, whitespace deleted, is found in
   the stream with ``str.find``: forward from the previous line (trafilatura keeps
   document order), else from the start, else word by word. Characters found have
   *exact* provenance; the others are *inexact* and get no span.
6. :class:`Mapper`: a text span becomes the stream ranges of its aligned characters,
   and a stream range becomes page spans, one per text segment it crosses (split
   where a tag intervenes, or where the page holds a character trafilatura drops).

``<template>`` content is indexed as text: trafilatura extracts it (lxml parses it
as ordinary elements).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from html import unescape
from itertools import accumulate
from typing import Any

from .io import InputError, without_lone_surrogates
from .options import Options
from .pieces import Caption, Paragraph, Removed, Result, Spans, convert_offsets, overlaps

MAX_HTML_BYTES = 20_000_000
#: How far into the page a ``<meta charset>`` or XML declaration is looked for (the HTML
#: standard says 1 KB; pages put long comments and scripts first).
CHARSET_WINDOW = 65536
#: How much of a page whose charset is neither declared nor UTF-8 the detection reads, and how
#: many non-ASCII bytes it needs (with fewer, its guess is noise: cp1252 is taken).
MAX_DETECTION_BYTES = 200_000
MIN_DETECTION_BYTES = 16
ASCII_BYTES = bytes(range(128))
#: How much of the page :func:`looks_like_html` reads.
SNIFF_WINDOW = 1024
#: Share of NUL bytes (in the first 64 KB) from which a page is refused as binary.
MAX_NUL_SHARE = 0.01

#: trafilatura's settings. Recall first (the cleaner removes residue after it), tables
#: kept, reader comments left out, plain text with no images, links, formatting or
#: metadata header, no deduplication (it would drop a paragraph the page repeats).
#: Measured on the 711 development pages after cleaning (title left out), word F1 /
#: 4-gram F1 / 'with' found / 'without' found / time: these settings 0.936 / 0.935 /
#: 0.863 / 0.039 / 17.0 s; ``favor_recall=False`` 0.937 / 0.932 / 0.865 / 0.036 /
#: 20.2 s; ``include_comments=True`` 0.931 / 0.931 / 0.863 / 0.041 / 16.1 s.
#: With the markup stage (shipped model): these settings 0.9397 / 0.9380 / 0.861 / 0.028;
#: ``favor_recall=False`` 0.9403 / 0.9359 / 0.864 / 0.028; the same without tables 0.932 / 0.928.
#: ``clean_html(..., settings=...)`` tries others.
TRAFILATURA_SETTINGS = {
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "with_metadata": False,
    "deduplicate": False,
    "output_format": "txt",
}

#: trafilatura's text holding less than this share of the page's text is suspiciously short:
#: its balanced settings are tried too (:func:`_balanced_if_short`), and win with FALLBACK_GAIN
#: times the characters. On the 711 development pages, favouring recall gave at most half of the
#: balanced text on 16 pages. A share of 0.05 tries the balanced settings on 7 pages and finds 4 of
#: them (word F1 +0.004); 0.07 tries 11 and finds 6, none worse (+0.002 more; the page is parsed
#: once for both tries, and HTML mode's time against trafilatura alone stayed within the noise of
#: 0.05's, 1.10-1.12x in one session); 0.1 tries 18 and finds 12 (+0.004 over 0.05, but 2 of the
#: 12 get worse and `without` snippets rise to 0.59x); 0.25 tries 41 and finds all 16 (+0.009, 1.21x,
#: measured when the rest of HTML mode was slower): the pages that fail are heavy pages.
SHORT_SHARE = 0.07
#: ... or less than this share of the page's text and of the text of its ``<p>`` elements: a page
#: whose text is mostly menus and lists is not suspicious for a short text, one whose paragraphs
#: it mostly leaves out is. On the 711 development pages, with a share of the paragraphs' text
#: below 0.2 the balanced settings were tried on 7 more pages and won on 6: 5 of them articles
#: that favouring recall cut to a fragment (word F1 0.19-0.34 to 0.90-1.00 each), 1 a page whose
#: ground truth is a small part of it (0.92 to 0.20). HTML word F1 0.9462 to 0.9500, 4-gram F1
#: 0.9422 to 0.9445, time within the noise. The page's share alone would have to reach 0.25 to
#: find those pages, and then tries 30 more pages, most in vain (1.22x the time).
PARAGRAPH_SHARE = 0.2
#: A page with an ``<article>`` or ``<main>`` element says where its article is: there, the
#: text is suspiciously short when it holds less than this share of the largest such element's
#: text (and never when it holds this share of the page's). On the development pages this
#: tries 21 pages instead of 18 in the same time (a page whose text held all of its article
#: element but 1% of the page cost 0.3 s in vain), and wins 2 more articles (word F1 0.29 and
#: 0.48 to 0.87 and 0.92): word F1 +0.0014.
ARTICLE_SHARE = 0.25
FALLBACK_GAIN = 2
BALANCED_SETTINGS = {**TRAFILATURA_SETTINGS, "favor_recall": False, "fast": False}

#: The title is not prepended when it is one of the first lines of trafilatura's text.
TITLE_LINES = 3

# -- decoding ---------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32-LE BOM starts like the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.IGNORECASE)
#: Labels browsers read as windows-1252 (the WHATWG encoding standard).
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii"})
#: The first bytes of compressed files, which hold too few NUL bytes to be refused as binary.

#: Labels browsers read with a larger charset that contains the labelled one (the WHATWG
#: encoding standard): "Shift_JIS" pages are written by Windows, with its extra characters.
_AS_SUPERSET = {"shift_jis": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949",
                "tis-620": "cp874", "iso8859-11": "cp874", "iso8859-9": "cp1254"}
#: One-byte charsets of Latin script (``_detected_charset``).
_LATIN_ONE_BYTE = frozenset({"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "iso8859-2", "iso8859-3",
                             "iso8859-4", "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
                             "iso8859-16", "mac-roman", "mac-latin2", "cp437", "cp850", "cp852"})
#: The first bytes of files often saved under a page's name, which hold too few NUL bytes to be
#: refused as binary (compressed files; a PDF's text is mostly ASCII): what they are, and advice.
_DECOMPRESS = " (decompress it first)"
_NOT_PAGES = ((b"\x1f\x8b", "gzip-compressed data", _DECOMPRESS), (b"\x28\xb5\x2f\xfd", "zstd-compressed data", _DECOMPRESS),
              (b"PK\x03\x04", "zip-compressed data", _DECOMPRESS), (b"BZh", "bzip2-compressed data", _DECOMPRESS),
              (b"\xfd7zXZ\x00", "xz-compressed data", _DECOMPRESS), (b"%PDF-", "a PDF document", ""),
              (b"\x89PNG\r\n\x1a\n", "a PNG image", ""), (b"\xff\xd8\xff", "a JPEG image", ""), (b"GIF87a", "a GIF image", ""),
              (b"GIF89a", "a GIF image", ""), (b"\x00asm", "WebAssembly", ""), (b"\x7fELF", "an executable", ""))
#: Python codecs that are no page's charset: a declaration naming one is not followed (EBCDIC
#: and UTF-7 cannot be declared in bytes read as ASCII; browsers refuse UTF-7).
_NO_PAGE_CHARSETS = frozenset({"undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "utf-7",
                               "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})


def decode_html(data: bytes | str, source: str = "<input>") -> tuple[str, str]:
    """The page as a string, and the codec that encodes it back to ``data``.

    Order: a byte-order mark; else each charset declared in the first 64 KB (an XML
    declaration, ``<meta charset>``, ``<meta http-equiv="content-type">``, in that
    order; latin-1 and ASCII labels read as cp1252, as browsers do; a page declaring a
    one-byte charset whose bytes are valid UTF-8 with non-ASCII characters is
    mislabelled UTF-8); else UTF-8; else the charset that ``charset_normalizer``
    detects; else cp1252; else latin-1, which decodes any bytes. A charset is taken
    when it reads every byte, or all but a few stray ones (one in
    :data:`MAX_STRAY_SHARE` of the non-ASCII characters it reads): a stray byte is kept
    as a lone surrogate, which the text carries as U+FFFD, so one bad byte does not
    turn the page into mojibake. A BOM stays in the string as U+FEFF, so that
    ``text.encode(codec, "surrogateescape") == data``. A ``str`` is taken as it is
    (codec ``utf-8``; its length in characters is held against the size limit).

    Raises :class:`InputError`, naming ``source``, for an empty page, a page over
    :data:`MAX_HTML_BYTES` and binary data (NUL bytes).
    """
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"{source}: the page is {len(data):,} bytes, over the limit of {MAX_HTML_BYTES:,} bytes")
    if isinstance(data, str):
        text, codec = data, "utf-8"
    else:
        text, codec = _decode_bytes(data, source)
    body = text.lstrip("\ufeff")
    if not body or body.isspace():
        raise InputError(f"{source}: the page is empty")
    if isinstance(data, str):
        _refuse_binary(data.count("\0", 0, 65536), min(len(data), 65536), source)
    return text, codec


def _decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """The decoding order of :func:`decode_html`, for bytes."""
    for magic, kind, advice in _NOT_PAGES:
        if data.startswith(magic):
            raise InputError(f"{source}: {kind}, not an HTML page{advice}")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8":
                _refuse_binary(data.count(b"\0", 0, 65536), min(len(data), 65536), source)
            return data.decode(codec, "surrogateescape"), codec
    _refuse_binary(data.count(b"\0", 0, 65536), min(len(data), 65536), source)
    declared = declared_charsets(data[:CHARSET_WINDOW])
    if any(map(_is_one_byte, declared)) and not data.isascii() and _is_utf8(data):  # mislabelled
        declared = [codec for codec in declared if not _is_one_byte(codec)]
    for strays in (False, True):  # a charset that reads every byte before one that leaves a few
        for codec in (*declared, "utf-8"):
            text = _read_as(data, codec, strays)
            if text is not None:
                return text, codec
    detected = _detected_charset(data) if len(data.translate(None, ASCII_BYTES)) >= MIN_DETECTION_BYTES else None
    for codec in ((detected,) if detected else ()) + ("cp1252",):
        text = _read_as(data, codec, strays=True)
        if text is not None:
            return text, codec
    return data.decode("latin-1"), "latin-1"


#: A charset that leaves more stray bytes than this share of the non-ASCII characters it
#: reads is the wrong one (``_read_as``).
MAX_STRAY_SHARE = 0.1
_STRAY = re.compile("[\udc80-\udcff]")


def _read_as(data: bytes, codec: str, strays: bool) -> str | None:
    """``data`` decoded with ``codec``, or None when the codec cannot read it. ``strays``: a few
    stray bytes are let through, kept as lone surrogates; not more than ``MAX_STRAY_SHARE`` of
    the non-ASCII characters read, and only in a text that encodes back to ``data`` (else
    offsets in bytes would be wrong)."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        if not strays:
            return None
    except (UnicodeError, LookupError):  # a codec that reads no page
        return None
    try:
        text = data.decode(codec, "surrogateescape")
        if text.encode(codec, "surrogateescape") != data:
            return None
    except (UnicodeError, LookupError):
        return None
    stray = len(_STRAY.findall(text))
    read = sum(not char.isascii() for char in text) - stray
    return text if stray <= MAX_STRAY_SHARE * read else None


def _detected_charset(data: bytes) -> str | None:
    """The Python codec of the charset ``charset_normalizer`` finds most likely for ``data``."""
    from charset_normalizer import from_bytes  # only for pages neither declared nor UTF-8

    best = from_bytes(data[:MAX_DETECTION_BYTES]).best()
    codec = best and _page_codec(best.encoding.encode("ascii"))
    # which one-byte Latin charset a page is in, detection cannot tell from a few accented
    # letters: browsers (and cleaner) read them all as windows-1252
    return "cp1252" if codec in _LATIN_ONE_BYTE else codec


def _refuse_binary(nuls: int, window: int, source: str) -> None:
    """Raise :class:`InputError` when NUL characters make up :data:`MAX_NUL_SHARE` of ``window``."""
    if nuls and nuls >= MAX_NUL_SHARE * window:
        raise InputError(f"{source}: binary data ({nuls} NUL bytes in the first {window:,}), not an HTML page")


def declared_charsets(head: bytes) -> list[str]:
    """The Python codecs of the charsets ``head`` declares (an XML declaration first, then
    the meta tags), known ones only, each once."""
    labels = [match.group(1) for match in (_XML_ENCODING.search(head),) if match]
    labels += [match.group(1) for match in _META_CHARSET.finditer(head)]
    return list(dict.fromkeys(filter(None, map(_page_codec, labels))))


def _page_codec(label: bytes) -> str | None:
    """The Python codec a page's charset label names, or None (unknown, or no page's charset)."""
    try:
        codec = codecs.lookup(label.decode("ascii"))
    except LookupError:
        return None
    name = codec.name
    if not codec._is_text_encoding or name in _NO_PAGE_CHARSETS:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name in _AS_SUPERSET:
        return _AS_SUPERSET[name]
    if name.startswith(("utf-16", "utf-32", "utf-8")):  # a declaration readable as ASCII is no UTF-16;
        return "utf-8"  # and a BOM, which "utf-8-sig" would add, was looked for before
    return name


def _is_one_byte(codec: str) -> bool:
    """Whether a Python codec name is a one-byte charset (latin-1, cp1252, KOI8-R...)."""
    return codec.startswith(("cp125", "iso8859", "latin", "mac-", "koi8", "cp8"))


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_TAG_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.IGNORECASE)


def looks_like_html(data: bytes | str) -> bool:
    """True when the input opens with markup (its first character, after a byte order mark
    and whitespace, is ``<``) and its first 1 KB holds a doctype, ``<html``, ``<head`` or
    ``<body``, or at least three tags. An article that quotes markup further down (a web
    tutorial, a story about HTML) is text: every development page opens with ``<``."""
    head = data[: SNIFF_WINDOW * 4]
    if isinstance(head, bytes):
        head = _sniff_text(head)
    head = head[:SNIFF_WINDOW]
    if not head.lstrip("\ufeff \t\r\n\f").startswith("<"):
        return False
    return bool(_TAG_START.search(head)) or len(_ANY_TAG.findall(head)) >= 3


def _sniff_text(head: bytes) -> str:
    """The first bytes of a page as text good enough to look for tags in."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head.decode(codec, "replace")
    return head.decode("latin-1")


# -- extraction ------------------------------------------------------------------


def parse_page(page: str, source: str = "<input>"):
    """The page parsed, for a second extraction and for measuring its elements (trafilatura
    copies a tree it is given on each extraction), or the page itself when lxml finds no tree in
    it (trafilatura then finds no text either)."""
    import trafilatura

    page = page.lstrip("\ufeff")
    try:
        tree = trafilatura.load_html(page)
    except Exception as exc:  # noqa: BLE001 -- lxml raises many kinds of errors on broken pages
        raise InputError(f"{source}: cannot parse the page: {type(exc).__name__}: {exc}") from None
    return page if tree is None else tree


_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)


def refuse_text_the_parser_lost(page: str, source: str = "<input>") -> None:
    """Raise :class:`InputError` when lxml's tree of ``page`` (``parse_page``) holds under half
    of its text: it reads no element nested more than 255 deep, nor a text of over ten million
    characters between two tags, and such a page came out empty with a warning that it had no
    article, as if it had none."""
    import html

    tree = parse_page(page, source)
    if isinstance(tree, str):
        return
    kept = len(tree.text_content())
    written = len(html.unescape(_TAG_OR_COMMENT.sub("", page)))
    if kept < written / 2:
        raise InputError(f"{source}: the HTML parser read {kept:,} of the page's {written:,} characters of text "
                         "(it reads no element nested more than 255 deep, nor over 10,000,000 characters of text "
                         "between two tags): the page cannot be cleaned")


def extract_text(page, source: str = "<input>", settings: dict | None = None) -> str:
    """trafilatura's text of the page's main content (``page``: its BOM-less HTML, or what
    :func:`parse_page` gives), ``""`` if it finds none.

    Errors of lxml or trafilatura become :class:`InputError` naming ``source``.
    """
    import trafilatura

    try:
        text = trafilatura.extract(page, **(TRAFILATURA_SETTINGS if settings is None else settings))
    except Exception as exc:  # noqa: BLE001 -- lxml and trafilatura raise many kinds of errors on broken pages
        raise InputError(f"{source}: cannot extract the article from the page: {type(exc).__name__}: {exc}") from None
    return text or ""


def _balanced_if_short(page: str, text: str, page_chars: int, source: str) -> str:
    """trafilatura's balanced text (``favor_recall=False``) instead of its recall-first ``text``
    when ``text`` is suspiciously short and the balanced one much longer.

    Favouring recall sometimes makes trafilatura settle on a small block of the page
    (a teaser, a sidebar, the first section) and miss the rest of the article. When the
    text looks like such a fragment (:func:`_suspiciously_short`), the balanced settings
    are tried as well, and win when they give :data:`FALLBACK_GAIN` times the characters.
    The page (``page``: its BOM-less HTML) is parsed here, for the few texts short enough to
    be measured against its elements: the first extraction parsed it inside trafilatura, and
    a tree given to trafilatura is copied, which costs a quarter of a parse.
    """
    chars = _visible_chars(text)
    tree = cache(partial(parse_page, page, source))
    if not _suspiciously_short(tree, chars, page_chars):
        return text
    balanced = extract_text(tree(), source, BALANCED_SETTINGS)
    return balanced if _visible_chars(balanced) >= FALLBACK_GAIN * max(chars, 1) else text


def _suspiciously_short(tree: Callable[[], Any], chars: int, page_chars: int) -> bool:
    """Whether an extraction of ``chars`` characters looks like a fragment of the article
    (``tree``: gives the page's tree, or its HTML where lxml found no tree; called only when
    ``chars`` is under :data:`ARTICLE_SHARE` of the page's characters): less than
    :data:`ARTICLE_SHARE` of the page's ``<article>`` or ``<main>`` element where
    it has one, else less than :data:`SHORT_SHARE` of the page's text characters
    (``page_chars``: non-whitespace, tags left out), or less than :data:`PARAGRAPH_SHARE`
    of them and of the text of the page's paragraphs."""
    if chars >= ARTICLE_SHARE * page_chars:
        return False
    page = tree()
    article = max(_element_chars(page, ("article", "main")), default=0)
    if article:
        return chars < ARTICLE_SHARE * article
    return chars < SHORT_SHARE * page_chars or (
        chars < PARAGRAPH_SHARE * page_chars and chars < PARAGRAPH_SHARE * sum(_element_chars(page, ("p",))))


def _element_chars(page, tags: tuple[str, ...]) -> list[int]:
    """The non-whitespace characters of the text of each of the page's elements named ``tags``
    (``page``: its parsed tree; none for the HTML itself, which trafilatura parses)."""
    if isinstance(page, str):
        return []
    return [_visible_chars(element.text_content()) for element in page.iter(*tags)]


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def with_title(text: str, title: str) -> str:
    """``text`` with ``title`` as its first line, unless one of its first lines is the title.
    A first line that opens with the whole title (of ``MIN_RUN_ON_TITLE`` words or more), then
    more text, is split after it: trafilatura's fallback joins a short page's headline and
    paragraphs into one line, and the headline would otherwise be there twice."""
    from .markup import words_in

    if not title or not text:
        return text
    wanted = _squash(title)
    for line in text.split("\n", TITLE_LINES)[:TITLE_LINES]:
        if _squash(line) == wanted:
            return text
    if text.startswith(title) and text[len(title):len(title) + 1] in (" ", "\t") \
            and words_in(title) >= MIN_RUN_ON_TITLE:
        return f"{title}\n\n{text[len(title) + 1:]}"
    return f"{title}\n\n{text}"


#: The shortest title (in ``markup.words_in`` words) ``with_title`` splits off a first line that runs on.
MIN_RUN_ON_TITLE = 3


def _squash(text: str) -> str:
    """``text`` without whitespace, casefolded: a title compared to a line."""
    return "".join(text.split()).casefold()


# -- the page's text: segments and the stream of their characters -------------------

_ATTRS = r"""(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=|["'])*+"""
#: Elements whose content is not text.
SKIPPED = ("script", "style", "noscript")
#: Markup: what is not text. Comments, CDATA, skipped elements with their content,
#: tags with their attributes, doctypes and processing instructions. (Loops unrolled
#: as ``[^<]*+(?:<(?!...)[^<]*+)*+``: far faster than ``.*?`` in Python's engine.)
_MARKUP = (
    r"<!--[^-]*+(?:-(?!->|-!>)[^-]*+)*+(?:--!?>)?"
    r"|<!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
    + "".join(rf"|<{name}(?=[\s/>]){_ATTRS}>[^<]*+(?:<(?!/{name}[\s/>])[^<]*+)*+(?:</{name}[^>]*+>)?"
              for name in SKIPPED)
    + rf"|</?[a-z]{_ATTRS}>"
    + r"|<[!?/][^>]*+>"
)
#: A run of markup, whitespace between; the text segments lie between such runs.
_SEPARATOR = re.compile(rf"(?:{_MARKUP})(?:\s*+(?:{_MARKUP}))*+", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body[\s>]", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")
#: What ``html.unescape`` replaces: its own pattern.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
#: Joins the segments while their stream is built: a printable character pages hardly
#: hold (EGYPTIAN HIEROGLYPH A001); a page that holds it is handled segment by segment.
_JOIN = "\U00013000"


def stream_text(segment: str) -> str:
    """The characters of a text segment as trafilatura writes them, whitespace deleted:
    entities unescaped, characters that are neither printable nor space dropped, NFC."""
    if "&" in segment:
        segment = unescape(segment)
    chars = "".join(segment.split())
    return _printable_nfc(chars)


def _printable_nfc(chars: str) -> str:
    if not chars.isprintable():
        chars = "".join(c for c in chars if c.isprintable())
    if not unicodedata.is_normalized("NFC", chars):
        chars = unicodedata.normalize("NFC", chars)
    return chars


class PageIndex:
    """The page's text segments and the stream of their non-whitespace characters.

    ``stream[k]`` is a character of segment ``i`` where ``starts[i] <= k < starts[i + 1]``;
    where in the page it lies is worked out only for the segments spans reach.
    ``body_start`` is the stream offset of the first segment inside ``<body>``.
    """

    def __init__(self, page: str):
        self.page = page
        bounds, previous = [], 0
        for match in _SEPARATOR.finditer(page):
            if match.start() > previous:
                bounds.append((previous, match.start()))
            previous = match.end()
        if previous < len(page):
            bounds.append((previous, len(page)))
        parts, altered = self._parts(page, bounds)
        kept = [i for i, part in enumerate(parts) if part]
        #: ``[start, end)`` of each segment in the page (surrounding whitespace included).
        self.segments = [bounds[i] for i in kept]
        self.starts = list(accumulate((len(parts[i]) for i in kept), initial=0))
        self.size = self.starts.pop()
        self.ends = self.starts[1:] + [self.size]  # stream offset after each segment's last character
        self.stream = "".join(parts)
        #: Segments whose page text, unescaped, is not their stream text (characters dropped or composed).
        self.altered = {position for position, i in enumerate(kept) if i in altered}
        body = _BODY.search(page)
        first_in_body = bisect_left(self.segments, (body.start(), 0)) if body else 0
        self.body_start = self.starts[first_in_body] if first_in_body < len(self.starts) else self.size
        self._maps: dict[int, _SegmentMap] = {}

    @staticmethod
    def _parts(page: str, bounds: list[tuple[int, int]]) -> tuple[list[str], set[int]]:
        """The stream text of each segment, and the segments whose characters were
        dropped or composed (their page text is not their stream text). All segments
        are unescaped and stripped of whitespace at once, joined by :data:`_JOIN`."""
        texts = [page[start:end] for start, end in bounds]
        joined = _JOIN.join(texts)
        if "&" in joined:
            joined = unescape(joined)
        chars = "".join(joined.split())
        parts = chars.split(_JOIN)
        if len(parts) != len(texts):  # the page holds the joining character itself
            parts = ["".join((unescape(text) if "&" in text else text).split()) for text in texts]
        altered = set()
        if not chars.isprintable() or not unicodedata.is_normalized("NFC", chars):
            for i, part in enumerate(parts):
                if part and (not part.isprintable() or not unicodedata.is_normalized("NFC", part)):
                    parts[i] = _printable_nfc(part)
                    altered.add(i)
        return parts, altered

    def segment_of(self, k: int) -> int:
        """The index of the segment holding stream character ``k``."""
        return bisect_right(self.starts, k) - 1

    def html_spans(self, first: int, last: int) -> Spans:
        """The page spans of stream characters ``[first, last)``: one per segment crossed,
        split where the page holds a dropped character between two of them."""
        spans: Spans = []
        starts, ends = self.starts, self.ends
        segment = bisect_right(starts, first) - 1
        while first < last:
            base, end = starts[segment], ends[segment]
            stop = min(end, last)
            if first == base and stop == end and segment not in self.altered:
                spans.append(self._whole(segment))
            else:
                spans.extend(self._map(segment).spans(first - base, stop - base))
            first, segment = stop, segment + 1
        return spans

    def html_offset(self, k: int) -> int:
        """Where in the page the stream characters before ``k`` end (0 if none)."""
        if k <= 0 or self.size == 0:
            return 0
        return self.html_spans(k - 1, k)[-1][1]

    def _whole(self, segment: int) -> list[int]:
        """The span of a whole segment, its surrounding whitespace left out."""
        start, end = self.segments[segment]
        text = self.page[start:end]
        return [start + len(text) - len(text.lstrip()), end - len(text) + len(text.rstrip())]

    def _map(self, segment: int) -> _SegmentMap:
        """The character map of a segment, built the first time a span reaches into it."""
        found = self._maps.get(segment)
        if found is None:
            start, end = self.segments[segment]
            size = self.ends[segment] - self.starts[segment]
            found = self._maps[segment] = _SegmentMap.build(self.page, start, end, size)
        return found


@dataclass(slots=True)
class _SegmentMap:
    """Where each stream character of one segment comes from in the page.

    Plain segments (no entity, nothing dropped, NFC) keep one entry per word:
    ``firsts[w]`` is the stream offset (within the segment) of word ``w`` and
    ``places[w]`` its page offset. Other segments keep one entry per character,
    with its page range ``[places[c], ends[c])``, and ``breaks``: the characters
    preceded in the page by a dropped one.
    """

    firsts: list[int]
    places: list[int]
    ends: list[int] | None = None
    breaks: frozenset[int] = frozenset()

    @classmethod
    def build(cls, page: str, start: int, end: int, size: int) -> _SegmentMap:
        segment = page[start:end]
        if "&" not in segment:
            chars = "".join(segment.split())
            if chars.isprintable() and unicodedata.is_normalized("NFC", chars):
                return cls._by_word(segment, start)
        built = cls._by_character(segment, start)
        if len(built.places) != size:  # cannot happen but for exotic Unicode: one coarse range
            return cls(list(range(size)), [start] * size, [end] * size)
        return built

    @classmethod
    def _by_word(cls, segment: str, offset: int) -> _SegmentMap:
        firsts, places, k = [], [], 0
        for word in _WORD.finditer(segment):
            firsts.append(k)
            places.append(offset + word.start())
            k += word.end() - word.start()
        return cls(firsts, places)

    @classmethod
    def _by_character(cls, segment: str, offset: int) -> _SegmentMap:
        chars: list[str] = []
        places: list[int] = []
        ends: list[int] = []
        breaks: set[int] = set()
        dropped = False
        for text, start, end in _decoded_pieces(segment, offset):
            for char in text:
                if char.isspace():
                    continue
                if not char.isprintable():
                    dropped = True
                    continue
                if dropped:
                    breaks.add(len(chars))
                    dropped = False
                chars.append(char)
                places.append(start)
                ends.append(end)
        places, ends, breaks = _compose(chars, places, ends, breaks)
        return cls(list(range(len(places))), places, ends, frozenset(breaks))

    def spans(self, first: int, stop: int) -> Spans:
        """The page spans of this segment's stream characters ``[first, stop)``."""
        if self.ends is None:
            return [[self._place(first), self._place(stop - 1) + 1]]
        spans: Spans = []
        for c in range(first, stop):
            if spans and c not in self.breaks:
                spans[-1][1] = max(spans[-1][1], self.ends[c])
            else:
                spans.append([self.places[c], self.ends[c]])
        return spans

    def _place(self, k: int) -> int:
        """The page offset of this (plain) segment's stream character ``k``."""
        word = bisect_right(self.firsts, k) - 1
        return self.places[word] + k - self.firsts[word]


def _decoded_pieces(segment: str, offset: int):
    """``(text, start, end)`` pieces of a segment, unescaped: a run of plain characters
    is yielded one character at a time; an entity yields its text with its whole range
    (a legacy entity without ``;`` followed by letters keeps them as plain characters)."""
    position = 0
    for match in _CHARREF.finditer(segment):
        for i in range(position, match.start()):
            yield segment[i], offset + i, offset + i + 1
        raw = match.group()
        decoded = unescape(raw)
        kept = _common_suffix(raw, decoded) if decoded != raw else len(raw)
        if decoded[: len(decoded) - kept]:
            yield decoded[: len(decoded) - kept], offset + match.start(), offset + match.end() - kept
        for i in range(match.end() - kept, match.end()):
            yield segment[i], offset + i, offset + i + 1
        position = match.end()
    for i in range(position, len(segment)):
        yield segment[i], offset + i, offset + i + 1


def _common_suffix(raw: str, decoded: str) -> int:
    """How many characters at the end of an entity's text its decoding keeps as they are."""
    size = 0
    while size < min(len(raw) - 1, len(decoded)) and raw[-1 - size] == decoded[-1 - size]:
        size += 1
    return size


def _compose(chars: list[str], places: list[int], ends: list[int], breaks: set[int]):
    """NFC over the characters: a base and its combining marks map to their joint range."""
    if unicodedata.is_normalized("NFC", "".join(chars)):
        return places, ends, breaks
    out_places: list[int] = []
    out_ends: list[int] = []
    out_breaks: set[int] = set()
    cluster = 0
    while cluster < len(chars):
        stop = cluster + 1
        while stop < len(chars) and unicodedata.combining(chars[stop]) and stop not in breaks:
            stop += 1
        if cluster in breaks:
            out_breaks.add(len(out_places))
        for _ in unicodedata.normalize("NFC", "".join(chars[cluster:stop])):
            out_places.append(places[cluster])
            out_ends.append(ends[stop - 1])
        cluster = stop
    return out_places, out_ends, out_breaks


# -- the title ------------------------------------------------------------------------

#: Headings and ``<title>`` tags, and what hides them (comments, skipped elements).
_HEADING_TAG = re.compile(
    r"<!--[^-]*+(?:-(?!->|-!>)[^-]*+)*+(?:--!?>)?"
    + "".join(rf"|<{name}(?=[\s/>]){_ATTRS}>[^<]*+(?:<(?!/{name}[\s/>])[^<]*+)*+(?:</{name}[^>]*+>)?"
              for name in SKIPPED)
    + rf"|<(?P<close>/?)(?P<name>h[1-3]|title)(?=[\s/>])(?P<attrs>{_ATTRS})>",
    re.IGNORECASE | re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""\b(class|id|itemprop)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<(?:br|/?(?:p|div|li|ul|ol|dl|dt|dd|table|tr|td|th|section|article|header|footer"
                        r"|blockquote|h[1-6]|figure|figcaption|hr))\b", re.IGNORECASE)
#: trafilatura's title-like headings (``TITLE_XPATHS``): by class, id or itemprop.
_HEADLINE_CLASS = re.compile(r"(?:post-|entry-|article-|post__)title|headline")


@dataclass(slots=True)
class _Heading:
    """An ``h1``-``h3`` or ``title`` element: its name, attributes and where its content lies."""

    name: str
    attributes: dict[str, str]
    start: int
    end: int


def page_title(page: str) -> str:
    """The page's headline, by the rules of trafilatura's title extractor
    (``trafilatura.metadata.extract_title``), read from the page text without a parse:
    the page's only ``<h1>``; else an ``<h1>``/``<h2>`` whose class names a post,
    entry or article title or a headline (or whose id or itemprop says headline), else
    an ``<h1>``-``<h3>`` whose class or id says title; else ``<title>``, its part
    before or after a separator if that has no dot; else the first ``<h1>``, else the
    first ``<h2>``. Headings in comments and scripts do not count.

    Not the OpenGraph or JSON-LD title trafilatura's metadata prefers: those often
    carry the site's name. On the 711 development pages the extractor's title is the
    benchmark's title on 567 pages, the metadata title on 365; this reading of the
    extractor's rules agrees with the extractor on 702 pages (568 right) and, with no
    parse of its own, costs about 1.5% of trafilatura's time instead of 12%.
    """
    headings = _headings(page)
    h1 = [h for h in headings if h.name == "h1"]
    if len(h1) == 1 and (title := _heading_text(page, h1[0], spaced=False)):
        return title
    for wanted in (_is_headline, _is_titled):
        for heading in headings:
            if wanted(heading) and 2 < len(title := _heading_text(page, heading, spaced=True)) < 200:
                return title
    title = next((_heading_text(page, h, spaced=False) for h in headings if h.name == "title"), "")
    for part in _title_parts(title):
        if part and "." not in part:
            return part
    for heading in h1 + [h for h in headings if h.name == "h2"][:1]:
        if title := _heading_text(page, heading, spaced=False):
            return title
    return ""


def _headings(page: str) -> list[_Heading]:
    """The page's ``h1``-``h3`` and ``title`` elements (with class, id and itemprop), in order."""
    found, open_ = [], {}
    for match in _HEADING_TAG.finditer(page):
        name = match.group("name")
        if not name:
            continue
        name = name.lower()
        if not match.group("close"):
            attributes = {key.lower(): "".join(values) for key, *values in _ATTRIBUTE.findall(match.group("attrs"))}
            open_[name] = (attributes, match.end())
        elif name in open_:
            attributes, start = open_.pop(name)
            found.append(_Heading(name, attributes, start, match.start()))
    found.sort(key=lambda heading: heading.start)
    return found


def _is_headline(heading: _Heading) -> bool:
    """trafilatura's first two title paths: a headline or post title by class, id or itemprop."""
    get = heading.attributes.get
    return heading.name in ("h1", "h2") and bool(
        _HEADLINE_CLASS.search(get("class", "")) or "headline" in get("id", "") or "headline" in get("itemprop", "")
    ) or get("class") in ("entry-title", "post-title")


def _is_titled(heading: _Heading) -> bool:
    """trafilatura's third title path: an ``h1``-``h3`` whose class or id says title."""
    get = heading.attributes.get
    return heading.name != "title" and ("title" in get("class", "") or "title" in get("id", ""))


def _heading_text(page: str, heading: _Heading, spaced: bool) -> str:
    """The text of a heading, whitespace collapsed: tags between words are a space when
    ``spaced`` (every tag) or when they are block tags (otherwise nothing)."""
    inner = page[heading.start:heading.end]
    if "<" in inner:
        inner = _SEPARATOR.sub(lambda tags: " " if spaced or _spaces(tags.group()) else "", inner)
    text = " ".join(unescape(inner).split())
    return text if text.isprintable() else "".join(c for c in text if c.isprintable())


def _spaces(tags: str) -> bool:
    """Whether a run of tags separates words: it holds whitespace or a block tag."""
    return "".join(tags.split()) != tags or bool(_BLOCK_TAG.search(tags))


def _title_parts(title: str) -> tuple[str, ...]:
    """The parts of a ``<title>`` before and after a separator (`` | ``, `` - ``...), then the whole."""
    from trafilatura.metadata import HTMLTITLE_REGEX

    match = HTMLTITLE_REGEX.match(title)
    return (match[1], match[2], title) if match else (title,)


# -- trafilatura's markup in its text -----------------------------------------------

_LIST_MARKER = re.compile(r"^[ \t]*(-) ", re.MULTILINE)
#: A line of a table row: it starts with ``| `` or ends with `` |`` (a cell may hold lines).
_TABLE_ROW = re.compile(r"^(?:\|[ \t][^\n]*|[^\n]*[ \t]\||\|(?:-+\|)+|\|)[ \t]*$", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\|(?:-+\|)+[ \t]*$")
_TABLE_BAR = re.compile(r"\\(?=\|)|(?<!\\)\|")


def markup_positions(text: str) -> list[int]:
    """The offsets of the characters trafilatura writes in its text for markup: the
    ``-`` of a list item, the bars of a table row (and the ``\\`` escaping a bar in a
    cell), the characters of a header rule ``|---|``. In order."""
    positions = []
    if "- " in text:
        positions.extend(marker.start(1) for marker in _LIST_MARKER.finditer(text))
    if "|" in text:
        for row in _TABLE_ROW.finditer(text):
            if _TABLE_RULE.match(row.group()):
                positions.extend(i for i in range(row.start(), row.end()) if not text[i].isspace())
            else:
                positions.extend(row.start() + bar.start() for bar in _TABLE_BAR.finditer(row.group()))
    return sorted(positions)


def mask_markup(text: str, positions: list[int] | None = None) -> str:
    """``text`` with its markup characters (:func:`markup_positions`) turned into spaces."""
    positions = markup_positions(text) if positions is None else positions
    if not positions:
        return text
    pieces, previous = [], 0
    for position in positions:
        pieces.append(text[previous:position])
        previous = position + 1
    pieces.append(text[previous:])
    return " ".join(pieces)


# -- alignment of the extracted text to the page's stream ---------------------------


class TextIndex:
    """The lines of a (masked) text and its significant characters (neither whitespace
    nor markup): ``sig(offset)`` is how many lie before ``offset``."""

    def __init__(self, masked: str):
        self.masked = masked
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.sigs: list[int] = []
        #: Each line's significant characters.
        self.chars: list[str] = []
        total = 0
        for line in _LINE.finditer(masked):
            chars = "".join(line.group().split())
            if chars:
                self.starts.append(line.start())
                self.ends.append(line.end())
                self.sigs.append(total)
                self.chars.append(chars)
                total += len(chars)
        self.total = total

    def sig(self, offset: int) -> int:
        """How many significant characters lie before ``offset``."""
        line = bisect_right(self.starts, offset) - 1
        if line < 0:
            return 0
        if offset >= self.ends[line]:
            return self.sigs[line] + len(self.chars[line])
        return self.sigs[line] + len("".join(self.masked[self.starts[line]:offset].split()))


@dataclass(slots=True)
class Alignment:
    """Runs of the text's significant characters found in the page's stream:
    ``(sig, k, size)``: characters ``[sig, sig + size)`` are stream ``[k, k + size)``."""

    runs: list[tuple[int, int, int]] = field(default_factory=list)
    #: The stream ranges the runs take: a line goes to a copy no other line took, when there is one.
    taken: Taken = field(default_factory=lambda: Taken())

    def stream_ranges(self, first: int, stop: int) -> list[list[int]]:
        """The stream ranges of the aligned characters among ``[first, stop)``, merged
        where they are adjacent in the stream."""
        ranges: list[list[int]] = []
        run = max(bisect_right(self.runs, (first, -1, -1)) - 1, 0)
        if run < len(self.runs):
            sig, k, size = self.runs[run]
            if sig <= first and stop <= sig + size:  # the usual case: within one run
                return [[k + first - sig, k + stop - sig]] if first < stop else []
        while run < len(self.runs) and self.runs[run][0] < stop:
            sig, k, size = self.runs[run]
            low, high = max(first, sig), min(stop, sig + size)
            if low < high:
                if ranges and ranges[-1][1] == k + low - sig:
                    ranges[-1][1] = k + high - sig
                else:
                    ranges.append([k + low - sig, k + high - sig])
            run += 1
        return ranges

    def last_before(self, first: int) -> int:
        """The stream offset just after the last aligned character before ``first`` (0 if none)."""
        run = bisect_left(self.runs, (first, -1, -1)) - 1
        if run < 0:
            return 0
        sig, k, size = self.runs[run]
        return k + min(size, first - sig)


class Taken:
    """Stream ranges already given to a line of the text, sorted by start (two overlap only where
    trafilatura wrote a line twice and both copies of the text went to the page's one)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect_right(self.starts, start)
        return (at > 0 and self.ends[at - 1] > start) or (at < len(self.starts) and self.starts[at] < end)

    def add(self, start: int, end: int) -> None:
        at = bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


#: How many copies of a line already given to other lines are passed over looking for a free one
#: (a forum page repeats "Member" and "Joined:" in every post); past them, the line shares a copy.
MAX_TAKEN_COPIES = 64


def find_free(stream: str, chars: str, taken: Taken, start: int = 0, end: int | None = None) -> int:
    """Where ``chars`` first occurs in ``stream[start:end]`` on characters no other line was given; -1 if nowhere."""
    end = len(stream) if end is None else end
    k = stream.find(chars, start, end)
    for _ in range(MAX_TAKEN_COPIES):
        if k < 0 or not taken.overlaps(k, k + len(chars)):
            return k
        k = stream.find(chars, k + 1, end)
    return -1


def align(text: TextIndex, index: PageIndex, title_lines: int = 0) -> Alignment:
    """Find each line of ``text`` (its significant characters) in the page's stream, in order.

    A line is looked for forward from the end of the previous one (from the start
    of ``<body>`` for the first), then from the start of the page without moving
    back, then word by word near the previous line; on characters not found for
    another line when there are such (a forum page whose posts trafilatura gives out
    of order repeats the same labels in each: each copy is one post's), else on the
    copy another line has (trafilatura wrote the line twice). The first ``title_lines``
    lines (a title put before trafilatura's text) do not move the search on.
    """
    alignment = Alignment()
    stream, cursor, taken = index.stream, index.body_start, alignment.taken
    for number, (chars, sig) in enumerate(zip(text.chars, text.sigs)):
        k = _found_from(cursor, lambda at: find_free(stream, chars, taken, at))
        if k < 0:  # every copy is another line's
            k = _found_from(cursor, lambda at: stream.find(chars, at))
        if k >= cursor and number >= title_lines:
            cursor = k + len(chars)
        if k >= 0:
            alignment.runs.append((sig, k, len(chars)))
            taken.add(k, k + len(chars))
        elif number >= title_lines:
            words = text.masked[text.starts[number]:text.ends[number]].split()
            cursor = _align_words(words, sig, stream, cursor, alignment)
    return alignment


def _found_from(cursor: int, search: Callable[[int], int]) -> int:
    """Where ``search`` finds a line from ``cursor`` on, else from the start of the page (-1: nowhere)."""
    k = search(cursor)
    return k if k >= 0 or not cursor else search(0)


#: How far past the previous line (in stream characters, per character of the line)
#: the words of a line that was not found whole are looked for.
WORD_WINDOW = 4
#: How far past the last aligned character the rest of a word split by the page is
#: looked for (a footnote number trafilatura left out, an inline tag's text).
NEAR = 24


def _align_words(words: list[str], sig: int, stream: str, cursor: int, alignment: Alignment) -> int:
    """Align the words of a line not found whole, in order, within a window after
    ``cursor``; return the new cursor.

    A word is looked for whole; a word not found is aligned piece by piece: its
    longest beginning found near the cursor, then the rest as a word of its own. A
    character with no beginning found near is left out (inexact).
    """
    limit = cursor + WORD_WINDOW * sum(map(len, words)) + 200
    taken = alignment.taken
    for word in words:
        while word:
            k = find_free(stream, word, taken, cursor, limit)
            size = len(word)
            if k < 0:
                size = _longest_beginning(word, stream, cursor)
                k = find_free(stream, word[:size], taken, cursor, cursor + NEAR + size) if size else -1
            if k >= 0:
                _add_run(alignment, sig, k, size)
                taken.add(k, k + size)
                cursor = k + size
            size = max(size, 1)
            word, sig = word[size:], sig + size
    return cursor


def _longest_beginning(word: str, stream: str, cursor: int) -> int:
    """The length of the longest beginning of ``word`` (shorter than the word) found in
    the stream within :data:`NEAR` characters after ``cursor``; 0 if none."""
    low, high = 0, len(word) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if stream.find(word[:middle], cursor, cursor + NEAR + middle) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


def _add_run(alignment: Alignment, sig: int, k: int, size: int) -> None:
    """Record that text characters ``[sig, sig + size)`` are stream ``[k, k + size)``,
    extending the last run when both follow on from it."""
    runs = alignment.runs
    if runs and runs[-1][0] + runs[-1][2] == sig and runs[-1][1] + runs[-1][2] == k:
        last = runs.pop()
        runs.append((last[0], last[1], last[2] + size))
    else:
        runs.append((sig, k, size))


# -- spans in the page --------------------------------------------------------------


@dataclass(slots=True)
class Mapper:
    """Maps spans of the extracted text to spans of the page, counting exact characters."""

    text: TextIndex
    alignment: Alignment
    index: PageIndex

    def map(self, spans: Spans) -> tuple[Spans, int, int]:
        """The page spans of text ``spans``, with the number of significant characters
        aligned and not aligned. A piece with no character aligned gets one empty span
        where it would lie."""
        page_spans: Spans = []
        exact = total = 0
        for start, end in spans:
            first, stop = self.text.sig(start), self.text.sig(end)
            total += stop - first
            for low, high in self.alignment.stream_ranges(first, stop):
                exact += high - low
                page_spans.extend(self.index.html_spans(low, high))
        if not page_spans:
            first = self.text.sig(spans[0][0]) if spans else 0
            place = self.index.html_offset(self.alignment.last_before(first))
            page_spans = [[place, place]]
        return _merge(page_spans), exact, total - exact


def _merge(spans: Spans) -> Spans:
    """Adjacent spans (one ending where the next starts) joined."""
    merged: Spans = []
    for span in spans:
        if merged and merged[-1][1] == span[0]:
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return merged


# -- the result ---------------------------------------------------------------------


@dataclass
class HtmlResult(Result):
    """A :class:`Result` whose spans point into the decoded page (``input``).

    ``extracted`` is the result of cleaning trafilatura's text (title line included),
    with spans into that text. ``exact_chars`` and ``inexact_chars`` count the
    non-whitespace characters of paragraphs and captions found in the page and not
    found; ``markup_chars`` those trafilatura wrote for markup (list markers, table bars).
    """

    encoding: str = "utf-8"
    source: str = "<input>"
    extracted: Result | None = field(default=None, repr=False)
    exact_chars: int = 0
    inexact_chars: int = 0
    markup_chars: int = 0

    @property
    def exact_share(self) -> float:
        """Share of the non-whitespace output characters (paragraphs and captions) whose
        provenance is exact; 1.0 when there are none."""
        exact, total = provenance_exactness(self)
        return exact / total if total else 1.0

    def to_dict(self, offsets: str = "chars") -> dict:
        """The JSON schema; ``offsets="bytes"`` gives offsets into the raw page bytes."""
        doc = Result.to_dict(self, "chars")
        if offsets == "bytes":
            html_byte_offsets(doc, self.input, self.encoding)
        elif offsets != "chars":
            raise ValueError(f"offsets must be 'chars' or 'bytes', not {offsets!r}")
        return doc


def provenance_exactness(result: HtmlResult) -> tuple[int, int]:
    """``(exact, total)``: of the non-whitespace characters of the paragraphs and captions
    (markup written by trafilatura left out), how many have exact provenance (their
    spans point at exactly those characters in the page), and how many there are."""
    return result.exact_chars, result.exact_chars + result.inexact_chars


def clean_html(
    data: bytes | str,
    options: Options | None = None,
    *,
    source: str = "<input>",
    settings: dict | None = None,
    **overrides,
) -> HtmlResult:
    """Clean an HTML page: decode it, extract the article with trafilatura (settings:
    :data:`TRAFILATURA_SETTINGS`), put the page title first, clean the text with
    :func:`cleaner.clean`, and map every span into the decoded page.

    A page without article text (none extracted, or none left once the residue is out) gives an
    empty result and a ``UserWarning``. Unless the
    extraction keeps the page's comments (``include_comments``), the model does not look for
    comments appended to the text (``Options.appended_comments``).
    """
    from . import clean, clean_text, render

    overrides = {"appended_comments": bool((settings or TRAFILATURA_SETTINGS).get("include_comments")), **overrides}

    page, encoding = decode_html(data, source)
    # Only a str, or bytes after a BOM, can hold lone surrogates: lxml stops at the first.
    readable = without_lone_surrogates(page) if isinstance(data, str) or page.startswith("\ufeff") else page
    readable = readable.lstrip("\ufeff")
    index = PageIndex(page)
    text = extract_text(readable, source, settings)
    if settings is None:
        text = _balanced_if_short(readable, text, index.size, source)
    if not text.strip():
        refuse_text_the_parser_lost(readable, source)
        warnings.warn(f"{source}: no article text found in the page", UserWarning, stacklevel=2)
        return HtmlResult("", [], [], [], page, encoding, source, clean("", options, input_format="text", **overrides))
    titled = with_title(text, page_title(page))
    title_lines, text = (1 if len(titled) != len(text) else 0), titled
    markup = markup_positions(text)
    lines = TextIndex(mask_markup(text, markup))
    alignment = align(lines, index, title_lines)
    built = Options.build(options, overrides)
    extracted = clean_text(text, built, pre_lines(lines, alignment, index))
    mapper = Mapper(lines, alignment, index)
    result = HtmlResult("", [], [], [], page, encoding, source, extracted)
    _map_pieces(result, extracted, mapper, markup, built)
    _add_figure_captions(result, index, built)
    result.text = render(result.paragraphs, result.captions, built)
    if not result.text.strip():
        warnings.warn(f"{source}: no article text left in the page once its residue is out", UserWarning, stacklevel=2)
    return result


_PRE = re.compile(r"<pre\b", re.I)


def pre_lines(lines: TextIndex, alignment: Alignment, index: PageIndex) -> dict[int, int]:
    """The lines of the text that come from a ``<pre>`` of the page, each by its offset in the
    text, with the number of its ``<pre>`` element (see ``blocks.mark_code``): trafilatura gives
    a listing's lines one under the other, and a line of YAML or of a shell's output holds no
    sign of code that the text alone shows."""
    from .markup import open_elements

    if _PRE.search(index.page) is None:
        return {}
    firsts = []  # each line's offset in the text, and where the page's text segment holding its first character starts
    for start, sig in zip(lines.starts, lines.sigs):
        ranges = alignment.stream_ranges(sig, sig + 1)
        if ranges:  # no tag inside a segment: the elements open where it starts are open at each of its characters
            firsts.append((start, index.segments[index.segment_of(ranges[0][0])][0]))
    elements = open_elements(index.page, [at for _, at in firsts])
    found = {}
    for (start, _), chain in zip(firsts, elements.chains):
        pre = next((element for element in reversed(chain) if elements.names[element] == "pre"), None)
        if pre is not None:
            found[start] = pre
    return found


FIGCAPTION_RULE = "html.figcaption"
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", re.I | re.S)


def figure_captions(index: PageIndex) -> list[Caption]:
    """The page's ``<figcaption>`` texts as captions, each with the spans of its text nodes.

    trafilatura leaves figures out of the article text, so their captions never
    reach the text cleaner; the page itself says they are captions.
    """
    captions = []
    for match in _FIGCAPTION.finditer(index.page):
        first = bisect_left(index.segments, (match.start(1), 0))
        last = bisect_left(index.segments, (match.end(1), 0))
        if first >= last or index.starts[first] >= index.ends[last - 1]:
            continue
        spans = index.html_spans(index.starts[first], index.ends[last - 1])
        text = " ".join(" ".join(unescape(index.page[start:end]).split()) for start, end in spans)
        captions.append(Caption(text, spans, FIGCAPTION_RULE, "the page marks it as a <figcaption>"))
    return captions


def _add_figure_captions(result: HtmlResult, index: PageIndex, options: Options) -> None:
    """Add the page's figure captions that no output piece already covers."""
    taken = sorted(span for piece in result.paragraphs + result.captions + result.removed for span in piece.spans)
    added = [c for c in figure_captions(index) if not any(overlaps(span, taken) for span in c.spans)]
    if not added:
        return
    if options.captions == "drop":
        result.removed = sorted(result.removed + [Removed(c.rule, c.text, c.spans, c.reason) for c in added],
                                key=_first_offset)
    else:
        result.captions = sorted(result.captions + added, key=_first_offset)
        result.exact_chars += sum(_visible_chars(c.text) for c in added)


def _first_offset(piece) -> int:
    return piece.spans[0][0] if piece.spans else 0


def _map_pieces(result: HtmlResult, extracted: Result, mapper: Mapper, markup: list[int], options: Options) -> None:
    """Fill ``result`` with the pieces of ``extracted``, their spans mapped into the page; paragraphs
    inside a box the page's markup names as residue (``cleaner.markup``) go to ``removed``."""
    from .markup import named_residue, words_in

    mapped = [(piece, mapper.map(piece.spans)) for piece in extracted.paragraphs]
    paragraphs = [Paragraph(piece.kind, piece.text, spans, piece.joins, piece.sources)
                  for piece, (spans, _, _) in mapped]
    named = {v.index: v for v in named_residue(result.input, paragraphs, options.disabled, words_in(extracted.input))}
    for index, (paragraph, (piece, counts)) in enumerate(zip(paragraphs, mapped)):
        verdict = named.get(index)
        if verdict:
            result.removed.append(Removed(verdict.rule, paragraph.text, paragraph.spans, verdict.reason))
            continue
        _count(result, counts, piece.spans, markup)
        result.paragraphs.append(paragraph)
    for piece in extracted.captions:
        counts = mapper.map(piece.spans)
        _count(result, counts, piece.spans, markup)
        result.captions.append(Caption(piece.text, counts[0], piece.rule, piece.reason))
    for piece in extracted.removed:
        result.removed.append(Removed(piece.rule, piece.text, mapper.map(piece.spans)[0], piece.reason))
    if named:
        result.removed.sort(key=_first_offset)


def _count(result: HtmlResult, counts: tuple[Spans, int, int], spans: Spans, markup: list[int]) -> None:
    """Count the characters of an output piece (``counts``: its page spans, exact and inexact characters) into ``result``."""
    _, exact, inexact = counts
    result.exact_chars += exact
    result.inexact_chars += inexact
    if markup:
        result.markup_chars += sum(bisect_left(markup, end) - bisect_left(markup, start) for start, end in spans)


def html_byte_offsets(doc: dict, html: str, encoding: str) -> None:
    """Rewrite the spans of a ``to_dict()`` document in place, from code-point offsets
    into the decoded page ``html`` to byte offsets into the raw page in ``encoding``
    (the codec :func:`decode_html` returned)."""
    convert_offsets(doc, html, encoding)


def check_provenance(result: HtmlResult) -> list[str]:
    """The paragraphs and captions whose page spans do not give back their text: for
    each, ``html.unescape`` of its spans with whitespace deleted must equal its text
    (markup characters written by trafilatura left out) with whitespace deleted, NFC.
    Pieces with inexact characters are reported too."""
    problems = []
    extracted = result.extracted
    if extracted is None:
        return problems
    masked = mask_markup(extracted.input)
    figures = [c for c in result.captions if c.rule == FIGCAPTION_RULE]
    mapped = {"paragraphs": result.paragraphs, "captions": [c for c in result.captions if c.rule != FIGCAPTION_RULE]}
    pairs = [(name[:-1], piece, "".join(masked[s:e] for s, e in original.spans))
             for name in mapped for piece, original in _origins(mapped[name], getattr(extracted, name))]
    pairs += [("caption", piece, piece.text) for piece in figures]
    for what, piece, text in pairs:
        want = _significant(text)
        got = _significant("".join(unescape(result.input[s:e]) for s, e in piece.spans))
        if got != want:
            problems.append(f"{what} {piece.text[:60]!r}: the page gives {got[:60]!r}")
    return problems


def _origins(pieces: list, originals: list):
    """Each output piece with the piece of the extracted text it came from: the pieces are the
    originals, in order, less those the markup stage moved to ``removed``."""
    rest = iter(originals)
    for piece in pieces:
        original = next(rest)
        while original.text != piece.text:
            original = next(rest)
        yield piece, original


def _significant(text: str) -> str:
    """``text`` as the stream holds it: no whitespace, printable characters only, NFC."""
    chars = "".join(text.split())
    if not chars.isprintable():
        chars = "".join(c for c in chars if c.isprintable())
    return unicodedata.normalize("NFC", chars)
