"""Every indicator-table row ends as a target, a diagnostic, a row of level labels only, or a
row of a second rendering checked against the first."""

from __future__ import annotations

import pytest

from graphbuild.extract import tables
from graphbuild.records import Extraction
from tests.test_layouts import T, run, shanxi

SAMPLES = [
    "000_5f54f51c5535db0d.txt",
    "001_dc3175b1d97e8850.txt",
    "002_c6a9cc9c84081a5e.txt",
    "004_5c2b6dad15e272f5.txt",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_row_is_accounted_for(samples: dict[str, Extraction], name: str) -> None:
    rows = samples[name].accounting
    assert rows.unplaced_rows == 0
    assert rows.target_rows + rows.diagnosed_rows + rows.label_rows + rows.checked_rows == rows.rows
    target_lines = {t.line for t in samples[name].targets}
    assert rows.target_rows == len(target_lines)
    # only final accounts print a second rendering (the self-evaluation tables)
    assert (rows.checked_rows > 0) == name.startswith("002")


def test_label_only_rows_count_as_labels_not_as_losses() -> None:
    rows = [
        T.join(
            ["", "产出指标", "数量指标", "培训人次", "≥100人次", "数量指标", "培训人次", "≥100人次"]
        ),
        T.join(["", "效益指标", "生态效益指标", "", "", "生态效益指标", "", ""]),
        T.join(
            ["", "", "社会效益指标", "群众知晓率", "≥90%", "社会效益指标", "群众知晓率", "≥90%"]
        ),
    ]
    result = run(shanxi(rows))
    assert (result.accounting.rows, result.accounting.target_rows) == (3, 2)
    assert (result.accounting.label_rows, result.accounting.unplaced_rows) == (1, 0)


def test_a_row_no_rule_placed_is_kept_as_an_error_diagnostic(monkeypatch) -> None:
    """If the placing rules ever lose a row, the safety net keeps it as a diagnostic."""
    real = tables.read_indicator_zone

    def losing_the_last_row(zone, layout, **options):
        placed, problems = real(zone, layout, **options)
        last = zone.rows[-1].number
        return [p for p in placed if p.line != last], problems

    monkeypatch.setattr(
        "graphbuild.extract.families.shanxi.read_indicator_zone", losing_the_last_row
    )
    rows = [
        T.join(
            ["", "产出指标", "数量指标", "培训人次", "≥100人次", "数量指标", "培训人次", "≥100人次"]
        ),
        T.join(["", "", "", "培训天数", "3天", "", "培训天数", "3天"]),
    ]
    result = run(shanxi(rows))
    assert result.accounting.unplaced_rows == 1
    lost = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.reason, "培训天数" in d.cells) for d in lost] == [
        ("a table row that no rule placed", True)
    ]
