"""Building the store from official files: what each command imports, and the history
recomputed after it. Every entry point runs in one transaction: all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from magnitsky.actions import DatedAction
from magnitsky.history import snapshots as snaps
from magnitsky.history.dating import derive_designations
from magnitsky.history.documents import is_stored, store_actions
from magnitsky.history.events import append_latest, derive_events
from magnitsky.history.readahead import ReadAhead, unread
from magnitsky.history.texts import store_text
from magnitsky.listing import ReaderError
from magnitsky.readers import detect
from magnitsky.readers.expectations import check_actions
from magnitsky.settings import Settings
from magnitsky.sources import declared
from magnitsky.store import Store

if TYPE_CHECKING:
    from magnitsky.matching.listings import Reading

Progress = Callable[[str], None]
SOURCE = "us-ofac-sdn"


@dataclass
class BuildReport:
    snapshots_added: int = 0
    snapshots_unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) of each snapshot of this import kept as rejected."""
    documents_added: int = 0
    documents_unchanged: int = 0
    actions_added: int = 0
    not_read: list[str] = field(default_factory=list)
    matching: str = ""
    text_problems: list[str] = field(default_factory=list)
    """What the official texts stored could not be read for (stored all the same)."""
    bundles_unchanged: int = 0
    """Git bundles read whole by an earlier build: skipped."""

    def document(self, stored: int | None) -> bool:
        """Count a document read (``None``: stored before); True if it was added."""
        if stored is None:
            self.documents_unchanged += 1
            return False
        self.documents_added += 1
        self.actions_added += stored
        return True

    def add(self, result: snaps.ImportResult) -> None:
        self.snapshots_added += len(result.added)
        self.snapshots_unchanged += result.unchanged
        self.unreadable += result.unreadable


def _noop(_: str) -> None:
    return None


def refresh(
    store: Store, settings: Settings, added: list[int], progress: Progress, documents: bool = False
) -> None:
    """Recompute events and designations of every source an import touched. One new
    snapshot later than all others takes the fast path (only the entries it touches);
    anything else recomputes the source's whole history."""
    by_source: dict[str, list[int]] = {}
    for snapshot_id, source in store.rows(
        "SELECT snapshot_id, source FROM snapshots WHERE snapshot_id IN (SELECT UNNEST(?))",
        [added],
    ):
        by_source.setdefault(source, []).append(snapshot_id)
    if documents:
        by_source.setdefault(SOURCE, [])
    for source, ids in sorted(by_source.items()):
        affected = None
        if len(ids) == 1 and not (documents and source == SOURCE):
            affected = append_latest(store, source, ids[0], settings.max_loss)
        if affected is None:
            progress(f"{source}: deriving events from the whole history …")
            derive_events(store, source, settings.max_loss)
        progress(f"{source}: dating designations …")
        derive_designations(store, source, only=affected)


def document_actions(path: Path, kind: str | None = None) -> tuple[str, list[DatedAction]]:
    """Read a dated document: of ``kind`` (``us-ofac-changes`` …), else by its name."""
    name = path.name.lower()
    if kind is None:
        found = detect.by_name(path)
        kind = found.document if found else None
    if kind == "us-ofac-changes" or (kind is None and name.startswith("sdnnew")):
        from magnitsky.readers import ofac_changes

        return "us-ofac-changes", ofac_changes.read(path)
    if kind == "us-ofac-recent":
        from magnitsky.readers import ofac_recent

        return "us-ofac-recent", ofac_recent.read(path)
    if kind == "us-ofac-advanced":
        from magnitsky.readers import ofac_advanced

        return "us-ofac-advanced", ofac_advanced.entry_events(path)
    raise ReaderError(
        path,
        "not a file magnitsky can read (sdn.csv, sdn.pip, sdn_advanced.xml,"
        " sdnnewYY.txt, a Recent Actions page)",
    )


def _documents(
    store: Store,
    paths: Iterable[Path],
    report: BuildReport,
    progress: Progress,
    kinds: dict[Path, str] | None = None,
    ahead: ReadAhead | None = None,
) -> None:
    for path in paths:
        if _read_before(store, path, report):
            continue
        read = ahead.document(path) if ahead else None
        if read is None:
            read = document_actions(path, (kinds or {}).get(path))
            check_actions(read[1], path)
        kind, actions = read
        stored = store_actions(store, path, kind, actions)
        if report.document(stored):
            progress(f"{kind}: {stored} actions  {path}")


def _snapshots(
    store: Store,
    inputs: Iterable[snaps.SnapshotInput],
    report: BuildReport,
    progress: Progress,
    *,
    force: bool = False,
    strict: bool = False,
) -> list[int]:
    result = snaps.store_snapshots(store, inputs, force=force, strict=strict, progress=progress)
    report.add(result)
    return result.added


