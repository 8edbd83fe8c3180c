"""Commands on persons across lists: matching and its review, the persons, the
multilateral analysis and the exports. Registered on the ``magnitsky`` group in cli.py.

The commands take the group's context object (``ctx.obj``), anything with
``store(read_only=...)``, so this module does not import cli.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import click

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.windows import parse_year_end
from magnitsky.matching import persons as matching
from magnitsky.output import FORMATS, render
from magnitsky.store import Store

REVIEW_COLUMNS = ("a", "a_name", "b", "b_name", "score", "status", "why", "evidence")


class HasStore(Protocol):
    def store(self, read_only: bool = False) -> Store: ...


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)


def _emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    click.echo(render(rows, fmt, columns))


def _needs_persons(store: Store) -> None:
    if not store.scalar("SELECT count(*) FROM persons"):
        raise click.ClickException(
            "no persons in this store yet: run 'magnitsky match derive' (or rebuild)"
        )


def _programs(text: str | None) -> tuple[str, ...]:
    if not text:
        return multi.MAGNITSKY_PROGRAMS
    return tuple(p.strip() for p in text.split(",") if p.strip())


# --- match ------------------------------------------------------------------------------


@click.group("match")
def match() -> None:
    """Matching listings of all lists into persons, and its review."""


@match.command("derive")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_obj
def match_derive(obj: HasStore, quiet: bool) -> None:
    """Match every listing of every list again and recompute the persons (a build does
    it too). Judgements are kept and applied."""

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    with obj.store() as store, store.transaction():
        summary = matching.derive_persons(store, say, full=True)
    click.echo(summary.describe())


@match.command("review")
@click.option("--confirm", nargs=2, metavar="A B", help="A and B are the same person.")
@click.option("--reject", nargs=2, metavar="A B", help="A and B are not the same person.")
@click.option("--note", help="Why (kept with the judgement).")
@click.option("--all", "show_all", is_flag=True, help="Also the pairs already judged.")
@click.option(
    "--programs",
    "program_keys",
    help="Only pairs with a listing under these programs (comma-separated keys;"
    " 'magnitsky' for the Magnitsky-style ones).",
)
@format_option
@click.pass_obj
def match_review(
    obj: HasStore,
    confirm: tuple[str, str] | None,
    reject: tuple[str, str] | None,
    note: str | None,
    show_all: bool,
    program_keys: str | None,
    fmt: str,
) -> None:
    """List the possible matches waiting for a judgement, with their score and evidence;
    or store one. Listings are named SOURCE:SOURCE_ID (us-ofac-sdn:23252) or by their
    source id when only one list uses it. A judgement survives every rebuild."""
    if confirm and reject:
        raise click.UsageError("give --confirm or --reject, not both")
    chosen = confirm or reject
    if chosen:
        judgement = "confirmed" if confirm else "rejected"
        with obj.store() as store:
            _needs_persons(store)
            try:
                a, b = (matching.resolve_listing(store, text) for text in chosen)
            except LookupError as error:
                raise click.BadParameter(str(error)) from None
            with store.transaction():
                matching.judge(store, a, b, judgement, note)
            person = store.rows(
                "SELECT source, source_id, person_id, match_status FROM persons"
                " WHERE (source, source_id) IN ((?, ?), (?, ?))",
                [*a, *b],
            )
        click.echo(f"{judgement}: {a[0]}:{a[1]} / {b[0]}:{b[1]}")
        for source, source_id, person_id, status in person:
            click.echo(f"  {source}:{source_id} -> {person_id} ({status})")
        return
    with obj.store(read_only=True) as store:
        _needs_persons(store)
        keys = None
        if program_keys:
            keys = _programs(None if program_keys == "magnitsky" else program_keys)
        rows = review_rows(store, show_all, keys)
    _emit(rows, fmt, REVIEW_COLUMNS[:-1] if fmt == "table" else REVIEW_COLUMNS)


def review_rows(
    store: Store, show_all: bool = False, programs: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Pairs of two lists that are possible matches (or automatic ones the clustering
    refused) and whose listings are in different persons, best first; with
    ``show_all``, every judged pair too. (Two entries of one list are two persons unless
    their own names match: the list chose to list them apart.)"""
    names = (
        "(SELECT any_value(name ORDER BY listed_not_after DESC) FROM designations d"
        " WHERE d.source = {s} AND d.source_id = {i})"
    )
    judged = "j.judgement IS NOT NULL" if show_all else "false"
    under = (
        " AND EXISTS (SELECT 1 FROM designations d WHERE d.program IN (SELECT UNNEST($1))"
        " AND ((d.source = m.left_source AND d.source_id = m.left_id)"
        " OR (d.source = m.right_source AND d.source_id = m.right_id)))"
        if programs
        else ""
    )
    rows = store.dicts(
        "SELECT m.left_source || ':' || m.left_id AS a,"
        f" {names.format(s='m.left_source', i='m.left_id')} AS a_name,"
        " m.right_source || ':' || m.right_id AS b,"
        f" {names.format(s='m.right_source', i='m.right_id')} AS b_name,"
        " m.score, coalesce(j.judgement, m.status) AS status, m.evidence"
        " FROM match_pairs m"
        " JOIN persons pa ON pa.source = m.left_source AND pa.source_id = m.left_id"
        " JOIN persons pb ON pb.source = m.right_source AND pb.source_id = m.right_id"
        " LEFT JOIN match_judgements j ON j.left_source = m.left_source"
        " AND j.left_id = m.left_id AND j.right_source = m.right_source"
        " AND j.right_id = m.right_id"
        f" WHERE ({judged}) OR (j.judgement IS NULL AND pa.person_id <> pb.person_id"
        " AND m.status IN ('possible', 'automatic') AND m.left_source <> m.right_source)"
        f"{under} ORDER BY m.score DESC, a, b",
        [list(programs)] if programs else [],
    )
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
        row["why"] = "; ".join(
            f"{f['feature']} {f['weight'] * f['value']:+.2f}" for f in row["evidence"]
        )
    return rows


