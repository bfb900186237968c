"""Each stage alone, on hand-built inputs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import Options, clean
from cleaner.blocks import cut_blocks, is_prose, joins_without_space, wrap_width
from cleaner.captions import (announced_pictures, caption_verdict, credited_name, is_caption_toggle, credited_outlet, describes_credited_picture, echoes_next, is_slide_controls, has_credit_tail, has_stop_credit, is_studio_credit,
                              is_short_sentence, names_a_scene, shared_names)
from cleaner.kinds import kind_of
from cleaner.pieces import LineIndex, Paragraph

WRAPPED = (
    "The council met on Monday evening to debate the new budget for the\n"
    "coming year, which includes money for the bridge and for a new school\n"
    "building on the east side of town, a plan long promised by the mayor.\n"
    "\n"
    "Critics said the plan relied too heavily on a one-time grant from the\n"
    "state, and that the town would struggle to pay for maintenance.\n"
)


def test_blocks_carry_offsets_and_blank_line_gaps():
    text = "  Share \r\n\r\nTitle\nbody line\n"
    blocks = cut_blocks(text)
    assert [(b.text, b.gap_before) for b in blocks] == [("Share", True), ("Title", True), ("body line", False)]
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_wrap_width_is_found_for_hard_wrapped_text_only():
    assert 60 <= wrap_width(cut_blocks(WRAPPED)) <= 75
    one_per_line = "\n".join(f"Sentence number {i} is a whole paragraph on its own line." for i in range(10))
    assert wrap_width(cut_blocks(one_per_line)) == 0


def test_hard_wrapped_paragraphs_are_joined_and_boundaries_kept():
    result = clean(WRAPPED)
    assert [p.joins for p in result.paragraphs] == [["rejoin.wrap", "rejoin.wrap"], ["rejoin.wrap"]]
    assert result.paragraphs[0].text.endswith("for the coming year, which includes money for the bridge and for a new "
                                              "school building on the east side of town, a plan long promised by the mayor.")
    assert len(result.paragraphs[0].spans) == 1


def test_hyphenated_word_is_repaired_and_the_hyphen_is_a_removed_piece():
    text = WRAPPED.replace("new school\nbuilding", "new school build-\ning")
    result = clean(text)
    assert "school building on" in result.text
    hyphen = [r for r in result.removed if r.rule == "rejoin.hyphen"]
    assert len(hyphen) == 1 and text[hyphen[0].spans[0][0]] == "-"


VERSE = (
    "The Ferryman\n\nHe rows the river\nthe way the old men did,\nslow, and slow, and slow,\nand home.\n\n"
    "The water keeps\nno record of the crossing,\nand neither does he.\n"
)


def test_verse_is_not_taken_for_hard_wrapped_prose():
    """Lines ended by their writer (well short of any width, the next word would have fitted)."""
    assert wrap_width(cut_blocks(VERSE)) == 0
    result = clean(VERSE)
    assert [p.text for p in result.paragraphs][1:4] == ["He rows the river", "the way the old men did,",
                                                       "slow, and slow, and slow,"]
    assert not any(p.joins for p in result.paragraphs)


def test_lines_of_addresses_and_results_are_not_joined():
    text = ("Weekend in the Hills\n\nThe valley has two museums worth a detour on a rainy afternoon.\n\n"
            "Mill Museum\nOld Mill Lane 4\nOpen daily 10:00-17:00\nAdults 8 euros, children free\n\n"
            "Results\nHillside 2-1 Eastfield\nRiverton United 0-0 Oakbridge Rovers\nMarsh Town 3-3 Westbury\n")
    assert wrap_width(cut_blocks(text)) == 0
    assert not any(p.joins for p in clean(text).paragraphs)


@pytest.mark.parametrize("lines", [
    ["Create the folder and enter it:", "mkdir garden", "cd garden"],
    ["Then start the server and look at its first lines of output:",
     "git clone https://git.example.org/garden/planner.git", "cd planner"],
    ["You will need:", "water", "a map", "a warm layer"],
    ["The script opens with its imports:", "import os", "import sys", "from pathlib import Path"],
])
def test_code_and_short_list_lines_are_not_joined_as_broken_sentences(lines):
    """Lines of code in a row are one block of code, its lines kept as lines."""
    for separator in ("\n", "\n\n"):
        result = clean("Notes for the Weekend Walk\n\n" + separator.join(lines) + "\n")
        assert [line for p in result.paragraphs[1:] for line in p.text.split("\n")] == lines
        assert all(join == "rejoin.code" for p in result.paragraphs for join in p.joins)


def test_a_sentence_broken_by_a_stray_break_is_still_rejoined():
    text = ("Harbour Rules\n\nThe committee said on Monday that the new rules for the harbour, agreed after a long "
            "debate, would take effect\n\nnext spring.\n")
    assert clean(text).paragraphs[1].joins == ["rejoin.split"]


@pytest.mark.parametrize("broken, joined", [
    ("the Corona-\nPandemie", "the Corona-Pandemie"),        # a capital after the hyphen: a compound
    ("a well-\njudged", "a well-judged"),                    # a first part that keeps its hyphen
    ("on twenty-\nfive", "on twenty-five"),
    ("more infor-\nmation", "more information"),             # a typesetter's hyphen: repaired
    ("the sea-\nwall, and the sea-wall", "the sea-wall, and the sea-wall"),  # the text spells it with one
    ("the well-\nbeing, the wellbeing", "the wellbeing, the wellbeing"),      # the text spells it whole
])
def test_a_hyphen_at_a_line_break_is_kept_in_compounds_and_repaired_in_words(broken, joined):
    text = WRAPPED.replace("new school\nbuilding", f"new school {broken}\nbuilding")
    result = clean(text)
    assert f"school {joined} building" in result.text
    dropped = [r for r in result.removed if r.rule == "rejoin.hyphen"]
    assert len(dropped) == (joined.count("-") < broken.count("-"))


BOOK = """    The keeper climbed the stairs at dusk, as he had done every evening for
thirty years, and lit the lamp before the first fishing boats came round the
point. His daughter kept the log in a small hand on the table below.
    In the morning he slept until ten, and then he walked to the village for
