"""Decisions: what happens to each block, and why.

Staged like jusText, but every verdict keeps its reason:

1. rules: a block rule removes a whole line (or marks it a caption); leading and
   trailing rules cut residue glued to a line ("...in Aleppo. Advertisement");
2. zones: a header ("Comments", "Related") removes the residue that follows it;
   with ``--corpus-repeats``, lines that recur across many documents of one site
   (``cleaner.repeats``) are removed next;
3. the learned model (``cleaner.model``) scores the blocks the rules kept;
4. context: caption cues, read with the neighbours' verdicts (a block at the end,
   or beside removed residue).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import groupby, islice
from typing import TYPE_CHECKING

from .blocks import (
    PROSE_LENGTH,
    UNSPACED,
    Block,
    display_width,
    ends_sentence,
    is_code_line,
    is_list_item,
    is_prose,
    is_table_row,
    next_word_overflows,
    starts_lowercase,
    word_count,
    wrap_width,
)
from .captions import (
    AFTER_SLIDE_CONTROLS,
    ANNOUNCED_PICTURE,
    BARE_CREDIT_RULES,
    BESIDE_CAPTION_TOGGLE,
    ECHO,
    MAX_CAPTION_LENGTH,
    MIN_SHARED_CREDITS,
    OVER_CREDIT,
    SCENE,
    SHARED_CREDIT,
    SHARED_OUTLET,
    STUDIO_CREDITS,
    Verdict,
    announced_pictures,
    caption_verdict,
    credited_name,
    credited_outlet,
    credits_a_photo,
    describes_credited_picture,
    echoes_next,
    is_caption_toggle,
    is_short_sentence,
    is_slide_controls,
    is_studio_credit,
    may_be_caption,
    names_a_scene,
    reads_as_picture_title,
    reads_as_slide_caption,
    reads_as_toggled_caption,
    shared_names,
)
from .pieces import CODE_JOIN, Caption, Paragraph, Removed
from .rules import ENDLESS_ZONES, MAX_RULE_LENGTH, Hit, RuleSet

if TYPE_CHECKING:
    from .model import Model
    from .repeats import RepeatedLines

#: The rule id of the learned model's decisions (``cleaner.model``).
MODEL_RULE = "model"
#: The rule id of the readers' comments the model finds at the end of a text.
COMMENTS_RULE = "model.comments"
#: What each of the model's rule ids removes (``cleaner rules`` lists them; ``disable`` switches them off).
MODEL_VERDICTS = {
    MODEL_RULE: "a block the learned model scores as residue, among those the rules left (all of the model)",
    COMMENTS_RULE: "the readers' comments that end a text, found by the learned model",
}
#: The rule id of a paragraph that repeats, word for word, one above it in the same text.
REPEATED_RULE = "document.repeated"
REPEATED_REASON = "repeats, word for word, a paragraph above it (the first copy stays)"
#: A repeated paragraph shorter than this may be an article's own refrain ("Pros", "Step 2:").
MIN_REPEATED_WORDS = 8
#: The rule id of a run of short lines that open alike: a site's list of its sibling pages.
SIBLING_LINKS_RULE = "document.sibling_links"
#: At least this many lines in a row, opening with the same ``SIBLING_PREFIX_WORDS`` words, each
#: of at most ``MAX_SIBLING_WORDS`` words and ending no sentence ("Movers in Austin", "Movers in
#: Boston", ...). A list of an article's own rarely repeats four words five times over.
MIN_SIBLING_RUN = 5
SIBLING_PREFIX_WORDS = 4
MAX_SIBLING_WORDS = 12
_WORD = re.compile(r"\w+")
SIBLING_LINKS_REASON = (f"one of {MIN_SIBLING_RUN} or more short lines in a row that open with the same "
                        f"{SIBLING_PREFIX_WORDS} words: a list of links to sibling pages")
#: The engine's own verdicts beside the rule files' and the model's (``cleaner rules`` lists them;
#: ``disable`` switches them off).
ENGINE_VERDICTS = {
    REPEATED_RULE: f"a paragraph of {MIN_REPEATED_WORDS} words or more, ending a sentence, that repeats one above it word for word",
    SIBLING_LINKS_RULE: f"a run of {MIN_SIBLING_RUN} or more short lines that open with the same {SIBLING_PREFIX_WORDS} "
                        "words and end no sentence (a list of links to sibling pages)",
}
#: The model decides nothing in a document with fewer kept blocks than this: too little context
#: (and a pipe filter run on a short text then never loads it).
MIN_MODEL_BLOCKS = 3
#: How many residue pieces may be cut off the end of one line ("... Advertisement Share").
MAX_TRAILING_CUTS = 3


class Action(Enum):
    KEEP = "keep"
    REMOVE = "remove"
    CAPTION = "caption"


@dataclass(slots=True)
class Decision:
    """The verdict on one block: the action, the rule id and reason, and what it covers.

    ``start``/``end``/``text`` are the part of the block the action applies to:
    the whole block, or what is left after residue was cut off its ends (``cuts``).
    """

    block: Block
    action: Action
    start: int
    end: int
    text: str
    rule: str = ""
    reason: str = ""
    cuts: tuple[Removed, ...] = ()
    #: How sure the verdict is: 1.0 for a rule, the residue probability for the learned model.
    score: float = 1.0


def decide(blocks: list[Block], rules: RuleSet, model: Model | Callable[[], Model] | None = None,
           repeats: RepeatedLines | None = None, width: int | None = None, comments: bool = True,
           text: str | None = None) -> list[Decision]:
    """Decide every block: rules and zones first, then lines recurring across the corpus
    (``repeats``, a ``cleaner.repeats.RepeatedLines``, if any), then the model (if any),
    then captions in context. ``model`` may be a function that loads it when a document needs it;
    ``width`` is the blocks' ``wrap_width``, when the caller knows it; ``comments``: let the model
    look for readers' comments at the end; ``text``: the text the blocks were cut from (see
    ``decide_by_rules``)."""
    width = wrap_width(blocks) if width is None else width
    decisions = decide_by_rules(blocks, rules, width, text)
    if repeats is not None:
        repeats.mark(decisions)
    if model is not None and sum(d.action is Action.KEEP for d in decisions) >= MIN_MODEL_BLOCKS:
        from .model import apply_model  # imported only when a document is long enough for it

        apply_model(decisions, model, width, comments, rules.comment_lines)
    mark_captions(decisions)
    return decisions


def decide_by_rules(blocks: list[Block], rules: RuleSet, width: int | None = None, text: str | None = None) -> list[Decision]:
    """The rule stage: every block's rule verdict, with zones of residue marked (``width``: the
    blocks' ``wrap_width``, found here when not given).

    The top zone ends at the first paragraph of prose. It is first found among the lines
    as they are, then (given the ``text`` they were cut from) among the paragraphs the
    rules leave, as rejoining builds them: what cleaning the clean text again would find.
    """
    width = wrap_width(blocks) if width is None else width
    body = first_prose_index([(block.text, block.gap_before, block) for block in blocks], width)
    decisions = [apply_rules(block, rules, top=index < body) for index, block in enumerate(blocks)]
    kept_body = body if text is None or _settled(decisions, body) else _first_kept_prose(text, decisions, width, body)
    for index in range(min(body, kept_body), max(body, kept_body)):
        decisions[index] = apply_rules(blocks[index], rules, top=index < kept_body)
    undo_unrepeated(decisions, rules)
    extend_share_bars(decisions, rules)
    take_button_pitches(decisions, rules)
    carry_bios_on(decisions)
    mark_zones(decisions, rules, kept_body, width)
    return decisions


#: The longest line read as a button's pitch (one or two sentences of a shop's voice).
MAX_PITCH_CHARS = 200


def take_button_pitches(decisions: list[Decision], rules: RuleSet) -> None:
    """A kept line of at most ``MAX_PITCH_CHARS`` ending in "!" right above a button that a rule with
    ``takes_pitch_above`` removed is the button's pitch ("Step up your style with bold trainers, shipped
    to your door!" over "Shop Now"): it goes with the button's rule id. An article's exclamation seldom
    stands right above a shop's button; a line ending otherwise may well be the article's."""
    for index in range(1, len(decisions)):
        button, pitch = decisions[index], decisions[index - 1]
        if button.action is Action.REMOVE and pitch.action is Action.KEEP and pitch.text.endswith("!") \
                and len(pitch.text) <= MAX_PITCH_CHARS and not pitch.cuts:
            rule = rules.by_id.get(button.rule)
            if rule is not None and rule.takes_pitch_above:
                _take(pitch, rule.id, f"the pitch right above a button ({rule.reason})")


#: The family of the rules for share bars and buttons.
SHARE_RULES = "share."
#: The family of the rules for author bylines, boxes and bios.
AUTHOR_RULES = "author."
#: The rule of a toolbar's one-word buttons ("Email", "Print"), which a share bar holds too.
SHARE_TOOL_RULE = "navigation.tool_word"


def extend_share_bars(decisions: list[Decision], rules: RuleSet) -> None:
    """A share bar names its networks one per line under its label ("Share this:" / "Twitter" /
    "Facebook"): a kept line right below a line a share rule removed goes too when a share rule
    of the top zone matches it (a network's name alone, which elsewhere may be a one-word heading).
    Two or more such names in a row, of two networks at least, are a share bar without its label;
    a tool word of the top zone ("Email", "Print") in the bar or right under it is one of its buttons."""
    sized = [_is_button_sized(decision) for decision in decisions]
    hits = [_share_hit(decision.text, rules) if may_be_share_button(decisions, sized, i) else None
            for i, decision in enumerate(decisions)]
    for run in _runs_of_hits(hits):
        if len({decisions[i].text.strip().casefold() for i in run if hits[i].rule.id.startswith(SHARE_RULES)}) >= 2:
            for i in run:
                _remove_in_share_bar(decisions[i], hits[i])
    for i in range(1, len(decisions)):
        above, decision = decisions[i - 1], decisions[i]
        if hits[i] is not None and decision.action is Action.KEEP and above.action is Action.REMOVE \
                and above.rule.startswith(SHARE_RULES):
            _remove_in_share_bar(decision, hits[i])


def _runs_of_hits(hits: list) -> Iterator[range]:
    """The runs of consecutive indices whose hit is not None."""
    start = None
    for index, hit in enumerate([*hits, None]):
        if hit is not None and start is None:
            start = index
        elif hit is None and start is not None:
            yield range(start, index)
            start = None


def _remove_in_share_bar(decision: Decision, hit: Hit) -> None:
    _take(decision, hit.rule.id, f"{hit.rule.reason}, in a share bar")


#: A share bar's button is a line of at most this many characters and words ("X (formerly Twitter)").
BUTTON_CHARS, BUTTON_WORDS = 40, 3


def may_be_share_button(decisions: list[Decision], sized: list[bool], index: int) -> bool:
    """Whether the kept line ``index`` is short enough to be a share bar's button (``sized``: per
    line, whether it is), beside another such line or right under a line a share rule removed
    (the rules are read only then)."""
    if not sized[index]:
        return False
    if (index + 1 < len(sized) and sized[index + 1]) or (index and sized[index - 1]):
        return True
    above = decisions[index - 1] if index else None
    return above is not None and above.action is Action.REMOVE and above.rule.startswith(SHARE_RULES)


def _is_button_sized(decision: Decision) -> bool:
    return (decision.action is Action.KEEP and len(decision.text) <= BUTTON_CHARS
            and len(decision.text.split()) <= BUTTON_WORDS)


def _share_hit(text: str, rules: RuleSet):
    """The share rule of the top zone that matches ``text`` alone (a network's name), or the
    tool-word rule (a bar's "Email" or "Print" button); else None."""
    hit = rules.match_block(text, top=True)
    return hit if hit is not None and (hit.rule.id.startswith(SHARE_RULES) or hit.rule.id == SHARE_TOOL_RULE) else None


def first_prose_index(lines: list[tuple[str, bool, Block]], width: int = 0) -> int:
    """Index of the first of ``lines`` (each its text, whether a blank line stands before it, and
    its block) that reads as article prose, alone or with the lines it runs on into (a
    hard-wrapped paragraph, whose lines are each shorter than prose)."""
    start, length = 0, 0
    for index, (text, gap_before, block) in enumerate(lines):
        if index == 0 or gap_before or not _runs_on(lines[index - 1], text, width):
            start, length = index, 0
        length += len(text) + 1
        if is_prose(text) or (length > PROSE_LENGTH and ends_sentence(text) and index > start):
            return start if index > start else index
    return len(lines)


def _runs_on(previous: tuple[str, bool, Block], text: str, width: int) -> bool:
    """Whether the line ``previous`` runs on into the line ``text``: a sentence going on in lowercase,
    or a hard wrap (the next word would not have fitted)."""
    previous_text, _, previous_block = previous
    return continues_into(previous_text, text) or (width > 0 and next_word_overflows(previous_block, text, width))


def _settled(decisions: list[Decision], body: int) -> bool:
    """Whether the rules left the blocks up to the first prose (``body``) as they are and that block
    reads as prose alone: then the paragraphs the clean text holds begin with the same prose."""
    return body < len(decisions) and is_prose(decisions[body].text) and all(
        decision.action is Action.KEEP and not decision.cuts for decision in decisions[: body + 1])


#: Blocks past the first guess of the top zone's end that rejoining reads first; most texts
#: settle there, and the rest are rejoined whole.
LOOK_PAST_BODY = 8


def _first_kept_prose(text: str, decisions: list[Decision], width: int, guess: int) -> int:
    """Index of the first block of the first paragraph of prose among the paragraphs that
    rejoining builds of the blocks the rules kept (residue cut off their ends, removed blocks
    gone), or the number of blocks if none reads as prose."""
    from .rejoin import rejoin

    count = len(decisions)
    # a paragraph's text ends with the text of its last block: with no kept block that ends a
    # sentence, no paragraph reads as prose, and the text need not be rejoined to know it (a text
    # of a million short lines was rejoined whole here, and once more after)
    if not any(decision.action is Action.KEEP and ends_sentence(decision.text) for decision in decisions):
        return count
    for limit in sorted({min(guess + LOOK_PAST_BODY, count), count}):
        paragraphs, _ = rejoin(text, decisions[:limit], width)
        prose = next((paragraph for paragraph in paragraphs if is_prose(paragraph.text)), None)
        if prose is not None and (prose.sources[1] < limit - 1 or limit == count):  # a whole paragraph
            return prose.sources[0]
    return count


def apply_rules(block: Block, rules: RuleSet, top: bool = False) -> Decision:
    """The rule stage for one block: a whole-line rule, or cuts at its ends.

    ``top``: the block stands above the first paragraph of prose. A line of code is kept as it is.
    """
    decision = Decision(block, Action.KEEP, block.start, block.end, block.text)
    if block.code or _apply_block_rule(decision, rules, top):
        return decision
    hit = rules.match_leading(decision.text)
    if hit:
        _cut(decision, hit, leading=True)
    for _ in range(MAX_TRAILING_CUTS):
        hit = rules.match_trailing(decision.text)
        if not hit:
            break
        _cut(decision, hit, leading=False)
    if decision.cuts:
        _apply_block_rule(decision, rules, top)
    return decision


def _apply_block_rule(decision: Decision, rules: RuleSet, top: bool) -> bool:
    hit = rules.match_block(decision.text, top)
    if hit is None:
        return False
    rule = hit.rule
    decision.action = Action.CAPTION if rule.action == "caption" else Action.REMOVE
    decision.rule, decision.reason = rule.id, rule.reason
    return True


def _cut(decision: Decision, hit: Hit, *, leading: bool) -> None:
    """Cut the piece ``hit`` off one end of ``decision``'s text; keep the stripped rest."""
    text, offset = decision.text, decision.start
    piece = text[hit.start : hit.end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    start = offset + hit.start + lead
    decision.cuts += (Removed(hit.rule.id, piece, [[start, start + len(piece)]], hit.rule.reason),)
    rest_start, rest_end = (hit.end, len(text)) if leading else (0, hit.start)
    rest = text[rest_start:rest_end]
    decision.start = offset + rest_start + len(rest) - len(rest.lstrip())
    decision.text = rest.strip()
    decision.end = decision.start + len(decision.text)


def undo_unrepeated(decisions: list[Decision], rules: RuleSet) -> None:
    """Keep again the lines of rules that must fire ``min_repeats`` times and fired fewer.

    "Jill says" once may introduce a quote; three times, it heads reader comments.
    """
    hits: dict[str, list[Decision]] = {}
    for decision in decisions:
        rule = rules.by_id.get(decision.rule)
        if rule is not None and rule.min_repeats > 1 and decision.action is Action.REMOVE:
            hits.setdefault(rule.id, []).append(decision)
    for rule_id, fired in hits.items():
        if len(fired) < rules.by_id[rule_id].min_repeats:
            for decision in fired:
                keep_again(decision)


def mark_zones(decisions: list[Decision], rules: RuleSet, body: int, width: int = 0) -> None:
    """Remove what follows a header that opens a zone of residue, in place.

    Below the article's first paragraph, a comments header ("3 Comments", "Leave a
    Reply", "Anna says:"), an author box's ("About the author") or a reference list's
    ("References") opens a zone that runs to the end of the text; a related header
    ("Related", "You may also like") one that runs until the article resumes (see
    ``_resumes_article``), or, when it stands above the last fifth of the text's words, at
    the first sentence after at most three teasers (a box inside the article). A header
    whose rule sets ``opens_zone_below`` opens its zone only that far down the text (by
    words): "12 Comments" in the byline under the headline counts the comments; it does not
    head them. A related zone also ends where a sentence it broke goes on (``_goes_on_after``:
    the box stood inside the article; ``width``: the text's wrap width), and does not end at a
    teaser's blurb that the next card's date or label follows (``_cards_go_on``).
    """
    zone, zone_rule, zone_reason, above = "", "", "", None
    taken, in_a_box = 0, False  # blocks the zone took; a related zone that may be a box inside the article
    last_kept = broken = None  # the last block kept, and the one the open zone follows
    for decision in decisions[:body]:  # above the article no zone opens, so no such header goes ("About Lisbon" as headline)
        rule = rules.by_id.get(decision.rule)
        if rule is not None and rule.opens_zone_on_bio:
            keep_again(decision)
    for index in range(body, len(decisions)):
        decision = decisions[index]
        if decision.action is Action.KEEP and not zone:
            last_kept = decision
        if decision.action is Action.REMOVE and decision.rule in rules.by_id:
            rule = rules.by_id[decision.rule]
            if not rule.opens_zone or zone in ENDLESS_ZONES or decision.text.endswith("?"):
                continue  # a question ("Comments?") asks the reader: it heads nothing
            if rule.opens_zone_below:
                above = above or _WordsAbove(decisions)
            too_high = rule.opens_zone_below and above.share(index) < rule.opens_zone_below
            if not too_high and (not rule.opens_zone_on_bio or _bio_follows(decisions, index)):
                zone, broken = rule.opens_zone, broken if zone else last_kept
                # one rule id and one reason per zone, shared by its blocks (a zone may hold a million)
                zone_rule = f"zone.{zone}"
                zone_reason = f"inside the {zone} zone opened by {decision.rule} ({decision.text!r})"
                taken = 0
                if zone == "related":
                    above = above or _WordsAbove(decisions)
                    # a header in wide characters (Chinese, Japanese, Korean) heads a box wherever it
                    # stands: its teasers seldom carry a blurb, and the words of those scripts are not
                    # counted as spaced ones are, so the share above it says little
                    in_a_box = display_width(decision.text) > len(decision.text) or above.share(index) <= MAX_BOX_SHARE_ABOVE
                continue
            if not rule.opens_zone_on_bio:
                continue
            keep_again(decision)  # such a header goes only with its zone ("About Lisbon" stays), as any other line
            if not zone:
                last_kept = decision
        if not zone or decision.action is not Action.KEEP:
            continue
        if zone == "related" and (_resumes_article(decisions, index) or _goes_on_after(broken, decision, width)
                                  or (in_a_box and taken <= MAX_BOX_TEASERS and _ends_a_sentence(decision.text)
                                      and not _cards_go_on(decisions, index))):
            zone, last_kept = "", decision
            continue
        taken += 1
        decision.action, decision.rule, decision.reason = Action.REMOVE, zone_rule, zone_reason


#: What a bio says its subject is, in its first sentence: a trade, a walk of life, or a business,
#: within a few words of "is a" ("Ann Lee is a freelance writer", "Clay is a design agency").
_BIO_SUBJECT = re.compile(
    r"\b(?:is|was|has\s+been)\s+(?:(?:a|an|the)\s+)?(?:\S+\s+){0,4}?"
    r"(?:writer|editor|author|journalist|reporter|columnist|contributor|blogger|photographer|illustrator|podcaster"
    r"|founder|co-founder|owner|ceo|director|manager|consultant|coach|researcher|professor|teacher|expert|specialist"
    r"|designer|developer|engineer|analyst|marketer|entrepreneur|creator|host|producer|artist|chef|nurse|physician"
    r"|traveller|traveler|tester|enthusiast|homesteader|mom|mother|dad|father|leader"
    r"|agency|company|firm|studio|publisher|consultancy|organi[sz]ation|non-?profit|platform|provider|directory)s?\b",
    re.IGNORECASE,
)
#: How much of the block under a header is read for its subject: a bio's first sentence.
BIO_LEAD = 200
#: How many blocks under a header are read for its bio: a box may put a label or an ad marker first.
BIO_LOOKAHEAD = 3


def _bio_follows(decisions: list[Decision], index: int) -> bool:
    """Whether a bio of the one header ``index`` names ("About Ann Lee") follows it: the first
    block under it that no rule took opens with a capitalised word of the header's but its first,
    and names a trade, a walk of life or a business in its first sentence ("Ann Lee is a freelance
    writer ...", "Harbour Media is a digital agency ..."); or, on the way to it, a rule of the
    author family took a block, or another rule a line naming the one the header names ("More
    articles by Ann Lee"). Under "About Lisbon", "Lisbon is a city of hills ..." is the article's
    own section."""
    names = {word for word in _bare_words(decisions[index].text)[1:] if word[:1].isupper()}
    for below in decisions[index + 1:index + 1 + BIO_LOOKAHEAD]:
        if below.rule.startswith(AUTHOR_RULES):
            return True
        if below.action is not Action.KEEP:
            if not names.isdisjoint(_bare_words(below.text)):
                return True
            continue
        return _bio_subject(below.text) in names
    return False


def _bio_subject(text: str) -> str | None:
    """The first word of a bio, the one it names ("Ann" of "Ann Lee is a freelance writer ..."):
    the first sentence says, within a few words of "is a", it is of a trade, a walk of life or a
    business; None for a text that does not read so."""
    first = _bare_words(text[:BIO_LEAD])[:1]
    lead = re.split(r"(?<=[.!?])\s", text[:BIO_LEAD], maxsplit=1)[0]
    return first[0] if first and _BIO_SUBJECT.search(lead) is not None else None


#: How many paragraphs a bio goes on over, below the one a rule took.
BIO_CARRY = 2
#: A paragraph that goes on with a bio: it opens with the one it names ("Karina holds an MBA ...",
#: the name put in below), or names them after an opening pronoun ("When she's not leading the firm,
#: Karina ...").
_BIO_PRONOUN = re.compile(r"(?:when\s+)?(?:she|he|they)\b", re.IGNORECASE)


def carry_bios_on(decisions: list[Decision]) -> None:
    """A bio an author rule took ("Karina Cohen is the owner of ...") may go on over the next
    paragraphs, which no rule reads as one ("Karina holds an MBA from ...", "When she's not leading
    the firm, Karina ..."): up to ``BIO_CARRY`` kept paragraphs right below it that open with the
    first name of the one it names, or name them after an opening pronoun, go with its rule id."""
    for index, decision in enumerate(decisions):
        if decision.action is not Action.REMOVE or not decision.rule.startswith(AUTHOR_RULES):
            continue
        name = _bio_subject(decision.text)
        if not name or not name[:1].isupper():
            continue
        for below in decisions[index + 1:index + 1 + BIO_CARRY]:
            words = _bare_words(below.text)
            opens = bool(words) and (words[0] == name or (_BIO_PRONOUN.match(below.text) and name in words))
            if below.action is not Action.KEEP or not opens:
                break
            _take(below, decision.rule, f"{decision.reason}, the bio going on")


def keep_again(decision: Decision) -> None:
    """Keep a block a rule, a cue or the model had taken, as if none had."""
    decision.action, decision.rule, decision.reason, decision.score = Action.KEEP, "", "", 1.0


def _take(decision: Decision, rule: str, reason: str) -> None:
    """Remove a block the rules kept, with the rule id and reason of the verdict it goes with."""
    decision.action, decision.rule, decision.reason = Action.REMOVE, rule, reason


def _bare_words(text: str) -> list[str]:
    """The words of ``text`` without the punctuation around them ("Lee," is "Lee")."""
    return [word.strip(",.;:'’") for word in text.split()]


class _WordsAbove:
    """The share of the text's words above a block, for blocks asked in increasing order:
    one pass over the text in all, and no list as long as the text."""

    def __init__(self, decisions: list[Decision]):
        self.decisions = decisions
        self.total = max(1, sum(word_count(decision.block.text) for decision in decisions))
        self.index = self.above = 0

    def share(self, index: int) -> float:
        self.above += sum(word_count(self.decisions[at].block.text) for at in range(self.index, index))
        self.index = index
        return self.above / self.total


#: Paragraphs of prose in a row that resume the article after a related box, when none is long.
RESUMING_RUN = 3


#: A related header with at most this share of the text's words above it may head a box inside
#: the article, of at most ``MAX_BOX_TEASERS`` teasers, which the first sentence ends
#: (``_ends_a_sentence``; a teaser's blurb that ends in one is taken for the article).
MAX_BOX_SHARE_ABOVE = 0.8
MAX_BOX_TEASERS = 3
MIN_SENTENCE_WORDS = 4
#: The same in Chinese or Japanese, whose words no space sets apart: a sentence this wide (in
#: ``display_width`` columns: twelve characters).
MIN_SENTENCE_COLUMNS = 24
#: A sentence broken by a related box: its first half, above the box, is a line of this many words.
MIN_BROKEN_WORDS = 8


def _ends_a_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence of ``MIN_SENTENCE_WORDS`` words or more (in a script
    written without spaces, of ``MIN_SENTENCE_COLUMNS`` columns): the article going on after a
    box of teasers, whose headlines end in none."""
    return ends_sentence(text) and (word_count(text) >= MIN_SENTENCE_WORDS
                                    or (UNSPACED.search(text) is not None and display_width(text) >= MIN_SENTENCE_COLUMNS))


def _goes_on_after(before: Decision | None, decision: Decision, width: int) -> bool:
    """Whether ``decision`` ends the sentence that ``before``, the block kept above a zone, left
    open in the middle of a line of prose, as rejoining would join them with the zone taken out
    ("... spent four days hand-pumping" / RELATED ARTICLES / ... / "seawater after her
    desalinator broke."). A heading or a table's header row ("Company Rating" / ... / "out of
    148") is no sentence broken off."""
    from .rejoin import joins_across_residue

    return (before is not None and word_count(before.text) >= MIN_BROKEN_WORDS and before.text[-1].islower()
            and starts_lowercase(decision.text) and ends_sentence(decision.text)
            and joins_across_residue(before, decision, True, width))


def _resumes_article(decisions: list[Decision], index: int) -> bool:
    """Whether block ``index``, inside a related zone, resumes the article: a long paragraph of
    prose, or the first of ``RESUMING_RUN`` paragraphs of prose in a row (a teaser of another
    story comes alone, or between headlines)."""
    text = decisions[index].text
    if not is_prose(text):
        return False
    if _cards_go_on(decisions, index):
        return False
    if len(text) >= 2 * PROSE_LENGTH:
        return True
    kept = (decisions[at].text for at in range(index, len(decisions)) if decisions[at].action is Action.KEEP)
    following = list(islice(kept, RESUMING_RUN))
    return len(following) == RESUMING_RUN and all(map(is_prose, following))


#: After a teaser's blurb inside a related zone, the next card's residue (its date, a "Sponsored
#: Content" label) comes within this many blocks and before any prose.
CARD_LOOKAHEAD = 4
#: The rules whose lines a teaser card carries besides its headline and blurb: its date, byline or
#: reading time, a link label, a "Sponsored" tag. Not an ad marker, a share bar or a photo credit,
#: which stand between an article's paragraphs too.
CARD_RULES = ("navigation.", "related.", "ads.sponsored_label")


def _cards_go_on(decisions: list[Decision], index: int) -> bool:
    """Whether the blocks after ``index`` go on as the cards of a list of teasers: within
    ``CARD_LOOKAHEAD`` blocks and before any kept prose, a card's line that a rule removed
    (``CARD_RULES``), as in "Headline / blurb / Dec 19, 2025 / Sponsored Content / Headline /
    blurb". The zone then does not end at the blurb, though it reads as the article resuming."""
    for decision in decisions[index + 1 : index + 1 + CARD_LOOKAHEAD]:
        if decision.action is Action.KEEP and is_prose(decision.text):
            return False
        if decision.action is Action.REMOVE and decision.rule.startswith(CARD_RULES):
            return True
    return False


def mark_captions(decisions: list[Decision]) -> None:
    """Turn blocks that read as photo captions into captions, walking backwards.

    Candidates are the kept blocks and those the model removed (a caption is
    not body text, but it is worth keeping as a caption). Walking from the end
    lets each block know whether any content follows it. The first kept block
    (the headline's place) becomes a caption only on a credit; a block whose
    sentence runs on into the next kept block is the first half of a split
    paragraph, never a caption, and neither is the second half (``keep_second_halves``).
    """
    candidates = [i for i, d in enumerate(decisions) if d.action is Action.KEEP or d.rule == MODEL_RULE]
    mark_shared_credits([decisions[i] for i in candidates])
    mark_announced_pictures(decisions)
    kept = [i for i in candidates if decisions[i].action is Action.KEEP]
    first_kept = kept[0] if kept else -1
    next_kept: Decision | None = None
    for index in reversed(candidates):
        decision = decisions[index]
        if decision.action is Action.CAPTION:
            continue
        if not decision.block.code and next_kept is not None and echoes_next(decision.text, next_kept.text):
            _make_caption(decision, ECHO)
            continue
        if decision.action is Action.KEEP and index != first_kept and not decision.block.code and \
                names_a_scene(decision.text) and not is_short_sentence(next_kept and next_kept.text) and \
                not is_short_sentence(_previous_kept_text(decisions, kept, index)):
            _make_caption(decision, SCENE)
            continue
        if index != first_kept and not decision.block.code and (verdict := _caption_by_neighbour(decisions, index)):
            _make_caption(decision, verdict)
            continue
        if not decision.block.code and may_be_caption(decision.text) and \
                (next_kept is None or not continues_into(decision.text, next_kept.text)):
            verdict = caption_verdict(
                decision.text,
                at_end=next_kept is None,
                beside_residue=_beside_residue(decisions, index),
                headline_place=index == first_kept,
            )
            if verdict:
                _make_caption(decision, verdict)
                continue
        if decision.action is Action.KEEP:
            next_kept = decision
    keep_second_halves(decisions)


def mark_shared_credits(candidates: list[Decision]) -> None:
    """Turn into captions the short labels that credit a name several others credit too
    ("Harbour Map by Studio Kite", "Tide Chart by Studio Kite", ...), photographers credited for the
    same outlet ("Ana Lis/Harbour Weekly", "Tom Eske/Harbour Weekly", ...), and photographers' studios
    named on several lines ("Ana Moss Photography", "Theo Brand Photography", ...): a gallery's credits."""
    credited = [(decision, name) for decision in candidates
                if " by " in decision.text and not decision.block.code and not is_prose(decision.text)
                and (name := credited_name(decision.text))]
    shared = shared_names([name for _, name in credited])
    for decision, name in credited:
        if name in shared:
            _make_caption(decision, SHARED_CREDIT)
    outlets = [(decision, outlet) for decision in candidates
               if not decision.block.code and (outlet := credited_outlet(decision.text))]
    shared = shared_names([outlet for _, outlet in outlets])
    for decision, outlet in outlets:
        if outlet in shared:
            _make_caption(decision, SHARED_OUTLET)
    studios = [decision for decision in candidates if not decision.block.code and is_studio_credit(decision.text)]
    if len(studios) >= MIN_SHARED_CREDITS:
        for decision in studios:
            _make_caption(decision, STUDIO_CREDITS)


def mark_announced_pictures(decisions: list[Decision]) -> None:
    """Turn into captions the titles of the pictures a paragraph announces ("Here are photos of the
    shelves we built:" / "Oak shelf for the hall" / "Pine bench with a drawer"): the short lines right
    under it, residue and captions between them left out, all of them when it announces several
    pictures, the first when one (``captions.announced_pictures``); a paragraph ends the run."""
    announced = 0
    for decision in decisions:
        if decision.action is Action.CAPTION or (decision.action is Action.REMOVE and decision.rule != MODEL_RULE):
            continue
        if announced and not decision.block.code and reads_as_picture_title(decision.text):
            _make_caption(decision, ANNOUNCED_PICTURE)
            announced = 2 if announced == 2 else 0
        else:
            announced = 0 if decision.block.code or decision.action is not Action.KEEP else announced_pictures(decision.text)


def _caption_by_neighbour(decisions: list[Decision], index: int) -> Verdict | None:
    """The verdict on block ``index`` as a caption its neighbour marks: kept above a bare photo
    credit, beside a caption's show/hide toggle, or after a slideshow's controls below the article's
    prose; None when no neighbour does."""
    decision = decisions[index]
    if decision.action is Action.KEEP and _over_bare_credit(decisions, index) and describes_credited_picture(decision.text):
        return OVER_CREDIT
    if _beside_caption_toggle(decisions, index) and reads_as_toggled_caption(decision.text):
        return BESIDE_CAPTION_TOGGLE
    previous = decisions[index - 1] if index > 0 else None
    if previous is not None and previous.action is Action.REMOVE and is_slide_controls(previous.text) and \
            reads_as_slide_caption(decision.text) and _prose_kept_before(decisions, index - 1):
        return AFTER_SLIDE_CONTROLS
    return None


def _over_bare_credit(decisions: list[Decision], index: int) -> bool:
    """Whether the block right after block ``index`` is a caption rule's bare credit of a photo ("Photo: Ana Lis",
    not "Image source: ...")."""
    following = decisions[index + 1] if index + 1 < len(decisions) else None
    return following is not None and following.action is Action.CAPTION and following.rule in BARE_CREDIT_RULES \
        and credits_a_photo(following.text)


def _beside_caption_toggle(decisions: list[Decision], index: int) -> bool:
    """Whether a caption's show/hide toggle ("toggle caption") stands right after block ``index``, or right
    before it when the block is no paragraph of prose (some templates put the toggle above the caption,
    and the article may go on under it)."""
    return (index + 1 < len(decisions) and is_caption_toggle(decisions[index + 1].text)) or \
        (index > 0 and is_caption_toggle(decisions[index - 1].text) and not is_prose(decisions[index].text))


def _prose_kept_before(decisions: list[Decision], index: int) -> bool:
    """Whether a kept paragraph of prose stands before block ``index``: slideshow controls inside the
    article, not a pager above it, whose next line is the article's first paragraph."""
    return any(d.action is Action.KEEP and is_prose(d.text) for d in decisions[:index])


def _previous_kept_text(decisions: list[Decision], kept: list[int], index: int) -> str | None:
    """The text of the kept block before block ``index`` (``kept``: the kept blocks' indices, in order)."""
    at = bisect_left(kept, index)
    return decisions[kept[at - 1]].text if at > 0 else None


def _make_caption(decision: Decision, verdict: Verdict) -> None:
    decision.action = Action.CAPTION
    decision.rule, decision.reason = verdict.rule, verdict.reason


def keep_second_halves(decisions: list[Decision]) -> None:
    """Keep, in place, a caption (by a rule or by its cues) that the sentence of the kept block
    before it runs on into: the second half of a paragraph ("... four euros, children" / "half
    price. (Photo: Town Hall)"), which a credit at its end made look like a caption. The block
    before must read as a sentence broken off (``breaks_off_a_sentence``), and not be the headline
    with a blank line under it: a credit that opens with a handle in lower case ("jdoe/Getty
    Images") under a headline or a short heading is a caption."""
    previous: Decision | None = None
    headline = True
    for decision in decisions:
        if decision.action is Action.CAPTION and previous is not None and continues_into(previous.text, decision.text) \
                and breaks_off_a_sentence(previous.text) and not (headline and decision.block.gap_before):
            keep_again(decision)
        if decision.action is Action.KEEP:
            headline = previous is None
            previous = decision


#: A sentence broken off by a line break has at least this many words before it (a heading has fewer).
MIN_FIRST_HALF_WORDS = 4


def breaks_off_a_sentence(text: str) -> bool:
    """True when ``text`` reads as the first half of a sentence that a line break cut: of
    ``MIN_FIRST_HALF_WORDS`` words or more, ending in a letter in lower case or a comma (a
    heading or a name ends otherwise: "Staff Picks", "... before 1700")."""
    return word_count(text) >= MIN_FIRST_HALF_WORDS and (text[-1].islower() or text[-1] == ",")


def judge_paragraphs(
    paragraphs: list[Paragraph], decisions: list[Decision], rules: RuleSet, width: int = 0,
    disabled: frozenset[str] = frozenset(),
) -> tuple[list[Removed], list[Caption]]:
    """Take out paragraphs that read as residue or captions once rejoined, or once last, and
    those the engine's verdicts find (``engine_verdicts``; ``disabled``: their ids switched off).

    A caption hard-wrapped over two lines, or lines that only together match a
    rule, are only visible as a whole after rejoining; and a paragraph may become
    the last one when what followed it turns out to be residue. Judging those
    paragraphs the way single blocks were judged keeps cleaning idempotent:
    cleaning the output again sees the same paragraphs. For the same reason, the
    paragraphs either side of one taken out are joined when a sentence runs on
    from one into the other (``rejoin.gap_join``; ``width``: the text's wrap width).
    A block of code is left as it is.
    """
    from .rejoin import Joined, gap_join

    engine = engine_verdicts(paragraphs, disabled)
    removed, captions = [], []
    # the paragraphs after the one at hand, the last first: the list is rebuilt once, not shifted at
    # each paragraph taken out; a paragraph that others were joined onto is a ``Joined`` until the end
    following: list[Paragraph | Joined] = []
    for index in reversed(range(len(paragraphs))):
        paragraph = paragraphs[index]
        verdict = None if isinstance(paragraph, Joined) else engine.get(index)  # one joined onto since is another
        if isinstance(paragraph, Joined):
            if paragraph.size > LONGEST_JUDGED:  # no block rule or caption reads a paragraph this long
                following.append(paragraph)
                continue
            paragraph = paragraph.paragraph()
        if verdict:
            rule, reason = verdict
            piece = Removed(rule, paragraph.text, paragraph.spans, reason)
        else:
            piece = _judged(paragraph, index == 0, not following, decisions, rules)
        if piece is None:
            following.append(paragraph)
            continue
        (removed if isinstance(piece, Removed) else captions).append(piece)
        # taken out: the paragraphs either side of it are joined if cleaning the clean text again would
        if index > 0 and following:
            before, after = paragraphs[index - 1], following[-1]
            join = gap_join(before, after.first if isinstance(after, Joined) else after.sources[0], decisions, width,
                            first=index == 1)
            if join:
                following.pop()
                paragraphs[index - 1] = (after if isinstance(after, Joined) else Joined(after)).join_after(before, join)
    paragraphs[:] = [piece.paragraph() if isinstance(piece, Joined) else piece for piece in reversed(following)]
    return removed, captions


def _judged(paragraph: Paragraph, first: bool, last: bool, decisions: list[Decision], rules: RuleSet) -> Removed | Caption | None:
    """What a rule or a caption cue makes of a rejoined paragraph, or of one that became the
    ``last``; None for a paragraph they leave (or that they judged as a block already)."""
    if (paragraph.joins or last) and CODE_JOIN not in paragraph.joins:
        start, end = paragraph.sources
        hit = rules.match_block(paragraph.text, top=first)
        if hit and hit.rule.action == "remove":
            return Removed(hit.rule.id, paragraph.text, paragraph.spans, hit.rule.reason)
        if hit:
            return Caption(paragraph.text, paragraph.spans, hit.rule.id, hit.rule.reason)
        beside = _beside_residue(decisions, start) or _beside_residue(decisions, end)
        verdict = caption_verdict(paragraph.text, at_end=last, beside_residue=beside, headline_place=first)
        if verdict:
            return Caption(paragraph.text, paragraph.spans, verdict.rule, verdict.reason)
    return None


def engine_verdicts(paragraphs: list[Paragraph], disabled: frozenset[str] = frozenset()) -> dict[int, tuple[str, str]]:
    """The engine's own verdicts (``ENGINE_VERDICTS``) on the paragraphs: index -> (rule id, reason)."""
    verdicts = {}
    if SIBLING_LINKS_RULE not in disabled:
        verdicts.update(dict.fromkeys(sibling_links(paragraphs), (SIBLING_LINKS_RULE, SIBLING_LINKS_REASON)))
    if REPEATED_RULE not in disabled:
        verdicts.update(dict.fromkeys(repeated_paragraphs(paragraphs), (REPEATED_RULE, REPEATED_REASON)))
    return verdicts


def sibling_links(paragraphs: list[Paragraph]) -> set[int]:
    """The indexes of the paragraphs in runs of ``MIN_SIBLING_RUN`` or more single lines in a row
    that open with the same ``SIBLING_PREFIX_WORDS`` words, say more, and end no sentence: the list
    of a site's pages of one kind ("Cleaning costs in Austin", "Cleaning costs in Boston", ...).
    Runs are looked for again among the paragraphs left, until none is found: lines that a run
    separated would make one once it is out (and cleaning the clean text would find it)."""
    keys = [_sibling_key(paragraph) for paragraph in paragraphs]
    found: set[int] = set()
    while True:
        left = [index for index in range(len(paragraphs)) if index not in found]
        runs = (list(run) for key, run in groupby(left, keys.__getitem__) if key)
        more = {index for run in runs if len(run) >= MIN_SIBLING_RUN for index in run}
        if not more:
            return found
        found |= more


def _sibling_key(paragraph: Paragraph) -> tuple[str, ...] | None:
    """A short line's first ``SIBLING_PREFIX_WORDS`` words, lowercased; None for a paragraph that
    cannot be a link (long, ending a sentence, code or a table row). A paragraph rejoined from
    several lines counts as its text does: cleaning the clean text again reads it as one line."""
    text = paragraph.text
    if ends_sentence(text) or not SIBLING_PREFIX_WORDS < word_count(text) <= MAX_SIBLING_WORDS:
        return None
    if is_code_line(text) or is_table_row(text):
        return None
    words = _WORD.findall(text.lower())
    return tuple(words[:SIBLING_PREFIX_WORDS]) if len(words) > SIBLING_PREFIX_WORDS else None


def repeated_paragraphs(paragraphs: list[Paragraph]) -> set[int]:
    """The indexes of the paragraphs that repeat, word for word, one above them: the same
    paragraph twice in one text is a template's (a FAQ printed twice, a call to action under
    every section, a blurb per card), and the reader loses nothing, the first copy staying.
    Only a paragraph of ``MIN_REPEATED_WORDS`` words or more that ends a sentence, and no
    list item, table row or code: shorter ones repeat in real articles ("Pros", "Step 2:"),
    and so do a list's items and a program's lines. (A copy is asked what it is only once
    found: most paragraphs are not.)"""
    seen, repeats = set(), set()
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if text not in seen:
            seen.add(text)
        elif (ends_sentence(text) and CODE_JOIN not in paragraph.joins and not is_list_item(text)
              and not is_table_row(text) and word_count(text) >= MIN_REPEATED_WORDS and not is_code_line(text)):
            repeats.add(index)
    return repeats


#: The longest paragraph a block rule (``rules.MAX_RULE_LENGTH``) or a caption (``captions.MAX_CAPTION_LENGTH``)
#: may be: ``judge_paragraphs`` need not join the text of a longer one to judge it.
LONGEST_JUDGED = max(MAX_RULE_LENGTH, MAX_CAPTION_LENGTH)


def continues_into(text: str, following: str) -> bool:
    """True when the sentence of ``text`` runs on into ``following``."""
    return not ends_sentence(text) and starts_lowercase(following)


def _beside_residue(decisions: list[Decision], index: int) -> bool:
    neighbours = decisions[max(0, index - 1) : index] + decisions[index + 1 : index + 2]
    return any(d.action is Action.REMOVE for d in neighbours) or bool(decisions[index].cuts)
