"""The designations browser's selection: filters (the CLI's ``designations`` options and
the browser's own), a sort order and a page, read from the query string and applied to
the catalogue's designations.

``listed_from`` / ``listed_to`` keep the CLI's meaning: the listing is *known* to lie
within (a bracket must lie wholly inside). ``year`` takes every designation whose listing
*may* fall in the year (its bracket overlaps it): the "at most" of the yearly counts;
combine ``listed_from``/``listed_to`` with the year's first and last day for the "at
least".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlencode

from rigour.territories import get_territories
from starlette.datastructures import QueryParams

from magnitsky.analysis.basis import BASES, DIRECT
from magnitsky.analysis.countries import resolve
from magnitsky.analysis.measures import placement
from magnitsky.analysis.roles import ROLES, from_text
from magnitsky.analysis.texts import THEMES, VICTIM, vocabulary
from magnitsky.analysis.windows import CALENDAR, window
from magnitsky.history.dating import DATE_QUALITIES
from magnitsky.listing import SCHEMAS
from magnitsky.web import params
from magnitsky.web.catalogue import MAGNITSKY, Catalogue, Row

QUALITIES = DATE_QUALITIES
SORTS: dict[str, Callable[[Row], Any]] = {
    "listed": lambda r: (r["listed_not_after"], r.get("listed_not_before") or date.min),
    "name": lambda r: r["name"].casefold(),
    "program": lambda r: r["program"],
    "jurisdiction": lambda r: r["jurisdiction"],
    "schema": lambda r: r["schema"],
    "date_quality": lambda r: r["date_quality"],
    "delisted": lambda r: (r.get("delisted_on") is None, r.get("delisted_on") or date.min),
    "basis": lambda r: r.get("basis") or "",
}
ANALYSED_SORTS = ("basis",)
ANALYSED_FILTERS = ("basis", "country", "role", "theme", "victim_group")


@cache
def roles() -> tuple[str, ...]:
    """Every role a designation can have: the list's rules and the official texts'."""
    return tuple(dict.fromkeys([*ROLES, *(from_text(r) for r in vocabulary().get("role", ()))]))


def themes() -> tuple[str, ...]:
    return tuple(t for kind in THEMES for t in vocabulary().get(kind, ()))


def victim_groups() -> tuple[str, ...]:
    return vocabulary().get(VICTIM, ())


ALIASES = {"UK": "GB", "EL": "GR"}
"""Codes in common use that ISO 3166-1 gives otherwise (the EU writes EL for Greece)."""


def country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code (``UK`` is read as ``GB``), or a country name the CLI
    would also accept. A two-letter code that names no country is refused with the list of
    codes, never read as a country with no designation."""
    if len(text) == 2 and text.isalpha():
        code = ALIASES.get(text.upper(), text.upper())
        if code not in country_codes():
            raise ValueError(
                f"not a country code: {text!r}; the codes are ISO 3166-1 alpha-2:"
                f" {', '.join(country_codes())}"
            )
        return code
    found = resolve(text)
    if not found:
        raise ValueError(f"not a known country: {text!r} (give a code such as RU, or a name)")
    return found


@cache
def country_codes() -> tuple[str, ...]:
    """Every country code rigour knows (Kosovo's XK included; not ZZ, "global", nor EU)."""
    return tuple(
        sorted(
            {
                t.ftm_country.upper()
                for t in get_territories()
                if t.ftm_country and len(t.ftm_country) == 2
            }
            - {"ZZ", "EU"}
        )
    )


def sort_order(text: str) -> str:
    if text.lstrip("-") not in SORTS:
        raise ValueError(f"expected one of {', '.join(SORTS)} (a leading - reverses); got {text!r}")
    return text


def spec(catalogue: Catalogue, max_page: int) -> dict[str, params.Reader]:
    """The parameters of the designations (page, API and download), in the form's order."""
    return {
        "jurisdiction": params.choice(catalogue.jurisdictions),
        "program": params.choice((MAGNITSKY, *catalogue.programs())),
        "year": params.integer(1900, 2100),
        "year_end": params.year_end,
        "listed_from": params.iso_date,
        "listed_to": params.iso_date,
        "basis": params.choice([*BASES, "direct"]),
        "country": country,
        "role": params.choice(roles()),
        "theme": params.choice(themes()),
        "victim_group": params.choice(victim_groups()),
        "schema": params.choice(SCHEMAS),
        "date_quality": params.choice(QUALITIES),
        "name": params.plain_text,
        "sort": sort_order,
        "page": params.integer(1, 1_000_000),
        "per_page": params.integer(1, max_page),
    }


@dataclass(frozen=True)
class Selection:
    filters: dict[str, Any]
    """Every filter parameter, None when not set."""
    sort: str
    page: int
    per_page: int
    query: dict[str, str]
    """The parameters as given (the non-empty ones): to build links that keep them."""

    @classmethod
    def of(
        cls, query: QueryParams, catalogue: Catalogue, page_size: int, max_page: int
    ) -> Selection:
        read = params.read(query, spec(catalogue, max_page))
        if read["year_end"] is not None and read["year"] is None:
            raise params.BadRequest("parameter 'year_end' needs 'year'")
        given = {k: v.strip() for k, v in query.items() if v.strip()}
        filters = {k: v for k, v in read.items() if k not in ("sort", "page", "per_page")}
        return cls(
            filters,
            read["sort"] or "listed",
            read["page"] or 1,
            read["per_page"] or page_size,
            given,
        )

    def analysed(self) -> bool:
        """Whether the selection needs every candidate analysed (not only the page)."""
        return self.sort.lstrip("-") in ANALYSED_SORTS or any(
            self.filters.get(k) for k in ANALYSED_FILTERS
        )

    def basis_only(self) -> bool:
        """Whether the basis is all the analysis the selection needs (not the page)."""
        return not any(self.filters.get(k) for k in ANALYSED_FILTERS if k != "basis")

    def link(self, **changes: Any) -> str:
        """The query string of this selection with some parameters changed (None: drop)."""
        query = dict(self.query)
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = str(value)
        return "?" + urlencode(query) if query else "?"

    def filter_query(self) -> str:
        """The filters and the order, without the page: the downloads of the selection."""
        kept = {k: v for k, v in self.query.items() if k not in ("page", "per_page")}
        return urlencode(kept)


