"""The pages' HTML: Jinja2 templates kept as Python strings. The layout and the macros
are here; each page's own template lives beside its route. Everything from the data is
escaped (autoescape); every page reads without JavaScript (``app.js`` only adds to it)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from html import escape
from typing import Any
from urllib.parse import quote

from jinja2 import DictLoader, Environment, StrictUndefined, Template
from markupsafe import Markup

from magnitsky import labels
from magnitsky.web import words

LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} · magnitsky</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<p class="site"><a href="/">magnitsky</a>
<span class="tagline">Magnitsky-style sanctions, from the governments' own lists</span></p>
<nav aria-label="Sections"><ul>
{% for href, label, key in sections %}
<li><a href="{{ href }}"{% if key == nav %} aria-current="page"{% endif %}>{{ label }}</a></li>
{% endfor %}
</ul></nav>
<form class="search" role="search" action="/search" method="get">
<label for="q">Find a person</label>
<input id="q" name="q" type="search" autocomplete="off" spellcheck="false"
       placeholder="a name in any order or script" value="{{ query|default('') }}">
<button type="submit">Search</button>
</form>
</header>
<main id="main" tabindex="-1">
{% block main %}{% endblock %}
</main>
<footer><p>Every number is traceable to the official record behind it; every date says
how it is known. Data: <code>{{ store_name }}</code>.
<a href="/downloads">Downloads</a> · <a href="/docs">API</a></p></footer>
</body>
</html>
"""

MACROS = """
{% macro head(labels) -%}
<thead><tr>{% for label in labels %}<th scope="col">{{ label }}</th>{% endfor %}</tr></thead>
{%- endmacro %}

{% macro listed(r) -%}
{%- if r.date_quality == "exact" or r.listed_not_before == r.listed_not_after -%}
<time datetime="{{ r.listed_not_after }}">{{ r.listed_not_after }}</time>
{%- elif r.listed_not_before -%}
between <time datetime="{{ r.listed_not_before }}">{{ r.listed_not_before }}</time>
and <time datetime="{{ r.listed_not_after }}">{{ r.listed_not_after }}</time>
{%- else -%}
on or before <time datetime="{{ r.listed_not_after }}">{{ r.listed_not_after }}</time>
{%- endif -%}
{%- endmacro %}

{% macro person_link(r) -%}
<a href="{{ person_url(r.source, r.source_id) }}">{{ r.name }}</a>
{%- endmacro %}

{% macro pager(sel, result, label) -%}
{% if result.pages > 1 %}
<nav class="pager" aria-label="{{ label }} pages">
<ul>
{% if sel.page > 1 %}
<li><a href="{{ sel.link(page=sel.page - 1) }}" rel="prev">Previous</a></li>
{% endif %}
{% for p in page_numbers(sel.page, result.pages) %}
{% if p is none %}
<li aria-hidden="true">…</li>
{% else %}
<li><a href="{{ sel.link(page=p) }}"
{%- if p == sel.page %} aria-current="page"{% endif %}>{{ p }}</a></li>
{% endif %}
{% endfor %}
{% if sel.page < result.pages %}
<li><a href="{{ sel.link(page=sel.page + 1) }}" rel="next">Next</a></li>
{% endif %}
</ul>
</nav>
{% endif %}
{%- endmacro %}

{% macro select(name, label, options, value, any_label="any") -%}
<div class="field">
<label for="f-{{ name }}">{{ label }}</label>
<select id="f-{{ name }}" name="{{ name }}">
{% if any_label is not none %}<option value="">{{ any_label }}</option>{% endif %}
{% for v, text in pairs(options) %}
<option value="{{ v }}"{% if value is not none and v == value|string %} selected{% endif %}>
{{- text }}</option>
{% endfor %}
</select>
</div>
{%- endmacro %}

{% macro input(name, label, value, type="text", hint="") -%}
<div class="field">
<label for="f-{{ name }}">{{ label }}</label>
<input id="f-{{ name }}" name="{{ name }}" type="{{ type }}"
       value="{{ value if value is not none else "" }}"
{%- if hint %} aria-describedby="f-{{ name }}-hint"{% endif %}>
{% if hint %}<span class="hint" id="f-{{ name }}-hint">{{ hint }}</span>{% endif %}
</div>
{%- endmacro %}
"""

SECTIONS = (
    ("/", "Overview", "overview"),
    ("/designations", "Designations", "designations"),
    ("/events", "Events", "events"),
    ("/precedents", "Precedents", "precedents"),
    ("/year", "The year", "year"),
    ("/multilateral", "Multilateral", "multilateral"),
    ("/downloads", "Downloads", "downloads"),
    ("/docs", "API", "docs"),
)


def cell(value: Any) -> str:
    """A value as text: lists joined with "; ", dates in ISO 8601, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def span(lo: Any, hi: Any) -> str:
    """``3`` or ``3–5``: a count known as a range."""
    return cell(lo) if lo == hi else f"{cell(lo)}–{cell(hi)}"


def code(text: str) -> Markup:
    """Text with `quoted` parts set as code (the API description is written so)."""
    parts = re.split(r"`([^`]+)`", text)
    return Markup(
        "".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p) for i, p in enumerate(parts))
    )


def pairs(options: Any) -> list[tuple[str, str]]:
    """Options of a select as (value, text): a plain string is both."""
    return [(o, o) if isinstance(o, str) else (str(o[0]), str(o[1])) for o in options]


def person_url(source: str, source_id: str) -> str:
    return f"/persons/{quote(source, safe='')}/{quote(source_id, safe='/')}"


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page links to show: the first, the last, and two around the current one (None:
    a gap)."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for before, p in zip([0, *shown], shown, strict=False):
        if before and p - before > 1:
            out.append(None)
        out.append(p)
    return out


@cache
def environment() -> Environment:
    env = Environment(
        loader=DictLoader({"layout.html": LAYOUT, "macros.html": MACROS}),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["code"] = code
    env.filters["countries"] = words.countries
    env.filters["jurisdictions"] = words.jurisdictions
    env.filters["programs"] = words.program_labels
    env.globals.update(
        sections=SECTIONS,
        span=span,
        pairs=pairs,
        person_url=person_url,
        program_title=labels.program_title,
        page_numbers=page_numbers,
    )
    return env


@cache
def compiled(source: str) -> Template:
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    return compiled(source).render(**context)
