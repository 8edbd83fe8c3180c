"""Find a person by any of their names: one query against the names and aliases of every
list, in any word order, regardless of accents, case or script, tolerant of spellings.

Names are read into tokens as the matcher reads them (:func:`magnitsky.matching.names.forms`:
``rigour`` transliterates every part to Latin, lower-cases it, drops accents, stop words
and an organisation's legal form, and keys it by Metaphone). A query is read the same way;
each of its tokens is looked up in the vocabulary of every token of every name (blocking):
the same text, the same sound, a spelling within rapidfuzz's edit distance
(:data:`magnitsky.matching.names.TOKEN_MATCH`), or, for the word being typed, a token it
begins. Only the names holding one of those tokens are scored: how much of the query they
cover, a little less for every token of theirs the query leaves out.

Results are persons (the clusters of :mod:`magnitsky.matching`; a listing on its own
where the matching has not been run), ranked by how well their best name agrees, then
by how many lists name them. A query that finds nothing gets the nearest names instead.

Reading every name takes seconds (rigour's analysis of names, its table of country
names); ``build`` keeps what it read in the store (:func:`remember_names`: tables
``search_forms`` and ``search_countries``, keyed by the names and the country texts
themselves), so a server builds its index from them in a fraction of a second. Names the
tables lack (an older store) are read then.

    index = SearchIndex.of(store)
    found = index.search("salameh riad")
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from math import ceil
from typing import Any
from urllib.parse import quote

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from rigour.names import pick_name

from magnitsky.analysis import countries
from magnitsky.analysis.countries import resolve
from magnitsky.matching.names import TOKEN_MATCH, Token, forms, token, token_similarity
from magnitsky.programs import is_magnitsky
from magnitsky.store import Store

PREFIX = 0.8
"""The similarity of the word being typed (the query's last, 3 letters or more) to a
longer token it begins ("salam" -> "salameh")."""
PREFIXES_TRIED = 200
"""Tokens a typed prefix may stand for (the first in alphabetical order)."""
UNMATCHED_COST = 0.15
"""What each token of a name the query leaves out costs (a patronymic costs little)."""
FLOOR = 0.5
"""Names agreeing less than this are not results."""
SUGGESTIONS = 5
ALIKE_KEPT = 50_000
"""Query words whose spelt-alike tokens are kept (a word typed again costs nothing)."""
ROWS = (
    "SELECT source, source_id, jurisdiction, program, name, aliases, schema, countries,"
    " listed_not_before, listed_not_after, date_quality FROM designations"
)
Forms = dict[str, list[tuple[str, tuple[Token, ...]]]]
"""Name forms by key (:func:`_names_key`): (original, tokens) of each."""
KeptForms = dict[str, list[tuple[str, str]]]
"""Name forms by key as the store keeps them: (original, token texts joined by
:data:`SEP`) of each."""


@dataclass
class Person:
    """A person as the search shows them: ids, names and what every list says."""

    person_id: str
    """The matching's person id, or ``source:source_id`` for a listing not matched."""
    url: str
    names: list[str] = field(default_factory=list)
    schema: str = ""
    listings: set[tuple[str, str]] = field(default_factory=set)
    jurisdictions: set[str] = field(default_factory=set)
    programs: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    first_listed: date | None = None
    first_quality: str | None = None

    @property
    def magnitsky(self) -> bool:
        return any(is_magnitsky(p) for p in self.programs)

    def name(self) -> str:
        return pick_name(self.names[:20]) or self.names[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "url": self.url,
            "name": self.name(),
            "schema": self.schema,
            "jurisdictions": sorted(self.jurisdictions),
            "programs": sorted(self.programs, key=lambda p: (not is_magnitsky(p), p)),
            "countries": sorted(self.countries),
            "first_listed": self.first_listed,
            "first_listed_quality": self.first_quality,
            "listings": len(self.listings),
        }


@dataclass(frozen=True)
class Hit:
    person: Person
    score: float
    matched: str
    """The name or alias that agreed best."""

    def as_dict(self) -> dict[str, Any]:
        return {**self.person.as_dict(), "score": round(self.score, 3), "matched": self.matched}


@dataclass(frozen=True)
class Found:
    query: str
    hits: list[Hit]
    suggestions: list[Hit]
    """When nothing was found: the nearest names."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "results": [h.as_dict() for h in self.hits],
            "suggestions": [h.as_dict() for h in self.suggestions],
        }


def _person_url(person_id: str) -> str:
    if ":" in person_id:
        source, source_id = person_id.split(":", 1)
        return f"/persons/{quote(source, safe='')}/{quote(source_id, safe='/')}"
    return f"/persons/{quote(person_id, safe='')}"


def _persons_of(store: Store) -> dict[tuple[str, str], str]:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'persons'"
    )
    if not found:
        return {}
    return {
        (s, i): str(p) for p, s, i in store.rows("SELECT person_id, source, source_id FROM persons")
    }


def _names_key(names: tuple[str, ...], schema: str) -> str:
    return "\x1f".join((schema, *names))


def _order(r: Mapping[str, Any]) -> tuple[Any, ...]:
    """The index's order of designations: by listing date (the earliest listing's names
    first), then source and id."""
    listed = r.get("listed_not_after")
    return (listed is None, listed or date.min, r["source"], r["source_id"])


class SearchIndex:
    """Every name of every listing, tokenised, with the persons they belong to.

    Built for a server's first search, so built as arrays: the names' tokens are one flat
    list, their postings (which names hold a token) one array sliced by offsets, and a
    person's facts (names, lists, countries) are gathered from their designations only
    when a search shows them."""

    def __init__(
        self,
        rows: Sequence[dict[str, Any]],
        person_of: dict[tuple[str, str], str],
        known: KeptForms | None = None,
        places: dict[str, str | None] | None = None,
        phonetics: dict[str, str | None] | None = None,
    ):
        """``rows``: designations in :func:`_order`; ``known``, ``phonetics`` and
        ``places``: name forms, their tokens' Metaphone keys and country codes already
        read (what the store keeps), else read now."""
        self._rows = rows
        self.places = dict(places or {})
        self.read_forms: KeptForms = {}
        """Forms read here (not ``known``)."""
        known = known or {}
        self.phonetics: dict[str, str | None] = dict(phonetics or {})
        """The Metaphone key of every token of the names."""
        self.person_ids: list[str] = []
        self._person_rows: list[list[int]] = []
        by_id: dict[str, int] = {}
        name_person: list[int] = []
        self.originals: list[str] = []
        """Every name form's text as the list gives it."""
        texts: list[str] = []
        seen: set[tuple[str, str]] = set()
        for i, r in enumerate(rows):
            key = (r["source"], r["source_id"])
            pid = person_of.get(key) or f"{key[0]}:{key[1]}"
            at = by_id.get(pid)
            if at is None:
                at = by_id[pid] = len(self.person_ids)
                self.person_ids.append(pid)
                self._person_rows.append([])
            self._person_rows[at].append(i)
            if key in seen:
                continue
            seen.add(key)
            names = (r["name"], *(a for a in r.get("aliases") or () if a))
            names_key = _names_key(names, r["schema"])
            read = known.get(names_key) or self.read_forms.get(names_key)
            if read is None:
                read = self.read_forms[names_key] = self._read(names, r["schema"])
            for original, joined in read:
                name_person.append(at)
                self.originals.append(original)
                texts.append(joined)
        self.name_person = np.array(name_person, dtype=np.int32)
        """The person of each name form."""
        self._texts = texts
        self.lengths = np.array([t.count(SEP) + 1 if t else 0 for t in texts], dtype=np.int32)
        ids: dict[str, int] = {}
        setdefault = ids.setdefault
        flat = [setdefault(t, len(ids)) for t in SEP.join(t for t in texts if t).split(SEP)]
        size = max(len(texts), 1)
        pairs = np.unique(
            np.array(flat, dtype=np.int64) * size
            + np.repeat(np.arange(len(texts), dtype=np.int64), self.lengths)
        )  # each (token, name) once, by token then name
        token_of = pairs // size
        self._held = (pairs % size).astype(np.int32)
        self._starts = np.searchsorted(token_of, np.arange(len(ids) + 1))
        self._ids = ids
        self.vocabulary = sorted(ids)
        self.sounds: dict[str, list[str]] = defaultdict(list)
        """Tokens by their Metaphone key (3 letters or more: what :func:`token` calls a
        sound)."""
        self.by_start: dict[tuple[int, str], list[str]] = defaultdict(list)
        self.by_end: dict[tuple[int, str], list[str]] = defaultdict(list)
        for text in self.vocabulary:
            phonetic = self.phonetics.get(text)
            if phonetic and len(phonetic) >= 3:
                self.sounds[phonetic].append(text)
            self.by_start[(len(text), text[0])].append(text)
            self.by_end[(len(text), text[-1])].append(text)
        self.persons = _Persons(self)
        self._alike: dict[str, list[str]] = {}

    def _read(self, names: tuple[str, ...], schema: str) -> list[tuple[str, str]]:
        """A listing's name forms read now (a store that does not keep them)."""
        out = []
        for f in forms(names, schema):
            for t in f.tokens:
                self.phonetics.setdefault(t.text, t.phonetic)
            out.append((f.original, SEP.join(t.text for t in f.tokens)))
        return out

    @classmethod
    def of(cls, store: Store, rows: Iterable[dict[str, Any]] | None = None) -> SearchIndex:
        """The index of the store's designations (``rows``: those already read, in any
        order), from the name forms and country codes the store keeps where it has them."""
        found = store.dicts(ROWS) if rows is None else list(rows)
        found.sort(key=_order)
        known, phonetics, places = _kept(store)
        return cls(found, _persons_of(store), known, places, phonetics)

    def posting(self, text: str) -> np.ndarray:
        """The names holding a token (each once)."""
        at = self._ids[text]
        return self._held[self._starts[at] : self._starts[at + 1]]

    def _token(self, text: str) -> Token:
        return token(text, self.phonetics.get(text))

    @cached_property
    def strings(self) -> list[str]:
        """Every distinct name, its words sorted (the nearest names compare these)."""
        return list(self._first_strings)

    @cached_property
    def string_names(self) -> list[int]:
        """The first name form of each of :attr:`strings`."""
        return list(self._first_strings.values())

    @cached_property
    def _first_strings(self) -> dict[str, int]:
        first: dict[str, int] = {}
        for n, joined in enumerate(self._texts):
            first.setdefault(" ".join(sorted(joined.split(SEP))), n)
        return first

    # --- the query --------------------------------------------------------------------

    def _query_forms(self, query: str) -> list[tuple[Token, ...]]:
        """The query's tokens, read as a person's name and as an organisation's (which
        drops a legal form: "Foo LLC" is "foo")."""
        out: dict[tuple[str, ...], tuple[Token, ...]] = {}
        for schema in ("Person", "Organization"):
            for form in forms((query,), schema):
                out.setdefault(form.texts, form.tokens)
        return list(out.values())

    def _candidates(self, q: Token, typing: bool) -> dict[str, float]:
        """Vocabulary tokens like the query token, with their similarity."""
        found: dict[str, float] = {}
        if q.text in self._ids:
            found[q.text] = 1.0
        if len(q.text) > 1:
            for text in self._spelt_alike(q.text):
                found.setdefault(text, 0.0)
            for text in self.sounds.get(q.phonetic or "", ()) if q.sound >= 0 else ():
                found.setdefault(text, 0.0)
        for text in list(found):
            if found[text] < 1.0:
                found[text] = token_similarity(q, self._token(text))[0]
        if typing and len(q.text) >= 3:
            start = bisect.bisect_left(self.vocabulary, q.text)
            for text in self.vocabulary[start : start + PREFIXES_TRIED]:
                if not text.startswith(q.text):
                    break
                found[text] = max(found.get(text, 0.0), PREFIX)
        return {t: s for t, s in found.items() if s > 0}

    def _spelt_alike(self, text: str) -> list[str]:
        """Vocabulary tokens within the edit distance :data:`TOKEN_MATCH` allows. Blocked:
        only tokens of a length that can be that close, and that begin or end with the
        same letter, are compared (a word misspelt at both ends is left to the sound
        index)."""
        found = self._alike.get(text)
        if found is None:
            seen: set[str] = set()
            size = len(text)
            low, high = max(1, ceil(size * TOKEN_MATCH)), int(size / TOKEN_MATCH)
            for length in range(low, high + 1):
                allowed = int(max(size, length) * (1 - TOKEN_MATCH))
                if not allowed:  # the same text only: looked up already
                    continue
                for bucket in (
                    self.by_start.get((length, text[0]), ()),
                    self.by_end.get((length, text[-1]), ()),
                ):
                    if bucket:
                        seen.update(
                            t
                            for t, _, _ in process.extract(
                                text,
                                bucket,
                                scorer=Levenshtein.distance,
                                score_cutoff=allowed,
                                limit=None,
                            )
                        )
            found = sorted(seen)
            if len(self._alike) >= ALIKE_KEPT:
                self._alike.clear()
            self._alike[text] = found
        return found

    def _score(self, query: tuple[Token, ...]) -> Iterable[tuple[int, float]]:
        """(name, score) of every name that holds enough of the query (half its words at
        least) and agrees at least :data:`FLOOR`. The names are scored as arrays: for each
        query word, the best similarity of each name's words to it."""
        size = len(query)
        total = np.zeros(len(self.originals))
        held = np.zeros(len(self.originals), dtype=np.int32)
        last = size - 1
        for i, q in enumerate(query):
            best = np.zeros(len(self.originals))
            for text, sim in self._candidates(q, typing=i == last).items():
                at = self.posting(text)  # each name once
                best[at] = np.maximum(best[at], sim)
            total += best
            held += best > 0
        needed = max(1, (size + 1) // 2)
        unmatched = np.maximum(self.lengths - held, 0)
        value = (total - UNMATCHED_COST * unmatched) / size
        chosen = np.nonzero((held >= needed) & (value >= FLOOR))[0]
        return zip(chosen.tolist(), value[chosen].tolist(), strict=True)

    def search(self, query: str, limit: int = 10) -> Found:
        query = " ".join(query.split())[:200]
        ranked: dict[int, tuple[float, str]] = {}
        for tokens in self._query_forms(query) if query else []:
            for n, value in self._score(tokens):
                person = int(self.name_person[n])
                if value > ranked.get(person, (-1.0, ""))[0]:
                    ranked[person] = (value, self.originals[n])
        order = sorted(
            ranked.items(),
            key=lambda kv: (
                -round(kv[1][0], 3),
                -self.persons[kv[0]].magnitsky,
                -len(self.persons[kv[0]].jurisdictions),
                self.persons[kv[0]].person_id,
            ),
        )
        hits = [Hit(self.persons[p], v, m) for p, (v, m) in order[:limit]]
        return Found(query, hits, [] if hits or not query else self.nearest(query))

    def nearest(self, query: str, limit: int = SUGGESTIONS) -> list[Hit]:
        """The names nearest the query: whole names compared, their words sorted (the
        names' sorted forms are kept, so this is rapidfuzz's ratio of two strings: the
        token sort ratio without sorting 50,000 names again for every query)."""
        texts = {" ".join(sorted(t.text for t in f)) for f in self._query_forms(query)}
        out: dict[int, Hit] = {}
        for text in sorted(texts):
            for _, value, at in process.extract(
                text, self.strings, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=30
            ):
                n = self.string_names[at]
                person = int(self.name_person[n])
                if person not in out or out[person].score < value / 100:
                    out[person] = Hit(self.persons[person], value / 100, self.originals[n])
        return sorted(out.values(), key=lambda h: -h.score)[:limit]


class _Persons(Sequence[Person]):
    """The index's persons, each gathered from their designations when first shown."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index
        self._made: dict[int, Person] = {}

    def __len__(self) -> int:
        return len(self._index.person_ids)

    def __getitem__(self, at: int) -> Person:  # type: ignore[override]
        found = self._made.get(at)
        if found is None:
            index = self._index
            rows = [index._rows[i] for i in index._person_rows[at]]
            pid = index.person_ids[at]
            found = Person(pid, _person_url(pid), schema=rows[0]["schema"])
            for r in rows:
                if (r["source"], r["source_id"]) not in found.listings:
                    found.names.append(r["name"])
                _add_listing(found, r, index.places)
            self._made[at] = found
        return found


def _add_listing(p: Person, r: dict[str, Any], places: dict[str, str | None]) -> None:
    p.listings.add((r["source"], r["source_id"]))
    p.jurisdictions.add(r["jurisdiction"])
    p.programs.add(r["program"])
    for text in r.get("countries") or ():
        if text not in places:
            places[text] = resolve(text)
        code = places[text]
        if code:
            p.countries.add(code)
    listed = r.get("listed_not_after")
    if listed is not None and (p.first_listed is None or listed < p.first_listed):
        p.first_listed = listed
        p.first_quality = r.get("date_quality")


TABLES = ("search_forms", "search_tokens", "search_countries")
SEP = "\x1f"


def _has_tables(store: Store) -> bool:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN (SELECT UNNEST(?))",
        [list(TABLES)],
    )
    return bool(found == len(TABLES))


def _kept(store: Store) -> tuple[KeptForms, dict[str, str | None], dict[str, str | None]]:
    """The name forms, their tokens' Metaphone keys and the country codes the store keeps
    (none in an older store)."""
    if not _has_tables(store):
        return {}, {}, {}
    phonetics = dict(store.rows("SELECT text, phonetic FROM search_tokens"))
    known: KeptForms = defaultdict(list)
    for key, original, texts in store.rows(
        "SELECT key, original, texts FROM search_forms ORDER BY key, seq"
    ):
        known[key].append((original, texts))
    places = dict(store.rows("SELECT text, code FROM search_countries"))
    return dict(known), phonetics, places


def _insert(store: Store, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        columns = [list(c) for c in zip(*rows, strict=True)]
        unnested = ", ".join("UNNEST(?)" for _ in columns)
        store.con.execute(f"INSERT INTO {table} SELECT {unnested}", columns)


def remember_names(
    store: Store,
    rows: Sequence[Mapping[str, Any]] | None = None,
    *,
    countries_read: bool = False,
) -> int:
    """Keep in the store the name forms and country codes of every designation the store
    does not keep yet (``build`` calls this, ``rows``: the designations it read, in the
    order of :func:`magnitsky.queries.designations`; ``countries_read``: the country
    texts of their records are resolved already, see
    :class:`magnitsky.matching.listings.Reading`): the search index is then built
    without reading a name. Returns the number of name forms added."""
    if not _has_tables(store):
        return 0
    from magnitsky import queries

    load_countries(store)
    rows = queries.designations(store) if rows is None else rows
    kept = {key for (key,) in store.rows("SELECT DISTINCT key FROM search_forms")}
    known = {t for (t,) in store.rows("SELECT text FROM search_countries")}
    read: Forms = {}
    places: dict[str, str | None] = {}
    seen: set[tuple[str, str]] = set()
    for r in sorted(rows, key=_order):  # as the index reads them: a listing's first names
        for text in r.get("countries") or ():
            if text not in known and text not in places:
                places[text] = resolve(text)
        key = (r["source"], r["source_id"])
        if key in seen:
            continue
        seen.add(key)
        names = (r["name"], *(a for a in r.get("aliases") or () if a))
        names_key = _names_key(names, r["schema"])
        if names_key not in kept and names_key not in read:
            read[names_key] = [(f.original, f.tokens) for f in forms(names, r["schema"])]
    forms_rows = [
        (key, seq, original, SEP.join(t.text for t in tokens))
        for key, found in read.items()
        for seq, (original, tokens) in enumerate(found)
    ]
    _insert(store, "search_forms", forms_rows)
    have = {t for (t,) in store.rows("SELECT text FROM search_tokens")}
    new = {
        t.text: t.phonetic
        for found in read.values()
        for _, tokens in found
        for t in tokens
        if t.text not in have
    }
    _insert(store, "search_tokens", list(new.items()))
    if not countries_read:
        _country_texts(store, rows)
    places.update({t: c for t, c in countries.RESOLVED.items() if t not in known})
    _insert(store, "search_countries", [(t, c) for t, c in places.items() if t not in known])
    return len(forms_rows)


def _country_texts(store: Store, rows: Sequence[Mapping[str, Any]]) -> None:
    """Resolve every country text the analysis of the designations looks up
    (nationalities, birth places, addresses, identifiers, the lists' countries): what
    :func:`magnitsky.analysis.countries.resolve` would answer, kept so that a server
    answers without loading rigour's table of names."""
    from magnitsky.analysis.designations import with_records

    for row in with_records(store, rows):
        countries.places(row)


def load_countries(store: Store) -> int:
    """Let :func:`magnitsky.analysis.countries.resolve` answer the texts the store keeps
    (see :func:`remember_names`) without rigour; the number of texts."""
    if not _has_tables(store):
        return 0
    found = dict(store.rows("SELECT text, code FROM search_countries"))
    countries.KNOWN.update(found)
    return len(found)


def search(store: Store, query: str, limit: int = 10) -> Found:
    """One search over the store (builds the index: a few seconds; keep a
    :class:`SearchIndex` to answer many)."""
    return SearchIndex.of(store).search(query, limit)
