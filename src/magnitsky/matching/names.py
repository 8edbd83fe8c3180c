"""Names in any script and order, as token sets the matcher can align.

``rigour.names`` does the linguistic work: ``analyze_names`` strips honorifics,
transliterates every part to Latin (``comparable``: "КАЛАШНИКОВ" -> "kalashnikov"),
keys it by Metaphone and tags stop words ("al", "de"); ``extract_org_types`` reads an
organisation's legal form into a generic class ("OOO", "Limited Liability Company",
"GmbH" -> ``llc``) and ``remove_org_types`` takes it out of the name. The alignment of
two names is order-free (lists write "KALASHNIKOV, Aleksandr" and "Aleksandr
KALASHNIKOV"); :func:`token_similarity` (rapidfuzz's Levenshtein, Metaphone) says how
alike two tokens are and why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist
from rigour.names import (
    NamePartTag,
    NameTypeTag,
    analyze_names,
    extract_org_types,
    remove_org_types,
)

_BRACKETED = re.compile(r"\s*\(([^()]*)\)")
_ACRONYM = re.compile(r"\s*\(([^()\s]+)\)")
_WORD_BEFORE_BRACKET = re.compile(r"(\S+)\s*\(([^()\s]+)\)")

TYPE_TAGS = {
    "Person": NameTypeTag.PER,
    "Organization": NameTypeTag.ORG,
    "Vessel": NameTypeTag.OBJ,
    "Airplane": NameTypeTag.OBJ,
}
TOKEN_MATCH = 0.75
"""Two tokens below this similarity are not aligned at all."""
SAME_SOUND = 0.85
"""Tokens of the same Metaphone key are at least this alike…"""
SOUND_SPELLING_FLOOR = 0.6
"""…when their spellings are more alike than this (Metaphone alone says "qtc" sounds
like "kitoko")."""
INITIAL = 0.8
"""An initial and a token it may stand for."""
LOW_CREDIT = 0.4
"""What the least similar pair of tokens still aligned (TOKEN_MATCH) contributes."""
SINGLE_TOKEN_CAP = 0.55


@dataclass(frozen=True, eq=False)
class Token:
    """A name part. Tokens are interned (:func:`token`): one object per distinct part,
    so comparing and hashing them is by identity, and their similarities are cached."""

    text: str
    """Latin, lower case (``comparable``): "калашников" -> "kalashnikov"."""
    phonetic: str | None
    """Metaphone key, where the part has one."""
    sound: int
    """A number for the Metaphone key when it is long enough to say two tokens sound
    alike (3 letters or more), else -1."""

    @cached_property
    def key(self) -> str:
        """The blocking key: the sound where known, else the text."""
        return (
            f"m:{self.phonetic}" if self.phonetic and len(self.phonetic) > 1 else f"t:{self.text}"
        )


@dataclass(frozen=True)
class NameForm:
    """One name of a listing, ready to align."""

    original: str
    tokens: tuple[Token, ...]
    """The parts that carry the name (stop words and legal forms left out)."""
    legal: frozenset[str]
    """Generic classes of the legal forms an organisation's name states (llc, jsc …)."""

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)


def variants(name: str, schema: str = "Person") -> list[str]:
    """A name and its alternatives. Two names joined by a slash, each of two words or
    more, are two names (Canada writes "English/French", Cyrillic "Russian / Ukrainian").
    For a person, a bracketed word is another spelling of the word before it:
    "Alexander (Alexandr) Petrovich X" also gives "Alexandr Petrovich X" and the name
    without the bracket. For an organisation a bracket may tell a branch from its
    parent ("Al-Haramain Foundation (Kenya)"), so it stays, unless it is the acronym of
    the words before it ("Myanma Economic Holdings Limited (MEHL)"); a bracket of two
    words or more is also a name of its own ("Rosoboronexport (Russian Defence Export)")."""
    out = [name]
    halves = [h.strip() for h in name.split("/")]
    if len(halves) > 1 and all(len(h.split()) > 1 for h in halves):
        out += halves
    for whole in list(out):
        if "(" not in whole:
            continue
        if schema == "Person":
            out.append(_BRACKETED.sub("", whole).strip())
            swapped = _WORD_BEFORE_BRACKET.sub(lambda m: m.group(2), whole)
            out.append(_BRACKETED.sub("", swapped).strip())
        else:
            out.append(_without_acronyms(whole))
        out += [inner.strip() for inner in _BRACKETED.findall(whole) if len(inner.split()) > 1]
    return [n for n in dict.fromkeys(out) if n]


