"""Photo captions and credits: cues read off one block, and the verdict.

A caption reads like a sentence but is not one: it rarely ends with terminal
punctuation, names who stands where ("left", "(L-R)", "pictured"), ends with a
day, date and place ("... on Thursday in New York") or a credit ("AP Photo/...",
"Getty Images"), and sits at the end of the text or beside other residue. No cue
alone makes a caption (body text says "he left" too); the verdict names the cues
it used, so ``--explain`` can say why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .blocks import ends_sentence


class _Lazy:
    """A regex compiled on first use: caption cues are not needed to start up."""

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def search(self, text: str) -> re.Match | None:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return self._compiled.search(text)

#: A block ending like this is prose: a credit tail ends with a name or ")".
_PROSE_END = frozenset(".!?;:,…")
MIN_CAPTION_LENGTH = 25
MAX_CAPTION_LENGTH = 400
MIN_CAPTION_WORDS = 5
#: Without a credit, a caption is a full description, longer than a heading.
MIN_CUED_WORDS = 8
#: A short sentence-case line with no full stop, left at the very end, is a caption.
MAX_LAST_LINE_WORDS = 15
#: The date/place tail must start within this many characters of the end.
TAIL_WINDOW = 90

_POSITIONAL = _Lazy(
    r"""
    \((?: l\s*-\s*r | r\s*-\s*l | from\ left | left | right | centre | center | top | bottom
        | v\.\s*l\.\s*n\.\s*r\. | de\ g\.\ à\ d\. | de\ izq\.\ a\ der\. | слева\ направо )\)
    | \b(?: far\ left | far\ right | second\ (?:from\ )?(?:left|right) | from\ left
        | (?:is|are)\ (?:seen|pictured|shown) | pictured | poses? | posing | looks\ on | gestures
        | (?:talk|talks|speaks|walks|arrives|smiles|waves|holds|stands|sits|attends)
          \ (?:during|at|with|in|on|as|after|near|outside|inside|next|to)
        | im\ bild | v\.\s*l\.\s*n\.\s*r\. | sur\ la\ photo | de\ gauche\ à\ droite
        | en\ la\ imagen | en\ la\ foto | nella\ foto | da\ sinistra | na\ foto | op\ de\ foto
        | на\ фото | на\ снимке | слева\ направо )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: "Lavrov, left, and ...", "Lavrov left and Kerry ...": a side named after a name or a comma.
_SIDE = _Lazy(
    r"""
    (?: ,\s* | \b[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s+ )
    (?: left | right | centre | center | links | rechts | à\ gauche | à\ droite | a\ la\ izquierda
      | a\ la\ derecha | a\ sinistra | a\ destra | à\ esquerda | à\ direita | слева | справа )
    (?= \s* (?: [,)] | \b(?:and|und|et|y|e|en|и)\b | \Z ) )
    """,
    re.VERBOSE,
)

