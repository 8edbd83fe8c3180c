"""A hand-made annual analysis for the report's tests: small, with every case the report
must show (an exact date, a bracket that may fall in the year, a baseline, ties, an
unknown basis, a vessel, text that must be escaped)."""

from __future__ import annotations

from datetime import date
from typing import Any

from magnitsky.analysis.annual import Annual
from tests.multilateral_fixtures import make_section


def designation(source_id: str, name: str, schema: str, day: date | None, **extra: Any) -> dict[str, Any]:
    lo = extra.pop("not_before", day)
    hi = extra.pop("not_after", day)
    return {
        "jurisdiction": "US", "program": "US-GLOMAG", "tag": "GLOMAG", "source": "us-ofac",
        "source_id": source_id, "name": name, "schema": schema,
        "listed_on": day or hi, "listed_not_before": lo, "listed_not_after": hi,
        "date_quality": "exact" if lo == hi else "bracket",
        "date_source": "sdnnew23.txt" if lo == hi else "snapshots",
        "delisted_on": None, "delisted_not_before": None, "delisted_quality": None,
        "delisted_source": None, "linked_to": [], "title": None, "countries": ["Paraguay"],
        "aliases": [], "record_hash": 1,
        "basis": "corruption", "basis_evidence": "Treasury press release jy1234",
        "basis_source": "list", "themes": [], "victim_groups": [], "evidence_url": None,
        "evidence_text": None,
        "roles": [], "role_evidence": [], "country_codes": ["PY"], "regions": ["Americas"],
        "certain": True,
        **extra,
    }


EVIDENCE_URL = "https://home.treasury.gov/news/press-releases/jy1958"
EVIDENCE_TEXT = "Example <b>tortured</b> journalists & critics in custody."


def counted() -> list[dict[str, Any]]:
    return [
        designation("101", "CARTES JARA, Horacio Manuel", "Person", date(2023, 1, 26),
                    roles=["head of state"], role_evidence=["former President of Paraguay"]),
        designation("102", "TABESA <S.A.> & Co", "Organization", date(2023, 1, 26),
                    basis="ties", basis_evidence="Linked To: CARTES JARA, Horacio Manuel.",
                    linked_to=["CARTES JARA, Horacio Manuel"]),
        designation("103", "JUDGE, Example", "Person", date(2023, 12, 8),
                    basis="human_rights", roles=["judge"], country_codes=["RU"],
                    regions=["Europe"], countries=["Russia"],
                    basis_evidence="https://home.treasury.gov/news/press-releases/jy1958",
                    basis_source="official text", themes=["torture"],
                    victim_groups=["journalists"], evidence_url=EVIDENCE_URL,
                    evidence_text=EVIDENCE_TEXT),
        designation("104", "SOMEONE, Bracketed", "Person", None, not_before=date(2022, 12, 20),
                    not_after=date(2023, 1, 21), certain=False, basis="unknown",
                    basis_evidence=None, basis_source=None, country_codes=[], regions=[]),
        designation("105", "SHIP ONE", "Vessel", date(2023, 12, 8), basis="ties",
                    country_codes=["RU"], regions=["Europe"]),
    ]


def theme(kind: str, label: str, lo: int, hi: int, names: list[str]) -> dict[str, Any]:
    return {"kind": kind, "label": label, "name": label.replace("_", " "), "min": lo,
            "max": hi, "count": hi, "names": names}


