"""The learned block classifier: a linear model over named features, kept as readable JSON.

Rules decide where they are sure; the model decides the rest. It scores each
block the rules kept with the probability that it is residue (the logistic of
the summed weights of its features, see ``cleaner.features``), and removes it
when that reaches the model's threshold, recording the score and the features
that weighed most. Guards keep it from costly mistakes: it leaves alone a
document with fewer than three kept blocks, the headline (the first kept block,
when it reads as one), a block holding a large share of the document's words,
a line inside a hard-wrapped paragraph, and a line that its place alone would remove
when it is long and in words the model hardly knows (``hardly_known``: a paragraph in a
language it was not trained on). A block it
removes can still become a caption, when the caption cues claim it.

The shipped model is ``cleaner/model.json``; ``cleaner train`` rebuilds it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from itertools import accumulate, groupby, repeat
from pathlib import Path

from .blocks import display_width, ends_sentence, inside_wrapped_paragraph, is_code_fence, is_code_line, wrap_width
from .features import LEADING_PAIRS, NEIGHBOURS, NO_WORDS, WORD, Document, log_bin, shape_of
from .io import nests_deeper

SHIPPED_MODEL = Path(__file__).resolve().parent / "model.json"
#: v2: a block's shape has no shares of capitalised and digit tokens (a v1 model's weights for them
#: would be read and never used, so its scores would not be those it was trained to give).
FORMAT = "cleaner-linear-v2"
#: A model file nests three levels deep; one nested deeper than this is refused unread.
MAX_MODEL_DEPTH = 100
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
    #: Finds the readers' comments that end a text (None: a model trained without comment labels).
    comments: CommentModel | None = None

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
            **({"comments": self.comments.to_dict()} if self.comments else {}),
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "<model>") -> Model:
        if isinstance(data, dict) and data.get("format") == "cleaner-linear-v1":
            raise ModelError(f"{source}: a model of an older cleaner, whose features differ: rebuild it with "
                             "'cleaner train'")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{source}: not a cleaner model (expected \"format\": \"{FORMAT}\")")
        try:
            weights = checked_weights(data["weights"])
            comments = data.get("comments")
            return cls(weights, checked_number(data["bias"], "bias"), checked_number(data["threshold"], "threshold", 0, 1),
                       checked_number(data["max_share"], "max_share", 0, math.inf),
                       {int(size): checked_number(ceiling, "word_ceilings") for size, ceiling in
                        (data.get("word_ceilings") or {}).items()},
                       dict(data.get("meta") or {}), CommentModel.from_dict(comments) if comments else None)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise ModelError(f"{source}: malformed model: {exc!r}") from exc


def checked_weights(weights, what: str = "weights") -> dict[str, float]:
    """``weights`` read from a model file, when it maps feature names to finite numbers."""
    if not isinstance(weights, dict) or not all(type(v) in (float, int) for v in weights.values()):
        raise TypeError(f"{what} must map feature names to numbers")
    if not all(map(math.isfinite, map(float, weights.values()))):
        raise ValueError(f"{what} must be finite numbers (NaN or an infinity would switch the model off or "
                         "remove every block)")
    return weights


def checked_number(value, what: str, low: float = -math.inf, high: float = math.inf) -> float:
    """``value`` as a float, when it is a finite number strictly between ``low`` and ``high``."""
    number = float(value)
    if not math.isfinite(number) or not low < number < high:
        limits = ("" if low == -math.inf else f" above {low:g}" if high == math.inf
                  else f" between {low:g} and {high:g}")
        raise ValueError(f"{what} must be a finite number{limits}, not {value!r}")
    return number


@dataclass(frozen=True)
class CommentModel:
    """Finds the readers' comments that end a text, as trafilatura appends them to an article.

    A linear model over a block's own text (its shape and words, not where it
    stands) gives every block the rules kept a comment score, in log-odds. One
    comment is weak evidence ("Great list!" could close an article); a run of them
    is strong. The comments are the blocks from some block to the end whose mean
    score stands out from the blocks above them (a two-sample t statistic with a
    pooled variance of at least ``contrast``), when that run is at least
    ``min_blocks`` blocks of ``min_words`` words on average, its mean score
    passes ``level`` and its first block's score passes ``opening``. A text that ends in
    comments ends in blocks that read as comments: the run is looked for only when the last
    ``tail_blocks`` blocks' mean score passes ``tail_level``; and their words are read only
    when their mean rough score (``rough_scores``: shape and first word alone) passes
    ``rough_level``. Both pre-checks spare reading the words of most texts.
    """

    weights: dict[str, float]
    bias: float
    level: float = -0.5
    contrast: float = 4.0
    opening: float = 1.0
    min_blocks: int = 4
    min_words: float = 8.0
    tail_blocks: int = 8
    tail_level: float = -1.5
    rough_level: float = -2.0

    @cached_property
    def word_weights(self) -> WordWeights:
        return WordWeights(self.weights)

    @cached_property
    def shape_sums(self) -> _Sums:
        return _Sums(partial(summed, self.weights))

    def rough_scores(self, texts: list[str], shapes: list[tuple[str, ...]]) -> list[float]:
        """Each block's comment score from its shape and its first word alone (log-odds)."""
        bias, sums, words = self.bias, self.shape_sums, self.word_weights
        firsts = [match.group().lower() if (match := WORD.search(text)) else "" for text in texts]
        return [bias + sums[shape] + words.first.get(first, 0.0) + words.words.get(first, 0.0)
                for first, shape in zip(firsts, shapes)]

    def scores(self, words: list[list[str]], shapes: list[tuple[str, ...]]) -> list[float]:
        """Each block's comment score (log-odds) from its ``lexical_words`` and its shape names (``shape_of``)."""
        bias, sums, weights = self.bias, self.shape_sums, self.word_weights
        return [bias + sums[shape] + weights.total(block) for block, shape in zip(words, shapes)]

    def find(self, scores: list[float], words: list[int]) -> CommentRun | None:
        """The run of comments that ends the blocks with these ``scores`` and word counts, if any."""
        count = len(scores)
        sums, squares, word_sums = [0.0], [0.0], [0]
        for score, size in zip(scores, words):
            sums.append(sums[-1] + score)
            squares.append(squares[-1] + score * score)
            word_sums.append(word_sums[-1] + size)
        best = None
        for start in range(MIN_ARTICLE_BLOCKS, count - self.min_blocks + 1):
            run, above = count - start, start
            if scores[start] <= self.opening or word_sums[count] - word_sums[start] < self.min_words * run:
                continue
            run_mean, above_mean = (sums[count] - sums[start]) / run, sums[start] / above
            if run_mean <= self.level:
                continue
            # the blocks' squared distances from their own group's mean, pooled
            spread = (squares[count] - run * run_mean**2 - above * above_mean**2) / (count - 2)
            contrast = (run_mean - above_mean) / math.sqrt(max(spread, 1e-6) * (1 / run + 1 / above))
            if contrast >= self.contrast and (best is None or contrast > best.contrast):
                best = CommentRun(start, run_mean, above_mean, contrast)
        return best

    def to_dict(self) -> dict:
        return {"bias": self.bias, "level": self.level, "contrast": self.contrast, "opening": self.opening,
                "min_blocks": self.min_blocks, "min_words": self.min_words, "tail_blocks": self.tail_blocks,
                "tail_level": self.tail_level, "rough_level": self.rough_level, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict) -> CommentModel:
        numbers = {name: checked_number(data[name], f"comments.{name}")
                   for name in ("bias", "level", "contrast", "opening", "min_words", "tail_level", "rough_level")}
        return cls(checked_weights(data["weights"], "comment weights"), numbers["bias"], numbers["level"],
                   numbers["contrast"], numbers["opening"], int(data["min_blocks"]), numbers["min_words"],
                   int(data["tail_blocks"]), numbers["tail_level"], numbers["rough_level"])