bread and for the letters that came twice a week on the boat from the mainland.
"""
MAIL = """On Monday, Ruth Pell wrote:
> The harbour board met on Friday and agreed to keep the old crane for one
> more season, although the engineers had asked for it to be taken down
> before the winter storms arrive on this part of the coast.
>
> The vote was close, and the chair said the question would come back in
> the spring, when the survey of the quay wall is finished and costed.
"""
URL = """The full timetable for the winter months, with every change to the late
sailings, is at
https://ferry.example.org/timetable?route=estuary&season=winter&lang=en and on
the notice board by the slip, where it is updated every Monday morning.
"""


@pytest.mark.parametrize("text, paragraphs", [
    (BOOK, 2),                                  # indented first lines count in the line's length
    (BOOK.replace("    ", "\t"), 2),
    (MAIL, 2),                                  # quoted lines of a reply; "> " alone is the quote's blank line
    (URL, 1),                                   # a short line before a long web address was broken by the wrapper
    (textwrap.fill(" ".join(["The quay wall was rebuilt in stone after the storm of the winter before,"] * 6), 26), 1),
    ("".join(f"{chunk}\n" for chunk in textwrap.wrap("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志。" * 4, 20)), 1),
])
def test_hard_wrapped_text_of_every_kind_is_rejoined(text, paragraphs):
    result = clean(text)
    body = [p for p in result.paragraphs if p.text not in (">", "On Monday, Ruth Pell wrote:")]
    assert len(body) == paragraphs, [p.text for p in result.paragraphs]
    assert all(join == "rejoin.wrap" for p in body for join in p.joins)
    assert "图书馆 的" not in result.text and "馆 的" not in result.text


def test_proportional_lines_of_a_pdf_are_rejoined():
    """Lines end up to a tenth of the width early: the next word may just have fitted in characters."""
    lines = ["Researchers counting the birds on the island found that most pairs",
             "nested on the cliffs facing away from the wind, and that the few",
             "pairs on the sheltered side raised fewer chicks than in earlier",
             "years, which surprised the team that has watched them since 1990.",
             "The reasons are not clear, the team wrote in its yearly report."]
    result = clean("\n".join(lines) + "\n")
    assert len(result.paragraphs) == 1 and result.paragraphs[0].joins == ["rejoin.wrap"] * 4


@pytest.mark.parametrize("broken, joined", [("high-\nly", "highly"), ("cross-\ning", "crossing"),
                                            ("short-\nly", "shortly"), ("far-\nther", "farther")])
def test_a_typesetters_hyphen_after_a_compound_head_is_repaired(broken, joined):
    text = WRAPPED.replace("new school\nbuilding", f"new school {broken}\nbuilding")
    assert f"school {joined} building" in clean(text).text


@pytest.mark.parametrize("first, second", [
    ("1. Stir the oats into the warm milk and leave the pot to stand for", "20 minutes."),
    ("If the command is not found, check that the tool is installed on your", "PATH."),
    ("Der Antrag liegt seit dem Frühjahr beim Bauamt der Stadt und", "Bürgermeisterin Ruth Lang will ihn im Mai vorlegen."),
])
def test_a_line_that_ends_in_a_function_word_runs_on_whatever_follows(first, second):
    result = clean(f"Notes for the Weekend\n\n{first}\n{second}\n")
    assert result.paragraphs[1].text == f"{first} {second}" and result.paragraphs[1].joins == ["rejoin.split"]


def test_a_function_word_before_residue_runs_on_past_it():
    text = ("Heimfahrt\n\nNach dem Spiel fuhren die Fans gemeinsam mit dem\nAnzeige\n"
            "Zug zurück nach Hause, wo sie bis spät in die Nacht feierten.\n")
    result = clean(text)
    assert "gemeinsam mit dem Zug zurück" in result.text and [r.rule for r in result.removed] == ["ads.marker"]


def test_a_german_sentence_broken_by_an_ad_before_a_noun_runs_on():
    """German writes nouns with a capital: after residue, "... auf bezahlbare" / "Wohnungen ..."
    stayed two paragraphs. A caption over its credit, and English, stay apart."""
    split = ("Wohnungsbau\n\nDie Opposition reagierte scharf. Die Sprecherin nannte den Entwurf einen Rückschritt für "
             "alle, die seit Jahren auf bezahlbare\n\nAnzeige\n\nWohnungen in den Städten warten.\n")
    assert "auf bezahlbare Wohnungen in den Städten warten." in clean(split).text
    caption = ("Wohnungsbau\n\nDie Zahl der Anträge ist seit dem Frühjahr gestiegen, und die Stadt will mehr bauen.\n\n"
               "Baustelle am Stadtrand: Die Zahl der Genehmigungen ist stark gesunken\n\nFoto: Jan Berg / dpa\n\n"
               "Auch in den Gemeinden wächst der Unmut über die Pläne des Bundes.\n")
    assert "gesunken Auch" not in clean(caption).text
    english = ("Harbour Plans\n\nThe council met again. It said the plan was good for everyone living near the water\n\n"
               "Advertisement\n\nHarbour Board members will vote on it on Friday.\n")
    assert "near the water\n\nHarbour Board" in clean(english).text


def test_a_hard_wrapped_chinese_number_or_time_is_joined_without_a_space():
    """A wrap inside a Chinese or Japanese line may fall between two digits, or between a
    character and a digit: the line's last word and the next line's first word are both of a
    script written without spaces, so no space comes between ("2 00公顷" broke the number)."""
    paragraph = "图书馆的新阅览室今天正式开放，面积达到1250平方米，每天上午9时开门。" * 4
    lines = [paragraph[at:at + 20] for at in range(0, len(paragraph), 20)]
    assert lines[0].endswith("达到1") and lines[1].startswith("250")
    result = clean("\n".join(lines) + "\n")
    assert [p.text for p in result.paragraphs] == [paragraph]
    mixed = "The old library moved to 東京\n\nAdvertisement\n\nin the spring of that year, with all of its books.\n"
    assert joins_without_space("to 東京", "in the spring") is False
    assert joins_without_space("午前", "9時") and joins_without_space("达到1", "250平方米")
    assert "東京 in" in clean(mixed).text


@pytest.mark.parametrize("text, prose", [
    ("The reading room opened today, and readers came in before nine.", False),   # 64 letters: a short line
    ("The new reading room of the city library opened today, and readers came in before nine.", True),
    ("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志，馆长说读者很多。", False),  # 38 characters
    ("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志，馆长说每天的读者很多。", True),  # 41, as wide as 82
    ("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志，馆长说每天的读者很多", False),  # no sentence end
])
def test_prose_is_measured_by_how_wide_it_is_written(text, prose):
    assert is_prose(text) is prose


@pytest.mark.parametrize("first, second", [
    ("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志，馆长说，新阅览室每天接待的读者", "超过五百人。"),
    ("图书馆的新阅览室今天正式开放，市民可以在这里阅读报纸和杂志，", "馆长说每天接待的读者超过五百人。"),
    ("افتتحت البلدية اليوم قاعة جديدة للقراءة في المكتبة العامة، وقال مدير المكتبة إن القاعة ستستقبل",
     "أكثر من خمسمئة قارئ كل يوم."),
])
def test_a_sentence_without_capitals_broken_by_an_ad_runs_on(first, second):
    """Chinese, Japanese, Arabic or Hebrew have no lowercase letter to say a sentence goes on
    after an ad line: a line ending in a comma, or as wide as a paragraph of prose without a
    sentence end, runs on; a headline above the ad does not, nor does a narrow heading."""
    headline = "图书馆新阅览室正式开放" if first[0] == "图" else "افتتاح قاعة جديدة للقراءة"
    result = clean(f"{headline}\n\nADVERTISEMENT\n\n{first}\n\nADVERTISEMENT\n\n{second}\n")
    space = "" if first[0] == "图" else " "
    assert [p.text for p in result.paragraphs] == [headline, f"{first}{space}{second}"]
    heading = "新阅览室的开放时间"
    result = clean(f"{headline}\n\n{first[:20]}。\n\n{heading}\n\nADVERTISEMENT\n\n{second}\n")
    assert heading in [p.text for p in result.paragraphs]


def test_spellings_hold_the_texts_words_and_hyphenated_pairs_in_any_case():
    from cleaner.rejoin import Spellings

    spellings = Spellings("A State-of-the-Art lab; the well-known CEO's office_hours (x2).")
    assert all(map(spellings.holds, ["state-of", "of-the", "THE-art", "well-known", "ceo", "office_hours", "x2"]))
    assert not any(map(spellings.holds, ["state-the", "wellknown", "known-ceo", "office", "x"]))


def test_a_paragraph_built_line_by_line_is_searched_for_code_as_a_whole():
    """The paragraph being built remembers where it was searched for code: code early in it still
    counts after many lines, and a later search starting mid-line takes no word for a command."""
    from cleaner.rejoin import _Draft

    draft = _Draft(["let total = 0"], [], [], 0, 0)
    assert draft.looks_like_code()
    words = ["ten", "lines", "of", "text", "go", "here", "and", "cd", "there"] * 300
    draft = _Draft([" ".join(words)], [], [], 0, 0)
    assert not draft.looks_like_code()
    for _ in range(3):
        draft.parts += [" ", "cd the folder then go on with the walk"]
        assert not draft.looks_like_code()
    draft.parts += [" ", "and call(it) at last"]
    assert draft.looks_like_code()


def test_a_paragraph_being_built_keeps_its_length_and_gives_its_tail():
    """The checks at each seam read the paragraph's length and its last characters, not the whole
    paragraph joined again (a paragraph of thousands of lines split by ads took minutes)."""
    from cleaner.rejoin import _Draft

    draft = _Draft(["first line", " ", "second"], [], [], 0, 1)
    assert draft.size == len(draft.text) == 17 and draft.tail(9) == "ne second" and draft.tail(99) == draft.text


def test_the_second_half_of_a_sentence_is_no_caption_of_its_own():
    """A credit at its end made the line after '... Kinder' look like a caption: the sentence was split."""
    text = ("Freibad\n\nDie Gemeinde hat die Bauarbeiten am neuen Freibad fast abgeschlossen. Wie\n"
            "der Bürgermeister mitteilte, zahlen Erwachsene künftig vier Euro, Kinder\n"
            "die Hälfte. (Foto: Gemeinde Oberdorf)\n")
    result = clean(text)
    assert not any(piece.text.endswith("Kinder") for piece in [*result.paragraphs, *result.captions])
    assert not any(piece.text.startswith("die Hälfte") for piece in [*result.paragraphs, *result.captions])


@pytest.mark.parametrize("above", ["Winter Crossings", "Six ways the harbour timetable changes this winter"])
def test_a_credit_opening_with_a_handle_under_a_heading_or_headline_is_a_caption(above):
    """A handle in lower case ("mkell/Getty Images") does not make a credit the second half of a
    heading's sentence: a heading, or the headline with a blank line under it, breaks off none."""
    lead = "" if above.startswith("Six") else "Harbour Notes\n\nThe ferry timetable changes on Monday, the port said in a short notice.\n\n"
    text = (f"{lead}{above}\n\nmkell/Getty Images\n\n"
            "The first boat now leaves at six, an hour later than in summer, and the last one at nine.\n")
    result = clean(text)
    assert [caption.text for caption in result.captions] == ["mkell/Getty Images"]
    assert any(piece.text == above for piece in result.paragraphs)


def test_split_by_residue_is_rejoined_with_both_spans():
    text = "The father of one trapped toddler tore\n\nAdvertisement\n\nfrantically at the debris.\n"
    result = clean(text)
    assert result.text == "The father of one trapped toddler tore frantically at the debris."
    assert result.paragraphs[0].joins == ["rejoin.split"] and len(result.paragraphs[0].spans) == 2


def test_sentence_end_and_blank_line_is_a_real_boundary():
    text = "The storm passed on Monday.\n\nthe cleanup began at once, officials said.\n"
    assert len(clean(text).paragraphs) == 2


