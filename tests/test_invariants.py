"""Property tests: faithful, lossless, deterministic and idempotent (rules alone) on any input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import clean

from .conftest import DEV_ARTICLES, check_invariants, needs_shared

# Lines a scraped article is made of: residue, captions, headlines, prose, halves of
# split sentences, hard-wrapped and hyphenated pieces, lists, and noise.
LINES = st.sampled_from([
    "Share", "Advertisement", "ADVERTISEMENT", "Anzeige", "Publicité", "Реклама", "Tweet",
    "Sign up for our newsletter", "Read more: Storm Knocks Out Power Across the Valley",
    "Related", "12 Comments", "Leave a Reply", "© 2025 Example Media. All rights reserved.",
    "Photo: Jane Doe/AP", "(Getty Images)", "Back to top",
    "Mayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, 2025 in Riverton",
    "Flood Waters Recede Along the Valley",
    "The river crested at nine metres on Monday night, officials said.",
    "Shares of the utility fell 2% after the storm.",
    "The advertisement campaign ran for six weeks.",
    "the father of one family tore",
    "frantically at the sandbags as the water rose.",
    "Volunteers worked through the night to fill sandbags along the",
    "embankment, and by dawn the wall held. The infor-",
    "mation reached the town hall at noon.",
    "- sandbags", "• blankets", "1. Call the hotline",
    "crossed the bridge. Advertisement", "Advertisement The mayor spoke first.",
    "Background", "What happens next?", "***", "\ufeffShare", "x", "—", "",
    "Наводнение затронуло три района, сообщили власти.",
])
DOCUMENTS = st.lists(
    st.tuples(LINES, st.sampled_from(["\n", "\n\n", "\n\n\n", " \n", "\r\n", "\r\n\r\n", "\r", "\r\r"])), max_size=30
).map(lambda pairs: "".join(line + sep for line, sep in pairs))
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
ARTICLES = st.one_of(DOCUMENTS, ANY_TEXT, st.builds(lambda a, b: a + b, DOCUMENTS, ANY_TEXT))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ARTICLES)
def test_faithful_and_lossless(text):
    check_invariants(text, clean(text, input_format="text"))


@SETTINGS
@given(ARTICLES, st.sampled_from(["drop", "inline"]))
def test_invariants_hold_in_every_caption_mode(text, mode):
    check_invariants(text, clean(text, input_format="text", captions=mode))


@SETTINGS
@given(ARTICLES)
def test_deterministic(text):
    assert clean(text, input_format="text").to_dict() == clean(text, input_format="text").to_dict()


@SETTINGS
@given(ARTICLES)
# a headline, then a caption, then a paragraph starting in lower case: once the caption
# is out, a second pass must not join the headline to the paragraph
@example("x\nPriya Nair, right, and Leo Park tour the dam on Friday, June 6, 2025 in Millbrook\n"
         "the keeper of the old mill\n***\n\nmation reached the mayor at noon.\nShare\n")
# a wrapped caption between a heading or a list item and a paragraph starting in lower case:
# once it is out, the two either side are joined, or not, as a second pass would
@example("Mayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, 2025 in "
         "Riverton\nBackground\nMayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, "
         "May 6, 2025 in Riverton\nembankment, and by dawn the wall held. The infor-\n\nthe father of one family tore\n")
@example("Mayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, 2025 in "
         "Riverton\n- sandbags\nMayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, "
         "May 6, 2025 in Riverton\nembankment, and by dawn the wall held. The infor-\n\nthe father of one family tore\n")
# a promotion that reads as prose ended the top zone on the first pass only (found by a fuzzer)
@example("Sign up for our newsletter and get the best stories of the day delivered straight to your inbox.\n\n"
         "Business\n\nThe company reported a loss of two million dollars in the third quarter, its chief said.\n")
# a line ending in ";" was code to the first pass, its paragraph was not to the second
@example("Flood.\n\nThe river rose two metres in the night and\nthe town council met at dawn to decide\n"
         "  what to do about the road and bridge;\nits members voted to close them both until\nthe engineers reported.\n")
# a line of "***" was joined to the sentence above it as a wrapped line
@example("The river rose two metres overnight and the town council met at dawn to decide what to do.\n***\n"
         "Business\nThe river rose two\nmetres overnight and\nthe town council met\nat dawn to decide\nwhat to do.\n")
# a line that residue split off a run of sibling links, rejoined to one of them, made the run on the second pass
@example("Flood Waters Recede Along the Valley\nFlood Waters Recede Along the Valley\nShare\nthe father of one family tore\n"
         "Flood Waters Recede Along the Valley\nFlood Waters Recede Along the Valley\nFlood Waters Recede Along the Valley\n")
# byte order marks that open a line, after residue or doubled
@example("Share\n\n\ufeffFlood Waters Recede\n\nThe river rose two metres overnight and the council met at dawn.\n")
@example("\ufeff\ufeffThe river rose.\n")
@example(" \ufeffThe river rose.\n")
def test_cleaning_clean_text_changes_nothing_with_rules_alone(text):
    once = clean(text, input_format="text", use_model=False).text
    assert clean(once, input_format="text", use_model=False).text == once


def assert_only_takes_paragraphs_out(once: str, twice: str) -> None:
    """A second pass with the model may take more out, but every paragraph left is one of the first pass."""
    first = once.split("\n\n")
    assert all(paragraph in first for paragraph in twice.split("\n\n") if twice)


@SETTINGS
@given(ARTICLES)
# a second pass's model removes a line the first kept, between a hyphenated word's halves
@example("Mayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, 2025 in "
         "Riverton\nembankment, and by dawn the wall held. The infor-\n***\n***\nembankment, and by dawn the "
         "wall held. The infor-\nVolunteers worked through the night to fill sandbags along the\nShare\nShare\n")
# the first pass's model removes a line between a sentence's halves, and a blank line follows it
@example("Mayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, 2025 in "
         "Riverton\nMayor Ana Ruiz, left, and council member Tom Berg walk along the levee on Tuesday, May 6, "
         "2025 in Riverton\n- sandbags\nAdvertisement\n- sandbags\n\nthe father of one family tore\n")
def test_a_second_pass_with_the_model_only_takes_paragraphs_out(text):
    once = clean(text, input_format="text").text
    assert_only_takes_paragraphs_out(once, clean(once, input_format="text").text)


@SETTINGS
@given(ARTICLES)
def test_byte_offsets_address_the_same_text(text):
    assert_byte_offsets_address_the_same_text(text, clean(text, input_format="text"))


# A JSON record's text can hold a lone surrogate (an escape such as \ud800); outside the
# range surrogateescape gives undecodable bytes, it counts three bytes, as U+FFFD would.
WITH_LONE_SURROGATES = st.builds(lambda a, lone, b: a + lone + b, DOCUMENTS,
                                 st.sampled_from(["\ud800", "\udbff", "\udfff", "x\ud83d", "\ude00 Share"]), DOCUMENTS)


@SETTINGS
@given(WITH_LONE_SURROGATES)
def test_lone_surrogates_are_characters_like_any_other(text):
    result = clean(text, input_format="text")
    check_invariants(text, result)
    assert_byte_offsets_address_the_same_text(text, result)


def assert_byte_offsets_address_the_same_text(text: str, result) -> None:
    data = text.encode("utf-8", "surrogatepass")
    chars, octets = result.to_dict(), result.to_dict(offsets="bytes")
    for key in ("paragraphs", "captions", "removed"):
        for piece, piece_bytes in zip(chars[key], octets[key]):
            for (start, end), (byte_start, byte_end) in zip(piece["spans"], piece_bytes["spans"]):
                assert data[byte_start:byte_end].decode("utf-8", "surrogatepass") == text[start:end]


@pytest.mark.devdata
@needs_shared(DEV_ARTICLES)
def test_invariants_and_idempotence_on_real_scraped_text():
    """The properties on the text trafilatura gives for the development pages (cached outside the repo)."""
    from bench.corpus import dev_texts

    for text in dev_texts()[:200]:
        result = clean(text, input_format="text")
        check_invariants(text, result)
        assert_only_takes_paragraphs_out(result.text, clean(result.text, input_format="text").text)
        alone = clean(text, input_format="text", use_model=False).text
        assert clean(alone, input_format="text", use_model=False).text == alone
