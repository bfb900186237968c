"""Fit the linear block classifier, cross-validate it by site, and turn it into a ``Model``.

Logistic regression (scikit-learn, L2, lbfgs) on the blocks the rules left,
each weighted by its share of its document's words, so that the model minds
the blocks that move word F1. Features seen on fewer than ``min_sites`` sites
are dropped (they would learn one site's template, not residue), and weights
are rounded and pruned, so the model file stays small and byte-identical from
one run to the next.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from ..blocks import word_count
from ..features import is_lexical, is_text_feature, log_bin
from ..model import CommentModel, Model
from ..rules import rule_set
from .labels import RESIDUE

#: Inverse regularisation strength (scikit-learn's ``C``): chosen by cross-validation by site.
C = 0.03
#: The same for the comment model, which learns from input ``a``'s blocks labelled comment or not,
#: its classes balanced (a comment is one block in sixty).
COMMENT_C = 0.1
MIN_SITES = 3
#: Remove a block when its residue probability reaches this: high, because losing a real
#: paragraph costs a reader more than a leftover line of residue. Cross-validated by site on
#: the development pages (input b: word / 4-gram gap closed, word recall against the input):
#: 0.85: 0.285 / 0.241, -0.0038; 0.8: 0.297 / 0.247, -0.0040; 0.75: 0.305 / 0.251, -0.0045;
#: 0.7: 0.310 / 0.252, -0.0052; 0.6: 0.322 / 0.251, -0.0070. But at 0.75 the model takes the
#: last paragraph of fixture 17 (after an ad marker, near the end: score 0.76), a loss no
#: reader forgives; the scores gained are small beside it.
THRESHOLD = 0.85
#: Never remove a block holding this share of its document's words or more.
MAX_SHARE = 0.2
DIGITS = 4
#: Weights smaller than this are left out of the model file: they barely move a score.
PRUNE = 0.01
#: Documents with less of their words in the truth than this are left out of training:
#: their truth is another part of the page, and their labels would teach noise.
MIN_DOCUMENT_CONTENT = 0.3
SEED = 0
#: A size of block needs this many training blocks before the model trusts its word ceiling.
MIN_CEILING_BLOCKS = 100


@dataclass(frozen=True)
class Params:
    """What ``fit_model`` needs besides the data; the defaults are those of the shipped model."""

    c: float = C
    min_sites: int = MIN_SITES
    threshold: float = THRESHOLD
    max_share: float = MAX_SHARE


def trainable(records: list[dict]) -> list[dict]:
    """The records the model learns from and is scored on: blocks no rule decided, in documents
    whose truth is mostly in them."""
    return [r for r in records if not r["rule"] and r["document_content"] >= MIN_DOCUMENT_CONTENT]


def vocabulary(records: list[dict], min_sites: int) -> list[str]:
    """Feature names seen on at least ``min_sites`` sites, sorted."""
    sites = defaultdict(set)
    for record in records:
        for name in record["features"]:
            sites[name].add(record["site"])
    return sorted(name for name, seen in sites.items() if len(seen) >= min_sites)


def design_matrix(records: list[dict], columns: dict[str, int]):
    """The records' features as a sparse 0/1 matrix (scipy CSR, 32-bit indices)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indices, pointers = [], [0]
    for record in records:
        row = sorted({columns[name] for name in record["features"] if name in columns})
        indices.extend(row)
        pointers.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, np.array(indices, dtype=np.int32), np.array(pointers, dtype=np.int32)),
                      shape=(len(records), len(columns)))


def targets_and_weights(records: list[dict]):
    """1 for residue, 0 for content; weights normalised to mean 1."""
    import numpy as np

    targets = np.array([record["label"] == RESIDUE for record in records], dtype=np.int8)
    weights = np.array([record["weight"] for record in records], dtype=np.float64)
    return targets, weights / weights.mean()


def fit_model(records: list[dict], params: Params = Params(), meta: dict | None = None) -> Model:
    """A model fitted on the trainable ``records``, with its comment model (``fit_comments``)."""
    from sklearn.linear_model import LogisticRegression

    all_records, records = records, trainable(records)
    if len({record["label"] for record in records}) < 2:
        raise ValueError(f"training needs blocks of both labels, content and residue ({len(records)} blocks)")
    names = vocabulary(records, params.min_sites)
    columns = {name: index for index, name in enumerate(names)}
    targets, weights = targets_and_weights(records)
    fitted = LogisticRegression(C=params.c, max_iter=5000)
    fitted.fit(design_matrix(records, columns), targets, sample_weight=weights)
    weights_by_name = rounded_weights(names, fitted.coef_[0])
    comments = fit_comments(all_records, params.min_sites)
    return Model(weights_by_name, round(float(fitted.intercept_[0]), DIGITS), params.threshold, params.max_share,
                 word_ceilings(weights_by_name, records),
                 dict(meta or {}, c=params.c, min_sites=params.min_sites, blocks=len(records),
                      **({"comment_c": COMMENT_C, "comment_blocks": len(comment_records(all_records))} if comments else {})),
                 comments)


