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
from pathlib import Path

from .blocks import inside_wrapped_paragraph, wrap_width
from .features import LEADING_PAIRS, NEIGHBOURS, Document, lexical_words

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
    meta: dict = field(default_factory=dict)

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
            "max_share": self.max_share, "weights": dict(sorted(self.weights.items())),
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
    neighbour's) are summed once per distinct shape, and what the neighbours add
    is summed once per block of the document (:meth:`contexts`).
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
        self.shapes: dict[tuple[str, ...], tuple[float, ...]] = {}
        self.parts: dict[tuple[str, ...], float] = {}

    def part_sum(self, part: tuple[str, ...]) -> float:
        """The summed weights of one cached tuple of feature names."""
        total = self.parts.get(part)
        if total is None:
            total = self.parts[part] = sum(self.weights.get(name, 0.0) for name in part)
        return total

    def shape_sums(self, shape: tuple[str, ...]) -> tuple[float, ...]:
        """The weights of a shape as the block's own, then as each neighbour's (``NEIGHBOURS`` order)."""
        sums = self.shapes.get(shape)
        if sums is None:
            get = self.weights.get
            own = sum(get(name, 0.0) for name in shape)
            seen = [name for name in shape if not name.startswith("x:")]
            sums = (own, *(sum(get(f"{tag}:{name}", 0.0) for name in seen) for _, tag in NEIGHBOURS))
            self.shapes[shape] = sums
        return sums

    def lexical(self, text: str) -> float:
        words = lexical_words(text)
        if not words:
            return self.weights.get("nowords", 0.0)
        total = sum(map(self.words.get, set(words), repeat(0.0)))  # digit words never get a weight
        total += self.first.get(words[0], 0.0) + self.last.get(words[-1], 0.0)
        lead = words[:LEADING_PAIRS]
        return total + sum(map(self.pairs.get, map("_".join, zip(lead, lead[1:])), repeat(0.0)))

    def contexts(self, document: Document) -> list[float]:
        """Per block: the model's bias, the block's own shape and what its neighbours add."""
        sums = [self.shape_sums(shape) for shape in document.shapes]
        verdicts, total = document.verdicts, document.total
        contexts = []
        for index in range(total):
            value = self.model.bias + sums[index][0]
            for slot, (offset, _) in enumerate(NEIGHBOURS):
                neighbour = index + offset
                if 0 <= neighbour < total:
                    value += sums[neighbour][slot + 1] + self.verdicts[slot][verdicts[neighbour]]
                else:
                    value += self.outside[slot]
            contexts.append(value)
        return contexts

    def score(self, document: Document, index: int, context: float) -> float:
        """The probability that block ``index`` of ``document`` is residue (``context``: its entry of :meth:`contexts`)."""
        total = context + self.lexical(document.decisions[index].text)
        part_sum = self.part_sum
        for part in document.block_parts(index):
            total += part_sum(part)
        return logistic(total)


def apply_model(decisions, model: Model | Callable[[], Model]) -> None:
    """Remove, in place, the kept blocks the model scores as residue, each with its score and why.

    ``model`` may be a function that loads it (``decide`` calls this only for
    documents long enough for the model).
    """
    from .decide import MIN_MODEL_BLOCKS, MODEL_RULE, Action
    from .kinds import could_be_title

    kept = [d for d in decisions if d.action is Action.KEEP]
    if len(kept) < MIN_MODEL_BLOCKS:
        return
    if not isinstance(model, Model):
        model = model()
    document = Document(decisions)
    limit = model.max_share * document.all_words
    blocks = [d.block for d in decisions]
    width = wrap_width(blocks)
    headline = kept[0] if could_be_title(kept[0].text) else None
    scorer = model.scorer
    contexts = scorer.contexts(document)
    for index, decision in enumerate(decisions):
        if decision.action is not Action.KEEP or decision is headline or document.word_counts[index] >= limit:
            continue
        if inside_wrapped_paragraph(blocks, index, width):
            continue
        score = scorer.score(document, index, contexts[index])
        if score >= model.threshold:
            decision.action, decision.rule, decision.score = Action.REMOVE, MODEL_RULE, score
            decision.reason = model_reason(score, model.strongest(document.names(index)))


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
