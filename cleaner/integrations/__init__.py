"""Cleaner inside other data-processing frameworks (each needs its extra).

- ``cleaner.integrations.ray``: Ray Data, ``pip install 'cleaner[ray]'``: ``CleanBatch`` for
  ``Dataset.map_batches``, and ``clean_jsonl`` (``cleaner clean --engine ray``) for a whole
  JSONL job on a cluster;
- ``cleaner.integrations.datatrove``: datatrove, ``pip install 'cleaner[datatrove]'``:
  ``CleanerStep``, a pipeline step for FineWeb-style pipelines.

Every one cleans through ``cleaner.jsonl.clean_record``, so a record comes out the
same whichever way it was cleaned.
"""
