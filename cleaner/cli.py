"""The command line: thin click commands that parse options, call the library and print."""

from __future__ import annotations

import os
import signal
import stat
import sys
from contextlib import suppress
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import NamedTuple

import click

from . import __version__
from .io import (STDIN, STDIN_NAME, STDOUT_NAME, InputError, OutputError, WorkerError, decode, is_jsonl, make_parent, read_source,
                 to_json_line, write_atomically, writing_to)
from .options import CAPTION_MODES

#: Exit code of a usage, configuration, input or output error.
EXIT_ERROR = 2
#: The exit status of a run stopped by Ctrl-C (128 + SIGINT), as a shell gives it.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
#: What the shell reports for a program killed by SIGPIPE.
EXIT_BROKEN_PIPE = 141
#: The most worker processes (or Ray actors) --jobs asks for: each holds open files and a copy of the model.
MAX_JOBS = 256


class _Commands(click.Group):
    """The command group: output that cannot be written (a full disk) ends any command
    with a message naming where, and exit 2; a file being replaced is left as it was.
    Ctrl-C ends it with 130, as the shell reports a program killed by SIGINT (click's own
    exit 1 would read as "findings" to ``cleaner check`` and pre-commit), and SIGTERM with
    143; either way a file being written is not left behind, whole or in part."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (OutputError, WorkerError) as exc:
            click.echo(f"cleaner: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:  # the reader of standard output left: end quietly, as a filter killed by SIGPIPE
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit has nowhere to fail
            ctx.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt as stop:
            terminated = isinstance(stop, Terminated)
            with suppress(OSError):
                click.echo(f"cleaner: {'terminated' if terminated else 'interrupted'}", err=True)
            ctx.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)


class Terminated(KeyboardInterrupt):
    """SIGTERM, met as Ctrl-C is: the work stops and what was being written is removed."""


def _terminate(signum, frame) -> None:
    raise Terminated


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def cli():
    """Clean scraped article text: strip residue, rejoin paragraphs, separate captions."""


def _known(what: str):
    """A click callback that lets through only known languages or rule names (``what``), so
    that a misspelt one is an error, not a setting that does nothing."""

    def check(ctx, param, values):
        if values:
            from .config import known_languages, known_rule_names, unknown_name

            problem = unknown_name(values, known_languages() if what == "language" else known_rule_names(), what)
            if problem:
                raise click.BadParameter(problem)
        return values

    return check


def config_options(command):
    """The options a configuration file can set too (given ones override it), and where to find the file."""
    options = [
        click.option("--captions", type=click.Choice(CAPTION_MODES),
                     help="Where photo captions go: dropped, separated (JSON only) or left inline [default: separate]."),
        click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_known("language"),
                     help="Use only rules for these languages (repeatable; default: all)."),
        click.option("--disable", multiple=True, metavar="RULE", callback=_known("rule or family"),
                     help="Switch off a rule id or a whole family (repeatable), e.g. --disable share; "
                          "--disable model.comments: the model's search for readers' comments."),
        click.option("--use-model/--no-model", default=None,
                     help="Let the learned model decide too, or rules alone [default: on for clean, off for check]."),
        click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Read settings from this file, not from the nearest cleaner.toml or pyproject.toml."),
        click.option("--no-config", is_flag=True, help="Read no configuration file."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def corpus_options(command):
    """The options of JSONL corpora (README: "Corpora (JSONL)")."""
    options = [
        click.option("--text-field", default="text", show_default=True, help="JSONL: the field of each record to clean."),
        click.option("--id-field", default="id", show_default=True,
                     help="JSONL with --format dolma: the field that names each document in its row."),
        click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="JSONL: write every row to FILE (compressed by its suffix: .gz, .zst, .bz2, .xz), atomically."),
        click.option("--on-error", type=click.Choice(["fail", "skip"]), default="fail", show_default=True,
                     help="JSONL: on a bad record, stop (exit 2, no file half-written) or skip it and count it."),
        click.option("--corpus-repeats", type=click.IntRange(2), metavar="N",
                     help="JSONL files: remove lines that recur in at least N documents of their site (reads twice)."),
        click.option("--group-field", metavar="FIELD",
                     help="With --corpus-repeats: group documents by FIELD instead of the host of their url."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _options_by_source(sources, defaults, captions, languages, disable, use_model, config_file, no_config):
    """Each source's options: ``defaults``, then its configuration file, then the command line; exit 2 on a bad file."""
    from .config import ConfigError, command_line_settings, options_by_source

    if config_file and no_config:
        raise click.UsageError("--config and --no-config contradict each other: give one")
    try:
        return options_by_source(sources, defaults, command_line_settings(captions, languages, disable, use_model),
                                 config_file, search=not no_config)
    except ConfigError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_ERROR)