def rounded_weights(names: list[str], coefficients) -> dict[str, float]:
    """Each feature's weight rounded to ``DIGITS``, without those smaller than ``PRUNE``."""
    rounded = {name: round(weight, DIGITS) for name, weight in zip(names, coefficients.tolist())}
    return {name: weight for name, weight in rounded.items() if abs(weight) >= PRUNE}


def comment_records(records: list[dict]) -> list[dict]:
    """The blocks the comment model learns from: those labelled comment or not that no rule decided,
    and the comments a rule took as such (``Rule.comment_line``), which it reads with the kept blocks."""
    lines = rule_set(None, frozenset()).comment_lines
    return [r for r in records if r.get("comment") is not None and (not r["rule"] or r["rule"] in lines)]


def fit_comments(records: list[dict], min_sites: int) -> CommentModel | None:
    """The comment model fitted on the ``comment_records``, reading only what a block's own text
    says (``is_text_feature``); None when the records hold no comment (or nothing else)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    records = comment_records(records)
    targets = np.array([bool(r["comment"]) for r in records], dtype=np.int8)
    if not 0 < targets.sum() < len(targets):
        return None
    names = [name for name in vocabulary(records, min_sites) if is_text_feature(name)]
    columns = {name: index for index, name in enumerate(names)}
    fitted = LogisticRegression(C=COMMENT_C, class_weight="balanced", max_iter=5000)
    fitted.fit(design_matrix(records, columns), targets)
    return CommentModel(rounded_weights(names, fitted.coef_[0]), round(float(fitted.intercept_[0]), DIGITS))


def word_ceilings(weights: dict[str, float], records: list[dict]) -> dict[int, float]:
    """Per size of block (``log_bin`` of its words): the most the word features add to the score
    of any record of that size, rounded up to the model's digits; only for sizes with at least
    ``MIN_CEILING_BLOCKS`` records (a block of a rarer size always has its words read)."""
    added: dict[int, list[float]] = defaultdict(list)
    for record in records:
        size = log_bin(word_count(record["text"]))
        # fsum: exactly rounded, so the ceiling does not depend on the order of the record's features
        added[size].append(math.fsum(weights.get(name, 0.0) for name in record["features"] if is_lexical(name)))
    return {size: math.ceil(max(values) * 10**DIGITS) / 10**DIGITS
            for size, values in sorted(added.items()) if len(values) >= MIN_CEILING_BLOCKS}


def site_folds(sites: list[str], folds: int, seed: int = SEED) -> dict[str, int]:
    """Each site's fold: sites sorted, shuffled with ``seed``, dealt round-robin."""
    order = sorted(set(sites))
    random.Random(seed).shuffle(order)
    return {site: index % folds for index, site in enumerate(order)}


def fold_scores(model: Model, records: list[dict]) -> dict:
    """How the model does on held-out trainable records: AUC and residue precision/recall, word-weighted."""
    from sklearn.metrics import roc_auc_score

    records = trainable(records)
    scores = [model.score(r["features"]) for r in records]
    targets, weights = targets_and_weights(records)
    flagged = [s >= model.threshold for s in scores]
    hit = sum(w for w, f, t in zip(weights, flagged, targets) if f and t)
    flagged_weight = sum(w for w, f in zip(weights, flagged) if f)
    residue_weight = sum(w for w, t in zip(weights, targets) if t)
    return {
        "blocks": len(records), "residue_blocks": int(targets.sum()),
        "auc": float(roc_auc_score(targets, scores, sample_weight=weights)) if 0 < targets.sum() < len(targets) else None,
        "precision": hit / flagged_weight if flagged_weight else None,
        "recall": hit / residue_weight if residue_weight else None,
        "removed_blocks": sum(flagged),
    }


def cross_validate(records: list[dict], folds: int = 5, params: Params = Params(), seed: int = SEED,
                   fold_of: dict[str, int] | None = None) -> tuple[dict[str, int], list[Model], list[dict]]:
    """Fit one model per fold without that fold's sites; score each on its own fold.

    ``fold_of`` maps every site to its fold (default: ``site_folds`` of the records' sites).
    Returns that map, the models and the per-fold scores.
    """
    fold_of = fold_of or site_folds([r["site"] for r in records], folds, seed)
    models, scores = [], []
    for fold in range(folds):
        train = [r for r in records if fold_of[r["site"]] != fold]
        test = [r for r in records if fold_of[r["site"]] == fold]
        model = fit_model(train, params, {"fold": fold, "folds": folds})
        models.append(model)
        scores.append({"fold": fold, "sites": sum(1 for f in fold_of.values() if f == fold), **fold_scores(model, test)})
    return fold_of, models, scores