def _without_acronyms(name: str) -> str:
    return _ACRONYM.sub(lambda m: "" if _is_acronym(m, name) else m[0], name).strip()


def _is_acronym(found: re.Match[str], whole: str) -> bool:
    """Whether a bracketed word is made of the initials of the words before it."""
    letters = [c for c in found.group(1) if c.isalnum()]
    if len(letters) < 2 or not found.group(1).isupper():
        return False
    initials = iter(w[0].upper() for w in re.findall(r"\w+", whole[: found.start()]))
    return all(any(c == i for i in initials) for c in letters)


@lru_cache(maxsize=200_000)
def forms(names: tuple[str, ...], schema: str) -> tuple[NameForm, ...]:
    """The distinct name forms of a listing's names and aliases (kept: a build reads a
    listing's names for its matching, its own name alone and its search names)."""
    raw = [v for n in names for v in variants(n, schema)]
    return _forms(tuple(dict.fromkeys(raw)), schema)


_TOKENS: dict[tuple[str, str | None], Token] = {}
_SOUNDS: dict[str, int] = {}


def token(text: str, phonetic: str | None) -> Token:
    key = (text, phonetic)
    found = _TOKENS.get(key)
    if found is None:
        sound = (
            _SOUNDS.setdefault(phonetic, len(_SOUNDS)) if phonetic and len(phonetic) >= 3 else -1
        )
        found = _TOKENS[key] = Token(text, phonetic, sound)
    return found


@lru_cache(maxsize=200_000)
def _forms(names: tuple[str, ...], schema: str) -> tuple[NameForm, ...]:
    type_tag = TYPE_TAGS.get(schema, NameTypeTag.UNK)
    legal = {n: _legal_forms(n) if schema == "Organization" else frozenset() for n in names}
    bare = {(remove_org_types(n).strip() or n) if legal[n] else n: n for n in names}
    # symbols=False: rigour's name tagger costs seconds to load, and Metaphone already
    # joins the transliterations that matter here (Aleksandr/Alexander: ALKSNTR).
    analysed = analyze_names(type_tag, list(bare), consolidate=False, numerics=False, symbols=False)
    out: dict[tuple[str, ...], NameForm] = {}
    for name in sorted(analysed, key=lambda n: n.original):
        tokens = tuple(
            token(part.comparable, part.metaphone)
            for part in name.parts
            if part.tag != NamePartTag.STOP and part.comparable
        )
        if tokens:
            original = bare.get(name.original, name.original)
            key = tuple(sorted(t.text for t in tokens))
            out.setdefault(key, NameForm(original, tokens, legal.get(original, frozenset())))
    return tuple(out.values())


def _legal_forms(name: str) -> frozenset[str]:
    """The generic classes of the legal forms an organisation's name states: "OOO",
    "Limited Liability Company", "FZE" and "GmbH" are all ``llc``; "OAO" and "SA" ``jsc``."""
    return frozenset(generic for _, generic in extract_org_types(name, generic=True))


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    """How alike two tokens are (0–1) and by what: the same text, an initial, the same
    sound (another transliteration: Huseyn/Hussein), or spelling (edit distance).
    Below :data:`TOKEN_MATCH` they are not alike at all (0)."""
    if a.text == b.text:
        return 1.0, "same"
    if len(a.text) == 1 or len(b.text) == 1:
        return (INITIAL, "initial") if a.text[0] == b.text[0] else (0.0, "")
    edit = Levenshtein.normalized_similarity(a.text, b.text)
    if a.sound >= 0 and a.sound == b.sound and edit > SOUND_SPELLING_FLOOR:
        return max(edit, SAME_SOUND), "same sound"
    return (edit, "spelling") if edit >= TOKEN_MATCH else (0.0, "")


