"""``magnitsky recommendations``: keep civil society's recommendations and see what the
governments did with them. Everything here reads and writes the tracker's own tables
(``MAGNITSKY_RECOMMENDATIONS_DB`` or the main store)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import click

from magnitsky.output import FORMATS, render
from magnitsky.recommendations import imports, outcomes, tracker
from magnitsky.recommendations.model import LEVELS, at_most
from magnitsky.settings import Settings

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
)


class HasStore(Protocol):
    db: Path
    settings: Settings


def _emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    click.echo(render(rows, fmt, columns))


def _evaluate(main: Any, t: tracker.Tracker, quiet: bool = False) -> None:
    if not quiet:
        click.echo("matching the recommendations against the lists …", err=True)
    with tracker.writing(t):
        n = outcomes.evaluate(main, t)
    if not quiet:
        click.echo(f"outcomes: {n} (recommendation, government) evaluated", err=True)


def _session(obj: HasStore, write: bool = False) -> Any:
    return tracker.session(obj.db, obj.settings.recommendations_db, write)


@click.group("recommendations")
def recommendations() -> None:
    """Civil society's recommendations of sanctions targets and what each government
    did with them (confidential: never in exports, the public API or pages)."""


@recommendations.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True)
@click.pass_obj
def import_command(obj: HasStore, file: Path, quiet: bool) -> None:
    """Import a CSV or .xlsx file laid out as docs/recommendations-template.md. Every
    row is checked first: one bad row rejects the whole file, with each row and reason."""
    with _session(obj) as (_, t):
        taken = tracker.refs(t)
    found = imports.parse_file(file, taken)
    with _session(obj, write=True) as (main, t), tracker.writing(t):
        tracker.insert(t, found)
        outcomes.evaluate(main, t)
    click.echo(f"{file}: {len(found)} recommendations imported")


@recommendations.command("add")
@click.option("--ref", required=True, help="Your reference, unique in the tracker.")
@click.option("--name", required=True)
@click.option("--schema", default="Person", type=click.Choice(["Person", "Organization"]))
@click.option("--alias", "aliases", multiple=True)
@click.option("--birth-date", "birth_dates", multiple=True, help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--nationality", "nationalities", multiple=True)
@click.option("--identifier", "identifiers", multiple=True, help="e.g. 'Passport X1234567'")
@click.option("--country", required=True, help="Where the conduct took place.")
@click.option(
    "--conduct",
    "conduct",
    multiple=True,
    required=True,
    type=click.Choice(["human_rights", "corruption"]),
)
@click.option("--theme", "themes", multiple=True)
@click.option("--victim-group", "victim_groups", multiple=True)
@click.option("--organisation", "organisations", multiple=True, required=True)
@click.option("--submitted", multiple=True, required=True, help="GOVERNMENT YYYY-MM-DD")
@click.option("--confidentiality", required=True, type=click.Choice(LEVELS))
@click.option("--notes", default="")
@click.pass_obj
def add_command(obj: HasStore, /, **given: Any) -> None:
    """Add one recommendation."""
    row = {
        "ref": given["ref"],
        "name": given["name"],
        "schema": given["schema"],
        "aliases": "; ".join(given["aliases"]),
        "birth_date": "; ".join(given["birth_dates"]),
        "nationality": "; ".join(given["nationalities"]),
        "identifiers": "; ".join(given["identifiers"]),
        "country": given["country"],
        "conduct": "; ".join(given["conduct"]),
        "themes": "; ".join(given["themes"]),
        "victim_groups": "; ".join(given["victim_groups"]),
        "organisations": "; ".join(given["organisations"]),
        "submitted": "; ".join(given["submitted"]),
        "confidentiality": given["confidentiality"],
        "notes": given["notes"],
    }
    try:
        found = imports.parse_row(row, date.today(), "add")
    except imports.RowError as error:
        raise click.UsageError(str(error)) from None
    with _session(obj, write=True) as (main, t):
        if found.ref in tracker.refs(t):
            raise click.UsageError(f"the ref {found.ref!r} is already used")
        with tracker.writing(t):
            tracker.insert(t, [found])
            outcomes.evaluate(main, t)
    click.echo(f"added {found.ref}")


@recommendations.command("list")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="private",
    show_default=True,
    help="Show recommendations up to this confidentiality level.",
)
@click.option("--outcome", type=click.Choice(outcomes.OUTCOMES))
@click.option("--government")
@format_option
@click.pass_obj
def list_command(
    obj: HasStore, level: str, outcome: str | None, government: str | None, fmt: str
) -> None:
    """One row per recommendation and government: what the government did."""
    with _session(obj) as (_, t):
        rows = outcomes.stored(t, at_most(level))
    rows = [
        r for r in rows if outcome in (None, r["outcome"]) and government in (None, r["government"])
    ]
    _emit(rows, fmt, outcomes.LIST_COLUMNS if fmt == "table" else None)


@recommendations.command("show")
@click.argument("ref")
@format_option
@click.pass_obj
def show_command(obj: HasStore, ref: str, fmt: str) -> None:
    """A recommendation: the record, each government's outcome, and its matches."""
    with _session(obj) as (main, t):
        found = [r for r in tracker.load(t) if r.ref == ref]
        if not found:
            raise click.UsageError(f"no recommendation {ref!r}")
        r = found[0]
        rows = [o for o in outcomes.stored(t) if o["ref"] == ref]
        matches = [
            m for m in outcomes.review_rows(t, main, show_all=True) if m["a"].endswith(f":{ref}")
        ]
    if fmt != "table":
        _emit([{"recommendation": r.__dict__, "outcomes": rows, "matches": matches}], fmt)
        return
    click.echo(f"{r.ref}: {r.name} ({r.schema}, {r.confidentiality})")
    for label, value in (
        ("aliases", "; ".join(r.aliases)),
        ("birth dates", "; ".join(r.birth_dates)),
        ("nationality", "; ".join(r.nationalities)),
        ("identifiers", "; ".join(r.identifiers)),
        ("country of conduct", r.country),
        ("conduct", "; ".join(r.conduct)),
        ("themes", "; ".join(r.themes)),
        ("victim groups", "; ".join(r.victim_groups)),
        ("organisations", "; ".join(r.organisations)),
        ("withdrawn", f"{r.withdrawn_on} {r.withdrawn_reason}".strip() if r.withdrawn_on else ""),
        ("notes", r.notes),
    ):
        if value:
            click.echo(f"  {label}: {value}")
    _emit(rows, "table", outcomes.SHOWN_COLUMNS)
    if matches:
        _emit(matches, "table", outcomes.REVIEW_COLUMNS[2:])


