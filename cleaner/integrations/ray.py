"""Ray Data: clean the text column of a dataset, or a whole JSONL job on a cluster (``pip install 'cleaner[ray]'``).

In a pipeline of your own, ``CleanBatch`` is the function for
``Dataset.map_batches``. It is a callable class, so Ray Data runs it in actors,
and each actor loads the rules and the model once::

    import ray
    from cleaner.integrations.ray import CleanBatch

    ds = ray.data.read_json("corpus.jsonl")
    ds = ds.map_batches(CleanBatch, fn_constructor_kwargs={"text_field": "text"}, concurrency=4)

Each batch (numpy or pandas format) comes back with its text column cleaned and
a ``cleaner`` column of paragraphs, captions and removed pieces, as
``cleaner.jsonl.clean_record`` gives them.

``ray_outcomes`` is what ``cleaner clean --engine ray`` runs: each JSONL file is
read on the cluster (``JsonlRecords``, one read task per file, numbering lines as
``jsonl.parse_records`` does), its records are cleaned by ``ConvertBatch`` actors
with ``jsonl.convert_record``, the unit of work of ``--jobs`` too, and the
driver writes the rows. Order: Ray Data keeps the order of blocks when
``preserve_order`` is set, and each read task yields its file's lines in order,
so the rows come out in input order, as on one process.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import ray
from ray.data.datasource import FileBasedDatasource

from ..io import InputError
from ..jsonl import CLEANER_FIELD, clean_record, convert_record, decompressing, record_items, stream_lines
from ..options import Options
from ..parallel import batches, warm_up

#: Rows per block read from a JSONL file: a large file streams through in blocks of this size.
LINES_PER_BLOCK = 512
#: Records per batch handed to a cleaning actor.
RECORDS_PER_BATCH = 64


class CleanBatch:
    """``Dataset.map_batches`` callable: cleans ``text_field`` and adds a ``cleaner`` column; loads once per actor."""

    def __init__(self, options: Options | None = None, text_field: str = "text"):
        self.options = options or Options()
        self.text_field = text_field
        warm_up(self.options)

    def __call__(self, batch):
        """Clean one batch: a ``pandas.DataFrame`` or a dict of numpy arrays."""
        records = [clean_record({self.text_field: text}, self.options, self.text_field, "<ray batch>", row)
                   for row, text in enumerate(batch[self.text_field], 1)]
        batch[self.text_field] = [record[self.text_field] for record in records]
        batch[CLEANER_FIELD] = [record[CLEANER_FIELD] for record in records]
        return batch


class JsonlRecords(FileBasedDatasource):
    """One JSONL file (plain or compressed: ``jsonl.decompressing``) as rows of pickled ``jsonl.record_items``.

    Errors name the file ``source``, as given on the command line.
    """

    def __init__(self, source: str, encoding_errors: str = "strict"):
        super().__init__(source)
        self.source = source
        self.encoding_errors = encoding_errors

    def resolve_compression(self, path: str, open_args: dict) -> None:
        """None: ``_read_stream`` decompresses the file itself, so a file cut short names its line as one process does."""
        return None

    def _read_stream(self, f, path: str):
        import io

        import pyarrow

        lines = stream_lines(decompressing(io.BufferedReader(f), self.source), self.source)
        for block in batches(record_items(lines, self.source, self.encoding_errors), LINES_PER_BLOCK):
            yield pyarrow.table({"item": [pickle.dumps(item) for item in block]})


class ConvertBatch:
    """``Dataset.map_batches`` callable of ``ray_outcomes``: ``jsonl.convert_record`` on each item, pickled."""

    def __init__(self, settings, options_of: dict, explain: bool):
        self.convert = partial(convert_record, settings, options_of, explain)
        warm_up(next(iter(options_of.values())))

    def __call__(self, batch: dict) -> dict:
        return {"outcome": [pickle.dumps(self.convert(pickle.loads(item))) for item in batch["item"]]}


@contextmanager
def ray_outcomes(settings, options_of: dict, explain: bool, address: str | None = None, actors: int | None = None,
                 progress_bars: bool = False) -> Iterator[Callable[[str], Iterator[tuple]]]:
    """``outcomes_of(source)`` for ``jsonl.clean_corpus``: each source read and cleaned by Ray Data.

    Joins the cluster at ``address`` (default: ``RAY_ADDRESS``, or a new local Ray
    instance), unless Ray is already initialised, and leaves it at the end if it
    joined. ``actors``: cleaning actors (default: one per CPU of the cluster). The
    current ``DataContext`` is set to preserve order, which keeps the rows in input order.
    """
    joined = not ray.is_initialized()
    if joined:
        join(address)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = progress_bars
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)  # its errors reach us as exceptions, which we report
    actors = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    opened: list[Iterator[tuple]] = []

    def outcomes_of(source: str) -> Iterator[tuple]:
        outcomes = _source_outcomes(settings, options_of, explain, actors, source)
        opened.append(outcomes)
        return outcomes

    try:
        yield outcomes_of
    finally:
        for outcomes in opened:  # a run stopped by a bad record: its stream ends while Ray is still up
            outcomes.close()
        if joined:
            ray.shutdown()


#: Seconds to wait for a cluster's address to answer before saying it does not (Ray itself retries for minutes).
CONNECT_SECONDS = 10


def join(address: str | None) -> None:
    """Join the cluster at ``address`` (default: ``RAY_ADDRESS``, or start a local instance).

    A cluster that is not there, or an address Ray cannot read, is an ``InputError``
    at once: a ``HOST:PORT`` nobody answers at is tried for ``CONNECT_SECONDS``.
    """
    target = address or os.environ.get("RAY_ADDRESS")
    where = f"the Ray cluster at {target}" if target else "a local Ray instance"
    host, colon, port = (target or "").rpartition(":")
    if colon and host and "://" not in target and port.isdigit():
        try:
            socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
        except OSError as exc:
            raise InputError(f"cannot join {where}: {exc.strerror or exc}") from None
    handlers = _signal_handlers()
    try:
        ray.init(address=address, logging_level=logging.WARNING, include_dashboard=False)
    except (ValueError, RuntimeError, ConnectionError) as exc:
        raise InputError(f"cannot join {where}: {exc}") from None
    finally:
        _restore(handlers)


#: The signals whose handlers ``ray.init`` replaces: SIGTERM then ended the command with Ray's
#: stack dump and exit 15, not "cleaner: terminated" and 143, its output left to chance.
KEPT_SIGNALS = ("SIGTERM", "SIGINT")


def _signal_handlers() -> dict:
    """The handlers of ``KEPT_SIGNALS``, when this is the main thread (only it may set them)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {number: signal.getsignal(number) for number in (getattr(signal, name) for name in KEPT_SIGNALS)}


def _restore(handlers: dict) -> None:
    for number, handler in handlers.items():
        if handler is not None:  # a handler set outside Python cannot be set back
            signal.signal(number, handler)


def _source_outcomes(settings, options_of: dict, explain: bool, actors: int, source: str) -> Iterator[tuple]:
    """``(line, outcome)`` for each record of one JSONL file, cleaned on the cluster, in input order.

    A file that cannot be opened is reported as on one process; a file the cluster cannot
    read (a compressed file cut short) is an ``InputError`` naming it."""
    try:
        open(source, "rb").close()  # a missing file or a folder: the error one process gives
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    dataset = ray.data.read_datasource(JsonlRecords(source, settings.encoding_errors))
    dataset = dataset.map_batches(ConvertBatch, fn_constructor_args=(settings, options_of, explain),
                                  batch_size=RECORDS_PER_BATCH,
                                  compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors))
    try:
        for batch in dataset.iter_batches(batch_format="numpy", batch_size=None):
            for outcome in batch["outcome"]:
                yield pickle.loads(outcome)
    except ray.exceptions.RayTaskError as exc:
        cause = exc.cause
        raise cause if isinstance(cause, InputError) else InputError(f"{source}: cannot read: {cause}") from None
