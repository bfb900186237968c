"""The printed report: markdown tables, as they go into release notes."""

from __future__ import annotations

from .inputs import UNPAIRED

CREDIT = (
    "Data: WCXB, the Web Content eXtraction Benchmark (Murrough Foley, 2026), development split, "
    "article pages; CC-BY-4.0."
)
METRICS = {
    "word_p": "word P", "word_r": "word R", "word_f1": "word F1",
    "shingle_p": "4-gram P", "shingle_r": "4-gram R", "shingle_f1": "4-gram F1",
    "with_found": "with found", "without_absent": "without absent",
}
SYSTEMS = {
    "input": "input as is", "cleaner, rules alone": "cleaner, rules alone", "cleaner": "cleaner, rules + model",
    "cleaner+title": "cleaner, rules + model, with title", "ceiling": "ceiling",
}
NOTES = (
    "Cleaner's scores leave out the title paragraph unless marked with title; input and ceiling are scored as is.",
    "Word scores and 4-gram P and R are means over pages, 4-gram F1 the F1 of those means; snippet rates are totals.",
    ("Ceiling: the input's lines of which at least half the 4-grams are in the truth "
     "(shorter lines: all their words, in order)."),
    "Gap closed: (cleaner - input) / (ceiling - input); n/a when ceiling and input are less than 0.005 apart.",
)
MODES = {"a": "a: trafilatura text", "b": "b: article container text", "html": "HTML: page in"}


def table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    """A markdown table; columns from ``right_from`` on are right-aligned."""
    rule = ["---" if i < right_from else "---:" for i in range(len(header))]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def scores_table(modes: dict[str, dict]) -> list[str]:
    """One row per input and system, and the gap closed by each system between input and ceiling."""
    rows = []
    for mode, report in modes.items():
        label = MODES.get(mode, mode)
        for name, summary in report["summary"].items():
            rows.append([label, SYSTEMS.get(name, name), *(number(summary[m]) for m in METRICS)])
            label = ""
        for name, gaps in report["gap_closed"].items():
            rows.append(["", f"gap closed, {SYSTEMS.get(name, name)}", *(percent(gaps[m]) for m in METRICS)])
    return table(["input", "system", *METRICS.values()], rows, right_from=2)


def captions_table(captions: dict) -> list[str]:
    row = [str(captions[k]) for k in ("gold", "present", "out_of_body", "recovered")] + [percent(captions["recall"])]
    row += [str(captions[k]) for k in ("predicted", "right")] + [percent(captions["precision"])]
    header = ["gold captions", "in input b", "out of body", "recovered", "recall", "predicted", "right", "precision"]
    return table(header, [row], right_from=0)


def rules_table(rules: dict[str, dict], modes: tuple[str, ...]) -> list[str]:
    rows = [
        [rule, *(str(entry["fired"][m]) for m in modes), str(entry["sampled"]),
         percent(entry["in_truth"]), percent(entry["in_truth_all"])]
        for rule, entry in rules.items()
    ]
    header = ["rule", *(f"fired ({m})" for m in modes), "sampled", "in truth, sample", "in truth, all"]
    return table(header, rows)


def render(report: dict) -> str:
    """The whole report as markdown."""
    meta = report["meta"]
    lines = [f"## cleaner {meta['cleaner']} on WCXB dev articles ({meta['pages']} pages)", "", CREDIT, ""]
    if meta.get("left_out"):
        lines[-1:-1] = [f"Left out: {len(meta['left_out'])} pages whose ground truth has no main content"
                        f" ({', '.join(meta['left_out'])}): no extractor can be scored on them.", ""]
    if meta.get("unpaired"):
        lines[-1:-1] = [f"{UNPAIRED}: {', '.join(meta['unpaired'])}.", ""]
    lines += scores_table(report["modes"])
    lines += ["", *NOTES, f"Model: {meta.get('models', 'shipped model')}.", ""]
    if report.get("model_bars"):
        lines += ["### The learned model against rules alone", ""] + bars_table(report["model_bars"]) + [""]
    if "html" in report:
        lines += ["### HTML mode", ""] + html_lines(report["html"]) + [""]
    if "captions" in report:
        lines += ["### Captions (input b)", ""] + captions_table(report["captions"]) + [""]
    text_modes = tuple(mode for mode in report["modes"] if mode != "html")
    anatomies = {mode: report["modes"][mode]["anatomy"] for mode in text_modes if "anatomy" in report["modes"][mode]}
    if anatomies:
        lines += ["### Where the rest of the gap is", ""] + anatomy_table(anatomies) + ["", *ANATOMY_NOTES, ""]
    lines += ["### What each rule took out", ""] + rules_table(report["rules"], text_modes) + [""]
    timing = report["timing"]
    lines.append(f"Time: {timing['total']:.1f} s ({timing['inputs']:.1f} s for inputs, "
                 f"{meta['built']} pages built; {timing['scoring']:.1f} s cleaning and scoring).")
    return "\n".join(lines)


ANATOMY_NOTES = (
    "Kept residue: lines of the input that cleaner keeps and the ceiling drops, by kind (a page whose kept text is",
    "mostly outside the truth counts all its kept residue as such). Gain: how much more of the gap to the ceiling",
    "would close had cleaner also dropped every line of that kind and nothing else (kept lines scored as they",
    "stand in the input, which closed the gap shown as the base).",
)


def anatomy_table(anatomies: dict[str, dict]) -> list[str]:
    rows = []
    for mode, anatomy in anatomies.items():
        base = anatomy["kept_lines"]
        rows.append([MODES.get(mode, mode), "base: the kept lines as they stand", "", percent(base["word_f1"]),
                     percent(base["shingle_f1"])])
        for kind, entry in anatomy["kinds"].items():
            if not entry["words"]:  # a kind the input cannot hold (appended comments are input a's)
                continue
            gain = entry["gain"]
            rows.append(["", kind, str(entry["words"]), signed_percent(gain["word_f1"]),
                         signed_percent(gain["shingle_f1"])])
    return table(["input", "kept residue", "words", "word F1 gap closed", "4-gram F1 gap closed"], rows, right_from=2)


def signed_percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1%}"


def bars_table(bars: list[dict]) -> list[str]:
    rows = [[bar["bar"], "met" if bar["met"] else "NOT met", bar["numbers"]] for bar in bars]
    return table(["bar", "", "numbers"], rows, right_from=3)


def html_lines(html: dict) -> list[str]:
    """The HTML-mode bars, the time against trafilatura alone, and provenance exactness."""
    lines = bars_table(html["bars"])
    seconds = html["seconds"]
    lines += ["", f"Time: cleaner's HTML mode {html['time_ratio']:.2f}x trafilatura default alone "
              f"({seconds['cleaner (HTML)']:.1f} s vs {seconds['trafilatura default']:.1f} s over the pages).",
              f"Provenance: {html['exact_share']:.2%} of output characters ({html['exact_chars']} of {html['chars']}) "
              "point exactly at their text in the page."]
    if html["errors"]:
        lines.append(f"Pages the HTML stage could not take: {len(html['errors'])} (first: {html['errors'][0]}).")
    return lines
