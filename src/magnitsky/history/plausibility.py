"""Is a snapshot plausible after the last accepted one? A file can parse cleanly and still
be wrong: a column emptied or swapped, a program tag misspelt on every line, names and
types exchanged. The loss guard counts entries; these checks look at what they hold:

- a program of the vocabulary (``data/programs.toml``: the Magnitsky-style programs whose
  counts are published) of at least ``MIN_PROGRAM`` entries losing more than ``max_loss``
  of its entries at once (``MAGNITSKY_MAX_LOSS``, the same share as for the whole list).
  Other programs are left alone: the real lists rename and end them (OFAC's SDNTK entries
  moved to ILLICIT-DRUGS-EO14059; the UK and Australia renamed regimes between files);
- more than ``MAX_UNTAGGED`` of the entries under no program at all (an emptied column);
- more than ``MAX_AMENDED`` of the entries amended at once (within one file format), or
  more than ``max_loss`` of them moving to program tags never seen before: both only
  against a previous snapshot at most ``MAX_GAP_DAYS`` older (archived files years apart
  differ that much for real: the UK's 2018 and 2022 files, Australia's 2022 and 2024);
- an entry listed under a program before that program's first listing (a file dated
  before the program existed).

Each gives the reason a snapshot is rejected (``--force`` accepts it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Protocol

from magnitsky.programs import first_listing, programs

MIN_PROGRAM = 25
"""A program this small may lose a large share in one real action."""
MAX_UNTAGGED = 0.01
"""Every entry of a list is under some program."""
MAX_GAP_DAYS = 92
MAX_AMENDED = 0.5
"""Share of entries amended at once above which a snapshot is implausible. The real
histories amend at most a few per cent between consecutive snapshots."""


class HasTags(Protocol):
    @property
    def tags(self) -> frozenset[str]: ...

    @property
    def core(self) -> tuple[object, ...]: ...


Change = tuple[HasTags | None, HasTags | None]
"""An entry before and after (None: absent)."""
Keys = Callable[[Iterable[str]], set[str]]


def judge(
    counts: Counter[str],
    entries_before: int,
    changes: Sequence[Change],
    keys: Keys,
    as_of: date,
    *,
    max_loss: float,
    same_format: bool,
    previous: date | None = None,
) -> str | None:
    """The reason the snapshot is implausible, or None. ``counts``: entries per program key
    in the last accepted snapshot (of ``previous``); ``changes``: the entries that differ
    from it."""
    lost: Counter[str] = Counter()
    gained_unseen = amended = untagged = 0
    early: tuple[str, date] | None = None
    for old, new in changes:
        before = keys(old.tags) if old else set()
        after = keys(new.tags) if new else set()
        lost.update(before - after)
        if new and not after:
            untagged += 1
        if counts and after - before - counts.keys():
            gained_unseen += 1
        for key in after - before:
            start = first_listing(key)
            if start is not None and as_of < start and early is None:
                early = key, start
        if same_format and old and new and old.core != new.core:
            amended += 1
    if early:
        return (
            f"dated {as_of} but lists entries under {early[0]}, a program whose first"
            f" listing was on {early[1]}: the date or the file is wrong"
        )
    vocabulary = programs()
    for key, n in sorted(lost.items(), key=lambda item: -item[1]):
        had = counts.get(key, 0)
        if key in vocabulary and had >= MIN_PROGRAM and n / had > max_loss:
            return (
                f"the program {key} loses {n} of its {had} entries at once ({n / had:.0%},"
                f" more than {max_loss:.0%}): a column emptied, swapped or misspelt?"
            )
    if entries_before and untagged / entries_before > MAX_UNTAGGED:
        return (
            f"{untagged} entries are under no program at all: the program column is emptied"
            " or moved?"
        )
    if previous is None or (as_of - previous).days > MAX_GAP_DAYS:
        return None
    if entries_before and amended / entries_before > MAX_AMENDED:
        return (
            f"{amended} of {entries_before} entries amended at once"
            f" ({amended / entries_before:.0%}, more than {MAX_AMENDED:.0%}):"
            " columns swapped or garbled?"
        )
    if entries_before and gained_unseen / entries_before > max_loss:
        return (
            f"{gained_unseen} of {entries_before} entries move to program tags never seen"
            f" before (more than {max_loss:.0%}): the program column is garbled?"
        )
    return None


def tally(counts: Counter[str], changes: Sequence[Change], keys: Keys) -> None:
    """Carry the per-program counts over an accepted snapshot's changes."""
    for old, new in changes:
        if old:
            counts.subtract(keys(old.tags))
        if new:
            counts.update(keys(new.tags))
    for key in [k for k, n in counts.items() if n <= 0]:
        del counts[key]
