"""Query parameters, validated: each address declares the parameters it takes and how to
read each one. An unknown or repeated parameter, or a value that does not read, is a 400
that says which parameter and why; an empty value is the parameter left out (what a form
sends for a field left blank)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from starlette.datastructures import QueryParams

from magnitsky.analysis.windows import YearEnd, parse_year_end

Reader = Callable[[str], Any]
MAX_VALUE = 200
"""Characters one parameter value may have."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadRequest(Exception):
    """Input the server will not act on: the status and a message that says why."""

    def __init__(
        self, message: str, status: int = 400, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = dict(headers or {})


def read(query: QueryParams, spec: Mapping[str, Reader]) -> dict[str, Any]:
    """Every parameter of ``spec``: its value read, or None when absent or empty."""
    unknown = sorted(set(query.keys()) - set(spec))
    if unknown:
        raise BadRequest(
            f"unknown parameter {unknown[0]!r}; this address takes: {', '.join(spec) or 'none'}"
        )
    out: dict[str, Any] = {}
    for name, reader in spec.items():
        values = query.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"parameter {name!r} is given {len(values)} times: give it once")
        text = values[0].strip() if values else ""
        if len(text) > MAX_VALUE:
            raise BadRequest(f"parameter {name!r} is longer than {MAX_VALUE} characters")
        if _CONTROL.search(text):
            raise BadRequest(f"parameter {name!r} holds control characters")
        try:
            out[name] = reader(text) if text else None
        except ValueError as error:
            raise BadRequest(f"parameter {name!r}: {error}") from None
    return out


def choice(values: Sequence[str]) -> Reader:
    def reader(text: str) -> str:
        if text not in values:
            shown = ", ".join(values[:20]) + (" …" if len(values) > 20 else "")
            raise ValueError(f"expected one of {shown}; got {text!r}")
        return text

    return reader


def integer(low: int, high: int) -> Reader:
    def reader(text: str) -> int:
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise ValueError(f"expected a whole number, got {text!r}")
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")
        return value

    return reader


def iso_date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a real day: {text!r}") from None


def year_end(text: str) -> YearEnd:
    try:
        return parse_year_end(text)
    except ValueError:
        raise ValueError(f"expected MM-DD, such as 12-31 or 12-05, got {text!r}") from None


def boolean(text: str) -> bool:
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def plain_text(text: str) -> str:
    return text


def token(text: str) -> str:
    """A key of the store (a source, a source id, a person id): printable, no spaces at
    either end."""
    if not text.isprintable():
        raise ValueError("holds characters that cannot be printed")
    return text
