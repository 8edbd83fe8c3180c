"""The broken-file campaign: broken copies of the real official files, made at test time
(never committed), each run through ``magnitsky ingest`` against a store holding the real
history. Run as a module in a child process with a memory limit::

    python -m tests.campaign SHARED_DATA WORK_DIR STORE RESULTS.json

Every case runs through the command line's own entry point (``magnitsky.cli.main``) in
this one process (importing the program once per case would cost minutes on a small
machine); a traceback that escapes it is caught and recorded as the case's failure."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import resource
import shutil
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.official_sites import latest_sdn_csv

MEMORY_LIMIT = 3 * 1024**3
"""Address space of the child: a bomb that is read would hit it (MemoryError)."""


@dataclass(frozen=True)
class Case:
    name: str
    klass: str
    """The class of defect of the issue it belongs to."""
    files: list[str]
    expect: str
    """A word the message must hold (case-insensitive regular expression)."""
    args: tuple[str, ...] = ()


class Builder:
    """Makes the broken copies from the real files."""

    def __init__(self, data: Path, work: Path) -> None:
        self.data = data
        self.work = work
        self.cases: list[Case] = []
        self.rng = random.Random(13)
        work.mkdir(parents=True, exist_ok=True)

    def add(
        self, klass: str, name: str, filename: str, data: bytes, expect: str, *args: str
    ) -> None:
        folder = self.work / f"{len(self.cases):03d}"
        folder.mkdir(exist_ok=True)
        path = folder / filename
        path.write_bytes(data)
        self.cases.append(Case(name, klass, [str(path)], expect, tuple(args)))

    def add_file(self, klass: str, name: str, path: Path, expect: str, *args: str) -> None:
        self.cases.append(Case(name, klass, [str(path)], expect, tuple(args)))


def _cut_after(data: bytes, at: float, sep: bytes, count: int) -> bytes:
    """Cut just after the ``count``-th separator of the line at ``at`` of the file."""
    start = data.index(b"\n", int(len(data) * at)) + 1
    pos = start
    for _ in range(count):
        pos = data.index(sep, pos) + 1
    return data[:pos]


def _cut_mid(data: bytes, at: float) -> bytes:
    """Cut at a byte inside a line (never just after a line break)."""
    pos = int(len(data) * at)
    while data[pos - 1 : pos] in (b"\n", b"\r"):
        pos += 1
    return data[:pos]


def _map_lines(data: bytes, change: Callable[[list[bytes]], list[bytes]], sep: bytes) -> bytes:
    out = []
    for line in data.split(b"\n"):
        if re.match(rb"\d+" + re.escape(sep), line):
            cells = _split(line.rstrip(b"\r"), sep)
            if len(cells) == 12:
                line = sep.join(change(cells)) + (b"\r" if line.endswith(b"\r") else b"")
        out.append(line)
    return b"\n".join(out)


def _split(line: bytes, sep: bytes) -> list[bytes]:
    """Cells of a line, keeping their quotes (a quoted separator stays in its cell)."""
    cells, cell, quoted = [], bytearray(), False
    for byte in line:
        ch = bytes([byte])
        if ch == b'"':
            quoted = not quoted
        if ch == sep and not quoted:
            cells.append(bytes(cell))
            cell = bytearray()
        else:
            cell += ch
    cells.append(bytes(cell))
    return cells


def _swap(i: int, j: int) -> Callable[[list[bytes]], list[bytes]]:
    def change(cells: list[bytes]) -> list[bytes]:
        cells[i], cells[j] = cells[j], cells[i]
        return cells

    return change


def _zip_edit(raw: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """A copy of a workbook with parts edited (None: the part dropped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip_bomb(raw: bytes, part: str, size: int) -> bytes:
    """A workbook whose ``part`` expands to ``size`` bytes (compressed to a few MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == part:
                with dst.open(zipfile.ZipInfo(part), "w", force_zip64=True) as handle:
                    handle.write(src.read(part)[:-20])
                    chunk = b"<si><t>x</t></si>" * 60000
                    written = 0
                    while written < size:
                        handle.write(chunk)
                        written += len(chunk)
            else:
                dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _drop_rows(xml: bytes, share: float) -> bytes:
    """Drop the last ``share`` of the ``<row>`` elements of a worksheet (a sheet cut short
    that is still a well-formed workbook)."""
    rows = list(re.finditer(rb"<row[ >].*?</row>", xml, re.S))
    last = rows[int(len(rows) * (1 - share))]
    return xml[: last.start()] + xml[rows[-1].end() :]


def _replace_all(data: bytes, pairs: list[tuple[bytes, bytes]]) -> bytes:
    marker = b"\x00SWAP\x00"
    for n, (a, _b) in enumerate(pairs):
        data = data.replace(a, marker + str(n).encode())
    for n, (_a, b) in enumerate(pairs):
        data = data.replace(marker + str(n).encode(), b)
    return data


def _html_error() -> bytes:
    return (
        b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
        b"<body><h1>Service Unavailable</h1></body></html>\n"
    )


def _common(b: Builder, klass: str, stem: str, name: str, raw: bytes, text: bool) -> None:
    """Cases every file takes: empty, blank, an HTML error page, truncations, garbage."""
    b.add("truncated", f"{stem}: empty", name, b"", "empty|truncated|not a")
    b.add("truncated", f"{stem}: blank lines", name, b"\r\n\r\n  \n", "empty|truncated|not a")
    b.add("wrong file", f"{stem}: an HTML error page", name, _html_error(), "html|not a")
    b.add("wrong file", f"{stem}: random bytes", name, random.Random(1).randbytes(4096), "")
    for at in (0.1, 0.5, 0.9):
        b.add(klass, f"{stem}: cut at {at:.0%}", name, _cut_mid(raw, at), "")
    if text:
        b.add("encoding", f"{stem}: NUL bytes inside", name, raw[:2000] + b"\x00" + raw[2000:], "nul")
        b.add(
            "encoding",
            f"{stem}: UTF-16",
            name,
            raw.decode("utf-8", errors="replace").encode("utf-16"),
            "utf-16|nul|encoding|not a",
        )


def build_cases(data: Path, work: Path) -> list[Case]:
    b = Builder(data, work)
    sdn = latest_sdn_csv(data, work)
    csv_name = "sdn_2024-05-06.csv"
    # --- OFAC sdn.csv ---------------------------------------------------------------
    _common(b, "truncated", "sdn.csv", csv_name, sdn, text=True)
    for at in (0.25, 0.75, 0.999):
        b.add("truncated", f"sdn.csv: cut at {at:.1%}", csv_name, _cut_mid(sdn, at), "trunc")
    for at in (0.2, 0.6, 0.97):
        b.add(
            "truncated",
            f"sdn.csv: cut after the 11th comma at {at:.0%}",
            csv_name,
            _cut_after(sdn, at, b",", 11),
            "trunc",
        )
    b.add("truncated", "sdn.csv: half the lines", csv_name, sdn[: sdn.index(b"\n", len(sdn) // 2) + 1], "loses")
    b.add("structure", "sdn.csv: Program column emptied", csv_name, _map_lines(sdn, lambda c: [*c[:3], b"-0- ", *c[4:]], b","), "program")
    b.add("structure", "sdn.csv: Program swapped with Remarks", csv_name, _map_lines(sdn, _swap(3, 11), b","), "program|sdn_type|column")
    b.add("structure", "sdn.csv: SDN_Type swapped with SDN_Name", csv_name, _map_lines(sdn, _swap(1, 2), b","), "sdn_type")
    b.add("structure", "sdn.csv: GLOMAG misspelt on every line", csv_name, sdn.replace(b"GLOMAG", b"GLOMAK"), "US-GLOMAG")
    b.add("structure", "sdn.csv: every GLOMAG line dropped", csv_name, b"\n".join(x for x in sdn.split(b"\n") if b"GLOMAG" not in x), "US-GLOMAG")
    b.add("structure", "sdn.csv: names garbled on every line", csv_name, _map_lines(sdn, lambda c: [c[0], c[1][::-1], *c[2:]], b","), "amended")
    b.add("structure", "sdn.csv: a line with a column missing", csv_name, _map_lines(sdn, lambda c: c if c[0] != b"36" else c[:11], b","), "columns")
    b.add("structure", "sdn.csv: 30 % of the lines dropped", csv_name, b"\n".join(x for n, x in enumerate(sdn.split(b"\n")) if n % 10 >= 3 or n < 2), "loses")
    lines = sdn.split(b"\n")
    dup = list(lines)
    for n in range(100):
        target = 200 + n * 97
        num = lines[10 + n].split(b",", 1)[0]
        dup[target] = num + b"," + dup[target].split(b",", 1)[1]
    b.add("duplicate id", "sdn.csv: 100 entries reuse another's ent_num", csv_name, b"\n".join(dup), "unique")
    b.add("encoding", "sdn.csv: NUL bytes in names", csv_name, sdn.replace(b'"AEROCARIBBEAN AIRLINES"', b'"AEROCARIBBEAN\x00AIRLINES"'), "nul")
    b.add("memory", "sdn.csv: a 64 MB field", csv_name, sdn[:-3] + b'"' + b"x" * (64 * 1024**2) + b'"\r\n\x1a', "longer than|trunc")
    b.add("memory", "sdn.csv: a quote that never closes", csv_name, sdn[:5000] + b'"' + sdn[5000:], "")
    b.add("dates", "sdn.csv: --as-of in 2099", csv_name, sdn, "future", "--as-of", "2099-01-01")
    b.add("dates", "sdn.csv: --as-of before GLOMAG existed", csv_name, sdn, "US-GLOMAG|program", "--as-of", "1999-01-01")
    b.add("dates", "sdn.csv: named for 2099", "sdn_2099-01-01.csv", sdn, "future")
    b.add("dates", "sdn.csv: --as-of yesterday", csv_name, sdn, "as-of", "--as-of", "yesterday")
    b.add("dates", "sdn.csv: --as-of 2024-13-45", csv_name, sdn, "as-of", "--as-of", "2024-13-45")
    b.add("wrong file", "sdn.csv: an XML page", csv_name, b"<?xml version='1.0'?><error>rate limited</error>\n", "not a|xml")
    b.add("wrong file", "sdn.csv: gzip bytes", csv_name, b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8, "")
    b.add("wrong file", "sdn.csv: a header row only", csv_name, b"ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n", "no entries|empty")
    # --- OFAC sdn.pip ---------------------------------------------------------------
    pip = (data / "us/ofac/snapshots/sdn_2020-06-11.pip").read_bytes()
    pip_name = "sdn_2020-06-12.pip"
    _common(b, "truncated", "sdn.pip", pip_name, pip, text=True)
    for at in (0.3, 0.95):
        b.add("truncated", f"sdn.pip: cut after the 11th | at {at:.0%}", pip_name, _cut_after(pip, at, b"|", 11), "trunc")
    b.add("structure", "sdn.pip: SDN_Type swapped with SDN_Name", pip_name, _map_lines(pip, _swap(1, 2), b"|"), "sdn_type")
    pdup = pip.split(b"\n")
    pdup[500] = pdup[400].split(b"|", 1)[0] + b"|" + pdup[500].split(b"|", 1)[1]
    b.add("duplicate id", "sdn.pip: an ent_num used twice", pip_name, b"\n".join(pdup), "unique")
    # --- OFAC change archive ----------------------------------------------------------
    changes = (data / "us/ofac/changes/sdnnew23.txt").read_bytes()
    _common(b, "truncated", "sdnnew23.txt", "sdnnew23.txt", changes, text=True)
    for at in (0.3, 0.7):
        b.add("truncated", f"sdnnew23.txt: cut at {at:.0%}", "sdnnew23.txt", _cut_mid(changes, at), "trunc")
    mid = int(len(changes) * 0.4)
    while changes[mid - 1 : mid + 1] != b";\n":  # a wrapped line inside an entry
        mid += 1
    mid += 1
    b.add("truncated", "sdnnew23.txt: cut at a line break inside an entry", "sdnnew23.txt", changes[:mid], "trunc|entry")
    b.add("dates", "sdnnew23.txt: years read 2099", "sdnnew23.txt", re.sub(rb"^(\d\d/\d\d)/23:", rb"\1/2099:", changes, flags=re.M), "future|2099")
    b.add("dates", "sdnnew23.txt: dates of 2022", "sdnnew23.txt", re.sub(rb"^(\d\d/\d\d)/23:", rb"\1/22:", changes, flags=re.M), "2022|archive")
    b.add("dates", "sdnnew23.txt: a date that is no date", "sdnnew23.txt", changes.replace(b"01/19/23:", b"13/45/23:", 1), "not a date")
    b.add("dates", "sdnnew23.txt: GLOMAG actions dated 2015", "sdnnew15.txt", re.sub(rb"^(\d\d/\d\d)/23:", rb"\1/15:", changes, flags=re.M), "US-GLOMAG|program")
    # --- OFAC Recent Actions -------------------------------------------------------------
    recent = (data / "us/ofac/recent_actions/20250730.html").read_bytes()
    _common(b, "truncated", "recent actions", "20250730.html", recent, text=True)
    body = recent.index(b"field--name-field-body")
    for share in (0.1, 0.5):
        cut = body + int((len(recent) - body) * share)
        b.add("truncated", f"recent actions: cut inside the body at {share:.0%}", "20250730.html", recent[:cut], "trunc")
    b.add("dates", "recent actions: dated 2099", "20250730.html", recent.replace(b"07/30/2025", b"07/30/2099"), "future|2099")
    b.add("dates", "recent actions: dated 13/45/2025", "20250730.html", recent.replace(b"07/30/2025", b"13/45/2025"), "date")
    b.add("dates", "recent actions: GLOMAG actions dated 2016", "20250730.html", recent.replace(b"07/30/2025", b"07/30/2016"), "US-GLOMAG|program")
    # --- Canada ------------------------------------------------------------------------
    ca = (data / "ca/sema/sema-lmes_2025-09-22.xml").read_bytes()
    ca_name = "sema-lmes_2025-09-23.xml"
    _common(b, "truncated", "Canada", ca_name, ca, text=True)
    b.add("dates", "Canada: DateOfListing in 2099", ca_name, re.sub(rb"(<DateOfListing[^>]*>)\d{4}", rb"\g<1>2099", ca, count=50), "future|2099")
    b.add("dates", "Canada: DateOfListing not a date", ca_name, re.sub(rb"(<DateOfListing[^>]*>)[^<]+", rb"\1not a date", ca, count=1), "not a date")
    b.add("hostile xml", "Canada: an external entity", ca_name, ca.replace(b"?>", b'?><!DOCTYPE data-set [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1).replace(b"</Country", b"&x;</Country", 1), "entit")
    b.add("hostile xml", "Canada: billion laughs", ca_name, ca.replace(b"?>", b'?><!DOCTYPE data-set [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>', 1), "entit")
    records = re.findall(rb"<record>.*?</record>", ca, re.S)
    b.add("duplicate id", "Canada: a record twice", ca_name, ca.replace(records[5], records[5] + records[5], 1), "id")
    dropped = ca
    for rec in records[::3]:
        dropped = dropped.replace(rec, b"", 1)
    b.add("structure", "Canada: a third of the records dropped", ca_name, dropped, "loses")
    b.add("structure", "Canada: the JVCFOR regulations misspelt", ca_name, ca.replace(b"Justice for Victims of Corrupt Foreign Officials Regulations", b"Justice for Victim of Corupt Foreign Officials Regulation"), "CA-JVCFOA")
    b.add("structure", "Canada: the root element renamed", ca_name, ca.replace(b"data-set", b"dataset"), "not|root")
    b.add("structure", "Canada: names garbled", ca_name, re.sub(rb"<(LastName[^>]*)>([^<]+)<", lambda m: b"<" + m[1] + b">" + m[2].decode()[::-1].encode() + b"<", ca), "amended")
    # --- UK (OFSI) --------------------------------------------------------------------------
    uk = (data / "uk/ofsi/ConList_2025-04-14.xlsx").read_bytes()
    uk_name = "ConList_2025-04-15.xlsx"
    _common(b, "truncated", "UK xlsx", uk_name, uk, text=False)
    b.add("structure", "UK: Name 6 and Name 1 header cells swapped", uk_name, _zip_edit(uk, lambda n, d: _replace_all(d, [(b">Name 6<", b">Name 1<"), (b">Name 1<", b">Name 6<")]) if n.endswith("sharedStrings.xml") else d), "amended")
    b.add("structure", "UK: Global Human Rights misspelt", uk_name, _zip_edit(uk, lambda n, d: d.replace(b"Global Human Rights", b"Global Human Right") if n.endswith("sharedStrings.xml") else d), "GB-HR")
    b.add("structure", "UK: 30 % of the rows dropped", uk_name, _zip_edit(uk, lambda n, d: _drop_rows(d, 0.3) if n.endswith("sheet1.xml") else d), "loses")
    b.add("memory", "UK: shared strings expand to 1.5 GB", uk_name, _zip_bomb(uk, "xl/sharedStrings.xml", 1536 * 1024**2), "zip bomb")
    b.add("memory", "UK: a worksheet expands to 600 MB", uk_name, _zip_bomb(uk, "xl/worksheets/sheet1.xml", 600 * 1024**2), "zip bomb")
    b.add("wrong file", "UK: the worksheet part missing", uk_name, _zip_edit(uk, lambda n, d: None if n.endswith("sheet1.xml") else d), "")
    uk_csv = (data / "uk/ofsi/sanctionsconlist_2018-04-13.csv").read_bytes()
    _common(b, "truncated", "UK csv", "sanctionsconlist_2018-04-14.csv", uk_csv, text=True)
    # --- Australia -------------------------------------------------------------------------
    au = (data / "au/dfat/regulation8_consolidated_2024-12-17.xlsx").read_bytes()
    au_name = "regulation8_consolidated_2024-12-18.xlsx"
    _common(b, "truncated", "Australia xlsx", au_name, au, text=False)
    b.add("structure", "Australia: 30 % of the rows dropped", au_name, _zip_edit(au, lambda n, d: _drop_rows(d, 0.3) if n.endswith("sheet1.xml") else d), "loses|listings read")
    b.add("structure", "Australia: thematic human rights committee misspelt", au_name, _zip_edit(au, lambda n, d: d.replace(b"Thematic - Human Rights", b"Thematic - Human Right") if n.endswith("sharedStrings.xml") else d), "AU-HUMAN")
    b.add("memory", "Australia: shared strings expand to 1.5 GB", au_name, _zip_bomb(au, "xl/sharedStrings.xml", 1536 * 1024**2), "zip bomb")
    au_xls = (data / "au/dfat/regulation8_consolidated_2022-05-05.xls").read_bytes()
    for at in (0.2, 0.8):
        b.add("truncated", f"Australia xls: cut at {at:.0%}", "regulation8_consolidated_2022-05-06.xls", au_xls[: int(len(au_xls) * at)], "")
    # --- EU annex --------------------------------------------------------------------------
    eu = (data / "eu/reg-2020-1998-annex-i_2026-08-22.csv").read_bytes()
    eu_name = "reg-2020-1998-annex-i_2026-08-22.csv"
    _common(b, "truncated", "EU annex", eu_name, eu, text=True)
    b.add("structure", "EU annex: name and schema values swapped", eu_name, _eu_swap(eu), "amended|schema")
    b.add("structure", "EU annex: 30 % of the rows dropped", eu_name, _eu_drop(eu, 0.3), "loses")
    b.add("dates", "EU annex: startDate in 2099", eu_name, re.sub(rb",(\d{1,2}\.\d{1,2}\.)20\d\d,", rb",\g<1>2099,", eu), "future|2099")
    b.add("duplicate id", "EU annex: a row twice", eu_name, _eu_rows(eu, lambda rows: [*rows, rows[5]]), "twice|id")
    b.add("memory", "EU annex: a 64 MB field", eu_name, eu.replace(b"EU-HR,", b'EU-HR,"' + b"x" * (64 * 1024**2) + b'",', 1), "longer than|column|field")
    # --- OFAC advanced XML (the repository's small fixture in the official format) ---------
    adv = (Path(__file__).parent / "fixtures/ofac_advanced/sdn_advanced_small.xml").read_bytes()
    adv_name = "sdn_advanced_2024-05-06.xml"
    b.add("hostile xml", "advanced XML: an external entity", adv_name, adv.replace(b"?>", b'?><!DOCTYPE Sanctions [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1), "entit")
    b.add("hostile xml", "advanced XML: a parameter entity", adv_name, adv.replace(b"?>", b'?><!DOCTYPE Sanctions [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', 1), "entit")
    b.add("truncated", "advanced XML: cut at 60%", adv_name, _cut_mid(adv, 0.6), "trunc|malformed")
    return b.cases


def _eu_rows(eu: bytes, change: Callable[[list[list[str]]], list[list[str]]]) -> bytes:
    import csv

    rows = list(csv.reader(io.StringIO(eu.decode("utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(change(rows))
    return out.getvalue().encode()


def _eu_swap(eu: bytes) -> bytes:
    import csv

    rows = list(csv.reader(io.StringIO(eu.decode("utf-8"))))
    head = rows[0]
    i, j = head.index("name"), head.index("schema")
    for row in rows[1:]:
        if len(row) > max(i, j):
            row[i], row[j] = row[j], row[i]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _eu_drop(eu: bytes, share: float) -> bytes:
    import csv

    rows = list(csv.reader(io.StringIO(eu.decode("utf-8"))))
    kept = [rows[0]] + [r for n, r in enumerate(rows[1:]) if (n % 10) >= share * 10]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    return out.getvalue().encode()


# --- running ------------------------------------------------------------------------------


def fingerprint(db: str, stable: bool = False) -> dict[str, list[object]]:
    """Row count and a checksum of every table of the store. ``stable``: leave out the
    times of import (``imported_at``), so that a re-run compares equal to a first run."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        out: dict[str, list[object]] = {}
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            columns = [
                name
                for name, kind in con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                    [table],
                ).fetchall()
                if not (stable and name == "imported_at")
            ]
            row = ", ".join(f'"{c}"' for c in columns)
            found = con.execute(
                f'SELECT count(*), sum(hash({row})) FROM "{table}"'
            ).fetchone() or (0, None)
            out[table] = [int(v) if v is not None else None for v in found]
        return dict(sorted(out.items()))
    finally:
        con.close()


