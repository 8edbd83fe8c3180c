"""Names as official texts write them in running prose: "Alexandre de Moraes (de Moraes)",
"Bodecarne, S.A. de C.V.", "Mnangagwa, Jr.", lists joined by commas and "and".

Used by the press-release reader (to find who is designated) and by the linking helper
(to compare a name in prose with an entry of a list)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from magnitsky.evidence.text import wordset

# Lower-case words inside names: "Alexandre de Moraes", "Valor y Principio de Dar".
PARTICLES = wordset(
    "de da do dos das del della di du la le van von der den ter y e en bin ibn al el"
)
# Company forms and suffixes that follow a comma without starting a new name.
_SUFFIX = re.compile(
    r"^(?:S\.\s?A\.|S\.\s?de\s|A\.\s?C\.|Jr\.?|Sr\.?|II|III|IV|LTDA\.?|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|"
    r"Co\.|Corp\.?|Limited|GmbH|JSC|PJSC|OJSC|OOO|LLP|PLC|S\.R\.L\.|S\.L\.|B\.V\.|N\.V\.|AG|SA|"
    r"SAS|SARL|Sociedad|Asociacion)\b",
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z\u00c0-\u00de][\w'’.&-]*|(?:al|el|bin|ibn|abu|abd|de|d|l)[-'’][A-Z][\w'’-]*|"
    r"\d+(?:st|nd|rd|th)|[A-Z]\.?)$"
)
_PREPOSITIONS = wordset("of to by for with from against on in at including into under about and or")
_LIST_SEPARATOR = re.compile(r",?\s+(?:along with|as well as)\s+|,\s*(?:and\s+)?|\s+and\s+|;\s*")
_COMPANY_FORM = re.compile(_SUFFIX.pattern.removesuffix(r"\b") + r"(?:\b|(?<=[.\s]))")
# Words of a company form after its first ("S.A. de C.V.", "Sociedad Anonima").
_FORM_WORD = re.compile(r"^(?:(?:[A-Z]\.\s?)+|Anonima|Civil|Capital|Variable|Limitada)$")
# "and" inside a company's name: "Pedram Pirouzan and Associates Partnership Company",
# "Sahel Star Oil and Gas Company LLC".
_AND_JOINED = re.compile(
    r"^(?:Associates|Partners|Partnership|Sons|Brothers|Gas|Contracting|Construction|Trading|"
    r"Services|Investments?|Industries|Engineering|Technology|Development|Company)\b"
)
_ABBREVIATED_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Jr|Sr|Inc|Co|Ltd|Corp|LTDA)\.)$")
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?$")
_SHORT = re.compile(r"\s*\(([^()]{1,60})\)\s*$")
_GENERIC = wordset("he she they it his her their its today ofac treasury the this these those")


def is_name_token(token: str) -> bool:
    return bool(_NAME_TOKEN.match(token.strip(",;:")))


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-free, punctuation as spaces: for comparing names (kept for the
    texts met again: a release's paragraphs are folded once per entry it may name)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w&]+", " ", text.replace("’", "'").replace("'", "")).split())


def key(name: str) -> tuple[str, ...]:
    """Tokens of a name for comparisons; a leading "the" dropped."""
    tokens = fold(name).split()
    return tuple(tokens[1:] if tokens[:1] == ["the"] else tokens)


def looks_like_name(text: str) -> bool:
    """Capitalised words and particles only ("Fossil Agro", "the 99th LID")."""
    tokens = text.replace(",", " ").split()
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    if not tokens or tokens[0].lower() in _GENERIC:
        return False
    return is_name_token(tokens[0]) and all(
        is_name_token(t)
        or t.lower() in PARTICLES
        or _SUFFIX.match(t)
        or (t == "and" and _AND_JOINED.match(" ".join(tokens[i + 1 :])))
        for i, t in enumerate(tokens)
    )


def short_form(item: str) -> tuple[str, str | None]:
    """``"Alexandre de Moraes (de Moraes)"`` -> (``"Alexandre de Moraes"``, ``"de Moraes"``).

    Only a name-like text in the last parentheses is a short form; a description ("(wife)",
    "(butcher business)") is dropped and no short form returned."""
    match = _SHORT.search(item)
    if not match:
        return item.strip(), None
    inner = match.group(1).strip()
    head = item[: match.start()].strip()
    bare = " ".join(inner.split()[1:]) if inner.split()[0] in PARTICLES else inner
    return head, inner if looks_like_name(bare) or inner.isupper() else None


def trailing_name(item: str, objects: bool = False) -> str | None:
    """The name at the end of a noun phrase: "BGP commander Thura San Lwin" -> "Thura San
    Lwin". None when the phrase does not end in a name, or the name is the object of a
    preposition ("the wife of Mendoza Gaytan"), unless ``objects`` (a short form declared
    after it: "associated with Orka Holding AD (Orka Holding)")."""
    tokens = item.split()
    start = len(tokens)
    while start > 0 and (
        is_name_token(tokens[start - 1])
        or tokens[start - 1].lower() in PARTICLES
        or bool(_SUFFIX.match(tokens[start - 1]))
    ):
        if start < len(tokens) and _ends_clause(tokens[start - 1], tokens[start]):
            break  # "… and Kamceva. Finally, Bet City International DOO Skopje"
        start -= 1
    while start < len(tokens) and tokens[start].lower() in PARTICLES:
        start += 1
    if start == len(tokens):
        return None
    before = [t.lower() for t in tokens[:start] if t.lower() not in ("the", "a", "an")]
    if before and before[-1] in _PREPOSITIONS and not objects:
        return None
    name = " ".join(tokens[start:]).strip(",;: ")
    return None if name.lower() in _GENERIC else name


def _ends_clause(token: str, following: str) -> bool:
    """Does ``token`` end a sentence or clause before ``following`` ("Kamceva.",
    "Finally,"), rather than go on in one name ("Mnangagwa, Jr.", "Bodecarne, S.A.")?"""
    if token.endswith(","):
        return not _SUFFIX.match(following)
    return token.endswith(".") and not _ABBREVIATED_END.search(token)


def without_stop(text: str) -> str:
    """The text without a final full stop, unless it ends an abbreviation ("Ltd.", "Jr.",
    "S.A. de C.V.")."""
    text = text.strip().rstrip(";:,").strip()
    return text if _ABBREVIATED_END.search(text) else text.rstrip(".").strip()


def _is_company_form(piece: str) -> bool:
    """A company form or suffix alone ("S.A. de C.V.", "Jr.", "LTDA"), not a name that
    starts with one ("JSC ABS ZEiM Automation")."""
    found = _COMPANY_FORM.match(piece)
    if not found:
        return False
    rest = [t for t in piece[found.end() :].split() if t.strip(".,")]
    rest = rest[1:] if rest and piece[found.end()] == "." and rest[0] == "." else rest
    return all(t.lower() in PARTICLES or _FORM_WORD.match(t) for t in rest)


def split_list(text: str) -> list[str]:
    """Items of "A, B, and C" / "A (x), B (y), and C (z)", keeping "Bodecarne, S.A. de C.V."
    and "Mnangagwa, Jr." whole."""
    text = without_stop(text)
    if re.search(r"\)\s*,", text):  # items described in parentheses: cut after each ")"
        parts = re.split(r"(?<=\))\s*,?\s*(?:and\s+)?(?=\S)", text)
        return [p.strip(" ,") for p in parts if p.strip(" ,")]
    parts = _LIST_SEPARATOR.split(text)
    separators = ["", *_LIST_SEPARATOR.findall(text)]
    items: list[str] = []
    for piece, separator in zip(parts, separators, strict=True):
        piece = piece.strip()
        if not piece:
            continue
        if items and "," in separator and _is_company_form(piece):
            items[-1] = f"{items[-1]}, {piece}"
        elif items and "and" in separator and _AND_JOINED.match(piece):
            items[-1] = f"{items[-1]} and {piece}"  # "Pedram Pirouzan and Associates …"
        else:
            items.append(piece)
    return items


def abbreviations(text: str) -> dict[str, str]:
    """Acronyms a text defines by their initials: "Light Infantry Division (LID)" gives
    {"lid": "Light Infantry Division"}."""
    found: dict[str, str] = {}
    for match in re.finditer(r"((?:[A-Z][\w-]*\s+(?:of\s+|and\s+)?){1,6})\(([A-Z]{2,6})\)", text):
        words = match.group(1).split()
        acronym = match.group(2)
        capitals = [i for i, w in enumerate(words) if w[0].isupper()][-len(acronym) :]
        if len(capitals) == len(acronym) and "".join(words[i][0] for i in capitals) == acronym:
            found[acronym.lower()] = " ".join(words[capitals[0] :])
    return found


def expanded_key(name: str, acronyms: dict[str, str]) -> tuple[str, ...]:
    """``key`` with defined acronyms spelled out: "33rd LID" == "33rd Light Infantry
    Division"."""
    return tuple(" ".join(fold(acronyms[t]) if t in acronyms else t for t in key(name)).split())


