"""Synthetic listings at a multiple of today's: the real listings, and for each further
copy every listing again with its names, birth dates and identifier numbers perturbed.

Copy k maps every name word of the real lists to another distinct real word of the same
schema, chosen by a hash of (k, word): the same word becomes the same other word in
every listing of the copy, so the copy keeps the lists' structure (one person on four lists,
common and rare names, families sharing a surname) under names no real listing has;
one word in five also gets a letter changed. Birth dates move by a number of days and
identifier numbers get other digits, again the same for the same text within a copy.
Source ids get "~k"; sources stay the real ones (five lists, each k times longer).

Run on its own it prints a few examples:
    .venv/bin/python bench/synthetic_listings.py [--db STORE]
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from magnitsky.matching.listings import Entry, load_entries
from magnitsky.store import open_store

_WORD = re.compile(r"\w+")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _number(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class Perturbation:
    """Copy ``k`` of the listings: every text mapped the same way throughout."""

    def __init__(self, k: int, pools: dict[str, list[str]]) -> None:
        self.k = k
        self.pools = pools
        self.words: dict[tuple[str, str], str] = {}

    def word(self, schema: str, word: str) -> str:
        key = (schema, word.lower())
        found = self.words.get(key)
        if found is None:
            pool = self.pools[schema]
            found = pool[_number(self.k, schema, key[1]) % len(pool)]
            if _number(self.k, "edit", key[1]) % 5 == 0 and len(found) > 3:
                at = _number(self.k, "at", key[1]) % len(found)
                letter = _LETTERS[_number(self.k, "letter", key[1]) % 26]
                found = found[:at] + letter + found[at + 1 :]
            self.words[key] = found
        return found.upper() if word.isupper() else found.capitalize()

    def name(self, schema: str, text: str) -> str:
        return _WORD.sub(lambda m: self.word(schema, m.group(0)), text)

    def birth(self, text: str) -> str:
        shift = timedelta(days=_number(self.k, "day", text) % 7000 - 3500)

        def moved(m: re.Match[str]) -> str:
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return m.group(0)
            return (day + shift).isoformat()

        if _DAY.search(text):
            return _DAY.sub(moved, text)
        years = shift.days // 365
        return _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)

    def identifier(self, text: str) -> str:
        return re.sub(r"\d", lambda m: str(_number(self.k, text, m.start()) % 10), text)

    def entry(self, e: Entry) -> Entry:
        return replace(
            e,
            source_id=f"{e.source_id}~{self.k}",
            name=self.name(e.schema, e.name),
            aliases=tuple(self.name(e.schema, a) for a in e.aliases),
            birth_dates=tuple(self.birth(b) for b in e.birth_dates),
            identifiers=tuple(self.identifier(i) for i in e.identifiers),
        )


def pools(entries: Sequence[Entry]) -> dict[str, list[str]]:
    """The distinct words of the names of each schema, in a fixed order. A word is
    mapped to any of them alike: within a copy a word keeps its frequency (a common
    given name stays as common, under another spelling), and most words, being rare,
    map to rare words."""
    out: dict[str, set[str]] = {}
    for e in entries:
        out.setdefault(e.schema, set()).update(w.lower() for n in e.names for w in _WORD.findall(n))
    return {schema: sorted(words) for schema, words in out.items()}


def synthetic(entries: Sequence[Entry], factor: int) -> list[Entry]:
    """The real listings and ``factor - 1`` perturbed copies of them."""
    words = pools(entries)
    out = list(entries)
    for k in range(1, factor):
        copy = Perturbation(k, words)
        out += [copy.entry(e) for e in entries]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="A built store.")
    args = parser.parse_args()
    with open_store(args.db, read_only=True) as store:
        entries = load_entries(store)
    chosen = [e for e in entries if e.aliases and e.birth_dates][:3]
    for e in synthetic(chosen, 3):
        print(e.source, e.source_id, e.name, e.aliases[:2], e.birth_dates)


if __name__ == "__main__":
    main()