#: Blocks above a run of comments: an article comes first.
MIN_ARTICLE_BLOCKS = 5


@dataclass(frozen=True)
class CommentRun:
    """A run of readers' comments: its first block (among the blocks scored), the mean comment
    score of the run and of the blocks above it (log-odds), and how far apart they stand."""

    start: int
    mean: float
    above: float
    contrast: float

    def reason(self, blocks: int) -> str:
        return (f"readers' comments: the last {blocks} blocks read as comments (mean comment score "
                f"{logistic(self.mean):.2f} against {logistic(self.above):.2f} above, t {self.contrast:.1f})")


@lru_cache(maxsize=8)
def load_model(path: str | None = None) -> Model:
    """The model in ``path`` (default: the shipped one), read once per process."""
    source = Path(path) if path else SHIPPED_MODEL
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{source}: cannot read the model: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ModelError(f"{source}: not a cleaner model: invalid UTF-8 at byte offset {exc.start}") from None
    if nests_deeper(text, MAX_MODEL_DEPTH):
        raise ModelError(f"{source}: not a cleaner model: arrays or objects nested too deeply")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{source}: line {exc.lineno}: not JSON: {exc.msg}") from exc
    except ValueError as exc:  # a number of over 4,300 digits
        raise ModelError(f"{source}: not a cleaner model: {str(exc).split(';')[0]}") from None
    return Model.from_dict(data, str(source))


