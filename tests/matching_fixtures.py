"""For the matching, multilateral and export tests: a copy of the built store with its
persons derived, once per test session. Test modules load it as a plugin
(``pytest_plugins``), so the session shares one; a test that writes copies it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magnitsky.matching.persons import derive_persons
from magnitsky.store import open_store


@pytest.fixture(scope="session")
def persons_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("persons") / "magnitsky.duckdb"
    shutil.copy(built_store, path)
    with open_store(path) as store:
        if not store.scalar("SELECT count(*) FROM persons"):
            with store.transaction():
                derive_persons(store)
    return path
