"""OFAC's yearly "Archive of Changes to the SDN List" (``sdnnewYY.txt``).

A preamble, then one block per action date::

    01/26/23:

    The following [GLOMAG] entries have been added to OFAC's SDN List:

    CARTES JARA, Horacio Manuel (a.k.a. …), Paraguay; DOB 05 Jul 1956; …
    (individual) [GLOMAG].

Headings and entries wrap at about 70 columns; paragraphs are separated by blank lines.
Besides "added", "removed" and "changed" (``OLD -to- NEW``), a change that renames an
entry is followed by "resulting in the following new [X] entries" and "resulting in the
removal of the following [X] entries": alias rows that appear or go because of the
change, not designations or delistings. Their listings carry ``("follows_change",
"true")`` in ``extra`` so that counts can leave them out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from magnitsky.actions import DatedAction
from magnitsky.listing import ReaderError
from magnitsky.readers.ofac_csv import decode
from magnitsky.readers.ofac_text import (
    EntryError,
    Heading,
    classify_heading,
    join_wrapped,
    make_action,
    split_entries,
)

SOURCE = "us-ofac-changes"
_log = logging.getLogger(__name__)

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}):\s*")
_YEAR_IN_NAME = re.compile(r"^sdnnew(\d{2})\b", re.I)
_HEADING = re.compile(r"^((?:The following|Following|resulting in)\b[^:]{0,400}:)\s*", re.I)


@dataclass
class _State:
    """Where the reader is in the file, and what it has found."""

    document: str
    when: date | None = None
    dated: bool = False
    heading: Heading | None = None
    actions: list[DatedAction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _paragraphs(text: str) -> Iterator[tuple[int, list[str]]]:
    """(number of the first line, lines) of each run of non-blank lines."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _parse_date(match: re.Match[str]) -> date | None:
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return None


def _consume_markers(state: _State, line: int, text: str) -> str:
    """Take date lines and headings off the start of a paragraph; return what is left."""
    while True:
        if m := _DATE.match(text):
            state.when = _parse_date(m)
            state.dated = True
            state.heading = None
            if state.when is None:
                state.problems.append(f"line {line}: not a date: {m.group(0).strip()!r}")
        elif m := _HEADING.match(text):
            state.heading = classify_heading(" ".join(m.group(1).split()))
            if state.heading is None:
                state.problems.append(f"line {line}: unknown heading: {m.group(1)!r}")
        else:
            return text
        text = text[m.end() :]


def _read_entries(state: _State, line: int, text: str) -> None:
    entries, rest = split_entries(text)
    where = f"line {line}"
    if state.when is None or state.heading is None:
        for entry in [*entries, rest] if rest else entries:
            state.problems.append(f"{where}: entry under no date or heading: {entry[:80]!r}")
        return
    for entry in entries:
        try:
            state.actions.append(
                make_action(entry, state.heading, state.when, SOURCE, state.document)
            )
        except EntryError as error:
            state.problems.append(f"{where}: {error}: {entry[:80]!r}")
    if rest:
        state.problems.append(f"{where}: text that does not end an entry: {rest[:80]!r}")


def _text(path: Path) -> str:
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    if not raw.strip(b"\x1a\r\n\t "):
        raise ReaderError(path, "the file is empty")
    # UTF-16 and binary files decode "fine" as cp1252; their NUL bytes give them away.
    if b"\x00" in raw:
        raise ReaderError(path, "NUL bytes: binary or UTF-16 data, not OFAC's text archive")
    # A whole archive ends with a line break (and OFAC's EOF byte): a cut-off copy does not.
    if not raw.rstrip(b"\x1a \t").endswith(b"\n"):
        raise ReaderError(path, "the file stops in the middle of a line: it is truncated")
    return decode(raw).replace("\x1a", "")


def _check_year(path: Path, actions: list[DatedAction]) -> None:
    """``sdnnew23.txt`` holds the actions of 2023 only."""
    named = _YEAR_IN_NAME.search(path.name)
    if not named:
        return
    year = 2000 + int(named[1])
    for action in actions:
        if action.action_date.year != year:
            raise ReaderError(
                path,
                f"an action dated {action.action_date} in the archive of {year}: a garbled date",
            )


def read_with_problems(path: Path) -> tuple[list[DatedAction], list[str]]:
    """Every action of a change archive, and a description of each piece of text that
    could not be read as an entry (with the line of its paragraph)."""
    text = _text(path)
    state = _State(document=path.name)
    last_ok = True
    for line, lines in _paragraphs(text):
        body = _consume_markers(state, line, join_wrapped(lines))
        # Everything before the first date is the preamble.
        if body and state.dated:
            before = len(state.problems)
            _read_entries(state, line, body)
            last_ok = not any("does not end an entry" in p for p in state.problems[before:])
    if not state.dated:
        raise ReaderError(path, "no date line such as '01/26/23:': not an SDN change archive")
    if not last_ok:
        raise ReaderError(
            path,
            f"the last paragraph is not a whole entry: the file is truncated"
            f" ({state.problems[-1]})",
        )
    _check_year(path, state.actions)
    return state.actions, state.problems


def read(path: Path) -> list[DatedAction]:
    """Every action of a change archive; what could not be read is logged as a warning,
    and a date line that is not a date is an error."""
    actions, problems = read_with_problems(path)
    for problem in problems:
        _log.warning("%s: %s", path, problem)
    # A date line that is no date leaves its actions undated: the archive is not read.
    if bad := [p for p in problems if ": not a date: " in p]:
        raise ReaderError(path, bad[0])
    return actions
