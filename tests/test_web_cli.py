"""``magnitsky serve`` and the web server's settings: the command serves the store on the
address it prints, refuses a missing store, and every setting is an environment
variable read with a clear error for a bad value."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from magnitsky.cli_web import is_loopback, serve
from magnitsky.web import config
from magnitsky.web.templates import code, page_numbers
from tests.web_fixtures import copy_store, fetch

# the command as the lead registers it in cli.py: cli.add_command(serve)
REGISTERED = (
    "import sys; from magnitsky.cli import cli, main; from magnitsky.cli_web import serve;"
    " cli.add_command(serve); main(sys.argv[1:])"
)


def test_serve_serves_the_store_on_the_address_it_prints(built_store: Path, tmp_path: Path) -> None:
    db = copy_store(built_store, tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", REGISTERED, "--db", str(db), "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith(f"serving {db} at http://127.0.0.1:"), line
        address = line.split(" at ", 1)[1].split()[0].rstrip("/")
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = fetch(address + "/api/designations?program=GB-HR&per_page=1")
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert answer.status == 200 and answer.json()["total"] == 143
        assert fetch(address + "/").status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_refuses_a_missing_store_and_says_how_to_make_one(tmp_path: Path) -> None:
    done = CliRunner().invoke(serve, [], obj=type("Obj", (), {"db": tmp_path / "none.duckdb"})())
    assert done.exit_code != 0
    assert "no store here yet" in done.output and "magnitsky build" in done.output
    assert "--host" in CliRunner().invoke(serve, ["--help"]).output


def test_only_loopback_addresses_count_as_local() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_the_settings_are_environment_variables_with_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "MAGNITSKY_WEB_TOKEN",
        "MAGNITSKY_WEB_PAGE_SIZE",
        "MAGNITSKY_WEB_MAX_PAGE_SIZE",
        "MAGNITSKY_WEB_WARM",
    ):
        monkeypatch.delenv(name, raising=False)
    found = config.load()
    assert (found.token, found.page_size, found.max_page_size, found.warm) == (
        None,
        50,
        500,
        "magnitsky",
    )
    monkeypatch.setenv("MAGNITSKY_WEB_TOKEN", "a-long-enough-secret-token")
    monkeypatch.setenv("MAGNITSKY_WEB_PAGE_SIZE", "20")
    monkeypatch.setenv("MAGNITSKY_WEB_WARM", "none")
    found = config.load()
    assert (found.token, found.page_size, found.warm) == ("a-long-enough-secret-token", 20, "none")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MAGNITSKY_WEB_TOKEN", "short", "at least 16 characters"),
        ("MAGNITSKY_WEB_PAGE_SIZE", "many", "whole number"),
        ("MAGNITSKY_WEB_PAGE_SIZE", "900", "between 1 and 500"),
        ("MAGNITSKY_WEB_MAX_PAGE_SIZE", "0", "between 1 and 10000"),
        ("MAGNITSKY_WEB_WARM", "everything", "one of magnitsky, all, none"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message) as error:
        config.load()
    assert name in str(error.value)


def test_the_pager_shows_the_ends_and_the_pages_around_the_current_one() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(7, 20) == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert page_numbers(20, 20) == [1, None, 18, 19, 20]


def test_quoted_words_of_the_api_description_are_code_and_the_rest_is_escaped() -> None:
    assert str(code("fields of `magnitsky events` <b>")) == (
        "fields of <code>magnitsky events</code> &lt;b&gt;"
    )