@recommendations.command("withdraw")
@click.argument("ref")
@click.option("--on", "on", help="The day it was withdrawn (default: today).")
@click.option("--reason", default="")
@click.pass_obj
def withdraw_command(obj: HasStore, ref: str, on: str | None, reason: str) -> None:
    """Mark a recommendation withdrawn: it stays, counted apart."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {on!r}") from None
    with _session(obj, write=True) as (main, t):
        try:
            with tracker.writing(t):
                tracker.withdraw(t, ref, day, reason)
                outcomes.evaluate(main, t)
        except (LookupError, ValueError) as error:
            raise click.UsageError(str(error)) from None
    click.echo(f"withdrawn: {ref} on {day}")


@recommendations.command("evaluate")
@click.option("-q", "--quiet", is_flag=True)
@click.pass_obj
def evaluate_command(obj: HasStore, quiet: bool) -> None:
    """Match every recommendation again and recompute the outcomes (a build does it)."""
    with _session(obj, write=True) as (main, t):
        _evaluate(main, t, quiet)


@recommendations.command("review")
@click.option("--confirm", nargs=2, metavar="REF LISTING", help="The same person.")
@click.option("--reject", nargs=2, metavar="REF LISTING", help="Not the same person.")
@click.option("--note")
@click.option("--all", "show_all", is_flag=True, help="Also automatic and judged matches.")
@format_option
@click.pass_obj
def review_command(
    obj: HasStore,
    confirm: tuple[str, str] | None,
    reject: tuple[str, str] | None,
    note: str | None,
    show_all: bool,
    fmt: str,
) -> None:
    """The possible matches of recommendations with listings waiting for a judgement
    (the columns of ``magnitsky match review``); or store one: REF and LISTING as
    SOURCE:SOURCE_ID. A judgement survives every rebuild and re-evaluates the outcomes."""
    if confirm and reject:
        raise click.UsageError("give --confirm or --reject, not both")
    chosen = confirm or reject
    if chosen:
        ref = chosen[0].removeprefix(f"{outcomes.SOURCE}:")
        source, _, source_id = chosen[1].partition(":")
        if not source_id:
            raise click.BadParameter(f"{chosen[1]!r}: write SOURCE:SOURCE_ID")
        with _session(obj, write=True) as (main, t), tracker.writing(t):
            try:
                outcomes.judge(
                    t, ref, (source, source_id), "confirmed" if confirm else "rejected", note
                )
            except LookupError as error:
                raise click.UsageError(str(error)) from None
            outcomes.evaluate(main, t)
        click.echo(f"{'confirmed' if confirm else 'rejected'}: {ref} / {source}:{source_id}")
        return
    with _session(obj) as (main, t):
        rows = outcomes.review_rows(t, main, show_all)
    _emit(rows, fmt, outcomes.REVIEW_COLUMNS if fmt == "table" else None)


COMMANDS = (recommendations,)
