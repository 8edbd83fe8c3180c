"""Rule-based extraction: every fact says which words in which sentence showed it."""

from __future__ import annotations

import pytest

from magnitsky.evidence import coarse, extract
from magnitsky.evidence.rules import basis_config, fact_rules

HR = (
    "X is designated pursuant to E.O. 13818 for being a foreign person who is responsible "
    "for or complicit in, or has directly or indirectly engaged in, serious human rights abuse."
)


def test_every_fact_points_at_its_words() -> None:
    text = "Intro sentence. " + HR + " He arbitrarily detained a journalist for a year."
    facts = extract(text)
    assert facts.all()
    for fact in facts.all():
        assert text[fact.start : fact.end] == fact.matched
        assert fact.sentence in text
        assert fact.matched in fact.sentence


def test_the_orders_words_give_the_basis_and_its_section() -> None:
    (basis,) = extract(HR).basis
    assert (basis.label, basis.section, basis.section_stated, basis.strength) == (
        "human_rights",
        "1(a)(ii)(A)",
        False,
        "formula",
    )
    assert basis.coarse == "human_rights"


@pytest.mark.parametrize(
    ("sentence", "label", "section"),
    [
        (
            "Designated for being a current or former government official, or a person acting for "
            "or on behalf of such an official, who is responsible for or complicit in, or has "
            "directly or indirectly engaged in, corruption.",
            "corruption",
            "1(a)(ii)(B)",
        ),
        (
            "Y is designated for being the leader of an entity that has engaged in, or whose members "
            "have engaged in, serious human rights abuse.",
            "leader_of",
            "1(a)(ii)(C)(1)",
        ),
        (
            "Z is designated for having materially assisted, sponsored, or provided financial, "
            "material, or technological support for W.",
            "support",
            "1(a)(iii)(A)",
        ),
        (
            "Four entities were designated for being owned or controlled by W.",
            "owned_controlled",
            "1(a)(iii)(B)",
        ),
        (
            "Three family members who have acted or purported to act on his behalf were designated.",
            "acting_for",
            "1(a)(iii)(B)",
        ),
        (
            "V was designated for having attempted to engage in serious human rights abuse.",
            "attempt",
            "1(a)(ii)(D)",
        ),
        ("M was designated pursuant to E.O. 13469 for being the spouse of T.", "family", None),
    ],
)
def test_each_criterion_of_the_order(sentence: str, label: str, section: str | None) -> None:
    (basis,) = extract(sentence).basis
    assert (basis.label, basis.section) == (label, section)


def test_a_stated_section_wins_and_splits_owned_from_acting_for() -> None:
    owned = extract(
        "Designated pursuant to section 1(a)(iii)(B) of E.O. 13818 for being owned "
        "or controlled by, directly or indirectly, KOI, Wan Kuok."
    ).basis[0]
    acting = extract(
        "Designated pursuant to section 1(a)(iii)(B) of E.O. 13818 for having acted "
        "or purported to act for or on behalf of KOI, Wan Kuok."
    ).basis[0]
    assert (owned.label, owned.section_stated, owned.matched) == (
        "owned_controlled",
        True,
        "section 1(a)(iii)(B)",
    )
    assert acting.label == "acting_for"


def test_a_leader_takes_the_class_of_what_the_entity_did() -> None:
    abuse = extract(
        "Y is designated for being the leader of an entity whose members have engaged "
        "in serious human rights abuse."
    ).basis[0]
    blocked = extract(
        "Y is designated for being, or having been, a leader or official of the L "
        "Institute, an entity whose property and interests in property are blocked "
        "pursuant to E.O. 13818."
    ).basis[0]
    assert (abuse.conduct, abuse.coarse) == ("human_rights", "human_rights")
    assert (blocked.conduct, blocked.section, blocked.coarse) == (
        "blocked",
        "1(a)(ii)(C)(2)",
        "ties",
    )


def test_the_coarse_classes() -> None:
    assert coarse("human_rights") == "human_rights"
    assert coarse("corruption") == "corruption"
    for tie in ("support", "owned_controlled", "acting_for", "family"):
        assert coarse(tie) == "ties"
    assert coarse("leader_of", "corruption") == "corruption"
    assert coarse("leader_of") == "unknown"  # never guessed
    assert coarse("nonsense") == "unknown"


def test_the_program_description_is_no_basis() -> None:
    text = (
        "OFAC designated X pursuant to Executive Order (E.O.) 13818, which builds upon and "
        "implements the Global Magnitsky Human Rights Accountability Act and targets "
        "perpetrators of serious human rights abuse and corruption."
    )
    assert extract(text).basis == []


