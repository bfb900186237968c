"""The learned model: its file, its decisions with their reasons, its guards, and --no-model."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from cleaner import clean
from cleaner.cli import cli
from cleaner.model import SHIPPED_MODEL, CommentModel, Model, ModelError, load_model

from .conftest import check_invariants

PARAGRAPH = "The council met on Tuesday and approved the new budget for the coming year after a long debate."
TEASER = "Ten gadgets our editors loved this month"
ARTICLE = f"Council Approves Budget\n\n{PARAGRAPH}\n\n{TEASER}\n\n{PARAGRAPH.replace('Tuesday', 'Friday')}\n"


def write_model(tmp_path, weights: dict[str, float], **fields) -> str:
    """A model file that flags blocks by the given feature weights (bias -5: nothing else)."""
    model = Model(weights, fields.get("bias", -5.0), fields.get("threshold", 0.8), fields.get("max_share", 0.5))
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    return str(path)


def test_the_shipped_model_is_a_small_readable_file():
    assert SHIPPED_MODEL.stat().st_size < 1_000_000
    data = json.loads(SHIPPED_MODEL.read_text(encoding="utf-8"))
    assert data["format"] == "cleaner-linear-v2" and data["weights"]
    model = load_model()
    assert 0.5 <= model.threshold < 1 and 0 < model.max_share <= 1
    assert all(isinstance(weight, float) for weight in model.weights.values())


def test_a_model_survives_its_own_file_format():
    model = Model({"w:gadgets": 2.5, "len:5": -0.25}, -1.0, 0.7, 0.3, {1: 0.5, 3: 1.25}, {"seed": 0})
    assert Model.from_dict(json.loads(json.dumps(model.to_dict()))) == model


@pytest.mark.parametrize("content, message", [
    ("{not json", "line 1: not JSON"),
    ('{"format": "something-else"}', "not a cleaner model"),
    ('{"format": "cleaner-linear-v2", "bias": 0}', "malformed model"),
    ('{"format": "cleaner-linear-v1", "bias": 0}', "a model of an older cleaner, whose features differ: rebuild it"),
    ("[" * 100_000 + "]" * 100_000, "not a cleaner model: arrays or objects nested too deeply"),
    ('{"bias": ' + "9" * 5000 + "}", r"not a cleaner model: Exceeds the limit \(4300 digits\)"),
    (b"\xff\xfe{}", "not a cleaner model: invalid UTF-8 at byte offset 0"),
])
def test_a_bad_model_file_is_named_in_the_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ModelError, match=message) as caught:
        load_model(str(path))
    assert str(path) in str(caught.value)


def test_a_deeply_nested_model_file_is_refused_before_a_parser_recurses(tmp_path, deep_stack_collections):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(ModelError, match="nested too deeply"):
        load_model(str(path))
    assert deep_stack_collections == []


def test_a_model_file_that_is_not_there_fails_on_the_first_text(tmp_path):
    """Not only on the first text long enough for the model, as a short one never needs it."""
    with pytest.raises(ModelError, match="cannot read the model"):
        clean("A short note.", model=str(tmp_path / "absent.json"))


@pytest.mark.parametrize("change, message", [
    ({"threshold": 1.0}, "threshold must be a finite number between 0 and 1, not 1.0"),
    ({"threshold": 0}, "threshold must be a finite number between 0 and 1, not 0"),
    ({"bias": float("inf")}, "bias must be a finite number, not inf"),
    ({"bias": 10**400}, "int too large to convert to float"),
    ({"max_share": -1}, "max_share must be a finite number above 0, not -1"),
    ({"weights": {"w:gadgets": float("nan")}}, "weights must be finite numbers"),
])
def test_a_hand_edited_model_with_numbers_out_of_range_is_refused(change, message):
    """A threshold of 1 divided by zero on the first long text; NaN weights switched the model off
    in silence; an infinite bias removed every block."""
    model = Model({"w:gadgets": 2.5}, -1.0, 0.7, 0.3).to_dict()
    with pytest.raises(ModelError, match=re.escape(message)):
        Model.from_dict(model | change, "edited.json")


def test_the_model_removes_a_block_and_says_why(tmp_path):
    model = write_model(tmp_path, {"w:gadgets": 10.0})
    result = clean(ARTICLE, model=model)
    removed = [r for r in result.removed if r.rule == "model"]
    assert [r.text for r in removed] == [TEASER]
    assert removed[0].reason.startswith("model score 0.99") and "w:gadgets +10.00" in removed[0].reason
    assert TEASER not in result.text and PARAGRAPH in result.text
    check_invariants(ARTICLE, result)


def test_rules_alone_without_the_model(tmp_path):
    model = write_model(tmp_path, {"w:gadgets": 10.0})
    result = clean(ARTICLE, model=model, use_model=False)
    assert TEASER in result.text and not [r for r in result.removed if r.rule == "model"]


def test_the_model_spares_the_headline_and_big_blocks(tmp_path):
    model = write_model(tmp_path, {"w:council": 10.0, "w:budget": 10.0}, max_share=0.3)
    result = clean(ARTICLE, model=model)
    assert result.paragraphs[0].kind == "title" and result.paragraphs[0].text == "Council Approves Budget"
    assert PARAGRAPH in result.text  # each paragraph holds 39% of the words: above max_share
    assert not [r for r in result.removed if r.rule == "model"]


def test_the_model_leaves_lines_of_a_hard_wrapped_paragraph(tmp_path):
    lines = [
        "The harbour authority said on Monday that the old pier would be closed to",
        "walkers and anglers for most of the summer while engineers replace rotten",
        "beams under the deck, and that the ferry would use the east landing meanwhile.",
    ]
    text = "Pier Closed for Repairs\n\n" + "\n".join(lines * 2) + "\n"
    model = write_model(tmp_path, {"w:anglers": 10.0}, max_share=1.0)
    result = clean(text, model=model)
    assert not [r for r in result.removed if r.rule == "model"]


def test_the_model_leaves_the_fences_of_a_code_block(tmp_path):
    text = f"Council Approves Budget\n\n{PARAGRAPH}\n\n```python\nbudget = approve()\n```\n\n{TEASER}\n\n{PARAGRAPH}\n"
    knows_the_teaser = {f"w:{word}": 0.0 for word in TEASER.lower().split()}  # a long line in unknown words stays
    result = clean(text, model=write_model(tmp_path, knows_the_teaser, bias=10.0, max_share=1.0))  # flags every block
    assert result.text.count("```") == 2 and TEASER not in result.text


def test_a_caption_the_model_would_remove_stays_a_caption(tmp_path):
    caption = "Crowds gather outside the town hall, left, during the vote on Tuesday"
    text = f"Council Approves Budget\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n\n{caption}\n"
    model = write_model(tmp_path, {"w:crowds": 10.0})
    result = clean(text, model=model)
    assert [c.text for c in result.captions] == [caption]


def test_cli_no_model_and_model_options(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    model = write_model(tmp_path, {"w:gadgets": 10.0})
    runner = CliRunner()
    with_model = runner.invoke(cli, ["clean", "--explain", "--model", model, str(article)])
    assert with_model.exit_code == 0 and TEASER not in with_model.stdout
    assert f"removed model: {TEASER!r}" in with_model.stderr and "(model score 0.99" in with_model.stderr
    without = runner.invoke(cli, ["clean", "--no-model", "--model", model, str(article)])
    assert without.exit_code == 0 and TEASER in without.stdout


def test_cli_refuses_a_missing_model_file(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", "--model", str(tmp_path / "nope.json"), str(article)])
    assert result.exit_code == 2 and "nope.json: cannot read the model" in result.stderr


def test_the_fast_scorer_sums_the_same_weights_as_the_feature_names():
    from cleaner.blocks import cut_blocks
    from cleaner.decide import decide_by_rules
    from cleaner.features import Document
    from cleaner.rules import rule_set

    from .conftest import FIXTURES

    model, rules = load_model(), rule_set(None, frozenset())
    for path in sorted(FIXTURES.glob("*.txt")):
        document = Document(decide_by_rules(cut_blocks(path.read_text(encoding="utf-8")), rules))
        evidence = model.scorer.without_words(document)
        for index in range(document.total):
            assert model.scorer.score(document, index, evidence[index]) == pytest.approx(
                model.score(document.names(index)), abs=1e-12)


def test_a_word_pair_is_weighed_when_a_word_holds_an_underscore():
    """Pair features join two words with "_", and a word may hold one ("snake_case"): the
    scorer finds the pair's weight whichever "_" joins the two words."""
    from cleaner.model import WordWeights

    weights = WordWeights({"pair:snake_case_names": 2.0, "pair:read_more": 1.0})
    assert weights.total(["snake_case", "names"]) == 2.0
    assert weights.total(["snake", "case_names"]) == 2.0
    assert weights.total(["read", "more", "snake_case"]) == 1.0
    assert weights.total(["snake_case_names"]) == 0.0


