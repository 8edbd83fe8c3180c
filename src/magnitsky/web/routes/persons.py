"""A person's page and ``/api/persons/…``: names and aliases, every listing with its
dates and the evidence of its basis, roles and countries, the events, the facts read from
official texts, and the cross-list matches with their scores when the matching is built.

A listing is addressed as ``/persons/{source}/{source_id}``; a person the matching put
together from listings of several lists as ``/persons/{person_id}``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import duckdb
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from magnitsky.web import crosslist, fields, responses, story
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.crosslist import NotBuilt
from magnitsky.web.params import BadRequest
from magnitsky.web.routes import catalogue, off_loop, settings
from magnitsky.web.templates import person_url

FACT_FIELDS = (
    "published",
    "text_kind",
    "document",
    "url",
    "kind",
    "label",
    "section",
    "matched",
    "sentence",
)

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head, listed %}
{% macro evidence(term, items) -%}
{% if items %}
<dt>{{ term }}</dt>
<dd><ul>{% for e in items %}<li>{{ e }}</li>{% endfor %}</ul></dd>
{% endif %}
{%- endmacro %}
{% block title %}{{ p.name }}{% endblock %}
{% block main %}
<h1>{{ p.name }}</h1>
<section aria-labelledby="story" class="story">
<h2 id="story" class="visually-hidden">Story</h2>
<p class="lead" id="sentence">{{ p.sentence }}</p>
{% if p.timeline %}
<ol class="timeline" id="timeline">
{% for s in p.timeline %}
<li><span class="step"><abbr title="{{ s.jurisdiction }}">{{ s.who }}</abbr> {{ s.when }}</span>
<span class="small">{{ s.program }} · listed {{ s.dates }} ({{ s.date_quality }}
{%- if s.order_open %}; the order with the step before is open{% endif %})
{%- if s.source_url %} · <a href="{{ s.source_url }}" rel="noreferrer">official list</a>
{%- endif %}
{%- if s.text_url %} · <a href="{{ s.text_url }}" rel="noreferrer">official text</a>{% endif %}
</span></li>
{% endfor %}
</ol>
{% endif %}
</section>
<p class="meta">{{ p.schema }} ·
{% if p.person_id and not p.source %}
person {{ p.person_id }}, listed by {{ p.jurisdictions|cell }}
{% else %}
entry <code>{{ p.source_id }}</code> of the list <code>{{ p.source }}</code>
{% endif %}
· <a href="{{ api }}">JSON</a></p>

<section aria-labelledby="names">
<h2 id="names">Names and aliases</h2>
<ul class="names">{% for n in p.names %}<li>{{ n }}</li>{% endfor %}</ul>
</section>

<section aria-labelledby="listings">
<h2 id="listings">Listings</h2>
<p>One per program and listing period, with how each date is known and the evidence of
the basis, roles and countries.</p>
{% for r in p.listings %}
<article class="listing" aria-labelledby="l-{{ loop.index }}">
<h3 id="l-{{ loop.index }}">{{ r.program }} <span class="small">({{ r.jurisdiction }}
{%- if r.source != p.source %}, <a href="{{ person_url(r.source, r.source_id) }}">
{{- r.source }} {{ r.source_id }}</a>{% endif %})</span></h3>
<dl>
<dt>Listed</dt>
<dd>{{ listed(r) }} — {{ r.date_quality }}; {{ r.date_source }}</dd>
{% if r.delisted_on %}
<dt>Delisted</dt>
<dd>{{ r.delisted_on|cell }} ({{ r.delisted_quality|cell }}
{%- if r.delisted_source %}; {{ r.delisted_source }}{% endif %})</dd>
{% endif %}
<dt>Basis</dt>
<dd>{{ r.basis }}{% if r.basis_evidence %} — {{ r.basis_evidence }}{% endif %}
{%- if r.basis_source %} <span class="small">(from the {{ r.basis_source }})</span>{% endif %}
</dd>
{{ evidence("Roles", r.role_evidence) }}
{{ evidence("Countries", r.country_evidence) }}
{% if r.unresolved_countries %}
<dt>Places not resolved</dt>
<dd>{{ r.unresolved_countries|cell }}</dd>
{% endif %}
{{ evidence("Abuse or corruption", r.theme_evidence) }}
{{ evidence("Victim groups", r.victim_evidence) }}
{% if r.linked_to %}<dt>Linked to</dt><dd>{{ r.linked_to|cell }}</dd>{% endif %}
{% if r.title %}<dt>Title</dt><dd>{{ r.title }}</dd>{% endif %}
</dl>
</article>
{% endfor %}
</section>

<section aria-labelledby="evidence">
<h2 id="evidence">Roles and themes, with their evidence</h2>
{% if p.evidence %}
<p>Only what a list or an official text shows, with the words that show it.</p>
<dl id="evidence-list">
{% for kind, label, items in p.evidence %}
<dt>{{ label }} <span class="small">({{ kind }})</span></dt>
<dd><ul>{% for e in items %}<li>{{ e }}</li>{% endfor %}</ul></dd>
{% endfor %}
</dl>
{% else %}
<p>No list or official text read shows a role or a theme for this person.</p>
{% endif %}
</section>

<section aria-labelledby="events">
<h2 id="events">Events</h2>
{% if p.events %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="events">
<table class="data">
{{ head(["Not before", "Not after", "Event", "Program", "Name then"]) }}
<tbody>
{% for e in p.events %}
<tr>
<td>{{ e.not_before|cell }}</td>
<td>{{ e.not_after|cell }}</td>
<td>{{ e.event_type }}</td>
<td>{{ e.program }}</td>
<td>{{ e.name }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% else %}
<p>No event: the entry is known from dated documents only, or was in the first snapshot
and never changed.</p>
{% endif %}
</section>

<section aria-labelledby="facts">
<h2 id="facts">What official texts say</h2>
{% if p.facts %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="facts">
<table class="data">
{{ head(["Published", "Text", "Fact", "Words", "Sentence"]) }}
<tbody>
{% for f in p.facts %}
<tr>
<td>{{ f.published|cell }}</td>
<td>{% if f.url %}<a href="{{ f.url }}" rel="noreferrer">{{ f.document }}</a>
{%- else %}{{ f.document }}{% endif %}</td>
<td>{{ f.kind }}: {{ f.label }}{% if f.section %} (s. {{ f.section }}){% endif %}</td>
<td>{{ f.matched }}</td>
<td>{{ f.sentence }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% else %}
<p>No official text read names this entry.</p>
{% endif %}
</section>

{% if p.awaiting %}
<section aria-labelledby="awaiting">
<h2 id="awaiting">Possible matches awaiting review</h2>
<p>The matcher found these listings alike but not enough to say they are this person;
nobody has judged them yet.</p>
<ul>
{% for m in p.awaiting %}
<li><a href="{{ person_url(m.source, m.source_id) }}">{{ m.source }} {{ m.source_id }}</a>
<span class="small">(score {{ m.score }})</span></li>
{% endfor %}
</ul>
</section>
{% endif %}

<section aria-labelledby="matching">
<h2 id="matching">Other lists</h2>
{% if p.matching %}
<p class="note">{{ p.matching }}.</p>
{% elif p.person_id and p.source %}
<p>Part of the person <a href="/persons/{{ p.person_id|urlencode }}">{{ p.person_id }}</a>,
with the listings the matching found on other lists.</p>
{% elif not p.person_id %}
<p>Not matched with a listing of another list.</p>
{% endif %}
{% if p.matches %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="matching">
<table class="data" id="matches">
{{ head(match_columns) }}
<tbody>
{% for m in p.matches %}
<tr>{% for c in match_columns %}<td>{{ m[c]|cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
{% if judging and p.members|length > 1 %}
<form class="judge" id="judge" data-endpoint="/api/matches" hidden>
<fieldset><legend>Judge a match (needs the server's write token)</legend>
<div class="field"><label for="j-a">Listing</label>
<select id="j-a" name="a">
{% for m in p.members %}<option value="{{ m }}">{{ m }}</option>{% endfor %}
</select></div>
<div class="field"><label for="j-b">and listing</label>
<select id="j-b" name="b">
{% for m in p.members %}
<option value="{{ m }}"{% if loop.index == 2 %} selected{% endif %}>{{ m }}</option>
{% endfor %}
</select></div>
<div class="field"><label for="j-token">Write token</label>
<input id="j-token" name="token" type="password" autocomplete="off"></div>
</fieldset>
<p class="actions">
<button type="submit" name="verdict" value="confirm">Confirm: the same person</button>
<button type="submit" name="verdict" value="reject">Reject: not the same</button></p>
<p class="status" role="status" aria-live="polite"></p>
</form>
<noscript><p class="note">Without JavaScript: <code>curl -X POST -H "Authorization: Bearer
$MAGNITSKY_WEB_TOKEN" …/api/matches/{listing}/{listing}/confirm</code> (or
<code>reject</code>).</p></noscript>
{% endif %}
</section>
{% endblock %}
"""


