"""``cleaner train``: rebuild the shipped model from the development pages, deterministically.

Steps: build the text inputs of the pages (cached, as for ``make eval``), label
every block (written as JSONL for inspection), cross-validate by site and print
the scores, then fit on all pages and write the model file. Same data, same
seed, same parameters: a byte-identical model file.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..evaluation.inputs import (
    UNPAIRED,
    cache_dir,
    default_data_dir,
    load_pages,
    prepare_inputs,
    unpaired_pages,
)
from ..evaluation.report import CREDIT, number, table
from ..model import SHIPPED_MODEL
from .fit import SEED, Params, cross_validate, fit_model
from .labels import labelled_blocks, write_labels

#: The text inputs the model learns from (see ``cleaner.evaluation.inputs``).
MODES = ("a", "b")
FOLDS = 5
#: The package's files (globs under ``cleaner/``) that the labels and the fitted weights are
#: computed by. The model records their digest (``sources_digest``), and a test checks that the
#: shipped model was trained with them as they are: change one, and ``make train`` again. (The
#: start-up cache, ``rules/startup_cache.py``, only spares work: it changes no label or weight.)
TRAINING_SOURCES = ("blocks.py", "captions.py", "decide.py", "features.py", "kinds.py", "model.py", "rejoin.py",
                    "rules/__init__.py", "rules/dispatch.py", "rules/*.toml", "training/*.py", "evaluation/inputs.py", "evaluation/judge.py",
                    "evaluation/metrics.py")


def sources_digest() -> str:
    """A digest of the ``TRAINING_SOURCES`` files as they are (line ends read as LF)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted({path for pattern in TRAINING_SOURCES for path in package.glob(pattern)}):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()[:16]


def labelled_records(data_dir: Path, limit: int | None = None, modes=MODES) -> list[dict]:
    """Every labelled block of the pages in ``data_dir``, in page order."""
    pages = load_pages(data_dir, limit)
    if not pages:
        raise FileNotFoundError(f"no pages (html/*.html.gz with ground-truth/*.json) under {data_dir}")
    unpaired = unpaired_pages(data_dir)
    if unpaired:
        print(f"{UNPAIRED}: {', '.join(unpaired)}", file=sys.stderr)
    prepare_inputs(pages, data_dir, tuple(modes))
    return labelled_blocks(pages, modes)


def scores_table(scores: list[dict]) -> list[str]:
    """The cross-validation table: one row per held-out fold."""
    rows = [[str(s["fold"]), str(s["sites"]), str(s["blocks"]), str(s["residue_blocks"]), number(s["auc"]),
             number(s["precision"]), number(s["recall"]), str(s["removed_blocks"])] for s in scores]
    header = ["held-out fold", "sites", "blocks", "residue", "AUC (word-weighted)", "precision", "recall",
              "removed"]
    return table(header, rows)


def train(data_dir: Path | None = None, output: Path = SHIPPED_MODEL, labels: Path | None = None,
          folds: int = FOLDS, seed: int = SEED, limit: int | None = None, params: Params = Params()) -> dict:
    """Label, cross-validate, fit and write the model; print what was done. Returns the fold scores."""
    from ..io import make_parent

    data_dir = Path(data_dir) if data_dir else default_data_dir()
    labels = labels or cache_dir() / "train" / "labels.jsonl"
    if Path(labels).resolve() == Path(output).resolve():
        raise ValueError(f"{labels}: the labels and the model would be written to one file; give --labels another")
    for path in (labels, Path(output)):  # before the work: a folder that cannot be made fails at once
        make_parent(path)
    records = labelled_records(data_dir, limit)
    sites = len({r["site"] for r in records})
    if folds > sites:
        raise ValueError(f"{folds} folds need at least {folds} sites; the pages come from {sites} (--folds)")
    print(f"Labelled {write_labels(records, labels)} blocks of {len({r['page'] for r in records})} pages "
          f"from {sites} sites: {labels}", file=sys.stderr)
    _, _, scores = cross_validate(records, folds, params, seed)
    print(f"Cross-validation by site, {folds} folds (blocks the rules left; {CREDIT}):\n")
    print("\n".join(scores_table(scores)))
    model = fit_model(records, params, {"seed": seed, "pages": len({r["page"] for r in records}),
                                        "inputs": list(MODES), "sources": sources_digest()})
    text = json.dumps(model.to_dict(), ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    from ..io import write_atomically

    write_atomically(Path(output), [text])
    print(f"\nWrote {output}: {len(model.weights)} weights, {len(text.encode()) / 1e3:.0f} kB", file=sys.stderr)
    return {"folds": scores, "weights": len(model.weights)}
