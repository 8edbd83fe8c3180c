"""The ``[fetch]`` tables of the source declarations: where each source's files are got.

The lists of UK, Canada, Australia and the EU are declared in ``data/sources/*.toml``
beside their readers; OFAC's history engine is special (see :mod:`magnitsky.sources`), so
the US sources are declared in ``data/sources/us/*.toml``, which say only how to fetch.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

# The order a full run takes: the US list first (the others' checks do not depend on it,
# but a reader of the output sees the main list first), then the documents, then allies.
US_ORDER = (
    "us-ofac-sdn",
    "us-ofac-changes",
    "us-ofac-recent",
    "us-treasury-press",
    "us-federal-register",
)


@cache
def declarations() -> dict[str, dict[str, Any]]:
    """Every source with a ``[fetch]`` table, in the order a full run takes them."""
    folder = resources.files("magnitsky").joinpath("data/sources")
    found: dict[str, dict[str, Any]] = {}
    for sub in (folder.joinpath("us"), folder):
        for entry in sorted(sub.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                data = tomllib.loads(entry.read_text("utf-8"))
                if "fetch" in data:
                    found[data["source"]] = data
    ordered = [name for name in US_ORDER if name in found]
    ordered += [name for name in found if name not in US_ORDER]
    return {name: found[name] for name in ordered}


def fetchable() -> list[str]:
    return list(declarations())
