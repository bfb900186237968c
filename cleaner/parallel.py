"""Cleaning on several processes, output in input order (``cleaner clean --jobs N``).

``Workers`` is a pool of N processes that runs one work function over streams of
items: items go out in batches, at most ``WINDOW`` batches per worker are in
flight (so a long JSONL file streams through in bounded memory), and results
come back in input order. The work function is sent to each worker once, when it
starts, and the worker loads the rules and the model then, once.

The unit of work of a JSONL corpus is ``convert_record``: one record in, its
output line out (``jsonl.CorpusSettings.convert`` and ``jsonl.encode_row``), or
its ``RecordError``, which travels in a ``CarriedError`` and reaches the parent
whole, naming the file and line as in a run on one process. ``clean_corpus``
streams JSONL files through it, here, on a pool or on a Ray cluster
(``integrations.ray``): the same rows, in the same order, with the same errors
as ``jsonl.clean_corpus``.

``Progress`` is the bar on stderr (documents, MB/s, ETA), drawn with tqdm, which
is imported only when the bar is shown.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from .io import STDIN
from .options import Options

#: Batches in flight per worker: enough to keep every worker busy while the parent
#: writes, few enough to bound memory.
WINDOW = 4
#: Items per batch: JSONL records, or text files (one document each).
RECORDS_PER_BATCH = 16
FILES_PER_BATCH = 4

#: How often a worker checks that its parent is still there.
PARENT_CHECK_SECONDS = 0.5

SAMPLE = "Share\n\nA Warm-Up Headline\n\nA first sentence to read.\n\nAdvertisement\n"


def job_count(jobs: int) -> int:
    """``jobs``, with 0 meaning one per CPU."""
    return jobs or os.cpu_count() or 1


def warm_up(options: Options) -> None:
    """Load the rules and the model of ``options`` in this process, once, and build their lazy indexes."""
    from . import clean

    clean(SAMPLE, options, input_format="text")


#: The work function of this worker process, sent once when it starts.
_work: Callable | None = None


def _start_worker(work: Callable, options: Options) -> None:
    """A worker's initializer: keep the work function, leave Ctrl-C to the parent, load rules and model once."""
    import signal
    import threading

    global _work
    _work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    warm_up(options)


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone (say, killed by a closed pipe: ``cleaner clean -j 2 ... | head``)."""
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _run_batch(batch: list) -> list:
    """The work function on each item of a batch, in a worker."""
    return [_work(item) for item in batch]


def batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Workers:
    """``jobs`` worker processes running ``work`` (picklable: a module-level function or a ``partial`` of one).

    ``options`` are those the workers warm up with. Use as a context manager; the
    processes end with the ``with`` block, pending work cancelled.
    """

    def __init__(self, work: Callable, jobs: int, options: Options, batch_size: int):
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = job_count(jobs)
        self.batch_size = batch_size
        warm_up(options)  # forked workers start warm (others load in their initializer)
        gc.freeze()  # and their collector leaves the shared rules and model alone (fewer copied pages)
        self.pool = ProcessPoolExecutor(self.jobs, initializer=_start_worker, initargs=(work, options))

    def map(self, items: Iterable) -> Iterator:
        """``work(item)`` for each item, computed in the workers, yielded in input order."""
        pending: deque = deque()
        for batch in batches(items, self.batch_size):
            pending.append(self.pool.submit(_run_batch, batch))
            if len(pending) >= WINDOW * self.jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class CarriedError:
    """An exception returned by a worker, carried to the parent whole.

    Pickle rebuilds an exception by calling its class with ``args``, which fails for
    ``RecordError(source, line, message)``; this keeps its class, args and attributes.
    """

    def __init__(self, error: BaseException):
        self.kind, self.args, self.state = type(error), error.args, dict(vars(error))

    def restore(self) -> BaseException:
        error = self.kind.__new__(self.kind)
        error.args = self.args
        vars(error).update(self.state)
        return error


class Converted(NamedTuple):
    """One record cleaned in a worker: its output line, its lines removed as corpus repeats, its explanations."""

    row: bytes
    repeated: int
    explanations: list[str]

    def explain(self) -> list[str]:
        """The ``--explain`` lines of the record, as ``Result.explain`` gives them."""
        return self.explanations


def convert_record(settings, options_of: dict, explain: bool, item: tuple) -> tuple[int, Converted | CarriedError]:
    """``(line, Converted)`` for one ``(source, line, record)`` of ``record_items``, or ``(line, CarriedError)``."""
    from .jsonl import RecordError, encode_row
    from .repeats import REPEAT_RULE

    source, line, record = item
    if isinstance(record, CarriedError):
        return line, record
    try:
        row, result = settings.convert(record, options_of[source], source, line)
    except RecordError as error:
        return line, CarriedError(error)
    repeated = sum(piece.rule == REPEAT_RULE for piece in result.removed)
    return line, Converted(encode_row(row), repeated, result.explain() if explain else [])


def record_items(lines: Iterable[bytes], source: str, encoding_errors: str) -> Iterator[tuple]:
    """``(source, line, record)`` for each record of JSONL ``lines``, as ``convert_record`` takes them.

    ``record`` is the parsed record, or the ``RecordError`` of a malformed line in a ``CarriedError``.
    """
    from .jsonl import RecordError, parse_records

    for line, record in parse_records(lines, source, encoding_errors):
        yield source, line, CarriedError(record) if isinstance(record, RecordError) else record


def corpus_items(source: str, settings, stdin=None, progress: Progress | None = None) -> Iterator[tuple]:
    """The ``record_items`` of one JSONL file (``stdin`` for ``-``), its bytes counted by ``progress``."""
    from .jsonl import read_lines

    lines = read_lines(source, stdin)
    if progress is not None and progress.shown:
        lines = progress.reading(lines)
    return record_items(lines, source, settings.encoding_errors)


def write_outcomes(outcomes: Iterable[tuple], source: str, write: Callable[[bytes], object], settings, tally,
                   explain: Callable | None = None, progress: Progress | None = None) -> None:
    """Write the row of each ``(line, outcome)`` in order; a bad record stops the run or is skipped (``on_error``)."""
    for line, outcome in outcomes:
        if isinstance(outcome, CarriedError):
            error = outcome.restore()
            if settings.on_error == "fail":
                raise error
            tally.skip(error)
            continue
        write(outcome.row)
        tally.written += 1
        tally.repeated += outcome.repeated
        if explain is not None:
            explain(source, line, outcome)
        if progress is not None:
            progress.advance(1)


@contextmanager
def pooled_outcomes(settings, options_of: dict, explain: bool, jobs: int, stdin=None,
                    progress: Progress | None = None) -> Iterator[Callable[[str], Iterator[tuple]]]:
    """``outcomes_of(source)`` for ``clean_corpus``: each source's records cleaned on ``jobs`` worker processes."""
    work = partial(convert_record, settings, options_of, explain)
    with Workers(work, jobs, next(iter(options_of.values())), RECORDS_PER_BATCH) as workers:
        yield lambda source: workers.map(corpus_items(source, settings, stdin, progress))


