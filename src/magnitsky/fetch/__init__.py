"""`magnitsky fetch`: download every official source into a local archive laid out like
``../shared/data``, so that `magnitsky build ARCHIVE` reads it with no other step.

Where each source's files are and how each is checked and dated is declared as data (the
``[fetch]`` table of ``data/sources/…toml``); the base URL of each host is a setting
(:data:`magnitsky.settings.HOSTS`). Kinds of files:

- lists (OFAC's ``sdn.csv`` and advanced XML, the UK, Canadian, Australian and EU lists):
  fetched each run, archived as ``{stem}_YYYY-MM-DD{suffix}`` dated by the day of the
  download in the publisher's time zone, and only when their content changed (a second,
  different copy of one day: ``…_YYYY-MM-DDTHHMMSS``);
- OFAC's yearly change archives ``sdnnewYY.txt``: past years once (a copy fetched while
  its year was running is fetched again once the year is over: only then is it the whole
  year), the current year each run (replaced when it grew);
- documents found on a listing or an API (Recent Actions pages, the press releases they
  link, Federal Register documents): once each, under their own name.

Every download is checked before it is archived (:mod:`magnitsky.fetch.checks`); a
rejected one is reported with its reason and never archived. Requests are conditional
(ETag / Last-Modified remembered in the archive's state file), retried with backoff, and
spaced per host (:mod:`magnitsky.fetch.http`).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from magnitsky.fetch import checks
from magnitsky.fetch.archive import DatedName, Remembered, State, digest, write_atomically
from magnitsky.fetch.declarations import declarations, fetchable
from magnitsky.fetch.http import Client, Rejected
from magnitsky.listing import ReaderError
from magnitsky.readers import files
from magnitsky.settings import Settings

EASTERN = ZoneInfo("America/New_York")

Status = Literal["archived", "unchanged", "rejected", "absent", "skipped"]
Progress = Callable[[str], None]
Check = Callable[[bytes, str], str]
"""(body, content type) -> a few words on what it holds; raises Rejected."""

__all__ = ["FetchResult", "exit_code", "fetch", "fetchable", "summary"]


@dataclass(frozen=True)
class FetchResult:
    name: str
    """The file's name at its source (``sdn.csv``, ``20250730``, ``sb0211`` …)."""
    url: str
    status: Status
    path: Path | None
    """The archived copy: the new one, or for "unchanged" the identical earlier one;
    None when rejected, absent or skipped."""
    size: int
    """Bytes received (0 when nothing arrived)."""
    reason: str
    source: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def describe(self) -> str:
        if self.status == "rejected":
            return f"{self.name}: REJECTED, {self.reason} ({self.url})"
        if self.path is None:
            return f"{self.name}: {self.status}, {self.reason} ({self.url})"
        return f"{self.name}: {self.status} {self.path} ({self.size} bytes; {self.reason})"


def exit_code(results: Sequence[FetchResult]) -> int:
    """0 when nothing was rejected, 1 when any download was."""
    return 0 if all(r.ok for r in results) else 1


def summary(results: Sequence[FetchResult]) -> list[str]:
    """One line per source (archived, unchanged, rejected …), then the run's verdict."""
    by_source: dict[str, Counter[str]] = {}
    for result in results:
        by_source.setdefault(result.source, Counter())[result.status] += 1
    order: tuple[Status, ...] = ("archived", "unchanged", "rejected", "absent", "skipped")
    lines = [
        f"{source}: " + ", ".join(f"{counts[s]} {s}" for s in order if counts[s])
        for source, counts in by_source.items()
    ]
    archived = sum(r.status == "archived" for r in results)
    rejected = sum(r.status == "rejected" for r in results)
    if archived == 0:
        lines.append("nothing new archived: every file fetched was unchanged or not accepted")
    else:
        lines.append(f"{archived} new files archived")
    if rejected:
        lines.append(f"{rejected} downloads rejected (not archived): see the reasons above")
    return lines


