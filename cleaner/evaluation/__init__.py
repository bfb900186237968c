"""The evaluation harness, in parts; ``cleaner.evaluate`` runs it.

- ``metrics``: the scores (word F1, snippet rates, 4-gram shingle F1), the
  line-deleting ceiling and the gap closed: pure functions of strings;
- ``inputs``: the development pages, and the text inputs built from their HTML
  (trafilatura's text, the naive text of the article container) and gold
  captions, cached outside the repository;
- ``judge``: caption recall and precision, and how often each rule removes text
  that belongs to the article;
- ``report``: the printed table.
"""