@cli.command("clean")
@click.argument("inputs", nargs=-1, metavar="[FILE]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "dolma"]), default="text", show_default=True,
              help="text: the clean body; json: text, paragraphs, captions and removed pieces with spans; "
                   "dolma (JSONL input): Dolma attribute rows. JSONL input gives cleaned records otherwise.")
@click.option("--explain", is_flag=True, help="Print every decision (what, where, which rule, why) on stderr.")
@click.option("--no-title", is_flag=True, help="Leave the headline out of the text.")
@click.option("--offsets", type=click.Choice(["chars", "bytes"]), default="chars", show_default=True,
              help="Spans in code points (Python string indices) or in UTF-8 bytes.")
@click.option("--encoding-errors", type=click.Choice(["strict", "replace"]), default="strict", show_default=True,
              help="On invalid UTF-8: stop with an error, or replace the bad bytes and go on.")
@click.option("--input-format", type=click.Choice(["auto", "text", "html", "jsonl"]), default="auto", show_default=True,
              help="auto: JSONL for .jsonl/.ndjson files (also .gz, .zst, .bz2, .xz), HTML for .html/.htm files "
                   "and input that looks like markup, text otherwise.")
@click.option("--model", "model_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A model file made by 'cleaner train --output' (default: the shipped model).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each cleaned input under this folder instead of stdout.")
@click.option("-j", "--jobs", type=click.IntRange(0, MAX_JOBS), metavar="N",
              help=f"Clean on N processes (0: one per CPU; at most {MAX_JOBS}), output in input order [default: 1; "
                   "with --engine ray: one actor per CPU of the cluster].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (shown with --jobs when stderr is a terminal).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray (JSONL input, needs cleaner[ray]): clean on a Ray cluster with Ray Data.")
@click.option("--address", metavar="ADDRESS",
              help="With --engine ray: the cluster to join (default: RAY_ADDRESS, or a local Ray instance).")
