"""Corpus repeats: lines that recur in many documents of one site are residue.

A promotion ("Get the morning briefing in your inbox"), a site's tagline or a
standard sign-off recurs word for word in many documents of one site; article
prose rarely does. ``cleaner clean --corpus-repeats N`` reads a JSONL corpus twice:

1. ``LineCounter`` counts, for every normalised line (casefolded, whitespace
   collapsed), in how many documents of its group it occurs: a line repeated
   inside one document counts once. A record's group is the host of its ``url``
   field, or the value of another field (``--group-field``);
2. ``RepeatedLines.mark``, a decision stage of the normal pipeline (after the
   rules, before the learned model), removes the kept lines that recur in at
   least N documents of their group, with rule ``corpus.repeated`` and the count
   in the reason, so offsets and invariants hold as for any other decision.

The guard keeps long article prose quoted across stories: a line of at least
``GUARD_MIN_CHARS`` characters that ends a sentence is never removed, and
neither is a line inside a hard-wrapped paragraph.

Memory is bounded: at most 128 MiB however large the corpus, and 10 million
distinct lines fit. Each line is a 64-bit hash (BLAKE2b of its group and its
normalised text) in an open-addressing table of 8-byte slots, each packing 47
bits of the hash, the guard bit and a document count (16 bits, saturating at
65,535); 256 shards grow by doubling, stay at most 75% full and stop at 2**16
slots each (2**24 slots, 128 MiB in all): 10 million distinct lines fill it to
60%. From about 12.5 million distinct lines on, new lines are no longer counted
(and so never removed); the summary says how many. An exact table rather than a
count-min sketch, because a sketch only overestimates and every overestimate
removes a line of prose; here a line shares a count with another only when 47
bits of their hashes collide (for 10 million distinct lines, 0.36 such pairs are
expected, and one matters only if one of its two lines is a repeated line).
After counting, only the repeated lines are kept (a sorted array, 8 bytes each)
and the table is let go.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from urllib.parse import urlsplit

from .blocks import ends_sentence, split_lines
from .io import InputError

REPEAT_RULE = "corpus.repeated"
#: A line at least this long that ends a sentence is article prose: the guard keeps it.
GUARD_MIN_CHARS = 150

COUNT_BITS = 16
MAX_COUNT = (1 << COUNT_BITS) - 1
GUARD_BIT = 1 << COUNT_BITS
#: An entry is ``fingerprint << FINGERPRINT_SHIFT | guard bit | count``; 0 is an empty slot.
FINGERPRINT_SHIFT = COUNT_BITS + 1
SHARD_BITS = 8
FIRST_SLOTS = 1 << 10
MAX_SLOTS = 1 << 16
MAX_LOAD = 0.75
#: A shard at its largest takes no new line beyond this many.
FULL_SHARD = int(MAX_LOAD * MAX_SLOTS)


def normalise(line: str) -> str:
    """The form in which lines are compared: casefolded, whitespace collapsed."""
    return " ".join(line.casefold().split())


def line_key(group: str, line: str) -> int:
    """The 64-bit hash of ``line`` (normalised) in ``group``, the same in every process."""
    data = f"{group}\0{normalise(line)}".encode("utf-8", "surrogatepass")
    return int.from_bytes(blake2b(data, digest_size=8).digest(), "little")


def is_guarded(line: str) -> bool:
    """True when ``line`` reads as article prose (long, and ending a sentence): it is never removed."""
    return len(line) >= GUARD_MIN_CHARS and ends_sentence(line)


def group_of(record: dict, group_field: str | None = None) -> str:
    """The group a record's lines are counted in: the host of its ``url``, or its ``group_field``."""
    if group_field:
        value = record.get(group_field)
        return "" if value is None else str(value)
    url = record.get("url")
    try:
        return (urlsplit(url).hostname or "") if isinstance(url, str) else ""
    except ValueError:
        return ""


@dataclass
class CountSummary:
    """What the counting pass saw, for the report on stderr."""

    documents: int
    distinct: int
    repeated: int
    #: Distinct repeated lines the guard keeps, and the documents they occur in.
    guarded: int
    guarded_documents: int
    #: Lines not counted because the table was full.
    uncounted: int
    table_bytes: int

    def report(self, threshold: int) -> str:
        """What the counting pass found, for stderr."""
        text = (f"corpus repeats: {self.distinct:,} distinct lines in {self.documents:,} documents "
                f"(table {self.table_bytes / 1e6:.1f} MB); {self.repeated + self.guarded:,} recur in "
                f"at least {threshold} documents of their group")
        if self.uncounted:
            text += f"; the table was full: {self.uncounted:,} lines not counted (never removed)"
        return text

    def outcome(self, removed: int) -> str:
        """What the cleaning pass removed, and what the guard kept, for stderr."""
        return (f"corpus repeats: removed {removed:,} lines (rule {REPEAT_RULE}); the prose guard kept "
                f"{self.guarded:,} repeated lines ({self.guarded_documents:,} occurrences)")


