"""The rules against the hand labels of every designee of the real press releases
(tests/labels/press_releases.toml): basis accuracy must stay at 95 % or better."""

from __future__ import annotations

from pathlib import Path

from magnitsky.evidence.evaluate import Report, evaluate, format_report, load_labels

LABELS = Path(__file__).resolve().parent / "labels" / "press_releases.toml"


def _report(shared_data: Path) -> Report:
    return evaluate(LABELS, shared_data / "us/treasury/press_releases")


def test_the_labels_cover_every_release_on_disk(shared_data: Path) -> None:
    releases = {p.stem for p in (shared_data / "us/treasury/press_releases").glob("*.html")}
    labels = load_labels(LABELS)
    assert {label.release for label in labels} == releases
    assert len(labels) == 56


def test_basis_accuracy_on_the_labelled_releases(shared_data: Path) -> None:
    report = _report(shared_data)
    print("\n" + format_report(report))  # the per-label table, shown with pytest -s or on failure
    assert report.found == report.designees, "designees the reader did not find"
    assert report.unexpected == [], "designees found that nobody labelled"
    assert report.basis_accuracy >= 0.95
    assert report.coarse_right >= 0.95 * report.designees
    assert report.authority_right == report.designees


def test_the_report_shows_precision_and_recall_per_label(shared_data: Path) -> None:
    table = format_report(_report(shared_data))
    assert "basis    human_rights" in table
    assert "prec" in table and "recall" in table
    assert "victims  (all labels)" in table