@dataclass
class _Run:
    settings: Settings
    root: Path
    client: Client
    state: State
    moment: datetime
    since: date | None
    all_programs: bool
    say: Progress
    results: list[FetchResult] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    source: str
    name: str
    url: str
    check: Check
    target: Path | None = None
    """A fixed archive path (documents, change archives)."""
    dated: DatedName | None = None
    """Or dated copies (lists)."""
    timezone: ZoneInfo = EASTERN
    once: bool = False
    """Archived once: never asked for again while its copy is in the archive."""
    optional: bool = False
    """A 404 says the file does not exist (yet): "absent", not a rejection."""
    final_after: int | None = None
    """A change archive of this year: "once" holds only for a copy fetched after it."""

    def final(self, known: Remembered | None) -> bool:
        """The archived copy is final: no need to ask for it again."""
        if self.final_after is None:
            return True
        fetched = known.fetched if known is not None else None
        return fetched is not None and int(fetched[:4]) > self.final_after


def fetch(
    settings: Settings,
    into: Path,
    progress: Progress | None = None,
    *,
    sources: Sequence[str] | None = None,
    since: date | None = None,
    all_programs: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(EASTERN),
    client: Client | None = None,
) -> list[FetchResult]:
    """Download every file of the chosen sources (all by default) into the archive `into`.

    Never raises for a bad download: it comes back as a "rejected" result. `clock` must
    return an aware datetime; it is read once, so all files of one run share a date.
    """
    known = fetchable()
    chosen = list(sources) if sources else known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise KeyError(f"unknown source {unknown[0]!r}; known: {', '.join(known)}")
    moment = clock()
    run = _Run(
        settings,
        into,
        client
        or Client(
            settings.http_timeout, settings.host_interval, settings.retries, settings.backoff
        ),
        State(into, moment.astimezone(EASTERN).date().isoformat()),
        moment,
        since,
        all_programs,
        progress or (lambda _message: None),
    )
    for name in [n for n in known if n in chosen]:
        decl = declarations()[name]
        host = decl["fetch"]["host"]
        if not settings.url(host):
            run.say(f"{name}: skipped, no URL (set the {host} base URL to an archive of it)")
            run.results.append(
                FetchResult(name, "", "skipped", None, 0, f"no URL set for host {host}", name)
            )
            continue
        run.say(f"{name}: looking for files at {settings.url(host)} …")
        items = _PLANS.get(name, _plan_files)(run, name, decl)
        for number, item in enumerate(items, 1):
            result = _fetch_item(run, item)
            run.results.append(result)
            run.say(f"{name} [{number}/{len(items)}] {result.describe()}")
    return run.results


# --- one file -------------------------------------------------------------------------


