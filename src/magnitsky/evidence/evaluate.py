"""How well the rules read the real releases: precision and recall per label against a
hand-labelled set (``tests/labels/press_releases.toml``).

A labelled designee the reader does not find counts as missed for every label it has;
a designee the reader finds that has no label is listed as unexpected. The basis is right
when the set of bases read equals the labelled set ("unknown" = none read)."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.facts import Facts, coarse
from magnitsky.evidence.names import key
from magnitsky.listing import ReaderError

FIELDS = ("basis", "themes", "victims", "roles")


@dataclass(frozen=True)
class Label:
    release: str
    name: str
    aliases: tuple[str, ...]
    authority: str | None
    values: dict[str, frozenset[str]]
    coarse: str
    """The coarse class the labels give (:func:`magnitsky.evidence.facts.coarse`)."""
    """basis, themes, victims, roles -> labels ("unknown" basis = empty)."""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Report:
    designees: int = 0
    found: int = 0
    basis_right: int = 0
    coarse_right: int = 0
    authority_right: int = 0
    scores: dict[tuple[str, str], Score] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def basis_accuracy(self) -> float:
        return self.basis_right / self.designees if self.designees else 0.0

    def score(self, field_: str, label: str) -> Score:
        return self.scores.setdefault((field_, label), Score())


def load_labels(path: Path) -> list[Label]:
    data = tomllib.loads(path.read_text("utf-8"))
    labels = []
    for row in data["designee"]:
        values = {f: frozenset(row.get(f, [])) - {"unknown"} for f in FIELDS}
        classes = [coarse(b, row.get("conduct")) for b in values["basis"]] or ["unknown"]
        best = min(classes, key=("human_rights", "corruption", "ties", "unknown").index)
        labels.append(
            Label(
                row["release"],
                row["name"],
                tuple(row.get("aliases", [])),
                row.get("authority"),
                values,
                best,
            )
        )
    return labels


def predicted(facts: Facts) -> dict[str, frozenset[str]]:
    return {
        "basis": frozenset(facts.labels("basis")),
        "themes": frozenset(facts.themes),
        "victims": frozenset(facts.labels("victim")),
        "roles": frozenset(facts.labels("role")),
    }


def _match(label: Label, designees: Iterable[Designee]) -> Designee | None:
    wanted = {key(n) for n in (label.name, *label.aliases)}
    for designee in designees:
        if wanted & {key(n) for n in designee.names()}:
            return designee
    return None


def _compare(report: Report, label: Label, got: dict[str, frozenset[str]]) -> None:
    for name in FIELDS:
        want = label.values[name]
        for value in want | got[name]:
            score = report.score(name, value)
            if value in want and value in got[name]:
                score.tp += 1
            elif value in want:
                score.fn += 1
                report.mistakes.append(f"{label.release} {label.name}: missed {name} {value}")
            else:
                score.fp += 1
                report.mistakes.append(f"{label.release} {label.name}: extra {name} {value}")


def evaluate(labels_path: Path, releases_dir: Path) -> Report:
    """Read every labelled release with :mod:`magnitsky.readers.treasury_press` and
    compare its designees' facts with the labels."""
    from magnitsky.readers import treasury_press  # readers depend on evidence, not back

    labels = load_labels(labels_path)
    report = Report(designees=len(labels))
    for release in dict.fromkeys(label.release for label in labels):
        try:
            designees = treasury_press.read(releases_dir / f"{release}.html").designees
        except ReaderError as error:  # a refused file: every designee of it missed
            designees = ()
            report.unexpected.append(f"{release}: refused ({error.problem})")
        mine = [label for label in labels if label.release == release]
        matched = set()
        for label in mine:
            designee = _match(label, designees)
            if designee is None:
                empty = {f: frozenset[str]() for f in FIELDS}
                _compare(report, label, empty)
                report.mistakes.append(f"{release} {label.name}: not found")
                continue
            matched.add(designee.name)
            report.found += 1
            facts = designee.facts()
            got = predicted(facts)
            report.basis_right += got["basis"] == label.values["basis"]
            report.coarse_right += facts.coarse == label.coarse
            if facts.coarse != label.coarse:
                report.mistakes.append(f"{release} {label.name}: coarse {facts.coarse}")
            report.authority_right += designee.authority == label.authority
            _compare(report, label, got)
        report.unexpected += [f"{release} {d.name}" for d in designees if d.name not in matched]
    return report


def _percent(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.0%}"


def format_report(report: Report) -> str:
    """The per-label table and the mistakes, as plain text."""
    lines = [
        f"designees labelled {report.designees}, found {report.found}, "
        f"basis accuracy {report.basis_accuracy:.1%}, "
        f"coarse class right {report.coarse_right}/{report.designees}, "
        f"authority right {report.authority_right}/{report.designees}",
        "",
        f"{'field':<8} {'label':<26} {'tp':>3} {'fp':>3} {'fn':>3} {'prec':>5} {'recall':>6}",
    ]
    for (name, value), score in sorted(
        report.scores.items(), key=lambda kv: (FIELDS.index(kv[0][0]), kv[0][1])
    ):
        lines.append(
            f"{name:<8} {value:<26} {score.tp:>3} {score.fp:>3} {score.fn:>3} "
            f"{_percent(score.precision):>5} {_percent(score.recall):>6}"
        )
    totals = Counter[str]()
    for (name, _), score in report.scores.items():
        totals[f"{name} tp"] += score.tp
        totals[f"{name} fp"] += score.fp
        totals[f"{name} fn"] += score.fn
    lines.append("")
    for name in FIELDS:
        tp, fp, fn = (totals[f"{name} {k}"] for k in ("tp", "fp", "fn"))
        micro = Score(tp, fp, fn)
        lines.append(
            f"{name:<8} {'(all labels)':<26} {tp:>3} {fp:>3} {fn:>3} "
            f"{_percent(micro.precision):>5} {_percent(micro.recall):>6}"
        )
    if report.unexpected:
        lines += ["", "found but not labelled: " + "; ".join(report.unexpected)]
    if report.mistakes:
        lines += ["", "differences:", *(f"  {m}" for m in report.mistakes)]
    return "\n".join(lines)
