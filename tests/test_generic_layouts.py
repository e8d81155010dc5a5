"""Indicator tables of other provinces' layouts, read by the header-driven reader.

Each fixture in ``tests/data/layouts`` is a document written by hand from a public template (the
Ministry of Finance's national forms, provincial budget and self-evaluation forms), with the
records expected from it (``<name>.json``, written by reading the text). Every fixture is also
written as a workbook (XLSX, XLS), a web page, a Word file and a PDF (``tests/source_fixtures``),
and each is scored: F1 of (period, 三级指标, value), the accuracy of the levels and of the parsed
values (comparator, number, unit) of the targets found; run with ``-s`` to see the scores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbuild.cli.extract import summary_lines
from graphbuild.extract import extract_file, extract_text
from graphbuild.extract.read import SourceText, split_lines
from graphbuild.graph.mapping import document_graph
from graphbuild.records import Extraction, Target
from tests import source_fixtures as fx
from tests.scoring import Score, key, score_table

LAYOUTS = Path(__file__).parent / "data" / "layouts"
FIXTURES = sorted(path.stem for path in LAYOUTS.glob("*.json"))
WRITERS = {
    "xlsx": fx.write_xlsx,
    "xls": fx.write_xls,
    "html": fx.write_html,
    "docx": fx.write_docx,
    "pdf": fx.write_pdf,
}
FORMATS = ["text", *WRITERS]
SPANS = {"row_per_indicator": 4}
"""Columns merged over the empty cells below them when a fixture is drawn (project columns)."""
EXTRA_FIELDS = (
    "actual",
    "weight",
    "score",
    "deviation_reason",
    "direction",
    "description",
    "level1_weight",
)


def expected(name: str) -> dict:
    return json.loads((LAYOUTS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Extraction]:
    """Every layout fixture extracted from its text and from every other format."""
    folder = tmp_path_factory.mktemp("layouts")
    found: dict[tuple[str, str], Extraction] = {}
    for name in FIXTURES:
        path = LAYOUTS / f"{name}.txt"
        found[(name, "text")] = extract_file(path)
        items = fx.blocks(path.read_text(encoding="utf-8").split("\n"), SPANS.get(name, 1))
        for fmt, writer in WRITERS.items():
            found[(name, fmt)] = extract_file(writer(items, folder / f"{name}.{fmt}"))
    return found


def tables_of(fixture: dict, fmt: str) -> list[dict]:
    """The fixture's tables; for a format other than text, whose lines are numbered by the
    reader, a table holds the targets of its project (or the department's) wherever they are."""
    if fmt == "text":
        return fixture["tables"]
    return [{**table, "first_line": 0, "last_line": 10**9} for table in fixture["tables"]]


def _match(targets: list[Target], table: dict, want: dict) -> Target | None:
    pair = (want["period"], key(want["level3"]), key(want["value"]))
    found = [
        t
        for t in targets
        if (t.period, key(t.level3), key(t.value)) == pair
        and table["first_line"] <= t.line <= table["last_line"]
    ]
    return next((t for t in found if t.line == want["line"]), found[0] if found else None)


def parsed_right(extraction: Extraction, tables: list[dict]) -> tuple[int, int, list[str]]:
    """How many found targets have the expected comparator, number and unit."""
    right = total = 0
    wrong: list[str] = []
    for table in tables:
        for want in table["targets"]:
            got = _match(extraction.targets, table, want)
            if got is None:
                continue
            total += 1
            if (got.op, got.number, got.unit) == (want["op"], want["number"], want["unit"]):
                right += 1
            else:
                wrong.append(f"{want['line']} {want['value']}: {(got.op, got.number, got.unit)}")
    return right, total, wrong


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FIXTURES)
def test_layout_scores(extracted: dict[tuple[str, str], Extraction], name: str, fmt: str) -> None:
    fixture = expected(name)
    extraction = extracted[(name, fmt)]
    score = Score()
    tables = tables_of(fixture, fmt)
    for table in tables:
        score.add(score_table(extraction.targets, table))
    right, total, wrong = parsed_right(extraction, tables)
    values = right / total if total else 1.0
    print(
        f"\n{name} [{fmt}]: F1 {score.f1:.3f} (precision {score.precision:.3f}, recall "
        f"{score.recall:.3f}), levels {score.level_accuracy:.3f}, parsed values {values:.3f} "
        f"({score.matched}/{score.expected} expected, {score.extracted} extracted)"
    )
    detail = "\n".join(score.misses[:10] + score.extras[:10] + score.level_errors[:10] + wrong)
    assert score.f1 >= 0.98, detail
    assert score.level_accuracy >= 0.98, detail
    assert values >= 0.98, detail


