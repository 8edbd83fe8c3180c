"""The annual report: one self-contained HTML page, the same as Markdown, and one CSV per
chart and per table.

    write_report(annual(store, "US-GLOMAG", 2023), Path("out"))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual
    from magnitsky.report import recommendations as recommended


def write_report(
    annual: Annual, out: Path, recommendations: recommended.Section | None = None
) -> list[Path]:
    """Write index.html, report.md and the CSVs into ``out``; return the paths written.
    ``recommendations``: the civil-society recommendations section, when there is one.
    (The drawing modules are imported here, not with the package: a web page that needs
    a chart's words alone, :mod:`magnitsky.report.captions`, starts without Matplotlib.)"""
    from magnitsky.report import charts, html, markdown, multilateral, tables, trace
    from magnitsky.report import recommendations as recommended

    out.mkdir(parents=True, exist_ok=True)
    by_name = tables.report_tables(annual)
    if annual.multilateral is not None:
        by_name |= multilateral.tables(annual.multilateral)
    if recommendations is not None:
        by_name |= recommendations.tables
    anchors = {g.anchor for groups in trace.all_groups(annual).values() for g in groups}
    drawn = charts.charts(annual, anchors)
    allied = multilateral.charts(annual.multilateral) if annual.multilateral is not None else []
    written = [tables.write_csv(t, out) for t in by_name.values()]
    files = ["report.md", *(p.name for p in written)]
    page = out / "index.html"
    rec_html = (
        recommended.html(recommendations, html.table, html.figure) if recommendations else None
    )
    page.write_text(html.page(annual, drawn, by_name, files, allied, rec_html), encoding="utf-8")
    md = out / "report.md"
    rec_md = recommended.markdown(recommendations, markdown.table) if recommendations else None
    md.write_text(
        markdown.document(
            annual, by_name, [c.name for c in drawn], [c.name for c in allied], rec_md
        ),
        encoding="utf-8",
    )
    return [page, md, *written]
