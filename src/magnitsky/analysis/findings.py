"""The key findings of a year as sentences generated from the numbers, each with its
definition and the measure (and designations) behind it. Ranges are said as ranges."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from magnitsky.analysis import measures, themes
from magnitsky.analysis.texts import words
from magnitsky.analysis.windows import describe
from magnitsky.programs import programs

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

Finding = dict[str, Any]
_NAMES_SHOWN = 5
_BASIS_WORDS = {
    "human_rights": "human-rights abuse",
    "corruption": "corruption",
    "ties": "ties to a listed person",
}


def amount(lo: float, hi: float, one: str = "", many: str = "") -> str:
    """``12 persons``, ``between 10 and 12 persons``, ``1 person``."""
    unit = many if (hi != 1 or lo != hi) else one
    number = _num(lo) if lo == hi else f"between {_num(lo)} and {_num(hi)}"
    return f"{number} {unit}".strip()


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, int) or value == int(value) else f"{value:.1f}"


def change(pct: dict[str, float] | None) -> str:
    """``34.5% below``, ``between 10% and 20% above``, ``between 5% below and 3% above``."""
    if pct is None:
        return "not comparable with"
    lo, hi = pct["min"], pct["max"]

    def side(v: float) -> str:
        return "below" if v < 0 else "above"

    if lo == hi:
        return "equal to" if lo == 0 else f"{abs(lo):g}% {side(lo)}"
    if side(lo) == side(hi) and lo != 0:
        small, big = sorted((abs(lo), abs(hi)))
        return f"between {small:g}% and {big:g}% {side(lo)}"
    return f"between {abs(lo):g}% {side(lo)} and {abs(hi):g}% {side(hi)}"


def _value(lo: int, hi: int) -> int | str:
    return lo if lo == hi else f"{lo}–{hi}"


def scope(a: Annual) -> str:
    """What a finding counts: the program and the year's days, ``US-GLOMAG (Global
    Magnitsky (E.O. 13818)) designations, calendar year 2023 (2023-01-01 to 2023-12-31)``;
    a year the lists read cover only in part says so."""
    known = programs().get(a.program)
    start, end = a.window
    said = (
        f"{a.program} ({known.title if known else a.program}) designations,"
        f" {describe(a.year, a.year_end)} ({start.isoformat()} to {end.isoformat()})"
    )
    partial = a.lists_read.partial(a.window)
    return f"{said}; {partial}" if partial else said


def title(a: Annual) -> str:
    """The report's title: the program and the year's days, ``US-GLOMAG (Global
    Magnitsky (E.O. 13818)): designations in calendar year 2023``; ``(partial)`` when the
    lists read cover the year only in part."""
    known = programs().get(a.program)
    name = f"{a.program} ({known.title})" if known else a.program
    partial = " (partial)" if a.lists_read.partial(a.window) else ""
    return f"{name}: designations in {describe(a.year, a.year_end)}{partial}"


def _finding(a: Annual, text: str, measure: str, lo: int, hi: int, **more: Any) -> Finding:
    rows = measures.behind_window(a.designations, a.window, measure) if measure else []
    definition = more.pop("definition", None) or measures.MEASURES[measure].definition
    return {
        "text": text,
        "definition": f"{scope(a)}: {definition}",
        "measure": measure,
        "value": _value(lo, hi),
        "window": a.window,
        "source_ids": [r["source_id"] for r in rows],
        **more,
    }


def _count(a: Annual, key: str) -> tuple[int, int]:
    return measures.count(a.designations, a.window, key)


def _persons(a: Annual, label: str) -> Finding:
    lo, hi = _count(a, "persons")
    ind, ent = _count(a, "individuals"), _count(a, "entities")
    text = (
        f"In {label}, {a.program} designated {amount(lo, hi, 'person', 'persons')}"
        f" ({amount(*ind, 'individual', 'individuals')},"
        f" {amount(*ent, 'entity', 'entities')})"
    )
    partial = a.lists_read.partial(a.window)
    more = f" The year is covered only in part ({partial})." if partial else ""
    return _finding(a, text + _against(a, "persons") + "." + more, "persons", lo, hi)


def _against(a: Annual, key: str) -> str:
    avg = a.average.get(key)
    years = a.average.get("years") or []
    if not avg or not years:
        return ""
    period = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    ranges = ", ".join(map(str, avg.get("ranges") or []))
    note = ""
    if ranges and avg["min"] == avg["max"]:
        note = f" (exact for the period as a whole, though {ranges} are ranges year by year)"
    elif ranges:
        note = f" ({ranges} known only as ranges)"
    partial = [str(r["year"]) for r in a.yearly if r["year"] in years and r.get("partial")]
    if partial:
        note += f" ({', '.join(partial)} covered only in part)"
    return (
        f", {change(avg['change_percent'])} the {period} annual average of"
        f" {amount(avg['min'], avg['max'])}{note}"
    )


def _without_ties(a: Annual) -> Finding:
    lo, hi = _count(a, "not_ties")
    ties = _count(a, "ties")
    text = (
        f"Leaving out those shown to be designated for ties to other listed persons"
        f" ({amount(*ties)}), {amount(lo, hi, 'person was', 'persons were')}"
        f" designated{_against(a, 'not_ties')}."
    )
    return _finding(a, text, "not_ties", lo, hi)


def basis_read(a: Annual) -> str:
    """For how many of the year's persons the basis comes from an official text, the
    regime, the list, or is not known: ``the basis was read from an official text for 0
    of the 78 persons, from the list's remarks for 51, and is not known for 27``."""
    persons = _count(a, "persons")
    parts = [
        (f"read from an official text for {amount(*_count(a, 'basis_from_text'))}", True),
        (f"stated by the regime itself for {amount(*_count(a, 'basis_from_regime'))}", False),
        (f"from the list's remarks for {amount(*_count(a, 'basis_from_list'))}", False),
        (f"is not known for {amount(*_count(a, 'unknown'))}", True),
    ]
    said = [p for p, always in parts if always or not p.endswith(" 0")]
    return (
        f"of the {amount(*persons, 'person', 'persons')}, the basis was "
        + ", ".join(said[:-1])
        + f" and {said[-1]}"
    )


