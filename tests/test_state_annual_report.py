"""The State Department's Global Magnitsky annual report as the Federal Register prints it
(a fixture written after its published layout: no real copy is at hand)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import ReaderError
from magnitsky.readers import state_annual_report


def test_reads_the_year_and_each_dated_action_under_its_heading(fixtures: Path) -> None:
    report = state_annual_report.read(fixtures / "texts/state_gloma_report_2023.txt")

    assert (report.year, report.published, report.document) == (
        2023,
        date(2024, 2, 23),
        "2024-03532",
    )
    assert [(d.action_date, d.heading) for d in report.designations] == [
        (date(2023, 12, 8), "Serious Human Rights Abuse"),
        (date(2023, 4, 28), "Serious Human Rights Abuse"),
        (date(2023, 6, 5), "Corruption"),
    ]
    # The sentence of the action, not its neighbours; the approval of the report
    # ("On January 25, 2024, the Under Secretary … approved") is no action.
    assert report.designations[1].sentence.endswith("peaceful protesters.")
    assert "Inventado led the unit" in report.designations[1].paragraph


def test_an_ofac_notice_is_not_the_report(fixtures: Path) -> None:
    with pytest.raises(ReaderError, match="Global Magnitsky Human Rights Accountability Act"):
        state_annual_report.read(fixtures / "texts/fr_2019-05-17_glomag.txt")


def test_a_report_without_its_year_or_actions_is_refused(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "texts/state_gloma_report_2023.txt").read_text()
    no_year = tmp_path / "no_year.txt"
    no_year.write_text(text.replace("implementation of the Act in the 2023", "its work in"))
    with pytest.raises(ReaderError, match="does not say its year"):
        state_annual_report.read(no_year)
    head = text[: text.index("Serious Human Rights Abuse")]
    no_actions = tmp_path / "no_actions.txt"
    no_actions.write_text(head)
    with pytest.raises(ReaderError, match="no dated designation"):
        state_annual_report.read(no_actions)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReaderError, match="empty"):
        state_annual_report.read(empty)


def test_each_designee_is_a_dated_action_with_facts_in_the_store(
    fixtures: Path, tmp_path: Path
) -> None:
    from magnitsky import build, settings
    from magnitsky.store import open_store

    with open_store(tmp_path / "db.duckdb") as store:
        build.add_texts(store, settings.load(), [fixtures / "texts/state_gloma_report_2023.txt"])
        actions = store.rows(
            "SELECT name, action_date, tags FROM actions ORDER BY action_date, name"
        )
        kinds = store.rows("SELECT kind, published FROM texts")
        labels = {r[0] for r in store.rows("SELECT label FROM facts WHERE kind = 'basis'")}

    assert [(n, d, list(t)) for n, d, t in actions] == [
        ("Carlos Inventado", date(2023, 4, 28), ["GLOMAG"]),
        ("Sami Imaginario", date(2023, 6, 5), ["GLOMAG"]),
        ("Ivan Madeupov", date(2023, 12, 8), ["GLOMAG"]),
        ("Petra Fictiva", date(2023, 12, 8), ["GLOMAG"]),
    ]
    assert kinds == [("state_report", date(2024, 2, 23))]
    assert labels  # the basis each paragraph states is read, as in a press release


def test_a_designee_linked_to_no_entry_makes_no_designation(
    shared_data: Path, fixtures: Path, tmp_path: Path
) -> None:
    """The report retells Treasury's actions: a designee it names that links to no list
    entry ("Jefferson Tamba Koijee": the list has KOIJEE, Jefferson) is reported as not
    linked, never made a designation of its own; the others date their entries."""
    import shutil

    from magnitsky import build, settings
    from magnitsky.history.unlisted import recount_coverage
    from magnitsky.store import open_store
    from tests.official_sites import latest_sdn_csv

    archive = tmp_path / "archive"
    (archive / "us/ofac/snapshots").mkdir(parents=True)
    (archive / "us/ofac/snapshots/sdn_2026-12-03.csv").write_bytes(
        latest_sdn_csv(shared_data, tmp_path / "work")
    )
    (archive / "us/state/global_magnitsky_reports").mkdir(parents=True)
    shutil.copy(
        fixtures / "texts/state_gloma_report_2023_record.txt",
        archive / "us/state/global_magnitsky_reports/2024-03532.txt",
    )
    with open_store(tmp_path / "db.duckdb") as store:
        build.build(store, settings.load(), archive)
        links = dict(
            store.rows(
                "SELECT a.name, l.source_id FROM actions a JOIN action_links l"
                " USING (document_id, seq) JOIN texts t USING (document_id)"
                " WHERE t.kind = 'state_report'"
            )
        )
        made = store.rows(
            "SELECT source_id, name, date_quality, date_source FROM designations"
            " WHERE date_source LIKE '%2024-03532%'"
        )
        exact = store.rows(
            "SELECT DISTINCT source_id FROM designations WHERE date_quality = 'exact'"
            " AND program = 'US-GLOMAG'"
        )
        coverage = recount_coverage(store)

    assert links["Jefferson Tamba Koijee"] is None
    linked = {sid for sid in links.values() if sid}
    assert len(linked) == len(links) - 1
    assert all(not sid.startswith("name:") for sid, *_ in made)  # none from the text alone
    assert {sid for sid, *_ in made} == linked  # each linked designee is dated by it
    assert linked <= {sid for (sid,) in exact}
    assert coverage == [
        f"2024-03532.txt: {len(linked)} of {len(links)} designees linked to a list entry;"
        " not linked, no designation made from the text: Jefferson Tamba Koijee"
    ]