_CREDIT_TAIL = _Lazy(
    r"""
    (?: \( [^()]{0,30}? \b(?: photo | foto | image | bild | picture | credit | crédit | фото )s?\b
          \s* (?: : | / | by | via | von | par | © ) [^()]{1,60} \)
      | (?: \b(?: ap | afp | epa | dpa | reuters | getty | anp | ansa | efe | ria | tass ) \b
          [^\s/()]{0,20} \s* / \s* [^\s/()][^/()]{0,60} )
      | (?: (?: ^ | [/|(:—–-] | \b(?: photo | foto | image | credit | courtesy | via ) ) \s*
          (?: getty\ images | reuters | shutterstock | istock(?:photo)? | afp | dpa | epa | keystone
            | associated\ press | ap | anp | ansa | efe | picture\ alliance | imago )
          (?: \s* (?: via\ getty\ images | /\ [^/()]{1,40} ) )? )
      | (?: \b(?: photo | photograph | foto | image | bild | picture | credit | crédit\ photo
            | photo\ credit | crédits? | фото ) \s* (?: : | by | / | © ) \s*
          [^.!?\s]+ (?: \s+ [^.!?\s]+ ){0,7} )
    ) \s* [.)]? \s* \Z
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Month and weekday names (and their abbreviations) in the rule languages.
_DATE_WORDS = frozenset("""
    jan january feb february mar march apr april may jun june jul july aug august sep sept september
    oct october nov november dec december monday tuesday wednesday thursday friday saturday sunday
    januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag freitag
    samstag sonntag janvier février mars avril juin juillet août septembre octobre novembre décembre
    lundi mardi mercredi jeudi vendredi samedi dimanche enero febrero marzo abril mayo junio julio
    agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves viernes sábado domingo
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì martedì mercoledì
    giovedì venerdì sabato domenica janeiro fevereiro março maio junho julho setembro outubro
    novembro dezembro januari februari maart mei augustus maandag dinsdag woensdag donderdag
    vrijdag zaterdag zondag января февраля марта апреля мая июня июля августа сентября октября
    ноября декабря понедельник вторник среда четверг пятница суббота воскресенье
""".split())
#: Prepositions that open a place name at the end of a caption ("... in New York").
_PLACE_WORDS = frozenset("in at near outside inside à au en a em no na bei im in der het в во под".split())
_WORD = re.compile(r"\w+")


def has_date_or_place_tail(tail: str) -> bool:
    """True when ``tail`` names a day, month or year, or ends with a place ("in Lyon")."""
    for word in _WORD.findall(tail.lower()):
        if word in _DATE_WORDS or (len(word) == 4 and word[:2] in ("19", "20") and word.isdigit()):
            return True
    last = tail.split()[-5:]
    return any(word.lower() in _PLACE_WORDS and following[:1].isupper() for word, following in zip(last, last[1:]))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a block is a caption: the rule id and the cues that made it one."""

    rule: str
    cues: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "caption cues: " + ", ".join(self.cues)


#: Every credit tail holds one of these; a tail without any is not searched.
_CREDIT_WORDS = ("/", "photo", "foto", "image", "bild", "picture", "credit", "crédit", "фото", "getty",
                 "reuters", "shutterstock", "istock", "afp", "dpa", "epa", "keystone", "press", "ap",
                 "anp", "ansa", "efe", "alliance", "imago")


def has_credit_tail(text: str) -> bool:
    """True when ``text`` ends with a photo credit ("(AP Photo/...)", "Photo: ...")."""
    return _tail_matches(text[-TAIL_WINDOW - 40 :], _CREDIT_WORDS, _CREDIT_TAIL)


def _tail_matches(tail: str, words: tuple[str, ...], pattern: _Lazy) -> bool:
    """Whether ``pattern`` finds a credit in ``tail``, searched only when the tail holds one of ``words``."""
    return any(map(tail.lower().__contains__, words)) and bool(pattern.search(tail))


#: A credit closed by a full stop, as a sentence of its own ("... bird bath. Image via Ann Lee.",
#: "Photo: jkim/Flickr."): the words its tail must hold, and the credit. Its first word is a
#: name (capitalised) or a handle ("/"), so "the photo by Jane was shared widely." is no credit.
_STOP_CREDIT_WORDS = ("photo", "image", "picture", "foto", "bild", "credit", "getty", "flickr", "unsplash",
                      "shutterstock", "wikimedia", "pexels", "фото")
_STOP_CREDIT = _Lazy(
    r"""
    (?: ^ | (?<= [.;:(] ) \s* | \s [-–—|] \s )
    (?: (?: photo(?:graph)?s? | images? | pictures? | fotos? | bild | credits? | фото ) \s* (?: : | by | via | / | © | [-–—] ) \s*
        (?: (?-i: [A-Z@À-Þ] ) [^.!?\s]* | [^.!?\s]*/[^.!?\s]* ) (?: \s+ [^.!?\s]+ ){0,6}
      | [^.!?]{0,60}? (?: via | / ) \s* (?: getty \s+ images | shutterstock | istock | flickr | unsplash | pexels | wikimedia (?: \s+ commons )? ) )
    \s* \. \Z
    """,
    re.IGNORECASE | re.VERBOSE,
)


def has_stop_credit(text: str) -> bool:
    """True when ``text`` ends with a photo credit and a full stop (see ``_STOP_CREDIT``)."""
    return text[-1:] == "." and _tail_matches(text[-TAIL_WINDOW:], _STOP_CREDIT_WORDS, _STOP_CREDIT)


def may_be_caption(text: str) -> bool:
    """A cheap first look: caption-sized, and not ending like prose (unless with a credit: "... Photo: Jo Kim.")."""
    return MIN_CAPTION_LENGTH <= len(text) <= MAX_CAPTION_LENGTH and (text[-1] not in _PROSE_END or has_stop_credit(text))


def caption_verdict(text: str, *, at_end: bool, beside_residue: bool, headline_place: bool) -> Verdict | None:
    """The verdict on ``text`` as a caption, or None when it reads as body text.

    ``at_end``: only residue and captions follow the block. ``beside_residue``: a
    block removed by a rule sits directly before or after it. ``headline_place``:
    the block is the first one kept, where the headline stands; only a credit
    makes a caption there.
    """
    if not may_be_caption(text) or not _starts_like_caption(text):
        return None
    words = text.split()
    if len(words) < MIN_CAPTION_WORDS and not (text[-1:] == "." and has_stop_credit(text)):
        return None  # a short line is a caption only by a credit of its own sentence ("Ferry pier. Photo: Jo Kim.")
    if text[-1] in _PROSE_END or has_credit_tail(text):  # a prose ending got past may_be_caption by its credit
        return Verdict("caption.credit", ("credit tail",))
    if headline_place or ends_sentence(text):
        return None
    if len(words) >= MIN_CUED_WORDS:
        verdict = _cued_verdict(text, at_end=at_end, beside_residue=beside_residue)
        if verdict:
            return verdict
    if at_end and _reads_like_last_line_caption(text, words):
        return Verdict("caption.last_line", ("last line", "no terminal punctuation", "sentence case"))
    return None


def _cued_verdict(text: str, *, at_end: bool, beside_residue: bool) -> Verdict | None:
    """A caption by its cues: a positional word, or a date or place tail, in context."""
    context = [cue for cue, present in (("at end", at_end), ("beside residue", beside_residue)) if present]
    if has_date_or_place_tail(text[-TAIL_WINDOW:]):
        context.insert(0, "date or place tail")
    if not context:
        return None
    positional = _POSITIONAL.search(text) or _SIDE.search(text)
    if positional:
        word = positional.group().strip(" ,")
        return Verdict("caption.positional", (f"positional '{word}'", *context, "no terminal punctuation"))
    if len(context) == 3:
        return Verdict("caption.dateline", ("no terminal punctuation", *context))
    return None


def _reads_like_last_line_caption(text: str, words: list[str]) -> bool:
    """A short sentence-case description left at the very end: no digits, colon or list marks."""
    return (
        len(words) <= MAX_LAST_LINE_WORDS
        and not _title_case(words)
        and not any(char.isdigit() or char in ":;()[]|•" for char in text)
    )


def _title_case(words: list[str]) -> bool:
    """True when most longer words are capitalised, as in a headline or heading."""
    longer = [word for word in words if len(word) > 3]
    return sum(word[0].isupper() for word in longer) > len(longer) / 2


def _starts_like_caption(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'«(["


#: A short line naming a picture and who made it ("Harbour Map by Studio Kite"): the name after "by".
_BY_CREDIT = _Lazy(r"\s by \s+ ( (?-i:[A-Z@]) [\w.'’&-]* (?: \s+ (?-i:[A-Z]) [\w.'’&-]* ){0,2} ) \Z", re.VERBOSE)
#: A line of more words than this is no picture's label.
MAX_LABEL_WORDS = 12
#: How many labels must credit the same name before they read as a gallery's credits.
MIN_SHARED_CREDITS = 3
SHARED_CREDIT = Verdict("caption.shared_credit", ("one of several labels crediting the same name",))


def credited_name(text: str) -> str | None:
    """The name a short label ends by crediting ("Harbour Map by Studio Kite" -> "Studio Kite"), else None
    (a line ending a sentence is no label)."""
    if len(text.split()) > MAX_LABEL_WORDS or " by " not in text or ends_sentence(text):
        return None
    match = _BY_CREDIT.search(text)
    return match.group(1) if match else None


def shared_names(names: list[str]) -> set[str]:
    """The names among ``names`` (one per label) that ``MIN_SHARED_CREDITS`` labels or more credit,
    and, once one name is, the names that two labels credit too.

    One "Harbour Map by Studio Kite" may be a heading for a book or a work; three
    labels crediting the same studio are the captions of its pictures, and on a page
    with such a gallery, two labels crediting another studio are its pictures too.
    """
    counts = Counter(names)
    if not counts or max(counts.values()) < MIN_SHARED_CREDITS:
        return set()
    return {name for name, count in counts.items() if count >= 2}


#: A label that the next paragraph opens with is at most this many words long (and characters).
MAX_ECHO_WORDS, MAX_ECHO_CHARS = 15, 150
ECHO = Verdict("caption.echo", ("a short sentence the next paragraph opens with",))


def echoes_next(text: str, following: str) -> bool:
    """True when ``text`` is a short sentence that ``following`` opens with and goes on from:
    a picture's label naming what the paragraph after it is about ("The Kestrel 3." /
    "The Kestrel 3 is a light shoe ..."). A heading has no full stop."""
    if len(text) > MAX_ECHO_CHARS or text[-1:] != "." or len(following) <= len(text) + 10:
        return False
    label = text[:-1]
    if not following.startswith(label) or following[len(label)] != " ":
        return False
    return len(text.split()) <= MAX_ECHO_WORDS and len(_WORD.findall(text)) >= 2


#: The place that ends a scene's label ("... in Nikko.", "... at the Old Mill."): a preposition
#: and a name, the full stop closing it.
_SCENE_PLACE = _Lazy(r"\s(?:in|at|near|on|from|inside|outside)\s(?:the\s)?[A-Z][a-z][\w’'-]*(?:\s[A-Z][\w’'-]*)*\.\Z")
#: Words that make a clause: an auxiliary, a pronoun, a question or linking word. A label naming a
#: scene has none ("A misty morning in Nikko."); a sentence of the body mostly has one.
_CLAUSE_WORDS = frozenset("""
    is are was were be been being am has have had do does did can will would should could may might
    must shall i you we he she it they this that these those there here my your our his her their its
    me us them who which what when where why how if because don doesn didn isn aren wasn weren won
""".split())
#: Verbs that open a call to act, which reads like a scene's label ("Book a table at Harbour House.").
_IMPERATIVES = frozenset("""
    also book buy call check click contact download find follow get join learn order read register see shop sign
    start subscribe try visit watch
""".split())
SCENE = Verdict("caption.scene", ("a short sentence without a verb, ending with a place", "no short sentence beside it"))


def names_a_scene(text: str) -> bool:
    """True when ``text`` reads as a photo's label naming a scene and its place ("Sunset over the
    dunes at Ouddorp."): one sentence of at most ``MAX_LABEL_WORDS`` words, opening with a capital,
    with no colon or dash (a list item's "Term: ..."), no clause word (``_CLAUSE_WORDS``) or verb in
    the past tense, no call to act (``_IMPERATIVES``), and a place, not a day, at its end. It is
    one only between blocks that are not short sentences themselves (``is_short_sentence``)."""
    if text[-1:] != "." or len(text) > 120 or not text[:1].isupper() or not _SCENE_PLACE.search(text):
        return False
    if len(text.split()) > MAX_LABEL_WORDS or any(char in text for char in ":–—;"):
        return False
    if _more_than_one_sentence(text) or _PAST_TENSE.search(text):
        return False
    lower = _WORD.findall(text.lower())
    return lower[0] not in _IMPERATIVES and lower[-1] not in _DATE_WORDS and not any(word in _CLAUSE_WORDS for word in lower)


def is_short_sentence(text: str | None) -> bool:
    """A block with a full stop and no more words than a label (``MAX_LABEL_WORDS``): beside one,
    a scene's label is a list's item (a list of short sentences is body text)."""
    return text is not None and text[-1:] == "." and len(text.split()) <= MAX_LABEL_WORDS


_SENTENCE_BREAK = _Lazy(r"[.!?]\s+[A-Z]")
#: A verb in the past tense after the first word ("The kiosk closed on Monday.") makes a clause.
_PAST_TENSE = _Lazy(r"\s[a-z]+ed\b")


def _more_than_one_sentence(text: str) -> bool:
    return bool(_SENTENCE_BREAK.search(text[:-1]))


#: A photographer's studio named as a credit: two names and the trade ("Ana Moss Photography").
_STUDIO_CREDIT = _Lazy(r"\A[A-Za-z][a-z]+\s[A-Z][a-z’'-]+\s(?:Photography|Photographie|Fotografie|Fotografia|Films|Studio|Studios)\Z")
STUDIO_CREDITS = Verdict("caption.studio_credits", ("one of several lines crediting a photographer's studio",))


#: The longest line that names a photographer's studio.
MAX_STUDIO_LENGTH = 60


def is_studio_credit(text: str) -> bool:
    """True when ``text`` is a photographer's studio by name ("Ana Moss Photography"). One such line
    may be a heading for a business; ``MIN_SHARED_CREDITS`` of them on a page credit its pictures."""
    return len(text) <= MAX_STUDIO_LENGTH and " " in text and bool(_STUDIO_CREDIT.search(text))


#: The caption rules whose line is a credit and nothing else ("Photo: Ana Lis", "AP Photo/Ana Lis",
#: "Getty Images", "© Ana Lis"): the picture's description, if it has one, is a line of its own.
BARE_CREDIT_RULES = frozenset(("credits.labelled", "credits.agency_only", "credits.agency_name", "credits.copyright_credit"))
#: The longest description that stands over a picture's credit (a paragraph of the body is longer).
MAX_CREDITED_LENGTH = 250
#: The longest one-sentence description above a credit (a sentence of the body is often longer).
MAX_DESCRIPTION_LENGTH = 180
OVER_CREDIT = Verdict("caption.over_credit", ("a short sentence directly above a bare photo credit",))
#: A credit labelled as a source ("Image source: ..."): it stands under a chart or a screenshot that
#: the paragraph above describes as part of the article.
_SOURCE_CREDIT = _Lazy(r"\A\W*(?:\w+\s+)?sources?\b", re.IGNORECASE)
#: A news agency in a credit ("Foto: ANP", "Photo: Sam Lee / Reuters"): a news story's picture
#: without a caption stands under a paragraph of the story, whose credit names the wire.
_WIRE_CREDIT = _Lazy(
    r"\b(?:ap|afp|reuters|dpa|epa|anp|ansa|efe|getty|tass|тасс|xinhua|belga|lusa|keystone|associated\s+press|pa\s+(?:wire|media|images)|picture\s+alliance|imago)\b",
    re.IGNORECASE,
)


def credits_a_photo(credit: str) -> bool:
    """True when ``credit``, a bare credit line, credits a picture of the page's own (a photographer,
    a courtesy, a screenshot) rather than naming a source or a news agency."""
    return not _SOURCE_CREDIT.search(credit) and not _WIRE_CREDIT.search(credit)


#: A line opening with a short label and a colon ("What we liked: ...", "Capacity: ...") is a spec or a
#: verdict; one opening with a number ("9. Spotlight on ...") is a list's item or a numbered heading.
_LABEL_OPENING = _Lazy(r"\A(?:[\w '’-]{1,25}:|\d+[.)]\s)")


def describes_credited_picture(text: str) -> bool:
    """True when ``text``, standing directly above a bare credit (``BARE_CREDIT_RULES``), reads as
    that picture's description: one sentence closed by a full stop, of at most ``MAX_DESCRIPTION_LENGTH``
    characters, opening like a caption and not with a label ("Price: ...") or a number. A heading
    above a credit names the product or section the picture shows ("Get some rest!" included), and
    stays; so does a longer sentence or a paragraph of two."""
    return (
        len(text) <= MAX_DESCRIPTION_LENGTH
        and text[-1:] == "."
        and not _more_than_one_sentence(text)
        and len(text.split()) >= MIN_CAPTION_WORDS
        and _starts_like_caption(text)
        and not _LABEL_OPENING.search(text)
    )


#: The longest line that is a widget's controls and nothing else ("Previous Next", "Hide caption Show caption").
MAX_CONTROLS_LENGTH = 40


def _is_controls_line(text: str, controls: _Lazy) -> bool:
    """True when ``text`` is a short line that ``controls`` matches: a widget's buttons, left as a line."""
    return len(text) <= MAX_CONTROLS_LENGTH and bool(controls.search(text))


#: A slideshow's controls, left as a line of their own ("Previous Next"): the line after them is the slide's caption.
_SLIDE_CONTROLS = _Lazy(r"\A\W*(?:(?:previous|prev)\W+next|next\W+(?:previous|prev))\W*\Z", re.IGNORECASE)
#: A slide's caption is a description of at least this many words (a heading after the controls is shorter).
MIN_SLIDE_WORDS = 6
AFTER_SLIDE_CONTROLS = Verdict("caption.slide", ("a sentence-case line right after a slideshow's Previous/Next controls",))


def is_slide_controls(text: str) -> bool:
    """True when ``text`` is a slideshow's paired controls and nothing else ("Previous Next", "‹ Prev | Next ›")."""
    return _is_controls_line(text, _SLIDE_CONTROLS)


def reads_as_slide_caption(text: str) -> bool:
    """True when ``text``, right after a slideshow's controls, reads as the slide's caption: a
    sentence-case description of ``MIN_SLIDE_WORDS`` words or more, no longer than a picture's
    description (``MAX_CREDITED_LENGTH``). A title-case heading after the controls ("Analysis and
    Test Results") starts the next section, and a longer paragraph is the article's: both stay."""
    words = text.split()
    return (len(words) >= MIN_SLIDE_WORDS and MIN_CAPTION_LENGTH <= len(text) <= MAX_CREDITED_LENGTH
            and _starts_like_caption(text) and not _title_case(words))


#: A caption's show/hide toggle left as a line of its own ("toggle caption", "Hide caption Show caption").
_CAPTION_TOGGLE = _Lazy(r"\A\W*(?:(?:toggle|hide|show)\s+caption\W*){1,2}\Z", re.IGNORECASE)
#: A caption above its toggle has at least this many words (a toggle's leftover label has fewer).
MIN_TOGGLED_WORDS = 3
BESIDE_CAPTION_TOGGLE = Verdict("caption.toggled", ("the line directly above a caption's show/hide toggle, or below it and no prose",))


def is_caption_toggle(text: str) -> bool:
    """True when ``text`` is a caption's toggle and nothing else ("toggle caption", "Hide caption Show caption")."""
    return _is_controls_line(text, _CAPTION_TOGGLE)


def reads_as_toggled_caption(text: str) -> bool:
    """True when ``text``, directly beside a caption's toggle, reads as the caption it hides or shows: of
    ``MIN_TOGGLED_WORDS`` words or more, no longer than a caption, opening like one."""
    return len(text.split()) >= MIN_TOGGLED_WORDS and len(text) <= MAX_CAPTION_LENGTH and _starts_like_caption(text)


#: A paragraph announcing the pictures under it, closed by a colon ("Here are photos of the shelves we
#: built:", "... is in the screenshot below:"): the picture word, in the plural when it names several,
#: and what they show or where they stand.
_ANNOUNCES_PICTURES = _Lazy(
    r"""
    (?: \b(?: here \s+ (?: is | are ) | here['’]s | below \s+ (?: is | are ) | these \s+ are ) \b [^.:!?]*?
        \b(?: (photos | pictures | images | screenshots) | photo | picture | image | screenshot ) \s+ (?: of | from | showing ) \b [^.:!?]*
      | \b(?: (photos | pictures | images | screenshots) | photo | picture | image | screenshot ) \s+ below )
    \s* : \Z
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: A picture's title under such a paragraph has at most this many words (a paragraph has more).
MAX_PICTURE_TITLE_WORDS = 15
ANNOUNCED_PICTURE = Verdict("caption.announced", ("a short line under a paragraph announcing the pictures that follow",))


def announced_pictures(text: str) -> int:
    """How many pictures ``text``, a paragraph closed by a colon, announces under it: 0 (it announces
    none), 1 ("Here's one photo of those lockers:", "... in the screenshot below:") or 2, several ("Here
    are images of my projects:"). A list announced so ("Here are the photos each applicant must bring:") names
    no picture shown."""
    if text[-1:] != ":" or len(text) < MIN_CAPTION_LENGTH:
        return 0
    match = _ANNOUNCES_PICTURES.search(text)
    if match is None:
        return 0
    return 2 if match.group(1) or match.group(2) else 1


def reads_as_picture_title(text: str) -> bool:
    """True when ``text``, under a paragraph announcing pictures, reads as a picture's title: a line
    of two to ``MAX_PICTURE_TITLE_WORDS`` words, opening like a caption and not ending like a sentence or a
    list's lead ("Storage box under the bed", "Cat tree: made from old shelves")."""
    words = len(text.split())
    return 2 <= words <= MAX_PICTURE_TITLE_WORDS and text[-1] not in _PROSE_END and _starts_like_caption(text)


#: A photographer and the outlet the picture was made for, as a line of its own ("Ana Lis/Harbour Weekly"):
#: a first name, a surname (with its particle), a slash, and the outlet in capitalised words.
_NAME_SLASH_OUTLET = _Lazy(
    r"\A[A-Z][a-z]+(?:\s[A-Z]\.)?\s(?:(?:van|von|de|da|del|der|di|le|la)\s)?[A-Z][a-z'’-]+\s?/\s?"
    r"([A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,3})\Z"
)
#: The longest line that is a photographer and an outlet.
MAX_NAME_OUTLET_LENGTH = 60
SHARED_OUTLET = Verdict("caption.shared_outlet", ("one of several lines crediting a photographer and the same outlet",))


def credited_outlet(text: str) -> str | None:
    """The outlet a "Name Surname/Outlet" credit line names ("Ana Lis/Harbour Weekly" -> "Harbour Weekly"),
    else None. One such line may be a heading ("Classen Curve/Western Avenue"); ``MIN_SHARED_CREDITS``
    lines naming the same outlet on a page are its pictures' credits (``shared_names``)."""
    if len(text) > MAX_NAME_OUTLET_LENGTH or "/" not in text:
        return None
    match = _NAME_SLASH_OUTLET.search(text)
    return match.group(1) if match else None
