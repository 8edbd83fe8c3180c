"""The ``magnitsky`` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click
import duckdb

from magnitsky import build as building
from magnitsky import queries, settings
from magnitsky.analysis import coverage
from magnitsky.analysis.basis import BASES, DIRECT
from magnitsky.analysis.countries import resolve as resolve_country
from magnitsky.analysis.designations import enrich
from magnitsky.analysis.designations import load as load_designations
from magnitsky.analysis.precedents import KINDS, firsts
from magnitsky.analysis.texts import THEMES, VICTIM, vocabulary
from magnitsky.history.dating import DATE_QUALITIES
from magnitsky.history.events import EVENT_TYPES
from magnitsky.history.unlisted import recount_coverage
from magnitsky.listing import SCHEMAS, ReaderError
from magnitsky.output import FORMATS, render
from magnitsky.stats import parse_year_end, with_average, with_coverage, yearly
from magnitsky.store import Store, StoreError, open_store
from magnitsky.store.db import COMMITS

year_end_option = click.option(
    "--year-end",
    default="12-31",
    show_default=True,
    help="Last day (MM-DD) of each year: 12-31 calendar, 09-30 US fiscal, 12-05 …",
)
average_years_option = click.option(
    "--average-years",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Compare each year with the average of this many years before.",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)


def _date(_: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _as_of(_: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ``--as-of`` that is a real date or ISO time (checked here: one line, no trace)."""
    if value is None:
        return None
    from magnitsky.history.snapshots import as_of_from_text

    try:
        as_of_from_text(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date YYYY-MM-DD or an ISO time, got {value!r}"
        ) from None
    return value


class Context:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.settings = settings.load()

    def store(self, read_only: bool = False) -> Store:
        if read_only and not self.db.exists():
            raise click.ClickException(
                f"{self.db}: no store here yet; run 'magnitsky build DATA_DIR' first"
            )
        return open_store(self.db, read_only=read_only)


pass_context = click.make_pass_decorator(Context)