def _read_before(store: Store, path: Path, report: BuildReport) -> bool:
    """A document whose very content is stored already: counted, not parsed again."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot read the file: {error.strerror}") from error
    if not is_stored(store, data):
        return False
    report.document(None)
    return True


def _bundle_snapshots(
    store: Store, bundle: Path, report: BuildReport, progress: Progress
) -> list[int]:
    """Every version of sdn.csv in a git bundle; nothing (no clone) if a build read this
    very bundle before."""
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    if store.scalar("SELECT count(*) FROM inputs_read WHERE content_hash = ?", [digest]):
        report.bundles_unchanged += 1
        return []
    progress(f"reading the git history {bundle} …")
    added = _snapshots(store, snaps.git_snapshots(bundle, "sdn.csv"), report, progress)
    store.con.execute(
        "INSERT INTO inputs_read VALUES (?, 'git-bundle', ?, now() AT TIME ZONE 'UTC')",
        [digest, str(bundle)],
    )
    return added


def _persons(
    store: Store, report: BuildReport, progress: Progress, reading: Reading | None = None
) -> None:
    """Match the listings across lists again: an import that adds listings leaves none
    without its person."""
    from magnitsky.matching.persons import derive_persons

    report.matching = derive_persons(store, progress, reading=reading).describe()


def _finish(
    store: Store,
    settings: Settings,
    added: list[int],
    report: BuildReport,
    progress: Progress,
) -> None:
    """Events and designations of what an import changed; the persons too where it
    added snapshots or dated documents (a document can list an entry no snapshot holds
    yet). Matching is incremental: only new or changed listings."""
    if added or report.documents_added:
        refresh(store, settings, added, progress, documents=bool(report.documents_added))
        progress("matching the same person across lists …")  # and what the web keeps
        _after_events(store, report, progress)
    report.rejected = [
        (origin, reason.removeprefix(f"{origin}: "))
        for origin, reason in store.rows(
            "SELECT origin, coalesce(reason, 'rejected') FROM snapshots"
            " WHERE snapshot_id IN (SELECT UNNEST(?)) AND status = 'rejected' ORDER BY as_of",
            [added],
        )
    ]


def _after_events(store: Store, report: BuildReport, progress: Progress) -> None:
    """The persons, then what the search and the web keep: the designations read once
    for all three; their analysis (the web's filters, the Magnitsky-style programs' whole
    analysis, their country texts) and the countries of the listings resolved in forked
    processes while this one reads the names and matches."""
    from magnitsky import queries
    from magnitsky.analysis.facets import Alongside
    from magnitsky.matching.listings import Reading
    from magnitsky.search import remember_names

    designations = queries.designations(store)
    analysis = Alongside(store, designations)
    _persons(store, report, progress, Reading())
    analysis.resolved()  # every country text of the designations: the search keeps them
    remember_names(store, designations, countries_read=True)
    analysis.keep(store)


@snaps.without_gc_pauses
def import_history(
    store: Store,
    settings: Settings,
    inputs: Iterable[snaps.SnapshotInput],
    *,
    force: bool = False,
    progress: Progress = _noop,
) -> BuildReport:
    """A history of snapshots (``snaps.git_snapshots`` or ``snaps.folder_snapshots``), in
    one transaction; a bad snapshot in it is kept as rejected."""
    report = BuildReport()
    with store.transaction():
        added = _snapshots(store, inputs, report, progress, force=force)
        _finish(store, settings, added, report, progress)
    return report


def import_git(
    store: Store,
    settings: Settings,
    repo: Path,
    file_path: str,
    *,
    force: bool = False,
    progress: Progress = _noop,
) -> BuildReport:
    return import_history(
        store, settings, snaps.git_snapshots(repo, file_path), force=force, progress=progress
    )


def import_dir(
    store: Store,
    settings: Settings,
    folder: Path,
    *,
    force: bool = False,
    progress: Progress = _noop,
) -> BuildReport:
    return import_history(
        store, settings, snaps.folder_snapshots(folder), force=force, progress=progress
    )


@snaps.without_gc_pauses
def ingest(
    store: Store,
    settings: Settings,
    paths: list[Path],
    *,
    as_of: str | None = None,
    force: bool = False,
    progress: Progress = _noop,
) -> BuildReport:
    """Single files: snapshots (dated by ``as_of`` or their name) and dated documents.
    Strict: any bad file aborts the whole ingest and the store is left as it was."""
    report = BuildReport()
    when = snaps.as_of_from_text(as_of) if as_of else None
    with store.transaction():
        kinds = {p: detect.kind_of(p) for p in paths}
        inputs = [snaps.file_snapshot(p, when) for p in paths if kinds[p].snapshot]
        added = _snapshots(store, inputs, report, progress, force=force, strict=True)
        documents = {p: k.document for p, k in kinds.items() if k.document}
        _documents(store, documents, report, progress, documents)
        _finish(store, settings, added, report, progress)
        if report.rejected:
            # All or nothing: a snapshot the history would keep as rejected fails the
            # whole ingest (--force accepts it).
            origin, reason = report.rejected[0]
            raise ReaderError(origin, f"not stored: {reason} (--force stores it anyway)")
    return report


@snaps.without_gc_pauses
def build(
    store: Store, settings: Settings, data_dir: Path, *, progress: Progress = _noop
) -> BuildReport:
    """Ingest every recognised official file under a folder laid out like
    ``../shared/data``. Bad snapshots inside a history are kept as rejected; a bad
    document aborts the build."""
    if not data_dir.is_dir():
        raise ReaderError(data_dir, "no such data folder")
    report = BuildReport()
    ofac = data_dir / "us" / "ofac"
    dated = sorted((ofac / "changes").glob("sdnnew*.txt"))
    dated += sorted((ofac / "recent_actions").glob("*.htm*"))
    # Read now to be parsed ahead; a problem is raised below, where it always was.
    declared_files = _or_none(lambda: _declared_inputs(data_dir))
    with store.transaction():
        with ReadAhead(*unread(store, dated, declared_files or [])) as ahead:
            added = _read_folder(store, data_dir, dated, declared_files, report, progress, ahead)
        _finish(store, settings, added, report, progress)
        from magnitsky.recommendations.outcomes import reevaluate

        reevaluate(store, settings.recommendations_db, progress)  # civil-society recommendations
    report.not_read = _not_read(data_dir)
    return report


def _read_folder(
    store: Store,
    data_dir: Path,
    dated: list[Path],
    declared_files: list[snaps.SnapshotInput] | None,
    report: BuildReport,
    progress: Progress,
    ahead: ReadAhead,
) -> list[int]:
    """The reading phase of a build: every file stored, in this order (the files of
    ``ahead`` parsed meanwhile in a second process); the ids of the snapshots added."""
    ofac = data_dir / "us" / "ofac"
    added: list[int] = []
    for bundle in sorted(ofac.glob("*.bundle")):
        added += _bundle_snapshots(store, bundle, report, progress)
    for folder in (ofac / "snapshots", ofac / "advanced"):
        if folder.is_dir():
            added += _snapshots(store, snaps.folder_snapshots(folder), report, progress)
    # An advanced XML that is unreadable is already kept as a rejected snapshot.
    documents = dated + [
        p
        for p in sorted((ofac / "advanced").glob("*.xml"))
        if not any(str(p) in problem for problem in report.unreadable)
    ]
    _documents(store, documents, report, progress, ahead=ahead)
    _texts(store, _text_files(data_dir), report, progress)
    declared_files = declared_files or _declared_inputs(data_dir)
    added += _snapshots(store, ahead.snapshots(declared_files), report, progress)
    return added


def _or_none(read: Callable[[], list[snaps.SnapshotInput]]) -> list[snaps.SnapshotInput] | None:
    try:
        return read()
    except ReaderError:
        return None


def _text_files(data_dir: Path) -> list[Path]:
    """Official texts: Treasury press releases, Federal Register notices, and the State
    Department's Global Magnitsky annual reports."""
    us = data_dir / "us"
    return (
        sorted((us / "treasury" / "press_releases").glob("*.htm*"))
        + sorted(
            p for p in (us / "federal_register").glob("*") if p.suffix in (".txt", ".htm", ".html")
        )
        + sorted((us / "state" / "global_magnitsky_reports").glob("*.txt"))
    )


