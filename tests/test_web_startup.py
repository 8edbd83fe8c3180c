"""What ``build`` keeps for a fast start of the web server: the search box's names and
country codes, and the analysis of the Magnitsky-style designations. Kept or not, the
answers are the same; only the time differs (bench/web_bench.py measures it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magnitsky.analysis import countries, stored
from magnitsky.analysis.designations import enrich
from magnitsky.programs import is_magnitsky
from magnitsky.search import SearchIndex, load_countries
from magnitsky.store import open_store
from magnitsky.web.catalogue import Catalogue

QUERIES = ("salameh riad", "bastrikin", "Бастрыкин Александр", "chavez frias", "kadyrov", "zzqx")
COMPARED = ("basis", "basis_evidence", "roles", "role_evidence", "country_codes", "themes")


@pytest.fixture(scope="module")
def bare(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store without what the build keeps for the web."""
    db = tmp_path_factory.mktemp("bare") / "magnitsky.duckdb"
    shutil.copy(built_store, db)
    with open_store(db) as store:
        for table in ("search_forms", "search_tokens", "search_countries", "analysed_designations"):
            store.con.execute(f"DELETE FROM {table}")
        store.con.execute("DROP TABLE IF EXISTS designation_facets")  # analysis/facets.py
    return db


def test_the_build_keeps_the_names_and_the_analysis(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        forms = store.scalar("SELECT count(*) FROM search_forms")
        listings = store.scalar("SELECT count(DISTINCT (source, source_id)) FROM designations")
        texts = store.scalar("SELECT count(*) FROM search_countries")
        magnitsky = [
            p for (p,) in store.rows("SELECT DISTINCT program FROM designations") if is_magnitsky(p)
        ]
        wanted = store.scalar(
            "SELECT count(*) FROM designations WHERE program IN (SELECT UNNEST(?))", [magnitsky]
        )
        kept = stored.kept(store)
    assert forms >= listings > 20_000
    assert texts > 1000
    assert len(kept) == wanted > 1000


def test_the_index_from_the_kept_names_answers_as_one_read_anew(
    built_store: Path, bare: Path
) -> None:
    with open_store(built_store, read_only=True) as store:
        kept = SearchIndex.of(store)
    with open_store(bare, read_only=True) as store:
        anew = SearchIndex.of(store)
    assert kept.read_forms == {} and len(anew.read_forms) > 20_000
    assert kept.originals == anew.originals
    for query in QUERIES:
        a, b = kept.search(query).as_dict(), anew.search(query).as_dict()
        assert a == b, query
    assert kept.search("bastrikin").hits[0].person.countries == set()


def test_the_kept_country_codes_are_what_rigour_says(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        found = dict(store.rows("SELECT text, code FROM search_countries"))
    before = dict(countries.KNOWN)
    countries.KNOWN.clear()
    try:
        for text, code in list(found.items())[:400]:
            assert countries.resolve(text) == code, text
    finally:
        countries.KNOWN.update(before)


def test_the_kept_analysis_is_the_analysis(built_store: Path, bare: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        load_countries(store)
    served = Catalogue(built_store)
    plain = Catalogue(bare)
    try:
        every = served.indices("magnitsky")
        assert served.analysed(every) and not plain.analysed(every)
        with open_store(bare, read_only=True) as store:
            fresh = enrich(store, [plain.designations[i] for i in every])
        for i, row in zip(every, fresh, strict=True):
            kept = served.enriched([i])[0]
            assert {k: kept[k] for k in COMPARED} == {k: row[k] for k in COMPARED}, row["name"]
    finally:
        served.close()
        plain.close()


def test_a_basis_read_alone_is_the_basis_of_the_whole_analysis(bare: Path) -> None:
    cat = Catalogue(bare)
    try:
        chosen = list(cat.indices(None, "GB"))[::7]
        alone = cat.based(chosen)
        assert not cat.analysed(chosen)
        whole = cat.enriched(chosen)
        assert [r["basis"] for r in alone] == [r["basis"] for r in whole]
        assert {r["basis"] for r in whole} >= {"human_rights", "corruption", "unknown"}
    finally:
        cat.close()


def test_the_pages_say_what_the_drawn_charts_say(built_store: Path) -> None:
    """The overview and the multilateral page show their chart as an image: they take its
    words from the rows alone (report/captions.py), the same words the drawing carries."""
    from magnitsky.analysis.windows import CALENDAR
    from magnitsky.web.routes import multilateral, overview

    cat = Catalogue(built_store)
    try:
        for program in ("US-GLOMAG", "GB-HR", "CA-JVCFOA"):
            words = overview.caption(cat, program, CALENDAR)
            drawn = overview.chart(cat, program, CALENDAR)
            assert words is not None and drawn is not None
            assert (words.title, words.description) == (drawn.title, drawn.description)
            assert words.description in drawn.svg  # the SVG's <desc>
        f = {"programs": None, "allies_any_program": False, "year_end": None}
        f |= {"property": False, "year": None, "view": None}
        words_m = multilateral.caption(cat, f)
        drawn_m = multilateral.chart(cat, f)
        assert words_m is not None and drawn_m is not None
        assert (words_m.title, words_m.description) == (drawn_m.title, drawn_m.description)
    finally:
        cat.close()


def test_a_fresh_server_answers_the_chart_pages_without_drawing(built_store: Path) -> None:
    """A page asks for its chart as an image: a fresh process answering ``/`` and
    ``/multilateral`` has not imported Matplotlib (imported, it costs the first answer
    about a second)."""
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from magnitsky.web.app import create_app\n"
        "from magnitsky.web.config import load\n"
        "import dataclasses\n"
        "app = create_app(Path(sys.argv[1]), dataclasses.replace(load(), warm='none'))\n"
        "async def ask(path):\n"
        "    sent = []\n"
        "    async def receive():\n"
        "        return {'type': 'http.request', 'body': b'', 'more_body': False}\n"
        "    async def send(message):\n"
        "        sent.append(message)\n"
        "    scope = {'type': 'http', 'method': 'GET', 'path': path, 'raw_path': path.encode(),\n"
        "             'query_string': b'', 'headers': [], 'scheme': 'http',\n"
        "             'server': ('127.0.0.1', 80), 'client': ('127.0.0.1', 1), 'root_path': '',\n"
        "             'http_version': '1.1', 'app': app}\n"
        "    await app(scope, receive, send)\n"
        "    return sent[0]['status'], b''.join(m.get('body', b'') for m in sent[1:])\n"
        "for path in ('/', '/multilateral'):\n"
        "    status, body = asyncio.run(ask(path))\n"
        "    assert status == 200 and b'chart' in body, (path, status)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(built_store)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
