"""Small hand-made SDN files in the official format, for the history rules."""

from __future__ import annotations

from pathlib import Path

EMPTY = "-0- "


def row(ent: int, name: str, programs: str, sdn_type: str = "individual", remarks: str = "") -> str:
    kind = f'"{sdn_type}"' if sdn_type else EMPTY
    rem = f'"{remarks}"' if remarks else EMPTY
    cols = [str(ent), f'"{name}"', kind, f'"{programs}"'] + [EMPTY] * 7 + [rem]
    return ",".join(cols)


BASE = [
    row(100, "CUBAN AIRLINE", "CUBA", ""),
    row(101, "OFFICIAL, Corrupt", "GLOMAG", remarks="DOB 01 Jan 1960; nationality Paraguay."),
    row(102, "ABUSER, Police", "SDGT", remarks="DOB 02 Feb 1970."),
    row(103, "SHELL COMPANY LTD", "GLOMAG", "", remarks="Linked To: OFFICIAL, Corrupt."),
    row(104, "TANKER ONE", "IRAN", "vessel"),
]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(rows) + "\r\n\x1a").encode("utf-8"))
    return path


def history(folder: Path) -> dict[str, Path]:
    """Four dated snapshots telling a small story:

    - 2023-01-10: baseline (101 and 103 under GLOMAG, 102 under SDGT)
    - 2023-02-10: 105 listed under GLOMAG; 102 gains GLOMAG
    - 2023-03-10: 103 delisted; 101 amended (a second birth date)
    - 2023-04-10: 103 relisted
    """
    s1 = BASE
    s2 = [
        *BASE[:2],
        row(102, "ABUSER, Police", "SDGT] [GLOMAG", remarks="DOB 02 Feb 1970."),
        *BASE[3:],
        row(105, "JUDGE, New", "GLOMAG", remarks="DOB 05 May 1965; nationality Brazil."),
    ]
    s3 = [
        s2[0],
        row(
            101,
            "OFFICIAL, Corrupt",
            "GLOMAG",
            remarks="DOB 01 Jan 1960; alt. DOB 01 Jan 1961; nationality Paraguay.",
        ),
        s2[2],
        s2[4],
        s2[5],
    ]
    s4 = [*s3, BASE[3]]
    out = {}
    for day, rows in (
        ("2023-01-10", s1),
        ("2023-02-10", s2),
        ("2023-03-10", s3),
        ("2023-04-10", s4),
    ):
        out[day] = write_csv(folder / f"sdn_{day}.csv", rows)
    return out


CHANGES = """\
This publication of Treasury's Office of Foreign Assets Control ("OFAC") is
a reference tool. The following changes have occurred since January 1, 2023:

02/03/23:

The following [GLOMAG] entries have been added to OFAC's SDN List:

JUDGE, New, Brazil; DOB 05 May 1965; nationality Brazil (individual)
[GLOMAG].

03/01/23:

The following [GLOMAG] entries have been removed from OFAC's SDN List:

SHELL COMPANY LTD [GLOMAG] (Linked To: OFFICIAL, Corrupt).
"""


def write_changes(path: Path, text: str = CHANGES) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    return path