def _names(rows: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[str]:
    """The latest name first, then the aliases, then the names the entry had before."""
    names = [r["name"] for r in reversed(rows)]
    names += [a for r in rows for a in r.get("aliases") or ()]
    names += [e["name"] for e in reversed(events)]
    return list(dict.fromkeys(n for n in names if n))


def _members(keys: list[str], matches: list[dict[str, Any]]) -> list[str]:
    """The listings a judgement may pair: the person's own and those of every match."""
    return list(dict.fromkeys([*keys, *(k for m in matches for k in (m["a"], m["b"]))]))


def _awaiting(keys: list[str], matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listings outside the person that a possible match, not judged yet, points to."""
    out: dict[str, dict[str, Any]] = {}
    for m in matches:
        if m.get("status") != "possible" or m.get("judgement"):
            continue
        for mine, other in ((m["a"], m["b"]), (m["b"], m["a"])):
            if mine in keys and other not in keys and other not in out:
                source, source_id = other.split(":", 1)
                out[other] = {"source": source, "source_id": source_id, "score": m["score"]}
    return list(out.values())


EVIDENCE_KINDS = (
    ("role_evidence", "role"),
    ("theme_evidence", "abuse or corruption"),
    ("victim_evidence", "victim group"),
)


def _evidence(listings: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    """Each role, theme and victim group of the person with every piece of evidence
    for it ("label: the words in the sentence (where)"); one with none is not shown."""
    out: dict[tuple[str, str], list[str]] = {}
    for field, kind in EVIDENCE_KINDS:
        for r in listings:
            for item in r.get(field) or ():
                label, _, said = str(item).partition(": ")
                if said.strip():
                    found = out.setdefault((kind, label.replace("_", " ")), [])
                    if said not in found:
                        found.append(said)
    return [(kind, label, items) for (kind, label), items in out.items()]


def _story(found: dict[str, Any]) -> dict[str, Any]:
    timeline = story.steps(found["listings"])
    return found | {
        "evidence": _evidence(found["listings"]),
        "sentence": story.sentence(found["name"], timeline),
        "timeline": timeline,
        "awaiting": _awaiting(found["members"], found["matches"]),
    }


def listing(cat: Catalogue, source: str, source_id: str) -> dict[str, Any] | None:
    """A listing: its designations analysed, events, the official texts' facts, and the
    person the matching put it in (or why there is none)."""
    indices = cat.by_entry.get((source, source_id))
    if not indices:
        return None
    rows = cat.enriched(indices)
    person_id: str | None = None
    matching: str | None = None
    with cat.store() as store:
        events = store.dicts(
            f"SELECT {', '.join(fields.EVENTS)} FROM events WHERE source = ? AND source_id = ?"
            " ORDER BY not_after, program, event_type",
            [source, source_id],
        )
        try:
            person_id = crosslist.person_of(store, (source, source_id))
            found = crosslist.person(store, person_id) if person_id else None
        except NotBuilt as missing:
            matching, found = str(missing), None
        key = f"{source}:{source_id}"
        matches = [m for m in (found or {}).get("matches", []) if key in (m["a"], m["b"])]
    facts = cat.facts(source, source_id)
    latest = rows[-1]
    return _story(
        {
            "id": f"{source}:{source_id}",
            "person_id": person_id,
            "source": source,
            "source_id": source_id,
            "name": latest["name"],
            "schema": latest["schema"],
            "jurisdictions": sorted({r["jurisdiction"] for r in rows}),
            "names": _names(rows, events),
            "listings": [fields.project(r, fields.LISTING_DETAIL) for r in rows],
            "events": events,
            "facts": [{k: f.get(k) for k in FACT_FIELDS} for f in facts],
            "matching": matching,
            "matches": matches,
            "members": _members([key], matches),
        }
    )


def person(cat: Catalogue, person_id: str) -> dict[str, Any] | None:
    """A person of the matching: every listing of theirs, on every list. Raises NotBuilt."""
    with cat.store() as store:
        found = crosslist.person(store, person_id)
    if not found:
        return None
    members = [
        (str(m["source"]), str(m["source_id"]))
        for m in found.get("listings", [])
        if (str(m.get("source")), str(m.get("source_id"))) in cat.by_entry
    ]
    parts = [p for p in (listing(cat, s, i) for s, i in members) if p]
    if not parts:
        return None
    rows = [r for p in parts for r in p["listings"]]
    return _story(
        {
            "id": person_id,
            "person_id": person_id,
            "source": None,
            "source_id": None,
            "name": parts[0]["name"],
            "schema": parts[0]["schema"],
            "jurisdictions": sorted({j for p in parts for j in p["jurisdictions"]}),
            "names": list(dict.fromkeys(n for p in parts for n in p["names"])),
            "listings": sorted(rows, key=lambda r: (r["listed_not_after"], r["program"])),
            "events": [e | {"source": p["source"]} for p in parts for e in p["events"]],
            "facts": [f for p in parts for f in p["facts"]],
            "matching": None,
            "matches": list(found.get("matches") or []),
            "members": _members([p["id"] for p in parts], found.get("matches") or []),
        }
    )


def _entry(request: Request) -> tuple[str, str]:
    source = request.path_params["source"]
    source_id = request.path_params["source_id"]
    if source not in catalogue(request).sources():
        raise BadRequest(f"no list named {source!r} in the store", 404)
    if not source_id.isprintable() or len(source_id) > 200:
        raise BadRequest("not a source id", 400)
    return source, source_id


async def _listing(request: Request) -> dict[str, Any]:
    source, source_id = _entry(request)
    found = await off_loop(True, listing, catalogue(request), source, source_id)
    if found is None:
        raise BadRequest(f"no entry {source_id!r} on the list {source!r}", 404)
    return found


async def _person(request: Request) -> dict[str, Any]:
    person_id = request.path_params["person_id"]
    if not person_id.isprintable() or len(person_id) > 200:
        raise BadRequest("not a person id", 400)
    try:
        found = await off_loop(True, person, catalogue(request), person_id)
    except NotBuilt as missing:
        raise BadRequest(
            f"{missing}; a listing's page is /persons/{{source}}/{{source_id}}", 404
        ) from None
    if found is None:
        moved = await off_loop(True, _moved, catalogue(request), person_id)
        if moved is not None:
            api = "/api" if request.url.path.startswith("/api/") else ""
            raise Moved(f"{api}/persons/{quote(moved, safe='')}")
        raise BadRequest(
            f"no person {person_id!r} in this store: find them by name with the search box", 404
        )
    return found


class Moved(Exception):
    """A person's old address: the person it was merged into lives at ``location``."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _moved(cat: Catalogue, person_id: str) -> str | None:
    """The person an old id now redirects to (the matching keeps the map), or None."""
    with cat.store() as store:
        try:
            found = store.scalar(
                "SELECT person_id FROM person_redirects WHERE old_id = ?", [person_id]
            )
        except duckdb.Error:  # a store from before the map
            return None
    return None if found is None else str(found)


def _page(request: Request, found: dict[str, Any], api: str) -> Response:
    columns = list(dict.fromkeys(k for m in found["matches"] for k in m))
    return responses.page(
        request,
        PAGE,
        "",
        p=found,
        api=api,
        match_columns=columns,
        judging=settings(request).token is not None and not found["matching"],
    )


async def listing_page(request: Request) -> Response:
    found = await _listing(request)
    return _page(request, found, "/api" + person_url(found["source"], found["source_id"]))


async def person_page(request: Request) -> Response:
    try:
        found = await _person(request)
    except Moved as moved:
        return RedirectResponse(moved.location, 301)
    return _page(request, found, f"/api/persons/{quote(found['person_id'], safe='')}")


async def listing_api(request: Request) -> Response:
    return responses.json(await _listing(request))


async def person_api(request: Request) -> Response:
    try:
        return responses.json(await _person(request))
    except Moved as moved:
        return RedirectResponse(moved.location, 301)
