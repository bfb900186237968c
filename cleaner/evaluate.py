"""Evaluate cleaner on the WCXB development article pages: ``python -m cleaner.evaluate``.

For each text input (``a``: trafilatura's text, ``b``: the naive text of the
article container; see ``cleaner.evaluation.inputs``) every *system* turns a page
into the text that is scored: the input as is, cleaner's body (without and with
the title), and the line-deleting ceiling. Cleaner runs twice: with rules
alone, and with rules and the learned model, where each page is cleaned by a
model trained without its site (5-fold cross-validation by site; see
``cleaner.training``). A system is any ``callable(page) ->
str`` (``evaluate_mode`` takes them as a dict), so HTML mode is one more system
reading ``page.html()``, scored beside the others. The report holds the
scores over pages, the gap each system closed between input and ceiling, caption
recall and precision on input ``b``, what each rule took out, where the rest of the
gap lies (``cleaner.evaluation.anatomy``), and every per-page record; it is printed
as markdown and written as JSON so runs can be compared.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from . import __version__, clean
from .evaluation.inputs import (
    COMMENTS_INPUT,
    Page,
    cache_dir,
    default_data_dir,
    load_pages,
    pages_without_truth,
    prepare_inputs,
    trafilatura_version,
    unpaired_pages,
)
from .evaluation.anatomy import KEPT, KINDS, input_lines, residue_words, texts_by_kind
from .evaluation.html_mode import (
    CLEANER,
    CLEANER_RULES,
    CLEANER_TITLE,
    TRAFILATURA_SETTINGS,
    all_outputs,
    html_bars,
    html_summary,
)
from .evaluation.judge import RuleTally, caption_record, caption_summary
from .evaluation.metrics import aggregate, ceiling, gap_closed, page_scores
from .evaluation.report import CREDIT, render
from .pieces import Result

System = Callable[[Page], str]
HTML = "html"
BASELINE, CEILING = "input", "ceiling"
CAPTION_MODE = "b"


RULES_ALONE = "cleaner, rules alone"
#: The model each page is cleaned with (path of its fold's model), filled by ``fold_models``.
MODELS: dict[str, str] = {}


@lru_cache(maxsize=8)
def cleaned(text: str, model: str | None = None, use_model: bool = True) -> Result:
    """``clean(text)``, remembered for the few systems and judges that read the same page in turn."""
    return clean(text, input_format="text", use_model=use_model, model=model)


def page_model(page: Page) -> str | None:
    """The model file to clean ``page`` with: its fold's (trained without its site), else the shipped one."""
    return MODELS.get(page.id)


def fold_models(pages: list[Page], folds: int = 5) -> str:
    """Train one model per fold of sites on the text inputs, without that fold; note each page's model.

    Returns a line saying what was done, for the report. Without the train extra
    (scikit-learn), pages are cleaned with the shipped model, which has seen them.
    """
    try:
        from .training.fit import cross_validate, site_folds
        from .training.labels import labelled_blocks, site
        from .training.train import MODES
    except ImportError as exc:
        return f"shipped model (trained on these pages: optimistic); no cross-validation: {exc}"
    records = labelled_blocks(pages, MODES)
    fold_of = site_folds([site(page.url, page.id) for page in pages], folds)
    try:
        _, models, _ = cross_validate(records, folds, fold_of=fold_of)
    except ValueError as exc:
        return f"shipped model (trained on these pages: optimistic); cross-validation failed: {exc}"
    folder = cache_dir() / "eval" / "models"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fold, model in enumerate(models):
        path = folder / f"fold-{fold}.json"
        path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
        paths.append(str(path))
    MODELS.update({page.id: paths[fold_of[site(page.url, page.id)]] for page in pages})
    return f"{folds}-fold cross-validation by site: each page cleaned by a model trained without its site"


def body(result: Result, title: bool = False) -> str:
    """The scored text: the paragraphs, the title paragraph only if ``title``, separated by blank lines."""
    return "\n\n".join(p.text for p in result.paragraphs if title or p.kind != "title")


def text_systems(mode: str) -> dict[str, System]:
    """The systems of one text input: the input, cleaner without and with title, the ceiling."""

    def source(page: Page) -> str:
        return page.inputs[mode]

    return {
        BASELINE: source,
        RULES_ALONE: lambda page: body(cleaned(source(page), use_model=False)),
        "cleaner": lambda page: body(cleaned(source(page), page_model(page))),
        "cleaner+title": lambda page: body(cleaned(source(page), page_model(page)), title=True),
        CEILING: lambda page: ceiling(source(page), page.truth),
    }


def page_record(page: Page, systems: dict[str, System]) -> dict:
    """Every system's scores on one page."""
    scores = {name: page_scores(system(page), page.truth, page.with_, page.without) for name, system in systems.items()}
    return {"page": page.id, "scores": scores}


