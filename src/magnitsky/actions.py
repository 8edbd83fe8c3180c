"""Dated actions: what an official document says was done to an entry on a given day.

OFAC's change archives (``sdnnewYY.txt``), Recent Actions pages and the advanced XML's
entry events give exact dates; the SDN list itself gives none. The history engine links
each action to a list entry and uses its date where snapshots only give a bracket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from magnitsky.listing import Listing

Action = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class DatedAction:
    source: str
    """Which kind of document: ``us-ofac-changes``, ``us-ofac-recent``, ``us-ofac-advanced``."""
    document: str
    """The file (or URL) the action was read from: the evidence a user can open."""
    action_date: date
    """The date of the action, as the document states it (US Eastern for OFAC)."""
    action: Action
    programs: tuple[str, ...]
    """The raw program tags the document puts the action under (``GLOMAG``)."""
    listing: Listing
    """The entry as the document states it; ``source_id`` is the OFAC ``ent_num`` where the
    document gives one, else empty (the history engine links it by name and identifiers)."""
    text: str
    """The entry's text verbatim, for the evidence column."""