def _same(got: object, want: object) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool):
        return isinstance(got, int | float) and got == pytest.approx(want)
    return key(str(got)) == key(str(want))


@pytest.mark.parametrize("name", FIXTURES)
def test_weights_actuals_directions_and_descriptions(
    extracted: dict[tuple[str, str], Extraction], name: str
) -> None:
    fixture = expected(name)
    extraction = extracted[(name, "text")]
    wrong = []
    for table in fixture["tables"]:
        for want in table["targets"]:
            got = _match(extraction.targets, table, want)
            assert got is not None, want
            for field in EXTRA_FIELDS:
                if field in want and not _same(getattr(got, field), want[field]):
                    wrong.append(
                        f"{want['line']} {field}: {getattr(got, field)!r} != {want[field]!r}"
                    )
    assert not wrong, wrong


@pytest.mark.parametrize("name", FIXTURES)
def test_projects_and_their_figures(
    extracted: dict[tuple[str, str], Extraction], name: str
) -> None:
    projects = extracted[(name, "text")].projects
    wanted = expected(name)["projects"]
    assert [key(p.project) for p in projects] == [key(w["project"]) for w in wanted]
    for project, want in zip(projects, wanted, strict=True):
        for field, value in want.items():
            if field == "project":
                continue
            got = getattr(project, field)
            assert (
                got == pytest.approx(value) if isinstance(value, float | int) else got == value
            ), (
                project.project,
                field,
                got,
            )


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("name", FIXTURES)
def test_every_format_gives_the_records_of_the_text(
    extracted: dict[tuple[str, str], Extraction], name: str, fmt: str
) -> None:
    def records(extraction: Extraction) -> list[tuple]:
        return [
            (
                *fx.key(t),
                t.op,
                t.number,
                t.unit,
                t.kind,
                *(getattr(t, f) for f in EXTRA_FIELDS),
                t.project_line is not None,
            )
            for t in extraction.targets
        ]

    text, other = extracted[(name, "text")], extracted[(name, fmt)]
    assert other.document.source_format == fmt
    assert records(other) == records(text)
    assert [
        (p.project, p.budget_yuan, p.annual_funds_yuan, p.total_score) for p in other.projects
    ] == [(p.project, p.budget_yuan, p.annual_funds_yuan, p.total_score) for p in text.projects]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FIXTURES)
def test_every_row_is_accounted_for(
    extracted: dict[tuple[str, str], Extraction], name: str, fmt: str
) -> None:
    rows = extracted[(name, fmt)].accounting
    assert rows.unplaced_rows == 0
    assert rows.rows == rows.target_rows + rows.diagnosed_rows + rows.label_rows + rows.checked_rows
    errors = [d for d in extracted[(name, fmt)].diagnostics if d.severity == "error"]
    assert not errors, errors


# ----------------------------------------------------------------------------- small cases

T = "\t"


def run(text: str) -> Extraction:
    return extract_text(SourceText("doc.txt", "utf-8", split_lines(text)))


def test_a_table_of_an_unknown_layout_is_named_with_its_lines_and_header() -> None:
    """A header naming indicators but no value column: nothing is guessed, every row is an
    error diagnostic, and one more names the table's lines and header."""
    text = "\n".join(
        [
            "某局2024年部门预算",
            "绩效考核表",
            T.join(["一级指标", "二级指标", "三级指标", "考核方式", "责任科室"]),
            T.join(["产出指标", "数量指标", "培训人次", "查阅台账", "办公室"]),
            T.join(["", "质量指标", "培训合格率", "抽查", "办公室"]),
            "",
        ]
    )
    result = run(text)
    assert not result.targets
    table = [d for d in result.diagnostics if d.line == 3]
    assert table and table[0].severity == "error"
    assert "lines 3–5" in table[0].reason and "一级指标 | 二级指标 | 三级指标" in table[0].reason
    rows = {d.line for d in result.diagnostics if d.severity == "error"}
    assert {4, 5} <= rows
    assert result.accounting.unplaced_rows == 0
    assert (result.accounting.tables_by_header, result.accounting.tables_not_understood) == (0, 1)
    assert "indicator tables read by their headers 0, not understood 1" in "\n".join(
        summary_lines(result)
    )


