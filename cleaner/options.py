"""The one immutable configuration object, with named, documented defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields
from os import PathLike, fspath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .repeats import RepeatedLines

CAPTION_MODES = ("drop", "separate", "inline")


@dataclass(frozen=True)
class Options:
    """How ``clean()`` behaves. Change a copy with ``dataclasses.replace``.

    - ``captions``: ``separate`` (default: out of the text, in ``captions``),
      ``drop`` (out of the text, into ``removed``) or ``inline`` (left in the text
      where they stand, and listed in ``captions``);
    - ``title``: start ``text`` with the headline (its paragraph is kept either way);
    - ``languages``: rule languages to use (ISO 639-1 codes), ``None`` for all;
    - ``disabled``: rule ids or whole families to switch off (``"ads.marker"``, ``"share"``;
      ``"model.comments"``: the model's search for readers' comments; ``"model"``: the whole model);
    - ``use_model``: let the learned model decide the blocks the rules left (``False``: rules alone);
    - ``model``: path of a model file made by ``cleaner train`` (``None``: the shipped model);
    - ``corpus_repeats``: lines that recur across a corpus (a ``cleaner.repeats.RepeatedLines``),
      removed with rule ``corpus.repeated``; ``None``: off;
    - ``appended_comments``: let the model look for readers' comments appended to the end of the
      text, as extractors that keep comments leave them (HTML mode, whose extraction leaves
      comments out, turns this off).
    """

    captions: str = "separate"
    title: bool = True
    languages: frozenset[str] | None = None
    disabled: frozenset[str] = frozenset()
    use_model: bool = True
    model: str | None = None
    corpus_repeats: RepeatedLines | None = None
    appended_comments: bool = True

    def __post_init__(self):
        if self.captions not in CAPTION_MODES:
            raise ValueError(f"captions must be one of {', '.join(CAPTION_MODES)}, not {self.captions!r}")
        for name in ("title", "use_model", "appended_comments"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, not {getattr(self, name)!r}")
        for name in ("languages", "disabled"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a collection of names, such as {{{getattr(self, name)!r}}}, not a str")
        if self.languages is not None:
            object.__setattr__(self, "languages", frozenset(self.languages))
            if not self.languages:
                raise ValueError("languages: name at least one, or None for every language")
        object.__setattr__(self, "disabled", frozenset(self.disabled))
        if self.model is not None:
            if not isinstance(self.model, str | PathLike):
                raise TypeError(f"model must be the path of a model file, or None for the shipped model, "
                                f"not {self.model!r}")
            object.__setattr__(self, "model", fspath(self.model))
        if self.corpus_repeats is not None and not hasattr(self.corpus_repeats, "mark"):
            raise TypeError(f"corpus_repeats must be a cleaner.repeats.RepeatedLines, not {self.corpus_repeats!r}")
        self._check_names()

    def _check_names(self) -> None:
        """A language or a rule that does not exist is an error, not a setting that does nothing."""
        if not self.languages and not self.disabled:
            return
        from .config import known_languages, known_rule_names, unknown_name

        problem = (unknown_name(sorted(self.languages or ()), known_languages(), "language")
                   or unknown_name(sorted(self.disabled), known_rule_names(), "rule or family"))
        if problem:
            raise ValueError(problem)

    @classmethod
    def build(cls, options: Options | None, overrides: dict) -> Options:
        """``options`` (or the defaults) with keyword ``overrides``; unknown names are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        if options is not None and not isinstance(options, cls):
            raise TypeError(f"options must be an Options (or give them as keywords: captions=\"drop\"), "
                            f"not {type(options).__name__}")
        base = options or cls()
        values = {name: getattr(base, name) for name in known} | overrides
        return cls(**values)
