"""The learned block classifier: a linear model over named features, kept as readable JSON.

Rules decide where they are sure; the model decides the rest. It scores each
block the rules kept with the probability that it is residue (the logistic of
the summed weights of its features, see ``cleaner.features``), and removes it
when that reaches the model's threshold, recording the score and the features
that weighed most. Guards keep it from costly mistakes: it leaves alone a
document with fewer than three kept blocks, the headline (the first kept block,
when it reads as one), a block holding a large share of the document's words,
and a line inside a hard-wrapped paragraph. A block it
removes can still become a caption, when the caption cues claim it.

The shipped model is ``cleaner/model.json``; ``cleaner train`` rebuilds it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import repeat
from operator import add
from pathlib import Path

from .blocks import inside_wrapped_paragraph, wrap_width
from .features import LEADING_PAIRS, NEIGHBOURS, NO_WORDS, Document, lexical_words, log_bin

SHIPPED_MODEL = Path(__file__).resolve().parent / "model.json"
FORMAT = "cleaner-linear-v1"
#: How many of a decision's weightiest features its reason names.
EXPLAINED_FEATURES = 3


class ModelError(ValueError):
    """A model file is missing or malformed: the message names the file."""


@dataclass(frozen=True)
class Model:
    """Weights per feature name, a bias, the removal threshold and the mass guard."""

    weights: dict[str, float]
    bias: float
    threshold: float
    #: The model leaves alone a block holding at least this share of the document's words.
    max_share: float
    #: Per size of block (``log_bin`` of its words): the most the word features added to the
    #: score of a training block of that size. A block whose other features leave it further than
    #: this below the threshold is kept without reading its words (a cascade: most prose never
    #: gets near the threshold). No entry: the block's words are always read.
    word_ceilings: dict[int, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @cached_property
    def threshold_logit(self) -> float:
        """The summed weight at which the score reaches the threshold."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def beyond_words(self, evidence: float, words: int) -> bool:
        """Whether a block of ``words`` words stays below the threshold whatever its words,
        its other features summing to ``evidence`` (see ``word_ceilings``)."""
        return evidence + self.word_ceilings.get(log_bin(words), math.inf) < self.threshold_logit

    def score(self, names: list[str]) -> float:
        """The probability that a block with features ``names`` is residue."""
        weights = self.weights
        return logistic(self.bias + sum(weights.get(name, 0.0) for name in names))

    @cached_property
    def scorer(self) -> Scorer:
        return Scorer(self)

    def strongest(self, names: list[str], count: int = EXPLAINED_FEATURES) -> list[tuple[str, float]]:
        """The features of ``names`` that pushed hardest towards residue."""
        weighed = [(name, self.weights[name]) for name in set(names) if name in self.weights]
        return sorted(weighed, key=lambda item: (-item[1], item[0]))[:count]

    def to_dict(self) -> dict:
        return {
            "format": FORMAT, "meta": self.meta, "bias": self.bias, "threshold": self.threshold,
            "max_share": self.max_share, "word_ceilings": {str(size): ceiling for size, ceiling in
                                                           sorted(self.word_ceilings.items())},
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "<model>") -> Model:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{source}: not a cleaner model (expected \"format\": \"{FORMAT}\")")
        try:
            weights = data["weights"]
            if not isinstance(weights, dict) or not all(type(v) in (float, int) for v in weights.values()):
                raise TypeError("weights must map feature names to numbers")
            return cls(weights, float(data["bias"]), float(data["threshold"]), float(data["max_share"]),
                       {int(size): float(ceiling) for size, ceiling in (data.get("word_ceilings") or {}).items()},
                       dict(data.get("meta") or {}))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{source}: malformed model: {exc!r}") from exc


@lru_cache(maxsize=8)
def load_model(path: str | None = None) -> Model:
    """The model in ``path`` (default: the shipped one), read once per process."""
    source = Path(path) if path else SHIPPED_MODEL
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{source}: cannot read the model: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ModelError(f"{source}: line {exc.lineno}: not JSON: {exc.msg}") from exc
    return Model.from_dict(data, str(source))


