"""The progress bar of a run on several processes: documents, MB/s and ETA on stderr.

Drawn with tqdm, which is imported only when the bar is shown; this module itself
is light, so a plain run of the pipe filter pays nothing for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .io import COMPRESSION_SUFFIXES, STDIN


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

    def file_done(self, source: str, failed: bool = False) -> None:
        """Count one input file read, its size as read, and as a document unless it ``failed``."""
        if self.bar is not None:
            self.advance(0 if failed else 1, source_size(source))

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
    """The bytes to read from ``sources``, for the ETA; None when unknown (stdin, a compressed file).

    A file that cannot be read counts 0, as ``Progress.file_done`` counts it: one missing
    input among many leaves the total of the others.
    """
    compressed = tuple(suffix for suffix in COMPRESSION_SUFFIXES if suffix)
    if any(source == STDIN or source.lower().endswith(compressed) for source in sources):
        return None
    return sum(source_size(source) for source in sources)


def source_size(source: str) -> int:
    """The size of one input file in bytes; 0 for stdin or a file that cannot be read."""
    try:
        return 0 if source == STDIN else Path(source).stat().st_size
    except OSError:
        return 0
