"""Which list entry is this designee? Candidates by name, aliases, birth date, nationality,
identifiers and program, each scored with the reasons that counted (weights in
``data/evidence/linking.toml``). Nothing is written anywhere: a caller decides.

A candidate is ``certain`` only when the names agree word for word (or an alias agrees and
the names share their words), nothing contradicts (birth date, nationality, program), and
no other entry agrees as well; everything else is ``review``, never silently assumed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.names import fold
from magnitsky.listing import Listing


class Candidate(NamedTuple):
    listing: Listing
    score: float
    reasons: tuple[str, ...]
    verdict: str
    """certain | review"""


class _Name(NamedTuple):
    kind: str  # exact | contained | similar
    value: float
    reason: str


@cache
def _config() -> dict[str, Any]:
    path = resources.files("magnitsky").joinpath("data/evidence/linking.toml")
    return tomllib.loads(path.read_text("utf-8"))


@cache
def _legal_forms() -> re.Pattern[str]:
    forms = sorted(_config()["legal_forms"], key=len, reverse=True)
    return re.compile(r"(?:\s|^)(?:" + "|".join(re.escape(f) for f in forms) + r")$")


@cache
def tokens(name: str) -> tuple[str, ...]:
    """The words of a name, sorted, without company forms: comparable in any order."""
    folded = fold(name)
    while (stripped := _legal_forms().sub("", folded).strip()) != folded and stripped:
        folded = stripped
    return tuple(sorted(folded.split()))


@cache
def stopwords() -> frozenset[str]:
    """Words too common to tell names apart ("de", "the", "bin" …)."""
    return frozenset(_config()["stopwords"])


def _close(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _compare(mine: str, theirs: str) -> _Name | None:
    a, b = tokens(mine), tokens(theirs)
    if not a or not b:
        return None
    weights = _config()["weights"]
    if a == b:
        return _Name("exact", weights["name_exact"], f"same name: {mine!r} = {theirs!r}")
    small, large = (set(a), set(b)) if len(a) <= len(b) else (set(b), set(a))
    share = len(small) / len(large)
    telling = small - stopwords()  # "al-Sultan" is one word that tells
    if small < large and len(telling) > 1:
        value = weights["name_contained"] + 0.3 * share
        return _Name("contained", value, f"name words contained: {mine!r} ~ {theirs!r}")
    cutoff = _config()["thresholds"]["similar_word"]
    best = [max(_close(w, v) for v in large) for w in small]
    if len(telling) > 1 and min(best) >= cutoff:
        value = weights["name_similar"] + 0.3 * share * min(best)
        return _Name("similar", value, f"similar names: {mine!r} ~ {theirs!r}")
    return None


def _best_name(designee: Designee, listing: Listing) -> tuple[_Name, bool] | None:
    """The best agreement of any of the designee's names with any of the entry's, and
    whether it rests on an alias."""
    found: list[tuple[_Name, bool]] = []
    for i, mine in enumerate(designee.names()):
        for j, theirs in enumerate((listing.name, *listing.aliases)):
            if compared := _compare(mine, theirs):
                found.append((compared, i > 0 or j > 0))
    return max(found, key=lambda f: (f[0].value, not f[1])) if found else None


def _country_in_text(country: str, text: str) -> bool:
    """ "Liberia" in "Liberian", "Russia" in "Russian", "Mexico" in "Mexican"."""
    stem = country[:-1] if len(country) >= 6 else country
    return re.search(rf"\b{re.escape(stem)}", text) is not None


def _facts(designee: Designee, listing: Listing) -> tuple[float, list[str], bool]:
    """Score, reasons and whether anything contradicts, from what is not the name."""
    weights = _config()["weights"]
    score, reasons, conflict = 0.0, [], False
    mine = designee.listing
    if mine and mine.birth_dates and listing.birth_dates:
        if set(mine.birth_dates) & set(listing.birth_dates):
            score += weights["birth_date"]
            reasons.append(
                f"birth date {sorted(set(mine.birth_dates) & set(listing.birth_dates))[0]}"
            )
        else:
            score += weights["birth_date_differs"]
            reasons.append(f"birth dates differ: {mine.birth_dates} vs {listing.birth_dates}")
            conflict = True
    if mine and mine.nationalities and listing.nationalities:
        if set(mine.nationalities) & set(listing.nationalities):
            score += weights["nationality"]
            reasons.append(f"nationality {listing.nationalities[0]}")
        else:
            score += weights["nationality_differs"]
            reasons.append(f"nationalities differ: {mine.nationalities} vs {listing.nationalities}")
            conflict = True
    elif not mine:
        for country in dict.fromkeys((*listing.nationalities, *listing.countries)):
            if _country_in_text(country, designee.text):
                score += weights["country_in_text"]
                reasons.append(f"{country} named in the text")
                break
    if mine and set(mine.identifiers) & set(listing.identifiers):
        score += weights["identifier"]
        reasons.append(f"identifier {sorted(set(mine.identifiers) & set(listing.identifiers))[0]}")
    if designee.program and listing.programs:
        if designee.program in listing.programs:
            score += weights["program"]
            reasons.append(f"program {designee.program}")
        else:
            score += weights["program_differs"]
            reasons.append(f"program {designee.program} not in {list(listing.programs)}")
            conflict = True
    return score, reasons, conflict


def _shortlist(designee: Designee, listings: Iterable[Listing]) -> Iterable[Listing]:
    """Entries sharing a telling word with one of the designee's names."""
    stop = stopwords()
    words = {w for n in designee.names() for w in tokens(n) if w not in stop and len(w) > 1}
    for listing in listings:
        theirs = {w for n in (listing.name, *listing.aliases) for w in tokens(n)}
        if words & theirs:
            yield listing


def candidates(designee: Designee, listings: Iterable[Listing], limit: int = 5) -> list[Candidate]:
    """The entries that may be the designee, best first, each with its reasons."""
    found: list[tuple[Candidate, bool]] = []
    review = _config()["thresholds"]["review"]
    for listing in _shortlist(designee, listings):
        best = _best_name(designee, listing)
        if best is None:
            continue
        name, on_alias = best
        score, reasons, conflict = _facts(designee, listing)
        score += name.value + (_config()["weights"]["alias"] if on_alias else 0.0)
        if score < review:
            continue
        agrees = name.kind == "exact" or (on_alias and _shares_words(designee, listing))
        candidate = Candidate(listing, round(score, 3), (name.reason, *reasons), "review")
        found.append((candidate, agrees and not conflict))
    found.sort(key=lambda f: -f[0].score)
    sure = [c for c, is_sure in found if is_sure]
    return [
        c._replace(verdict="certain") if len(sure) == 1 and c is sure[0] else c
        for c, _ in found[:limit]
    ]


def _shares_words(designee: Designee, listing: Listing) -> bool:
    """The main names agree apart from some words (an alias match needs this too)."""
    compared = _compare(designee.name, listing.name)
    return compared is not None and compared.kind in ("contained", "similar")


def summary(results: Sequence[Sequence[Candidate]]) -> dict[str, int]:
    """How many designees have a certain link, only candidates for review, or none."""
    counts = {"certain": 0, "review": 0, "none": 0}
    for found in results:
        key = "none" if not found else "certain" if found[0].verdict == "certain" else "review"
        counts[key] += 1
    return counts