def test_a_header_over_two_lines_and_a_total_row() -> None:
    text = "\n".join(
        [
            "项目名称" + T + "测试项目",
            T.join(["一级指标", "二级指标", "三级指标", "指标值", "", "", "权重", "得分"]),
            T.join(["", "", "", "指标性质", "指标值", "度量单位", "", ""]),
            T.join(["产出指标", "数量指标", "培训人数", "≥", "50", "人", "30", "30"]),
            T.join(["", "质量指标", "合格率", "≥", "95", "百分比", "30", "28"]),
            T.join(["满意度指标(40分)", "满意度指标", "学员满意度", "≥", "90", "%", "40", "40"]),
            T.join(["合计", "", "", "", "", "", "100", "98"]),
            "",
        ]
    )
    result = run(text)
    got = [(t.level1, t.level2, t.level3, t.value, t.number, t.unit) for t in result.targets]
    assert got == [
        ("产出指标", "数量指标", "培训人数", "≥50人", 50, "人"),
        ("产出指标", "质量指标", "合格率", "≥95百分比", 95, "%"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", 90, "%"),
    ]
    assert [t.score for t in result.targets] == [30, 28, 40]
    assert result.targets[2].level1_weight == 40
    assert [p.total_score for p in result.projects] == [98]
    assert result.accounting.unplaced_rows == 0


def test_the_reader_names_the_tables_it_read() -> None:
    result = run((LAYOUTS / "row_per_indicator.txt").read_text(encoding="utf-8"))
    notes = [d for d in result.diagnostics if d.reason.startswith("read by the header-driven")]
    assert len(notes) == 1 and notes[0].severity == "info" and notes[0].line == 6
    assert "16 targets" in notes[0].reason and "单位名称 | 项目名称" in notes[0].reason


def test_a_family_parser_leaves_a_table_of_another_layout() -> None:
    """split_value.txt is titled like a Shanxi document (项目支出绩效目标表) and detected as one;
    its tables name columns the Shanxi parser does not read, so it leaves them whole."""
    result = extract_file(LAYOUTS / "split_value.txt")
    assert result.document.family == "shanxi_budget"
    assert len(result.projects) == 2 and all(t.direction for t in result.targets if t.project)


def test_the_samples_are_read_by_their_family_parsers_alone(
    samples: dict[str, Extraction],
) -> None:
    for extraction in samples.values():
        assert not [d for d in extraction.diagnostics if "header-driven" in d.reason]
        assert all(t.direction is None and t.level1_weight is None for t in extraction.targets)


@pytest.mark.parametrize("name", FIXTURES)
def test_the_graph_keeps_every_record(
    extracted: dict[tuple[str, str], Extraction], name: str, shapes_graph
) -> None:
    """Direction and level weights are in the graph (pk:direction, pk:level1Weight …), every
    record comes back from it, and the graph conforms to the shapes."""
    from pyshacl import validate

    from tests.test_rdf import BASE, assert_round_trip

    extraction = extracted[(name, "text")]
    assert_round_trip(extraction)
    conforms, _, report = validate(document_graph(extraction, base=BASE), shacl_graph=shapes_graph)
    assert conforms, report


@pytest.fixture(scope="module")
def shapes_graph():  # type: ignore[no-untyped-def]
    from rdflib import Graph

    from graphbuild.vocab import SHAPES_FILE

    return Graph().parse(SHAPES_FILE, format="turtle")


# ----------------------------------------------------------------------------- damaged copies


def _accounted(extraction: Extraction) -> set[int]:
    return {t.line for t in extraction.targets} | {
        d.line for d in extraction.diagnostics if d.line is not None
    }


@pytest.mark.parametrize("name", FIXTURES)
def test_deleting_any_line_loses_no_target_row_silently(name: str) -> None:
    """Each line of the fixture deleted in turn (a title, a header line, a field, a row):
    every row that gave a target still gives one or is named by a diagnostic."""
    lines = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    rows = sorted({t.line for t in run("\n".join(lines)).targets})
    silent = {}
    for k in range(1, len(lines) + 1):
        kept = _accounted(run("\n".join(lines[: k - 1] + lines[k:])))
        lost = [r for r in rows if r != k and (r if r < k else r - 1) not in kept]
        if lost:
            silent[k] = lost
    assert not silent


@pytest.mark.parametrize("name", FIXTURES)
def test_a_page_number_inside_a_table_changes_nothing(name: str) -> None:
    lines = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    before = run("\n".join(lines))
    expected_targets = sorted((t.line, t.period, t.level3, t.value) for t in before.targets)
    for row in sorted({t.line for t in before.targets}):
        moved = run("\n".join(lines[: row - 1] + ["- 3 -"] + lines[row - 1 :]))
        got = sorted(
            (t.line if t.line < row else t.line - 1, t.period, t.level3, t.value)
            for t in moved.targets
        )
        assert got == expected_targets, f"a page number before line {row}"


# ----------------------------------------------------------------------------- more layouts

E4 = ["", "", "", ""]


def rows_text(rows: list) -> str:
    return "\n".join(T.join(r) if isinstance(r, list) else r for r in rows) + "\n"


def test_a_row_number_column_and_a_header_repeated_after_a_page_break() -> None:
    head = ["序号", "单位名称", "项目名称", "预算数（万元）", "年度目标"]
    head += ["一级指标", "二级指标", "三级指标", "指标值"]
    result = run(
        rows_text(
            [
                "项目支出绩效目标表",
                head,
                [
                    "1",
                    "某局",
                    "项目甲",
                    "100",
                    "目标甲",
                    "产出指标",
                    "数量指标",
                    "培训人数",
                    "≥50人",
                ],
                ["", *E4, "产出指标", "质量指标", "合格率", "≥95%"],
                "- 3 -",
                head,
                ["", *E4, "满意度指标", "服务对象满意度指标", "满意度", "≥90%"],
                [
                    "2",
                    "某局",
                    "项目乙",
                    "50万元",
                    "目标乙",
                    "产出指标",
                    "数量指标",
                    "采购设备",
                    "10台",
                ],
            ]
        )
    )
    assert [(p.project, p.annual_funds_yuan) for p in result.projects] == [
        ("项目甲", 1e6),
        ("项目乙", 5e5),
    ]
    assert [(t.project, t.level3) for t in result.targets] == [
        ("项目甲", "培训人数"),
        ("项目甲", "合格率"),
        ("项目甲", "满意度"),
        ("项目乙", "采购设备"),
    ]
    assert not [d for d in result.diagnostics if d.severity != "info"]


def test_a_header_whose_first_line_names_the_project_columns() -> None:
    """项目名称 | 项目类型 | 年度目标 | 绩效指标 over 一级指标 | 二级指标 | 三级指标 | 指标值: one
    header of two lines; 项目类型, a column of no known role, is skipped."""
    result = run(
        rows_text(
            [
                "项目绩效目标",
                ["项目名称", "项目类型", "年度目标", "绩效指标", "", "", ""],
                ["", "", "", "一级指标", "二级指标", "三级指标", "指标值"],
                ["项目庚", "运转类", "保障运转", "产出指标", "数量指标", "保障人数", "50人"],
                ["", "", "", "产出指标", "质量指标", "保障率", "100%"],
                ["项目辛", "发展类", "完成建设", "产出指标", "数量指标", "建设数量", "2个"],
            ]
        )
    )
    assert [(p.project, p.goal_annual) for p in result.projects] == [
        ("项目庚", "保障运转"),
        ("项目辛", "完成建设"),
    ]
    assert [(t.project, t.level3, t.value) for t in result.targets] == [
        ("项目庚", "保障人数", "50人"),
        ("项目庚", "保障率", "100%"),
        ("项目辛", "建设数量", "2个"),
    ]
    assert not [d for d in result.diagnostics if d.severity != "info"]


def test_value_columns_of_two_periods_are_two_halves() -> None:
    result = run(
        rows_text(
            [
                ["项目名称", "项目丙"],
                ["一级指标", "二级指标", "三级指标", "年度指标值", "实施期指标值"],
                ["产出指标", "数量指标", "建设里程", "≥10公里", "≥30公里"],
                ["满意度指标", "服务对象满意度指标", "群众满意度", "≥85%", "≥90%"],
            ]
        )
    )
    assert sorted((t.period, t.level3, t.value) for t in result.targets) == [
        ("annual", "建设里程", "≥10公里"),
        ("annual", "群众满意度", "≥85%"),
        ("implementation", "建设里程", "≥30公里"),
        ("implementation", "群众满意度", "≥90%"),
    ]


def test_a_project_the_family_parser_named_is_not_made_twice() -> None:
    """A Shanxi-titled table whose indicator header the Shanxi parser does not find: the
    parser keeps the project (with its fields), the reader reads the rows into it."""
    result = run(
        rows_text(
            [
                "项目支出绩效目标表",
                ["项目名称", "项目壬"],
                ["主管部门及代码", "601-某局", "实施单位", "某局"],
                ["项目资金（元）", "年度资金总额:", "20,000"],
                ["指标名称", "目标值", "备注"],
                ["培训人数", "≥50人", ""],
                ["参训人员满意度", "≥90%", "问卷"],
            ]
        )
    )
    assert result.document.family == "shanxi_budget"
    assert [(p.project, p.annual_funds_yuan) for p in result.projects] == [("项目壬", 20000)]
    assert [(t.project_line, t.level3, t.description) for t in result.targets] == [
        (1, "培训人数", None),
        (1, "参训人员满意度", "问卷"),
    ]


def test_the_comparator_column_may_hold_the_direction() -> None:
    result = run(
        rows_text(
            [
                ["项目名称", "项目己"],
                ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值"],
                ["产出指标", "数量指标", "发放人数", "正向", "1200", "人", "30"],
                ["", "成本指标", "人均补助", "反向", "500", "元", "20"],
                ["效益指标", "社会效益指标", "生活改善", "定性", "明显", "", "30"],
            ]
        )
    )
    assert [(t.value, t.direction, t.weight) for t in result.targets] == [
        ("1200人", "positive", 30),
        ("500元", "negative", 20),
        ("明显", None, 30),
    ]


def test_a_total_row_above_the_projects_ends_nothing() -> None:
    head = [
        "单位名称",
        "项目名称",
        "预算数",
        "年度目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
    ]
    result = run(
        rows_text(
            [
                "部门预算项目绩效目标表",
                head,
                ["合计", "", "150", "", "", "", "", ""],
                ["某局", "项目甲", "100", "目标甲", "产出指标", "数量指标", "培训人数", "≥50人"],
                ["某局", "项目乙", "50", "目标乙", "产出指标", "数量指标", "采购设备", "10台"],
            ]
        )
    )
    assert [(t.project, t.level3) for t in result.targets] == [
        ("项目甲", "培训人数"),
        ("项目乙", "采购设备"),
    ]
    assert [d.line for d in result.diagnostics if "total row" in d.reason] == [3]


# ----------------------------------------------------------------------------- generality


@pytest.mark.parametrize(
    ("sample", "floor"),
    [
        ("000_5f54f51c5535db0d", 0.99),
        ("001_dc3175b1d97e8850", 0.94),
        ("004_5c2b6dad15e272f5", 0.98),
    ],
)
def test_the_reader_alone_reads_the_budget_samples(
    monkeypatch: pytest.MonkeyPatch, sample: str, floor: float
) -> None:
    """Without the family parsers, the header-driven reader reads the budget samples against
    their hand-written fixtures: the Shanxi tables (PDF-to-text, two halves, shifted cells,
    labels on middle rows) and Henan's consolidated table (a row group per project, blocks of
    三级指标 | 指标值 under 成本/产出/效益/满意度指标): a measure of how it does on tables it was
    not written for. (The final-accounts sample prints each table twice; reconciling the two
    renderings is its family parser's work.)"""
    from tests.conftest import SAMPLES
    from tests.scoring import load_expected

    monkeypatch.setattr("graphbuild.extract.document.PARSERS", {})
    extraction = extract_file(SAMPLES / f"{sample}.txt")
    assert extraction.accounting.tables_by_header >= 2
    score = Score()
    for table in load_expected(f"{sample}.json")["tables"]:
        score.add(score_table(extraction.targets, table))
    print(f"\n{sample} read by the header-driven reader alone: F1 {score.f1:.3f}")
    assert score.f1 >= floor and score.level_accuracy >= 0.9