class WordWeights:
    """The weights of a model's word features (``cleaner.features.lexical_features``), by word."""

    def __init__(self, weights: dict[str, float]):
        tables: dict[str, dict] = {prefix: {} for prefix in ("w", "first", "last", "pair")}
        for name, weight in weights.items():
            prefix, _, rest = name.partition(":")
            if prefix in tables:
                tables[prefix][rest] = weight
        self.words, self.first, self.last = (tables[p] for p in ("w", "first", "last"))
        #: Pair weights by (word, word), so that scoring joins no strings. A word may hold "_": a name
        #: is entered at each "_" that could join its two words.
        self.pairs = {(joined[:at], joined[at + 1:]): weight for joined, weight in tables["pair"].items()
                      for at in (found.start() for found in re.finditer("_", joined))}
        self.none = weights.get(NO_WORDS, 0.0)

    def total(self, words: list[str]) -> float:
        """The summed weights of the word features of a block whose ``lexical_words`` are ``words``."""
        if not words:
            return self.none
        total = sum(map(self.words.get, set(words), repeat(0.0)))  # digit words never get a weight
        total += self.first.get(words[0], 0.0) + self.last.get(words[-1], 0.0)
        lead = words[:LEADING_PAIRS]
        return total + sum(map(self.pairs.get, zip(lead, lead[1:]), repeat(0.0)))


class Scorer:
    """A model's scores of a document's blocks, summed without spelling out feature names.

    Gives what ``Model.score(document.names(index))`` gives, faster: word features
    are looked up by word, the weights of a shape (as the block's own, and as each
    neighbour's) are summed once per distinct shape, and everything but the words
    is summed in one pass over the document (:meth:`without_words`).
    """

    def __init__(self, model: Model):
        self.model, self.weights = model, model.weights
        self.word_weights = WordWeights(model.weights)
        self.verdicts = [{verdict: self.weights.get(f"{tag}:act:{verdict}", 0.0)
                          for verdict in ("keep", "remove", "zone", "caption")} for _, tag in NEIGHBOURS]
        self.outside = [self.weights.get(f"{tag}:none", 0.0) for _, tag in NEIGHBOURS]
        #: Summed weights of each cached tuple of feature names, computed on first lookup.
        self.part_sums = _Sums(partial(summed, self.weights))
        #: The weights of each shape as the block's own, then as each neighbour's (``NEIGHBOURS`` order).
        self.shape_sums = _Sums(self._shape_sums)
        #: What a block of a shape and a rule verdict adds to each of its neighbours (``NEIGHBOURS`` order).
        self.neighbour_sums = _Sums(self._neighbour_sums)

    def _shape_sums(self, shape: tuple[str, ...]) -> tuple[float, ...]:
        get = self.weights.get
        seen = [name for name in shape if not name.startswith("x:")]
        return (summed(self.weights, shape), *(sum(get(f"{tag}:{name}", 0.0) for name in seen)
                                                         for _, tag in NEIGHBOURS))

    def _neighbour_sums(self, key: tuple[tuple[str, ...], str]) -> tuple[float, ...]:
        shape, verdict = key
        sums = self.shape_sums[shape]
        return tuple(sums[slot + 1] + weights[verdict] for slot, weights in enumerate(self.verdicts))

    def without_words(self, document: Document) -> list[float]:
        """Per block: the model's bias and the summed weights of all its features but its words
        (its shape, place, rule context and share of the words, and what its neighbours add)."""
        parts, bias = self.part_sums, self.model.bias
        evidence = [bias + own[0] + parts[place] + parts[context] + parts[mass] for own, place, context, mass
                    in zip(map(self.shape_sums.__getitem__, document.shapes), document.places, document.contexts,
                           document.masses)]
        # block i reads what blocks i-2, i-1, i+1 and i+2 add (NEIGHBOURS, in order: slots 0 to 3), or
        # the weight of standing next to the text's edge, two blocks of which pad either end
        edge = [tuple(self.outside)] * 2
        added = edge + list(map(self.neighbour_sums.__getitem__, zip(document.shapes, document.verdicts))) + edge
        return [own + p2[0] + p1[1] + n1[2] + n2[3]
                for own, p2, p1, n1, n2 in zip(evidence, added, added[1:], added[3:], added[4:])]

    def score(self, document: Document, index: int, evidence: float) -> float:
        """The probability that block ``index`` of ``document`` is residue (``evidence``: its entry
        of :meth:`without_words`)."""
        return logistic(evidence + self.word_weights.total(document.words(index)))


