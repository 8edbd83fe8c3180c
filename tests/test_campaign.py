"""Broken copies of the real official files never change the store (tests/campaign.py), and
every real file is read: by its content, whatever its name."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from magnitsky.readers import detect, ofac_csv

ROOT = Path(__file__).resolve().parent.parent
CLASSES = {
    "structure",
    "truncated",
    "dates",
    "duplicate id",
    "hostile xml",
    "memory",
    "encoding",
    "wrong file",
}


def _problem(case: dict[str, Any]) -> str | None:
    err = case["stderr"]
    lines = [line for line in err.splitlines() if line.strip()]
    if case["code"] in (0, None) or case["code"] == "traceback":
        return f"exit {case['code']}"
    if "Traceback" in err:
        return "a traceback"
    if not case["store_unchanged"]:
        return "the store changed"
    message = next((x for x in lines if x.startswith(("error:", "usage error:"))), None)
    if message is None:
        return "no one-line error message"
    if case["expect"] and not re.search(case["expect"], message, re.I):
        return f"the message does not say {case['expect']!r}"
    if "usage error" not in message and Path(case["files"][0]).name not in message:
        return "the message does not name the file"
    return None


def test_broken_copies_are_refused_and_leave_the_store_as_it_was(
    built_store: Path, shared_data: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copyfile(built_store, db)
    results = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.campaign", str(shared_data), str(tmp_path), str(db), str(results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    cases = json.loads(results.read_text())
    assert len(cases) >= 100
    assert set(Counter(c["klass"] for c in cases)) == CLASSES
    failures = [
        f"{c['name']}: {problem}: {c['stderr'][-300:]!r}"
        for c in cases
        if (problem := _problem(c))
    ]
    assert not failures, "\n".join(failures)


def test_every_real_list_file_is_ingested(shared_data: Path, tmp_path: Path) -> None:
    """Each real file, by the reader its content calls for (the Canadian XML is not
    OFAC's advanced XML), in one ingest into a new store."""
    us = shared_data / "us" / "ofac"
    refused = {
        # A third-party copy: ent_num 2677 names two different entries.
        us / "snapshots" / "sdn_2022-01-31.csv": "ent_num",
        # An excerpt of 93 entities, not a whole list.
        shared_data / "eu" / "fsf-csv-1.0-excerpt_2018-07-04.csv": "listings read",
    }
    files = [*sorted((us / "snapshots").iterdir()), us / "changes" / "sdnnew23.txt"]
    files += sorted((us / "recent_actions").glob("*.html"))
    for folder in ("uk/ofsi", "ca/sema", "au/dfat"):
        files += sorted((shared_data / folder).iterdir())
    files += sorted((shared_data / "eu").glob("*.csv"))
    db = tmp_path / "real.duckdb"
    done = _ingest(db, [f for f in files if f not in refused])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "snapshots in store: 19 accepted" in done.stdout
    for path, reason in refused.items():
        done = _ingest(db, [path])
        assert done.returncode == 1 and reason in done.stderr and path.name in done.stderr
        assert "Traceback" not in done.stderr


def _ingest(db: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "magnitsky"), "--db", str(db), "ingest", "-q"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
    )


def test_content_not_name_decides_the_reader(shared_data: Path, tmp_path: Path) -> None:
    canada = tmp_path / "list.xml"
    shutil.copyfile(shared_data / "ca/sema/sema-lmes_2025-09-22.xml", canada)
    assert detect.kind_of(canada) == detect.declared_kind("ca-sema")
    sdn = tmp_path / "download.txt"
    shutil.copyfile(shared_data / "us/ofac/snapshots/sdn_2021-07-07.csv", sdn)
    assert detect.kind_of(sdn) == detect.SDN_CSV
    uk = tmp_path / "export.xlsx"
    shutil.copyfile(shared_data / "uk/ofsi/ConList_2023-06-05.xlsx", uk)
    assert detect.kind_of(uk) == detect.declared_kind("gb-ofsi")


def test_a_byte_order_mark_loses_no_entry(shared_data: Path) -> None:
    raw = (shared_data / "us/ofac/snapshots/sdn_2021-07-07.csv").read_bytes()
    plain, _ = ofac_csv.record_lines(raw, "plain")
    marked, _ = ofac_csv.record_lines(b"\xef\xbb\xbf" + raw, "bom")
    assert marked == plain and len(plain) == 8976