def test_the_cascade_never_skips_a_block_the_full_score_would_remove():
    """On every kept block of the fixtures, the shipped model's word ceilings hold:
    a block the cascade leaves unread scores below the threshold when its words are read."""
    from cleaner.blocks import cut_blocks
    from cleaner.decide import Action, decide_by_rules
    from cleaner.features import Document
    from cleaner.rules import rule_set

    from .conftest import FIXTURES

    model, rules = load_model(), rule_set(None, frozenset())
    unread = 0
    for path in sorted(FIXTURES.glob("*.txt")):
        document = Document(decide_by_rules(cut_blocks(path.read_text(encoding="utf-8")), rules))
        evidence = model.scorer.without_words(document)
        for index, decision in enumerate(document.decisions):
            if decision.action is Action.KEEP and model.beyond_words(evidence[index], document.word_counts[index]):
                unread += 1
                assert model.scorer.score(document, index, evidence[index]) < model.threshold
    assert unread > 0


@pytest.mark.parametrize("last, removed", [
    ("The council will vote on the budget again on Friday, after the debate.", True),   # words it knows
    ("Rada miasta zagłosuje nad budżetem ponownie w piątek, po debacie.", False),       # Polish: none
    ("市议会将于周五再次就预算进行表决，辩论之后公布结果。", False),                     # Chinese: none
    ("Zagłosuj w ankiecie!", True),                                                    # short: a button
])
def test_the_model_removes_no_long_line_on_its_place_alone(tmp_path, last, removed):
    """A model that flags whatever follows an ad marker: a paragraph in a language it has no
    word weights for (the article's last, after an ad) stays; a line in words it knows, or a
    short one, goes."""
    words = {f"w:{word}": 0.01 for word in "the council will vote on budget again friday after debate".split()}
    model = write_model(tmp_path, {"after:ads": 10.0, **words})
    text = f"Council Approves Budget\n\n{PARAGRAPH}\n\n{PARAGRAPH.replace('Tuesday', 'Monday')}\n\nAdvertisement\n\n{last}\n"
    result = clean(text, model=model)
    assert (last not in result.text) is removed
    assert [r.rule for r in result.removed] == ["ads.marker", *(["model"] if removed else [])]