def yearly() -> list[dict[str, Any]]:
    keys = ("persons", "individuals", "entities", "vessels", "aircraft", "direct", "ties",
            "human_rights", "corruption", "unknown", "delisted")

    def row(year: int, **values: tuple[int, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"year": year}
        for k in keys:
            lo, hi = values.get(k, (0, 0))
            out[f"{k}_min"], out[f"{k}_max"] = lo, hi
        return out

    return [
        row(2021, persons=(10, 14), individuals=(6, 8), entities=(4, 6), direct=(6, 9),
            human_rights=(4, 6), corruption=(2, 3), ties=(4, 5)),
        row(2022, persons=(8, 9), individuals=(5, 6), entities=(3, 3), direct=(5, 5),
            human_rights=(3, 3), corruption=(2, 2), ties=(3, 3), unknown=(0, 1)),
        row(2023, persons=(3, 4), individuals=(2, 3), entities=(1, 1), vessels=(1, 1),
            direct=(2, 2), human_rights=(1, 1), corruption=(1, 1), ties=(1, 1),
            unknown=(0, 1)),
    ]


def make_annual() -> Annual:
    rows = counted()
    found = Annual(
        program="US-GLOMAG", year=2023, year_end=(12, 31),
        window=(date(2023, 1, 1), date(2023, 12, 31)), average_years=2,
        designations=[*rows, designation("99", "OLD, Listing", "Person", date(2021, 3, 1),
                                              delisted_on=date(2023, 5, 1))],
        counted=rows,
        yearly=yearly(),
        average={
            "years": [2021, 2022], "short": False, "ranges": [2021, 2022],
            "change_percent": {"min": -73.9, "max": -55.6},
            "persons": {"min": 9.0, "max": 11.5, "total": {"min": 18, "max": 23},
                        "value": {"min": 3, "max": 4},
                        "change_percent": {"min": -73.9, "max": -55.6}, "ranges": [2021, 2022]},
        },
        findings=[
            {"text": "A 67 percent drop from the two-year average in persons sanctioned for"
                     " direct involvement.",
             "definition": "Direct involvement: designated under section 1(a)(ii) of E.O."
                           " 13818 (abuse or corruption), not solely for ties.",
             "measure": "direct", "value": 2},
             {"text": "Steeper when persons sanctioned for <ties> are included.",
              "definition": "Ties: designated solely as owned by, acting for or supporting a"
                            " blocked person (section 1(a)(iii)).",
              "measure": "persons", "value": 3,
              "source_ids": ["101", "102", "103", "104"]},
             {"text": "1 person was delisted.", "definition": "persons delisted",
              "measure": "delisted", "value": 1, "source_ids": ["99"]},
        ],
        countries=[{"code": "PY", "name": "Paraguay", "count": 2},
                   {"code": "RU", "name": "Russia", "count": 1}],
        regions=[{"name": "Americas", "count": 2}, {"name": "Europe", "count": 1}],
        roles=[{"role": "head of state", "count": 1}, {"role": "judge", "count": 1}],
        actions=[{"date": date(2023, 1, 26), "count": 2},
                 {"date": date(2023, 12, 8), "count": 2}],
        precedents=[{"kind": "perpetrator", "value": "judge", "date": date(2023, 12, 8),
                     "date_quality": "exact", "name": "JUDGE, Example", "source_id": "103",
                     "evidence": "first judge designated under E.O. 13818"}],
        quality={"exact": 3, "bracket": 1, "baseline": 0,
                 "bracket_days": {"max": 32, "median": 32}, "unknown_basis": 1},
        themes=[theme("abuse", "torture", 1, 1, ["JUDGE, Example"]),
                theme("victim group", "journalists", 1, 1, ["JUDGE, Example"])],
        themes_by_year=[{"year": 2022, **theme("abuse", "torture", 0, 1, ["OLD, Listing"])},
                        {"year": 2023, **theme("abuse", "torture", 1, 1, ["JUDGE, Example"])},
                        {"year": 2023, **theme("victim group", "journalists", 1, 1,
                                               ["JUDGE, Example"])}],
        coverage=[
            {"kind": "abuse", "label": "torture", "name": "torture", "program": 2,
             "year_min": 1, "year_max": 1, "status": "in 2023",
             "first": "OLD, Listing (2021-03-01)", "source_ids": ["99", "103"]},
            {"kind": "abuse", "label": "forced_labour", "name": "forced labour", "program": 0,
             "year_min": 0, "year_max": 0, "status": "never addressed", "first": None,
             "source_ids": []},
            {"kind": "victim group", "label": "children", "name": "children", "program": 0,
             "year_min": 0, "year_max": 0, "status": "never addressed", "first": None,
             "source_ids": []},
            {"kind": "victim group", "label": "journalists", "name": "journalists",
             "program": 1, "year_min": 1, "year_max": 1, "status": "in 2023",
             "first": "JUDGE, Example (2023-12-08)", "source_ids": ["103"]},
        ],
        text_evidence={"year": {"persons": 4, "with_text": 1, "basis_from_text": 1},
                       "program": {"persons": 5, "with_text": 2, "basis_from_text": 2}},
    )
    found.multilateral = make_section(2023)  # the allies section, from a small real store
    return found