def test_residue_glued_to_a_line_is_cut_as_its_own_piece():
    result = clean("Troops withdrew from the town. Advertisement\n")
    assert result.text == "Troops withdrew from the town."
    assert [(r.rule.split(".")[0], r.text) for r in result.removed] == [("ads", "Advertisement")]


@pytest.mark.parametrize(
    "sentence",
    ["Shares of Home Depot fell 3% on Tuesday.", "The advertisement campaign ran for six weeks.",
     "Share prices rose", "He declined to comment further."],
)
def test_sentences_that_merely_contain_residue_words_stay(sentence):
    assert clean(sentence).text == sentence


def test_caption_needs_more_than_one_cue():
    text = "Officials Lena Roth, left, and Omar Said tour the flooded district on Friday in Lyon"
    assert caption_verdict(text, at_end=True, beside_residue=False, headline_place=False).rule == "caption.positional"
    assert caption_verdict(text + ".", at_end=True, beside_residue=False, headline_place=False) is None
    assert caption_verdict(text, at_end=True, beside_residue=False, headline_place=True) is None
    assert caption_verdict("He left the city on Friday and never came back to Lyon", at_end=False,
                           beside_residue=False, headline_place=False) is None


@pytest.mark.parametrize("tail", ["(AP Photo/Evan Stone)", "REUTERS/Jane Roe", "Photo: Jane Roe / Reuters",
                                  "(Getty Images)", "(Foto: Max Muster/dpa)", "(Image via Unsplash)"])
def test_credit_tails(tail):
    assert has_credit_tail(f"Firefighters battle the blaze near the highway {tail}")


def test_credit_words_inside_a_sentence_are_not_credits():
    assert not has_credit_tail("The photo was taken by a reader who asked not to be named.")


@pytest.mark.parametrize("credit", ["Image via Tom Reed.", "Photograph by Ana Lis.", "Photo: rkim/Flickr.",
                                    "Mara Holt/E+ via Getty Images."])
def test_a_credit_closed_by_a_full_stop_makes_a_caption(credit):
    text = f"A rain garden beside the new cycle path. {credit}"
    assert has_stop_credit(text)
    assert caption_verdict(text, at_end=False, beside_residue=False, headline_place=False).rule == "caption.credit"


def test_a_short_line_is_a_caption_only_by_a_credit_closing_its_sentence():
    """Under five words a line is a caption by its own credit and full stop ("Ferry pier. Photo:
    rkim/Flickr."), not by a credit tail alone."""
    assert caption_verdict("Ferry pier. Photo: rkim/Flickr.", at_end=False, beside_residue=False,
                           headline_place=False).rule == "caption.credit"
    assert caption_verdict("Ferry pier (Getty Images)", at_end=False, beside_residue=False, headline_place=False) is None
    assert caption_verdict("Our photo of the day.", at_end=False, beside_residue=False, headline_place=False) is None


@pytest.mark.parametrize("sentence", ["The photo by Jane was shared widely across the town.",
                                      "He said the image via satellite showed the damage."])
def test_a_sentence_about_a_photo_is_no_credit(sentence):
    assert not has_stop_credit(sentence)
    assert caption_verdict(sentence, at_end=True, beside_residue=True, headline_place=False) is None


def between_paragraphs(paragraph: str, lines: list[str]) -> str:
    """``lines`` each between two copies of ``paragraph``, as a gallery's labels stand in a text."""
    return "\n\n".join(part for line in lines for part in (paragraph, line)) + "\n\n" + paragraph


