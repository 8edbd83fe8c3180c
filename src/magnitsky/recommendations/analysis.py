"""What the governments did with the recommendations, counted: acted on or not per
government and year of submission, the time to action (median, distribution, and a
Kaplan–Meier survival curve, since most recommendations stay open), by conduct, theme,
victim group and country, and the recommendations one government acted on and another
did not.

The unit is a *submission*: one recommendation sent to one government. Counting is as of
a cut-off day (the end of the report year), and never past the government's last list
read (``as_of``): a designation after the cut-off leaves the submission open at the
cut-off. A submission whose only match waits for review is counted apart (``review``),
never as acted on or not; so are withdrawn ones and those made to a government whose
lists the store does not hold (``not_read``).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from magnitsky.analysis.windows import CALENDAR, YearEnd, year_of
from magnitsky.recommendations.model import LEVELS, Recommendation
from magnitsky.recommendations.outcomes import OUTCOMES

Row = dict[str, Any]
BUCKETS = (
    (30, "within 30 days"),
    (90, "31–90 days"),
    (180, "91–180 days"),
    (365, "181–365 days"),
    (None, "over a year"),
)
DECIDED = ("sanctioned", "other_only", "open")
"""The outcomes that say whether the government acted (the others are counted apart)."""
ALL = "all"


@dataclass
class Submission:
    """One recommendation sent to one government, as of the cut-off."""

    rec: Recommendation
    government: str
    submitted: date
    outcome: str
    program: str | None
    listed_on: date | None
    date_quality: str | None
    days: int | None
    days_min: int | None
    followed: int
    """Days observed: to the action, else to the cut-off, the government's last list or
    the withdrawal, whichever comes first."""
    others: list[str] = field(default_factory=list)

    @property
    def acted(self) -> bool:
        return self.outcome == "sanctioned"


def as_of_cutoff(row: Row, rec: Recommendation, cutoff: date) -> Submission:
    """An outcome row of the tracker as it stood at ``cutoff``."""
    outcome = row["outcome"]
    listed: date | None = row.get("listed_on")
    first_other: date | None = row.get("first_other")
    withdrawn = rec.withdrawn_on if rec.withdrawn_on and rec.withdrawn_on <= cutoff else None
    if outcome == "withdrawn" and withdrawn is None:
        outcome = "sanctioned" if listed and listed >= row["submitted"] else "open"
    if outcome == "sanctioned" and listed is not None and listed > cutoff:
        outcome = "open"
    if outcome == "open" and first_other is not None and first_other <= cutoff:
        outcome = "other_only"
    if outcome == "other_only" and (first_other is None or first_other > cutoff):
        outcome = "open"
    ends = [d for d in (cutoff, row.get("as_of"), withdrawn) if d is not None]
    end = listed if outcome == "sanctioned" and listed else min(ends)
    acted = outcome in ("sanctioned", "sanctioned_before")
    return Submission(
        rec=rec,
        government=row["government"],
        submitted=row["submitted"],
        outcome=outcome,
        program=row.get("program") if acted else None,
        listed_on=listed if acted else None,
        date_quality=row.get("date_quality") if acted else None,
        days=row.get("days") if outcome == "sanctioned" else None,
        days_min=row.get("days_min") if outcome == "sanctioned" else None,
        followed=(end - row["submitted"]).days,
        others=_others_by(row, cutoff),
    )


def _others_by(row: dict[str, Any], cutoff: date) -> list[str]:
    """The other governments that had sanctioned the person by ``cutoff`` (a tracker
    evaluated before it kept their dates: all of them once the first had)."""
    others = list(row.get("others") or [])
    firsts = row.get("others_first")
    if firsts is not None and len(firsts) == len(others):
        return sorted(j for j, on in zip(others, firsts, strict=True) if on and on <= cutoff)
    first = row.get("first_other")
    return sorted(others) if first and first <= cutoff else []


def submissions(
    rows: Iterable[Row], recs: Iterable[Recommendation], cutoff: date
) -> list[Submission]:
    """The submissions made on or before ``cutoff``, as they stood then."""
    by_ref = {r.ref: r for r in recs}
    return [
        as_of_cutoff(row, by_ref[row["ref"]], cutoff)
        for row in rows
        if row["ref"] in by_ref and row["submitted"] <= cutoff
    ]


def _counts(subs: Sequence[Submission]) -> Row:
    out: Row = {"submissions": len(subs)}
    for outcome in OUTCOMES:
        out[outcome] = sum(1 for s in subs if s.outcome == outcome)
    decided = sum(out[o] for o in DECIDED)
    out["acted_share"] = f"{out['sanctioned']} of {decided}" if decided else "none decided"
    out["acted_percent"] = round(100 * out["sanctioned"] / decided, 1) if decided else None
    return out


def by_government_year(subs: Sequence[Submission], year_end: YearEnd = CALENDAR) -> list[Row]:
    """Acted on or not, per government and year of submission (and per government)."""
    groups: dict[tuple[str, str], list[Submission]] = {}
    for s in subs:
        year = str(year_of(s.submitted, year_end))
        for key in ((s.government, year), (s.government, ALL), (ALL, year), (ALL, ALL)):
            groups.setdefault(key, []).append(s)
    order = {g: i for i, g in enumerate((*sorted({s.government for s in subs}), ALL))}
    return [
        {"government": g, "year": y, **_counts(found)}
        for (g, y), found in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    ]


def by_dimension(subs: Sequence[Submission]) -> list[Row]:
    """Acted on or not by conduct, theme, victim group and country of conduct."""
    groups: dict[tuple[str, str], list[Submission]] = {}
    for s in subs:
        r = s.rec
        for dimension, values in (
            ("conduct", r.conduct),
            ("theme", r.themes or ("(none given)",)),
            ("victim_group", r.victim_groups or ("(none given)",)),
            ("country", (r.country,)),
        ):
            for value in values:
                groups.setdefault((dimension, value), []).append(s)
    return [
        {"dimension": d, "value": v, **_counts(found)} for (d, v), found in sorted(groups.items())
    ]


def time_to_action(subs: Sequence[Submission]) -> list[Row]:
    """Per government: the days from submission to designation of those acted on —
    median, quartiles' range, and how many within each span."""
    out = []
    governments = sorted({s.government for s in subs})
    for g in (*governments, ALL):
        acted = [s for s in subs if s.acted and g in (ALL, s.government) and s.days is not None]
        days = sorted(s.days for s in acted if s.days is not None)
        row: Row = {
            "government": g,
            "acted": len(days),
            "median_days": statistics.median(days) if days else None,
            "min_days": days[0] if days else None,
            "max_days": days[-1] if days else None,
            "bracketed": sum(1 for s in acted if s.date_quality != "exact"),
        }
        low = -1
        for high, label in BUCKETS:
            row[label] = sum(1 for d in days if d > low and (high is None or d <= high))
            low = high if high is not None else low
        out.append(row)
    return out


