"""Official texts in the analysis: the basis a press release states overrides the list's
guess, and its themes, victim groups and roles reach the counts, the coverage of what was
never addressed, and the precedents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from magnitsky.analysis import precedents, themes
from magnitsky.analysis.annual import Annual, annual
from magnitsky.analysis.designations import annotate, list_only, load
from magnitsky.analysis.texts import OfficialTexts, vocabulary
from magnitsky.store import Store, open_store
from tests.text_fixtures import SILVA, URL, text_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return text_store(tmp_path_factory.mktemp("texts"))


@pytest.fixture()
def store(store_path: Path) -> Iterator[Store]:
    with open_store(store_path, read_only=True) as opened:
        yield opened


@pytest.fixture()
def year(store: Store) -> Annual:
    return annual(store, "US-GLOMAG", 2023)


def silva(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in rows if r["source_id"] == SILVA)


def test_the_basis_a_press_release_states_overrides_the_lists_unknown(store: Store) -> None:
    listed = silva(load(store, "US-GLOMAG", list_only))
    assert (listed["basis"], listed["basis_source"], listed["themes"]) == ("unknown", None, [])
    d = silva(load(store, "US-GLOMAG"))
    assert (d["listed_on"], d["date_quality"]) == (date(2023, 2, 3), "exact")
    assert (d["basis"], d["basis_source"]) == ("human_rights", "official text")
    assert d["basis_evidence"].startswith("human_rights (s. 1(a)(ii)(A)): ")
    assert URL in d["basis_evidence"] and "xx0001.html of 2023-02-03" in d["basis_evidence"]
    assert d["evidence_url"] == URL
    assert "led a human trafficking network that exploited women & migrants" in d["evidence_text"]
    assert "section 1(a)(ii)(A)" in d["evidence_text"]


def test_themes_victim_groups_and_roles_come_from_the_text(store: Store) -> None:
    d = silva(load(store, "US-GLOMAG"))
    assert d["themes"] == ["human_trafficking"]
    assert d["victim_groups"] == ["women_and_girls"]
    assert d["theme_evidence"][0].startswith("human_trafficking: 'human trafficking' in ")
    # the list's remarks show no role; the text's "a judge in Ruritania" does
    assert (d["roles"], d["role_sources"], d["text_roles"]) == (["judge"], ["official text"], ["judge"])
    assert d["role_evidence"][0].startswith("judge: 'judge' in 'Maria Silva (Silva), a judge")


def test_a_designation_without_a_text_keeps_the_list_and_has_no_themes(store: Store) -> None:
    shell = next(r for r in load(store, "US-GLOMAG") if r["source_id"] == "103")
    assert (shell["basis"], shell["basis_source"]) == ("ties", "list")
    assert shell["themes"] == shell["victim_groups"] == shell["roles"] == []
    assert shell["evidence_url"] is None and shell["evidence_text"] is None
    official = next(r for r in load(store, "US-GLOMAG") if r["source_id"] == "101")
    assert (official["basis"], official["basis_source"]) == ("unknown", None)


def test_the_year_counts_themes_and_victim_groups_as_ranges(year: Annual) -> None:
    assert [(t["kind"], t["label"], t["min"], t["max"], t["names"]) for t in year.themes] == [
        ("abuse", "human_trafficking", 1, 1, ["SILVA, Maria"]),
        ("victim group", "women_and_girls", 1, 1, ["SILVA, Maria"]),
    ]
    assert {(t["year"], t["label"]) for t in year.themes_by_year} == {
        (2023, "human_trafficking"), (2023, "women_and_girls")}
    evidence = year.text_evidence["year"]
    assert (evidence["persons"], evidence["with_text"], evidence["basis_from_text"]) == (3, 1, 1)
    assert evidence["by_basis"] == {"human_rights": 1, "corruption": 0, "ties": 0}
    assert evidence["source_ids"] == [SILVA] and set(evidence["without"]) == {"101", "103"}


def test_the_coverage_table_lists_every_theme_and_group_no_text_addressed(year: Annual) -> None:
    table = {r["label"]: r for r in year.coverage}
    known = {label for kind in ("abuse", "corruption", "victim") for label in vocabulary()[kind]}
    assert set(table) == known and len(year.coverage) == len(known)
    assert table["human_trafficking"]["status"] == "in 2023"
    assert table["human_trafficking"]["first"] == "SILVA, Maria (2023-02-03)"
    assert table["women_and_girls"]["program"] == 1
    never = set(themes.never(year.coverage))
    assert never == known - {"human_trafficking", "women_and_girls"}
    assert {"torture", "forced_labour", "children", "lgbtqia", "bribery"} <= never
    said = next(f for f in year.findings if f["measure"] == "coverage")["text"]
    assert "victim groups children, LGBTQIA+ persons" in said and "women and girls" not in said
    assert "(1 of 3 persons have one)" in said


def test_precedents_by_theme_victim_group_and_role_from_the_text(store: Store) -> None:
    found = {(p["kind"], p["value"]): p for p in precedents.firsts(load(store, "US-GLOMAG"))}
    for key in (("theme", "human_trafficking"), ("victim_group", "women_and_girls"),
                ("role", "judge"), ("basis", "human_rights")):
        assert found[key]["name"] == "SILVA, Maria" and found[key]["certain"], key
    assert "xx0001.html" in found[("role", "judge")]["evidence"]
    assert ("role", "judge") not in {(p["kind"], p["value"])
                                     for p in precedents.firsts(load(store, "US-GLOMAG", list_only))}


def test_the_findings_say_the_first_designation_for_human_trafficking(year: Annual) -> None:
    texts = [f["text"] for f in year.findings]
    assert ("The first designation for human trafficking under the program, as far as the texts"
            " read show: SILVA, Maria, 3 February 2023.") in texts
    assert any(t.startswith("The first judge designated under the program") for t in texts)
    basis = next(f for f in year.findings if f["measure"] == "basis_from_text")
    assert basis["text"].startswith("Basis from official text for 1 of the persons designated"
                                    " (between 1 and 3 in all; 1 for human-rights abuse)")
    assert basis["source_ids"] == [SILVA]


# -- the hook on facts written by hand --------------------------------------------------

ROW = {"source": "us-ofac-sdn", "source_id": "9", "name": "X, Y", "schema": "Person",
       "program": "US-GLOMAG", "tag": "GLOMAG", "listed_not_before": date(2022, 12, 1),
       "listed_not_after": date(2022, 12, 12), "delisted_on": None, "linked_to": ["Z"],
       "title": "Judge of the Supreme Court", "remarks": None}


def fact(kind: str, label: str, coarse: str | None = None, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "label": label, "coarse": coarse, "section": None,
            "sentence": f"A sentence about {label}.", "matched": label, "tags": ["GLOMAG"],
            "document": "jy9999.html", "url": None, "published": date(2022, 12, 12),
            "text_kind": "press_release", **more}


def judged(*facts: dict[str, Any], **row: Any) -> dict[str, Any]:
    return annotate({**ROW, **row}, OfficialTexts({("us-ofac-sdn", "9"): list(facts)}))


def test_only_a_text_designating_under_the_designations_own_tag_counts() -> None:
    other = judged(fact("basis", "corruption", "corruption", tags=["ZIMBABWE"]),
                   fact("abuse", "torture", tags=["ZIMBABWE"]))
    assert (other["basis"], other["basis_source"], other["themes"]) == ("ties", "list", [])
    same = judged(fact("basis", "corruption", "corruption"), fact("abuse", "torture"))
    assert (same["basis"], same["basis_source"], same["themes"]) == (
        "corruption", "official text", ["torture"])


def test_a_basis_whose_class_the_text_leaves_open_does_not_override_the_list() -> None:
    d = judged(fact("basis", "leader_of", "unknown"), fact("victim", "children"))
    assert (d["basis"], d["basis_source"]) == ("ties", "list")
    assert d["victim_groups"] == ["children"] and d["evidence_url"] == "jy9999.html"


def test_own_conduct_in_the_text_wins_over_ties_in_the_same_text() -> None:
    d = judged(fact("basis", "acting_for", "ties"), fact("basis", "human_rights", "human_rights"))
    assert d["basis"] == "human_rights" and "acting_for" not in d["basis_evidence"]


def test_a_text_from_after_the_delisting_is_about_another_listing() -> None:
    d = judged(fact("basis", "corruption", "corruption", published=date(2023, 6, 1)),
               delisted_on=date(2023, 1, 5))
    assert d["basis_source"] == "list"
    d = judged(fact("basis", "corruption", "corruption", published=date(2020, 1, 1)))
    assert d["basis_source"] == "list"  # years before the listing: an earlier listing


def test_a_role_from_the_list_and_the_text_keeps_both_sources() -> None:
    d = judged(fact("role", "judge"), fact("role", "head_of_state"))
    assert d["roles"] == ["judge", "head of state or government"]
    assert d["role_sources"] == ["list and official text", "official text"]
    assert d["role_evidence"][0].startswith("judge: 'Judge' in 'Judge of the Supreme Court' (SDN")
    assert "jy9999.html" in d["role_evidence"][0]


# -- the real files ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def glomag(built_store: Path) -> Iterator[dict[str, list[dict[str, Any]]]]:
    with open_store(built_store, read_only=True) as opened:
        yield {"texts": load(opened, "US-GLOMAG"), "list": load(opened, "US-GLOMAG", list_only),
               "zimbabwe": load(opened, "US-ZIMBABWE")}


BURMESE_COMMANDERS = {"24807": "KHIN HLAING", "24808": "AUNG KYAW ZAW",
                      "24809": "THURA SAN LWIN", "24810": "KHIN MAUNG SOE"}


def test_the_burmese_commanders_of_sm460_are_designated_for_human_rights_abuse(
    glomag: dict[str, list[dict[str, Any]]],
) -> None:
    by_id = {r["source_id"]: r for r in glomag["texts"]}
    before = {r["source_id"]: r for r in glomag["list"]}
    for source_id, name in BURMESE_COMMANDERS.items():
        d = by_id[source_id]
        assert d["name"] == name
        assert before[source_id]["basis"] == "unknown"  # the SDN list does not say
        assert (d["basis"], d["basis_source"]) == ("human_rights", "official text")
        assert "leader_of (s. 1(a)(ii)(C)(1))" in d["basis_evidence"]
        assert "sm460.html of 2018-08-17" in d["basis_evidence"]
        assert "extrajudicial_killing" in d["themes"] and d["victim_groups"] == ["minorities"]
        assert "military" in d["roles"]


def test_a_text_under_another_program_does_not_explain_a_later_glomag_designation(
    glomag: dict[str, list[dict[str, Any]]],
) -> None:
    # jy1158 designated MPUNGA, Sandra under the Zimbabwe program in December 2022; her
    # GLOMAG designation of 2024 is another action that text does not describe
    zimbabwe = next(r for r in glomag["zimbabwe"] if r["source_id"] == "39836")
    assert (zimbabwe["basis"], zimbabwe["basis_source"]) == ("ties", "official text")
    assert "jy1158.html" in zimbabwe["basis_evidence"]
    later = next(r for r in glomag["texts"] if r["source_id"] == "39836")
    assert later["listed_not_before"] >= date(2024, 1, 1)
    assert later["basis_source"] != "official text" and later["evidence_url"] is None


def test_the_first_glomag_designation_for_human_trafficking_is_wan_kuok_koi(
    glomag: dict[str, list[dict[str, Any]]],
) -> None:
    found = {(p["kind"], p["value"]): p for p in precedents.firsts(glomag["texts"])}
    koi = found[("theme", "human_trafficking")]
    assert (koi["name"], koi["date"], koi["certain"]) == ("KOI, Wan Kuok", date(2020, 12, 9), True)
    assert "sm1206.html" in koi["evidence"]
    assert found[("victim_group", "minorities")]["date"] == date(2018, 8, 17)
