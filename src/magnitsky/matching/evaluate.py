"""Precision and recall of the persons against pairs labelled by hand
(``tests/labels/match_pairs.toml``).

A labelled pair is predicted "same" when both listings belong to one person: joined
automatically or confirmed by a user (a possible match waiting for review is not a
match). So the measure covers the whole chain: blocking, scoring and clustering.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from magnitsky.matching.listings import Key
from magnitsky.store import Store


@dataclass(frozen=True)
class Label:
    a: Key
    b: Key
    same: bool
    note: str


@dataclass
class Evaluation:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def pairs(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )

    def describe(self) -> str:
        return (
            f"{self.pairs} labelled pairs: precision {self.precision:.3f}, recall"
            f" {self.recall:.3f} (tp {self.true_positives}, fp {self.false_positives},"
            f" fn {self.false_negatives}, tn {self.true_negatives})"
        )


def _key(text: str) -> Key:
    source, source_id = text.split(":", 1)
    return (source, source_id)


def load_labels(path: Path) -> list[Label]:
    data = tomllib.loads(path.read_text("utf-8"))
    return [Label(_key(p["a"]), _key(p["b"]), bool(p["same"]), p["note"]) for p in data["pair"]]


def evaluate(store: Store, labels: list[Label]) -> Evaluation:
    persons = {
        (source, source_id): person
        for person, source, source_id in store.rows(
            "SELECT person_id, source, source_id FROM persons"
        )
    }
    result = Evaluation()
    for label in labels:
        if label.a not in persons or label.b not in persons:
            result.missing.append(f"{label.a} / {label.b}")
            continue
        predicted = persons[label.a] == persons[label.b]
        if predicted and label.same:
            result.true_positives += 1
        elif predicted:
            result.false_positives += 1
            result.errors.append(f"false match: {label.note}")
        elif label.same:
            result.false_negatives += 1
            result.errors.append(f"missed: {label.note}")
        else:
            result.true_negatives += 1
    return result