@corpus_options
@config_options
def clean_command(inputs, fmt, explain, captions, no_title, offsets, encoding_errors, languages, disable,
                  input_format, use_model, model_path, output_dir, jobs, quiet, engine, address, config_file, no_config,
                  **corpus):
    """Clean FILEs (or stdin, or '-') and print the clean text.

    \b
    Examples:
      cleaner clean article.txt
      cat article.txt | cleaner clean -
      cleaner clean --format json --explain article.txt
      cleaner clean -o clean/ corpus/*.txt
      cleaner clean --jobs 2 -o clean/ corpus/*.txt
      cleaner clean --jobs 0 --output clean.jsonl corpus.jsonl
      cleaner clean --engine ray --address HOST:6379 --output clean.jsonl corpus.jsonl
      cleaner clean --format json --offsets bytes page.html
      cleaner clean --text-field text --output clean.jsonl.zst corpus.jsonl.gz
      cleaner clean --format dolma --corpus-repeats 5 -o attributes/cleaner/ documents/*.jsonl.gz
    """
    from . import Options

    if model_path and use_model is not False:
        from .model import ModelError, load_model

        try:
            load_model(str(model_path))
        except ModelError as exc:
            click.echo(f"cleaner: {exc}", err=True)
            sys.exit(EXIT_ERROR)
    sources = list(inputs) or [STDIN]
    if sources.count(STDIN) > 1:
        raise click.UsageError("standard input ('-') can be read once: name it once")
    defaults = Options(title=not no_title, model=str(model_path) if model_path else None)
    options_of = _options_by_source(sources, defaults, captions, languages, disable, use_model, config_file, no_config)
    if _jsonl_run(sources, input_format, fmt, corpus):
        run = Spread(jobs, engine, address, quiet or explain)
        _clean_jsonl(sources, options_of, fmt, offsets, encoding_errors, explain, output_dir, run, **corpus)
        return
    if engine == "ray" or address:
        raise click.UsageError("--engine ray and --address are for JSONL input (.jsonl or .ndjson files)")
    targets = _output_paths(sources, output_dir, fmt) if output_dir else None
    failed = False
    stdout = sys.stdout
    work = partial(_clean_and_render, input_format, encoding_errors, fmt, offsets, explain,
                   len(sources) > 1 or bool(output_dir))
    cleaned_sources = _cleaned_sources(work, [(source, options_of[source]) for source in sources], jobs)
    with _progress_over_files(sources, jobs, quiet or explain, writes_stdout=not output_dir) as progress:
        for index, (source, cleaned) in enumerate(zip(sources, cleaned_sources)):
            for message in cleaned.messages:
                progress.echo(message)
            progress.file_done(source, cleaned.failed)
            if cleaned.failed:
                failed = True
                continue
            _write_chunks(cleaned.chunks, targets[index] if targets else None, stdout, index > 0 and fmt == "text")
    if failed:
        sys.exit(EXIT_ERROR)


def _write_chunks(chunks: list[str], target: Path | None, stdout, separate: bool) -> None:
    """Write one cleaned input to its file under the output folder, or to stdout (after a blank line if ``separate``)."""
    if target:
        make_parent(target)
        write_atomically(target, chunks)
        return
    with writing_to(STDOUT_NAME):
        if separate and chunks:
            stdout.write("\n")
        for chunk in chunks:
            stdout.write(chunk)
        stdout.flush()


class Cleaned(NamedTuple):
    """One input cleaned and rendered: what to write, what to say on stderr, and whether it failed."""

    chunks: list[str]
    messages: list[str]
    failed: bool = False


def _clean_and_render(input_format: str, encoding_errors: str, fmt: str, offsets: str, explain: bool,
                      labelled: bool, stdin, item: tuple) -> Cleaned:
    """Clean one ``(source, options)`` and render it; run here or in a worker process (``--jobs``)."""
    source, options = item
    try:
        result, warnings = _clean_source(source, stdin, options, input_format, encoding_errors)
    except InputError as exc:
        return Cleaned([], [f"cleaner: {exc}"], failed=True)
    messages = warnings + ([f"{source}:{line}" for line in result.explain()] if explain else [])
    return Cleaned(_output_chunks(result, fmt, offsets, source if labelled else None), messages)


def _cleaned_sources(work, items: list[tuple], jobs: int | None):
    """``work(stdin, item)`` for each input, in order: in this process, or on ``jobs`` worker processes."""
    stdin = sys.stdin.buffer
    if not _parallel(jobs) or len(items) == 1:
        yield from (work(stdin, item) for item in items)
        return
    import io

    from .parallel import BATCH_BYTES, FILES_PER_BATCH, Workers, file_size

    data = io.BytesIO(stdin.read()) if any(source == STDIN for source, _ in items) else None
    with Workers(partial(work, data), jobs, items[0][1], FILES_PER_BATCH, file_size, BATCH_BYTES) as workers:
        yield from workers.map(items)


def _parallel(jobs: int | None) -> bool:
    """True when ``--jobs`` asks for more than one process."""
    if jobs is None or jobs == 1:
        return False
    from .parallel import job_count

    return job_count(jobs) > 1


