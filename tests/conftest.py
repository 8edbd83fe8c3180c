"""Shared test fixtures. The real official files live in ../shared/data; tests that need
them fail (never skip) when that folder is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(
    __import__("os").environ.get("MAGNITSKY_SHARED_DATA", ROOT.parent / "shared" / "data")
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "us" / "ofac").is_dir():
        pytest.fail(f"the official files are missing: {SHARED_DATA} (see README, 'Data')")
    return SHARED_DATA


@pytest.fixture()
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def built_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once per test session from all of ../shared/data (read it, don't
    write to it: copy it first)."""
    from magnitsky import build, settings
    from magnitsky.store import open_store

    path = tmp_path_factory.mktemp("built") / "magnitsky.duckdb"
    with open_store(path) as store:
        build.build(store, settings.load(), shared_data)
    return path


@pytest.fixture(scope="session")
def real_report(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of US-GLOMAG 2023 from the built store, written once per session by the
    command (read it, don't write to it)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("glomag-2023")
    done = subprocess.run(
        [sys.executable, "-m", "magnitsky.cli", "--db", str(built_store), "report",
         "--program", "US-GLOMAG", "--year", "2023", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert str(out / "index.html") in done.stdout
    return out
