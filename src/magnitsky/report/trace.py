"""What lies behind each number of the report: the counted designations grouped by every
figure they feed (basis, country, region, role, action date, theme or victim group, where
the basis came from, finding), each group with an
anchor the page and the CSVs share, so a reader can get from any number to its list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

Designation = dict[str, Any]
PERSONS = ("Person", "Organization")
DIRECT = ("human_rights", "corruption", "direct")


@dataclass
class Group:
    figure: str  # basis, country, region, role, date, theme, evidence, finding
    key: str
    anchor: str
    rows: list[Designation] = field(default_factory=list)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower() or "x"


def row_ids(counted: list[Designation]) -> list[str]:
    """One stable, unique id per counted designation: ``d-<source_id>``."""
    seen: dict[str, int] = {}
    ids = []
    for d in counted:
        base = "d-" + slug(str(d.get("source_id", "")))
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _basis(d: Designation) -> list[str]:
    return as_list(d.get("basis")) or ["unknown"]


def _date(d: Designation) -> list[str]:
    if d.get("date_quality") == "exact" and isinstance(d.get("listed_on"), date):
        return [d["listed_on"].isoformat()]
    return []


def _evidence(d: Designation) -> list[str]:
    """Where a person's basis comes from: official text, list, or not shown."""
    if d.get("schema") not in PERSONS:
        return []
    return [str(d.get("basis_source") or NOT_SHOWN)]


NOT_SHOWN = "not shown"
KEYS: dict[str, Callable[[Designation], list[str]]] = {
    "basis": _basis,
    "country": lambda d: as_list(d.get("country_codes")) or ["unknown"],
    "region": lambda d: as_list(d.get("regions")) or ["unknown"],
    "role": lambda d: as_list(d.get("roles")) or ["unknown"],
    "date": _date,
    "theme": lambda d: [*as_list(d.get("themes")), *as_list(d.get("victim_groups"))],
    "evidence": _evidence,
}


def anchor(figure: str, key: str) -> str:
    return f"by-{figure}-{slug(key)}"


def groups(counted: Iterable[Designation], figure: str) -> list[Group]:
    """The designations behind each value of one figure, biggest group first."""
    table: dict[str, Group] = {}
    for d in counted:
        for key in KEYS[figure](d):
            group = table.setdefault(key, Group(figure, key, anchor(figure, key)))
            group.rows.append(d)
    order = sorted(table.values(), key=lambda g: (-len(g.rows), g.key))
    return sorted(order, key=lambda g: g.key) if figure == "date" else order


MEASURES: dict[str, Callable[[Designation], bool]] = {
    "persons": lambda d: d.get("schema") in PERSONS,
    "individuals": lambda d: d.get("schema") == "Person",
    "entities": lambda d: d.get("schema") == "Organization",
    "vessels": lambda d: d.get("schema") == "Vessel",
    "aircraft": lambda d: d.get("schema") == "Airplane",
    "direct": lambda d: d.get("schema") in PERSONS and bool(set(_basis(d)) & set(DIRECT)),
    "ties": lambda d: d.get("schema") in PERSONS and "ties" in _basis(d),
    "human_rights": lambda d: d.get("schema") in PERSONS and "human_rights" in _basis(d),
    "corruption": lambda d: d.get("schema") in PERSONS and "corruption" in _basis(d),
    "unknown": lambda d: d.get("schema") in PERSONS and "unknown" in _basis(d),
    "delisted": lambda d: d.get("delisted_on") is not None,
    "basis_from_text": lambda d: _evidence(d) == ["official text"],
}


def measure_of(finding: dict[str, Any]) -> Callable[[Designation], bool] | None:
    """The test a counted designation passes to lie behind a finding, from its measure
    (``direct``, ``persons_ties``, ``vessels_max`` …); None when the measure names none."""
    measure = str(finding.get("measure") or "").lower()
    for name in sorted(MEASURES, key=len, reverse=True):
        if re.search(rf"(^|[^a-z]){name}([^a-z]|$)", measure):
            return MEASURES[name]
    return None


def _by_ids(annual: Annual, ids: list[Any]) -> list[Designation]:
    """The designations with these source ids: counted ones first, else any of the
    program's (a delisting of the year concerns an entry listed years before)."""
    wanted = {str(i) for i in ids}
    rows = [d for d in annual.counted if str(d.get("source_id")) in wanted]
    found = {str(d.get("source_id")) for d in rows}
    rows += [d for d in annual.designations if str(d.get("source_id")) in wanted - found]
    return rows


def finding_groups(annual: Annual) -> list[Group]:
    """One group per finding: its own ``source_ids`` if it lists them, else the counted
    designations its measure selects, else every counted designation."""
    out = []
    for number, finding in enumerate(annual.findings, start=1):
        ids = finding.get("source_ids")
        test = measure_of(finding)
        if ids is not None:
            rows = _by_ids(annual, ids)
        elif test is not None:
            rows = [d for d in annual.counted if test(d)]
        else:
            rows = list(annual.counted)
        out.append(Group("finding", str(number), f"finding-{number}-rows", rows))
    return out


def referred(annual: Annual) -> list[Designation]:
    """Designations a finding refers to that are not counted in the year (delistings)."""
    counted = {id(d) for d in annual.counted}
    seen: dict[int, Designation] = {}
    for g in finding_groups(annual):
        seen.update((id(d), d) for d in g.rows if id(d) not in counted)
    return list(seen.values())


def anchors_of_rows(annual: Annual) -> dict[int, str]:
    """The row id of every designation shown in a table, by object identity."""
    shown = [*annual.counted, *referred(annual)]
    return dict(zip(map(id, shown), row_ids(shown), strict=True))


def all_groups(annual: Annual) -> dict[str, list[Group]]:
    result = {figure: groups(annual.counted, figure) for figure in KEYS}
    result["finding"] = finding_groups(annual)
    return result
