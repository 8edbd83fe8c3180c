"""The words of :mod:`magnitsky.labels` in a page's tables, with the code on hover
(``<abbr title="RU">Russia</abbr>``); the API keeps the codes."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from magnitsky.labels import country_name, jurisdiction_label, program_title


def _abbr(code: str, text: str) -> Markup:
    return Markup('<abbr title="{}">{}</abbr>').format(code, text)


def countries(codes: Iterable[str] | str | None) -> Markup:
    """Country names with their codes on hover, joined by "; "."""
    if not codes:
        return Markup("")
    items = [codes] if isinstance(codes, str) else list(codes)
    return Markup("; ").join(_abbr(c, country_name(c)) for c in items)


def jurisdictions(codes: Iterable[str] | str | None) -> Markup:
    if not codes:
        return Markup("")
    items = [codes] if isinstance(codes, str) else list(codes)
    return Markup("; ").join(_abbr(c, jurisdiction_label(c)) for c in items)


def program_labels(keys: Iterable[str] | str | None) -> Markup:
    """Program keys as written (they are the vocabulary), their titles on hover."""
    if not keys:
        return Markup("")
    items = [keys] if isinstance(keys, str) else list(keys)
    return Markup("; ").join(
        Markup('<span title="{}">{}</span>').format(program_title(k), k) for k in items
    )