def test_labels_crediting_one_name_three_times_are_a_gallerys_captions():
    paragraph = "The studio redrew the ferry timetable so that each crossing fits on one screen of a phone."
    labels = ["Timetable Grid by Studio Kite", "Harbour Map Sketch by Studio Kite", "Ticket Screen by Studio Kite"]
    result = clean(between_paragraphs(paragraph, labels), use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.shared_credit", label) for label in labels]
    assert shared_names([credited_name(label) for label in labels[:2]]) == set()
    assert credited_name("Timetable Grid by Studio Kite.") is None
    assert credited_name("Pay by card at the kiosk") is None


def test_in_a_gallery_two_labels_crediting_another_name_are_captions_too():
    """Beside a gallery (one name credited three times), a second studio credited twice is its pictures too;
    without the gallery, two such lines may be a reading list's entries."""
    names = [credited_name(label) for label in ["Tide Chart by Studio Kite", "Pier Lamp by Studio Kite",
                                                "Fish Market by Studio Kite", "Ferry Poster by Oak Lane",
                                                "Gull Sketch by Oak Lane", "Boat Hook by Ana Lis"]]
    assert shared_names(names) == {"Studio Kite", "Oak Lane"}
    assert shared_names(names[3:]) == set()


def test_several_photographers_studios_are_a_gallerys_credits():
    paragraph = "Long tables under the orchard trees kept the evening light on every guest's plate."
    studios = ["Ana Moss Photography", "Theo Brand Photography", "Ana Moss Photography"]
    result = clean(between_paragraphs(paragraph, studios), use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.studio_credits", studio) for studio in studios]
    assert not is_studio_credit("Wedding Photography")
    assert not is_studio_credit("24. Macro Photography")


def test_photographers_credited_for_one_outlet_three_times_are_a_gallerys_credits():
    paragraph = "The kettle held its heat for forty minutes, longer than any other we tried this winter."
    credits = ["Ana Lis/Harbour Weekly", "Tom Eske/Harbour Weekly", "Ana Lis/Harbour Weekly"]
    result = clean(between_paragraphs(paragraph, credits), use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.shared_outlet", credit) for credit in credits]
    assert credited_outlet("Input/Output Basics") is None  # no first name and surname before the slash
    assert credited_outlet("Ana Lis/Harbour Weekly in the spring") is None


def test_one_name_and_outlet_stays():
    text = "Where we stayed\n\nMara Quint/Harbour Lodge\n\nThe rooms look over the water and the breakfast is served until ten."
    assert clean(text, use_model=False).captions == []


def test_one_photographers_studio_stays_a_heading():
    text = "Who we hired\n\nAna Moss Photography\n\nShe shot the whole day on film and sent prints a month later."
    assert clean(text, use_model=False).captions == []


def test_one_book_by_its_author_stays_a_heading():
    text = "Reading list\n\nThe Quiet Harbour by Lena Ward\n\nA novel about a ferry pilot who keeps the night crossing running."
    assert clean(text, use_model=False).captions == []


def test_a_short_sentence_the_next_paragraph_opens_with_is_a_caption():
    label = "The Kestrel Trail 3."
    following = "The Kestrel Trail 3 is a light shoe with a firm heel, made for long days on rocky paths."
    assert echoes_next(label, following)
    assert not echoes_next("The Kestrel Trail 3", following)  # a heading has no full stop
    assert not echoes_next("Kestrel.", "Kestrel is a brand of running shoes sold in six countries.")
    result = clean(f"Our pick for rough ground.\n\n{label}\n\n{following}", use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.echo", label)]


PROSE_BEFORE = "We reached the coast late in the afternoon, after three hours on the slow train from the city."
PROSE_AFTER = "The next morning we rented bikes and followed the dyke path south until the lighthouse came into view."


@pytest.mark.parametrize("label", ["A windy afternoon on the dunes at Ouddorp.", "Sunset over the harbour in Scheveningen.",
                                   "Route planning in Trailmapper."])
def test_a_short_sentence_naming_a_scene_and_its_place_is_a_caption(label):
    assert names_a_scene(label)
    result = clean(f"{PROSE_BEFORE}\n\n{label}\n\n{PROSE_AFTER}", use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.scene", label)]


@pytest.mark.parametrize("sentence", ["We spent two nights in Ouddorp.", "It rained all day in Scheveningen.",
                                      "Book a table at Harbour House.", "A windy afternoon on the dunes at Ouddorp",
                                      "Bikes: rented at Station Road.", "A windy afternoon on the dunes at the station.",
                                      "The kiosk closed on Harbour Street.", "A quiet afternoon on Sunday."])
def test_a_sentence_with_a_clause_or_without_a_place_is_no_scene(sentence):
    assert not names_a_scene(sentence)


def test_a_scene_among_short_sentences_is_a_list_item():
    scene, item = "Ferry tickets at Hook Harbour.", "Bike rental at the station."
    for text in (f"{PROSE_BEFORE}\n\n{item}\n\n{scene}\n\n{PROSE_AFTER}", f"{PROSE_BEFORE}\n\n{scene}\n\n{item}\n\n{PROSE_AFTER}"):
        assert clean(text, use_model=False).captions == []
    assert names_a_scene(scene) and is_short_sentence(item) and not is_short_sentence(PROSE_AFTER)


def test_a_short_sentence_over_a_bare_credit_is_its_pictures_caption():
    description = "A ferry leaves the north pier in the first light of the morning."
    text = f"{PROSE_BEFORE}\n\n{description}\n\nPhoto: Lena Ward\n\n{PROSE_AFTER}"
    result = clean(text, use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.over_credit", description),
                                                           ("credits.labelled", "Photo: Lena Ward")]


@pytest.mark.parametrize("credit", ["Photo: Sam Lee / Reuters", "Foto: ANP", "AP Photo"])
def test_a_sentence_over_a_news_agencys_credit_stays(credit):
    sentence = "The council will vote on the plan at its next meeting in the town hall."
    text = f"{PROSE_BEFORE}\n\n{sentence}\n\n{credit}\n\n{PROSE_AFTER}"
    assert sentence in clean(text, use_model=False).text


def test_a_sentence_over_a_source_line_stays():
    description = "The chart shows ferry crossings per month since the new pier opened."
    text = f"{PROSE_BEFORE}\n\n{description}\n\nImage source: Harbour Board\n\n{PROSE_AFTER}"
    assert [c.rule for c in clean(text, use_model=False).captions] == ["credits.labelled"]


@pytest.mark.parametrize("line", ["Best Budget Kettle", "Get there early!", "Price: about forty euros for the day.",
                                  "3. Book the ferry ahead.", "The pier reopened in May. It had been shut for a year.",
                                  PROSE_BEFORE + " " + PROSE_AFTER])
def test_a_heading_a_label_or_a_long_paragraph_over_a_credit_stays(line):
    assert not describes_credited_picture(line)
    text = f"{PROSE_BEFORE}\n\n{line}\n\nImage credit: Lena Ward\n\n{PROSE_AFTER}"
    assert [c.rule for c in clean(text, use_model=False).captions] == ["credits.labelled"]


def test_a_description_after_slideshow_controls_is_the_slides_caption():
    slide = "A tester brakes hard on the steep gravel descent below the old quarry"
    result = clean(f"{PROSE_BEFORE}\n\nPrevious Next\n\n{slide}\n\n{PROSE_AFTER}", use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.slide", slide)]
    assert is_slide_controls("‹ Prev | Next ›") and not is_slide_controls("Previous post")


@pytest.mark.parametrize("toggle", ["toggle caption", "Hide caption Show caption"])
def test_the_line_beside_a_caption_toggle_is_the_caption(toggle):
    """Above the toggle, or below it when no paragraph of prose: a paragraph under it is the article's."""
    described = "Volunteers sort the driftwood by size on the beach below the lighthouse"
    for text in (f"{PROSE_BEFORE}\n\n{described}\n\n{toggle}\n\nAna Lis/Harbour Weekly\n\n{PROSE_AFTER}",
                 f"{PROSE_BEFORE}\n\n{toggle}\n\n{described} / Ana Lis\n\n{PROSE_AFTER}"):
        result = clean(text, use_model=False)
        assert [c.rule for c in result.captions if c.text.startswith("Volunteers")] == ["caption.toggled"]
        assert PROSE_BEFORE in result.text and PROSE_AFTER in result.text
    assert PROSE_AFTER in clean(f"{PROSE_BEFORE}\n\n{toggle}\n\n{PROSE_AFTER}", use_model=False).text
    assert is_caption_toggle("Show Caption") and not is_caption_toggle("Show captions on every video by default")


def test_the_titles_under_a_paragraph_announcing_pictures_are_captions():
    titles = ["Oak shelf for the hall", "Pine bench: built from an old bed frame", "Garden gate, before and after"]
    text = "\n\n".join([PROSE_BEFORE, "Here are photos of a few things I built last winter:", *titles, PROSE_AFTER,
                        "Buying Timber", PROSE_AFTER])
    result = clean(text, use_model=False)
    assert [(c.rule, c.text) for c in result.captions] == [("caption.announced", title) for title in titles]
    assert "Buying Timber" in result.text


@pytest.mark.parametrize("lead", ["Here's one photo of those lockers by platform two:", "The setting is in the screenshot below:"])
def test_one_picture_announced_takes_one_title(lead):
    text = "\n\n".join([PROSE_BEFORE, lead, "Lockers on the lower concourse", "Storing Your Luggage", PROSE_AFTER])
    result = clean(text, use_model=False)
    assert [c.text for c in result.captions] == ["Lockers on the lower concourse"]
    assert "Storing Your Luggage" in result.text


@pytest.mark.parametrize("lead", ["Here are the photos each applicant must bring:", "Some tips we learned for sharper photos:",
                                  "Keep these in mind when you choose images:"])
def test_a_list_after_a_paragraph_that_names_photos_stays(lead):
    text = "\n\n".join([PROSE_BEFORE, lead, "A passport photo", "Proof of your address", PROSE_AFTER])
    assert clean(text, use_model=False).captions == []
    assert announced_pictures(lead) == 0


def test_the_first_paragraph_after_a_pager_at_the_top_stays():
    first = "The council approved the new harbour budget on Monday after a long debate."
    text = f"Harbour Budget Passes\n\nPrevious Next\n\n{first}\n\n{PROSE_AFTER}"
    assert first in clean(text, use_model=False).text


@pytest.mark.parametrize("line", ["How We Tested the Brakes and the Batteries", "Braking"])
def test_a_heading_after_slideshow_controls_stays(line):
    assert clean(f"{PROSE_BEFORE}\n\nPrevious Next\n\n{line}\n\n{PROSE_AFTER}", use_model=False).captions == []


@pytest.mark.parametrize(
    "text, first, last, kind",
    [
        ("River Floods the Old Town", True, False, "title"),
        ("What Happens Next", False, False, "heading"),
        ("- sandbags and blankets", False, False, "list_item"),
        ("> a quoted line", False, False, "quote"),
        ("The river rose.", True, False, "paragraph"),
        ("What Happens Next", False, True, "paragraph"),
        ("7月の大会に向けて、市は会場の改修を急ぐ。", False, False, "paragraph"),  # a sentence, by its full stop
        ("2年生の作品展", False, False, "heading"),
    ],
)
def test_kinds(text, first, last, kind):
    assert kind_of(Paragraph("paragraph", text, [[0, len(text)]]), first=first, last=last) == kind


def test_options_reject_unknown_names_and_modes():
    with pytest.raises(TypeError, match="unknown option"):
        clean("x", colour="red")
    with pytest.raises(ValueError, match="captions must be one of"):
        Options(captions="hide")
    with pytest.raises(TypeError, match="takes the document as str or bytes, not NoneType"):
        clean(None)
    with pytest.raises(TypeError, match="languages must be a collection of names, such as {'en'}, not a str"):
        clean("x", languages="en")
    with pytest.raises(ValueError, match="languages: name at least one, or None for every language"):
        clean("x", languages=[])
    with pytest.raises(ValueError, match="languages: name at least one"):
        Options(languages=iter([]))
    assert clean(bytearray(b"Share\n\nThe ferry sailed at noon.\n")).text == "The ferry sailed at noon."
    with pytest.raises(TypeError, match="use_model must be True or False, not 'no'"):
        clean("x", use_model="no")
    with pytest.raises(TypeError, match="options must be an Options"):
        clean("x", {"captions": "drop"})
    for model in (5, {}):
        with pytest.raises(TypeError, match="model must be the path of a model file, or None"):
            clean("x", model=model)
    assert Options(model=Path("my-model.json")).model == "my-model.json"


def test_line_index():
    index = LineIndex("ab\ncd\n\nef")
    assert [index.line_col(o) for o in (0, 1, 3, 7)] == ["1:1", "1:2", "2:1", "4:1"]


def test_empty_and_blank_input():
    assert clean("").to_dict() == {"text": "", "paragraphs": [], "captions": [], "removed": []}
    assert clean(" \n\n \t").text == ""


def test_a_byte_order_mark_that_opens_the_text_is_not_text():
    """Not in the headline, not in the clean text, and a file that holds only one is empty."""
    result = clean("\ufeffQuay Lights Return\n\nThe lights on the quay were switched on again on Friday evening.\n")
    assert result.paragraphs[0].text == "Quay Lights Return" and result.paragraphs[0].spans == [[1, 19]]
    assert not result.text.startswith("\ufeff")
    assert clean("\ufeff").to_dict() == clean(b"\xef\xbb\xbf\n").to_dict() == clean("").to_dict()
    assert clean("Quay\ufeff Lights").text == "Quay\ufeff Lights"  # elsewhere, it is a character like any other


def test_a_table_stays_a_table():
    """Its rows are never joined as wrapped lines, and the clean text keeps them on consecutive lines."""
    table = "| Stop | First ferry |\n|---|---|\n| Quay | 06:10 |\n| Island | 06:40 |"
    text = ("Winter Timetable\n\nThe ferry company published its winter timetable on Monday, with an earlier "
            f"first crossing.\n\n{table}\n\nAdvertisement\n\nTickets go on sale next week.\n")
    result = clean(text, use_model=False)
    assert [p.text for p in result.paragraphs[2:6]] == table.split("\n")
    assert f"\n\n{table}\n\nTickets go on sale" in result.text
    assert clean(result.text, use_model=False).text == result.text


def test_one_huge_line():
    line = "word " * 2_000_000
    assert clean(line).text == line.strip()


def test_comments_header_opens_a_zone_to_the_end():
    text = ("Storm Passes\n\nThe storm passed over the valley on Monday night and the river stayed within its banks, "
            "officials said.\n\n2 Comments\n\nAnna says:\nGlad to hear it, thank you for the update.\n\n"
            "Ben says:\nWe had no power until noon on Tuesday.\n")
    result = clean(text)
    assert result.text.endswith("officials said.")
    zone = {r.text: r.rule for r in result.removed}
    assert zone["Glad to hear it, thank you for the update."] == "zone.comments"
    assert zone["We had no power until noon on Tuesday."] == "zone.comments"


def test_a_header_asked_as_a_question_opens_no_zone():
    text = ("Storm Passes\n\nThe storm passed over the valley on Monday night and the river stayed within its banks, "
            "officials said.\n\nComments?\n\nThe next report on the river will follow on Thursday, after the "
            "engineers have walked the whole length of the levee.\n")
    assert clean(text).text.endswith("walked the whole length of the levee.")


def test_the_top_zone_ends_at_the_first_hard_wrapped_paragraph():
    """Section labels are residue above the article only; wrapped prose, each line shorter than a
    paragraph of prose, starts the article too (mid-article headings were taken for labels)."""
    text = ("What the New Timetable Means\n\nThe new timetable changes the buses, the trams and the night\n"
            "services. Here is what it means for riders across the city this year.\n\nTechnology\n\n"
            "Every stop gets a screen that shows the next three departures, the\noperator said on Wednesday.\n")
    assert "\nTechnology\n" in clean(text).text


def test_related_zone_ends_where_the_article_resumes():
    prose = ("The council will vote again next month on the plan for the bridge, which has been delayed twice "
             "by disputes over its cost and over who should pay for the work on the old stone piers.")
    text = f"Bridge Vote Delayed\n\n{prose}\n\nRelated\n\nCity hires new engineer\n\n{prose.replace('next', 'in a')}\n"
    result = clean(text)
    assert [r.rule for r in result.removed] == ["related.label", "zone.related"]
    assert result.text.count("The council will vote") == 2


def test_a_share_bar_names_its_networks_below_its_label():
    """A network's name alone is a share button at the top, and may be a one-word heading lower
    down; right under a share bar's label it is the bar's next button, wherever the bar stands."""
    prose = ("The ferry company will add a second boat to the island route in June, the port said on Friday, "
             "after a winter in which storms cancelled a third of the crossings.")
    bar = clean("\n\n".join(["Second Ferry", prose, "Share this:", "Twitter", "Facebook", prose.replace("June", "May")]))
    assert [(r.rule, r.text) for r in bar.removed] == [
        ("share.button", "Share this:"), ("share.network_single", "Twitter"), ("share.network_single", "Facebook")]
    heading = clean("\n\n".join(["Second Ferry", prose, "Twitter", prose.replace("June", "May")]))
    assert not heading.removed


def test_a_share_bar_without_its_label_is_a_run_of_networks():
    """Two networks' names or more in a row are a share bar, below the top too, with the "Email"
    button among them; one network's name twice, or a single name, stays."""
    prose = ("The ferry company will add a second boat to the island route in June, the port said on Friday, "
             "after a winter in which storms cancelled a third of the crossings.")
    bar = clean("\n\n".join(["Second Ferry", prose, "Reddit", "WhatsApp", "Pinterest", "Email", prose.replace("June", "May")]))
    assert [(r.rule, r.text) for r in bar.removed] == [
        ("share.network_single", "Reddit"), ("share.network_single", "WhatsApp"), ("share.network_single", "Pinterest"), ("navigation.tool_word", "Email")]
    twice = clean("\n\n".join(["Second Ferry", prose, "Reddit", "Reddit", prose.replace("June", "May")]))
    assert not twice.removed


def test_related_zone_goes_on_through_teaser_cards():
    """A list of teaser cards (headline, blurb, date, "Sponsored Content"): a blurb reads as the
    article resuming, but the next card's date comes before any prose; the zone goes on."""
    prose = ("The council will vote again next month on the plan for the bridge, which has been delayed twice "
             "by disputes over its cost and over who should pay for the work on the old stone piers.")
    blurb = ("Hikers can now book guided walks along the old railway line, with stops at three villages and a "
             "picnic by the lake, from the first weekend of May until the end of September.")
    cards = ["Walks Along the Old Railway", blurb, "May 2, 2025", "Sponsored Content", "Harbour Fees Rise Again",
             blurb.replace("Hikers", "Cyclists"), "May 1, 2025"]
    result = clean("\n\n".join(["Bridge Vote Delayed", prose, "Read This Next", *cards]))
    assert result.text == f"Bridge Vote Delayed\n\n{prose}"
    resumed = "\n\n".join(["Bridge Vote Delayed", prose, "Read This Next", "Walks Along the Old Railway", blurb,
                            prose.replace("next month", "in June"), "Advertisement", prose.replace("next", "this")])
    assert "in June" in clean(resumed).text  # the article resumes: prose before the ad marker
    ad_below = "\n\n".join(["Bridge Vote Delayed", prose, "Read This Next", "Walks Along the Old Railway",
                             prose.replace("next month", "in June"), "Advertisement", prose.replace("next", "this")])
    assert "in June" in clean(ad_below).text  # an ad marker below the prose is no teaser card's line


def test_related_zone_ends_at_a_run_of_short_paragraphs():
    """News paragraphs are often shorter than the one long paragraph that ended a related box:
    three paragraphs of prose in a row resume the article too, a lone teaser does not."""
    paragraphs = ["The ferry service will add a second boat to the island route in June, the port said.",
                  "Tickets for the new crossings go on sale next week at the harbour office and online.",
                  "The second boat was built in Norway and carries up to ninety cars on every crossing."]
    teaser = "Storms cancelled a third of last winter's crossings to the island"
    lead = "The island's ferry company said on Friday that it will run more crossings this summer."
    text = "\n\n".join(["Second Ferry for the Island", lead, "Related", "Harbour fees rise again",
                        teaser, "Island school to close", *paragraphs])
    result = clean(text)
    assert result.text.endswith("\n\n".join(paragraphs))
    assert teaser not in result.text
    assert [r.rule for r in result.removed] == ["related.label"] + ["zone.related"] * 3


def test_a_related_box_inside_the_article_ends_at_its_first_sentence():
    """A box of a label and a teaser headline in the article's first part: the short paragraph
    after it (one sentence, under 80 characters) was taken with the teaser."""
    long = ("The ferry company will add a second boat to the island route in June, the port said on Friday, "
            "after a winter in which storms cancelled a third of the crossings.")
    text = "\n\n".join(["Second Ferry for the Island", long, "Read also", "Harbour fees rise again",
                        "Nobody was hurt in the storms.", long.replace("June", "July"), long.replace("June", "May")])
    result = clean(text)
    assert "Nobody was hurt in the storms." in result.text and "Harbour fees rise again" not in result.text
    assert [r.rule for r in result.removed] == ["related.label", "zone.related"]
    teasers = ["Harbour fees rise again", "Island school to close", "New timetable for the night ferry"]
    three = "\n\n".join(["Second Ferry for the Island", long, "Read also", *teasers, "Nobody was hurt in the storms.",
                         long.replace("June", "July"), long.replace("June", "May")])
    assert "Nobody was hurt in the storms." in clean(three).text  # at most three teasers: three too


def test_a_related_box_ends_where_the_sentence_it_broke_goes_on():
    """A box of teasers dropped into the middle of a sentence near the end of a story: the
    sentence's second half, lowercase and ending it, was taken with the teasers."""
    long = ("The ferry company will add a second boat to the island route in June, the port said on Friday, "
            "after a winter in which storms cancelled a third of the crossings.")
    first_half = "The crew said the second engine failed in the night and they spent two hours"
    second_half = "repairing it by torchlight before the wind dropped."
    text = "\n\n".join(["Second Ferry for the Island", long, long.replace("June", "July"), long.replace("June", "May"),
                        first_half, "Related Articles", "Harbour fees rise again", "Island school to close", "Share",
                        second_half])
    result = clean(text)
    assert result.text.endswith(f"{first_half} {second_half}")
    assert [r.rule for r in result.removed] == ["related.label", "zone.related", "zone.related", "share.button"]
    assert clean(result.text).text == result.text


def test_a_share_bar_near_the_end_opens_a_related_zone():
    """In the last 15% of the words, a share bar (or a next-post link, a newsletter box)
    marks the end of the article: the teaser headlines after it go too, up to prose that resumes.
    Higher up it opens nothing: the article goes on below it."""
    long = ("The ferry company will add a second boat to the island route in June, the port said on Friday, "
            "after a winter in which storms cancelled a third of the crossings.")
    article = [long.replace("June", month) for month in ("June", "July", "May", "August", "March", "April")]
    teasers = ["Harbour fees rise again", "Island school to close"]
    result = clean("\n\n".join(["Second Ferry for the Island", *article, "Share", *teasers]))
    assert [r.rule for r in result.removed] == ["share.button", "zone.related", "zone.related"]
    assert result.text.endswith(article[-1])
    high = clean("\n\n".join(["Second Ferry for the Island", article[0], "Share", *teasers, *article[1:]]))
    assert [r.rule for r in high.removed] == ["share.button"]


def test_a_rule_that_must_repeat_acts_only_when_it_does():
    prose = "The trail climbs through pine forest for two hours before it reaches the ridge above the lake."
    once = clean(f"Ridge Walk\n\n{prose}\n\nMarta Quinn says\n\nThe view from the top is worth every step.\n")
    assert "Marta Quinn says" in once.text
    twice = clean(f"Ridge Walk\n\n{prose}\n\nMarta Quinn says\n\nLovely walk, thanks.\n\nDev Rao says\n\nAgreed!\n")
    assert twice.text.endswith("before it reaches the ridge above the lake.")
    assert [r.rule for r in twice.removed][:2] == ["comments.author_says", "zone.comments"]


def test_a_comment_counter_under_the_headline_opens_no_zone():
    prose = ("The ferry will run every hour from May, the port said on Friday, after a year in which storms "
             "cancelled more than a third of its crossings to the island.")
    rest = "\n\n".join(prose.replace("hour", f"{n} hours") for n in ("two", "three", "four", "five"))
    result = clean(f"Ferry Timetable Changes\n\nBy Ola Berg\n\n{prose}\n\n14 Comments\n\n{rest}\n")
    assert [r.rule for r in result.removed] == ["navigation.byline", "comments.count"]
    assert result.text.count("the port said on Friday") == 5
    below = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{rest}\n\n14 Comments\n\nGreat news for us!\n")
    assert [r.rule for r in below.removed] == ["comments.count", "zone.comments"]


def test_a_box_about_a_name_opens_the_author_zone_only_above_a_bio_of_that_name():
    """"About Ines Vale" over "Ines Vale is a writer ..." heads an author box; "About Tavira" over
    "Tavira is a town ..." heads the article's own section, and stays with it."""
    prose = ("The ferry will run every hour from May, the port said on Friday, after a year in which storms "
             "cancelled more than a third of its crossings to the island.")
    body = "\n\n".join(prose.replace("hour", f"{n} hours") for n in ("two", "three", "four", "five", "six"))
    box = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{body}\n\nAbout Ines Vale\n\nInes Vale is a freelance "
                "writer in Faro who covers the islands.\n\nSee all of her stories on the ferries of the coast\n")
    assert [r.rule for r in box.removed][:1] == ["author.about_name"]
    assert box.text.endswith("crossings to the island.") and "See all of her stories" not in box.text
    section = ("Tavira is a town of bridges and salt pans, whose market the founder of the old cannery built, and "
               "the ferry to its island leaves from it every half hour in summer.")
    guide = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{body}\n\nAbout Tavira\n\n{section}\n")
    assert not guide.removed and guide.text.endswith(f"About Tavira\n\n{section}")
    headline = clean(f"About Tavira\n\n{section}\n\n{prose}\n")  # above the article no zone opens: it stays
    assert not headline.removed and headline.paragraphs[0].kind == "title"


def test_a_comment_heading_naming_the_post_opens_a_zone_only_below_the_article():
    prose = ("The ferry will run every hour from May, the port said on Friday, after a year in which storms "
             "cancelled more than a third of its crossings to the island.")
    rest = "\n\n".join(prose.replace("hour", f"{n} hours") for n in ("two", "three", "four", "five"))
    heading = "12 thoughts on “Ferry Timetable Changes”"
    above = clean(f"Ferry Timetable Changes\n\n{heading}\n\n{prose}\n\n{rest}\n")
    assert [r.rule for r in above.removed] == ["comments.count_on_title"]
    assert above.text.count("the port said on Friday") == 5
    below = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{rest}\n\n{heading}\n\nGreat news for us!\n")
    assert [r.rule for r in below.removed] == ["comments.count_on_title", "zone.comments"]


def test_a_readers_praise_at_the_end_opens_a_comments_zone_and_higher_up_goes_alone():
    prose = ("The ferry will run every hour from May, the port said on Friday, after a year in which storms "
             "cancelled more than a third of its crossings to the island.")
    rest = "\n\n".join(prose.replace("hour", f"{n} hours") for n in ("two", "three", "four", "five"))
    thread = "Great read, thank you!\n\nWe waited two hours at the quay last March, so this is welcome news."
    below = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{rest}\n\n{thread}\n", use_model=False)
    assert [r.rule for r in below.removed] == ["comments.reader_praise", "zone.comments"]
    assert below.text.endswith("crossings to the island.")
    above = clean(f"Ferry Timetable Changes\n\n{prose}\n\n{thread}\n\n{rest}\n", use_model=False)
    assert [r.rule for r in above.removed] == ["comments.reader_praise"]
    assert "We waited two hours" in above.text


def test_a_republishing_box_after_the_article_is_removed_to_the_end():
    prose = ("The night bus will stop at the hospital from June, the transport board said, after nurses "
             "on late shifts asked for a safer way home across the river.")
    rest = "\n\n".join(prose.replace("June", month) for month in ("July", "August", "September"))
    terms = ("This story may be shared under a Creative Commons licence.\n\nPlease credit the writer and link "
             "back to our site, and do not change the story's meaning when you edit it for length.")
    result = clean(f"Night Bus Route Grows\n\n{prose}\n\n{rest}\n\nRepublish this article\n\n{terms}\n")
    assert [r.rule for r in result.removed] == ["legal.republish_box", "zone.republish", "zone.republish"]
    assert result.text.endswith("across the river.")


def test_a_newsletter_rating_widget_ends_the_issue_and_its_end_matter_goes():
    """A newsletter's "rate this issue" widget stands where the issue's essay ends: the ads,
    housekeeping and link lists under it go, long paragraphs of prose included, to the end."""
    essay = "\n\n".join(("The harbour board met on Tuesday to weigh three plans for the old fish market, "
                         f"and the {n} plan drew the most questions from the traders who still rent stalls there.")
                        for n in ("first", "second", "third", "cheapest"))
    end_matter = ("Advertisement: Harbour Walks Weekend\n\nThere are only six places left on my guided walk along the "
                  "old sea wall in May, and every ticket includes lunch at the quay cafe and a printed map of the "
                  "harbour's history that you can keep.\n\nElsewhere This Week\n\n- Why the ferry timetable changed\n\n"
                  "- Five questions for the new harbour master")
    text = f"Harbour Notes, Issue 40\n\n{essay}\n\nHow was this issue?\n\nRate this week's newsletter with a single click.\n\n{end_matter}\n"
    result = clean(text, use_model=False)
    assert result.text.endswith("still rent stalls there.")
    assert [r.rule for r in result.removed[:2]] == ["newsletter.issue_rating", "newsletter.issue_rating"]
    zone = [r.text for r in result.removed if r.rule == "zone.end_matter"]
    assert zone[0] == "Harbour Walks Weekend" and zone[1].startswith("There are only six places") and zone[-1] == "- Five questions for the new harbour master"


SHOE_GUIDE = ("Walking shoes need a firm heel cup and a sole that bends at the ball of the foot, not in the middle, "
              "which is where most cheap pairs fold first.")


@pytest.mark.parametrize("pitch, goes", [
    ("Step out in comfort with our spring range, shipped free to your door!", True),
    ("Step out in comfort with our spring range, shipped free to your door.", False),  # not an exclamation
    ("Really! " * 30, False),  # too long for a button's pitch
])
def test_an_exclamation_right_above_a_shop_button_goes_with_it(pitch, goes):
    text = f"Choosing Walking Shoes\n\n{SHOE_GUIDE}\n\n{pitch.strip()}\n\nShop Trailmark Today\n\n{SHOE_GUIDE}\n"
    result = clean(text, use_model=False)
    taken = [r for r in result.removed if r.text == pitch.strip()]
    assert bool(taken) is goes and "Shop Trailmark Today" not in result.text
    if goes:
        assert taken[0].rule == "ads.cta_button" and taken[0].reason.startswith("the pitch right above a button")
        assert clean(result.text, use_model=False).text == result.text
        assert pitch.strip() in clean(text, use_model=False, disabled={"ads.cta_button"}).text


def test_a_bio_goes_on_over_the_paragraphs_that_open_with_its_name():
    """The bio under a post, in three paragraphs: the rule reads the first, its name carries the next two."""
    story = ("Gutters clogged with leaves send rain down the walls, and a spring clean-out costs far less than "
             "repairing the damp it leaves behind in the plaster.")
    bio = ("Marta Lind is the owner of Harbour Home Care, a cleaning company serving the north coast. "
           "She started it in 2015 after a decade in hotel housekeeping.")
    more = ["Marta holds a diploma in facilities management from the coastal college.",
            "When she's not running the crews, Marta sings in a choir and keeps bees.",
            "Marta also answers readers' questions every Friday."]
    # the box stands high in the text (lower down, a bio opens the author zone, which takes the rest anyway)
    after = [story.replace("spring", season) for season in ("autumn", "winter", "early", "late", "wet")]
    text = "\n\n".join(["Clearing Gutters Before Winter", story, bio, *more, *after]) + "\n"
    result = clean(text, use_model=False)
    carried = [r for r in result.removed if r.reason.endswith("the bio going on")]
    assert [r.text for r in carried] == more[:2] and {r.rule for r in carried} == {"author.bio_line"}
    assert more[2] in result.text  # two paragraphs at most
    kept = clean(text.replace(more[0], "The diploma course opens again in March for new students."), use_model=False)
    assert "The diploma course opens again" in kept.text and more[1] in kept.text  # the run stops at the first other


def test_a_cookie_banners_long_paragraph_is_removed():
    banner = ("This website uses cookies to keep the shop working as you browse it. " * 12).strip()
    assert 800 < len(banner) <= 1200
    prose = ("The night bus will stop at the hospital from June, the transport board said, after nurses "
             "on late shifts asked for a safer way home across the river.")
    result = clean(f"Night Bus Route Grows\n\n{prose}\n\n{banner}\n", use_model=False)
    assert [r.rule for r in result.removed] == ["consent.cookie_notice"]


@pytest.mark.parametrize("header", ["About the Author", "Written by"])
def test_an_author_box_below_the_article_is_removed_to_the_end(header):
    prose = ("The night bus will stop at the hospital from June, the transport board said, after nurses "
             "on late shifts asked for a safer way home across the river.")
    rest = "\n\n".join(prose.replace("June", month) for month in ("July", "August", "September"))
    bio = "Mira Holt covers transport for the paper and lives by the tram depot."
    result = clean(f"Night Bus Route Grows\n\n{prose}\n\n{rest}\n\n{header}\n\n{bio}\n")
    assert [r.rule for r in result.removed] == ["author.about_header", "zone.author"]
    assert result.text.endswith("across the river.")


def test_a_funds_prospectus_notice_opens_its_fine_print_to_the_end():
    """Below the middle of a fund page, the notice to read the prospectus opens the fine print: the
    brokerage terms and a risk paragraph longer than any rule reads go with it."""
    prose = ("Index funds follow a market benchmark as closely as they can, which keeps their costs low and "
             "spreads an investor's money over hundreds of companies at once.")
    rest = "\n\n".join(prose.replace("hundreds", f"{n} hundred") for n in range(2, 16))
    terms = ("You can buy and sell the Harbour ETF Shares through our brokerage or through another broker, "
             "who may charge a commission for each trade.")
    risk = "Sector funds carry the risk that the sector they hold will trail the wider market for years. " * 14
    assert len(risk) > 1200
    text = (f"Index Funds\n\n{prose}\n\n{rest}\n\nTo learn more about the Harbour funds, obtain a prospectus "
            f"from your adviser.\n\n{terms}\n\n{risk.strip()}\n")
    result = clean(text, use_model=False)
    assert result.text.endswith("at once.")
    assert [r.rule for r in result.removed] == ["legal.prospectus_notice", "zone.end_matter", "zone.end_matter"]


def test_a_writers_bio_in_the_last_fifth_opens_the_author_box_to_the_end():
    """A bio a rule reads, under the article, opens the author box: the rest of the bio below it goes too."""
    prose = ("The night bus will stop at the hospital from June, the transport board said, after nurses "
             "on late shifts asked for a safer way home across the river.")
    rest = "\n\n".join(prose.replace("June", month) for month in ("July", "August", "September", "October"))
    bio = "Mira Holt is a transport reporter at the Harbour Daily, where she covers buses and trams."
    more = "Her column on the city's night life runs every Thursday in the print edition and online."
    result = clean(f"Night Bus Route Grows\n\n{prose}\n\n{rest}\n\n{bio}\n\n{more}\n", use_model=False)
    assert [r.rule for r in result.removed] == ["author.bio_line", "zone.author"]
    assert result.text.endswith("across the river.")


def test_a_publishers_message_under_the_article_opens_its_appeal_to_the_end():
    prose = ("The harbour board met on Tuesday to weigh three plans for the old fish market, and the traders "
             "who still rent stalls there asked most of the questions.")
    rest = "\n\n".join(prose.replace("three", str(n)) for n in range(4, 20))
    appeal = ("A message from Ada Quill, co-founder of Harbour Daily:\n\nSupport our mission to keep content open and "
              "free by joining our readers' club.\n\n- 2M+ readers every month\n\nFounded by two reporters in 2009, "
              "Harbour Daily has grown into a newsroom of forty people who cover the coast from the river mouth "
              "to the islands, every day of the year.")
    result = clean(f"Fish Market Plans\n\n{prose}\n\n{rest}\n\n{appeal}\n", use_model=False)
    assert result.text.endswith("the questions.")
    assert [r.rule for r in result.removed][:2] == ["newsletter.founder_message", "newsletter.mission_appeal"]
    assert {r.rule for r in result.removed[2:]} == {"zone.end_matter"}


def test_a_reference_list_after_the_article_is_removed_and_a_sources_sentence_kept():
    prose = ("Sources close to the council said the harbour wall would be raised by a metre before "
             "the winter storms, at a cost the port will share with the state.")
    rest = "\n\n".join(prose.replace("a metre", f"{n} metres") for n in ("two", "three", "four"))
    result = clean(f"Harbour Wall to Rise\n\n{prose}\n\n{rest}\n\nReferences\n\n1. Port authority, annual report, 2024.\n")
    assert [r.rule for r in result.removed] == ["references.header", "zone.references"]
    assert result.text.count("Sources close to the council") == 4


def test_scored_comment_titles_open_a_comments_zone_however_long_the_comments():
    prose = ("The city will open its third recycling depot in March, the council said, after the two it has "
             "ran out of room for garden waste last autumn.")
    comments = "\n\n".join(f"Re: Depot {n} (Score:{n})\n\nIt will fill up by June, mark my words, like the others did."
                           for n in range(1, 6))
    result = clean(f"Third Depot Opens\n\n{prose}\n\nAbout time (Score:4, Insightful)\n\nGood.\n\n{comments}\n")
    assert result.text.endswith("last autumn.")
    assert [r.rule for r in result.removed][:2] == ["comments.score_header", "zone.comments"]


# -- blocks of code ---------------------------------------------------------------------------------------------------

PYTHON = "def area(width, height):\n    if width < 0:\n        raise ValueError(width)\n    return width * height"


@pytest.mark.parametrize("layout", [
    PYTHON,  # as trafilatura gives a <pre>: no blank line, indentation kept
    "```python\n" + PYTHON + "\n```",
    "~~~\n" + PYTHON.replace("\n    return", "\n\n    return") + "\n~~~",  # a blank line inside a fence
    "\n".join("    " + line for line in PYTHON.splitlines()),  # Markdown's indented block: the shared margin goes
])
def test_a_block_of_code_is_one_paragraph_of_its_lines_as_written(layout):
    text = f"Garden Tools\n\nThe planner works out the area of each bed before it orders soil for the season.\n\n{layout}\n\n" \
           "Then it rounds the order up to whole bags, because the shop sells nothing smaller.\n"
    result = clean(text)
    (code,) = [p for p in result.paragraphs if p.kind == "code"]
    assert code.text == textwrap.dedent(layout)
    assert [p.kind for p in result.paragraphs] == ["title", "paragraph", "code", "paragraph"]
    assert clean(result.text).text == result.text


def test_the_lines_of_a_block_of_code_are_never_removed():
    """The model took a closing brace for residue; a rule would take a line of code that reads as a button."""
    text = ("Counting Visitors\n\nThe counter keeps one number per page and adds one for every visit it sees.\n\n"
            "function count(page) {\n  visits[page] += 1;\n  return visits[page];\n}\n\n"
            "It forgets everything when the server restarts, which is fine for a small site.\n\n"
            "```\nShare\nPrint\n```\n")
    result = clean(text)
    assert not result.removed
    assert [p.text for p in result.paragraphs if p.kind == "code"] == [
        "function count(page) {\n  visits[page] += 1;\n  return visits[page];\n}", "```\nShare\nPrint\n```"]


@pytest.mark.parametrize("lines", [
    ["Set the budget x = 500 euros.", "Then the share y = f(x) follows."],  # sentences that mention code
    ["- area(width, height)", "- volume(area, depth)"],  # a list of functions
    ["```python", "def area(width, height):"],  # a fence never closed
    ["area(width, height)", "The planner calls it once for every bed in the garden."],  # one line of code
])
def test_lines_that_are_no_block_of_code_are_left_to_the_other_stages(lines):
    assert not any(block.code for block in cut_blocks("\n".join(lines)))


def test_a_command_is_not_joined_to_the_sentence_after_the_residue_below_it():
    """A docs page: "yarn ... migrate:make ..." / Advertisement / "pnpm users should ..." became one sentence."""
    text = ("Migrations\n\nEvery change to the schema starts with a migration file. Create one with the generator of "
            "your package manager and give it a name that says what it does.\n\nyarn lumen migrate:make add_orders\n\n"
            "Advertisement\n\npnpm users should call the binary with pnpm exec, since the package is not hoisted.\n")
    assert [p.text for p in clean(text).paragraphs][2:] == [
        "yarn lumen migrate:make add_orders", "pnpm users should call the binary with pnpm exec, since the package is not hoisted."]


@pytest.mark.parametrize("text, blocks", [
    ("```python title=\"app.py\"\napp = make()\n```", [(0, 3)]),  # a fence with more than its language
    ("``` js\nlet x = 1;\n```", [(0, 3)]),
    ("```bash\npip install lumen\nAdvertisement\n```js\nlet x = 1;\n```", [(3, 6)]),  # left open: the next one opens
    ("````\n```\nstill code\n````", [(0, 4)]),  # a shorter fence inside closes nothing
    ("```python\nprint(1)", []),  # never closed
])
def test_fences_pair_in_order(text, blocks):
    from cleaner.blocks import fenced_blocks

    assert fenced_blocks(cut_blocks(text)) == blocks


@pytest.mark.parametrize("line, code", [
    ("The plaintiffs relied on 15 U.S.C. §§ 78j(b), 78t(a) (2018); 17 C.F.R. § 240.10b-5(b);", False),
    ("For the function f(x) = 3x^2 + 2x - 1 we get f'(x) = 6x + 2", False),  # a wrapped sentence
    ("git add .", True),  # a command's " ." is no full stop
    ("SELECT name, SUM(total) AS spent", True),
    ("FROM orders", True),
    (">>> sorted(nums)", True),
])
def test_what_reads_as_a_line_of_code(line, code):
    from cleaner.blocks import is_code_line

    assert is_code_line(line) is code


@pytest.mark.parametrize("text, code", [
    ("volumes:\n  data:\n    driver: local", [1, 1, 1]),  # YAML: a key over deeper keys
    ("build:\n  context: .\n\nports:\n  - \"80:80\"", [1, 1, 1, 1]),  # a blank line before a key at its depth
    ("[db]\nhost = localhost\n\n[cache]\nsize = 64", [1, 1, 1, 1]),  # an INI file of two sections
    ("diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2", [1] * 6),
    ("--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n keep this\n-old line\n+new line", [1] * 6),
    ("Photo: Jane Doe\n  Reuters", [0, 0]),  # a label and its credit, indented
    ("Update:\n  The council said the road would reopen on Friday.", [0, 0]),  # a sentence under a label
    ("Related:\n  - Flood warnings for the valley\n  - Schools closed", [0, 0, 0]),  # no key below it
    ("[Advertisement]\n\nThe rain stopped at noon", [0, 0]),  # brackets without a setting under them
    ("---\n+++ Breaking news", [0, 0]),  # a rule and a line, no diff header
    ("--- a/x\n+++ b/x\nno hunk", [0, 0, 0]),  # a diff needs a hunk
])
def test_listings_of_data_are_blocks_of_code(text, code):
    """YAML, INI files and diffs show no sign of program code, and their lines met the rules
    ("image: nginx" for a photo credit, '- "8080:80"' for a time stamp)."""
    assert [min(block.code, 1) for block in cut_blocks(text)] == code


def test_a_paragraph_indented_after_a_blank_line_does_not_go_on_a_block_of_code():
    """Two spec lines read as code; the indented ad and paragraph below them were taken into it."""
    text = "Weight = 1.9 kg\nPrice = $349\n\n     Advertisement\n\n     The poles are aluminium and the fly is nylon.\n"
    assert [block.code for block in cut_blocks(text)] == [1, 1, 0, 0]


def test_a_line_of_code_between_residue_is_neither_removed_by_the_model_nor_joined_to_the_next():
    """The model took "sorted_nums = sorted(nums)" for residue beside the ads; without a title,
    a guess of hard-wrapping joined it to the "print" line below the share button."""
    lines = "nums.sort()\nAdvertisement\nsorted_nums = sorted(nums)\nShare\n{}print(sorted_nums)\n"
    body = "Both forms sort the list, but only one changes it.\n\n{}The first form sorts in place and returns nothing at all.\n"
    for text in ("Sorting in Python\n\n" + body.format(lines.format("Copy code\n")), body.format(lines.format(""))):
        kept = [p.text for p in clean(text).paragraphs]
        assert "sorted_nums = sorted(nums)" in kept and "print(sorted_nums)" in kept, kept


FAQ_ANSWER = "Most ferries on the island route carry bicycles free of charge outside the summer weeks."


def test_a_paragraph_repeated_word_for_word_goes_the_first_copy_stays():
    """A FAQ printed twice (the accordion, then the page's structured data): the second copy goes."""
    text = "\n\n".join(["Island Ferry Guide", "Can I bring a bicycle?", FAQ_ANSWER,
                        "The crossing takes forty minutes in calm weather and an hour in a storm.",
                        "Can I bring a bicycle?", FAQ_ANSWER])
    result = clean(text)
    assert result.text.count(FAQ_ANSWER) == 1 and result.text.index(FAQ_ANSWER) < result.text.index("forty minutes")
    repeated = [piece for piece in result.removed if piece.rule == "document.repeated"]
    assert [piece.text for piece in repeated] == [FAQ_ANSWER]
    assert text[slice(*repeated[0].spans[0])] == FAQ_ANSWER and repeated[0].spans[0][0] > text.index("forty")
    assert "word for word" in repeated[0].reason
    assert result.text.count("Can I bring a bicycle?") == 2  # a short line may be the article's own refrain
    assert clean(text, disabled={"document.repeated"}).text.count(FAQ_ANSWER) == 2


def test_short_lines_list_items_and_code_may_repeat():
    """Refrains of real articles stay: short lines, a list's items, a program's lines."""
    item = "- Bring a warm coat, a thermos of tea and a book for the crossing."
    code = "    total = total + price * quantity;  # add the line to the bill;"
    text = "\n\n".join(["Packing for the Ferry", "Pros: it is cheap.", item, "Cons: it is slow.", "Pros: it is cheap.",
                        item, "```", code, "print(total);", code, "```"])
    result = clean(text)
    assert not [piece for piece in result.removed if piece.rule == "document.repeated"]
    assert result.text.count(item) == 2 and result.text.count("Pros: it is cheap.") == 2


TOWNS = ["Ashford", "Bexley", "Crawley", "Dartford", "Epsom", "Farnham"]
FERRY_STORY = ("The ferry company added a second boat to the island route this spring, and the queue on the "
               "quay has shrunk from an hour to ten minutes on most mornings.")


def test_a_run_of_lines_opening_alike_goes_as_a_list_of_sibling_pages():
    """A site's links to its pages of one kind, one per town, after the article."""
    links = [f"Window Cleaning Prices in {town} Kent" for town in TOWNS]
    text = "\n\n".join([FERRY_STORY, *links])
    result = clean(text, use_model=False)
    siblings = [piece for piece in result.removed if piece.rule == "document.sibling_links"]
    assert [piece.text for piece in siblings] == links and result.text.strip() == FERRY_STORY
    assert all(text[slice(*piece.spans[0])] == piece.text for piece in siblings)
    assert "sibling pages" in siblings[0].reason
    assert clean(result.text, use_model=False).text == result.text
    assert "Window Cleaning Prices in Epsom" in clean(text, use_model=False, disabled={"document.sibling_links"}).text


@pytest.mark.parametrize("lines", [
    [f"Window Cleaning Prices in {town}" for town in TOWNS[:4]],  # four: not a run
    [f"Window cleaning prices in {town} rose again this year." for town in TOWNS],  # sentences
    [f"Step {n}: rinse the glass with warm water" for n in range(1, 7)],  # numbered steps differ at the number
    [f"- The best walks near {town} for a wet afternoon" for town in TOWNS[:3]]
    + ["- The ferry timetable for the summer weeks", "- The best walks near Hythe for a wet afternoon"],
])
def test_lines_that_do_not_open_alike_five_times_stay(lines):
    text = "\n\n".join([FERRY_STORY, *lines])
    result = clean(text, use_model=False)
    assert not [piece for piece in result.removed if piece.rule == "document.sibling_links"]


def test_a_sibling_run_split_by_another_is_found_at_once():
    """Three and two lines of one list either side of another list: once that goes, the five
    lines meet, and cleaning the clean text again would take them; they go on the first cleaning."""
    first = [f"Window Cleaning Prices in {town} Kent" for town in TOWNS[:3]]
    middle = [f"Gutter Repair Costs in {town} Surrey" for town in TOWNS]
    last = [f"Window Cleaning Prices in {town} Kent" for town in TOWNS[3:5]]
    text = "\n\n".join([FERRY_STORY, *first, *middle, *last])
    once = clean(text, use_model=False)
    assert once.text.strip() == FERRY_STORY
    assert clean(once.text, use_model=False).text == once.text


def test_a_repeat_is_judged_as_rejoined_so_cleaning_again_changes_nothing():
    """A paragraph hard-wrapped in one place and on one line in another is the same paragraph once
    rejoined: it goes on the first cleaning, not only on the second."""
    sentence = "The harbour master said the new timetable would start on the first Monday of June."
    wrapped = "\n".join(textwrap.wrap(sentence, 24))
    text = f"{sentence}\n\n***\n\nTimetable\n\n{wrapped}\n"
    once = clean(text, use_model=False)
    assert once.text.count(sentence) == 1
    assert clean(once.text, use_model=False).text == once.text
