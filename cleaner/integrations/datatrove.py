"""datatrove: ``CleanerStep``, a pipeline step that cleans ``document.text`` (``pip install 'cleaner[datatrove]'``).

It drops into FineWeb-style pipelines and runs under any datatrove executor::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep

    if __name__ == "__main__":  # the executor's worker processes import this file again
        LocalPipelineExecutor([JsonlReader("data/"), CleanerStep(), JsonlWriter("clean/")], tasks=4).run()

Each document's text is replaced by the clean text, and its paragraphs, captions
and removed pieces (spans into the original text) go to
``document.metadata["cleaner"]``, as ``cleaner.jsonl.clean_record`` gives them.
A document left with no text (all of it residue) is dropped, as datatrove's filters
drop documents (its JSONL writer would write it without a text, which its reader
skips). A document whose text cannot be cleaned (not a string) stops the task with
its id, or with ``on_error="skip"`` is dropped. The step counts ``documents``,
``removed`` pieces, ``captions``, ``emptied`` and ``skipped`` documents in
datatrove's stats. Each task loads the rules and the model once.
"""

from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..jsonl import CLEANER_FIELD, RecordError, clean_record
from ..options import Options
from ..parallel import warm_up


class CleanerStep(PipelineStep):
    """Clean each document's text; provenance in ``metadata["cleaner"]``; stats: documents, removed, captions."""

    type = "✂️ - FORMAT"
    name = "🧹 cleaner"

    def __init__(self, options: Options | None = None, on_error: str = "raise"):
        super().__init__()
        if options is not None and not isinstance(options, Options):
            raise TypeError(f"CleanerStep: options must be a cleaner.Options, not {type(options).__name__}: "
                            "CleanerStep(Options(captions='drop'))")
        if on_error not in ("raise", "skip"):
            raise ValueError(f"CleanerStep: on_error must be 'raise' or 'skip', not {on_error!r}")
        self.options = options or Options()
        self.on_error = on_error

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        warm_up(self.options)
        for document in data:
            with self.track_time():
                try:
                    cleaned = clean_record({"text": document.text}, self.options, "text", "document")
                except RecordError as exc:
                    if self.on_error == "raise":
                        raise ValueError(f"cleaner: document {document.id!r}: {exc.message}") from None
                    self.stat_update("skipped")
                    continue
            provenance = cleaned[CLEANER_FIELD]
            self.stat_update("documents")
            self.stat_update("removed", value=len(provenance["removed"]))
            self.stat_update("captions", value=len(provenance["captions"]))
            if not cleaned["text"]:
                self.stat_update("emptied")
                continue
            document.text = cleaned["text"]
            document.metadata[CLEANER_FIELD] = provenance
            yield document