def kaplan_meier(subs: Sequence[Submission]) -> list[Row]:
    """The Kaplan–Meier estimate of the share of submissions not yet acted on, per
    government and for all: at each day an action or a censoring happened, the
    submissions still at risk, the actions, the censored, and the survival. Acted on =
    designated after submission (its ``listed_on``, the latest day of a bracket);
    censored = not acted on when observation stops (cut-off, the government's last list,
    withdrawal); submissions already sanctioned before, waiting for review or to a
    government not read take no part."""
    out: list[Row] = []
    governments = sorted({s.government for s in subs})
    for g in (*governments, ALL):
        chosen = [
            s
            for s in subs
            if g in (ALL, s.government) and s.outcome in (*DECIDED, "withdrawn") and s.followed >= 0
        ]
        out += [{"government": g, **row} for row in survival((s.followed, s.acted) for s in chosen)]
    return out


def survival(observations: Iterable[tuple[int, bool]]) -> list[Row]:
    """Kaplan–Meier: ``observations`` as (time, event); one row per distinct time,
    starting at time 0 with survival 1."""
    found = sorted(observations)
    at_risk = len(found)
    rows: list[Row] = [{"day": 0, "at_risk": at_risk, "acted": 0, "censored": 0, "survival": 1.0}]
    value = 1.0
    i = 0
    while i < len(found):
        t = found[i][0]
        events = censored = 0
        while i < len(found) and found[i][0] == t:
            events += found[i][1]
            censored += not found[i][1]
            i += 1
        if at_risk:
            value *= 1 - events / at_risk
        if t == 0 and rows and rows[0]["day"] == 0:
            rows[0] = {
                "day": 0,
                "at_risk": at_risk,
                "acted": events,
                "censored": censored,
                "survival": round(value, 4),
            }
        else:
            rows.append(
                {
                    "day": t,
                    "at_risk": at_risk,
                    "acted": events,
                    "censored": censored,
                    "survival": round(value, 4),
                }
            )
        at_risk -= events + censored
    return rows