def test_a_block_beyond_its_word_ceiling_is_kept_unread(tmp_path):
    """The ceilings are the model's own claim: with a ceiling below what the teaser's words add,
    the teaser is not read, so not removed."""
    weights = {"w:gadgets": 10.0}
    assert TEASER not in clean(ARTICLE, model=write_model(tmp_path, weights)).text
    model = Model(weights, -5.0, 0.8, 0.5, {size: 1.0 for size in range(12)})
    (tmp_path / "capped.json").write_text(json.dumps(model.to_dict()), encoding="utf-8")
    assert TEASER in clean(ARTICLE, model=str(tmp_path / "capped.json")).text


def test_a_document_for_scoring_skips_only_shapes_no_kept_block_reads():
    from cleaner.blocks import cut_blocks
    from cleaner.decide import Action, decide_by_rules
    from cleaner.features import Document
    from cleaner.rules import rule_set

    from .conftest import FIXTURES

    rules, skipped = rule_set(None, frozenset()), 0
    for path in sorted(FIXTURES.glob("*.txt")):
        decisions = decide_by_rules(cut_blocks(path.read_text(encoding="utf-8")), rules)
        full, scoring = Document(decisions), Document(decisions, kept_only=True)
        assert scoring.word_counts == full.word_counts
        for index, decision in enumerate(decisions):
            if decision.action is Action.KEEP:
                assert scoring.names(index) == full.names(index)
        skipped += sum(shape != shape_full for shape, shape_full in zip(scoring.shapes, full.shapes))
    assert skipped > 0


# -- the comment model: readers' comments that end a text ---------------------------------

ARTICLE_LINES = [f"The {topic} committee met on Monday and agreed to publish its report on the {topic} in June."
                 for topic in ("harbour", "library", "railway", "orchard", "bridge", "stadium", "market", "museum")]
COMMENT_LINES = ["Thanks so much for writing this, it was lovely to read about the work of every volunteer!",
                 "Great post, thank you! Could you share where the report will be published next summer?",
                 "Thanks, this is wonderful news for our town and I hope the other towns will follow soon.",
                 "Love it, thank you for sharing! We are going to tell our neighbours about this next week."]


def comment_model(**fields) -> CommentModel:
    """A comment model that reads "thanks", "thank" and "love" as comments."""
    return CommentModel({"w:thanks": 4.0, "w:thank": 4.0, "w:love": 4.0}, -2.0, **fields)


