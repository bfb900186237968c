"""The evaluation harness: its scores on tiny hand-made strings, its HTML inputs, a run on a tiny data set.

Only the last test needs ../shared (the development pages); it skips without them.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner.evaluate import body, evaluate_mode, main, run, text_systems
from cleaner.evaluation.anatomy import (
    CODE,
    COMMENTS,
    KEPT,
    LONG,
    MIDDLING,
    OUTSIDE,
    SHORT,
    input_lines,
    residue_words,
    texts_by_kind,
)
from cleaner.evaluation.inputs import (
    Page,
    block_texts,
    container,
    container_text,
    gold_captions,
    load_pages,
    pages_without_truth,
    parse_html,
    unpaired_pages,
)
from cleaner.evaluation.judge import (
    RuleTally,
    TruthWords,
    caption_matches,
    caption_record,
    caption_summary,
)
from cleaner.evaluation.metrics import (
    aggregate,
    ceiling,
    gap_closed,
    page_scores,
    shingle_overlap,
    snippet_counts,
    tokens,
    word_overlap,
)

DEV_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "wcxb-dev-articles"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test caches under its own folder, never in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# -- word F1 ----------------------------------------------------------------------


def test_tokens_are_lowercase_word_runs():
    assert tokens("Héllo, World! it's 2026") == ["héllo", "world", "it", "s", "2026"]


def test_word_f1_of_one_wrong_word_is_two_thirds():
    overlap = word_overlap("a b c", "a b d")
    assert (overlap.tp, overlap.fp, overlap.fn) == (2, 1, 1)
    assert overlap.precision == overlap.recall == overlap.f1 == pytest.approx(2 / 3)


def test_word_overlap_is_a_multiset_overlap():
    overlap = word_overlap("a a a b", "a b b")
    assert (overlap.tp, overlap.fp, overlap.fn) == (2, 2, 1)
    assert overlap.precision == pytest.approx(1 / 2)
    assert overlap.recall == pytest.approx(2 / 3)
    assert overlap.f1 == pytest.approx(4 / 7)


def test_word_f1_ignores_case_and_punctuation():
    assert word_overlap("Hello, World!", "hello world").f1 == 1.0


def test_empty_texts_score_one_together_and_zero_alone():
    assert word_overlap("", "").f1 == 1.0
    assert word_overlap("...", " ").precision == 1.0
    for predicted, truth in (("", "a b"), ("a b", "")):
        overlap = word_overlap(predicted, truth)
        assert (overlap.precision, overlap.recall, overlap.f1) == (0.0, 0.0, 0.0)


# -- 4-gram shingles --------------------------------------------------------------


def test_shingle_overlap_counts_four_grams():
    overlap = shingle_overlap("a b c d e", "a b c d f")
    assert (overlap.tp, overlap.fp, overlap.fn) == (1, 1, 1)
    assert overlap.precision == overlap.recall == 0.5


def test_shingle_overlap_of_texts_shorter_than_four_tokens():
    assert shingle_overlap("a b c", "a b c").f1 == 1.0
    assert shingle_overlap("a b c", "a b c d").recall == 0.0


def test_aggregate_averages_word_f1_but_takes_shingle_f1_of_the_means():
    pages = [page_scores("a b c d e f g h", "a b c d e f g h x y z w v u t s", [], []),
             page_scores("a b c d e f g h x y z w v u t s", "a b c d e f g h", [], [])]
    # word F1 per page: 2 * 1 * 0.5 / 1.5 = 2/3 both; shingle P, R per page (1, 5/13), (5/13, 1)
    summary = aggregate(pages)
    assert summary["word_f1"] == pytest.approx(2 / 3)
    assert summary["shingle_p"] == summary["shingle_r"] == pytest.approx((1 + 5 / 13) / 2)
    assert summary["shingle_f1"] == pytest.approx((1 + 5 / 13) / 2)


# -- snippets ---------------------------------------------------------------------


def test_snippets_are_case_insensitive_substrings():
    counts = snippet_counts("The River rose.\nSign up now", ["the river", "rose. sign", "flood"], ["SIGN UP", "Share"])
    assert counts == {"with_found": 2, "with_total": 3, "without_absent": 1, "without_total": 2}


def test_snippet_rates_are_totals_over_all_snippets():
    pages = [page_scores("a", "a", ["a", "b"], []), page_scores("a b c", "a", ["a", "b", "c"], ["d"])]
    summary = aggregate(pages)
    assert summary["with_found"] == pytest.approx(4 / 5)  # not the mean of 1/2 and 3/3
    assert summary["without_absent"] == 1.0


# -- ceiling and gap --------------------------------------------------------------


TRUTH = "The quick brown fox jumps over the lazy dog.\n\nIt slept."


@pytest.mark.parametrize("line, kept", [
    ("The quick brown fox jumps", True),                   # 2 of 2 four-grams
    ("fox jumps over the lazy cat", True),                 # 2 of 3
    ("brown fox jumps over a", True),                      # 1 of 2: half is enough
    ("quick brown fox jumps and then", False),             # 1 of 3
    ("Share this article with friends", False),            # 0 of 2
    ("the lazy dog", True),                                # short, in order in the truth
    ("dog. It slept", True),                               # short, across the truth's paragraphs
    ("dog lazy", False),                                   # short, not in order
    ("Advertisement", False),
    ("* * *", False),                                      # no tokens
])
def test_ceiling_keeps_the_lines_the_truth_supports(line, kept):
    assert (ceiling(line, TRUTH) == line) is kept


def test_ceiling_keeps_lines_in_order():
    text = "Share\nThe quick brown fox jumps\nAdvertisement\nover the lazy dog\nRead more"
    assert ceiling(text, TRUTH) == "The quick brown fox jumps\nover the lazy dog"


def test_gap_closed():
    assert gap_closed(0.9, 0.8, 1.0) == pytest.approx(0.5)
    assert gap_closed(0.7, 0.8, 1.0) == pytest.approx(-0.5)
    assert gap_closed(1.0, 0.8, 1.0) == pytest.approx(1.0)
    assert gap_closed(0.9, 0.8, 0.8) is None
    assert gap_closed(0.9, 0.8, 0.803) is None  # closer than MIN_GAP: noise


# -- HTML inputs ------------------------------------------------------------------


def tree(html: str):
    return parse_html(html)


def test_container_is_the_article_that_holds_the_text():
    root = tree("<body><div><p>menu</p><p>menu</p></div>"
                "<article><h1>Title</h1><div><p>one</p><p>two</p><p>three</p></div></article></body>")
    assert container(root).tag == "article"


def test_container_is_the_longest_article():
    root = tree("<body><article><p>short</p></article><article><p>a much longer text</p></article></body>")
    assert container_text(root) == "a much longer text"


def test_container_skips_teaser_articles_for_the_element_with_most_paragraphs():
    root = tree("<body><div id='story'><p>one</p><p>two</p><p>three</p></div>"
                "<aside><article><p>Teaser one with a long long long headline</p></article></aside></body>")
    assert container(root).get("id") == "story"


def test_container_without_article_has_most_direct_paragraphs():
    root = tree("<body><div id='outer'><p>x</p><div id='inner'><p>a</p><p>b</p><p>c</p></div></div></body>")
    assert container(root).get("id") == "inner"


def test_block_texts_one_chunk_per_block_captions_where_they_stand():
    html = """<body><article>
        <h1>The   Title</h1>
        <div>Loose text <b>in bold</b><p>First <a href='#'>link</a> paragraph.</p>tail text</div>
        <figure><img src='x.jpg'><figcaption>The river at dawn, Monday.</figcaption></figure>
        <ul><li>one</li><li>two <ul><li>nested</li></ul></li></ul>
        <table><tr><td>cell a</td><td>cell b</td></tr></table>
        <script>var x = 1;</script><style>p {}</style><noscript>enable js</noscript>
        <!-- a comment --><p>Last.<br>Line two.</p>
    </article></body>"""
    assert block_texts(container(tree(html))) == [
        "The Title", "Loose text in bold", "First link paragraph.", "tail text",
        "The river at dawn, Monday.", "one", "two", "nested", "cell a cell b", "Last.", "Line two.",
    ]


def test_gold_captions():
    html = """<body>
        <figure class="wp-caption"><img>
            <figcaption class="wp-caption-text">Mayor Ana Ruiz, left, at the levee.</figcaption></figure>
        <div class="image-credit">Photo: Jane Doe / River News Agency</div>
        <span class="credit">Photo: AP</span>
        <h2 id="child-tax-credit">The child tax credit, explained</h2>
        <div id="caption-box"><p>A caption in two</p><p>blocks of its own.</p></div>
        <figcaption>Mayor Ana Ruiz, left, at the levee.</figcaption>
        <div class="captions">""" + "x" * 600 + """</div>
    </body>"""
    assert gold_captions(tree(html)) == [
        "Mayor Ana Ruiz, left, at the levee.",       # the inner figcaption, once
        "Photo: Jane Doe / River News Agency",
        "A caption in two blocks of its own.",
    ]                                                # not: short, heading, over 500 characters


def test_empty_html_gives_empty_inputs():
    assert parse_html("") is None
    assert container_text(None) == "" and gold_captions(None) == []


# -- captions and rules -----------------------------------------------------------


def test_caption_matches():
    gold = "Mayor Ana Ruiz, left, at the levee. Photo: Jane Doe"
    assert caption_matches(gold, "mayor ana ruiz, left, at the levee.")               # inside the gold
    assert caption_matches("Mayor Ana Ruiz, left, at the levee.", gold)               # the gold inside
    assert caption_matches("Mayor Ana Ruiz, left, at the levee", "Mayor Ana Ruiz (left) at the levee")  # tokens
    assert not caption_matches(gold, "Photo: Jane Doe")                               # under 20 characters
    assert not caption_matches(gold, "The levee held on Monday night")


def fake_result(paragraphs: list[str], captions: list[str], removed=()):
    return SimpleNamespace(
        text="\n\n".join(paragraphs),
        paragraphs=[SimpleNamespace(kind="paragraph", text=t) for t in paragraphs],
        captions=[SimpleNamespace(text=t, rule="caption.x") for t in captions],
        removed=[SimpleNamespace(rule=rule, text=t) for rule, t in removed],
    )


def test_caption_record_recall_and_precision():
    gold = ["The river at dawn on Monday morning.", "Volunteers fill sandbags by the bridge.",
            "A caption not in the input at all."]
    source = "Body text.\n\nThe river at dawn on Monday morning.\n\nVolunteers fill sandbags by the bridge."
    result = fake_result(["Body text.", "Volunteers fill sandbags by the bridge."],
                         ["The river at dawn on Monday morning.", "Photo: AP", "Body text."])
    record = caption_record(gold, source, result, truth="Body text. More body.")
    assert (record["gold"], record["present"], record["out_of_body"], record["recovered"]) == (3, 2, 1, 1)
    assert (record["predicted"], record["right"]) == (3, 2)  # "Body text." is in the truth and no caption
    assert record["missed"] == ["Volunteers fill sandbags by the bridge."] and record["wrong"] == ["Body text."]
    summary = caption_summary([record, record])
    assert summary["recall"] == 0.5 and summary["precision"] == pytest.approx(2 / 3)


def test_truth_words_needs_a_whole_line_for_short_pieces():
    truth = TruthWords("Please share this story with friends.\n\nRead more\n\nThe end.")
    assert not truth.holds("Share")                       # a word of a sentence: chance
    assert truth.holds("Read more")                        # a whole line of the truth
    assert truth.holds("share this story with")            # four tokens or more: anywhere
    assert not truth.holds("—")


def test_truth_words_count_copies_against_what_cleaning_left():
    """Taking out the second copy of a paragraph the truth holds once takes nothing of the article."""
    paragraph = "The ferry leaves at nine every morning."
    truth = TruthWords(f"{paragraph}\n\nRead more")
    assert truth.holds(paragraph) and not truth.holds(paragraph, TruthWords(paragraph))
    assert TruthWords(f"{paragraph}\n{paragraph}").holds(paragraph, TruthWords(paragraph))  # the truth's own two
    assert not truth.holds("Read more", TruthWords("Read more")) and truth.holds("Read more", TruthWords("Body"))


def test_rule_tally_counts_and_samples():
    tally = RuleTally()
    result = fake_result(["Body"], ["Photo: AP"], removed=[("share.button", "Share"), ("ads.marker", "Advertisement")])
    tally.add("a", "0001", result, "Body\n\nAdvertisement")
    tally.add("b", "0001", result, "Body")
    table = tally.summary(("a", "b"))
    assert table["share.button"]["fired"] == {"a": 1, "b": 1}
    assert table["ads.marker"]["sampled"] == 2 and table["ads.marker"]["in_truth"] == 0.5
    assert table["caption.x"]["in_truth_all"] == 0.0


# -- systems and a run on a tiny data set -------------------------------------------


ARTICLE = """<html><head><title>Levee holds</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Levee Holds as River Crests</h1><p>Share</p>
<p>The river crested at nine metres on Monday, and the levee held through the night.</p>
<figure><img src="a.jpg">
<figcaption>Volunteers fill sandbags by the bridge on Sunday. Photo: Jane Doe</figcaption></figure>
<p>Advertisement</p>
<p>Officials said the water would fall slowly over the coming week, and roads would reopen.</p>
</article></body></html>"""
TRUTH_TEXT = (
    "Levee Holds as River Crests\n\n"
    "The river crested at nine metres on Monday, and the levee held through the night.\n\n"
    "Officials said the water would fall slowly over the coming week, and roads would reopen."
)


def page(inputs: dict[str, str]) -> Page:
    return Page("0001", Path("unused"), TRUTH_TEXT, ["levee held through the night"], ["Advertisement", "Home"],
                inputs=inputs, gold_captions=gold_captions(parse_html(ARTICLE)))


def test_body_leaves_out_the_title():
    result = fake_result(["Body"], [])
    result.paragraphs.insert(0, SimpleNamespace(kind="title", text="Title"))
    assert body(result) == "Body" and body(result, title=True) == "Title\n\nBody"


def test_evaluate_mode_scores_every_system():
    text = container_text(parse_html(ARTICLE))
    tally = RuleTally()
    report, captions = evaluate_mode([page({"b": text})], "b", text_systems("b"), tally)
    summary = report["summary"]
    assert list(summary) == ["input", "cleaner, rules alone", "cleaner", "cleaner+title", "ceiling"]
    assert summary["ceiling"]["word_f1"] == 1.0
    assert summary["input"]["without_absent"] == 0.5
    assert summary["cleaner"]["without_absent"] == 1.0
    assert summary["cleaner+title"]["word_f1"] > summary["input"]["word_f1"]
    assert report["gap_closed"]["cleaner+title"]["word_f1"] > 0
    assert captions[0]["present"] == 1
    assert "ads.marker" in tally.summary(("b",))
    anatomy = report["anatomy"]
    assert set(anatomy["kinds"]) == {COMMENTS, OUTSIDE, CODE, LONG, MIDDLING, SHORT}
    assert all(gain is None or gain >= 0 for kind in anatomy["kinds"].values() for gain in kind["gain"].values())


def write_data_dir(folder: Path, pages: int = 2) -> Path:
    (folder / "html").mkdir(parents=True)
    (folder / "ground-truth").mkdir()
    for number in range(1, pages + 1):
        name = f"{number:04d}"
        (folder / "html" / f"{name}.html.gz").write_bytes(gzip.compress(ARTICLE.encode()))
        truth = {"url": "https://example.org/levee", "ground_truth": {
            "title": "Levee Holds as River Crests", "main_content": TRUTH_TEXT,
            "with": ["levee held through the night"], "without": ["Advertisement"]}}
        (folder / "ground-truth" / f"{name}.json").write_text(json.dumps(truth))
    return folder


def test_pages_without_main_content_are_left_out(tmp_path):
    data = write_data_dir(tmp_path / "data", pages=3)
    for name, ground_truth in (("0002", {"title": "No text", "main_content": ""}), ("0003", {"title": "No key"})):
        (data / "ground-truth" / f"{name}.json").write_text(json.dumps({"ground_truth": ground_truth}))
    assert [page.id for page in load_pages(data)] == ["0001"]
    assert pages_without_truth(data) == ["0002", "0003"]


def test_pages_with_one_of_their_two_files_are_named(tmp_path, capsys):
    data = write_data_dir(tmp_path / "data", pages=3)
    (data / "html" / "0002.html.gz").unlink()
    (data / "ground-truth" / "0003.json").unlink()
    assert [page.id for page in load_pages(data)] == ["0001"]
    assert unpaired_pages(data) == ["0002", "0003"]
    run(data, modes=("b",), no_cv=True, json_path=tmp_path / "out.json")
    assert "Left out, one of their two files missing (HTML or ground truth): 0002, 0003." in capsys.readouterr().out


def test_run_on_a_tiny_data_set_builds_once_and_writes_json(tmp_path, capsys):
    data = write_data_dir(tmp_path / "data")
    assert [p.id for p in load_pages(data, limit=1)] == ["0001"]
    report = run(data, json_path=tmp_path / "first.json")
    printed = capsys.readouterr().out
    assert "WCXB" in printed and "CC-BY-4.0" in printed and "| b: article container text |" in printed
    assert "### Where the rest of the gap is" in printed and "readers' comments that trafilatura appended" not in printed
    assert report["meta"]["built"] == 2 and report["meta"]["pages"] == 2
    saved = json.loads((tmp_path / "first.json").read_text())
    assert set(saved["modes"]) == {"a", "b", "html"} and len(saved["modes"]["b"]["pages"]) == 2
    assert set(saved["modes"]["b"]["pages"][0]["kept_residue_words"]) == set(saved["modes"]["b"]["anatomy"]["kinds"])
    assert saved["captions"]["present"] == 2
    again = run(data, json_path=tmp_path / "second.json")
    assert again["meta"]["built"] == 0
    assert again["modes"]["b"]["summary"] == report["modes"]["b"]["summary"]


def test_command_line(tmp_path, capsys):
    data = write_data_dir(tmp_path / "data", pages=1)
    with pytest.raises(SystemExit) as exited:
        main(["--data", str(data), "--modes", "b", "--json", str(tmp_path / "out.json")])
    assert exited.value.code == 0
    assert json.loads((tmp_path / "out.json").read_text())["meta"]["modes"] == ["b"]
    assert "a: trafilatura" not in capsys.readouterr().out


@pytest.mark.parametrize("args, error", [
    (["--modes", "x"], "Invalid value for '--modes': 'x': choose among a, b, html"),
    (["--modes", ","], "Invalid value for '--modes': none given"),
    (["--limit", "-3"], "Invalid value for '--limit': -3 is not in the range x>=1"),
])
def test_command_line_refuses_unknown_modes_and_limits_below_one(tmp_path, capsys, args, error):
    """A usage error, before anything is built or the last report is replaced."""
    with pytest.raises(SystemExit) as exited:
        main(["--json", str(tmp_path / "out.json"), *args])
    assert exited.value.code == 2 and error in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("name, content, message", [
    ("ground-truth/0002.json", b"[1]", "ground-truth/0002.json: not a ground-truth file"),
    ("ground-truth/0002.json", b'{"ground_truth": {"main_content": 5}}', "ground_truth.main_content must be a string"),
    ("ground-truth/0002.json", b'{"ground_truth": {"main_content": "x", "with": "a phrase"}}',
     "ground_truth.with must be a list of strings"),
    ("ground-truth/0002.json", b"{not json", "ground-truth/0002.json: cannot read the ground truth"),
    ("ground-truth/0002.json", b"[" * 5000 + b"]" * 5000,
     "ground-truth/0002.json: cannot read the ground truth: arrays or objects nested deeper than 100 levels"),
    ("html/0002.html.gz", gzip.compress(ARTICLE.encode())[:40], "html/0002.html.gz: cannot read the page"),
])
def test_a_page_that_cannot_be_read_is_named_and_exits_2(tmp_path, capsys, name, content, message):
    """Not a traceback (or click's "Aborted!" for a gzip file cut short), and not scored letter by letter."""
    data = write_data_dir(tmp_path / "data")
    (data / name).write_bytes(content)
    with pytest.raises(SystemExit) as exited:
        main(["--data", str(data), "--modes", "b", "--no-cv", "--json", str(tmp_path / "out.json")])
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_a_page_changed_in_place_is_built_again(tmp_path):
    data = write_data_dir(tmp_path / "data", pages=1)
    first = run(data, modes=("b",), json_path=tmp_path / "first.json", no_cv=True)
    (data / "html" / "0001.html.gz").write_bytes(gzip.compress(ARTICLE.replace("levee", "dyke").encode()))
    again = run(data, modes=("b",), json_path=tmp_path / "second.json", no_cv=True)
    assert first["meta"]["built"] == again["meta"]["built"] == 1


def test_run_refuses_an_empty_data_dir(tmp_path):
    with pytest.raises(FileNotFoundError):
        run(tmp_path, json_path=tmp_path / "out.json")


@pytest.mark.devdata
@pytest.mark.skipif(not DEV_ARTICLES.exists(),
                    reason=f"{DEV_ARTICLES} is absent (../shared is only beside the project on our machines)")
def test_run_on_five_development_pages(tmp_path):
    report = run(limit=5, json_path=tmp_path / "latest.json")
    assert report["meta"]["pages"] == 5
    for mode in ("a", "b"):
        for scores in report["modes"][mode]["summary"].values():
            assert all(0.0 <= value <= 1.0 for value in scores.values())
    assert json.loads((tmp_path / "latest.json").read_text())["meta"]["pages"] == 5


# -- where the rest of the gap is -------------------------------------------------

CONTENT_LINES = [
    "The river crested at nine metres on Tuesday night and the levee held, engineers said after walking its length at dawn.",
    "Crews had stacked sandbags along the low stretch by the mill for three days, and volunteers brought food to every shift.",
    "The mayor said the town would pay for a survey of the embankment before the autumn rains, and residents cheered the news.",
]
RESIDUE_LINES = {
    "Subscribe to our evening briefing for flood news from every town along the valley.": MIDDLING,
    "Share": SHORT,
    "if (level > limit) {": CODE,
    "Our reporters have covered the valley for forty years, from the great flood of the old days to the new dams upstream, and they "
    "answer readers' questions in the paper every week.": LONG,
}


def anatomy_input(extra: list[str] = ()) -> tuple[str, SimpleNamespace]:
    """A text of a title, content lines, the residue lines and ``extra`` lines, and a result keeping all but the title."""
    lines = ["Levee Holds", *CONTENT_LINES, *RESIDUE_LINES, *extra]
    text = "\n\n".join(lines)
    spans, offset = [], 0
    for line in lines:
        spans.append((offset, offset + len(line)))
        offset += len(line) + 2
    paragraphs = [SimpleNamespace(kind="title" if i == 0 else "paragraph", spans=[span]) for i, span in enumerate(spans)]
    return text, SimpleNamespace(paragraphs=paragraphs)


def test_kept_residue_falls_in_one_kind_per_line():
    text, result = anatomy_input()
    lines = input_lines(text, result, "\n".join(CONTENT_LINES))
    assert [line.kept for line in lines] == [False] + [True] * 7
    assert {line.text: line.kind for line in lines if line.kind} == RESIDUE_LINES
    assert all(line.content and line.kind is None for line in lines[1:4])
    texts = texts_by_kind(lines)
    assert "Share" not in texts[SHORT].split("\n") and "Share" in texts[KEPT].split("\n")
    assert texts[COMMENTS] == texts[KEPT]
    assert residue_words(lines)[SHORT] == 1


def test_comments_and_pages_mostly_outside_the_truth_are_kinds_of_their_own():
    comment = "Thanks for this, my street flooded twice and nobody came to help us at all."
    text, result = anatomy_input([comment])
    lines = input_lines(text, result, "\n".join(CONTENT_LINES), comments_start=text.index(comment))
    assert lines[-1].kind == COMMENTS
    outside = input_lines(text, result, CONTENT_LINES[0])
    assert {line.kind for line in outside if line.kept and not line.content} == {OUTSIDE}
