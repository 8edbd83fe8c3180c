"""Benchmark: the web server's ``/api/designations`` with filters, under load.

Builds a store from the official files once (not timed) unless given one, starts
``magnitsky serve`` in a process of its own on a free loopback port, then sends requests
from this process (HTTP/1.1 keep-alive, asyncio: the client stays light) at 1 and at 20
concurrent clients. Each level is bounded in time and in count. Reports requests per
second and the latency percentiles; every answer must be a 200.

First, the start-up: for each of a few pages (the overview, the designations, the search
box, a query without a program, a program not analysed at start, a person, the year), a
fresh ``magnitsky serve`` process is started and the page asked for until it answers; the
time from the process's start to that first answer is reported (process start, imports,
opening the store, and whatever the page needs computed first).

Run: .venv/bin/python bench/web_bench.py [--data ../shared/data] [--db STORE]
     [--seconds 10] [--requests 4000] [--out bench/RESULTS.md] [--first-only]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from history_bench import _cores, _write_section

from magnitsky.web.catalogue import SELECTIONS

ROOT = Path(__file__).resolve().parent.parent
QUERIES = (
    "/api/designations?program=US-GLOMAG&basis=ties&country=RU",
    "/api/designations?program=US-GLOMAG&year=2023&schema=Person",
    "/api/designations?program=GB-HR&sort=name&page=2",
    "/api/designations?program=US-GLOMAG&role=judge",
    "/api/designations?program=EU-HR&listed_from=2023-01-01&listed_to=2023-12-31",
    "/api/designations?program=US-GLOMAG&basis=direct&sort=-listed&per_page=100",
    "/api/designations?jurisdiction=GB&basis=corruption&date_quality=exact",
    "/api/designations?program=CA-JVCFOA&country=VE",
)
FRESH = tuple(
    f"/api/designations?program={program}&year={year}&basis={basis}"
    for year in range(2013, 2027)
    for basis in ("ties", "direct", "unknown", "human_rights", "corruption")
    for program in ("US-GLOMAG", "GB-HR", "GB-AC", "EU-HR", "CA-JVCFOA", "AU-HUMAN", "AU-CRP")
)
"""490 different selections, more than the server keeps (SELECTIONS), asked in turn:
every request filters and sorts anew."""
LEVELS = (1, 20)
TARGET_P95_MS = 50.0
FIRST = (
    "/",
    "/designations",
    "/api/search?q=bastrikin",
    "/search?q=salameh+riad",
    "/api/designations?jurisdiction=GB&basis=corruption&date_quality=exact",
    "/api/designations?program=US-SDGT&basis=ties&country=IQ",
    "/api/designations?program=US-GLOMAG&role=judge",
    "/api/designations?country=RU&role=military",
    "/api/designations?program=US-RUSSIA-EO14024&role=business+person&sort=basis",
    "/year/2023",
    "/persons/{person}",
    "/multilateral",
)
"""The pages whose first answer after a fresh start is timed ({person}: Bastrykin's): among
them filters over the whole store and over the largest program, which no page asks by
default ("the first answer for any filter")."""
TARGET_FIRST_S = 2.0


def serve(db: Path) -> None:
    """The server process: print the address, then serve until terminated."""
    from magnitsky.cli_web import run

    run(db, "127.0.0.1", 0, lambda address: print(address, flush=True))


@dataclass
class Level:
    clients: int
    queries: tuple[str, ...]
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    await reader.readexactly(length)
    return status


async def _client(
    host: str,
    port: int,
    level: Level,
    deadline: float,
    budget: list[int],
    queries: tuple[str, ...],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            path = queries[budget[0] % len(queries)]
            start = time.perf_counter()
            status = await _get(reader, writer, path)
            level.latencies.append(time.perf_counter() - start)
            level.statuses[status] = level.statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(
    host: str,
    port: int,
    clients: int,
    seconds: float,
    requests: int,
    queries: tuple[str, ...] = QUERIES,
) -> Level:
    level = Level(clients, queries)
    budget = [requests]
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(
        *(_client(host, port, level, deadline, budget, queries) for _ in range(clients))
    )
    level.seconds = time.perf_counter() - start
    return level


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        response.read()
    return time.perf_counter() - start


def total(url: str) -> int:
    with urllib.request.urlopen(url, timeout=300) as response:
        return int(json.load(response)["total"])


def wait_until_warm(base: str, process: subprocess.Popen[str], limit: float = 300) -> float:
    """Seconds until every benchmarked query answers (the Magnitsky-style programs are
    analysed at start-up; a query waits for its program)."""
    start = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            for path in QUERIES:
                fetch(base + path)
            return time.perf_counter() - start
        except OSError:
            if time.perf_counter() - start > limit:
                raise SystemExit("the server did not answer in time") from None
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_answer(db: Path, path: str, limit: float = 120.0) -> tuple[float, int]:
    """Seconds from starting ``magnitsky serve`` to its first complete answer to ``path``
    (asked every 20 ms until the server listens), and the answer's status."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("magnitsky")), "--db", str(db)]
    command += ["serve", "--port", str(port)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server stopped ({' '.join(command)})")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=limit) as r:
                    r.read()
                    return time.perf_counter() - start, r.status
            except urllib.error.HTTPError as error:
                return time.perf_counter() - start, error.code
            except OSError:
                if time.perf_counter() - start > limit:
                    raise SystemExit(f"no answer to {path} in {limit:g} s") from None
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _person(db: Path) -> str:
    from magnitsky.store import open_store

    with open_store(db, read_only=True) as store:
        found = store.scalar(
            "SELECT p.person_id FROM persons p JOIN designations d USING (source, source_id)"
            " WHERE d.name ILIKE '%bastrykin%' ORDER BY d.source LIMIT 1"
        )
    return str(found)


def first_answers(db: Path) -> str:
    """The start-up section: each page's first answer from a fresh process."""
    person = _person(db)
    listening, _ = first_answer(db, "/static/style.css")
    load = os.getloadavg()
    times = [(path, *first_answer(db, path.format(person=person))) for path in FIRST]
    after = os.getloadavg()
    worst = max(t for _, t, _ in times)
    verdict = "met" if worst < TARGET_FIRST_S else "NOT met"
    lines = [
        "### Start-up: the first answer of each page",
        "",
        "A fresh `magnitsky serve` process for each page, asked every 20 ms until it"
        " answers; the time from starting the process to the complete first answer (Python"
        " start and imports, opening the store, then what the page needs first). Load"
        f" average {load[0]:.1f} before, {after[0]:.1f} after"
        f" (2 cores). The server answers a static file {listening:.2f} s after its start.",
        "",
        "| page | first answer (s) | status |",
        "|---|---|---|",
    ]
    for path, seconds, status in times:
        shown = path.replace("{person}", "<Bastrykin>")
        lines.append(f"| `{shown}` | {seconds:.2f} | {status} |")
    lines += [
        "",
        f"**Slowest first answer: {worst:.2f} s (target < {TARGET_FIRST_S:g} s: {verdict}).**",
        "",
    ]
    return "\n".join(lines)


def run_bench(db: Path, args: argparse.Namespace) -> str:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", str(db)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip().rstrip("/")
        if not base.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the server said {base!r}")
        warm = wait_until_warm(base, process)
        startup = time.perf_counter() - started
        first_use = fetch(base + "/api/designations?program=US-SDGT&basis=ties&per_page=1")
        sdgt = total(base + "/api/designations?program=US-SDGT&per_page=1")
        port = int(base.rsplit(":", 1)[1])
        asyncio.run(load("127.0.0.1", port, 4, 2, 400))  # warm the connections and caches
        levels = [
            asyncio.run(load("127.0.0.1", port, n, args.seconds, args.requests, queries))
            for queries in (QUERIES, FRESH)
            for n in LEVELS
        ]
    finally:
        process.terminate()
        process.wait(timeout=30)
    return report(levels, startup, warm, (first_use, sdgt), args)


def report(
    levels: list[Level],
    startup: float,
    warm: float,
    first_use: tuple[float, int],
    args: argparse.Namespace,
) -> str:
    now = datetime.now(UTC).date().isoformat()
    machine = f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}"
    lines = [
        "## Web",
        "",
        f"Run on {now}: {machine}, {platform.system()}. `magnitsky serve` (Starlette, uvicorn"
        " with h11, one process) over the store built from the official files, in a process"
        " of its own; the load from a second process on loopback (HTTP/1.1 keep-alive,"
        f" asyncio), each level at most {args.seconds:g} s and {args.requests} requests,"
        f" rotating over {len(QUERIES)} filtered queries of `/api/designations` (default page"
        " of 50 rows, one of 100), such as"
        f" `{QUERIES[0]}`; then 490 selections (program × year × basis) asked in turn, more"
        " than the server keeps, so that each is filtered anew.",
        "",
        "| selections | clients | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms)"
        " | max (ms) | non-200 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        bad = sum(n for status, n in level.statuses.items() if status != 200)
        kind = "8, asked again and again" if level.queries is QUERIES else "490, each new"
        lines.append(
            f"| {kind} | {level.clients} | {len(level.latencies)} | {level.rps:.0f}"
            f" | {level.percentile(0.5):.1f} | {level.percentile(0.95):.1f}"
            f" | {level.percentile(0.99):.1f} | {max(level.latencies) * 1000:.1f} | {bad} |"
        )
    at20 = [level.percentile(0.95) for level in levels if level.clients == 20]
    verdict = "met" if max(at20) < TARGET_P95_MS else "NOT met"
    lines += [
        "",
        f"**p95 at 20 clients: {at20[0]:.1f} ms for selections asked again (the server"
        f" keeps the latest {SELECTIONS} filtered selections: another page of one costs"
        " nothing),"
        f" {at20[1]:.1f} ms when every request is a new selection (target < "
        f"{TARGET_P95_MS:.0f} ms: {verdict}).**"
        f" Start-up until every query has answered once: {startup:.1f} s (reading the"
        " designations, then what `build` kept: the whole analysis of the Magnitsky-style"
        " designations, the fields the filters read of every other one; the queries waited"
        f" {warm:.1f} s of it). The first query of a program no page had asked for"
        f" (US-SDGT, {first_use[1]} designations) takes {first_use[0]:.2f} s.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--db", type=Path, help="a store already built (default: build one)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--first-only", action="store_true", help="only the start-up")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from magnitsky import build, settings
            from magnitsky.store import open_store

            db = Path(tmp) / "store.duckdb"
            print(f"building a store from {args.data} (not timed) …", file=sys.stderr)
            with open_store(db) as store:
                build.build(store, settings.load(), args.data)
        first = first_answers(db)
        if args.first_only:
            print(first)
            return
        text = run_bench(db, args).rstrip("\n") + "\n\n" + first
    print(text)
    _write_section(args.out, "## Web", text)


if __name__ == "__main__":
    main()