class NameSet:
    """All name forms of one listing, with its distinct tokens indexed, so that two
    listings' tokens are compared once, as one matrix (rapidfuzz's ``cdist``).

    ``weight`` gives each token its weight in the name (default 1): a token thousands
    of listings share ("mohammad", "trading") says less than a rare surname."""

    def __init__(
        self, forms: tuple[NameForm, ...], weight: Callable[[str], float] | None = None
    ) -> None:
        self.forms = forms
        index: dict[Token, int] = {}
        for f in forms:
            for t in f.tokens:
                index.setdefault(t, len(index))
        self.tokens = list(index)
        self.texts = [t.text for t in self.tokens]
        self.weights = [weight(t) if weight else 1.0 for t in self.texts]
        self.initials = [i for i, t in enumerate(self.texts) if len(t) == 1]
        self.positions = [[index[t] for t in f.tokens] for f in forms]
        self.totals = [sum(self.weights[k] for k in p) for p in self.positions]

    def similarities(self, other: NameSet) -> list[list[float]]:
        """Token similarity matrix, the same values as :func:`token_similarity`."""
        edits = cdist(
            self.texts,
            other.texts,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=SOUND_SPELLING_FLOOR,
        )
        matrix = [[0.0] * len(other.tokens) for _ in self.tokens]
        rows, cols = edits.nonzero()
        for r, c, edit in zip(
            rows.tolist(), cols.tolist(), edits[rows, cols].tolist(), strict=True
        ):
            a, b = self.tokens[r], other.tokens[c]
            if a.sound >= 0 and a.sound == b.sound:
                matrix[r][c] = max(edit, SAME_SOUND)
            elif edit >= TOKEN_MATCH:
                matrix[r][c] = edit
        for r in self.initials:
            matrix[r] = [_initial(self.texts[r], t) for t in other.texts]
        for c in other.initials:
            for r, text in enumerate(self.texts):
                matrix[r][c] = _initial(other.texts[c], text)
        return matrix


def credit(similarity: float) -> float:
    """What a pair of tokens contributes to a name's agreement: its similarity from
    0.85 up (a transliteration, one letter in eight), far less below (0.75 -> 0.4),
    where two different words are about as alike as two spellings of one."""
    if similarity >= SAME_SOUND or similarity <= 0:
        return similarity
    slope = (SAME_SOUND - LOW_CREDIT) / (SAME_SOUND - TOKEN_MATCH)
    return LOW_CREDIT + (similarity - TOKEN_MATCH) * slope


def _initial(letter: str, text: str) -> float:
    if letter == text:
        return 1.0
    return INITIAL if text[0] == letter[0] else 0.0


@dataclass(frozen=True)
class Alignment:
    """Which tokens of two names were paired, and how well the names agree."""

    score: float
    pairs: tuple[tuple[str, str, float, str], ...]
    """(token of the one, token of the other, similarity, why)."""
    left: NameForm
    right: NameForm

    @property
    def contained(self) -> bool:
        """One name is the other with parts left out ("Olga STEPANOVA" in "Olga
        Germanovna STEPANOVA"): every token of the shorter, two at least, is paired, each
        at least as alike as two transliterations."""
        shorter = min(len(self.left.tokens), len(self.right.tokens))
        return 2 <= shorter == len(self.pairs) < max(
            len(self.left.tokens), len(self.right.tokens)
        ) and all(sim >= SAME_SOUND for _, _, sim, _ in self.pairs)

    def explain(self) -> str:
        shown = ", ".join(
            a if a == b else f"{a}~{b} ({why} {sim:.2f})" for a, b, sim, why in self.pairs
        )
        return f"{self.left.original!r} / {self.right.original!r}: {shown or 'nothing in common'}"


