"""``magnitsky search QUERY``: persons by any of their names (:mod:`magnitsky.search`), as
the dashboard's search box finds them. Registered in :mod:`magnitsky.cli`."""

from __future__ import annotations

import click

from magnitsky.cli_multilateral import HasStore, _emit, format_option
from magnitsky.search import SearchIndex

COLUMNS = (
    "person_id",
    "name",
    "matched",
    "score",
    "jurisdictions",
    "programs",
    "countries",
    "first_listed",
    "first_listed_quality",
    "listings",
)


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@format_option
@click.pass_obj
def search(obj: HasStore, query: tuple[str, ...], limit: int, fmt: str) -> None:
    """Find persons by any of their names: names and aliases of every list, in any word
    order, script or spelling. Exits 1 when nothing matches (the nearest names on stderr)."""
    with obj.store(read_only=True) as store:
        found = SearchIndex.of(store).search(" ".join(query), limit)
    if not found.hits:
        nearest = "; ".join(h.person.name() for h in found.suggestions)
        message = f"no person has a name like {found.query!r}"
        raise click.ClickException(message + (f"; the nearest names: {nearest}" if nearest else ""))
    rows = [h.as_dict() for h in found.hits]
    _emit(rows, fmt, COLUMNS)
