"""The development pages and the text inputs built from their HTML, cached outside the repository.

Two text inputs per page, the ones a user of ``clean()`` would feed it:

- ``a``: ``trafilatura.extract`` favouring recall, with comments and tables;
- ``b``: the naive text of the page's article container (see ``container``), one
  block per chunk, chunks separated by a blank line, captions left where they stand.

Gold captions are read from the same parse as ``b``. Everything built is cached
as one JSON file per page and product under ``$XDG_CACHE_HOME/cleaner/eval/inputs``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from ..io import nests_deeper

WORKERS = 2
MIN_CAPTION, MAX_CAPTION = 20, 500
SKIPPED = ("script", "style", "noscript", "template")
#: Elements that start and end a chunk of input ``b``.
BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "pre", "div", "section",
    "article", "aside", "header", "footer", "main", "nav", "figure", "ul", "ol", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "caption", "address", "form", "fieldset", "legend", "details", "summary",
    "hr", "br", "center", "hgroup", "menu", "body",
})
CELLS = frozenset({"td", "th"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CAPTION_MARK = re.compile(r"caption|credit", re.IGNORECASE)


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cleaner`` (default ``~/.cache/cleaner``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"


def default_data_dir() -> Path:
    """``../shared/data/wcxb-dev-articles`` beside the project root."""
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "wcxb-dev-articles"


@dataclass
class Page:
    """One development page: its HTML file, its ground truth and (once built) its inputs."""

    id: str
    html_path: Path
    truth: str
    with_: list[str]
    without: list[str]
    title: str = ""
    url: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    gold_captions: list[str] = field(default_factory=list)
    #: Where the readers' comments trafilatura appends begin in input ``a`` (None: it found none).
    comments_start: int | None = None

    def html(self) -> str:
        """The page's HTML, decoded."""
        return read_html(self.html_path)


def load_pages(data_dir: Path, limit: int | None = None) -> list[Page]:
    """The pages of ``data_dir`` that have HTML and a ground truth with main content, in id order.

    A page whose ground truth has no main content cannot score an extractor: every
    output scores 0 on it but the ceiling's, which keeps no line and scores 1 (see
    ``cleaner.evaluation.metrics``). Such pages are left out (``pages_without_truth``).
    """
    pages = []
    for truth_path, html_path, doc in _page_files(data_dir):
        truth = doc.get("ground_truth") or {}
        if truth.get("main_content"):
            pages.append(Page(
                truth_path.stem, html_path, truth["main_content"],
                list(truth.get("with") or []), list(truth.get("without") or []),
                truth.get("title") or "", doc.get("url") or "",
            ))
        if limit is not None and len(pages) >= limit:
            break
    return pages


class DataError(ValueError):
    """A file of the data folder that cannot be read as the benchmark writes it; the message names it."""


#: The ground truth's fields and the JSON types they must have (absent or null: empty).
TRUTH_FIELDS = {"main_content": str, "title": str, "with": list, "without": list}
#: A ground-truth file nests two levels deep; one nested deeper than this is refused unread.
MAX_TRUTH_DEPTH = 100


def checked_truth(doc, path: Path) -> dict:
    """A page's parsed ground-truth file ``doc``, when its fields have the benchmark's types."""
    if not isinstance(doc, dict) or not isinstance(doc.get("ground_truth") or {}, dict) \
            or not isinstance(doc.get("url") or "", str):
        raise DataError(f"{path}: not a ground-truth file (an object with a \"ground_truth\" object)")
    truth = doc.get("ground_truth") or {}
    for name, kind in TRUTH_FIELDS.items():
        value = truth.get(name)
        if (value is not None and not isinstance(value, kind)) or \
                (kind is list and value and not all(isinstance(item, str) for item in value)):
            raise DataError(f"{path}: ground_truth.{name} must be {'a list of strings' if kind is list else 'a string'}")
    return doc


def pages_without_truth(data_dir: Path) -> list[str]:
    """The ids of the pages ``load_pages`` leaves out: their ground truth has no main content."""
    return [truth_path.stem for truth_path, _, doc in _page_files(data_dir)
            if not (doc.get("ground_truth") or {}).get("main_content")]


#: How reports name what ``unpaired_pages`` finds.
UNPAIRED = "Left out, one of their two files missing (HTML or ground truth)"