def _direct(a: Annual) -> Finding:
    """Direct involvement as a range: at least those shown, at most those too whose basis
    is not known; with what the basis rests on. A basis nothing shows is never a 0."""
    lo, hi = _count(a, "direct")
    shown = [
        f"{amount(*n)} for {_BASIS_WORDS[b]}"
        for b in ("human_rights", "corruption")
        if (n := _count(a, b))[1]
    ]
    unknown = _count(a, "unknown")
    text = f"Designated for direct involvement (their own abuse or corruption): {amount(lo, hi)}"
    if unknown[1]:
        text += (
            f", at least those shown ({'; '.join(shown) if shown else 'none shown'}), at most"
            f" those too whose basis is not known ({amount(*unknown)})"
        )
    elif shown:
        text += f" ({'; '.join(shown)})"
    text += f"{_against(a, 'direct')}. Basis: {basis_read(a)}."
    return _finding(a, text, "direct", lo, hi)


def _linked_leaders(a: Annual) -> Finding | None:
    n = a.quality.get("individuals_linked_to_entities", 0)
    if not n:
        return None
    text = (
        f"{amount(n, n, 'individual counted under ties is', 'individuals counted under ties are')}"
        " linked to an entity: OFAC also uses 'Linked To' for a leader or official of"
        " a designated entity (E.O. 13818 s. 1(a)(ii)(C)), which is own conduct; the list"
        " does not tell the two apart."
    )
    return _finding(a, text, "ties", n, n, definition=measures.MEASURES["ties"].definition)


def _since(a: Annual) -> Finding | None:
    claim = measures.since(a.yearly, a.year, "persons")
    if claim is None:
        return None
    when = f"since {claim['since']}" if claim["since"] else f"since {claim['first_year']}"
    if claim["since"] is None:
        when += ", the program's first year in the data"
    text = f"It is the {claim['direction']} number of persons designated in a year {when}."
    lo, hi = _count(a, "persons")
    return _finding(a, text, "persons", lo, hi, claim=claim)


