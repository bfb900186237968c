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
from dataclasses import dataclass

from .blocks import ends_sentence

MIN_CAPTION_LENGTH = 25
MAX_CAPTION_LENGTH = 400
MIN_CAPTION_WORDS = 5
#: Without a credit, a caption is a full description, longer than a heading.
MIN_CUED_WORDS = 8
#: The date/place tail must start within this many characters of the end.
TAIL_WINDOW = 90

_POSITIONAL = re.compile(
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
_SIDE = re.compile(
    r"""
    (?: ,\s* | \b[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s+ )
    (?: left | right | centre | center | links | rechts | à\ gauche | à\ droite | a\ la\ izquierda
      | a\ la\ derecha | a\ sinistra | a\ destra | à\ esquerda | à\ direita | слева | справа )
    (?= \s* (?: [,)] | \b(?:and|und|et|y|e|en|и)\b | \Z ) )
    """,
    re.VERBOSE,
)

_CREDIT_TAIL = re.compile(
    r"""
    (?: \( [^()]{0,60}? (?: photo | foto | image | bild | picture | credit | crédit | фото )
          [^()]{0,60} \)
      | (?: \b(?: ap | afp | epa | dpa | reuters | getty | anp | ansa | efe | ria | tass ) \b
          [^\s/()]{0,20} \s* / \s* [^\s/()][^/()]{0,60} )
      | (?: (?: ^ | [/|(:—–-] | \b(?: photo | foto | image | credit | courtesy ) ) \s*
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

_MONTHS_DAYS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?"
    r"|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|januar|februar|märz|mai|juni|juli|oktober|dezember|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|janvier|février|mars|avril|juin|juillet|août|septembre|octobre"
    r"|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|enero|febrero"
    r"|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|lunes|martes"
    r"|miércoles|jueves|viernes|sábado|domingo|gennaio|febbraio|aprile|maggio|giugno|luglio"
    r"|settembre|ottobre|dicembre|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica"
    r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_DATE_TAIL = re.compile(
    rf"(?:\b(?:{_MONTHS_DAYS})\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b)",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(r"\b(?:in|at|near|outside|à|in der|in den|en|a|em|in het|в|во)\s+\w[\w.'’-]*(?:\s+\w[\w.'’-]*){0,3}\W*\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a block is a caption: the rule id and the cues that made it one."""

    rule: str
    cues: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "caption cues: " + ", ".join(self.cues)


def has_credit_tail(text: str) -> bool:
    """True when ``text`` ends with a photo credit ("(AP Photo/...)", "Photo: ...")."""
    return bool(_CREDIT_TAIL.search(text[-TAIL_WINDOW - 40 :]))


def caption_verdict(text: str, *, at_end: bool, beside_residue: bool, headline_place: bool) -> Verdict | None:
    """The verdict on ``text`` as a caption, or None when it reads as body text.

    ``at_end``: only residue and captions follow the block. ``beside_residue``: a
    block removed by a rule sits directly before or after it. ``headline_place``:
    the block is the first one kept, where the headline stands; only a credit
    makes a caption there.
    """
    if not MIN_CAPTION_LENGTH <= len(text) <= MAX_CAPTION_LENGTH or not _starts_like_caption(text):
        return None
    if len(text.split()) < MIN_CAPTION_WORDS:
        return None
    if has_credit_tail(text):
        return Verdict("caption.credit", ("credit tail",))
    if headline_place or ends_sentence(text) or len(text.split()) < MIN_CUED_WORDS:
        return None
    cues = ["no terminal punctuation"]
    tail = text[-TAIL_WINDOW:]
    if _DATE_TAIL.search(tail) or _PLACE_TAIL.search(tail):
        cues.append("date or place tail")
    if at_end:
        cues.append("at end")
    if beside_residue:
        cues.append("beside residue")
    positional = _POSITIONAL.search(text) or _SIDE.search(text)
    if positional and len(cues) > 1:
        word = positional.group().strip(" ,")
        return Verdict("caption.positional", (f"positional '{word}'", *cues[1:], cues[0]))
    if "date or place tail" in cues and len(cues) == 4:
        return Verdict("caption.dateline", tuple(cues))
    return None


def _starts_like_caption(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'«(["