def test_a_run_of_comments_stands_out_from_the_article_above():
    scores = [-2.0, -2.5, -1.5, -2.0, -2.2, -1.8, -2.1, 1.5, 1.2, 2.0, 1.6]
    run = comment_model().find(scores, [12] * len(scores))
    assert run is not None and run.start == 7 and run.mean > run.above and run.contrast >= 4.0
    assert "the last 4 blocks read as comments" in run.reason(4)


@pytest.mark.parametrize("scores, words, why", [
    ([-2.0] * 7 + [1.5, 1.2, 2.0], [12] * 10, "a run of three is too short"),
    ([-2.0] * 7 + [1.5, 1.2, 2.0, 1.6], [12] * 7 + [3] * 4, "comments of three words are list items"),
    ([-2.0] * 7 + [0.5, 1.2, 2.0, 1.6], [12] * 11, "the first block of a run must read as a comment itself"),
    ([-2.0, 1.0, -2.0, 1.0, -2.0, 1.0, -2.0, 1.5, -1.0, 1.2, -1.0], [12] * 11, "no contrast with the blocks above"),
    ([2.0] * 4 + [1.5, 1.2, 2.0, 1.6], [12] * 8, "too few article blocks above"),
])
def test_no_run_of_comments(scores, words, why):
    assert comment_model().find(scores, words) is None, why


def test_the_comment_model_removes_the_comments_that_end_a_text(tmp_path):
    model = Model({}, -5.0, 0.8, 0.5, comments=comment_model())
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    assert Model.from_dict(json.loads(path.read_text(encoding="utf-8"))) == model
    text = "Committee Report\n\n" + "\n\n".join(ARTICLE_LINES + COMMENT_LINES) + "\n"
    result = clean(text, model=str(path))
    # the readers' praise ("Thanks so much for writing this", "Great post") is a rule's; the model
    # finds the thread from it: the first of its comments is a hole the rule left, not an end
    rule = {piece.text: piece.rule for piece in result.removed}
    assert [rule[line] for line in COMMENT_LINES] == ["comments.reader_praise"] * 2 + ["model.comments"] * 2
    removed = [piece for piece in result.removed if piece.rule == "model.comments"]
    assert all("read as comments" in piece.reason and 0.5 < piece.score <= 1 for piece in removed)
    assert all(line in result.text for line in ARTICLE_LINES) and "Thanks" not in result.text
    check_invariants(text, result)
    assert clean(text, model=str(path), use_model=False).text.endswith(COMMENT_LINES[-1])
    assert clean(text, model=str(path), appended_comments=False).text.endswith(COMMENT_LINES[-1])
    for disabled in ({"model.comments"}, {"model"}):
        assert clean(text, model=str(path), disabled=disabled).text.endswith(COMMENT_LINES[-1]), disabled


def test_a_model_file_without_a_comment_model_finds_no_comments(tmp_path):
    path = write_model(tmp_path, {})
    text = "Committee Report\n\n" + "\n\n".join(ARTICLE_LINES + COMMENT_LINES) + "\n"
    assert load_model(path).comments is None
    assert not [piece for piece in clean(text, model=path).removed if piece.rule == "model.comments"]


def test_comments_are_looked_for_only_when_the_text_ends_in_blocks_that_read_as_comments(tmp_path):
    text = "Committee Report\n\n" + "\n\n".join(ARTICLE_LINES + COMMENT_LINES) + "\n"
    for rough_level, tail_level, found in ((-1.0, 0.0, True), (3.0, 0.0, False), (-1.0, 3.0, False)):
        model = Model({}, -5.0, 0.8, 0.5,
                      comments=comment_model(tail_blocks=4, tail_level=tail_level, rough_level=rough_level))
        path = tmp_path / f"model-{rough_level}-{tail_level}.json"
        path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
        removed = [piece for piece in clean(text, model=str(path)).removed if piece.rule == "model.comments"]
        assert bool(removed) is found


@pytest.mark.parametrize("flagged, kept", [(2, True), (5, False)])
def test_the_model_takes_a_list_whole_or_leaves_it(tmp_path, flagged, kept):
    """A list of short lines (a table's column, a menu): two picked out of eight are the model's
    noise and stay; five of eight make it a list of residue, and those five go as scored."""
    model = write_model(tmp_path, {"w:gadgets": 10.0})
    items = [f"Gadgets {n}" if n < flagged else f"Harbour {n}" for n in range(8)]
    text = "\n\n".join(["Council Approves Budget", PARAGRAPH, *items, PARAGRAPH.replace("Tuesday", "Friday")]) + "\n"
    result = clean(text, model=model)
    taken = [r.text for r in result.removed if r.rule == "model"]
    assert taken == ([] if kept else items[:flagged])
    assert all(item in result.text for item in items[flagged:])