def unpaired_pages(data_dir: Path) -> list[str]:
    """The ids of the pages with one of their two files only (HTML or ground truth): none can be scored."""
    html = {path.name.removesuffix(".html.gz") for path in (data_dir / "html").glob("*.html.gz")}
    truth = {path.stem for path in (data_dir / "ground-truth").glob("*.json")}
    return sorted(html ^ truth)


def _page_files(data_dir: Path) -> Iterator[tuple[Path, Path, dict]]:
    """Each page's ground-truth path, HTML path and parsed ground truth, in id order (pages with both files)."""
    for truth_path in sorted((data_dir / "ground-truth").glob("*.json")):
        html_path = data_dir / "html" / f"{truth_path.stem}.html.gz"
        if html_path.exists():
            try:
                text = truth_path.read_text(encoding="utf-8")
                if nests_deeper(text, MAX_TRUTH_DEPTH):
                    raise ValueError(f"arrays or objects nested deeper than {MAX_TRUTH_DEPTH} levels")
                doc = json.loads(text)
            except (OSError, ValueError) as exc:  # UnicodeDecodeError and json.JSONDecodeError are ValueErrors
                raise DataError(f"{truth_path}: cannot read the ground truth: {exc}") from None
            yield truth_path, html_path, checked_truth(doc, truth_path)


# -- decoding and parsing ---------------------------------------------------------


def read_html(path: Path) -> str:
    """A gzipped HTML file, decoded as cleaner decodes pages (BOM, declared charset, UTF-8, cp1252)."""
    from ..html import decode_html

    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:  # not gzip, or cut short
        raise DataError(f"{path}: cannot read the page: {exc}") from None
    return decode_html(data, str(path))[0]


def parse_html(html: str) -> etree._Element | None:
    """The document tree without comments, scripts, styles, noscript and templates; None if empty."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    for element in list(root.iter(*SKIPPED)):
        element.drop_tree()
    return root


# -- input b: the article container -----------------------------------------------


def container(root: etree._Element) -> etree._Element:
    """The article container: the longest ``<article>`` (the first of equals) if it holds the text.

    It holds the text when the element with the most direct ``<p>`` children lies
    within it, or when it has at least that many ``<p>`` of its own; otherwise (no
    ``<article>``, or only teaser cards) the element with the most direct ``<p>``.
    """
    richest = most_paragraphs(root)
    articles = list(root.iter("article"))
    if not articles:
        return richest
    article = max(articles, key=lambda element: len(element.text_content()))
    inside = richest is article or article in richest.iterancestors()
    if inside or sum(1 for _ in article.iter("p")) >= direct_paragraphs(richest):
        return article
    return richest


def most_paragraphs(root: etree._Element) -> etree._Element:
    """The element with the most direct ``<p>`` children (the first of equals), else ``<body>``."""
    body = root.find("body")
    best, most = (root if body is None else body), 0
    for element in root.iter():
        count = direct_paragraphs(element)
        if count > most:
            best, most = element, count
    return best


def direct_paragraphs(element: etree._Element) -> int:
    return sum(1 for child in element if child.tag == "p")


def block_texts(element: etree._Element) -> list[str]:
    """The text of ``element`` cut at block boundaries, whitespace-collapsed, one string per block.

    Text directly inside a block (a ``div`` with text of its own) is a chunk of its
    own; the cells of a table row are joined by a space into one chunk.
    """
    chunks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buffer).split())
        if text:
            chunks.append(text)
        buffer.clear()

    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCKS:
                flush()
            buffer.append(node.text or "")
            continue
        if tag in CELLS:
            buffer.append(" ")
        elif tag in BLOCKS:
            flush()
        if node is not element:
            buffer.append(node.tail or "")
    flush()
    return chunks


def container_text(root: etree._Element | None) -> str:
    """Input ``b``: the blocks of the article container separated by blank lines."""
    return "" if root is None else "\n\n".join(block_texts(container(root)))


# -- gold captions ----------------------------------------------------------------


def is_caption_element(element: etree._Element) -> bool:
    """A ``<figcaption>``, or an element whose class or id mentions caption or credit.

    Headings are left out: their ids are anchors made of their words (``child-tax-credit``).
    """
    if element.tag == "figcaption":
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return element.tag not in HEADINGS and CAPTION_MARK.search(names) is not None


def gold_captions(root: etree._Element | None) -> list[str]:
    """The page's caption texts: 20 to 500 characters, innermost marked elements only, no repeats.

    An element's text is its blocks joined by a space (as they read in input ``b``);
    a marked element holding a marked element of caption length is left to the
    inner one, and a text over 500 characters is a container, not a caption.
    """
    if root is None:
        return []
    marked = [el for el in root.iter() if isinstance(el.tag, str) and is_caption_element(el)]
    marked = [(el, text) for el in marked if len(text := " ".join(block_texts(el))) >= MIN_CAPTION]
    outer = {ancestor for el, _ in marked for ancestor in el.iterancestors()}
    texts = [text for el, text in marked if el not in outer and len(text) <= MAX_CAPTION]
    return list(dict.fromkeys(texts))


# -- input a: trafilatura ---------------------------------------------------------


def trafilatura_text(html: str, comments: bool = True) -> str:
    """Input ``a``: trafilatura's text, favouring recall, with comments (unless not ``comments``) and tables."""
    import trafilatura

    return trafilatura.extract(html, favor_recall=True, include_comments=comments, include_tables=True) or ""