class LineCounter:
    """The counting pass: in how many documents of its group each line occurs (see the module for the bound)."""

    def __init__(self):
        self.shards = [array("Q", [0]) * FIRST_SLOTS for _ in range(1 << SHARD_BITS)]
        self.used = [0] * len(self.shards)
        self.documents = 0
        self.uncounted = 0

    def add_document(self, group: str, text: str) -> None:
        """Count each distinct line of one document once."""
        lines = {}
        for line in split_lines(text):
            line = line.strip()
            if line:
                lines[line_key(group, line)] = is_guarded(line)
        for key, guarded in lines.items():
            self.add(key, guarded)
        self.documents += 1

    def add(self, key: int, guarded: bool) -> None:
        """One more document for the line with hash ``key``."""
        number = key >> (64 - SHARD_BITS)
        shard = self.shards[number]
        mask = len(shard) - 1
        fingerprint = key >> FINGERPRINT_SHIFT
        slot = fingerprint & mask
        entry = shard[slot]
        while entry:
            if entry >> FINGERPRINT_SHIFT == fingerprint:
                if entry & MAX_COUNT != MAX_COUNT:
                    shard[slot] = entry + 1
                return
            slot = (slot + 1) & mask
            entry = shard[slot]
        if self.used[number] >= FULL_SHARD:
            self.uncounted += 1
            return
        shard[slot] = fingerprint << FINGERPRINT_SHIFT | (GUARD_BIT if guarded else 0) | 1
        self.used[number] += 1
        if self.used[number] > MAX_LOAD * len(shard) and len(shard) < MAX_SLOTS:
            self.shards[number] = _grown(shard)

    @property
    def table_bytes(self) -> int:
        return sum(len(shard) * shard.itemsize for shard in self.shards)

    def repeated(self, threshold: int, group_field: str | None = None) -> tuple[RepeatedLines, CountSummary]:
        """The lines in at least ``threshold`` documents of their group that the guard lets go, and a summary."""
        removable, guarded, guarded_documents = [], 0, 0
        for shard in self.shards:
            for entry in shard:
                count = entry & MAX_COUNT
                if count < threshold:
                    continue
                if entry & GUARD_BIT:
                    guarded += 1
                    guarded_documents += count
                else:
                    removable.append(entry)
        removable.sort()
        summary = CountSummary(self.documents, sum(self.used), len(removable), guarded, guarded_documents,
                               self.uncounted, self.table_bytes)
        return RepeatedLines(array("Q", removable), threshold, group_field), summary


def _grown(shard: array) -> array:
    """``shard`` rehashed into twice as many slots."""
    bigger = array("Q", [0]) * (2 * len(shard))
    mask = len(bigger) - 1
    for entry in shard:
        if entry:
            slot = (entry >> FINGERPRINT_SHIFT) & mask
            while bigger[slot]:
                slot = (slot + 1) & mask
            bigger[slot] = entry
    return bigger


def count_repeats(documents: Iterable[tuple[dict, str]], threshold: int,
                  group_field: str | None = None) -> tuple[RepeatedLines, CountSummary]:
    """The counting pass over ``(record, text)`` pairs: the repeated lines, and a summary.

    A ``group_field`` no record has is an ``InputError`` (a misspelt name would put every
    record in one group)."""
    counter = LineCounter()
    records = named = 0
    for record, text in documents:
        counter.add_document(group_of(record, group_field), text)
        records += 1
        named += bool(group_field) and group_field in record
    if group_field and records and not named:
        raise InputError(f"--group-field {group_field}: no record has a field of that name")
    return counter.repeated(threshold, group_field)


class RepeatedLines:
    """The lines that recur in at least ``threshold`` documents of their group, and the stage that removes them.

    One object serves the whole corpus; ``for_record`` gives the view of one
    record's group, which ``cleaner.jsonl`` puts into that record's options.
    """

    def __init__(self, entries: array, threshold: int, group_field: str | None = None, group: str = ""):
        self.entries, self.threshold, self.group_field, self.group = entries, threshold, group_field, group

    def __len__(self) -> int:
        return len(self.entries)

    def for_record(self, record: dict) -> RepeatedLines:
        """The same lines, seen from the group of ``record``."""
        return RepeatedLines(self.entries, self.threshold, self.group_field, group_of(record, self.group_field))

    def count(self, line: str) -> int:
        """In how many documents of the group ``line`` occurs, if it is a repeated line; else 0."""
        fingerprint = line_key(self.group, line) >> FINGERPRINT_SHIFT
        index = bisect_left(self.entries, fingerprint << FINGERPRINT_SHIFT)
        if index < len(self.entries) and self.entries[index] >> FINGERPRINT_SHIFT == fingerprint:
            return self.entries[index] & MAX_COUNT
        return 0

    def mark(self, decisions) -> None:
        """The decision stage: remove, in place, the kept lines of the group that recur across the corpus."""
        from .blocks import inside_wrapped_paragraph, wrap_width
        from .decide import Action

        blocks, width = None, 0
        for index, decision in enumerate(decisions):
            if decision.action is not Action.KEEP:
                continue
            count = self.count(decision.block.text)
            if not count:
                continue
            if blocks is None:
                blocks = [d.block for d in decisions]
                width = wrap_width(blocks)
            if not inside_wrapped_paragraph(blocks, index, width):
                decision.action, decision.rule, decision.reason = Action.REMOVE, REPEAT_RULE, self.reason(count)

    def reason(self, count: int) -> str:
        """``recurs in 12 documents of host 'news.example.com' (--corpus-repeats 5)``."""
        documents = f"{count}{'+' if count == MAX_COUNT else ''} documents"
        if self.group:
            where = f"{self.group_field or 'host'} {self.group!r}"
        else:
            where = f"the documents without {self.group_field or 'a url host'}"
        return f"recurs in {documents} of {where} (--corpus-repeats {self.threshold})"