def _fetch_item(run: _Run, item: _Item) -> FetchResult:
    def result(status: Status, path: Path | None, size: int, reason: str) -> FetchResult:
        return FetchResult(item.name, item.url, status, path, size, reason, item.source)

    known = run.state.known(item.url)
    if item.once and item.target is not None and item.target.is_file() and item.final(known):
        return result("unchanged", item.target, 0, "archived before, not asked for again")
    if known is not None and item.dated is not None:
        copies = item.dated.copies()
        # Only the newest copy of a list is what "unchanged" compares with.
        if not copies or copies[-1] != run.root / known.path:
            known = None
    try:
        answer = run.client.get(
            item.url, known.etag if known else None, known.last_modified if known else None
        )
    except Rejected as rejection:
        if rejection.code == 404 and item.optional:
            return result("absent", None, 0, "not published (HTTP 404)")
        return result("rejected", None, 0, str(rejection))
    if answer.status == 304 and known is not None:
        if item.target is not None:  # seen again today: a past year's archive is final
            run.state.remember(
                item.url, item.target, item.target.read_bytes(), known.etag, known.last_modified
            )
        return result("unchanged", run.root / known.path, 0, "not modified (HTTP 304)")
    body = answer.body
    if known is not None and known.sha256 == digest(body):
        return result(
            "unchanged", run.root / known.path, len(body), f"same content as {known.path}"
        )
    try:
        note = item.check(body, answer.content_type)
    except Rejected as rejection:
        return result("rejected", None, len(body), str(rejection))
    if item.target is not None:
        path = item.target
        if path.is_file() and path.read_bytes() == body:
            run.state.remember(item.url, path, body, answer.etag, answer.last_modified)
            return result("unchanged", path, len(body), f"same content as {path.name}")
        why = f"replaces an older copy; {note}" if path.is_file() else note
    else:
        assert item.dated is not None
        moment = run.moment.astimezone(item.timezone)
        new, same, why = item.dated.place(body, moment)
        if new is None:
            assert same is not None
            run.state.remember(item.url, same, body, answer.etag, answer.last_modified)
            return result("unchanged", same, len(body), why)
        if new.exists():
            return result("rejected", None, len(body), f"{new} exists with other content")
        path, why = new, f"{why}; {note}" if note else why
    write_atomically(path, body)
    run.state.remember(item.url, path, body, answer.etag, answer.last_modified)
    return result("archived", path, len(body), why)


# --- lists ----------------------------------------------------------------------------


def _plan_files(run: _Run, source: str, decl: dict[str, Any]) -> list[_Item]:
    """Lists: each ``[[fetch.files]]`` under the host's base URL, dated copies."""
    base = run.settings.url(decl["fetch"]["host"])
    timezone = ZoneInfo(decl["timezone"])
    items = []
    for spec in decl["fetch"]["files"]:
        remote = spec["name"].format(token=run.settings.eu_fsf_token)
        dated = DatedName.from_pattern(run.root, spec["archive"])
        label = spec["name"].split("?")[0]
        items.append(
            _Item(
                source,
                label,
                f"{base}/{remote}",
                _list_check(source, spec, label, dated, run.settings.max_loss),
                dated=dated,
                timezone=timezone,
            )
        )
    return items


def _list_check(
    source: str, spec: dict[str, Any], label: str, dated: DatedName, max_loss: float
) -> Check:
    name = dated.stem + "_check" + dated.suffix  # readers tell the format by the suffix
    kind = spec["check"]

    def count(body: bytes, origin: str) -> int:
        if kind == "ofac-csv":
            return checks.ofac_csv_count(body, origin)
        if kind == "list":
            return checks.list_count(source, body, name)
        checks.check_xml(body, spec.get("root"))
        return 0

    def check(body: bytes, content_type: str) -> str:
        checks.check_head(
            body,
            content_type,
            label,
            first_bytes=_bytes(spec.get("first_bytes")),
            contains=spec.get("contains"),
        )
        if spec.get("root") and kind != "xml":
            checks.check_xml(body, spec["root"])
        entries = count(body, label)
        if kind == "ofac-csv":
            checks.check_ofac_ending(body, dated.copies())
        if kind == "xml":
            return "the XML parses"
        checks.check_loss(entries, checks.newest_count(dated.copies(), count), max_loss)
        return f"{entries} entries"

    return check


def _bytes(text: str | None) -> bytes | None:
    return text.encode("latin-1") if text is not None else None


# --- OFAC change archives -------------------------------------------------------------


def _plan_changes(run: _Run, source: str, decl: dict[str, Any]) -> list[_Item]:
    """``sdnnewYY.txt`` of every year from ``first_year`` (or --since) to this one."""
    fetch = decl["fetch"]
    spec = fetch["files"][0]
    base = run.settings.url(fetch["host"])
    this_year = run.moment.astimezone(EASTERN).year
    first = max(int(fetch["first_year"]), run.since.year if run.since else 0)
    items = []
    for year in range(first, this_year + 1):
        yy = f"{year % 100:02d}"
        remote, archive = spec["name"].format(yy=yy), spec["archive"].format(yy=yy)
        items.append(
            _Item(
                source,
                remote,
                f"{base}/{remote}",
                _document_check("changes", remote, spec.get("contains")),
                target=run.root / archive,
                once=year < this_year,
                optional=year == this_year,
                final_after=year,
            )
        )
    return items


