"""Confidentiality that holds: no name of a ``private`` recommendation (the sample's
invented persons) appears in any export, in the FollowTheMoney output, in a report built
for publication, or in any answer of the web server to a request without the token; the
token-protected pages show them, and say they are confidential."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magnitsky.recommendations.imports import parse_file
from magnitsky.store import open_store
from tests.test_recommendations import SAMPLE, magnitsky, sample_store  # noqa: F401
from tests.web_fixtures import TOKEN, fetch, running, settings

PUBLIC_PATHS = (
    "/",
    "/designations",
    "/designations?program=US-GLOMAG",
    "/events",
    "/precedents",
    "/multilateral",
    "/downloads",
    "/docs",
    "/openapi.json",
    "/api/designations",
    "/api/events",
    "/api/multilateral",
    "/api/stats/yearly?program=US-GLOMAG",
    "/api/precedents?program=US-GLOMAG",
    "/download/designations.csv",
    "/download/multilateral.csv",
    "/persons/us-ofac-sdn/44584",
    "/api/persons/us-ofac-sdn/44584",
)
PROTECTED_PATHS = (
    "/recommendations",
    "/recommendations/S-2023-04",
    "/api/recommendations",
    "/api/recommendations/S-2023-04",
)


def _names(level: str) -> list[str]:
    """Every name and alias of the sample's recommendations of this level."""
    return [
        n for r in parse_file(SAMPLE) if r.confidentiality == level for n in (r.name, *r.aliases)
    ]


PRIVATE = _names("private")
NOT_PUBLIC = PRIVATE + _names("coalition")
INVENTED_ONLY = [n for n in NOT_PUBLIC if "Salameh" not in n and "Nozhkin" not in n]
"""The names of no list (a coalition recommendation of a listed person rightly shows his
name wherever the lists do)."""


def _leaks(text: str, names: list[str]) -> list[str]:
    low = text.lower()
    return [n for n in names if n.lower() in low]


def test_the_sample_has_private_recommendations() -> None:
    assert len(PRIVATE) >= 3 and "Varek Osmundsen-Tiril" in PRIVATE


@pytest.fixture()
def store_copy(sample_store: Path, tmp_path: Path) -> Path:  # noqa: F811
    target = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, target)
    return target


def test_no_private_name_in_any_export_or_ftm(store_copy: Path, tmp_path: Path) -> None:
    assert magnitsky(store_copy, "export", "csv", "--out", str(tmp_path / "csv")).returncode == 0
    ftm = tmp_path / "entities.ftm.json"
    assert magnitsky(store_copy, "export", "ftm", "--out", str(ftm)).returncode == 0
    written = [*sorted((tmp_path / "csv").glob("*.csv")), ftm]
    assert len(written) >= 5
    for path in written:
        assert _leaks(path.read_text("utf-8"), INVENTED_ONLY) == [], path.name
    with open_store(store_copy, read_only=True) as store:
        # nothing of the tracker entered the lists' own tables
        assert not store.scalar("SELECT count(*) FROM persons WHERE source = 'recommendation'")
        assert not store.scalar(
            "SELECT count(*) FROM match_pairs WHERE left_source = 'recommendation'"
            " OR right_source = 'recommendation'"
        )


def test_a_report_for_publication_names_only_public_recommendations(
    store_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    done = magnitsky(
        store_copy, "report", "--program", "US-GLOMAG", "--year", "2023", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    files = sorted(out.iterdir())
    assert any(f.name == "recommendations.csv" for f in files)
    for path in files:
        text = path.read_text("utf-8")
        # listed persons are named wherever the lists name them; the section never names
        # a recommendation that is not public
        names = NOT_PUBLIC if path.name.startswith("recommendations") else INVENTED_ONLY
        assert _leaks(text, names) == [], path.name
        assert "S-2023-04" not in text and "Kestrel Watch" not in text, path.name
    page = (out / "index.html").read_text("utf-8")
    start = page.index('id="recommendations"')
    assert _leaks(page[start : page.index("</section>", start)], NOT_PUBLIC) == []
    shown = (out / "recommendations.csv").read_text("utf-8")
    assert "Danila Yurievich Mikheev" in shown  # a public one is named
    # built for the coalition, the coalition's are named and the private still are not
    out = tmp_path / "coalition"
    done = magnitsky(
        store_copy,
        "report",
        "--program",
        "US-GLOMAG",
        "--year",
        "2023",
        "--out",
        str(out),
        "--recommendations",
        "coalition",
    )
    assert done.returncode == 0, done.stderr
    text = (out / "index.html").read_text("utf-8")
    assert "Brennhold Tarn Minerals Ltd" in text and _leaks(text, PRIVATE) == []


def test_the_web_shows_recommendations_only_with_the_token(store_copy: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with running(store_copy, settings(token=TOKEN, warm="none")) as url:
        for path in PUBLIC_PATHS:
            answer = fetch(url + path)
            assert answer.status == 200, (path, answer.status)
            assert _leaks(answer.text, INVENTED_ONLY) == [], path
        for path in PROTECTED_PATHS:
            for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}):
                answer = fetch(url + path, headers=headers)
                assert answer.status == 401, (path, answer.status)
                assert _leaks(answer.text, NOT_PUBLIC) == [], path
            answer = fetch(url + path, headers=auth)
            assert answer.status == 200, (path, answer.status)
            assert answer.headers["cache-control"] == "no-store"
            assert "Varek Osmundsen-Tiril" in answer.text
            if not path.startswith("/api/"):
                assert "Confidential." in answer.text
            else:
                assert answer.json()["confidential"] is True
        unknown = fetch(url + "/recommendations/NO-SUCH", headers=auth)
        assert unknown.status == 404
    with running(store_copy, settings(token=None, warm="none")) as url:
        for path in PROTECTED_PATHS:
            answer = fetch(url + path, headers=auth)
            assert answer.status == 403 and _leaks(answer.text, NOT_PUBLIC) == []
