"""The web server for the tests: the real application under uvicorn, on a free port of
the loopback interface, in a thread of the test process; and a small HTTP client that
returns every answer (a 4xx or 5xx too) instead of raising."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from magnitsky.cli_web import listening_socket
from magnitsky.store import open_store
from magnitsky.web.app import create_app
from magnitsky.web.config import WebSettings

TOKEN = "test-token-0123456789abcdef"


def settings(token: str | None = None, warm: str = "magnitsky") -> WebSettings:
    return WebSettings(token=token, page_size=50, max_page_size=500, warm=warm)


def copy_store(built: Path, folder: Path) -> Path:
    """A copy of the built store whose cross-list matching has not been run (whether or not
    the build runs it): the persons are the tests' to set."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "magnitsky.duckdb"
    shutil.copy(built, target)
    with open_store(target) as store:
        for table in MATCHING_TABLES:
            store.con.execute(table)
        store.con.execute(
            "DELETE FROM persons; DELETE FROM match_pairs; DELETE FROM match_judgements"
        )
    return target


MATCHING_TABLES = (
    # the matching's tables (store migration 5), should the store predate them
    """CREATE TABLE IF NOT EXISTS match_judgements (
        left_source VARCHAR NOT NULL, left_id VARCHAR NOT NULL, right_source VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL, judgement VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL,
        note VARCHAR, PRIMARY KEY (left_source, left_id, right_source, right_id))""",
    """CREATE TABLE IF NOT EXISTS match_pairs (
        left_source VARCHAR NOT NULL, left_id VARCHAR NOT NULL, right_source VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL, matcher VARCHAR NOT NULL, score DOUBLE NOT NULL,
        status VARCHAR NOT NULL, evidence JSON NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS persons (
        person_id VARCHAR NOT NULL, source VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
        match_score DOUBLE, match_status VARCHAR NOT NULL, PRIMARY KEY (source, source_id))""",
)


def with_one_match(db: Path) -> None:
    """A matching of two listings, the US's THURA SAN LWIN and a UK entry, as one person
    ``p-test`` (a made-up match: what is tested is the showing, not the matching)."""
    evidence = json.dumps(
        [{"feature": "name_similarity", "weight": 0.6, "value": 1.0, "evidence": "same name"}]
    )
    with open_store(db) as store:
        store.con.execute(
            "INSERT INTO persons (person_id, source, source_id, match_score, match_status)"
            " VALUES ('p-test', 'us-ofac-sdn', '24809', 0.9, 'automatic'),"
            " ('p-test', 'gb-ofsi', '12892', 0.9, 'automatic')"
        )
        store.con.execute(
            "INSERT INTO match_pairs (left_source, left_id, right_source, right_id, matcher,"
            " score, status, evidence)"
            " VALUES ('gb-ofsi', '12892', 'us-ofac-sdn', '24809', 'person', 0.9, 'automatic', ?)",
            [evidence],
        )


@contextmanager
def running(db: Path, web: WebSettings) -> Iterator[str]:
    """The server's base address (``http://127.0.0.1:PORT``) while it runs."""
    with serving(create_app(db, web)) as url:
        yield url


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(
    url: str, method: str = "GET", headers: Mapping[str, str] | None = None, timeout: float = 120
) -> Answer:
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, _lower(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, _lower(error.headers), error.read())


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}