def summarise(records: list[dict], names: list[str]) -> tuple[dict, dict]:
    """Scores over pages per system, and the gap each other system closed between input and ceiling."""
    summary = {name: aggregate([record["scores"][name] for record in records]) for name in names}
    if BASELINE not in summary or CEILING not in summary:
        return summary, {}
    low, high = summary[BASELINE], summary[CEILING]
    gaps = {
        name: {metric: gap_closed(value, low[metric], high[metric]) for metric, value in scores.items()}
        for name, scores in summary.items() if name not in (BASELINE, CEILING)
    }
    return summary, gaps


def evaluate_mode(
    pages: list[Page], mode: str, systems: dict[str, System], tally: RuleTally
) -> tuple[dict, list[dict]]:
    """Score every system on one text input; tally cleaner's rules on it; judge captions on input ``b``."""
    records, captions, anatomies = [], [], []
    for page in pages:
        record = page_record(page, systems)
        result = cleaned(page.inputs[mode], page_model(page))
        tally.add(mode, page.id, result, page.truth)
        anatomies.append(anatomy_record(page, mode, result))
        record["kept_residue_words"] = anatomies[-1]["words"]
        records.append(record)
        if mode == CAPTION_MODE:
            caption = caption_record(page.gold_captions, page.inputs[mode], result, page.truth)
            captions.append({"page": page.id, **caption})
    summary, gaps = summarise(records, list(systems))
    report = {"summary": summary, "gap_closed": gaps, "pages": records}
    if BASELINE in summary and CEILING in summary:
        report["anatomy"] = anatomy_summary(anatomies, summary[BASELINE], summary[CEILING])
    return report, captions


def anatomy_record(page: Page, mode: str, result: Result) -> dict:
    """One page's kept residue by kind (``cleaner.evaluation.anatomy``): its words, and the scores of
    its kept lines as they stand and without each kind."""
    lines = input_lines(page.inputs[mode], result, page.truth, page.comments_start if mode == COMMENTS_INPUT else None)
    scores = {name: page_scores(text, page.truth, [], []) for name, text in texts_by_kind(lines).items()}
    return {"words": residue_words(lines), "scores": scores}


#: The scores whose gap closed the anatomy reports.
ANATOMY_METRICS = ("word_f1", "shingle_f1")


def anatomy_summary(anatomies: list[dict], low: dict, high: dict) -> dict:
    """Over the pages' ``anatomy_record``s, per kind of kept residue: its words, and how much more of
    the gap between input (``low``) and ceiling (``high``) would close had cleaner also dropped it."""
    def closed(name: str) -> dict[str, float | None]:
        scores = aggregate([anatomy["scores"][name] for anatomy in anatomies])
        return {metric: gap_closed(scores[metric], low[metric], high[metric]) for metric in ANATOMY_METRICS}

    base, kinds = closed(KEPT), {}
    for kind in KINDS:
        without = closed(kind)
        kinds[kind] = {
            "words": sum(anatomy["words"][kind] for anatomy in anatomies),
            "gain": {metric: None if base[metric] is None or without[metric] is None else without[metric] - base[metric]
                     for metric in ANATOMY_METRICS},
        }
    return {"kept_lines": base, "kinds": kinds}


def evaluate_html(pages: list[Page]) -> dict:
    """Score HTML mode: cleaner on the page HTML beside trafilatura's own settings, in one run."""
    outputs = all_outputs([page.html_path for page in pages], [page_model(page) for page in pages])
    by_page = {page.id: output for page, output in zip(pages, outputs)}
    names = [*TRAFILATURA_SETTINGS, CLEANER_RULES, CLEANER, CLEANER_TITLE]
    systems = {name: (lambda page, name=name: by_page[page.id]["texts"][name]) for name in names}
    records = [page_record(page, systems) for page in pages]
    summary, _ = summarise(records, names)
    return {
        "mode": {"summary": summary, "gap_closed": {}, "pages": records},
        "bars": [{"bar": what, "met": met, "numbers": numbers} for what, met, numbers in html_bars(summary)],
        **html_summary(outputs),
    }