def _texts(
    store: Store, paths: list[Path], report: BuildReport, progress: Progress, url: str | None = None
) -> None:
    for path in paths:
        if _read_before(store, path, report):
            continue
        stored = store_text(store, path, url, report.text_problems)
        if report.document(stored):
            progress(f"official text: {stored} designees  {path}")


def add_texts(
    store: Store,
    settings: Settings,
    paths: list[Path],
    *,
    url: str | None = None,
    progress: Progress = _noop,
) -> BuildReport:
    """``magnitsky evidence add``: official texts, all or nothing."""
    report = BuildReport()
    with store.transaction():
        _texts(store, paths, report, progress, url)
        _finish(store, settings, [], report, progress)
    return report


def _declared_inputs(data_dir: Path) -> list[snaps.SnapshotInput]:
    """Every file of the declared lists (UK, Canada, Australia, EU) under the folder."""
    paths = sorted(
        {
            path
            for src in declared().values()
            for pattern in src.files
            for path in data_dir.glob(pattern)
        }
    )
    return [snaps.declared_snapshot(path) for path in paths]


def _not_read(data_dir: Path) -> list[str]:
    """Files of the data layout that this version does not read, said plainly."""
    later = {
        "eu/fsf-csv-1.0-excerpt_2018-07-04.csv": "an excerpt of the EU FSF CSV format, not a"
        " whole list (read it with 'magnitsky ingest' to check the format)",
    }
    return [f"{data_dir / k}: {v}" for k, v in later.items() if (data_dir / k).exists()]
