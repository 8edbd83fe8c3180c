"""A small store whose answers are known: two hand-made SDN snapshots and one made-up
Treasury press release about one designee, whose text names human trafficking, women as
victims and a judge, and states the section of E.O. 13818 (human-rights abuse)."""

from __future__ import annotations

from pathlib import Path

from magnitsky import build, settings
from magnitsky.store import open_store
from tests.history_fixtures import BASE, row, write_csv

URL = "https://home.treasury.gov/news/press-releases/xx0001"
SILVA = "201"
RELEASE = """<article about="/news/press-releases/xx0001" class="entity--type-node"><div>
<div class="date-format field field--name-field-news-publication-date field--type-datetime
 field--label-hidden field__item">
<time datetime="2023-02-03T15:00:00Z" class="datetime">February 3, 2023</time></div>
<div class="clearfix text-formatted field field--name-field-news-body field--type-text-long
 field--label-hidden field__item">
<p>WASHINGTON &#8212; Today, OFAC is designating <strong>Maria Silva</strong> pursuant to
E.O. 13818.</p>
<p><strong>Maria Silva</strong> (Silva), a judge in Ruritania, led a human trafficking
network that exploited women &amp; migrants. Silva is designated pursuant to section
1(a)(ii)(A) of E.O. 13818 for being responsible for or complicit in, or having directly or
indirectly engaged in, serious human rights abuse.</p>
<h3>SANCTIONS IMPLICATIONS</h3>
<p>As a result of today&#8217;s action, all property and interests in property of the
persons above are blocked.</p>
</div></div></article>
"""


def text_store(folder: Path) -> Path:
    """The store: 101 and 103 (ties) listed before 10 Jan 2023, SILVA, Maria (201) between
    10 Jan and 10 Feb, dated 3 Feb 2023 by the release."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "h" / "sdn_2023-01-10.csv", BASE)
    silva = row(int(SILVA), "SILVA, Maria", "GLOMAG", remarks="DOB 01 Jan 1970; nationality Brazil.")
    write_csv(folder / "h" / "sdn_2023-02-10.csv", [*BASE, silva])
    release = folder / "xx0001.html"
    release.write_text(RELEASE, encoding="utf-8")
    path = folder / "texts.duckdb"
    with open_store(path) as store:
        build.import_dir(store, settings.load(), folder / "h")
        build.add_texts(store, settings.load(), [release], url=URL)
    return path