def _document_check(
    kind: str, name: str, contains: str | None = None, day: date | None = None, html: bool = False
) -> Check:
    def check(body: bytes, content_type: str) -> str:
        checks.check_head(body, content_type, name, html_expected=html, contains=contains)
        return checks.check_document(kind, body, name, day)

    return check


# --- OFAC Recent Actions and Treasury press releases ----------------------------------

_ACTION_LINK = re.compile(r"/recent-actions/(\d{8})/?$")


def _plan_recent(run: _Run, source: str, decl: dict[str, Any]) -> list[_Item]:
    """The Recent Actions pages of the listing (newest first, paged), kept to the
    Magnitsky-style programs' actions by their titles unless --all-programs."""
    fetch = decl["fetch"]
    base = run.settings.url(fetch["host"])
    words = _title_words(fetch) if not run.all_programs else ()
    found: dict[str, str] = {}
    for page in range(int(fetch["max_listing_pages"])):
        url = f"{base}/{fetch['listing']}" + (f"?page={page}" if page else "")
        try:
            answer = run.client.get(url)
            checks.check_head(answer.body, answer.content_type, "a listing", html_expected=True)
            links, more = _listing_links(answer.body, answer.url)
        except (Rejected, ReaderError) as rejection:
            run.results.append(
                FetchResult(
                    f"listing page {page}", url, "rejected", None, 0, str(rejection), source
                )
            )
            break
        new = {day: title for day, title in links.items() if day not in found}
        found.update(new)
        oldest = min(new, default=None)
        if not new or not more or (run.since and oldest and _day(oldest) < run.since):
            break
    run.say(f"{source}: {len(found)} action dates on the listing")
    items = []
    for day, title in sorted(found.items()):
        if run.since and _day(day) < run.since:
            continue
        if words and not any(w.lower() in title.lower() for w in words):
            continue
        items.append(
            _Item(
                source,
                day,
                f"{base}/{fetch['page'].format(yyyymmdd=day)}",
                _document_check("recent", f"{day}.html", day=_day(day), html=True),
                target=run.root / fetch["archive"].format(yyyymmdd=day),
                once=True,
            )
        )
    run.say(f"{source}: {len(items)} of them {'in all' if not words else 'of the programs'}")
    return items


def _title_words(fetch: dict[str, Any]) -> tuple[str, ...]:
    from magnitsky.programs import is_magnitsky

    table: dict[str, list[str]] = fetch.get("title_words", {})
    return tuple(w for key, words in table.items() if is_magnitsky(key) for w in words)


def _listing_links(body: bytes, page_url: str) -> tuple[dict[str, str], bool]:
    """Action date (YYYYMMDD) -> the titles its links carry on a listing page; and whether
    the page links a next one (Drupal's pager: ``rel="next"``)."""
    root = files.html_root(body.decode("utf-8", "replace"), page_url)
    out: dict[str, str] = {}
    more = bool(root.xpath("//a[@rel='next']"))
    for anchor in root.iter("a"):
        href = urllib.parse.urljoin(page_url, anchor.get("href", ""))
        found = _ACTION_LINK.search(urllib.parse.urlsplit(href).path)
        if found:
            text = " ".join(anchor.text_content().split())
            day = found.group(1)
            out[day] = f"{out[day]}; {text}" if day in out else text
    return out, more


def _day(yyyymmdd: str) -> date:
    return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))


_PRESS_ID = re.compile(r"/news/press-releases/([A-Za-z0-9-]+)/?$")


