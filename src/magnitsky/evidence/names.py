"""Names as official texts write them in running prose: "Alexandre de Moraes (de Moraes)",
"Bodecarne, S.A. de C.V.", "Mnangagwa, Jr.", lists joined by commas and "and".

Used by the press-release reader (to find who is designated) and by the linking helper
(to compare a name in prose with an entry of a list)."""

from __future__ import annotations

import re
import unicodedata

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
_ABBREVIATED_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Jr|Sr|Inc|Co|Ltd|Corp|LTDA)\.)$")
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?$")
_SHORT = re.compile(r"\s*\(([^()]{1,60})\)\s*$")
_GENERIC = wordset("he she they it his her their its today ofac treasury the this these those")


def is_name_token(token: str) -> bool:
    return bool(_NAME_TOKEN.match(token.strip(",;:")))


def fold(text: str) -> str:
    """Case- and accent-free, punctuation as spaces: for comparing names."""
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
        is_name_token(t) or t.lower() in PARTICLES or _SUFFIX.match(t) for t in tokens
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


def trailing_name(item: str) -> str | None:
    """The name at the end of a noun phrase: "BGP commander Thura San Lwin" -> "Thura San
    Lwin". None when the phrase does not end in a name, or the name is the object of a
    preposition ("the wife of Mendoza Gaytan")."""
    tokens = item.split()
    start = len(tokens)
    while start > 0 and (
        is_name_token(tokens[start - 1])
        or tokens[start - 1].lower() in PARTICLES
        or bool(_SUFFIX.match(tokens[start - 1]))
    ):
        start -= 1
    while start < len(tokens) and tokens[start].lower() in PARTICLES:
        start += 1
    if start == len(tokens):
        return None
    before = [t.lower() for t in tokens[:start] if t.lower() not in ("the", "a", "an")]
    if before and before[-1] in _PREPOSITIONS:
        return None
    name = " ".join(tokens[start:]).strip(",;: ")
    return None if name.lower() in _GENERIC else name


def without_stop(text: str) -> str:
    """The text without a final full stop, unless it ends an abbreviation ("Ltd.", "Jr.",
    "S.A. de C.V.")."""
    text = text.strip().rstrip(";:,").strip()
    return text if _ABBREVIATED_END.search(text) else text.rstrip(".").strip()


def split_list(text: str) -> list[str]:
    """Items of "A, B, and C" / "A (x), B (y), and C (z)", keeping "Bodecarne, S.A. de C.V."
    and "Mnangagwa, Jr." whole."""
    text = without_stop(text)
    if re.search(r"\)\s*,", text):  # items described in parentheses: cut after each ")"
        parts = re.split(r"(?<=\))\s*,?\s*(?:and\s+)?(?=\S)", text)
        return [p.strip(" ,") for p in parts if p.strip(" ,")]
    pieces = [p for p in _LIST_SEPARATOR.split(text) if p.strip()]
    items: list[str] = []
    for piece in pieces:
        if items and _SUFFIX.match(piece.strip()):
            items[-1] = f"{items[-1]}, {piece.strip()}"
        else:
            items.append(piece.strip())
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