def median_survival(rows: Sequence[Row]) -> int | None:
    """The first day the share not yet acted on falls to one half or below (None: not
    reached — more than half were still open when observation stopped)."""
    return next((r["day"] for r in rows if r["survival"] <= 0.5), None)


def ignored_by_others(subs: Sequence[Submission]) -> list[Row]:
    """Recommendations one government acted on and another, to which it also went, did
    not (by the cut-off): who acted, when, and who did not."""
    by_ref: dict[str, list[Submission]] = {}
    for s in subs:
        by_ref.setdefault(s.rec.ref, []).append(s)
    out = []
    for ref, found in sorted(by_ref.items()):
        acted = [s for s in found if s.acted]
        ignored = [s for s in found if s.outcome in ("other_only", "open")]
        if acted and ignored:
            out.append(
                {
                    "ref": ref,
                    "name": found[0].rec.name,
                    "acted": [f"{s.government} {s.listed_on} ({s.program})" for s in acted],
                    "not_acted": [f"{s.government} (submitted {s.submitted})" for s in ignored],
                }
            )
    return out


def pairs(subs: Sequence[Submission]) -> list[Row]:
    """For each ordered pair of governments: the recommendations sent to both that the
    first acted on and the second did not (by the cut-off)."""
    by_ref: dict[str, dict[str, Submission]] = {}
    for s in subs:
        by_ref.setdefault(s.rec.ref, {})[s.government] = s
    governments = sorted({s.government for s in subs})
    out = []
    for a in governments:
        for b in governments:
            if a == b:
                continue
            both = [x for x in by_ref.values() if a in x and b in x]
            only = [x for x in both if x[a].acted and x[b].outcome in ("other_only", "open")]
            if both:
                out.append(
                    {
                        "acted": a,
                        "not_acted": b,
                        "sent_to_both": len(both),
                        "acted_not_other": len(only),
                    }
                )
    return out


def withheld(
    rows: Iterable[Row], recs: Iterable[Recommendation], cutoff: date, shown: Sequence[str]
) -> list[Row]:
    """Counts of the submissions of the levels not shown: per level and government,
    acted on or not — no name, date, country or theme."""
    hidden = [r for r in recs if r.confidentiality not in shown]
    subs = submissions(rows, hidden, cutoff)
    out = []
    for level in LEVELS:
        if level in shown:
            continue
        mine = [s for s in subs if s.rec.confidentiality == level]
        out.append(
            {
                "confidentiality": level,
                "recommendations": len({s.rec.ref for s in mine}),
                "submissions": len(mine),
                "sanctioned": sum(s.acted for s in mine),
                "not_acted": sum(s.outcome in ("other_only", "open") for s in mine),
                "other": sum(s.outcome not in DECIDED for s in mine),
            }
        )
    return out