def spelled_out(name: str, acronyms: dict[str, str]) -> str | None:
    """The name with a defined acronym written out ("99th LID" -> "99th Light Infantry
    Division"), or None when it has none."""
    words = name.split()
    out = [acronyms.get(w.lower(), w) if w.isupper() else w for w in words]
    return " ".join(out) if out != words else None


def names_after(text: str) -> list[str]:
    """The names right after a title: "commanders Aung Kyaw Zaw, Khin Hlaing, and BGP
    commander …" -> ["Aung Kyaw Zaw", "Khin Hlaing", "BGP"]."""
    names: list[str] = []
    current: list[str] = []
    text = re.sub(r"\s*\([^()]*\)", "", text)  # "(de Moraes)": a short form of the name
    text = text.lstrip().removeprefix(",")  # "magistrate judge, Isidro Avelar Gutierrez,"
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        bare = _POSSESSIVE.sub("", token.strip(',;:.“”"'))
        if (is_name_token(bare) and not (current == [] and bare.lower() in PARTICLES)) or (
            current and bare.lower() in PARTICLES
        ):
            current.append(bare)
            if token.endswith((",", ";", ".", "’s", "'s")):
                names.append(" ".join(current))
                current = []
                if not token.endswith(","):
                    break
            continue
        if current:
            names.append(" ".join(current))
            current = []
        if not (names and bare.lower() == "and"):
            break
    if current:
        names.append(" ".join(current))
    return names
