"""The methodology and data-quality text, as plain paragraphs shared by the page and the
Markdown. Its numbers are counted from the designations the report shows."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING

from magnitsky.report import trace

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual


def paragraphs(annual: Annual) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs."""
    start, end = annual.window
    counted = annual.counted
    quality = Counter(str(d.get("date_quality")) for d in counted)
    uncertain = sum(1 for d in counted if not d.get("certain", True))
    sources = Counter(str(d.get("date_source")) for d in counted if d.get("date_source"))
    unknown = sum(1 for d in counted if "unknown" in (trace.as_list(d.get("basis")) or ["unknown"]))
    from_text = sum(1 for d in counted if d.get("basis_source") == "official text")
    return [
        (
            "What is counted",
            "A designation is one entry of the list under the program for one listing"
            " period; a program added to an entry already on the list is a designation under"
            " that program. A second entry OFAC adds for a person the program already lists"
            " (same name, same birth day) is a duplicate, not a designation, and its removal"
            " not a delisting. Persons (individuals and entities) are counted apart from"
            " vessels and aircraft, which are listed property.",
        ),
        (
            "The report year",
            f"The report year {annual.year} runs from {start.isoformat()} to {end.isoformat()}"
            f" (years end on month-day {annual.year_end[0]:02d}-{annual.year_end[1]:02d}, a"
            " parameter: annual reports are published before Human Rights Day and December"
            " holds the year's largest actions). A designation dated by a bracket that lies"
            " wholly in the year counts for certain; one whose bracket only overlaps the year"
            " counts 'at most'. Counts are therefore given as at least–at most.",
        ),
        (
            "How dates were established",
            "The US list (OFAC's SDN list) carries no designation date. Dates are exact where"
            " an official dated document gives them (OFAC's yearly change archive, Recent"
            " Actions pages); otherwise a listing lies between the last snapshot of the list"
            " without the entry and the first with it (a bracket); entries of the first"
            " snapshot are a baseline, listed on or before it. A designation that an official"
            " text records and no snapshot holds (made and revoked between two snapshots) is"
            " dated by the text and marked 'text_only'. Of the"
            f" {len(counted)} designations counted: "
            + ", ".join(f"{n} {q}" for q, n in sorted(quality.items()))
            + f"; {uncertain} dated by a bracket that may fall outside the year. Date sources: "
            + (", ".join(f"{s} ({n})" for s, n in sources.most_common()) or "none")
            + ".",
        ),
        (
            "Basis",
            "Each person is labelled with a basis (human-rights abuse, corruption, or solely"
            " ties to another listed person) and the text that shows it. The strongest"
            " evidence, a Treasury press release or a Federal Register notice, wins where it"
            " was read and designates the entry under the program (basis from official text"
            f" for {from_text} of the {len(counted)} designations counted): the criterion of"
            " E.O. 13818 it states, a leader counted with the conduct of what they led;"
            " otherwise rules kept as data read the list's own text: a 'Linked To'"
            " remark means ties, words in the title or remarks can show abuse or corruption;"
            " a regime of one kind (the UK's, the EU's, Australia's thematic ones) states"
            " it itself. Every count of a basis says which of these it rests on."
            " A designation no text explains is 'unknown', never guessed:"
            f" {unknown} of the {len(counted)} designations counted. Direct involvement"
            " therefore lies between the persons shown to be designated for their own"
            " conduct and that number plus the unknown ones.",
        ),
        (
            "Countries, regions, roles",
            "A person's countries are those of their nationality, place of birth, addresses"
            " and the identifiers they hold, as the list gives them, resolved to ISO 3166"
            " codes and UN regions by a maintained territory library; names it cannot resolve"
            " are listed under data quality. Roles (judge, minister, police …) are read from"
            " the title and remarks by rules kept as data, each with the words that showed"
            " it. A blank means not found in the texts read, not absent.",
        ),
        (
            "Themes and victim groups",
            "Abuses (killing, torture, arbitrary detention …), corruption types (bribery,"
            " misappropriation …) and victim groups (women and girls, children, minorities …)"
            " are read only from the official texts, in the sentences about each designee,"
            " by rules kept as data; roles read there join those read from the list, each"
            " with where it came from. A designation without a text read shows none of them,"
            " which does not mean there were none: 'never addressed' means not in any text"
            " read, and the number of designations with a text is given beside it.",
        ),
        ("The average", _average(annual)),
        (
            "What is not known",
            "Designations dated only by wide brackets cannot be placed in one year; counts of"
            " past years built from today's list would miss delisted persons, so every count"
            " here comes from the history of the list. Designations after the last snapshot"
            " are known only from the dated documents read.",
        ),
    ]


def _average(annual: Annual) -> str:
    average = annual.average
    years = trace.as_list(average.get("years"))
    ranges = trace.as_list(average.get("ranges"))
    text = (
        f"The year is compared with the annual average of the {annual.average_years} years"
        " before it"
        + (f" ({', '.join(years)})" if years else "")
        + ". Where those years' counts are ranges, so is the average, and the change is given"
        " for both ends."
    )
    if ranges:
        text += f" Known only as ranges: {', '.join(ranges)}."
    if average.get("short"):
        text += " The program is younger than that: the average covers the years it existed."
    return text


def html(annual: Annual) -> str:
    return "".join(f"<h3>{escape(h)}</h3><p>{escape(p)}</p>" for h, p in paragraphs(annual))


def markdown(annual: Annual) -> str:
    return "\n\n".join(f"### {h}\n\n{p}" for h, p in paragraphs(annual))