class _Sums(dict):
    """A table of values computed by ``compute`` from the key on its first lookup."""

    def __init__(self, compute: Callable):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def apply_model(decisions, model: Model | Callable[[], Model], width: int | None = None, comments: bool = True,
                comment_lines: frozenset[str] = frozenset()) -> None:
    """Remove, in place, the kept blocks the model scores as residue, each with its score and why.

    ``model`` may be a function that loads it (``decide`` calls this only for
    documents long enough for the model); ``width``: the blocks' ``wrap_width``, if known;
    ``comments``: remove the readers' comments that end the text too (``remove_comments``);
    ``comment_lines``: the ids of the rules whose lines are comments themselves.
    """
    from .decide import MIN_MODEL_BLOCKS, MODEL_RULE, Action
    from .kinds import could_be_title

    kept_at = [index for index, d in enumerate(decisions) if d.action is Action.KEEP]
    if len(kept_at) < MIN_MODEL_BLOCKS:
        return
    if not isinstance(model, Model):
        model = model()
    document = Document(decisions, kept_only=True)
    limit = model.max_share * document.all_words
    blocks = [d.block for d in decisions]
    if width is None:
        width = wrap_width(blocks)
    first = decisions[kept_at[0]]
    headline = first if could_be_title(first.text) else None
    scorer = model.scorer
    evidence = scorer.without_words(document)
    seams = _Seams(decisions, width)
    previous = None  # the block kept last, above the one at hand
    for position, index in enumerate(kept_at):
        decision, words = decisions[index], document.word_counts[index]
        if (words < limit and not model.beyond_words(evidence[index], words) and decision is not headline
                and not inside_wrapped_paragraph(blocks, index, width) and not decision.block.code):
            score = scorer.score(document, index, evidence[index])
            following = kept_at[position + 1] if position + 1 < len(kept_at) else None
            if score >= model.threshold and not seams.bridges(previous, following) \
                    and not is_code_fence(decision.text) and not is_code_line(decision.text) \
                    and not (evidence[index] >= model.threshold_logit
                             and hardly_known(decision.text, document.words(index), scorer.word_weights)):
                decision.action, decision.rule, decision.score = Action.REMOVE, MODEL_RULE, score
                decision.reason = model_reason(score, model.strongest(document.names(index)))
                continue
        previous = index
    leave_lists_whole(decisions, kept_at, document.word_counts)
    if comments and model.comments is not None:
        remove_comments(decisions, kept_at, document, model.comments, blocks, width, comment_lines)


#: A run of at least this many short lines in a row that the rules kept is one list: a menu, a
#: table's column flattened a cell a line, a list of names.
MIN_LIST_RUN = 6
#: A short line: at most this many words, ending no sentence.
LIST_ITEM_WORDS = 3


def leave_lists_whole(decisions, kept_at: list[int], word_counts) -> None:
    """Where the model took fewer than half of a list's lines (a run of ``MIN_LIST_RUN`` or more
    short lines in a row that the rules kept), it leaves them all: a few lines picked out of a list
    ("$85.10" in a column of prices, one handle among a project's contributors) are the model's
    noise, not residue. A list it took the most of (a menu) goes whole as it was."""
    from .decide import MODEL_RULE, keep_again

    def run_of(place: tuple[int, int]) -> int | None:
        """The run a kept block belongs to (blocks in a row share ``index - position``), if it is a short line."""
        position, index = place
        short = word_counts[index] <= LIST_ITEM_WORDS and not ends_sentence(decisions[index].text)
        return index - position if short else None

    for run_id, places in groupby(enumerate(kept_at), run_of):
        run = [index for _, index in places]
        taken = [index for index in run if decisions[index].rule == MODEL_RULE]
        if run_id is not None and len(run) >= MIN_LIST_RUN and taken and 2 * len(taken) < len(run):
            for index in taken:
                keep_again(decisions[index])