def run(data_dir=None, *, limit: int | None = None, modes=("a", "b", "html"), json_path=None,
        no_cv: bool = False) -> dict:
    """Evaluate the text inputs ``modes`` of the pages in ``data_dir``; print the report, write it as JSON.

    ``json_path`` defaults to ``$XDG_CACHE_HOME/cleaner/eval/latest.json``; ``no_cv``
    cleans with the shipped model instead of training cross-validation models.
    """
    started = time.perf_counter()
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    modes = tuple(modes)
    pages = load_pages(data_dir, limit)
    if not pages:
        raise FileNotFoundError(f"no pages (html/*.html.gz with ground-truth/*.json) under {data_dir}")
    built = prepare_inputs(pages, data_dir, tuple(m for m in modes if m != HTML) if no_cv else ("a", "b"))
    MODELS.clear()
    models = "shipped model, no cross-validation (--no-cv)" if no_cv else fold_models(pages)
    prepared = time.perf_counter()
    tally, report_modes, captions = RuleTally(), {}, []
    text_modes = tuple(mode for mode in modes if mode != HTML)
    for mode in text_modes:
        report_modes[mode], mode_captions = evaluate_mode(pages, mode, text_systems(mode), tally)
        captions += mode_captions
    html_report = evaluate_html(pages) if HTML in modes else None
    if html_report:
        report_modes[HTML] = html_report.pop("mode")
    finished = time.perf_counter()
    report = {
        "meta": meta(data_dir, pages, limit, modes, built) | {"models": models},
        "modes": report_modes,
        "rules": tally.summary(text_modes),
        "timing": {"total": finished - started, "inputs": prepared - started, "scoring": finished - prepared},
    }
    if captions:
        report["captions"] = caption_summary(captions) | {"pages": captions}
    if html_report:
        report["html"] = html_report
    report["model_bars"] = [{"bar": what, "met": met, "numbers": numbers}
                            for what, met, numbers in model_bars(report_modes)]
    print(render(report))
    write_json(report, Path(json_path) if json_path else cache_dir() / "eval" / "latest.json")
    return report


#: The systems compared for the model, (rules + model, rules alone): in text modes, then in HTML mode.
MODEL_PAIRS = (("cleaner", RULES_ALONE), (CLEANER, CLEANER_RULES))
#: The learned-model issue's bars: the share of the gap to the ceiling on each text input, and recall.
MODEL_GAP, MAX_RECALL_DROP = 0.45, 0.01


def model_bars(modes: dict[str, dict]) -> list[tuple[str, bool, str]]:
    """Rules and model against rules alone on every input; gap closed and recall on the text inputs."""
    bars = []
    for mode, report in modes.items():
        summary = report["summary"]
        names = next((pair for pair in MODEL_PAIRS if all(name in summary for name in pair)), None)
        if names is None:
            continue
        ours, alone = (summary[name] for name in names)
        for metric, label in (("word_f1", "word F1"), ("shingle_f1", "4-gram F1")):
            delta = ours[metric] - alone[metric]
            bars.append((f"{mode}: rules+model above rules alone on {label}", delta > 0,
                         f"{ours[metric]:.4f} vs {alone[metric]:.4f} ({delta:+.4f})"))
        gaps = report["gap_closed"].get("cleaner")
        if gaps:
            for metric, label in (("word_f1", "word F1"), ("shingle_f1", "4-gram F1")):
                closed = gaps[metric]
                bars.append((f"{mode}: gap closed on {label} at least {MODEL_GAP}",
                             closed is not None and closed >= MODEL_GAP, "n/a" if closed is None else f"{closed:.3f}"))
            drop = summary[BASELINE]["word_r"] - ours["word_r"]
            bars.append((f"{mode}: word recall at most {MAX_RECALL_DROP} below the input", drop <= MAX_RECALL_DROP,
                         f"{ours['word_r']:.4f} vs {summary[BASELINE]['word_r']:.4f} ({-drop:+.4f})"))
    return bars


def meta(data_dir: Path, pages: list[Page], limit: int | None, modes: tuple[str, ...], built: int) -> dict:
    """What a later run needs to know to compare itself with this one."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cleaner": __version__, "commit": git_describe(),
        "trafilatura": trafilatura_version(), "python": platform.python_version(),
        "data_dir": str(data_dir), "credit": CREDIT,
        "pages": len(pages), "left_out": pages_without_truth(data_dir),
        "unpaired": unpaired_pages(data_dir), "limit": limit, "modes": list(modes),
        "built": built,
    }


def git_describe() -> str | None:
    """``git describe --always --dirty`` of the project, or None outside a work tree."""
    command = ["git", "describe", "--always", "--dirty"]
    try:
        done = subprocess.run(command, cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10,
                              check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def write_json(report: dict, path: Path) -> None:
    """Write the report (atomically), saying where on stderr."""
    from .io import make_parent, write_atomically

    make_parent(path)
    write_atomically(path, [json.dumps(report, ensure_ascii=False, indent=1)])
    print(f"\nWrote {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """``python -m cleaner.evaluate [OPTIONS]``: ``cleaner eval``, its options checked alike; exits."""
    from .cli import cli

    cli(["eval", *(sys.argv[1:] if argv is None else argv)], prog_name="cleaner")


if __name__ == "__main__":
    main()