def score(
    cover_left: float, cover_right: float, pairs: int, longest: int, single_names: bool = True
) -> float:
    """How well two names agree, from how much of each is covered by paired tokens
    (weighted): the better-covered name counts 0.7 and the other 0.3, so a missing
    patronymic or middle name costs little and a different given name much. One shared
    token is never more than 0.55: between names of more than one token it is a shared
    surname (relatives) or given name; between one-word names of persons
    (``single_names`` False) an alias such as "ABDULLAH" that many share."""
    value = 0.7 * max(cover_left, cover_right) + 0.3 * min(cover_left, cover_right)
    if pairs < 2 and (longest > 1 or not single_names):
        value = min(value, SINGLE_TOKEN_CAP)
    return round(value, 4)


def align(a: NameForm, b: NameForm) -> Alignment:
    """Pair two names' tokens greedily, most similar first, each token used once
    (every token of weight 1)."""
    return best_alignment(NameSet((a,)), NameSet((b,))) or Alignment(0.0, (), a, b)


def _pairs(matrix: list[list[float]], rows: list[int], cols: list[int]) -> list[tuple[int, int]]:
    """Greedy pairing of two names' tokens (positions into the matrix), most similar
    first, each token once."""
    found = sorted(
        (-matrix[r][c], i, j)
        for i, r in enumerate(rows)
        for j, c in enumerate(cols)
        if matrix[r][c] > 0
    )
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    out = []
    for _, i, j in found:
        if i not in used_rows and j not in used_cols:
            used_rows.add(i)
            used_cols.add(j)
            out.append((i, j))
    return out


def best_alignment(left: NameSet, right: NameSet, single_names: bool = True) -> Alignment | None:
    """The best-aligned pair of names of two listings (names and aliases).

    Listings with many aliases make many pairs of names, so each pair first gets an
    upper bound from which of its tokens match anything on the other side; pairs are
    aligned best bound first, and the search stops when no bound can beat the best."""
    if not left.forms or not right.forms:
        return None
    matrix = left.similarities(right)
    rows_hit = [any(row) for row in matrix]
    if not any(rows_hit):
        return Alignment(0.0, (), left.forms[0], right.forms[0])
    cols_hit = [any(col) for col in zip(*matrix, strict=True)]
    reach_left = _reach(left, rows_hit)
    reach_right = _reach(right, cols_hit)
    bounds = sorted(
        (
            -score(cover_a, cover_b, min(na, nb), max(la, lb), single_names),
            i,
            j,
        )
        for i, (cover_a, na, la) in enumerate(reach_left)
        if na
        for j, (cover_b, nb, lb) in enumerate(reach_right)
        if nb
    )
    best: tuple[float, int, int, list[tuple[int, int]]] | None = None
    for bound, i, j in bounds:
        if best is not None and -bound <= best[0]:
            break
        rows, cols = left.positions[i], right.positions[j]
        paired = _pairs(matrix, rows, cols)
        cover_a = cover_b = 0.0
        for ti, tj in paired:
            gained = credit(matrix[rows[ti]][cols[tj]])
            cover_a += gained * left.weights[rows[ti]]
            cover_b += gained * right.weights[cols[tj]]
        value = score(
            cover_a / left.totals[i],
            cover_b / right.totals[j],
            len(paired),
            max(len(rows), len(cols)),
            single_names,
        )
        if best is None or value > best[0]:
            best = (value, i, j, paired)
    assert best is not None
    value, i, j, paired = best
    one, other = left.forms[i], right.forms[j]
    pairs = []
    for ti, tj in paired:
        sim, why = token_similarity(one.tokens[ti], other.tokens[tj])
        pairs.append((one.tokens[ti].text, other.tokens[tj].text, sim, why))
    return Alignment(value, tuple(pairs), one, other)


def _reach(names: NameSet, hit: list[bool]) -> list[tuple[float, int, int]]:
    """For each form: the weighted share of its tokens that match anything on the
    other side (the most it can be covered), how many do, and how many it has."""
    out = []
    for positions, total in zip(names.positions, names.totals, strict=True):
        reached = [k for k in positions if hit[k]]
        share = sum(names.weights[k] for k in reached) / total
        out.append((share, len(reached), len(positions)))
    return out