def clean_corpus(sources: list[str], outcomes_of: Callable[[str], Iterable[tuple]], settings, *,
                 stdout=None, output_file: Path | None = None, targets: list[Path] | None = None,
                 explain: Callable | None = None, progress: Progress | None = None):
    """What ``jsonl.clean_corpus`` does, with each source's ``(line, outcome)`` from ``outcomes_of(source)``.

    ``outcomes_of`` cleans a source's records on a pool of workers or on a Ray
    cluster; the rows are written in input order, to ``stdout``, to one
    ``output_file`` or each source to its own file of ``targets``, atomically.
    """
    from .jsonl import Tally, _writing

    tally = Tally()
    groups = [(target, [source]) for source, target in zip(sources, targets)] if targets else [(output_file, sources)]
    for target, group in groups:
        with _writing(target, stdout) as write:
            for source in group:
                write_outcomes(outcomes_of(source), source, write, settings, tally, explain, progress)
    return tally


class Progress:
    """A progress bar on stderr (documents, MB/s, ETA), or nothing when ``shown`` is false."""

    def __init__(self, shown: bool, total_bytes: int | None = None):
        self.shown = shown
        self.bar = None
        self.documents = 0
        if shown:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: worker processes may be forked after the bar starts
            self.bar = tqdm(total=total_bytes or None, unit="B", unit_scale=True, unit_divisor=1000,
                            desc="cleaning", dynamic_ncols=True, leave=True, file=sys.stderr)

    def advance(self, documents: int = 0, size: int = 0) -> None:
        """Count ``documents`` done and ``size`` input bytes read."""
        if self.bar is None:
            return
        self.documents += documents
        self.bar.set_postfix_str(f"{self.documents} docs", refresh=False)
        self.bar.update(size)

    def reading(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        """``lines`` as they are, their bytes counted as read."""
        for line in lines:
            self.advance(0, len(line))
            yield line

    def echo(self, message: str) -> None:
        """Print a line on stderr, above the bar when there is one."""
        if self.bar is None:
            print(message, file=sys.stderr)
        else:
            self.bar.write(message, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def bar_wanted(quiet: bool, writes_stdout: bool) -> bool:
    """Show the bar when stderr is a terminal, unless ``quiet`` or the output goes to that terminal too."""
    return not quiet and _is_terminal(sys.stderr) and not (writes_stdout and _is_terminal(sys.stdout))


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def input_bytes(sources: list[str]) -> int | None:
    """The bytes to read from ``sources``, for the ETA; None when unknown (stdin, a compressed or missing file)."""
    if any(source == STDIN or source.lower().endswith((".gz", ".zst")) for source in sources):
        return None
    try:
        return sum(Path(source).stat().st_size for source in sources)
    except OSError:
        return None