def _progress_over_files(sources: list[str], jobs: int | None, quiet: bool, writes_stdout: bool):
    """The progress bar of a run on several processes (see ``progress.bar_wanted``)."""
    from .progress import Progress, bar_wanted, input_bytes

    shown = len(sources) > 1 and _parallel(jobs) and bar_wanted(quiet, writes_stdout)
    return Progress(shown, input_bytes(sources) if shown else None)


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: Files read as text by ``--input-format auto`` whatever they hold: an article about HTML quotes tags.
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".rst")


def refuse_streams(sources: list[str]) -> None:
    """``--corpus-repeats`` reads the corpus twice: stdin, a pipe named as a file (``<(zcat ...)``, a
    FIFO) would be empty the second time, or block; only regular files will do."""
    for source in sources:
        if source == STDIN:
            raise click.UsageError("--corpus-repeats reads the corpus twice: name its files, not stdin")
        try:
            regular = stat.S_ISREG(os.stat(source).st_mode)
        except OSError:
            continue  # reported by name when it is read
        if not regular:
            raise click.UsageError(f"--corpus-repeats reads the corpus twice: {source} is not a regular file "
                                   "(a pipe can be read once)")


def _clean_source(source: str, stdin, options, input_format: str, encoding_errors: str):
    """Read and clean one input as text or HTML: the result, and its warnings (a page with no article) for stderr.

    The raw bytes are let go as soon as they are decoded: a large input is then
    held once, as text, while it is cleaned.
    """
    import warnings

    from . import clean, looks_like_markup

    data = read_source(source, stdin)
    if input_format == "auto":
        suffix = Path(source).suffix.lower()
        input_format = "html" if suffix in HTML_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if input_format == "text" or (input_format == "auto" and not looks_like_markup(data)):
            # "replace": each byte that is not UTF-8 is kept as a lone surrogate, so byte offsets
            # count it as the one byte it is, and shown as U+FFFD
            replace = encoding_errors == "replace"
            text = decode(data, source, "surrogateescape" if replace else "strict")
            del data
            if input_format == "auto" and looks_like_json_lines(text):
                shown = STDIN_NAME if source == STDIN else source
                warnings.warn(f"{shown}: every line looks like a JSON object: it was cleaned as text, "
                              "so the records were not (give --input-format jsonl to clean each record)")
            result = clean(text, options, input_format="text")
            if replace:
                result.show_undecodable_bytes()
        else:
            from .html import clean_html

            result = clean_html(data, options, source=source)
    return result, [f"cleaner: warning: {warning.message}" for warning in caught]


#: How many of its first lines ``looks_like_json_lines`` reads, within how many characters.
SNIFFED_LINES = 3
SNIFFED_CHARS = 1_000_000


def looks_like_json_lines(text: str) -> bool:
    """Whether the first lines of ``text`` (up to ``SNIFFED_LINES`` non-blank ones) are each a
    JSON object: a JSONL corpus piped in without ``--input-format jsonl``, which cleaning as
    text would take apart (a model that reads its lines as residue removes most of them)."""
    import json

    head = text[:SNIFFED_CHARS]  # read every text in auto mode: not the whole of a large one
    if head.lstrip()[:1] != "{":
        return False
    lines = list(islice((line for line in head.splitlines() if line.strip()), SNIFFED_LINES))
    if not all(line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines):
        return False
    try:
        return all(isinstance(json.loads(line), dict) for line in lines)
    except ValueError:
        return False


def _output_chunks(result, fmt: str, offsets: str, source: str | None) -> list[str]:
    """What to write for one result, in pieces (a large text is not copied to add its newline)."""
    if fmt == "json":
        doc = result.to_dict(offsets)
        return [to_json_line({"source": source} | doc if source else doc), "\n"]
    return [result.text, "\n"] if result.text else []