class Scorer:
    """A model's scores of a document's blocks, summed without spelling out feature names.

    Gives what ``Model.score(document.names(index))`` gives, faster: word features
    are looked up by word, the weights of a shape (as the block's own, and as each
    neighbour's) are summed once per distinct shape, and everything but the words
    is summed in one pass over the document (:meth:`without_words`).
    """

    def __init__(self, model: Model):
        self.model, self.weights = model, model.weights
        tables: dict[str, dict] = {prefix: {} for prefix in ("w", "first", "last", "pair")}
        for name, weight in model.weights.items():
            prefix, _, rest = name.partition(":")
            if prefix in tables:
                tables[prefix][rest] = weight
        self.words, self.first, self.last, self.pairs = (tables[p] for p in ("w", "first", "last", "pair"))
        self.verdicts = [{verdict: self.weights.get(f"{tag}:act:{verdict}", 0.0)
                          for verdict in ("keep", "remove", "zone", "caption")} for _, tag in NEIGHBOURS]
        self.outside = [self.weights.get(f"{tag}:none", 0.0) for _, tag in NEIGHBOURS]
        #: Summed weights of each cached tuple of feature names, computed on first lookup.
        self.part_sums = _Sums(self._part_sum)
        #: The weights of each shape as the block's own, then as each neighbour's (``NEIGHBOURS`` order).
        self.shape_sums = _Sums(self._shape_sums)

    def _part_sum(self, part: tuple[str, ...]) -> float:
        return sum(self.weights.get(name, 0.0) for name in part)

    def _shape_sums(self, shape: tuple[str, ...]) -> tuple[float, ...]:
        get = self.weights.get
        seen = [name for name in shape if not name.startswith("x:")]
        return (sum(get(name, 0.0) for name in shape), *(sum(get(f"{tag}:{name}", 0.0) for name in seen)
                                                         for _, tag in NEIGHBOURS))

    def lexical(self, text: str) -> float:
        words = lexical_words(text)
        if not words:
            return self.weights.get(NO_WORDS, 0.0)
        total = sum(map(self.words.get, set(words), repeat(0.0)))  # digit words never get a weight
        total += self.first.get(words[0], 0.0) + self.last.get(words[-1], 0.0)
        lead = words[:LEADING_PAIRS]
        return total + sum(map(self.pairs.get, map("_".join, zip(lead, lead[1:])), repeat(0.0)))

    def without_words(self, document: Document) -> list[float]:
        """Per block: the model's bias and the summed weights of all its features but its words
        (its shape, place, rule context and share of the words, and what its neighbours add)."""
        total, parts = document.total, self.part_sums
        sums = list(map(self.shape_sums.__getitem__, document.shapes))
        evidence = [self.model.bias + own[0] + parts[place] + parts[context] + parts[mass]
                    for own, place, context, mass in zip(sums, document.places, document.contexts, document.masses)]
        for slot, (offset, _) in enumerate(NEIGHBOURS):
            verdict_weights, outside = self.verdicts[slot], [self.outside[slot]] * min(abs(offset), total)
            added = [shape[slot + 1] + verdict_weights[verdict] for shape, verdict in zip(sums, document.verdicts)]
            # block i gets what block i + offset adds, or the weight of standing next to the text's edge
            shifted = outside + added[: total + offset] if offset < 0 else added[offset:] + outside
            evidence = list(map(add, evidence, shifted))
        return evidence

    def score(self, document: Document, index: int, evidence: float) -> float:
        """The probability that block ``index`` of ``document`` is residue (``evidence``: its entry
        of :meth:`without_words`)."""
        return logistic(evidence + self.lexical(document.decisions[index].text))


class _Sums(dict):
    """A table of values computed by ``compute`` from the key on its first lookup."""

    def __init__(self, compute: Callable):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def apply_model(decisions, model: Model | Callable[[], Model], width: int | None = None) -> None:
    """Remove, in place, the kept blocks the model scores as residue, each with its score and why.

    ``model`` may be a function that loads it (``decide`` calls this only for
    documents long enough for the model); ``width``: the blocks' ``wrap_width``, if known.
    """
    from .decide import MIN_MODEL_BLOCKS, MODEL_RULE, Action
    from .kinds import could_be_title

    kept = [d for d in decisions if d.action is Action.KEEP]
    if len(kept) < MIN_MODEL_BLOCKS:
        return
    if not isinstance(model, Model):
        model = model()
    document = Document(decisions, kept_only=True)
    limit = model.max_share * document.all_words
    blocks = [d.block for d in decisions]
    if width is None:
        width = wrap_width(blocks)
    headline = kept[0] if could_be_title(kept[0].text) else None
    scorer = model.scorer
    evidence = scorer.without_words(document)
    candidates = [index for index, (decision, words, summed) in enumerate(zip(decisions, document.word_counts, evidence))
                  if decision.action is Action.KEEP and words < limit and not model.beyond_words(summed, words)]
    for index in candidates:
        decision = decisions[index]
        if decision is headline or inside_wrapped_paragraph(blocks, index, width):
            continue
        score = scorer.score(document, index, evidence[index])
        if score >= model.threshold and not bridges_a_split(decisions, index, width):
            decision.action, decision.rule, decision.score = Action.REMOVE, MODEL_RULE, score
            decision.reason = model_reason(score, model.strongest(document.names(index)))


def bridges_a_split(decisions, index: int, width: int) -> bool:
    """Whether removing block ``index`` would join the kept blocks either side of it into one
    paragraph. The model leaves such a block alone: its verdict is a guess, and a second pass
    over the clean text, whose model may remove a block the first kept, would otherwise join
    paragraphs the first pass left apart."""
    from .decide import Action
    from .rejoin import joins_across_residue

    before = next((at for at in range(index - 1, -1, -1) if decisions[at].action is Action.KEEP), None)
    after = next((at for at in range(index + 1, len(decisions)) if decisions[at].action is Action.KEEP), None)
    if before is None or after is None:
        return False
    blank_line = any(decisions[at].block.gap_before for at in range(before + 1, after + 1))
    return joins_across_residue(decisions[before], decisions[after], blank_line, width)


def model_reason(score: float, strongest: list[tuple[str, float]]) -> str:
    """``model score 0.93 (w:comment +1.20, after:comments +0.80, ...)``."""
    cues = ", ".join(f"{name} {weight:+.2f}" for name, weight in strongest)
    return f"model score {score:.2f}" + (f" ({cues})" if cues else "")


def logistic(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
