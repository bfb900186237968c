"""datatrove: ``CleanerStep``, a pipeline step that cleans ``document.text`` (``pip install 'cleaner[datatrove]'``).

It drops into FineWeb-style pipelines and runs under any datatrove executor::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep

    LocalPipelineExecutor([JsonlReader("data/"), CleanerStep(), JsonlWriter("clean/")], tasks=4).run()

Each document's text is replaced by the clean text, and its paragraphs, captions
and removed pieces (spans into the original text) go to
``document.metadata["cleaner"]``, as ``cleaner.jsonl.clean_record`` gives them.
The step counts ``documents``, ``removed`` pieces and ``captions`` in datatrove's
stats. Each task loads the rules and the model once.
"""

from __future__ import annotations

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..jsonl import CLEANER_FIELD, clean_record
from ..options import Options
from ..parallel import warm_up


class CleanerStep(PipelineStep):
    """Clean each document's text; provenance in ``metadata["cleaner"]``; stats: documents, removed, captions."""

    type = "✂️ - FORMAT"
    name = "🧹 cleaner"

    def __init__(self, options: Options | None = None):
        super().__init__()
        self.options = options or Options()

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        warm_up(self.options)
        for document in data:
            with self.track_time():
                cleaned = clean_record({"text": document.text}, self.options, "text", str(document.id))
            provenance = cleaned[CLEANER_FIELD]
            document.text = cleaned["text"]
            document.metadata[CLEANER_FIELD] = provenance
            self.stat_update("documents")
            self.stat_update("removed", value=len(provenance["removed"]))
            self.stat_update("captions", value=len(provenance["captions"]))
            yield document
