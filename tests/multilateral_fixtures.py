"""A small store of five jurisdictions whose multilateral answers are known in advance,
for the analysis of the report's allies section and for the report's tests.

- Zhu Hailun: the US in a bracket (Jun 2020 – Jan 2021), the EU and the UK on 22 March
  2021: the US certainly first, the others 67 days later (67–284 by the bracket);
- Wang Junzheng: the US and the UK the same exact day;
- Oleg Silchenko: the US on its first snapshot (a baseline: on or before 26 Jan 2018),
  Canada on 3 Nov 2017, the UK on 6 Jul 2020: who of the US and Canada was first is
  open; the UK followed, before its own program existed;
- Luis Reyes <"Reyes">: Canada only, 2017: a gap for the US;
- Nikolai Petrov: the UK under GB-HR, the US under a country regime only: a gap, but
  sanctioned by the US under another program;
- Kim Chol: Australia after the US's last list: not a gap (not known);
- Ming Chen: the US only;
- Riad Salameh: Canada on 4 August 2023, the UK six days later: a joint action.
"""

from __future__ import annotations

from datetime import date, datetime

from magnitsky.analysis.multilateral_section import MultilateralSection, section
from magnitsky.analysis.windows import window
from magnitsky.matching.persons import derive_persons
from magnitsky.store import Store, open_store
from tests.matching_helpers import designate

LAST_LISTS = {
    "us-ofac-sdn": date(2024, 5, 3),
    "gb-ofsi": date(2025, 4, 14),
    "eu-oj-annex": date(2026, 8, 22),
    "ca-sema": date(2025, 9, 22),
    "au-dfat": date(2024, 12, 17),
}
FIRST_LISTS = {
    "us-ofac-sdn": date(2018, 1, 26),
    "gb-ofsi": date(2022, 5, 4),
    "ca-sema": date(2020, 4, 15),
    "au-dfat": date(2022, 5, 5),
}
"""Every list but the EU annex has a history: the annex alone is one file (lower bounds)."""
REYES = 'Luis <i>"Reyes"</i> REYES'


def snapshot(store: Store, n: int, source: str, day: date) -> None:
    """An accepted snapshot of ``source`` on ``day`` (the lists' last dates)."""
    store.con.execute(
        "INSERT INTO snapshots (snapshot_id, source, as_of, as_of_date, content_hash, origin,"
        " rows, readable, imported_at, members, status) VALUES"
        " (?, ?, ?, ?, ?, 'hand-made', 1, true, ?, ''::BLOB, 'accepted')",
        [n, source, datetime(day.year, day.month, day.day), day, f"h{n}", datetime(2026, 1, 1)],
    )


def section_store() -> Store:
    store = open_store(None)
    dated = [*LAST_LISTS.items(), *FIRST_LISTS.items()]
    for n, (source, day) in enumerate(dated, start=1):
        snapshot(store, n, source, day)
    joint = date(2021, 3, 22)
    designate(
        store, "us-ofac-sdn", "29219", "ZHU, Hailun", "US-GLOMAG",
        (date(2020, 6, 11), date(2021, 1, 14)),
    )
    designate(store, "eu-oj-annex", "I.A/5", "ZHU Hailun", "EU-HR", joint)
    designate(store, "gb-ofsi", "14078", "HAILUN ZHU", "GB-HR", joint)
    designate(store, "us-ofac-sdn", "31492", "WANG, Junzheng", "US-GLOMAG", joint)
    designate(store, "gb-ofsi", "14077", "JUNZHENG WANG", "GB-HR", joint)
    designate(
        store, "us-ofac-sdn", "15880", "SILCHENKO, Oleg F.", "US-MAGNITSKY",
        (None, date(2018, 1, 26)),
    )
    designate(store, "ca-sema", "JVCFOA/1/1/50", "Oleg F. SILCHENKO", "CA-JVCFOA",
              date(2017, 11, 3))
    designate(store, "gb-ofsi", "13890", "Oleg F SILCHENKO", "GB-HR",
              date(2020, 7, 6))
    designate(store, "ca-sema", "JVCFOA/1/1/5", REYES, "CA-JVCFOA", date(2017, 11, 3))
    designate(store, "gb-ofsi", "15001", "Nikolai PETROV", "GB-HR", date(2022, 1, 10))
    designate(store, "us-ofac-sdn", "40001", "PETROV, Nikolai", "US-RUSSIA-EO14024",
              date(2022, 3, 1))
    designate(store, "au-dfat", "8001", "KIM Chol", "AU-HUMAN", date(2024, 7, 1))
    designate(store, "us-ofac-sdn", "77", "CHEN, Ming", "US-GLOMAG", date(2021, 12, 10))
    designate(store, "ca-sema", "JVCFOA/1/1/71", "Riad SALAMEH", "CA-JVCFOA", date(2023, 8, 4))
    designate(store, "gb-ofsi", "16068", "Riad SALAMEH", "GB-AC", date(2023, 8, 10))
    derive_persons(store)
    return store


def make_section(year: int = 2021) -> MultilateralSection:
    with section_store() as store:
        found = section(store, "US-GLOMAG", window(year))
    assert found is not None
    return found
