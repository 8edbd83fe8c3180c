"""Evidence from official texts: rule-based, transparent extraction of facts about each
designee of a press release or Federal Register notice (basis, abuse themes, corruption
types, victim groups, roles), each fact with the sentence and offsets that show it.

The rules are data (``data/evidence/*.toml``); :mod:`magnitsky.evidence.evaluate` measures
them against hand labels; :mod:`magnitsky.evidence.linking` proposes list entries for a
designee without writing anything.
"""

from magnitsky.evidence.extract import extract
from magnitsky.evidence.facts import BasisFact, Fact, Facts, coarse

__all__ = ["BasisFact", "Fact", "Facts", "coarse", "extract"]
