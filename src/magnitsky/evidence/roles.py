"""Whose title is it? A role word counts for the designee unless the text gives it to
someone else: a title after a preposition ("bribes to a judge", "Chief of Staff to
President Weah") or before another person's name ("Prime Minister Adel Abdul Mahdi")."""

from __future__ import annotations

import re
from collections.abc import Collection

from magnitsky.evidence.names import key, names_after
from magnitsky.evidence.rules import Rule, role_context

_POSSESSIVE = re.compile(r"['’]s?$")


def _after_preposition(before: str) -> bool:
    markers, fillers = role_context()
    for token in reversed(before.split()):
        word = token.strip(',;:“”"()').lower()
        if word in markers:
            return True
        if word in fillers or token[:1].isupper() or _POSSESSIVE.search(token):
            continue
        return False
    return False


def is_own(
    rule: Rule, match: re.Match[str], sentence: str, at: int, names: Collection[str]
) -> bool:
    """Is the role matched at offset ``at`` of ``sentence`` the designee's?"""
    if _after_preposition(sentence[:at]):
        return False
    plural = rule.plural is not None and bool(rule.plural.fullmatch(match.group(0)))
    following = names_after(sentence[at + len(match.group(0)) :])
    if following and names:
        keys = {key(n) for n in names}
        return any(key(n) in keys for n in following)
    return not plural