def _output_paths(sources: list[str], folder: Path, fmt: str) -> list[Path]:
    """Where each input goes under ``folder``: its file name (``.json`` added for JSON; JSONL keeps it).

    Refuses names that collide and any output that would overwrite its own input.
    """
    paths = []
    for source in sources:
        path = Path(("stdin.jsonl" if fmt == "jsonl" else "stdin.txt") if source == STDIN else source)
        name = path.with_suffix(".txt").name if path.suffix.lower() in HTML_SUFFIXES else path.name
        paths.append(folder / (f"{name}.json" if fmt == "json" else name))
    seen: dict[Path, str] = {}
    inputs = {Path(source).resolve(): source for source in sources if source != STDIN}
    for source, path in zip(sources, paths):
        if path in seen:
            raise click.UsageError(f"{source} and {seen[path]} would both be written to {path}")
        seen[path] = source
        overwritten = inputs.get(path.resolve()) if path.exists() else None
        if overwritten == source:
            raise click.UsageError(f"{source}: the output would overwrite the input; choose another --output-dir")
        if overwritten:
            raise click.UsageError(f"{source}: the output {path} would overwrite the input {overwritten}; "
                                   "choose another --output-dir")
    return paths


def _jsonl_run(sources: list[str], input_format: str, fmt: str, corpus: dict) -> bool:
    """True when the inputs are JSONL corpora: ``--input-format jsonl``, or every input named like one."""
    named = [source != STDIN and is_jsonl(source) for source in sources]
    if input_format == "auto" and any(named) and not all(named):
        raise click.UsageError("JSONL and other inputs cannot be cleaned in one run")
    if input_format == "jsonl" or (input_format == "auto" and all(named)):
        return True
    given = [option for option, value in (("--format dolma", fmt == "dolma"), ("--output", corpus["output_file"]),
                                          ("--corpus-repeats", corpus["corpus_repeats"])) if value]
    given += [f"--{name.replace('_', '-')}" for name in ("text_field", "id_field", "on_error", "group_field")
              if _given_by_user(name)]
    if given:
        raise click.UsageError(f"{given[0]} is for JSONL input (.jsonl or .ndjson files, or --input-format jsonl)")
    return False


def _given_by_user(name: str) -> bool:
    """Whether the option ``name`` of the running command was given (not left to its default)."""
    from click.core import ParameterSource

    source = click.get_current_context().get_parameter_source(name)
    return source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def _clean_jsonl(sources, options_of, fmt, offsets, encoding_errors, explain, output_dir, run, *, text_field, id_field,
                 output_file, on_error, corpus_repeats, group_field):
    """Clean JSONL corpora record by record (``cleaner.jsonl``); ``--corpus-repeats`` counts lines first."""
    from dataclasses import replace

    if output_file is not None and str(output_file) == STDIN:  # "--output -": standard output, as for inputs
        output_file = None

    from .jsonl import CLEANER_FIELD, CorpusSettings, corpus_texts
    from .repeats import count_repeats

    if fmt == "dolma" and offsets == "bytes":
        raise click.UsageError("--format dolma writes character offsets, as Dolma's mixer reads them; drop --offsets bytes")
    if text_field == CLEANER_FIELD and fmt != "dolma":
        raise click.UsageError(f"--text-field {CLEANER_FIELD}: each cleaned record gets its spans in a field of that "
                               "name, which would take the place of the clean text")
    if output_file and output_dir:
        raise click.UsageError("give --output FILE or --output-dir DIR, not both")
    if corpus_repeats:
        refuse_streams(sources)
    if output_file and any(source != STDIN and Path(source).resolve() == output_file.resolve() for source in sources):
        raise click.UsageError(f"{output_file}: the output would overwrite an input; choose another --output")
    settings = CorpusSettings("dolma" if fmt == "dolma" else "records", text_field, id_field, offsets,
                              encoding_errors, on_error)
    targets = _output_paths(sources, output_dir, "jsonl") if output_dir else None
    try:
        if corpus_repeats:
            repeated, summary = count_repeats(corpus_texts(sources, settings), corpus_repeats, group_field)
            click.echo(f"cleaner: {summary.report(corpus_repeats)}", err=True)
            options_of = {source: replace(options, corpus_repeats=repeated) for source, options in options_of.items()}
        tally = _clean_corpus(run, sources, options_of, settings, output_file, targets, explain)
    except InputError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    for line in tally.report() + ([summary.outcome(tally.repeated)] if corpus_repeats else []):
        click.echo(f"cleaner: {line}", err=True)