def _property(a: Annual) -> Finding | None:
    vessels, aircraft = _count(a, "vessels"), _count(a, "aircraft")
    if not vessels[1] and not aircraft[1]:
        return None
    text = (
        f"{amount(*vessels, 'vessel', 'vessels').capitalize()} and"
        f" {amount(*aircraft, 'aircraft', 'aircraft')} were listed as property, counted apart."
    )
    return _finding(a, text, "vessels", *vessels)


def _delisted(a: Annual) -> Finding:
    lo, hi = _count(a, "delisted")
    text = f"{amount(lo, hi, 'person was', 'persons were').capitalize()} delisted."
    return _finding(a, text, "delisted", lo, hi)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _largest_action(a: Annual) -> Finding | None:
    if not a.actions:
        return None
    top = a.actions[0]
    names = top["names"][:_NAMES_SHOWN]
    more = len(top["names"]) - len(names)
    listed = "; ".join(names) + (f" and {more} more" if more else "")
    n, persons = top["count"], top["persons"]
    text = (
        f"The largest action of exactly known date, on {_day(top['date'])}, made"
        f" {amount(n, n, 'designation', 'designations')}"
        f" ({amount(persons, persons, 'person', 'persons')}): {listed}."
    )
    finding = _finding(
        a, text, "", top["count"], top["count"], definition="designations dated exactly"
    )
    finding.update(measure="action", source_ids=list(top["source_ids"]), date=top["date"])
    return finding


def _countries(a: Annual) -> Finding | None:
    if not a.countries:
        return None
    top = ", ".join(f"{c['name']} ({_value(c['min'], c['max'])})" for c in a.countries[:5])
    n = len(a.countries)
    text = (
        f"The persons designated are tied by nationality, birth, address or registration to"
        f" {n} {'country' if n == 1 else 'countries'}; most often {top}."
    )
    finding = _finding(
        a, text, "persons", n, n,
        definition="countries named in the listing (ISO 3166-1 codes, by rigour)",
    )  # fmt: skip
    finding["measure"] = "countries"
    return finding


def _texts(a: Annual) -> Finding:
    lo, hi = _count(a, "basis_from_text")
    persons = _count(a, "persons")
    kinds = a.text_evidence.get("year", {}).get("by_basis", {})
    notes = [f"{n} for {_BASIS_WORDS[b]}" for b, n in kinds.items() if n]
    program = a.text_evidence.get("program", {})
    if persons[0] == persons[1]:
        of = f"of the {amount(*persons, 'person', 'persons')} designated"
    else:
        of = "of the persons designated"
        notes.insert(0, f"{amount(*persons)} in all")
    text = (
        f"Basis from official text for {amount(lo, hi)} {of}"
        + (f" ({'; '.join(notes)})" if notes else "")
        + ": a Treasury press release or Federal Register notice read states it; for the"
        " others it comes from the list's own text, or is not known. Across the program,"
        f" the texts read give the basis of {program.get('basis_from_text', 0)} of"
        f" {program.get('persons', 0)} persons."
    )
    finding = _finding(a, text, "basis_from_text", lo, hi)
    finding["source_ids"] = [
        r["source_id"] for r in a.counted if r.get("basis_source") == "official text"
    ]
    return finding


def _said(entries: list[dict[str, Any]]) -> str:
    return ", ".join(f"{e['name']} ({_value(e['min'], e['max'])})" for e in entries)


def _themes(a: Annual) -> Finding | None:
    if not a.themes:
        return None
    parts = [
        f"{what} {_said([e for e in a.themes if e['kind'] == kind])}"
        for kind, what in (
            ("abuse", "abuses:"),
            ("corruption", "corruption:"),
            ("victim", "victims:"),
        )
        if any(e["kind"] == kind for e in a.themes)
    ]
    text = f"The official texts read about the persons designated name as {'; as '.join(parts)}."
    rows = [r for r in a.counted if themes.labels(r)]
    finding = _finding(
        a, text, "", len(rows), len(rows),
        definition="abuse themes, corruption types and victim groups named in the sentences"
        " of the texts read about each designee (rules in data/evidence/themes.toml and"
        " victims.toml); persons per label, at least–at most",
    )  # fmt: skip
    finding.update(measure="themes", source_ids=[r["source_id"] for r in rows])
    return finding


