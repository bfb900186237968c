"""Cleaning on several processes, output in input order (``cleaner clean --jobs N``).

``Workers`` is a pool of N processes that runs one work function over streams of
items: items go out in batches, at most ``WINDOW`` batches per worker are in
flight (so a long JSONL file streams through in bounded memory), and results
come back in input order. The work function is sent to each worker once, when it
starts, and the worker loads the rules and the model then, once.

The unit of work of a JSONL corpus is ``jsonl.convert_record``: one record in,
its output line out, or its ``RecordError``, which pickles whole and reaches the
parent naming the file and line as in a run on one process. ``pooled_outcomes``
runs it on a pool, for ``jsonl.clean_corpus`` to write: the same rows, in the
same order, with the same errors as a run here.

The progress bar they advance is ``cleaner.progress.Progress``.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from .io import WorkerError
from .options import Options
from .progress import Progress, source_size

#: Batches in flight per worker: enough to keep every worker busy while the parent
#: writes, few enough to bound memory.
WINDOW = 4
#: Items per batch: JSONL records, or text files (one document each).
RECORDS_PER_BATCH = 16
FILES_PER_BATCH = 4
#: A batch of files ends when its files hold this many bytes (a batch of records, when their
#: texts hold this many characters): a few large files then go to workers one by one (all in
#: one batch, they were cleaned by one worker while the others idled), and memory stays bounded.
BATCH_BYTES = 1_000_000

#: How often a worker checks that its parent is still there.
PARENT_CHECK_SECONDS = 0.5

SAMPLE = "Share\n\nA Warm-Up Headline\n\nA first sentence to read.\n\nAdvertisement\n"


#: Open files the parent holds per worker process (its pipe and sentinel), and besides them.
FILES_PER_WORKER = 2
SPARE_FILES = 24


def refuse_beyond_open_files(jobs: int) -> None:
    """An ``OSError`` saying so when ``jobs`` workers would pass the process's limit of open
    files (``ulimit -n``): the pool would fail while it starts, and leave its workers hanging."""
    try:
        import resource
    except ImportError:  # no such limit to read (Windows)
        return
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = FILES_PER_WORKER * jobs + SPARE_FILES
    if soft != resource.RLIM_INFINITY and needed > soft:
        import errno

        raise OSError(errno.EMFILE, f"{jobs} worker processes need about {needed} open files, over this "
                                    f"process's limit of {soft} (ask for fewer --jobs, or raise 'ulimit -n')")


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
    """A worker's initializer: keep the work function, leave Ctrl-C to the parent (and die at
    SIGTERM, which the pool sends at its end), load rules and model once."""
    global _work
    _work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the parent's handler
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


def batches(items: Iterable, size: int, weight: Callable | None = None, budget: float = 0) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter); with ``weight``, a list also ends
    as soon as its items' weights reach ``budget``."""
    batch, total = [], 0
    for item in items:
        batch.append(item)
        if weight is not None:
            total += weight(item)
        if len(batch) >= size or (weight is not None and total >= budget):
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def file_size(item: tuple) -> int:
    """The size in bytes of the file an item ``(path, options)`` names (0 for stdin or what cannot be read)."""
    return source_size(item[0])


class Workers:
    """``jobs`` worker processes running ``work`` (picklable: a module-level function or a ``partial`` of one).

    ``options`` are those the workers warm up with. Use as a context manager; the
    processes end with the ``with`` block, pending work cancelled.
    """

    def __init__(self, work: Callable, jobs: int, options: Options, batch_size: int, weight: Callable | None = None,
                 budget: float = 0):
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = job_count(jobs)
        self.batch_size, self.weight, self.budget = batch_size, weight, budget
        refuse_beyond_open_files(self.jobs)
        warm_up(options)  # forked workers start warm (others load in their initializer)
        gc.freeze()  # and their collector leaves the shared rules and model alone (fewer copied pages)
        self.pipe_signal = _ignore_sigpipe()
        self.pool = ProcessPoolExecutor(self.jobs, initializer=_start_worker, initargs=(work, options))

    def map(self, items: Iterable) -> Iterator:
        """``work(item)`` for each item, computed in the workers, yielded in input order."""
        from concurrent.futures.process import BrokenProcessPool

        pending: deque = deque()
        try:
            for batch in batches(items, self.batch_size, self.weight, self.budget):
                pending.append(self.pool.submit(_run_batch, batch))
                if len(pending) >= WINDOW * self.jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            raise WorkerError("a worker process died (killed by the system? out of memory?): the work stopped, "
                              "an output file being written is left as it was; run again, with fewer --jobs if memory "
                              "is short") from None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.pipe_signal is not None:
            signal.signal(signal.SIGPIPE, self.pipe_signal)


def _ignore_sigpipe():
    """Ignore SIGPIPE while workers run, returning the handler it had (None: left as it was).

    The command dies quietly on SIGPIPE, as filters do (``| head``); but a worker that dies
    closes a pipe the pool writes to, and that signal would kill the command without a word,
    its temporary output left behind. With the signal ignored, a dead worker is an error the
    pool reports, and a closed standard output a ``BrokenPipeError``, which ends the command as
    quietly."""
    if not hasattr(signal, "SIGPIPE") or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def corpus_items(source: str, settings, stdin=None, progress: Progress | None = None) -> Iterator[tuple]:
    """The ``jsonl.record_items`` of one JSONL file (``stdin`` for ``-``), its bytes counted by ``progress``."""
    from .jsonl import read_lines, record_items

    lines = read_lines(source, stdin)
    if progress is not None and progress.shown:
        lines = progress.reading(lines)
    return record_items(lines, source, settings.encoding_errors)


def text_length(text_field: str, item: tuple) -> int:
    """The length of the text of a ``(source, line, record)`` item (0 for a bad record): a batch
    of records ends at ``BATCH_BYTES`` of text too, so that large records keep memory bounded."""
    text = item[2].get(text_field) if isinstance(item[2], dict) else None
    return len(text) if isinstance(text, str) else 0


def counted(outcomes: Iterable[tuple], progress: Progress | None) -> Iterator[tuple]:
    """``outcomes`` as they are, each cleaned record (not an error) counted as a document by ``progress``."""
    from .jsonl import RecordError

    for line, outcome in outcomes:
        if progress is not None and not isinstance(outcome, RecordError):
            progress.advance(1)
        yield line, outcome


@contextmanager
def pooled_outcomes(settings, options_of: dict, explain: bool, jobs: int, stdin=None,
                    progress: Progress | None = None) -> Iterator[Callable[[str], Iterator[tuple]]]:
    """``outcomes_of(source)`` for ``jsonl.clean_corpus``: each source's records cleaned on ``jobs`` worker processes."""
    from .jsonl import convert_record

    work = partial(convert_record, settings, options_of, explain)
    weight = partial(text_length, settings.text_field)
    with Workers(work, jobs, next(iter(options_of.values())), RECORDS_PER_BATCH, weight, BATCH_BYTES) as workers:
        yield lambda source: counted(workers.map(corpus_items(source, settings, stdin, progress)), progress)
