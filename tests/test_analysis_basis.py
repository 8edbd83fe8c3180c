"""The basis of a designation comes from evidence, never from a guess."""

from __future__ import annotations

from typing import Any

import pytest

from magnitsky.analysis.basis import Evidence, classify


def row(**fields: Any) -> dict[str, Any]:
    base = {"source": "us-ofac-sdn", "program": "US-GLOMAG", "schema": "Organization",
            "linked_to": [], "title": None, "remarks": None}
    return {**base, **fields}


def test_a_linked_to_target_means_ties_and_says_where_it_came_from() -> None:
    judged = classify(row(linked_to=["GERTLER, Dan"], remarks="Linked To: GERTLER, Dan."))
    assert judged.basis == "ties"
    assert judged.evidence == "Linked To: GERTLER, Dan (SDN remarks)"


def test_an_entity_without_linked_to_is_unknown_not_guessed() -> None:
    judged = classify(row(remarks="Organization Established Date 2004; Tax ID No. 1 (Bulgaria)."))
    assert judged == ("unknown", None, None)


def test_a_role_is_not_a_basis() -> None:
    for title in ("Chairman of Anti-Corruption Commission", "Warden of Evin Prison",
                  "President of Zimbabwe"):
        assert classify(row(schema="Person", title=title)).basis == "unknown"


def test_words_of_conduct_in_the_text_show_the_basis() -> None:
    judged = classify(row(schema="Person", remarks="Designated for corruption in procurement."))
    assert judged.basis == "corruption"
    assert "'corruption' in remarks" in (judged.evidence or "")
    assert classify(row(remarks="Responsible for torture of detainees.")).basis == "human_rights"


def test_a_relative_named_in_the_title_is_designated_for_ties() -> None:
    assert classify(row(schema="Person", title="Spouse of Robert Mugabe")).basis == "ties"


@pytest.mark.parametrize(("program", "basis"), [("GB-HR", "human_rights"), ("GB-AC", "corruption"),
                                                ("EU-HR", "human_rights"), ("US-GLOMAG", "unknown")])
def test_a_thematic_regime_of_one_kind_shows_the_basis(program: str, basis: str) -> None:
    judged = classify(row(program=program))
    assert judged.basis == basis
    if basis != "unknown":
        assert program in (judged.evidence or "")


def test_official_text_passed_in_wins_over_the_list() -> None:
    extra = [Evidence("corruption", "designated pursuant to section 1(a)(ii)(B)(1)",
                      "Treasury press release jy1234")]
    judged = classify(row(linked_to=["SOMEONE"]), extra)
    assert judged.basis == "corruption"
    assert judged.evidence == (
        "designated pursuant to section 1(a)(ii)(B)(1) (Treasury press release jy1234)")


def test_evidence_must_name_a_known_basis() -> None:
    with pytest.raises(ValueError, match="basis"):
        Evidence("terrorism", "text", "somewhere")