def remove_comments(decisions, kept_at: list[int], document: Document, comments: CommentModel,
                    blocks: list, width: int, comment_lines: frozenset[str] = frozenset()) -> None:
    """Remove the run of readers' comments that ends the blocks the rules kept (``kept_at``), if
    :meth:`CommentModel.find` finds one; a run that would begin inside a hard-wrapped paragraph is left.

    The lines a rule took as comments themselves (``comment_lines``: "Great read!") among the
    kept blocks are read with them: the thread has no hole where the rule took one of its comments.
    """
    from .decide import COMMENTS_RULE, Action

    if len(kept_at) < MIN_ARTICLE_BLOCKS + comments.min_blocks:
        return
    if comment_lines:
        kept_at = with_comment_lines(decisions, kept_at, comment_lines)

    def shapes(at: list[int]) -> list[tuple[str, ...]]:
        return [document.shapes[i] or shape_of(decisions[i].text, document.word_counts[i]) for i in at]

    def scored(at: list[int]) -> list[float]:
        return comments.scores(list(map(document.words, at)), shapes(at))

    above, tail = kept_at[:-comments.tail_blocks], kept_at[-comments.tail_blocks:]
    if mean(comments.rough_scores([decisions[i].text for i in tail], shapes(tail))) <= comments.rough_level:
        return
    tail_scores = scored(tail)
    if mean(tail_scores) <= comments.tail_level:
        return
    scores = scored(above) + tail_scores
    run = comments.find(scores, [document.word_counts[i] for i in kept_at])
    if run is None or inside_wrapped_paragraph(blocks, kept_at[run.start], width):
        return
    reason = run.reason(len(kept_at) - run.start)
    for index in kept_at[run.start:]:
        decision = decisions[index]
        if decision.action is Action.KEEP:
            decision.action, decision.rule, decision.score = Action.REMOVE, COMMENTS_RULE, logistic(run.mean)
            decision.reason = reason


def with_comment_lines(decisions, kept_at: list[int], comment_lines: frozenset[str]) -> list[int]:
    """``kept_at`` and, between its first and last block, the blocks removed by ``comment_lines`` rules."""
    between = range(kept_at[0] + 1, kept_at[-1])
    taken = [index for index in between if decisions[index].rule in comment_lines]
    return sorted(kept_at + taken) if taken else kept_at


#: A line at least this wide (``display_width``) is text of some length, no button or label.
MIN_UNREAD_WIDTH = 30
#: Below this share of its words with a weight, the model does not know a line's language.
MIN_KNOWN_SHARE = 0.25


def hardly_known(text: str, words: list[str], weights: WordWeights) -> bool:
    """Whether the line ``text`` (whose ``lexical_words`` are ``words``) is of some width and the
    model has a weight for fewer than a quarter of its words (digits aside). In a language it
    was not trained on, an article's last paragraph after an ad marker reads like residue by
    its place alone, and no word says otherwise: the model leaves such a line when its place
    alone would remove it (a short line there, a button or a label, it may still remove)."""
    if display_width(text) < MIN_UNREAD_WIDTH:
        return False
    distinct = {word for word in words if not word.isdigit()}
    known = weights.words  # a large table: look each word up in it, never walk it
    return sum(word in known for word in distinct) < MIN_KNOWN_SHARE * len(distinct)


class _Seams:
    """Whether removing a block would join the kept blocks either side of it into one paragraph
    (``bridges``). The model leaves such a block alone: its verdict is a guess, and a second
    pass over the clean text, whose model may remove a block the first kept, would otherwise
    join paragraphs the first pass left apart. Each question costs the same however many
    blocks lie between (a run of ten thousand removed lines asked about each of them once)."""

    def __init__(self, decisions, width: int):
        self.decisions, self.width = decisions, width
        self._blank_lines: list[int] | None = None  # per block: the blank lines above it and at it

    def bridges(self, before: int | None, after: int | None) -> bool:
        """Whether the blocks ``before`` and ``after`` (indices; None: the text's edge) would join."""
        from .rejoin import joins_across_residue

        if before is None or after is None:
            return False
        if self._blank_lines is None:
            self._blank_lines = list(accumulate(int(d.block.gap_before) for d in self.decisions))
        blank_line = self._blank_lines[after] > self._blank_lines[before]
        return joins_across_residue(self.decisions[before], self.decisions[after], blank_line, self.width)


def model_reason(score: float, strongest: list[tuple[str, float]]) -> str:
    """``model score 0.93 (w:comment +1.20, after:comments +0.80, ...)``."""
    cues = ", ".join(f"{name} {weight:+.2f}" for name, weight in strongest)
    return f"model score {score:.2f}" + (f" ({cues})" if cues else "")


def summed(weights: dict[str, float], names) -> float:
    """The summed weights of feature ``names`` (a name without a weight adds nothing)."""
    return sum(weights.get(name, 0.0) for name in names)


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def logistic(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