# --- persons and the multilateral analysis ----------------------------------------------


@click.command("persons")
@click.option("--program", "program_keys", help="Only these programs (comma-separated keys).")
@format_option
@click.pass_obj
def persons_command(obj: HasStore, program_keys: str | None, fmt: str) -> None:
    """One row per listing of every jurisdiction and program, with the person it
    belongs to and how it was matched (automatic, confirmed, possible, single)."""
    keys = tuple(p.strip() for p in program_keys.split(",")) if program_keys else None
    with obj.store(read_only=True) as store:
        _needs_persons(store)
        rows = multi.listings(store, keys)
    _emit(rows, fmt, multi.LISTING_COLUMNS)


@click.command("multilateral")
@click.option(
    "--programs",
    "program_keys",
    help="Comma-separated program keys (default: the Magnitsky-style ones).",
)
@click.option(
    "--allies-any-program",
    is_flag=True,
    help="Count a jurisdiction under any program once one sanctioned under --programs.",
)
@click.option(
    "--view",
    type=click.Choice(multi.VIEWS),
    default="persons",
    show_default=True,
    help="persons: each multilateral person and jurisdiction with its date and lag; counts:"
    " per jurisdiction and year, by basis; overlaps: per pair of jurisdictions;"
    " combinations: per exact set of jurisdictions; joint: listings within a week;"
    " unilateral: persons of one jurisdiction only.",
)
@click.option("--year-end", default="12-31", show_default=True, help="Last day (MM-DD) of a year.")
@click.option("--property", "with_property", is_flag=True, help="Vessels and aircraft too.")
@format_option
@click.pass_obj
def multilateral_command(
    obj: HasStore,
    program_keys: str | None,
    allies_any_program: bool,
    view: str,
    year_end: str,
    with_property: bool,
    fmt: str,
) -> None:
    """Persons sanctioned by two or more jurisdictions: when each listed them (and how
    the date is known), who was first and how many days the others took."""
    try:
        end = parse_year_end(year_end)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year-end") from None
    with obj.store(read_only=True) as store:
        _needs_persons(store)
        rows, columns = multi.view(
            store, view, _programs(program_keys), allies_any_program, end, with_property
        )
    _emit(rows, fmt, columns)


# --- exports ----------------------------------------------------------------------------


@click.group("export")
def export() -> None:
    """Write the store's data for other tools."""


@export.command("ftm")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The JSON lines file.")
@click.pass_obj
def export_ftm(obj: HasStore, out: Path) -> None:
    """FollowTheMoney entities as JSON lines: one Person, Organization, Vessel or
    Airplane per person (all its listings merged) and one Sanction per designation."""
    from magnitsky.export.ftm import write_ftm

    with obj.store(read_only=True) as store:
        _needs_persons(store)
        counts = write_ftm(store, out)
    click.echo(f"{out}: " + ", ".join(f"{n} {schema}" for schema, n in sorted(counts.items())))


@export.command("csv")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The folder.")
@click.pass_obj
def export_csv(obj: HasStore, out: Path) -> None:
    """Flat tables as CSV: designations, events, persons, multilateral."""
    from magnitsky.export.csv import write_csv

    with obj.store(read_only=True) as store:
        _needs_persons(store)
        for path, n in write_csv(store, out):
            click.echo(f"{path}: {n} rows")


COMMANDS = (match, persons_command, multilateral_command, export)
"""What cli.py registers: ``for command in COMMANDS: cli.add_command(command)``."""
