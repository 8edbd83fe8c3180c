"""The recommendations tracker: importing the template (CSV and spreadsheet), rejecting
bad files whole, the outcomes of the sample found by matching against the real lists,
the report's numbers checked against outcomes worked out by hand from the lists, review,
withdrawal, and re-evaluation at every build."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from magnitsky import build, settings
from magnitsky.recommendations import analysis, imports, outcomes, tracker
from magnitsky.recommendations.model import themes, victim_groups
from magnitsky.report import recommendations as section
from magnitsky.store import open_store
from tests.history_fixtures import history

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "recommendations-sample.csv"
SAMPLE_XLSX = ROOT / "docs" / "recommendations-sample.xlsx"
TEMPLATE_XLSX = ROOT / "docs" / "recommendations-template.xlsx"
TEMPLATE_DOC = ROOT / "docs" / "recommendations-template.md"
PRIVATE_NAMES = ("Varek Osmundsen-Tiril", "Ilsabet Quorrin Marvello", "Tobiah Ferrante-Quisling")
INVENTED = (*PRIVATE_NAMES, "Brennhold Tarn Minerals Ltd")


def magnitsky(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "magnitsky.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def sample_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real store with the sample imported (its tracker in the main store file)."""
    path = tmp_path_factory.mktemp("recommended") / "magnitsky.duckdb"
    shutil.copy(built_store, path)
    done = magnitsky(path, "recommendations", "import", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert "13 recommendations imported" in done.stdout
    return path


def listed(db: Path) -> dict[tuple[str, str], dict[str, object]]:
    done = magnitsky(db, "recommendations", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    return {(r["ref"], r["government"]): r for r in json.loads(done.stdout)}


# --- the template and the sample ------------------------------------------------------


def test_the_spreadsheet_and_the_csv_sample_read_the_same() -> None:
    from_csv = imports.parse_file(SAMPLE)
    from_xlsx = imports.parse_file(SAMPLE_XLSX)
    assert len(from_csv) == 13
    assert from_csv == from_xlsx
    salameh = next(r for r in from_csv if r.ref == "S-2023-01")
    assert set(salameh.governments) == {"US", "GB", "EU"}
    assert salameh.conduct == ("corruption",) and salameh.country == "LB"
    assert salameh.confidentiality == "coalition"


def test_the_template_documents_every_column_and_the_vocabulary() -> None:
    header, rows = imports.read_rows(TEMPLATE_XLSX)
    assert header == list(imports.COLUMNS) and rows == []
    assert set(imports.COLUMNS) == set(imports.REQUIRED) | set(imports.OPTIONAL)
    doc = TEMPLATE_DOC.read_text("utf-8")
    for word in (*imports.COLUMNS, *themes(), *victim_groups(), "public", "coalition", "private"):
        assert f"`{word}`" in doc, word
    with SAMPLE.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(imports.COLUMNS)


# --- bad imports ----------------------------------------------------------------------


def _write(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...]) -> Path:
    if path.suffix == ".xlsx":
        imports.write_spreadsheet(rows, path, columns)
        return path
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD = {
    "ref": "T-1",
    "name": "Invented Person One",
    "country": "RU",
    "conduct": "human_rights",
    "organisations": "Test Org",
    "submitted": "US 2023-01-01",
    "confidentiality": "private",
}
FUTURE = (date.today() + timedelta(days=3)).isoformat()


@pytest.fixture()
def empty_store(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "empty.duckdb"
    open_store(path).close()
    yield path


def _tables(db: Path) -> list[str]:
    with open_store(db, read_only=True) as store:
        return sorted(
            t
            for (t,) in store.rows("SELECT table_name FROM information_schema.tables")
            if t.startswith("recommendation")
        )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_bad_file_is_rejected_whole_with_each_row_and_reason(
    empty_store: Path, tmp_path: Path, suffix: str
) -> None:
    rows = [
        GOOD,
        {**GOOD, "ref": "T-2", "submitted": "FR 2023-01-01"},
        {**GOOD, "ref": "T-3", "submitted": f"GB {FUTURE}"},
        {**GOOD, "ref": "T-4", "name": "  "},
        {**GOOD, "ref": "T-5", "confidentiality": "secret"},
        {**GOOD, "ref": "T-6", "themes": "kidnapping"},
    ]
    bad = _write(tmp_path / f"bad{suffix}", rows, (*GOOD, "themes"))
    before = _tables(empty_store)
    done = magnitsky(empty_store, "recommendations", "import", str(bad))
    assert done.returncode == 1
    err = done.stderr
    assert "nothing imported" in err and bad.name in err
    assert "row 3: unknown government 'FR'" in err
    assert f"row 4: submitted to GB: {FUTURE} is in the future" in err
    assert "row 5: the name is empty" in err
    assert "row 6: confidentiality 'secret'" in err
    assert "row 7: unknown theme 'kidnapping'" in err
    assert "row 2:" not in err  # the good row is fine, and not imported either
    assert _tables(empty_store) == before == []


def test_missing_columns_are_named(empty_store: Path, tmp_path: Path) -> None:
    columns = tuple(c for c in GOOD if c not in ("submitted", "country"))
    bad = _write(tmp_path / "missing.csv", [GOOD], columns)
    done = magnitsky(empty_store, "recommendations", "import", str(bad))
    assert done.returncode == 1
    assert "missing columns: country, submitted" in done.stderr
    assert _tables(empty_store) == []


def test_a_file_whose_ref_is_taken_imports_nothing(empty_store: Path, tmp_path: Path) -> None:
    first = _write(tmp_path / "one.csv", [GOOD], tuple(GOOD))
    assert magnitsky(empty_store, "recommendations", "import", str(first)).returncode == 0
    second = _write(tmp_path / "two.csv", [{**GOOD, "ref": "T-9"}, GOOD], tuple(GOOD))
    done = magnitsky(empty_store, "recommendations", "import", str(second))
    assert done.returncode == 1 and "row 3: the ref 'T-1' is already used" in done.stderr
    with open_store(empty_store, read_only=True) as store:
        assert store.rows("SELECT ref FROM recommendations") == [("T-1",)]


def test_a_withdrawal_before_submission_and_a_future_birth_are_rejected() -> None:
    today = date(2024, 1, 1)
    with pytest.raises(imports.RowError, match="before it was first submitted"):
        imports.parse_row({**GOOD, "withdrawn": "2022-12-01"}, today, "t")
    with pytest.raises(imports.RowError, match="birth date 2025 is in the future"):
        imports.parse_row({**GOOD, "birth_date": "2025"}, today, "t")
    with pytest.raises(imports.RowError, match="not a country"):
        imports.parse_row({**GOOD, "country": "Atlantis"}, today, "t")
    found = imports.parse_row({**GOOD, "submitted": "UK: 2023-02-01; US=2023-01-01"}, today, "t")
    assert [(s.government, s.submitted.isoformat()) for s in found.submissions] == [
        ("US", "2023-01-01"),
        ("GB", "2023-02-01"),
    ]


# --- outcomes of the sample, worked out by hand from the lists ---------------------------

# (ref, government): (outcome, program, listed_on, days after submission). The dates are
# those the official lists state (US: the 2023 change archive), the days counted by hand:
# Mikheev US 2022-10-03 -> 2023-03-03 = 28+30+31+31+28+3 = 151.
EXPECTED = {
    ("S-2021-01", "EU"): ("sanctioned", "EU-HR", "2021-03-02", 46),
    ("S-2021-01", "GB"): ("sanctioned_before", "GB-HR", "2020-07-06", -193),
    ("S-2021-01", "AU"): ("sanctioned", "AU-HUMAN", "2022-03-30", 210),
    ("S-2022-01", "US"): ("sanctioned", "US-GLOMAG", "2023-03-03", 151),
    ("S-2022-01", "EU"): ("sanctioned", "EU-HR", "2023-06-05", 245),
    ("S-2022-01", "GB"): ("sanctioned", "GB-RUSSIA", "2023-07-31", 301),
    ("S-2022-02", "US"): ("sanctioned", "US-GLOMAG", "2023-03-03", 78),
    ("S-2022-02", "AU"): ("sanctioned", "AU-AUTONOMOUS-RUSSIA", "2023-12-07", 357),
    ("S-2022-03", "GB"): ("sanctioned", "GB-HR", "2023-04-21", 141),
    ("S-2022-03", "US"): ("other_only", None, None, None),
    # already under US-NPWMD (2021), designated again under the Magnitsky Act after
    ("S-2022-04", "US"): ("sanctioned", "US-MAGNITSKY", "2023-08-17", 350),
    ("S-2022-05", "GB"): ("open", None, None, None),
    ("S-2022-05", "EU"): ("open", None, None, None),
    ("S-2022-05", "US"): ("open", None, None, None),
    ("S-2023-01", "US"): ("sanctioned", "US-LEBANON", "2023-08-10", 162),
    ("S-2023-01", "GB"): ("sanctioned", "GB-AC", "2023-08-10", 162),
    ("S-2023-01", "EU"): ("other_only", None, None, None),
    ("S-2023-02", "US"): ("other_only", None, None, None),
    ("S-2023-03", "GB"): ("withdrawn", None, None, None),
    ("S-2023-04", "US"): ("open", None, None, None),
    ("S-2023-04", "GB"): ("open", None, None, None),
    ("S-2023-05", "AU"): ("open", None, None, None),
    ("S-2023-05", "CA"): ("open", None, None, None),
    ("S-2023-06", "EU"): ("review", None, None, None),
    ("S-2023-06", "CA"): ("review", None, None, None),
    ("S-2024-01", "US"): ("open", None, None, None),
}


def test_the_outcomes_of_the_sample_are_those_worked_out_by_hand(sample_store: Path) -> None:
    found = listed(sample_store)
    assert set(found) == set(EXPECTED)
    for key, (outcome, program, listed_on, days) in EXPECTED.items():
        row = found[key]
        assert (row["outcome"], row["program"], row["listed_on"], row["days"]) == (
            outcome,
            program,
            listed_on,
            days,
        ), key
    assert found[("S-2023-02", "US")]["others"] == ["AU", "EU"]
    assert found[("S-2023-01", "EU")]["others"] == ["CA", "GB", "US"]


def test_the_private_levels_filter_the_list(sample_store: Path) -> None:
    done = magnitsky(
        sample_store, "recommendations", "list", "--level", "public", "--format", "json"
    )
    refs = {r["ref"] for r in json.loads(done.stdout)}
    assert "S-2022-01" in refs and not refs & {"S-2023-01", "S-2023-04", "S-2022-05"}


def test_the_report_section_for_2023_has_the_numbers_worked_out_by_hand(
    sample_store: Path,
) -> None:
    with open_store(sample_store, read_only=True) as store:
        found = section.load(store, None, 2023, level="private")
    assert found is not None and found.cutoff == date(2023, 12, 31)
    t = found.tables
    per = {(r["government"], r["year"]): r for r in t["recommendations_by_government"].rows}
    # US, submitted in 2022: Mikheev 151, Lenskaya 78, Kudryavtsev 350 acted on; Samofal by
    # others only; Brennhold open. In 2023: Salameh acted on, Makorin others only, the
    # invented Varek open; S-2024-01 is after the cut-off.
    us22, us23 = per[("US", "2022")], per[("US", "2023")]
    assert (us22["sanctioned"], us22["other_only"], us22["open"]) == (3, 1, 1)
    assert (us23["sanctioned"], us23["other_only"], us23["open"]) == (1, 1, 1)
    assert per[("US", "all")]["acted_share"] == "4 of 8"
    gb = per[("GB", "all")]
    assert (gb["sanctioned"], gb["sanctioned_before"], gb["withdrawn"], gb["open"]) == (3, 1, 1, 2)
    eu = per[("EU", "all")]
    assert (eu["sanctioned"], eu["other_only"], eu["open"], eu["review"]) == (2, 1, 1, 1)
    # Lenskaya's AU listing (2023-12-07) falls inside the year: acted on
    assert per[("AU", "all")]["sanctioned"] == 2
    times = {r["government"]: r for r in t["recommendations_time"].rows}
    assert times["US"]["acted"] == 4 and times["US"]["median_days"] == (151 + 162) / 2
    assert times["GB"]["median_days"] == 162 and times["EU"]["median_days"] == (46 + 245) / 2
    assert times["all"]["acted"] == 11
    # Kaplan–Meier for the US: 8 at risk; acted on at 78, 151, 162; Brennhold censored at
    # 2023-12-31 (578 days), Samofal (395), Makorin (355), Varek (263); acted on at 350.
    us = [r for r in t["recommendations_survival"].rows if r["government"] == "US"]
    curve = {r["day"]: (r["at_risk"], r["acted"], r["censored"], r["survival"]) for r in us}
    assert curve[78] == (8, 1, 0, "0.875")
    assert curve[151] == (7, 1, 0, "0.750")
    assert curve[162] == (6, 1, 0, "0.625")
    assert curve[263] == (5, 0, 1, "0.625")
    assert curve[350] == (4, 1, 0, "0.469")  # 0.625 * 3/4
    assert curve[578] == (1, 0, 1, "0.469")
    ignored = {r["ref"] for r in t["recommendations_ignored"].rows}
    assert ignored == {"S-2022-03", "S-2023-01"}
    pairs = {(r["acted"], r["not_acted"]): r for r in t["recommendations_pairs"].rows}
    assert pairs[("GB", "US")]["acted_not_other"] == 1  # Samofal
    assert pairs[("US", "EU")]["acted_not_other"] == 1  # Salameh
    kinds = {(r["dimension"], r["value"]): r for r in t["recommendations_by_kind"].rows}
    assert kinds[("conduct", "corruption")]["acted_share"] == "2 of 8"
    assert kinds[("country", "LB")]["sanctioned"] == 2
    assert kinds[("victim_group", "women_and_girls")]["open"] == 2
    assert t["recommendations_withheld"].rows == []


def test_the_report_for_2023_has_the_section(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    done = magnitsky(
        sample_store, "report", "--program", "US-GLOMAG", "--year", "2023", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    page = (out / "index.html").read_text("utf-8")
    assert 'id="recommendations"' in page and "Kaplan–Meier" in page
    assert 'data-chart="recommendations_survival"' in page
    md = (out / "report.md").read_text("utf-8")
    assert "## Civil-society recommendations" in md
    for name in ("recommendations", "recommendations_by_government", "recommendations_survival"):
        assert (out / f"{name}.csv").is_file()
    withheld = list(csv.DictReader((out / "recommendations_withheld.csv").open()))
    assert {(r["confidentiality"], r["recommendations"]) for r in withheld} == {
        ("coalition", "3"),
        ("private", "2"),  # S-2024-01 is submitted after 2023
    }


def test_kaplan_meier_by_hand() -> None:
    rows = analysis.survival([(5, True), (5, False), (10, True), (12, False), (20, True)])
    got = [
        (r["day"], r["at_risk"], r["acted"], r["censored"], round(r["survival"], 4)) for r in rows
    ]
    assert got == [
        (0, 5, 0, 0, 1.0),
        (5, 5, 1, 1, 0.8),
        (10, 3, 1, 0, 0.5333),
        (12, 2, 0, 1, 0.5333),
        (20, 1, 1, 0, 0.0),
    ]
    assert analysis.median_survival(rows) == 20
    assert analysis.median_survival(rows[:4]) is None


# --- review, withdrawal, a store of its own, re-evaluation at build ---------------------


def test_confirming_a_possible_match_and_withdrawing_change_the_outcomes(
    sample_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, db)
    done = magnitsky(db, "recommendations", "review", "--format", "json")
    waiting = json.loads(done.stdout)
    assert {r["a"] for r in waiting} == {"recommendation:S-2023-06"}
    assert all(r["status"] == "possible" and 0.7 <= r["score"] < 0.9 for r in waiting)
    eu = next(r["b"] for r in waiting if r["b"].startswith("eu-"))
    done = magnitsky(db, "recommendations", "review", "--confirm", "S-2023-06", eu)
    assert done.returncode == 0, done.stderr
    done = magnitsky(db, "recommendations", "withdraw", "S-2023-02", "--on", "2023-06-01")
    assert done.returncode == 0, done.stderr
    found = listed(db)
    # the confirmed EU listing brings its person: Canada's listing too (2023-08-17)
    assert (found[("S-2023-06", "EU")]["outcome"], found[("S-2023-06", "EU")]["days"]) == (
        "sanctioned",
        127,
    )
    assert (found[("S-2023-06", "CA")]["program"], found[("S-2023-06", "CA")]["days"]) == (
        "CA-RUSSIA",
        155,
    )
    assert found[("S-2023-02", "US")]["outcome"] == "withdrawn"
    assert magnitsky(db, "recommendations", "review", "--format", "json").stdout.strip() in (
        "[]",
        "",
    )


def test_a_store_file_of_their_own(sample_store: Path, tmp_path: Path) -> None:
    main = tmp_path / "main.duckdb"
    own = tmp_path / "recommendations.duckdb"
    shutil.copy(sample_store, main)
    with open_store(main) as store:
        for table in ("outcomes", "matches", "judgements", "submissions", "meta"):
            store.con.execute(f"DROP TABLE recommendation_{table}")
        store.con.execute("DROP TABLE recommendations")
    env = {"MAGNITSKY_RECOMMENDATIONS_DB": str(own)}
    done = magnitsky(main, "recommendations", "import", str(SAMPLE_XLSX), env=env)
    assert done.returncode == 0, done.stderr
    assert _tables(main) == []
    with open_store(main, read_only=True) as store, tracker.open_tracker(store, own, True) as t:
        assert t.separate and len(tracker.load(t)) == 13
        rows = outcomes.stored(t)
    assert {(r["ref"], r["government"]): r["outcome"] for r in rows} == {
        k: v[0] for k, v in EXPECTED.items()
    }


def test_a_build_re_evaluates_the_outcomes(tmp_path: Path) -> None:
    files = history(tmp_path / "all")
    data = tmp_path / "data"
    snapshots = data / "us" / "ofac" / "snapshots"
    snapshots.mkdir(parents=True)
    shutil.copy(files["2023-01-10"], snapshots)
    db = tmp_path / "small.duckdb"
    with open_store(db) as store:
        build.build(store, settings.load(), data)
    rec = _write(
        tmp_path / "one.csv",
        [
            {
                **GOOD,
                "name": "New Judge",
                "birth_date": "1965-05-05",
                "nationality": "Brazil",
                "submitted": "US 2023-01-20",
            }
        ],
        (*GOOD, "birth_date", "nationality"),
    )
    assert magnitsky(db, "recommendations", "import", str(rec)).returncode == 0
    assert listed(db)[("T-1", "US")]["outcome"] == "open"
    shutil.copy(files["2023-02-10"], snapshots)
    with open_store(db) as store:
        build.build(store, settings.load(), data)
    row = listed(db)[("T-1", "US")]
    assert (row["outcome"], row["program"], row["listed_on"], row["days"]) == (
        "sanctioned",
        "US-GLOMAG",
        "2023-02-10",
        21,
    )


def test_the_others_column_names_only_governments_that_had_acted_by_the_year_end(
    sample_store: Path,
) -> None:
    """Each other government is named in a year's report only if it had sanctioned the
    person by the end of that year (the tracker keeps when each first did)."""
    with open_store(sample_store, read_only=True) as store, tracker.open_tracker(
        store, None, read_only=True
    ) as t:
        rows = {(r["ref"], r["government"]): r for r in outcomes.stored(t)}
    later = 0
    for year in (2021, 2022, 2023):
        with open_store(sample_store, read_only=True) as store:
            found = section.load(store, None, year, level="private")
        assert found is not None
        for shown in found.tables["recommendations"].rows:
            row = rows[(shown["ref"], shown["government"])]
            firsts = dict(zip(row["others"], row["others_first"], strict=True))
            expected = sorted(j for j, on in firsts.items() if on <= found.cutoff)
            assert shown["others"] == expected, (year, shown["ref"], firsts)
            later += len(firsts) - len(expected)
    assert later > 0  # some other government acted after one of these years


def test_a_tracker_evaluated_before_the_dates_were_kept_falls_back_to_the_first() -> None:
    row = {"others": ["GB", "CA"], "others_first": None, "first_other": date(2020, 1, 1)}
    assert analysis._others_by(row, date(2021, 12, 31)) == ["CA", "GB"]
    assert analysis._others_by(row, date(2019, 12, 31)) == []
    row["others_first"] = [date(2020, 1, 1), date(2024, 5, 1)]
    assert analysis._others_by(row, date(2021, 12, 31)) == ["GB"]
