"""Treasury press releases: who is designated, under which authority, and the text that
says why; read from the real releases in ../shared/data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from magnitsky.evidence.designee import Designee
from magnitsky.listing import ReaderError
from magnitsky.readers import treasury_press

RELEASES = (
    "sb0211",
    "sb0257",
    "sm453",
    "sm460",
    "sm692",
    "sm735",
    "sm1206",
    "jy0921",
    "jy1118",
    "jy1158",
)


def _read(shared_data: Path, release: str) -> treasury_press.PressRelease:
    return treasury_press.read(shared_data / "us/treasury/press_releases" / f"{release}.html")


def _by_name(release: treasury_press.PressRelease) -> dict[str, Designee]:
    return {d.name: d for d in release.designees}


def test_a_whole_page_gives_its_address_title_and_the_release_date_not_the_sidebars(
    shared_data: Path,
) -> None:
    release = _read(shared_data, "sb0211")
    assert release.url == "https://home.treasury.gov/news/press-releases/sb0211"
    assert release.title == "Treasury Sanctions Alexandre de Moraes"
    assert release.release_id == "sb0211"
    # The page's sidebar lists other releases with their own <time> elements (2026 …).
    assert release.date == date(2025, 7, 30)


def test_de_moraes_is_designated_for_serious_human_rights_abuse(shared_data: Path) -> None:
    (moraes,) = _read(shared_data, "sb0211").designees
    assert moraes.name == "Alexandre de Moraes"
    assert "de Moraes" in moraes.aliases
    assert (moraes.authority, moraes.program) == ("E.O. 13818", "GLOMAG")
    assert any(
        "is being sanctioned pursuant to E.O. 13818 for being a foreign person" in s
        for s in moraes.basis_sentences
    )
    assert any("arbitrarily detained a journalist" in p for p in moraes.paragraphs)
    # The Secretary's quote and the closing boilerplate are no part of his text.
    assert "said Secretary of the Treasury" not in moraes.text
    assert "SANCTIONS IMPLICATIONS" not in moraes.text
    assert "OFAC may impose civil penalties" not in moraes.text


def test_an_article_extract_has_no_address_and_no_title(shared_data: Path) -> None:
    release = _read(shared_data, "sm453")
    assert (release.url, release.title) == (None, None)
    assert release.release_id == "sm453"
    assert release.date == date(2018, 8, 1)
    assert sorted(_by_name(release)) == ["Abdulhamit Gul", "Suleyman Soylu"]


def test_every_release_reads_cleanly_with_the_announced_number_of_designees(
    shared_data: Path,
) -> None:
    counts = {r: len(_read(shared_data, r).designees) for r in RELEASES}
    assert counts == {
        "sb0211": 1,
        "sb0257": 2,
        "sm453": 2,
        "sm460": 6,
        "sm692": 21,
        "sm735": 4,
        "sm1206": 6,
        "jy0921": 3,
        "jy1118": 5,
        "jy1158": 6,
    }
    for release in RELEASES:
        assert _read(shared_data, release).problems == (), release


def test_persons_designated_before_are_not_designees(shared_data: Path) -> None:
    # "De Moraes was designated by OFAC on July 30, 2025", "OFAC designated Tagwirei in
    # August 2020", CJNG's leaders "which OFAC designated on April 8, 2015", the
    # "previously designated" Leone Martinez, Maung Maung Soe "sanctioned … on December
    # 20, 2017".
    names = {d.name for r in RELEASES if r != "sb0211" for d in _read(shared_data, r).designees}
    for earlier in (
        "Alexandre de Moraes",
        "Kudakwashe Tagwirei",
        "Tagwirei",
        "Nemesio Oseguera Cervantes",
        "Abigael Gonzalez Valencia",
        "Miguel Jose Leone Martinez",
        "Maung Maung Soe",
    ):
        assert earlier not in names


def test_a_mixed_release_tells_kingpin_act_from_global_magnitsky(shared_data: Path) -> None:
    designees = _by_name(_read(shared_data, "sm692"))
    authorities = [d.authority for d in designees.values()]
    assert authorities.count("Kingpin Act") == 13
    assert authorities.count("E.O. 13818") == 8
    assert designees["Isidro Avelar Gutierrez"].program == "SDNTK"
    # Named only as the subject of a sentence in a paragraph of "persons designated today".
    assert designees["Ulises Jovani Gonzalez Valencia"].authority == "Kingpin Act"
    # The section heading names the authority when the sentence does not.
    assert designees["Liliana Rosas Camba"].authority == "Kingpin Act"
    assert designees["Iyari"].authority == "E.O. 13818"
    # Entities listed after a colon keep their company form, described items lose the
    # description: "Bodecarne, S.A. de C.V. (butcher business)".
    assert "Bodecarne, S.A. de C.V." in designees
    assert "Arquitectura y Diseno en Balance, S.A. de C.V." in designees


def test_a_zimbabwe_program_release_names_its_orders(shared_data: Path) -> None:
    designees = _by_name(_read(shared_data, "jy1158"))
    assert {d.authority for d in designees.values()} == {"E.O. 13469", "E.O. 13391"}
    assert {d.program for d in designees.values()} == {"ZIMBABWE"}
    junior = designees["Emmerson Mnangagwa, Jr."]
    assert junior.authority == "E.O. 13391"
    assert "Mnangagwa, Jr." in junior.aliases


def test_short_names_aliases_and_spelled_out_acronyms_join_one_designee(
    shared_data: Path,
) -> None:
    sm1206 = _by_name(_read(shared_data, "sm1206"))
    assert sm1206["Wan Kuok Koi"].aliases == ("Broken Tooth",)
    assert {
        "Dongmei Group",
        "Palau China Hung-Mun Cultural Association",
        "World Hongmen History and Culture Association",
    } < set(sm1206)  # bullet lines
    sm460 = _by_name(_read(shared_data, "sm460"))
    assert sm460["33rd Light Infantry Division"].aliases == ("33rd LID",)
    assert sm460["99th LID"].aliases == ("99th Light Infantry Division",)
    assert _by_name(_read(shared_data, "sm735"))["Ahmed al-Jubouri"].aliases == (
        "al-Jubouri",
        "Abu Mazin",
    )


def test_a_designees_text_is_the_paragraphs_about_it_and_not_other_designations(
    shared_data: Path,
) -> None:
    designees = _by_name(_read(shared_data, "jy1118"))
    kudryakov = designees["Dmitry Kudryakov"]
    # The paragraph designating his companies names him but is not about his basis.
    assert not any("registered in Guatemala" in p for p in kudryakov.paragraphs)
    assert any("registered in Guatemala" in p for p in designees["Mayaniquel"].paragraphs)
    # A paragraph in the designee's section that does not name it still belongs to it.
    kildani = _by_name(_read(shared_data, "sm735"))["Rayan al-Kildani"]
    assert any("harassment of women" in p for p in kildani.paragraphs)


# -- what is not a press release -------------------------------------------------------


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "release.html"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="empty"):
        treasury_press.read(_write(tmp_path, b"  \n"))


def test_an_ofac_recent_actions_page_is_not_a_press_release(shared_data: Path) -> None:
    with pytest.raises(ReaderError, match="not a Treasury press release"):
        treasury_press.read(shared_data / "us/ofac/recent_actions/20250730.html")


def test_a_truncated_page_is_refused(shared_data: Path, tmp_path: Path) -> None:
    raw = (shared_data / "us/treasury/press_releases/sb0211.html").read_bytes()
    with pytest.raises(ReaderError, match="truncated or mangled"):
        treasury_press.read(_write(tmp_path, raw[: len(raw) * 2 // 3]))


ARTICLE = """<article about="/news/press-releases/xx0001" class="entity--type-node"><div>
<div class="field--name-field-news-publication-date"><time datetime="{when}">x</time></div>
<div class="field--name-field-news-body">{body}</div></div></article>"""


def test_a_release_that_designates_no_one_is_read_and_says_so(tmp_path: Path) -> None:
    body = "<p>Treasury published its annual report on sanctions programs today.</p>"
    path = _write(tmp_path, ARTICLE.format(when="2024-01-02T15:00:00Z", body=body))
    release = treasury_press.read(path)
    assert release.designees == ()
    assert release.problems == ("no designee found: the release designates no one by name",)


def test_a_release_without_a_date_or_with_a_bad_one_is_refused(tmp_path: Path) -> None:
    body = "<p>Fossil Agro was designated pursuant to E.O. 13469.</p>"
    with pytest.raises(ReaderError, match="bad publication date"):
        treasury_press.read(_write(tmp_path, ARTICLE.format(when="yesterday", body=body)))
    no_time = ARTICLE.replace('<time datetime="{when}">x</time>', "").format(body=body)
    with pytest.raises(ReaderError, match="no publication date"):
        treasury_press.read(_write(tmp_path, no_time))


def test_a_time_after_midnight_utc_is_the_previous_us_day(tmp_path: Path) -> None:
    body = "<p>Fossil Agro was designated pursuant to E.O. 13469 for providing support.</p>"
    release = treasury_press.read(
        _write(tmp_path, ARTICLE.format(when="2022-08-16T02:30:00Z", body=body))
    )
    assert release.date == date(2022, 8, 15)
    assert [d.name for d in release.designees] == ["Fossil Agro"]


def test_list_items_and_a_stated_section_in_a_made_up_release() -> None:
    path = Path(__file__).resolve().parent / "fixtures/texts/press_release_made_up.html"
    release = treasury_press.read(path)
    designees = _by_name(release)
    assert list(designees) == [
        "John Doe Smith",
        "Jane Roe",
        "Alpha Holdings Ltd.",
        "Beta Security Company",
    ]
    smith = designees["John Doe Smith"].facts()
    (basis,) = smith.basis
    assert (basis.label, basis.section, basis.section_stated) == (
        "human_rights",
        "1(a)(ii)(A)",
        True,
    )
    assert smith.labels("abuse") == ["torture", "arbitrary_detention", "repression_of_protesters"]
    assert smith.labels("role") == ["police"]
    assert "Under Secretary" not in designees["John Doe Smith"].text  # a quote
    assert designees["Jane Roe"].facts().basis[0].coarse == "ties"
    assert {d.facts().labels("basis")[0] for d in designees.values()} == {
        "human_rights",
        "support",
        "owned_controlled",
    }