def _equals(key: str, value: Any) -> Callable[[Row], bool]:
    return lambda r: bool(r[key] == value)


def _holds(field: str, value: Any) -> Callable[[Row], bool]:
    return lambda r: value in (r.get(field) or ())


def _base_tests(f: Mapping[str, Any]) -> list[Callable[[Row], bool]]:
    tests: list[Callable[[Row], bool]] = []
    for key in ("jurisdiction", "schema", "date_quality"):
        if f.get(key):
            tests.append(_equals(key, f[key]))
    if f.get("year"):
        win = window(f["year"], f.get("year_end") or CALENDAR)
        tests.append(lambda r: placement(r, win) is not None)
    if f.get("listed_from"):
        lo = f["listed_from"]
        tests.append(
            lambda r: r.get("listed_not_before") is not None and r["listed_not_before"] >= lo
        )
    if f.get("listed_to"):
        hi = f["listed_to"]
        tests.append(lambda r: r["listed_not_after"] <= hi)
    if f.get("name"):
        needle = f["name"].casefold()
        tests.append(
            lambda r: (
                needle in r["name"].casefold()
                or any(needle in a.casefold() for a in r.get("aliases") or ())
            )
        )
    return tests


FIELDS = {
    "basis": "basis",
    "country": "country_codes",
    "role": "roles",
    "theme": "themes",
    "victim_group": "victim_groups",
}
"""The field of the analysis each analysed filter (and the basis order) reads."""


def _read_fields(selection: Selection) -> list[str]:
    f = selection.filters
    read = [field for key, field in FIELDS.items() if f.get(key)]
    if selection.sort.lstrip("-") == "basis" and "basis" not in read:
        read.append("basis")
    return read


def _analysed_tests(f: Mapping[str, Any]) -> list[Callable[[Row], bool]]:
    tests: list[Callable[[Row], bool]] = []
    if f.get("basis"):
        wanted = DIRECT if f["basis"] == "direct" else (f["basis"],)
        tests.append(lambda r: r["basis"] in wanted)
    for key, field in (
        ("country", "country_codes"),
        ("role", "roles"),
        ("theme", "themes"),
        ("victim_group", "victim_groups"),
    ):
        if f.get(key):
            tests.append(_holds(field, f[key]))
    return tests


@dataclass
class Result:
    total: int
    rows: list[Row]
    """The page's designations, analysed."""
    pages: int


def apply(selection: Selection, catalogue: Catalogue) -> Result:
    """Filter, sort and cut the page (analysing the designations it needs). The filtered,
    sorted selection is kept (the store does not change): its other pages cost nothing."""
    key = (tuple(sorted(selection.filters.items())), selection.sort)
    chosen = catalogue.selections.get(key)
    if chosen is None:
        chosen = catalogue.selections.put(key, _select(selection, catalogue))
    start = (selection.page - 1) * selection.per_page
    page = chosen[start : start + selection.per_page]
    pages = max(1, -(-len(chosen) // selection.per_page))
    return Result(len(chosen), catalogue.enriched(page), pages)


def _select(selection: Selection, catalogue: Catalogue) -> list[int]:
    f = selection.filters
    base = _base_tests(f)
    rows = catalogue.designations
    where = catalogue.indices(f.get("program"), f.get("jurisdiction"))
    chosen = [i for i in where if all(t(rows[i]) for t in base)]
    pairs: list[tuple[int, Row]]
    if selection.analysed():
        tests = _analysed_tests(f)
        read = catalogue.based if selection.basis_only() else catalogue.enriched
        kept = catalogue.filterable(chosen, _read_fields(selection))  # none analysed
        if kept is not None:  # the fields read, with the designation's own for the order
            pairs = [
                (i, r if "name" in r else {**rows[i], **r})  # an analysed row is whole
                for i, r in zip(chosen, kept, strict=True)
                if all(t(r) for t in tests)
            ]
        else:
            found = read(chosen)
            pairs = [(i, r) for i, r in zip(chosen, found, strict=True) if all(t(r) for t in tests)]
    else:
        pairs = [(i, rows[i]) for i in chosen]
    key = selection.sort.lstrip("-")
    if key != "listed" or selection.sort.startswith("-"):
        pairs.sort(key=lambda p: SORTS[key](p[1]), reverse=selection.sort.startswith("-"))
    return [i for i, _ in pairs]


def needs_analysis(selection: Selection, catalogue: Catalogue) -> bool:
    """Whether applying the selection may take more than a moment: it is not kept yet
    and its designations are not all analysed (run it away from the event loop)."""
    f = selection.filters
    if (tuple(sorted(f.items())), selection.sort) in catalogue.selections:
        return False
    return not catalogue.analysed(catalogue.indices(f.get("program"), f.get("jurisdiction")))


def every(selection: Selection, catalogue: Catalogue) -> list[Row]:
    """Every designation of the selection, in its order, analysed: the downloads."""
    whole = Selection(selection.filters, selection.sort, 1, len(catalogue.designations) or 1, {})
    return apply(whole, catalogue).rows
