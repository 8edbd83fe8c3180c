"""A mirror of the official sites `magnitsky fetch` reads, on a real HTTP server on
127.0.0.1, made at test time from the real files of ../shared/data under their live names
(and from fixtures where no real file exists). Each host of ``settings.HOSTS`` is a path
prefix (``/ofac-sls/sdn.csv``, ``/ofac-site/recent-actions/20250730`` …), so settings whose
base URLs point at ``{server.url}/{host}`` send every request here.

What is served:
- ofac-sls: ``sdn.csv``, the latest non-empty version in the git bundle (its last commit is
  an empty file); ``sdn_advanced.xml`` only when a test adds it (no real copy exists);
- ofac-downloads: ``sdnnew23.txt`` (the only real change archive);
- ofac-site: the four real Recent Actions pages and a listing of them (written here after
  the site's listing: rows of a link to ``/recent-actions/YYYYMMDD`` with the action's
  title and its date, two rows a page, ``?page=N``);
- treasury: the real press releases under ``/news/press-releases/<id>``;
- federal-register: the API's ``/api/v1/documents.json`` over the notice fixtures of
  tests/fixtures/texts and the State report fixture, their text under the live
  ``/documents/full_text/text/…`` paths;
- fcdo (fixture), ofsi (the real ConList of 2025-04-14), canada (real, 2025-09-22), dfat
  (real, 2024-12-17), eu-fsf (fixture) and eu-annex (the real annex transcription).

Every answer carries an ETag and Last-Modified and honours If-None-Match with a 304. A
test can replace any path's answer (:class:`Reply`: status, body, a short body, a stall, a
redirect) and reads the request log.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from magnitsky.readers import federal_register, ofac_recent
from magnitsky.settings import EU_FSF_TOKEN, HOSTS, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LAST_MODIFIED = "Wed, 01 May 2024 12:00:00 GMT"
FR_LIVE = "https://www.federalregister.gov"


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    extra_length: int = 0
    """Advertise this many bytes more than are sent, then close the connection."""
    stall: bool = False
    """Send the headers, then nothing until the server is released."""
    location: str | None = None
    """For a 3xx: where to."""


@dataclass(frozen=True)
class Request:
    at: float
    """time.monotonic() when it arrived."""
    path: str
    conditional: bool


@dataclass
class Mirror:
    routes: dict[str, Reply] = field(default_factory=dict)
    """Path (with query) -> answer."""
    api: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    """Federal Register agency slug -> its documents (the API's result objects)."""


def latest_sdn_csv(shared_data: Path, work: Path) -> bytes:
    """The newest non-empty ``sdn.csv`` of the git bundle."""
    repo = work / "sdn-history"
    if not repo.exists():
        bundle = shared_data / "us/ofac/sdn-csv-history.bundle"
        subprocess.run(["git", "clone", "-q", "--bare", str(bundle), str(repo)], check=True)
    commits = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%H", "refs/heads/main", "--", "sdn.csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for commit in commits:
        data = subprocess.run(
            ["git", "-C", str(repo), "show", f"{commit}:sdn.csv"], check=True, capture_output=True
        ).stdout
        if data.strip():
            return data
    raise AssertionError("no non-empty sdn.csv in the bundle")


def listing_page(rows: list[tuple[str, str]], page: int, pages: int) -> bytes:
    """A Recent Actions listing page: a row per action (link with its title, the date)."""
    items = "\n".join(
        f'<div class="views-row"><div class="search-result">'
        f'<h3 class="search-title"><a href="/recent-actions/{day}" hreflang="en">{title}</a></h3>'
        f'<div class="field--name-field-release-date">'
        f'<time datetime="{day[:4]}-{day[4:6]}-{day[6:]}T12:00:00Z">'
        f"{day[4:6]}/{day[6:]}/{day[:4]}</time></div></div></div>"
        for day, title in rows
    )
    pager = (
        f'<nav class="pager"><a href="?page={page + 1}" rel="next">Next page</a></nav>'
        if page + 1 < pages
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><title>Recent Actions | Office of Foreign '
        f'Assets Control</title></head><body><main><div class="view-content">\n{items}\n'
        f"</div>{pager}</main></body></html>"
    ).encode()


def build_mirror(shared_data: Path, work: Path, per_page: int = 2) -> Mirror:
    mirror = Mirror()
    r = mirror.routes
    r["/ofac-sls/sdn.csv"] = Reply(latest_sdn_csv(shared_data, work), content_type="text/csv")
    r["/ofac-downloads/sdnnew23.txt"] = Reply(
        (shared_data / "us/ofac/changes/sdnnew23.txt").read_bytes(), content_type="text/plain"
    )
    pages = sorted((shared_data / "us/ofac/recent_actions").glob("*.html"), reverse=True)
    rows = []
    for page in pages:
        info = ofac_recent.page_info(page)
        rows.append((page.stem, info.title))
        r[f"/ofac-site/recent-actions/{page.stem}"] = Reply(
            page.read_bytes(), content_type="text/html"
        )
    count = (len(rows) + per_page - 1) // per_page
    for number in range(count):
        path = "/ofac-site/recent-actions" + (f"?page={number}" if number else "")
        chunk = rows[number * per_page : (number + 1) * per_page]
        r[path] = Reply(listing_page(chunk, number, count), content_type="text/html")
    for release in (shared_data / "us/treasury/press_releases").glob("*.html"):
        r[f"/treasury/news/press-releases/{release.stem}"] = Reply(
            release.read_bytes(), content_type="text/html"
        )
    for notice in sorted((FIXTURES / "texts").glob("fr_*.txt")):
        _api_document(
            mirror, "foreign-assets-control-office", notice, "Notice of OFAC Sanctions Actions"
        )
    _api_document(
        mirror,
        "state-department",
        FIXTURES / "texts/state_gloma_report_2023_record.txt",
        "Global Magnitsky Human Rights Accountability Act Annual Report",
    )
    r["/fcdo/UK-Sanctions-List.csv"] = Reply(
        (FIXTURES / "uk/uk_sanctions_list.csv").read_bytes(), content_type="text/csv"
    )
    r["/ofsi/ConList.xlsx"] = Reply((shared_data / "uk/ofsi/ConList_2025-04-14.xlsx").read_bytes())
    r["/canada/sema-lmes.xml"] = Reply(
        (shared_data / "ca/sema/sema-lmes_2025-09-22.xml").read_bytes(), content_type="text/xml"
    )
    r["/dfat/regulation8_consolidated.xlsx"] = Reply(
        (shared_data / "au/dfat/regulation8_consolidated_2024-12-17.xlsx").read_bytes()
    )
    r[f"/eu-fsf/xmlFullSanctionsList_1_1/content?token={EU_FSF_TOKEN}"] = Reply(
        (FIXTURES / "eu/fsf_1_1.xml").read_bytes(), content_type="text/xml"
    )
    r["/eu-annex/reg-2020-1998-annex-i.csv"] = Reply(
        (shared_data / "eu/reg-2020-1998-annex-i_2026-08-22.csv").read_bytes(),
        content_type="text/csv",
    )
    return mirror


def _api_document(mirror: Mirror, agency: str, path: Path, title: str) -> None:
    """A document of the Federal Register API, its text under the live full-text path."""
    text = path.read_bytes()
    if agency == "state-department":
        number, published = "2024-03532", "2024-02-23"
    else:
        notice = federal_register.read(path)
        assert notice.document and notice.published
        number, published = notice.document, notice.published.isoformat()
    text_path = f"/documents/full_text/text/{published.replace('-', '/')}/{number}.txt"
    mirror.routes[f"/federal-register{text_path}"] = Reply(text, content_type="text/plain")
    mirror.api.setdefault(agency, []).append(
        {
            "document_number": number,
            "title": title,
            "publication_date": published,
            "raw_text_url": f"{FR_LIVE}{text_path}",
            "html_url": f"{FR_LIVE}/documents/{published.replace('-', '/')}/{number}/x",
        }
    )


class Server:
    """The mirror on 127.0.0.1 (a port of its own); stop it with :meth:`close`."""

    def __init__(self, mirror: Mirror) -> None:
        self.mirror = mirror
        self.log: list[Request] = []
        self.once: dict[str, list[Reply]] = {}
        """Path -> answers given first, one per request, before the mirror's."""
        self.release = threading.Event()
        self.stalled = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                conditional = "If-None-Match" in self.headers
                outer.log.append(Request(time.monotonic(), self.path, conditional))
                reply = outer.answer(self.path)
                if reply is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha256(reply.body).hexdigest()[:16] + '"'
                if reply.status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(reply.status)
                if reply.location:
                    self.send_header("Location", reply.location)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body) + reply.extra_length))
                if reply.status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                self.end_headers()
                if reply.stall:
                    outer.stalled.set()
                    outer.release.wait(30)
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str) -> Reply | None:
        if self.once.get(path):
            return self.once[path].pop(0)
        if path in self.mirror.routes:
            return self.mirror.routes[path]
        parts = urllib.parse.urlsplit(path)
        if parts.path == "/federal-register/api/v1/documents.json":
            return self._api(urllib.parse.parse_qs(parts.query))
        return None

    def _api(self, query: dict[str, list[str]]) -> Reply:
        agencies = query.get("conditions[agencies][]", [])
        since = query.get("conditions[publication_date][gte]", [""])[0]
        per_page = int(query.get("per_page", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
        found = [
            d
            for agency in agencies
            for d in self.mirror.api.get(agency, [])
            if d["publication_date"] >= since
        ]
        chunk = found[(page - 1) * per_page : page * per_page]
        pages = max(1, (len(found) + per_page - 1) // per_page)
        body = {"count": len(found), "total_pages": pages, "results": chunk}
        return Reply(json.dumps(body).encode(), content_type="application/json")

    def settings(self, base: Settings) -> Settings:
        """`base` with every host's URL on this server."""
        urls = {host: f"{self.url}/{host}" for host in HOSTS}
        return replace(base, ofac_base_url=urls["ofac-sls"], urls=urls)

    def environment(self) -> dict[str, str]:
        """The same, as the environment variables settings.load() reads."""
        return {variable: f"{self.url}/{host}" for host, (variable, _) in HOSTS.items()}

    def requests_to(self, prefix: str) -> list[Request]:
        return [r for r in self.log if r.path.startswith(prefix)]

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def serve(mirror: Mirror) -> Iterator[Server]:
    server = Server(mirror)
    try:
        yield server
    finally:
        server.close()