def test_the_orders_words_beat_a_plain_description() -> None:
    text = (
        "X has engaged in an array of corruption activities. Y was designated for acting for "
        "or on behalf of X."
    )
    assert extract(text).labels("basis") == ["acting_for"]
    assert (
        extract("X has engaged in an array of corruption activities.").basis[0].strength
        == "description"
    )


def test_the_basis_is_read_in_the_designees_own_sentences() -> None:
    text = (
        "Lex is designated for having materially assisted de Moraes. Viviane is designated "
        "for being a leader or official of Lex, an entity whose property is blocked."
    )
    viviane = extract(text, basis_sentences=[text.split(". ")[1]])
    assert viviane.labels("basis") == ["leader_of"]


def test_the_orders_list_of_corruption_kinds_is_not_a_corruption_type() -> None:
    formula = (
        "Designated for being a current government official responsible for corruption, "
        "including the misappropriation of state assets, the expropriation of private "
        "assets for personal gain, corruption related to government contracts or the "
        "extraction of natural resources, or bribery."
    )
    assert extract(formula).themes == []
    assert extract(formula + " He received bribes.").themes == ["bribery"]


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("Soldiers committed extrajudicial killings.", "abuse", "extrajudicial_killing"),
        ("Detainees were tortured.", "abuse", "torture"),
        ("He arbitrarily detained a journalist.", "abuse", "arbitrary_detention"),
        ("Victims of enforced disappearances.", "abuse", "enforced_disappearance"),
        ("Women were sexually assaulted.", "abuse", "sexual_violence"),
        ("The group engages in human trafficking.", "abuse", "human_trafficking"),
        ("Workers were held in forced labor.", "abuse", "forced_labour"),
        ("Police shot peaceful protesters.", "abuse", "repression_of_protesters"),
        ("He had human rights defenders arrested.", "abuse", "repression_of_defenders"),
        ("He accepted kickbacks.", "corruption", "bribery"),
        ("She embezzled state funds.", "corruption", "misappropriation"),
        ("He rigged bids in public procurement.", "corruption", "procurement"),
        ("The mining concession was his.", "corruption", "natural_resources"),
        ("They launder drug proceeds.", "corruption", "money_laundering"),
        ("The attacks targeted Rohingya villagers.", "victim", "minorities"),
        ("Members of the LGBTQI+ community were beaten.", "victim", "lgbtqia"),
        ("Indigenous leaders were threatened.", "victim", "indigenous"),
        ("Persons with disabilities were denied care.", "victim", "disabilities"),
        ("Men, women, and children were killed.", "victim", "children"),
    ],
)
def test_themes_victims_by_their_words(text: str, kind: str, label: str) -> None:
    assert label in extract(text).labels(kind)


def test_words_in_other_senses_are_not_facts() -> None:
    assert extract("Jafiela Boutique (women's clothing store).").labels("victim") == []
    assert extract("He chaired the anti-corruption commission.").basis == []
    assert extract("She runs an anti-money laundering unit.").labels("corruption") == []
    assert extract("A ferry accident that killed nearly 100 people.").labels("abuse") == []


def test_a_title_of_someone_else_is_not_the_designees_role() -> None:
    names = ["Nawfal Hammadi al-Sultan", "al-Sultan"]
    text = (
        "Prime Minister Adel Abdul Mahdi accused al-Sultan of negligence. "
        "He offered bribes to multiple judges and had a conflict with the judge who acquitted him."
    )
    assert extract(text, names=names).labels("role") == []
    own = "Nathaniel McGill (McGill) is Minister of State and Chief of Staff to President George Weah."
    assert extract(own, names=["Nathaniel McGill", "McGill"]).labels("role") == ["minister"]


def test_plural_titles_count_only_before_the_designees_name() -> None:
    text = (
        "Burmese military commanders Aung Kyaw Zaw, Khin Hlaing, and BGP commander Thura San "
        "Lwin were designated."
    )
    assert extract(text, names=["Khin Hlaing"]).labels("role") == ["military"]
    assert extract(text, names=["Thura San Lwin"]).labels("role") == []


def test_the_rules_are_valid_data() -> None:
    kinds = {r.kind for r in fact_rules()}
    assert kinds == {"abuse", "corruption", "victim", "role"}
    config = basis_config()
    assert set(config.coarse) >= {r.label for r in config.rules}
    assert set(config.sections.values()) <= {r.label for r in config.rules} | {"owned_or_acting"}