def run_case(db: str, case: Case) -> dict[str, object]:
    from magnitsky import cli

    err, out = io.StringIO(), io.StringIO()
    code: object = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            cli.main(["--db", db, "ingest", "-q", *case.files, *case.args])
        except SystemExit as done:
            code = done.code
        except BaseException:  # a traceback escaping the command line: the failure
            traceback.print_exc(file=err)
            code = "traceback"
    return {"code": code, "stderr": err.getvalue(), "stdout": out.getvalue()}


def main(argv: list[str]) -> None:
    data, work, db, results = Path(argv[0]), Path(argv[1]), argv[2], Path(argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    work.mkdir(parents=True, exist_ok=True)
    pristine = work / "pristine.duckdb"
    shutil.copyfile(db, pristine)
    cases = build_cases(data, work / "cases")
    before = fingerprint(db)
    out = []
    only = re.compile(os.environ.get("CAMPAIGN_ONLY", ""))
    for case in cases:
        if not only.search(case.name):
            continue
        started = time.monotonic()
        result = run_case(db, case)
        result["seconds"] = round(time.monotonic() - started, 2)
        after = fingerprint(db)
        result.update(name=case.name, klass=case.klass, expect=case.expect, files=case.files)
        result["store_unchanged"] = after == before
        if after != before:
            shutil.copyfile(pristine, db)
        for path in case.files:
            Path(path).unlink(missing_ok=True)
        out.append(result)
    results.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
