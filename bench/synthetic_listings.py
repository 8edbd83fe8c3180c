"""Synthetic listings at a multiple of today's: the real listings, and for each further
copy a new set of identities made from real name parts.

Each copy k takes every real person (a cluster of the store's ``persons``: a listing
alone, or the same person on two to seven lists) as a template and makes a new person
of it: the same lists, the same number of names and aliases, the same kinds of data, so
duplicates across lists come at the rate of the real lists (20,638 persons of 30,285
listings, 5,028 of them on two lists or more). Its name words are new: each word of the
template is replaced by a real word drawn, by a hash of (k, person, the word's sound),
from the occurrences of name words of the same schema, script and position (first, last,
middle word of a name) among the listings of the template's country (the script and
position alone where that country has few). Drawn from occurrences, not distinct words,
a common part ("mohammad", "trading") stays as common, and parts of one culture stay
together; words of one sound within a person ("Aleksandr", "Alexander") get the same
replacement, so the person's listings on several lists still name one person. One word
in five (Latin script) also gets a letter changed: spellings no real listing has, as a
larger population has. Birth dates move by one number of days per person, identifier
numbers get other digits (the same text within a person the same way). Source ids get
"~k"; sources stay the real ones (five lists, each k times longer).

Unlike the earlier generator (every real listing copied nine times under one word map
per copy: each real person had near-copies in every copy, sharing the same structure of
rare and common words), persons of different copies share no more than persons drawn
from the same name parts do.

Run on its own it prints a few examples:
    .venv/bin/python bench/synthetic_listings.py --db STORE
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from rigour.text import metaphone
from rigour.text.scripts import codepoint_script

from magnitsky.matching.listings import Entry, Key, load_entries
from magnitsky.store import open_store

_WORD = re.compile(r"\w+")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
FEWEST = 300
"""A pool of a country with fewer word occurrences than this falls back to the pool of
the script and position alone."""


def _number(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _script(word: str) -> str:
    for c in word:
        if c.isalpha():
            return codepoint_script(ord(c)) or "Unknown"
    return "Common"


def _position(at: int, count: int) -> str:
    return "first" if at == 0 else "last" if at == count - 1 else "middle"


def _sound(word: str) -> str:
    lower = word.lower()
    return metaphone(lower) or lower if _script(lower) == "Latin" else lower


class Pools:
    """The occurrences of name words, by (schema, script, position[, country])."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        found: dict[tuple[str, ...], list[str]] = {}
        for e in entries:
            country = e.countries[0] if e.countries else ""
            for name in e.names:
                words = _WORD.findall(name)
                for at, w in enumerate(words):
                    lower = w.lower()
                    general = (e.schema, _script(lower), _position(at, len(words)))
                    found.setdefault(general, []).append(lower)
                    found.setdefault((*general, country), []).append(lower)
        for words in found.values():
            words.sort()
        self.pools = found

    def draw(self, schema: str, word: str, at: int, count: int, country: str, n: int) -> str:
        general = (schema, _script(word), _position(at, count))
        pool = self.pools.get((*general, country), [])
        if len(pool) < FEWEST:
            pool = self.pools.get(general) or [word.lower()]
        return pool[n % len(pool)]


class Identity:
    """A new person made from one real person (the template) in copy ``k``."""

    def __init__(self, k: int, person: str, members: Sequence[Entry], pools: Pools) -> None:
        self.k = k
        self.person = person
        self.pools = pools
        countries = Counter(c for e in members for c in e.countries[:1])
        self.country = countries.most_common(1)[0][0] if countries else ""
        self.words: dict[tuple[str, str], str] = {}
        self.shift = timedelta(days=_number(k, person, "day") % 7000 - 3500)

    def word(self, schema: str, word: str, at: int, count: int) -> str:
        key = (schema, _sound(word))
        found = self.words.get(key)
        if found is None:
            n = _number(self.k, self.person, *key)
            found = self.pools.draw(schema, word, at, count, self.country, n)
            if _number(n, "edit") % 5 == 0 and len(found) > 3 and _script(found) == "Latin":
                where = _number(n, "at") % len(found)
                found = found[:where] + _LETTERS[_number(n, "letter") % 26] + found[where + 1 :]
            self.words[key] = found
        return found.upper() if word.isupper() else found.capitalize()

    def name(self, schema: str, text: str) -> str:
        count = len(_WORD.findall(text))
        at = iter(range(count))
        return _WORD.sub(lambda m: self.word(schema, m.group(0), next(at), count), text)

    def birth(self, text: str) -> str:
        def moved(m: re.Match[str]) -> str:
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return m.group(0)
            return (day + self.shift).isoformat()

        if _DAY.search(text):
            return _DAY.sub(moved, text)
        years = self.shift.days // 365
        return _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)

    def identifier(self, text: str) -> str:
        return re.sub(
            r"\d", lambda m: str(_number(self.k, self.person, text, m.start()) % 10), text
        )

    def entry(self, e: Entry) -> Entry:
        return replace(
            e,
            source_id=f"{e.source_id}~{self.k}",
            name=self.name(e.schema, e.name),
            aliases=tuple(self.name(e.schema, a) for a in e.aliases),
            birth_dates=tuple(self.birth(b) for b in e.birth_dates),
            identifiers=tuple(self.identifier(i) for i in e.identifiers),
        )


def synthetic(
    entries: Sequence[Entry], factor: int, persons: Mapping[Key, str] | None = None
) -> list[Entry]:
    """The real listings and ``factor - 1`` copies of new identities. ``persons``: each
    listing's person (the store's ``persons``); a listing missing from it is a person
    alone."""
    persons = persons or {}
    clusters: dict[str, list[Entry]] = {}
    for e in entries:
        clusters.setdefault(persons.get(e.key, f"{e.source}\x1f{e.source_id}"), []).append(e)
    pools = Pools(entries)
    out = list(entries)
    for k in range(1, factor):
        for person, members in clusters.items():
            identity = Identity(k, person, members, pools)
            out += [identity.entry(e) for e in members]
    return out


def stored_persons(db: Path) -> dict[Key, str]:
    with open_store(db, read_only=True) as store:
        return {
            (source, source_id): person
            for person, source, source_id in store.rows(
                "SELECT person_id, source, source_id FROM persons"
            )
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="A built store.")
    args = parser.parse_args()
    with open_store(args.db, read_only=True) as store:
        entries = load_entries(store)
    persons = stored_persons(args.db)
    shared = Counter(persons.values())
    several = {p for p, n in shared.items() if n >= 3}
    chosen = [e for e in entries if persons.get(e.key) in several and e.birth_dates][:9]
    made = synthetic(chosen, 3, persons)
    for e in made:
        print(e.source, e.source_id, e.name, e.aliases[:2], e.birth_dates)


if __name__ == "__main__":
    main()