def _plan_press(run: _Run, source: str, decl: dict[str, Any]) -> list[_Item]:
    """The press release each archived Recent Actions page links (pages of earlier runs
    too, so an interrupted run catches up)."""
    from magnitsky.readers import ofac_recent

    fetch = decl["fetch"]
    base = run.settings.url(fetch["host"])
    pages = declarations()["us-ofac-recent"]["fetch"]["archive"]
    folder = run.root / pages.rpartition("/")[0]
    ids: dict[str, None] = {}
    for page in sorted(folder.glob("*.htm*")) if folder.is_dir() else []:
        if run.since and re.fullmatch(r"\d{8}", page.stem) and _day(page.stem) < run.since:
            continue
        try:
            links = ofac_recent.page_info(page).press_releases
        except ReaderError as error:  # a page put there by hand that is none
            run.say(f"{source}: {page} not read, {error}")
            continue
        for link in links:
            found = _PRESS_ID.search(urllib.parse.urlsplit(link.url).path)
            if found:
                ids[found.group(1)] = None
    return [
        _Item(
            source,
            pid,
            f"{base}/{fetch['page'].format(id=pid)}",
            _document_check("press", f"{pid}.html", html=True),
            target=run.root / fetch["archive"].format(id=pid),
            once=True,
        )
        for pid in ids
    ]


# --- Federal Register -----------------------------------------------------------------


def _plan_register(run: _Run, source: str, decl: dict[str, Any]) -> list[_Item]:
    """The documents each ``[[fetch.searches]]`` finds with the Federal Register's API."""
    fetch = decl["fetch"]
    base = run.settings.url(fetch["host"])
    items = []
    for search in fetch["searches"]:
        documents = _search_register(run, source, f"{base}/{fetch['api']}", search, fetch)
        for document in documents:
            number = document["document_number"]
            name = f"{number}.txt"
            items.append(
                _Item(
                    source,
                    f"{search['kind']} {number}",
                    run.settings.rebase(document["raw_text_url"]),
                    _document_check(search["check"], name),
                    target=run.root / search["archive"].format(document=number),
                    once=True,
                )
            )
    return items


def _search_register(
    run: _Run, source: str, api: str, search: dict[str, Any], fetch: dict[str, Any]
) -> list[dict[str, Any]]:
    params: list[tuple[str, str]] = [
        ("per_page", str(fetch["per_page"])),
        ("order", "oldest"),
        ("conditions[agencies][]", search["agency"]),
        ("conditions[term]", search["term"]),
        ("conditions[type][]", "NOTICE"),
    ]
    if run.since:
        params.append(("conditions[publication_date][gte]", run.since.isoformat()))
    for name in ("document_number", "title", "publication_date", "raw_text_url", "html_url"):
        params.append(("fields[]", name))
    found = []
    page = 1
    while True:
        url = f"{api}?{urllib.parse.urlencode([*params, ('page', str(page))])}"
        try:
            answer = run.client.get(url)
            data = json.loads(answer.body)
            results = data["results"] if data.get("count", 0) else []
            pages = int(data.get("total_pages", 1) or 1)
        except (Rejected, ValueError, KeyError, TypeError) as problem:
            reason = (
                str(problem) if isinstance(problem, Rejected) else f"not the API's JSON: {problem}"
            )
            run.results.append(
                FetchResult(f"{search['kind']} search", url, "rejected", None, 0, reason, source)
            )
            break
        found += [
            r
            for r in results
            if str(r.get("title", "")).startswith(search["title"]) and r.get("raw_text_url")
        ]
        if page >= pages or not results:
            break
        page += 1
    run.say(f"{source}: {len(found)} {search['kind']} documents found")
    return found


_PLANS: dict[str, Callable[[_Run, str, dict[str, Any]], list[_Item]]] = {
    "us-ofac-changes": _plan_changes,
    "us-ofac-recent": _plan_recent,
    "us-treasury-press": _plan_press,
    "us-federal-register": _plan_register,
}