def _progress(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    return say


def joined_ranges(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``x_min``/``x_max`` pairs as one cell: ``7`` or ``5–9`` (for the table format)."""
    out = []
    for row in rows:
        joined = {k: v for k, v in row.items() if not k.endswith(("_min", "_max"))}
        for key in row:
            if key.endswith("_min") and key[:-4] + "_max" in row:
                lo, hi = row[key], row[key[:-4] + "_max"]
                joined[key[:-4]] = lo if lo == hi else f"{lo}–{hi}"
        out.append(joined)
    return out


def _emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    click.echo(render(rows, fmt, columns))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="The store file (default: $MAGNITSKY_DB or magnitsky.duckdb).",
)
@click.version_option(package_name="magnitsky")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Track and analyse Magnitsky-style sanctions from the official list files."""
    ctx.obj = Context(db or settings.load().db)


def _summary(report: building.BuildReport, store: Store) -> None:
    click.echo(
        f"snapshots: {report.snapshots_added} added, {report.snapshots_unchanged} already stored;"
        f" documents: {report.documents_added} added ({report.actions_added} actions),"
        f" {report.documents_unchanged} already stored"
    )
    for origin, reason in report.rejected:
        click.echo(f"warning: kept as rejected: {origin}: {reason}", err=True)
    counts = store.rows("SELECT status, count(*) FROM snapshots GROUP BY status ORDER BY status")
    click.echo("snapshots in store: " + ", ".join(f"{n} {s}" for s, n in counts))
    quality = store.rows(
        "SELECT date_quality, count(*) FROM designations WHERE program = 'US-GLOMAG'"
        " GROUP BY 1 ORDER BY 1"
    )
    click.echo(
        "US-GLOMAG designations by date quality: "
        + (", ".join(f"{n} {q}" for q, n in quality) or "none")
    )
    unlinked = store.scalar("SELECT count(*) FROM action_links WHERE source_id IS NULL")
    conflicts = store.scalar("SELECT count(*) FROM date_conflicts")
    click.echo(
        f"dated actions not linked to an entry: {unlinked} (magnitsky actions --unlinked);"
        f" date conflicts: {conflicts} (magnitsky conflicts)"
    )
    for line in recount_coverage(store):
        click.echo(f"recounted designations: {line}")
    if report.matching:
        click.echo(f"persons across lists: {report.matching}")
    for line in report.not_read:
        click.echo(f"not read: {line}")
    for line in report.text_problems:
        click.echo(f"official text read in part: {line}", err=True)


@cli.command("build")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@pass_context
def build_command(obj: Context, data_dir: Path, quiet: bool) -> None:
    """Ingest every recognised official file under DATA_DIR (laid out like shared/data)."""
    with obj.store() as store:
        report = building.build(store, obj.settings, data_dir, progress=_progress(quiet))
        _summary(report, store)


@cli.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", callback=_as_of, help="Date (YYYY-MM-DD) or time of the snapshot files.")
@click.option("--force", is_flag=True, help="Accept snapshots that look implausible.")
@click.option("-q", "--quiet", is_flag=True)
@pass_context
def ingest_command(
    obj: Context, files: tuple[Path, ...], as_of: str | None, force: bool, quiet: bool
) -> None:
    """Ingest single files: snapshots, change archives, Recent Actions pages."""
    with obj.store() as store:
        report = building.ingest(
            store, obj.settings, list(files), as_of=as_of, force=force, progress=_progress(quiet)
        )
        _summary(report, store)


@cli.group("history")
def history() -> None:
    """Import a history of snapshots."""


@history.command("import-git")
@click.argument("repo", type=click.Path(path_type=Path))
@click.option("--path", "file_path", required=True, help="The list file inside the repository.")
@click.option("--force", is_flag=True, help="Accept snapshots that look implausible.")
@click.option("-q", "--quiet", is_flag=True)
@pass_context
def import_git(obj: Context, repo: Path, file_path: str, force: bool, quiet: bool) -> None:
    """Every version of FILE in a git repository or bundle (commit time = as-of time)."""
    with obj.store() as store:
        report = building.import_git(
            store, obj.settings, repo, file_path, force=force, progress=_progress(quiet)
        )
        _summary(report, store)


@history.command("import-dir")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Accept snapshots that look implausible.")
@click.option("-q", "--quiet", is_flag=True)
@pass_context
def import_dir(obj: Context, folder: Path, force: bool, quiet: bool) -> None:
    """Every dated snapshot file (sdn_YYYY-MM-DD.csv …) in a folder."""
    with obj.store() as store:
        report = building.import_dir(
            store, obj.settings, folder, force=force, progress=_progress(quiet)
        )
        _summary(report, store)


@cli.command("fetch")
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    default=None,
    help="Archive folder (default: $MAGNITSKY_ARCHIVE or ./archive).",
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--since", callback=_date, help="Only documents of this date or later.")
@click.option("--all-programs", is_flag=True, help="Recent Actions of every program.")
@pass_context
def fetch_command(
    obj: Context,
    into: Path | None,
    sources: tuple[str, ...],
    since: date | None,
    all_programs: bool,
) -> None:
    """Download every official source into a dated archive laid out like the data folder."""
    from magnitsky.fetch import exit_code, fetch, summary

    try:
        results = fetch(
            obj.settings,
            into or obj.settings.archive,
            _progress(False),
            sources=sources or None,
            since=since,
            all_programs=all_programs,
        )
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--source") from error
    for line in summary(results):
        click.echo(line)
    sys.exit(exit_code(results))


@cli.command("snapshots")
@format_option
@pass_context
def snapshots_command(obj: Context, fmt: str) -> None:
    """Each snapshot: source, as-of, rows, status and the reason of a rejection."""
    with obj.store(read_only=True) as store:
        _emit(queries.snapshots(store), fmt, queries.SNAPSHOT_COLUMNS)


@cli.command("designations")
@click.option("--program", help="Program key, such as US-GLOMAG.")
@click.option("--schema", type=click.Choice(SCHEMAS))
@click.option("--listed-from", callback=_date, help="Listing known to be on or after this date.")
@click.option("--listed-to", callback=_date, help="Listing known to be on or before this date.")
@click.option(
    "--basis",
    type=click.Choice([*BASES, "direct"]),
    help="Why designated, as the texts read show it (direct: human_rights or corruption).",
)
@click.option("--country", help="ISO 3166-1 alpha-2 code (or a country name), such as CD.")
@click.option(
    "--date-quality",
    type=click.Choice(DATE_QUALITIES),
    help="How the date is known (text_only: recorded by an official text, on no snapshot).",
)
@click.option(
    "--theme",
    type=click.Choice([t for kind in THEMES for t in vocabulary().get(kind, ())]),
    help="An abuse or corruption type an official text read names for the designation.",
)
@click.option(
    "--victim-group",
    type=click.Choice(vocabulary().get(VICTIM, ())),
    help="A victim group an official text read names for the designation.",
)
@format_option
@pass_context
def designations_command(
    obj: Context,
    program: str | None,
    schema: str | None,
    listed_from: date | None,
    listed_to: date | None,
    basis: str | None,
    country: str | None,
    date_quality: str | None,
    theme: str | None,
    victim_group: str | None,
    fmt: str,
) -> None:
    """One row per entry per program, with its listing date and how it is known, its
    basis (and the text that shows it: an official text read, or the list), roles,
    countries, and the abuses, corruption types and victim groups official texts name."""
    code = _country_code(country) if country else None
    with obj.store(read_only=True) as store:
        rows = enrich(
            store,
            queries.designations(store, program, schema, listed_from, listed_to, date_quality),
        )
    wanted = DIRECT if basis == "direct" else (basis,)
    rows = [
        r
        for r in rows
        if (basis is None or r["basis"] in wanted)
        and (code is None or code in r["country_codes"])
        and (theme is None or theme in r["themes"])
        and (victim_group is None or victim_group in r["victim_groups"])
    ]
    _emit(rows, fmt, queries.ANALYSIS_COLUMNS)


def _country_code(text: str) -> str:
    code = text.upper() if len(text) == 2 else resolve_country(text)
    if not code:
        raise click.BadParameter(f"not a known country: {text!r}", param_hint="--country")
    return code


@cli.command("events")
@click.option("--program", help="Program key, such as US-GLOMAG.")
@click.option(
    "--type",
    "event_type",
    type=click.Choice(EVENT_TYPES),
)
@click.option("--since", callback=_date)
@click.option("--until", callback=_date)
@format_option
@pass_context
def events_command(
    obj: Context,
    program: str | None,
    event_type: str | None,
    since: date | None,
    until: date | None,
    fmt: str,
) -> None:
    """Events between consecutive accepted snapshots."""
    with obj.store(read_only=True) as store:
        rows = queries.events(store, program, event_type, since, until)
    _emit(rows, fmt, queries.EVENT_COLUMNS)


@cli.command("actions")
@click.option("--unlinked", is_flag=True, help="Only actions not linked to a list entry.")
@format_option
@pass_context
def actions_command(obj: Context, unlinked: bool, fmt: str) -> None:
    """Dated actions read from official documents, and the entry each was linked to;
    ``--unlinked``: the review list, with the entries that may be each one's designee."""
    with obj.store(read_only=True) as store:
        if unlinked:
            from magnitsky.history.unlisted import unlinked_actions

            _emit(unlinked_actions(store), fmt)
            return
        rows = store.dicts(
            "SELECT a.action_date, a.action, a.tags, a.name, a.schema, l.source_id, l.method,"
            " a.document FROM actions a LEFT JOIN action_links l USING (document_id, seq)"
            + (" WHERE l.source_id IS NULL" if unlinked else "")
            + " ORDER BY a.action_date, a.document_id, a.seq"
        )
    _emit(rows, fmt)


@cli.command("conflicts")
@format_option
@pass_context
def conflicts_command(obj: Context, fmt: str) -> None:
    """Official dates that disagree with each other or with the snapshots."""
    with obj.store(read_only=True) as store:
        rows = store.dicts("SELECT * FROM date_conflicts ORDER BY program, source_id")
    _emit(rows, fmt)


@cli.group("evidence")
def evidence() -> None:
    """Official texts: why each person was sanctioned."""


@evidence.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="The address the text was published at (kept with it).")
@click.option("-q", "--quiet", is_flag=True)
@pass_context
def evidence_add(obj: Context, files: tuple[Path, ...], url: str | None, quiet: bool) -> None:
    """Store Treasury press releases or Federal Register notices verbatim, link each
    designee to its listing and keep the facts read from its passage."""
    with obj.store() as store:
        report = building.add_texts(
            store, obj.settings, list(files), url=url, progress=_progress(quiet)
        )
        _summary(report, store)


@evidence.command("eval")
@click.option(
    "--labels",
    type=click.Path(exists=True, path_type=Path),
    default=Path("tests/labels/press_releases.toml"),
    show_default=True,
    help="Hand-made labels of every designee of the releases.",
)
@click.option(
    "--releases",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="The folder of the labelled press releases.",
)
def evidence_eval(labels: Path, releases: Path) -> None:
    """Precision and recall of the fact extraction per label, against hand-made labels."""
    from magnitsky.evidence.evaluate import evaluate, format_report

    click.echo(format_report(evaluate(labels, releases)))


@evidence.command("finding")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--anchored", is_flag=True, help="Anchor on the entries the store's lists give.")
@pass_context
def evidence_finding(obj: Context, folder: Path, anchored: bool) -> None:
    """Precision and recall of designee finding against a folder's designees.yaml."""
    from magnitsky.evidence.finding import evaluate, format_report
    from magnitsky.history.texts import known_entries

    if not anchored:
        click.echo(format_report(evaluate(folder)))
        return
    with obj.store(read_only=True) as store:
        click.echo(format_report(evaluate(folder, lambda day: known_entries(store, day))))


@evidence.command("facts")
@click.option("--source-id", help="Only the facts linked to this list entry.")
@format_option
@pass_context
def evidence_facts(obj: Context, source_id: str | None, fmt: str) -> None:
    """Every fact read from official texts, with the entry it is linked to."""
    from magnitsky.history.texts import facts_by_entry

    with obj.store(read_only=True) as store:
        rows = [
            {"source": source, "source_id": sid, **fact}
            for (source, sid), facts in facts_by_entry(store).items()
            if source_id in (None, sid)
            for fact in facts
        ]
    _emit(rows, fmt)


@cli.group("stats")
def stats() -> None:
    """Statistics over the dated designations."""


@stats.command("yearly")
@click.option("--program", required=True, help="Program key, such as US-GLOMAG.")
@year_end_option
@average_years_option
@format_option
@pass_context
def stats_yearly(obj: Context, program: str, year_end: str, average_years: int, fmt: str) -> None:
    """Designations per year by type and basis, as (at least, at most) where dates are
    brackets, with the previous years' average and the change against it."""
    try:
        end = parse_year_end(year_end)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year-end") from None
    with obj.store(read_only=True) as store:
        rows = load_designations(store, program)
        lists = coverage.of_program(store, program)
    if not rows:
        raise click.ClickException(f"no designations under program {program!r}")
    table = with_coverage(with_average(rows, yearly(rows, end), end, average_years), lists, end)
    if fmt == "table":
        _emit(joined_ranges(table), fmt, queries.YEARLY_TABLE)
    else:
        _emit(table, fmt)


@cli.command("precedents")
@click.option("--program", required=True, help="Program key, such as US-GLOMAG.")
@click.option("--kind", type=click.Choice(sorted(KINDS)), help="Only this kind.")
@format_option
@pass_context
def precedents_command(obj: Context, program: str, kind: str | None, fmt: str) -> None:
    """The first designation of each kind (role, country, region, basis; theme and
    victim_group from the official texts read) under a program; certain False: an
    overlapping bracket leaves open who came first (see rivals)."""
    with obj.store(read_only=True) as store:
        rows = load_designations(store, program)
    if not rows:
        raise click.ClickException(f"no designations under program {program!r}")
    _emit(firsts(rows, [kind] if kind else None), fmt, queries.PRECEDENT_COLUMNS)


@cli.command("report")
@click.option("--program", required=True, help="Program key, such as US-GLOMAG.")
@click.option("--year", required=True, type=int, help="The report year.")
@year_end_option
@average_years_option
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option(
    "--recommendations",
    "rec_level",
    type=click.Choice(["public", "coalition", "private", "none"]),
    default="public",
    show_default=True,
    help="Civil-society recommendations shown (up to this confidentiality; the others"
    " only counted); public is for publication.",
)
@pass_context
def report_command(
    obj: Context,
    program: str,
    year: int,
    year_end: str,
    average_years: int,
    out: Path,
    rec_level: str,
) -> None:
    """The annual report: index.html (self-contained), report.md and one CSV per chart and
    per table, in OUT."""
    from magnitsky.analysis.annual import annual
    from magnitsky.report import write_report

    try:
        end = parse_year_end(year_end)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year-end") from None
    with obj.store(read_only=True) as store:
        if not store.scalar("SELECT count(*) FROM designations WHERE program = ?", [program]):
            raise click.ClickException(f"no designations under program {program!r}")
        analysis = annual(store, program, year, year_end=end, average_years=average_years)
        recommended = None
        if rec_level != "none":
            from magnitsky.report import recommendations

            path = obj.settings.recommendations_db
            recommended = recommendations.load(store, path, year, end, rec_level)
    for path in write_report(analysis, out, recommended):
        click.echo(path)


def _register() -> None:
    """Commands defined in their own modules: persons across lists, multilateral, exports,
    and the web server."""
    from magnitsky.cli_multilateral import COMMANDS
    from magnitsky.cli_search import search
    from magnitsky.cli_web import serve
    from magnitsky.recommendations.cli import recommendations

    for command in (*COMMANDS, search, serve, recommendations):
        cli.add_command(command)


_register()


def main(argv: Sequence[str] | None = None) -> None:
    commits = COMMITS[0]
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="magnitsky",
            standalone_mode=False,
        )
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.UsageError as error:
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
        click.echo(f"usage error: {error.format_message()}{hint}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except (click.Abort, KeyboardInterrupt, duckdb.InterruptException):
        click.echo(f"interrupted: {_store_state(commits)}", err=True)
        sys.exit(130)
    except (ReaderError, StoreError) as error:
        click.echo(f"error: {error}", err=True)
        click.echo(_store_state(commits), err=True)
        sys.exit(1)
    except RuntimeError as error:
        if "interrupted" not in str(error).lower():
            raise
        click.echo(f"interrupted: {_store_state(commits)}", err=True)
        sys.exit(130)


def _store_state(commits_before: int) -> str:
    """What is true of the store after a command that stopped: nothing it wrote was
    committed, or its writes were saved before it stopped."""
    if COMMITS[0] > commits_before:
        return "this command's changes to the store were saved before it stopped"
    return "the store is as it was before this command"


if __name__ == "__main__":
    main()
