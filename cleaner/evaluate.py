"""Evaluate cleaner on the WCXB development article pages: ``python -m cleaner.evaluate``.

For each text input (``a``: trafilatura's text, ``b``: the naive text of the
article container; see ``cleaner.evaluation.inputs``) every *system* turns a page
into the text that is scored: the input as is, cleaner's body (without and with
the title), and the line-deleting ceiling. A system is any ``callable(page) ->
str`` (``evaluate_mode`` takes them as a dict), so HTML mode is one more system
reading ``page.html()``, scored beside the others. The report holds the
scores over pages, the gap each system closed between input and ceiling, caption
recall and precision on input ``b``, what each rule took out, and every per-page
record; it is printed as markdown and written as JSON so runs can be compared.
"""

from __future__ import annotations

import argparse
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
    Page,
    cache_dir,
    default_data_dir,
    load_pages,
    prepare_inputs,
    trafilatura_version,
)
from .evaluation.html_mode import (
    CLEANER,
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


@lru_cache(maxsize=4)
def cleaned(text: str) -> Result:
    """``clean(text)``, remembered for the few systems and judges that read the same page in turn."""
    return clean(text)


def body(result: Result, title: bool = False) -> str:
    """The scored text: the paragraphs, the title paragraph only if ``title``, separated by blank lines."""
    return "\n\n".join(p.text for p in result.paragraphs if title or p.kind != "title")


def text_systems(mode: str) -> dict[str, System]:
    """The systems of one text input: the input, cleaner without and with title, the ceiling."""

    def source(page: Page) -> str:
        return page.inputs[mode]

    return {
        BASELINE: source,
        "cleaner": lambda page: body(cleaned(source(page))),
        "cleaner+title": lambda page: body(cleaned(source(page)), title=True),
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
    records, captions = [], []
    for page in pages:
        records.append(page_record(page, systems))
        result = cleaned(page.inputs[mode])
        tally.add(mode, page.id, result, page.truth)
        if mode == CAPTION_MODE:
            record = caption_record(page.gold_captions, page.inputs[mode], result, page.truth)
            captions.append({"page": page.id, **record})
    summary, gaps = summarise(records, list(systems))
    return {"summary": summary, "gap_closed": gaps, "pages": records}, captions


def evaluate_html(pages: list[Page]) -> dict:
    """Score HTML mode: cleaner on the page HTML beside trafilatura's own settings, in one run."""
    outputs = all_outputs([page.html_path for page in pages])
    by_page = {page.id: output for page, output in zip(pages, outputs)}
    names = [*TRAFILATURA_SETTINGS, CLEANER, CLEANER_TITLE]
    systems = {name: (lambda page, name=name: by_page[page.id]["texts"][name]) for name in names}
    records = [page_record(page, systems) for page in pages]
    summary, _ = summarise(records, names)
    return {
        "mode": {"summary": summary, "gap_closed": {}, "pages": records},
        "bars": [{"bar": what, "met": met, "numbers": numbers} for what, met, numbers in html_bars(summary)],
        **html_summary(outputs),
    }


def run(data_dir=None, *, limit: int | None = None, modes=("a", "b", "html"), json_path=None) -> dict:
    """Evaluate the text inputs ``modes`` of the pages in ``data_dir``; print the report, write it as JSON.

    ``json_path`` defaults to ``$XDG_CACHE_HOME/cleaner/eval/latest.json``.
    """
    started = time.perf_counter()
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    modes = tuple(modes)
    pages = load_pages(data_dir, limit)
    if not pages:
        raise FileNotFoundError(f"no pages (html/*.html.gz with ground-truth/*.json) under {data_dir}")
    built = prepare_inputs(pages, data_dir, tuple(mode for mode in modes if mode != HTML))
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
        "meta": meta(data_dir, pages, limit, modes, built),
        "modes": report_modes,
        "rules": tally.summary(text_modes),
        "timing": {"total": finished - started, "inputs": prepared - started, "scoring": finished - prepared},
    }
    if captions:
        report["captions"] = caption_summary(captions) | {"pages": captions}
    if html_report:
        report["html"] = html_report
    print(render(report))
    write_json(report, Path(json_path) if json_path else cache_dir() / "eval" / "latest.json")
    return report


def meta(data_dir: Path, pages: list[Page], limit: int | None, modes: tuple[str, ...], built: int) -> dict:
    """What a later run needs to know to compare itself with this one."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cleaner": __version__, "commit": git_describe(),
        "trafilatura": trafilatura_version(), "python": platform.python_version(),
        "data_dir": str(data_dir), "credit": CREDIT,
        "pages": len(pages), "limit": limit, "modes": list(modes), "built": built,
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
    """Write the report, saying where on stderr."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nWrote {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """``python -m cleaner.evaluate [--limit N] [--json PATH] [--data DIR] [--modes a,b]``."""
    parser = argparse.ArgumentParser(prog="python -m cleaner.evaluate",
                                     description="Evaluate cleaner on the WCXB development article pages.")
    parser.add_argument("--limit", type=int, help="the first N pages only")
    parser.add_argument("--json", type=Path, help="where to write the report as JSON "
                        "(default: $XDG_CACHE_HOME/cleaner/eval/latest.json)")
    parser.add_argument("--data", type=Path, help="the data directory (default: ../shared/data/wcxb-dev-articles)")
    parser.add_argument("--modes", default="a,b,html",
                        help="what to evaluate, comma-separated: text inputs a and b, and html (default: a,b,html)")
    args = parser.parse_args(argv)
    run(args.data, limit=args.limit, modes=tuple(m for m in args.modes.split(",") if m), json_path=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