class Spread(NamedTuple):
    """Where a JSONL run cleans: ``--jobs`` local processes, or a Ray cluster (``--engine``, ``--address``)."""

    jobs: int | None
    engine: str
    address: str | None
    quiet: bool


def _clean_corpus(run: Spread, sources, options_of, settings, output_file, targets, explain: bool):
    """Clean JSONL corpora here (``jsonl.clean_corpus``), on ``--jobs`` processes or on Ray: the same rows either way."""
    from . import parallel
    from .jsonl import clean_corpus
    from .progress import Progress, bar_wanted, input_bytes

    explainer = _explain_record if explain else None
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    if run.address and run.engine != "ray":
        raise click.UsageError("--address names a Ray cluster: give --engine ray with it")
    if run.engine == "local" and not _parallel(run.jobs):
        return clean_corpus(sources, options_of, settings, stdin=stdin, stdout=stdout, output_file=output_file,
                            targets=targets, explain=explainer)
    shown = bar_wanted(run.quiet, writes_stdout=not (output_file or targets))
    if run.engine == "ray":
        if STDIN in sources:
            raise click.UsageError("--engine ray reads files: name them, not stdin")
        from .integrations.ray import ray_outcomes

        spread = ray_outcomes(settings, options_of, explain, run.address, run.jobs, progress_bars=shown)
        progress = Progress(False)
    else:
        progress = Progress(shown, input_bytes(sources))
        spread = parallel.pooled_outcomes(settings, options_of, explain, run.jobs, stdin, progress)
    with progress, spread as outcomes_of:
        return clean_corpus(sources, options_of, settings, stdout=stdout, output_file=output_file, targets=targets,
                            explain=explainer, outcomes_of=outcomes_of)


def _explain_record(source: str, line: int, result) -> None:
    """``--explain`` for one record: ``FILE:LINE: LINE:COL: ...``, the second place inside its text."""
    for explanation in result.explain():
        click.echo(f"{source}:{line}: {explanation}", err=True)


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Rewrite each file with findings with its clean text (atomically).")
@click.option("--text-field", default="text", show_default=True, help="The field of JSONL records that holds the text.")
@config_options
def check_command(paths, fix, text_field, captions, languages, disable, use_model, config_file, no_config):
    """Report what cleaning would change in text and JSONL files; --fix changes it.

    One line per finding: PATH:LINE:COL: RULE: MESSAGE (in a .jsonl file, the
    record's line and 1 + the offset inside its text field). A FOLDER stands for
    its text and JSONL files, hidden ones left out. Exit code: 0 nothing found,
    1 findings (with --fix: files changed), 2 an error.

    \b
    Examples:
      cleaner check article.txt corpus/
      cleaner check --fix corpus/records.jsonl
    """
    from . import Options
    from .check import check_files, exit_code, files_to_check

    if Path(STDIN) in paths:
        raise click.UsageError("check reads files and folders, not stdin")
    files, unread = files_to_check(list(paths))
    options_of = _options_by_source([str(path) for path in files], Options(use_model=False),
                                    captions, languages, disable, use_model, config_file, no_config)
    outcomes = []
    for outcome in chain(unread, check_files(files, options_of, fix, text_field)):
        for error in outcome.errors:
            click.echo(f"cleaner: {error}", err=True)
        with writing_to(STDOUT_NAME):
            if outcome.fixed:
                click.echo(f"Fixing {outcome.path}")
            else:
                for line in outcome.lines():
                    click.echo(line)
        outcomes.append(outcome)
    sys.exit(exit_code(outcomes))


EVAL_MODES = ("a", "b", "html")


