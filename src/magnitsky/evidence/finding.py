"""How well the press-release reader finds designees, out of sample: precision and recall
of designee finding against labels that others wrote (OpenSanctions' reviewers, in
``designees.yaml`` of ``../shared/data/us/treasury/press_releases_other``), and how many
designees it takes for Global Magnitsky designations in releases that make none.

A labelled name is found when a designee's name or one of its aliases is the same name
(case, accents and punctuation aside); a designee matching no label is an extra. The
reviewers' labels are wider than "designated today" (see the folder's README), so a
reader that finds only today's designations misses some labels without being wrong."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from magnitsky.evidence.anchored import anchor
from magnitsky.evidence.names import key
from magnitsky.listing import Listing, ReaderError

GLOBAL_MAGNITSKY = ("E.O. 13818", "GLOMAG")


@dataclass
class ReleaseResult:
    release: str
    labelled: tuple[str, ...]
    found: tuple[str, ...]
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    global_magnitsky: tuple[str, ...]
    problems: tuple[str, ...]
    rejected: str | None = None
    """The reader's error when it refused the whole file."""


@dataclass
class FindingReport:
    releases: list[ReleaseResult] = field(default_factory=list)

    @property
    def labelled(self) -> int:
        return sum(len(r.labelled) for r in self.releases)

    @property
    def hits(self) -> int:
        return sum(len(r.labelled) - len(r.missed) for r in self.releases)

    @property
    def extras(self) -> int:
        return sum(len(r.extra) for r in self.releases)

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.extras) if self.hits + self.extras else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.labelled if self.labelled else 0.0

    @property
    def rejected(self) -> list[str]:
        return [r.release for r in self.releases if r.rejected]

    @property
    def global_magnitsky(self) -> list[str]:
        return [f"{r.release} {n}" for r in self.releases for n in r.global_magnitsky]


def load(labels: Path) -> list[dict[str, Any]]:
    import yaml

    data = yaml.safe_load(labels.read_text("utf-8"))
    return list(data["releases"])


Known = Callable[[date], Sequence[Listing]]
"""The entries an action of a given day designated, as the lists give them."""


def evaluate(folder: Path, known: Known | None = None) -> FindingReport:
    """Read every release of ``folder`` listed in its ``designees.yaml`` and compare the
    designees found with the labels. ``known``: anchor each release on the entries its
    day's action designated (:mod:`magnitsky.evidence.anchored`), as the store does."""
    from magnitsky.readers import treasury_press  # readers depend on evidence, not back

    report = FindingReport()
    for case in load(folder / "designees.yaml"):
        labels = tuple(d["name"] for d in case["designees"] or ())
        wanted = {key(n): n for n in labels}
        try:
            release = treasury_press.read(folder / f"{case['id']}.html")
        except ReaderError as error:
            report.releases.append(
                ReleaseResult(case["id"], labels, (), labels, (), (), (), str(error))
            )
            continue
        designees = list(release.designees)
        if known is not None:
            entries = known(release.date)
            designees, _ = anchor(designees, entries, release.blocks, release.skipped)
        hit: set[str] = set()
        found, extra, glomag = [], [], []
        for designee in designees:
            found.append(designee.name)
            names = [wanted[k] for k in (key(n) for n in designee.names()) if k in wanted]
            if names:
                hit.update(names)
            else:
                extra.append(designee.name)
            if designee.authority in GLOBAL_MAGNITSKY or designee.program in GLOBAL_MAGNITSKY:
                glomag.append(designee.name)
        report.releases.append(
            ReleaseResult(
                case["id"],
                labels,
                tuple(found),
                tuple(n for n in labels if n not in hit),
                tuple(extra),
                tuple(glomag),
                release.problems,
            )
        )
    return report


def format_report(report: FindingReport) -> str:
    lines = [
        f"labelled {report.labelled}, found {report.hits}, extra {report.extras}: "
        f"precision {report.precision:.1%}, recall {report.recall:.1%}; "
        f"files refused {len(report.rejected)}; "
        f"taken for Global Magnitsky {len(report.global_magnitsky)}",
        "",
    ]
    for r in report.releases:
        head = f"{r.release}: labelled {len(r.labelled)}, found {len(r.labelled) - len(r.missed)}"
        lines.append(head + (f", refused: {r.rejected}" if r.rejected else ""))
        if r.missed:
            lines.append("  missed: " + "; ".join(r.missed))
        if r.extra:
            lines.append("  extra: " + "; ".join(r.extra))
        if r.global_magnitsky:
            lines.append("  taken for Global Magnitsky: " + "; ".join(r.global_magnitsky))
        lines += [f"  problem: {p}" for p in r.problems]
    return "\n".join(lines)