#: The text input trafilatura builds with the page's comments appended: its pages know where they
#: begin (``Page.comments_start``).
COMMENTS_INPUT = "a"


def comments_start(text: str, without_comments: str) -> int | None:
    """Where the comments begin in ``text``, trafilatura's text with comments, given its text
    ``without_comments``: trafilatura appends them to the article, so the article is a prefix."""
    article = without_comments.rstrip()
    if len(text.rstrip()) <= len(article) or not text.startswith(article):
        return None
    return len(article)


def trafilatura_version() -> str:
    from importlib.metadata import version

    return version("trafilatura")


# -- building and caching ---------------------------------------------------------


def build_a(html: str) -> dict:
    text = trafilatura_text(html)
    return {"text": text, "comments_start": comments_start(text, trafilatura_text(html, comments=False))}


def build_b(html: str) -> dict:
    root = parse_html(html)
    return {"text": container_text(root), "captions": gold_captions(root)}


#: What is built from each page's HTML, by mode: (cache folder name, builder).
#: Change the folder name when a builder changes, so the cache is rebuilt.
PRODUCTS = {
    "a": (f"a-trafilatura-{trafilatura_version()}-v2", build_a),
    "b": ("b-container-v1", build_b),
}


def product_dir(data_dir: Path, mode: str) -> Path:
    """The cache folder of one product of one data directory."""
    key = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:8]
    return cache_dir() / "eval" / "inputs" / f"{data_dir.name}-{key}" / PRODUCTS[mode][0]


def cache_name(page: Page) -> str:
    """The name of a page's cached products: its id and a digest of its HTML file, so that a page
    changed in place is built again (by id alone, training and scores read the old page's text)."""
    return f"{page.id}-{hashlib.sha1(page.html_path.read_bytes()).hexdigest()[:16]}.json"


def build_page(html_path: Path, targets: dict[str, Path]) -> None:
    """Build the products of one page named in ``targets`` (mode → cache file), each written atomically."""
    html = read_html(html_path)
    for mode, target in targets.items():
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(PRODUCTS[mode][1](html), ensure_ascii=False), encoding="utf-8")
        temporary.replace(target)


def prepare_inputs(pages: list[Page], data_dir: Path, modes: tuple[str, ...], workers: int = WORKERS) -> int:
    """Fill each page's inputs (and gold captions, with ``b``), building what the cache lacks.

    Returns the number of pages built; missing products are built in a process pool.
    """
    unknown = sorted(set(modes) - set(PRODUCTS))
    if unknown:
        raise ValueError(f"unknown text input(s) {', '.join(unknown)}; known: {', '.join(PRODUCTS)}")
    folders = {mode: product_dir(data_dir, mode) for mode in modes}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    names = {page.id: cache_name(page) for page in pages}
    for page in pages:
        targets = {mode: folder / names[page.id] for mode, folder in folders.items()}
        missing = {mode: target for mode, target in targets.items() if not target.exists()}
        if missing:
            jobs.append((page.html_path, missing))
    if jobs:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            list(pool.map(build_page, *zip(*jobs), chunksize=4))
    for page in pages:
        for mode, folder in folders.items():
            product = json.loads((folder / names[page.id]).read_text(encoding="utf-8"))
            page.inputs[mode] = product["text"]
            if "captions" in product:
                page.gold_captions = product["captions"]
            if "comments_start" in product:
                page.comments_start = product["comments_start"]
    return len(jobs)