def _eval_modes(ctx, param, value: str) -> tuple[str, ...]:
    """``--modes``: known modes, comma-separated, at least one."""
    modes = tuple(mode.strip() for mode in value.split(",") if mode.strip())
    unknown = [mode for mode in modes if mode not in EVAL_MODES]
    if unknown or not modes:
        raise click.BadParameter(f"{', '.join(map(repr, unknown)) or 'none given'}: choose among {', '.join(EVAL_MODES)}")
    return modes


@cli.command("eval")
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages.")
@click.option("--modes", default=",".join(EVAL_MODES), show_default=True, callback=_eval_modes,
              help="What to evaluate: text inputs a and b, and html, comma-separated.")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="The data folder (default: ../shared/data/wcxb-dev-articles beside the project).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the report as JSON (default: $XDG_CACHE_HOME/cleaner/eval/latest.json).")
@click.option("--no-cv", is_flag=True, help="Clean with the shipped model instead of training one per fold.")
def eval_command(limit, modes, data, json_path, no_cv):
    """Score cleaner on the WCXB development pages and print one table (also: make eval)."""
    from .evaluate import run
    from .evaluation.inputs import DataError

    try:
        run(data, limit=limit, modes=modes, json_path=json_path, no_cv=no_cv)
    except (FileNotFoundError, DataError, InputError) as exc:  # no pages; a page or ground truth that cannot be read
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_ERROR)


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
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages.")
def train_command(data, output, labels, folds, seed, limit):
    """Rebuild the model from the development pages; print its cross-validated scores.

    Needs the train extra: pip install 'cleaner[train]'.
    """
    try:
        import sklearn  # noqa: F401  (the train extra)

        from .training.train import train
    except ImportError as exc:
        click.echo(f"cleaner: training needs the train extra (pip install 'cleaner[train]'): {exc}", err=True)
        sys.exit(EXIT_ERROR)
    from .model import SHIPPED_MODEL

    try:
        train(data, output or SHIPPED_MODEL, labels, folds, seed, limit)
    except (FileNotFoundError, ValueError, InputError) as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.option("--lang", "languages", multiple=True, metavar="CODE", callback=_known("language"),
              help="Only rules covering these languages.")
def rules_command(languages):
    """List the residue rules: id, match kind, languages and what each removes (HTML mode's markup
    rules, then the engine's and the learned model's verdicts, last)."""
    from .decide import ENGINE_VERDICTS, MODEL_VERDICTS
    from .markup import markup_rule_reasons
    from .rules import rule_set

    rows = [(rule.id, rule.match, rule.action, ",".join(rule.languages), rule.reason)
            for rule in rule_set(frozenset(languages) or None).rules]
    rows += [(rule_id, kind, "remove", "*", reason)
             for kind, reasons in (("markup", markup_rule_reasons()), ("engine", ENGINE_VERDICTS.items()),
                                   ("model", MODEL_VERDICTS.items()))
             for rule_id, reason in reasons]
    with writing_to(STDOUT_NAME):
        for rule_id, match, action, languages_, reason in rows:
            click.echo(f"{rule_id:32} {match:8} {action:7} {languages_:24} {reason}")


def main():
    """Entry point of the ``cleaner`` command: a quiet death on a closed pipe, like other filters;
    a closed standard stream, or help text that cannot be written, is an error, not a traceback."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, _terminate)
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:  # the shell closed it (``>&-``)
            setattr(sys, name, _ClosedStream())
    try:
        cli(prog_name="cleaner")
    except OSError as exc:  # --help or --version written to a full disk (the commands name their own outputs)
        with suppress(OSError):  # standard error itself may be what failed (--explain 2>/dev/full)
            click.echo(f"cleaner: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)


class _ClosedStream:
    """Stands for a standard stream the shell closed: reading or writing it fails as on a closed file."""

    @property
    def buffer(self):
        return self

    def _closed(self, *_):
        import errno

        raise OSError(errno.EBADF, "the stream is closed")

    read = write = __iter__ = _closed

    def flush(self) -> None:
        """Nothing was written, so nothing waits (Python flushes standard output at exit)."""