def _never(a: Annual) -> Finding | None:
    if not a.coverage:
        return None
    program = a.text_evidence.get("program", {})
    groups = [words(v) for v in themes.never(a.coverage, "victim group")]
    abuses = [words(v) for v in themes.never(a.coverage, "abuse")]
    said = "; ".join(
        f"{what} {', '.join(found)}"
        for what, found in (("victim groups", groups), ("abuses", abuses))
        if found
    )
    if not said:
        return None
    with_text = program.get("with_text", 0)
    text = (
        f"Never addressed in the {a.program} designations, as far as the official texts read"
        f" show ({with_text} of {program.get('persons', 0)} persons have one): {said}."
    )
    rows = [r for r in a.counted if themes.has_text(r)]
    finding = _finding(
        a, text, "", len(groups) + len(abuses), len(groups) + len(abuses),
        definition="the whole vocabulary of the evidence rules (data/evidence/themes.toml,"
        " victims.toml) against what the texts read show for every designation of the"
        " program; a designation without a text read shows nothing either way",
    )  # fmt: skip
    finding.update(measure="coverage", source_ids=[r["source_id"] for r in rows])
    return finding


_FIRST = {
    "basis": lambda v: f"the first designation for {_BASIS_WORDS.get(v, v)}",
    "theme": lambda v: f"the first designation for {words(v)}",
    "victim_group": lambda v: (
        f"the first designation whose text names {words(v)} among the victims"
    ),
    "role": lambda v: f"the first {v} designated",
}


def _precedents(a: Annual) -> list[Finding]:
    out = []
    for p in a.precedents:
        if p["kind"] not in _FIRST:
            continue
        maybe = "" if p["certain"] and p["in_year"] == "certain" else "possibly "
        when = (
            _day(p["date"])
            if p["date_quality"] == "exact"
            else f"between {p['not_before']} and {p['not_after']}"
        )
        what = _FIRST[p["kind"]](p["value"])
        text = (
            f"{maybe}{what} under the program, as far as the texts read show: {p['name']}, {when}."
        )
        text = text[0].upper() + text[1:]
        rivals = f"; may have been preceded by {', '.join(p['rivals'])}" if p["rivals"] else ""
        out.append(
            {
                "text": text,
                "definition": f"{scope(a)}: first designation whose {p['kind']} is"
                f" {p['value']}: " + (p["evidence"] or "") + rivals,
                "measure": "precedent",
                "value": p["value"],
                "window": a.window,
                "source_ids": [p["source_id"]],
            }
        )
    return out


def _quality(a: Annual) -> Finding:
    q = a.quality
    days = q["bracket_days"]
    text = (
        f"How the dates of the {q['counted']} designations counted are known: {q['exact']}"
        f" exactly, {q['bracket']} between two snapshots (median {days['median']:g}, at most"
        f" {days['max']} days apart), {q['baseline']} only as on or before the first snapshot;"
        f" {amount(q['possible'], q['possible'], 'designation', 'designations')} may belong to"
        " a neighbouring year and count only in the upper bound."
    )
    finding = _finding(a, text, "", q["counted"], q["counted"], definition="how each date is known")
    finding.update(measure="designations", source_ids=[r["source_id"] for r in a.counted])
    return finding


def of(a: Annual) -> list[Finding]:
    label = describe(a.year, a.year_end)
    found: list[Finding | None] = [
        _persons(a, label),
        _without_ties(a),
        _direct(a),
        _texts(a),
        _linked_leaders(a),
        _since(a),
        _property(a),
        _delisted(a),
        _largest_action(a),
        _countries(a),
        _themes(a),
        _never(a),
        *_precedents(a),
        _quality(a),
    ]
    return [f for f in found if f is not None]
