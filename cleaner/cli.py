"""The command line: thin click commands that parse options, call the library and print."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from . import __version__
from .io import STDIN, InputError, decode, read_source, to_json_line, write_atomically
from .options import CAPTION_MODES

EXIT_INPUT_ERROR = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli():
    """Clean scraped article text: strip residue, rejoin paragraphs, separate captions."""


@cli.command("clean")
@click.argument("inputs", nargs=-1, metavar="[FILE]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the clean body; json: text, paragraphs, captions and removed pieces with spans.")
@click.option("--explain", is_flag=True, help="Print every decision (what, where, which rule, why) on stderr.")
@click.option("--captions", type=click.Choice(CAPTION_MODES), default="separate", show_default=True,
              help="Where photo captions go: dropped, separated (JSON only) or left inline.")
@click.option("--no-title", is_flag=True, help="Leave the headline out of the text.")
@click.option("--offsets", type=click.Choice(["chars", "bytes"]), default="chars", show_default=True,
              help="Spans in code points (Python string indices) or in UTF-8 bytes.")
@click.option("--encoding-errors", type=click.Choice(["strict", "replace"]), default="strict", show_default=True,
              help="On invalid UTF-8: stop with an error, or replace the bad bytes and go on.")
@click.option("--lang", "languages", multiple=True, metavar="CODE",
              help="Use only rules for these languages (repeatable; default: all).")
@click.option("--disable", multiple=True, metavar="RULE",
              help="Switch off a rule id or a whole family (repeatable), e.g. --disable share.")
@click.option("--input-format", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True,
              help="auto: HTML for .html/.htm files and input that looks like markup, text otherwise.")
@click.option("--no-model", is_flag=True, help="Rules alone: leave the learned model out.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A model file made by 'cleaner train --output' (default: the shipped model).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each cleaned input under this folder instead of stdout.")
def clean_command(inputs, fmt, explain, captions, no_title, offsets, encoding_errors, languages, disable,
                  input_format, no_model, model_path, output_dir):
    """Clean FILEs (or stdin, or '-') and print the clean text.

    \b
    Examples:
      cleaner clean article.txt
      cat article.txt | cleaner clean -
      cleaner clean --format json --explain article.txt
      cleaner clean -o clean/ corpus/*.txt
      cleaner clean --format json --offsets bytes page.html
    """
    from . import Options
    from .model import ModelError, load_model

    options = Options(captions=captions, title=not no_title, languages=frozenset(languages) or None,
                      disabled=frozenset(disable), use_model=not no_model,
                      model=str(model_path) if model_path else None)
    if model_path and not no_model:
        try:
            load_model(options.model)
        except ModelError as exc:
            click.echo(f"cleaner: {exc}", err=True)
            sys.exit(EXIT_INPUT_ERROR)
    sources = list(inputs) or [STDIN]
    targets = _output_paths(sources, output_dir, fmt) if output_dir else None
    stdin = sys.stdin.buffer
    failed = False
    stdout = sys.stdout
    for index, source in enumerate(sources):
        try:
            result = _clean_source(source, stdin, options, input_format, encoding_errors)
        except InputError as exc:
            click.echo(f"cleaner: {exc}", err=True)
            failed = True
            continue
        if explain:
            for line in result.explain():
                click.echo(f"{source}:{line}", err=True)
        chunks = _output_chunks(result, fmt, offsets, source if len(sources) > 1 or output_dir else None)
        if targets:
            targets[index].parent.mkdir(parents=True, exist_ok=True)
            write_atomically(targets[index], chunks)
        else:
            if index and chunks and fmt == "text":
                stdout.write("\n")
            for chunk in chunks:
                stdout.write(chunk)
    if failed:
        sys.exit(EXIT_INPUT_ERROR)


HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _clean_source(source: str, stdin, options, input_format: str, encoding_errors: str):
    """Read and clean one input as text or HTML; warnings (a page with no article) go to stderr.

    The raw bytes are let go as soon as they are decoded: a large input is then
    held once, as text, while it is cleaned.
    """
    import warnings

    from . import clean, looks_like_markup

    data = read_source(source, stdin)
    if input_format == "auto" and Path(source).suffix.lower() in HTML_SUFFIXES:
        input_format = "html"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if input_format == "text" or (input_format == "auto" and not looks_like_markup(data)):
            text = decode(data, source, encoding_errors)
            del data
            result = clean(text, options, input_format="text")
        else:
            from .html import clean_html

            result = clean_html(data, options, source=source)
    for warning in caught:
        click.echo(f"cleaner: warning: {warning.message}", err=True)
    return result


def _output_chunks(result, fmt: str, offsets: str, source: str | None) -> list[str]:
    """What to write for one result, in pieces (a large text is not copied to add its newline)."""
    if fmt == "json":
        doc = result.to_dict(offsets)
        return [to_json_line({"source": source} | doc if source else doc), "\n"]
    return [result.text, "\n"] if result.text else []


def _output_paths(sources: list[str], folder: Path, fmt: str) -> list[Path]:
    """Where each input goes under ``folder``: its file name (``.json`` added for JSON).

    Refuses names that collide and any output that would overwrite its own input.
    """
    paths = []
    for source in sources:
        path = Path("stdin.txt" if source == STDIN else source)
        name = path.with_suffix(".txt").name if path.suffix.lower() in HTML_SUFFIXES else path.name
        paths.append(folder / (f"{name}.json" if fmt == "json" else name))
    seen: dict[Path, str] = {}
    for source, path in zip(sources, paths):
        if path in seen:
            raise click.UsageError(f"{source} and {seen[path]} would both be written to {path}")
        seen[path] = source
        if source != STDIN and path.exists() and path.resolve() == Path(source).resolve():
            raise click.UsageError(f"{source}: the output would overwrite the input; choose another --output-dir")
    return paths


@cli.command("eval")
@click.option("--limit", type=int, help="Only the first N pages.")
@click.option("--modes", default="a,b,html", show_default=True,
              help="What to evaluate: text inputs a and b, and html, comma-separated.")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="The data folder (default: ../shared/data/wcxb-dev-articles beside the project).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the report as JSON (default: $XDG_CACHE_HOME/cleaner/eval/latest.json).")
@click.option("--no-cv", is_flag=True, help="Clean with the shipped model instead of training one per fold.")
def eval_command(limit, modes, data, json_path, no_cv):
    """Score cleaner on the WCXB development pages and print one table (also: make eval)."""
    from .evaluate import run

    try:
        run(data, limit=limit, modes=tuple(m for m in modes.split(",") if m), json_path=json_path, no_cv=no_cv)
    except FileNotFoundError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_INPUT_ERROR)


@cli.command("train")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="The data folder (default: ../shared/data/wcxb-dev-articles beside the project).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (default: the shipped model file in the package).")
@click.option("--labels", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the labelled blocks as JSONL (default: $XDG_CACHE_HOME/cleaner/train/).")
@click.option("--folds", type=click.IntRange(2), default=5, show_default=True,
              help="Cross-validation folds, split by site.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split into folds.")
@click.option("--limit", type=int, help="Only the first N pages.")
def train_command(data, output, labels, folds, seed, limit):
    """Rebuild the model from the development pages; print its cross-validated scores.

    Needs the train extra: pip install 'cleaner[train]'.
    """
    try:
        import sklearn  # noqa: F401  (the train extra)

        from .training.train import train
    except ImportError as exc:
        click.echo(f"cleaner: training needs the train extra (pip install 'cleaner[train]'): {exc}", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    from .model import SHIPPED_MODEL

    try:
        train(data, output or SHIPPED_MODEL, labels, folds, seed, limit)
    except (FileNotFoundError, ValueError) as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_INPUT_ERROR)


@cli.command("rules")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only rules covering these languages.")
def rules_command(languages):
    """List the residue rules: id, match kind, languages and what each removes."""
    from .rules import rule_set

    for rule in rule_set(frozenset(languages) or None).rules:
        click.echo(f"{rule.id:32} {rule.match:8} {rule.action:7} {','.join(rule.languages):24} {rule.reason}")


def main():
    """Entry point of the ``cleaner`` command: a quiet death on a closed pipe, like other filters."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli(prog_name="cleaner")
