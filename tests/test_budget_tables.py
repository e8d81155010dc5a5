"""The budget tables of the samples as budget_line records (graphbuild/extract/budget*.py).

The expected records below were written by reading data/samples/*.txt (line numbers are the
files' own); amounts are the printed 万元 × 10,000. A row is written (line, classification,
code, name, column, amount_yuan)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from graphbuild.extract.budget_header import header_columns, measure_of
from graphbuild.extract.budget_rows import AMOUNT
from graphbuild.records import BudgetLine, Extraction

S000, S001, S002, S004 = (
    "000_5f54f51c5535db0d.txt",
    "001_dc3175b1d97e8850.txt",
    "002_c6a9cc9c84081a5e.txt",
    "004_5c2b6dad15e272f5.txt",
)
F, E = "functional", "economic"
Row = tuple[int, str | None, str | None, str | None, str | None, float | None]


def table(extraction: Extraction, title_line: int) -> list[BudgetLine]:
    return [b for b in extraction.budget_lines if b.table_line == title_line]


def rows(lines: list[BudgetLine]) -> list[Row]:
    return [(b.line, b.classification, b.code, b.name, b.column, b.amount_yuan) for b in lines]


def rows_on(lines: list[BudgetLine], *numbers: int) -> list[Row]:
    return rows([b for b in lines if b.line in numbers])


# ---- header rows -> columns -------------------------------------------------------------------
def test_a_column_printed_once_in_the_top_row_stays_last() -> None:
    """001's 收入总表: 单位资金 printed one cell right of 上年结转's position, under 本年收入."""
    columns = header_columns(
        [
            ["项目", "", "本年收入", "", "", "", "", "上年结转"],
            ["科目编码", "科目名称", "合计", "一般公共预算", "政府性基金", "国有资本经营预算",
             "财政专户管理资金", "", "单位资金"],
        ],
        9,
    )  # fmt: skip
    assert [c.text for c in columns][-3:] == ["财政专户管理资金", "单位资金", "上年结转"]
    assert [c.kind for c in columns][:3] == ["code", "name", "value"]
    assert columns[-1].measure == "carried_over" and columns[2].path == ("本年收入",)


def test_three_header_rows_with_shifted_groups() -> None:
    """004's 支出预算表: 类/款/项 under 科目编码, 人员经费 and 公用经费 under 基本支出."""
    columns = header_columns(
        [
            ["科目编码", "", "", "单位代码", "单位（科目名称）", "合计", "基本支出", "", "", "",
             "项目支出", "", ""],
            ["", "", "", "", "", "", "小计", "人员经费", "", "公用经费", "", "小计", "其他运转类",
             "特定目标类"],
            ["类", "款", "项", "", "", "", "", "工资福利支出", "对个人和家庭的补助", "商品和服务支出",
             "资本性支出", "", "", ""],
        ],
        14,
    )  # fmt: skip
    assert [c.full for c in columns] == [
        "科目编码/类",
        "科目编码/款",
        "科目编码/项",
        "单位代码",
        "单位（科目名称）",
        "合计",
        "基本支出/小计",
        "基本支出/人员经费/工资福利支出",
        "基本支出/人员经费/对个人和家庭的补助",
        "基本支出/公用经费/商品和服务支出",
        "基本支出/公用经费/资本性支出",
        "项目支出/小计",
        "项目支出/其他运转类",
        "项目支出/特定目标类",
    ]
    assert [c.part for c in columns[:3]] == ["类", "款", "项"]
    assert [c.measure for c in columns[5:8]] == ["total", "basic", "wages"]


def test_a_header_wrapped_over_two_lines_is_one_column() -> None:
    columns = header_columns([["", "对附属单", "上缴上级"], ["科目名称", "位补助支出", "支出"]], 3)
    assert [c.text for c in columns] == ["科目名称", "对附属单位补助支出", "上缴上级支出"]


def test_measures_and_amounts() -> None:
    assert measure_of("小计", ("项目支出",)) == "project"
    assert measure_of("2024年合计") == measure_of("决算数") == "total"
    assert measure_of("当年预算安排") == "current_year"
    assert [bool(AMOUNT.match(c)) for c in ("1,241.66", "893.41", "合计", "")] == [
        True,
        True,
        False,
        False,
    ]


# ---- 000: Shanxi budget, 13 tables ------------------------------------------------------------
def test_000_summary_table(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S000], 62)  # 2024年预算收支总表, 单位：万元
    assert {b.table for b in lines} == {"2024年预算收支总表"}
    assert {b.table_kind for b in lines} == {"summary"}
    assert rows_on(lines, 70, 101) == [
        (70, None, None, "一、一般公共预算", "2024年", 8934100.0),
        (70, None, None, "一、一般公共服务支出", "2024年合计", 8158800.0),
        (70, None, None, "一、一般公共服务支出", "当年预算安排", 8158800.0),
        (101, None, None, "本年收入合计", "2024年", 8934100.0),
        (101, None, None, "本年支出合计", "2024年合计", 8934100.0),
        (101, None, None, "本年支出合计", "当年预算安排", 8934100.0),
    ]
    assert {b.section for b in lines} == {"收入", "支出"}
    assert len(lines) == 15  # 5 rows of classes, the 本年 and 总计 rows, each side


def test_000_functional_tables(samples: dict[str, Extraction]) -> None:
    expenditure = table(samples[S000], 139)  # 2024年预算支出总表
    assert rows_on(expenditure, 147, 148, 153, 165) == [
        (147, None, None, "合计", "合计", 8934100.0),
        (147, None, None, "合计", "基本支出", 4221000.0),
        (147, None, None, "合计", "项目支出", 4713100.0),
        (148, F, "201", "一般公共服务支出", "合计", 8158800.0),
        (148, F, "201", "一般公共服务支出", "基本支出", 3445700.0),
        (148, F, "201", "一般公共服务支出", "项目支出", 4713100.0),
        (153, F, "2010350", "事业运行", "合计", 3445700.0),
        (153, F, "2010350", "事业运行", "基本支出", 3445700.0),
        (165, F, "2100799", "其他计划生育事务支出", "合计", 1800.0),
        (165, F, "2100799", "其他计划生育事务支出", "基本支出", 1800.0),
    ]
    assert len(expenditure) == 51
    by_line = {(b.line, b.column): b for b in expenditure}
    assert by_line[(153, "合计")].parent_line == 149  # 2010350 adds up into 20103
    assert by_line[(149, "合计")].parent_line == 148  # 20103 into 201
    assert by_line[(148, "合计")].parent_line == 147  # 201 into 合计
    assert by_line[(147, "合计")].total and by_line[(148, "基本支出")].measure == "basic"
    general = table(samples[S000], 219)  # 一般公共预算支出预算表（不含上年结转）
    assert rows_on(general, 232) == [
        (232, F, "2010305", "专项业务及机关事务管理", "合计", 470000.0),
        (232, F, "2010305", "专项业务及机关事务管理", "项目支出", 470000.0),
    ]
    assert len(general) == 51


def test_000_economic_table_without_codes(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S000], 252)  # 基本支出分经济科目表: names only, 人员经费 / 公用经费
    assert rows_on(lines, 260, 261, 264, 276) == [
        (260, None, None, "合计", "合计", 4221000.0),
        (260, None, None, "合计", "人员经费", 3650300.0),
        (260, None, None, "合计", "公用经费", 570700.0),
        (261, E, None, "工资福利支出", "合计", 3648500.0),
        (261, E, None, "工资福利支出", "人员经费", 3648500.0),
        (264, E, None, "绩效工资", "合计", 1962200.0),
        (264, E, None, "绩效工资", "人员经费", 1962200.0),
        (276, E, None, "公务接待费", "合计", 5000.0),
        (276, E, None, "公务接待费", "公用经费", 5000.0),
    ]
    performance_pay = next(b for b in lines if b.line == 264)
    assert (performance_pay.name2, performance_pay.parent_line) == ("工资福利支出", 261)
    assert len(lines) == 47


def test_000_three_public_and_empty_tables(samples: dict[str, Extraction]) -> None:
    assert rows(table(samples[S000], 324)) == [  # 因公出国（境）费 prints nothing
        (333, None, None, "公务接待费", "合计", 705000.0),
        (333, None, None, "公务接待费", "一般公共预算", 705000.0),
        (334, None, None, "公务用车购置及运行费", "合计", 520000.0),
        (334, None, None, "公务用车购置及运行费", "一般公共预算", 520000.0),
        (335, None, None, "①公务用车购置费", "合计", 380000.0),
        (335, None, None, "①公务用车购置费", "一般公共预算", 380000.0),
        (336, None, None, "②公务用车运行维护费", "合计", 140000.0),
        (336, None, None, "②公务用车运行维护费", "一般公共预算", 140000.0),
        (337, None, None, "合计", "合计", 1225000.0),
        (337, None, None, "合计", "一般公共预算", 1225000.0),
    ]
    # 政府性基金 收入, 支出, 国有资本经营, 机关运行经费, 项目支出（上年结转）: 本表无数据
    for title_line in (284, 296, 309, 339, 382):
        (empty,) = table(samples[S000], title_line)
        assert empty.empty and empty.amount_yuan is None and empty.line == title_line
        assert empty.printed == "注：本表无数据"


def test_000_project_table_linked_to_the_performance_tables(
    samples: dict[str, Extraction],
) -> None:
    lines = table(samples[S000], 351)  # 项目支出预算表（本年预算）
    assert rows_on(lines, 360, 376) == [
        (360, None, None, "侯马经济开发区管理委员会综合工作部", "合计", 4713100.0),
        (360, None, None, "侯马经济开发区管理委员会综合工作部", "一般公共预算", 4713100.0),
        (376, None, None, "办公设备购置", "合计", 20000.0),
        (376, None, None, "办公设备购置", "一般公共预算", 20000.0),
    ]
    linked = {b.name: b.project_line for b in lines if b.column == "合计" and not b.total}
    assert linked["办公设备购置"] == 510  # its 项目支出绩效目标表 starts at line 510
    assert linked["档案馆加层工程"] == 550
    # 19 rows, 17 performance tables: two rows have none
    assert sorted(n for n, p in linked.items() if p is None) == [
        "机关大院保安购买服务",
        "机关食堂购买服务",
    ]
    assert len(linked) == 19


def test_000_narrative(samples: dict[str, Extraction]) -> None:
    text = [b for b in samples[S000].budget_lines if b.source == "text"]
    procurement = [(b.line, b.name, b.amount_yuan) for b in text if b.table_kind == "procurement"]
    assert procurement == [
        (455, "政府采购预算总额", 1812600.0),
        (455, "政府采购货物预算", 417600.0),
        (455, "政府采购工程预算", 0.0),
        (455, "政府采购服务预算", 1395000.0),
    ]
    assets = {(b.line, b.name): (b.quantity, b.unit) for b in text if b.table_kind == "assets"}
    assert assets[(1089, "领导用车")] == (1.0, "辆")
    assert assets[(1089, "其他公务用车")] == (4.0, "辆")
    assert assets[(1093, "办公用房建筑总面积")] == (227.0, "平方米")
    assert assets[(1097, "价值50万元（原值）以上的通用设备")] == (0.0, "台（套）")


# ---- 001: Shanxi budget with money carried over -------------------------------------------------
def test_001_income_table_column_shifted_in_the_header(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S001], 115)  # 收入总表: 单位资金 printed right of 上年结转
    assert rows_on(lines, 123, 135) == [
        (123, None, None, "合计", "合计", 119375700.0),
        (123, None, None, "合计", "一般公共预算", 119375700.0),
        (123, None, None, "合计", "上年结转", 38300.0),
        (135, F, "2013299", "其他组织事务支出", "合计", 3696700.0),
        (135, F, "2013299", "其他组织事务支出", "一般公共预算", 3696700.0),
        (135, F, "2013299", "其他组织事务支出", "上年结转", 38300.0),
    ]


def test_001_three_public_and_carried_over_projects(samples: dict[str, Extraction]) -> None:
    assert rows(table(samples[S001], 393)) == [
        (401, None, None, "因公出国（境）费", "合计", 107500.0),
        (401, None, None, "因公出国（境）费", "一般公共预算", 107500.0),
        (402, None, None, "公务接待费", "合计", 40000.0),
        (402, None, None, "公务接待费", "一般公共预算", 40000.0),
        (403, None, None, "公务用车购置及运行费", "合计", 178500.0),
        (403, None, None, "公务用车购置及运行费", "一般公共预算", 178500.0),
        (405, None, None, "②公务用车运行维护费", "合计", 178500.0),
        (405, None, None, "②公务用车运行维护费", "一般公共预算", 178500.0),
        (406, None, None, "合计", "合计", 326000.0),
        (406, None, None, "合计", "一般公共预算", 326000.0),
    ]
    carried = table(samples[S001], 462)  # 项目支出预算表（上年结转）
    assert rows([b for b in carried if b.column == "合计"]) == [
        (471, None, None, "晋城经济技术开发区管理委员会", "合计", 38300.0),
        (472, None, None, "晋城经济技术开发区管理委员会", "合计", 38300.0),
        (473, None, None, "2023年两新组织联合党组织和党建工作指导员省级经费", "合计", 4800.0),
        (474, None, None, "2023年党建工作指导员市级经费", "合计", 33500.0),
    ]


def test_001_projects_told_apart_by_amount_and_close_names(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S001], 420)
    linked = {b.line: b.project_line for b in lines if b.column == "合计"}
    # two performance tables are named 两新组织联合党组织和党建指导员工作经费 (lines 1123, 1869):
    # the row's 11.26万元 is line 1123's 112,620 yuan to the printed precision
    assert linked[453] == 1123
    # 山西晋颍云… printed 山西晋隴云… (OCR) in its performance table, 4,830,486.45 yuan
    assert linked[451] == 1325
    assert linked[449] is None  # no performance table for 山西长坤…12家企业…（2024年第一批）


# ---- 002: final accounts, OCR'd --------------------------------------------------------------
def test_002_income_and_expenditure_tables(samples: dict[str, Extraction]) -> None:
    income = table(samples[S002], 91)  # 收入决算表: no unit printed, 万元 like the others
    assert rows_on(income, 102, 105) == [
        (102, None, None, "合计", "计", 4464600.0),
        (102, None, None, "合计", "财政拨款收入", 4464600.0),
        (105, F, "2012906", "工会事务", "计", 100000.0),
        (105, F, "2012906", "工会事务", "财政拨款收入", 100000.0),
    ]
    expenditure = table(samples[S002], 138)
    assert rows_on(expenditure, 147, 164) == [
        (147, None, None, "合计", "本年支出合भे", 4464600.0),  # the OCR's 计
        (147, None, None, "合计", "基本支出", 2861100.0),
        (147, None, None, "合计", "项目支出", 1603500.0),
        (164, F, "2080502", "事业单位离退休", "本年支出合भे", 156800.0),
        (164, F, "2080502", "事业单位离退休", "基本支出", 114000.0),
        (164, F, "2080502", "事业单位离退休", "项目支出", 42800.0),
    ]


def test_002_four_panel_economic_table(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S002], 275)  # 基本支出决算明细表: four (code, name, 决算数) panels
    assert rows_on(lines, 285, 302, 314) == [
        (285, E, "301", "工资福利支出", "决算数", 2469900.0),
        (285, E, "302", "商品和服务支出", "决算数", 242100.0),
        (302, E, "30302", "退休费", "决算数", 114000.0),
        (314, None, None, "人员经费合计", "决算数", 2619000.0),  # "人员经费合计 261.90" in one cell
    ]
    office = next(b for b in lines if b.code == "30201")
    assert office.parent_line == 285 and office.amount_yuan == 12400.0


def test_002_three_public_is_empty_and_statistics(samples: dict[str, Extraction]) -> None:
    (three,) = table(samples[S002], 355)
    assert three.empty and three.printed == "说明:本表无数据"
    statistics = table(samples[S002], 374)  # 部门决算公开相关信息统计表: 行次 are not amounts
    assert rows(statistics) == [
        (385, None, None, "合计", "统计数", 20200.0),
        (386, None, None, "货物", "统计数", 20200.0),
    ]


def test_002_execution_stated_in_the_text(samples: dict[str, Extraction]) -> None:
    text = [b for b in samples[S002].budget_lines if b.table_kind == "execution"]
    assert [(b.line, b.name, b.column, b.amount_yuan, b.quantity) for b in text[3:6]] == [
        (453, "一般公共服务支出", "年初预算", 687000.0, None),
        (453, "一般公共服务支出", "支出决算", 742400.0, None),
        (453, "一般公共服务支出", "完成年初预算的", None, 108.06),
    ]
    assert len(text) == 15  # the total and four classes, three figures each


# ---- 004: Henan budget -----------------------------------------------------------------------
def test_004_summary_without_unit_and_codes_printed_in_three_cells(
    samples: dict[str, Extraction],
) -> None:
    summary = table(samples[S004], 176)  # 部门收支预算表 prints no unit
    assert rows_on(summary, 182) == [
        (182, None, None, "一、一般公共预算", "金额", 12416600.0),
        (182, None, None, "一、一般公共服务", "金额", 9667000.0),
    ]
    assert any(
        d.line == 176 and "prints no unit; read as 万元" in d.reason
        for d in samples[S004].diagnostics
    )
    expenditure = table(samples[S004], 216)  # 类 | 款 | 项 under 科目编码
    first = [b for b in expenditure if b.line == 227]
    assert rows(first)[:2] == [
        (227, F, "2012801", "行政运行", "合计", 50000.0),
        (227, F, "2012801", "行政运行", "小计", 0.0),
    ]
    assert [b.column_path for b in first][7] == "项目支出/其他运转类"
    general = table(samples[S004], 289)  # no 类/款/项 header row: three unnamed cells
    assert rows_on(general, 300)[0] == (300, F, "2012801", "行政运行", "合计", 50000.0)


def test_004_economic_table_with_two_classifications(samples: dict[str, Extraction]) -> None:
    lines = table(samples[S004], 319)
    bonus = [b for b in lines if b.line == 328]
    assert rows(bonus) == [
        (328, E, "30103", "奖金", "合计", 272800.0),
        (328, E, "30103", "奖金", "人员经费", 272800.0),
        (328, E, "30103", "奖金", "公用经费", 0.0),
    ]
    assert (bonus[0].code2, bonus[0].name2) == ("50501", "工资福利支出")


def test_004_three_public_one_column_per_item(samples: dict[str, Extraction]) -> None:
    assert [(b.name, b.column, b.amount_yuan) for b in table(samples[S004], 352)] == [
        ("“三公”经费合计", "“三公”经费合计", 110000.0),
        ("因公出国（境）费", "因公出国（境）费", 0.0),
        ("公务用车购置及运行费", "小计", 90000.0),
        ("公务用车购置费", "公务用车购置费", 0.0),
        ("公务用车运行费", "公务用车运行费", 90000.0),
        ("公务接待费", "公务接待费", 20000.0),
    ]


def test_004_department_wide_budget_and_assets(samples: dict[str, Extraction]) -> None:
    document = samples[S004].document
    assert (document.budget_total_yuan, document.basic_expenditure_yuan) == (12616600.0, 10386200.0)
    assert (document.project_expenditure_yuan, document.budget_line) == (2230400.0, 391)
    assets = {b.name: b.quantity for b in samples[S004].budget_lines if b.table_kind == "assets"}
    assert assets["车辆"] == 3.0 and assets["一般公务用车"] == 3.0
    assert assets["单价50万元以上通用设备"] == 0.0


# ---- every sample ----------------------------------------------------------------------------
SAMPLES = [S000, S001, S002, S004]
TABLES = {S000: 13, S001: 13, S002: 10, S004: 7}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_budget_row_is_accounted_for(samples: dict[str, Extraction], name: str) -> None:
    rows = samples[name].accounting
    assert rows.budget_tables == TABLES[name]
    assert rows.budget_unplaced_rows == 0
    assert rows.budget_rows == (
        rows.budget_header_rows
        + rows.budget_line_rows
        + rows.budget_blank_rows
        + rows.budget_diagnosed_rows
    )
    assert rows.budget_line_rows == len(
        {b.line for b in samples[name].budget_lines if b.source == "table" and not b.empty}
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_leaf_lines_of_the_functional_classification_sum_to_the_total(
    samples: dict[str, Extraction], name: str
) -> None:
    """In each table with functional codes and each column, the codes no other code extends
    (the 项 level, or a 类/款 printed without items) add up to the table's 合计 within the
    printing's rounding (each figure to 0.01 万元, so 50 yuan each). All four samples are
    consistent in this: the largest gap is 100 yuan (000, 001, 002 and 004 each have columns
    whose items add up to 0.01 万元 more or less than the printed 合计)."""
    tables: dict[tuple[int | None, str], list[BudgetLine]] = defaultdict(list)
    totals: dict[tuple[int | None, str], float] = {}
    for b in samples[name].budget_lines:
        if b.empty or b.source != "table" or b.amount_yuan is None:
            continue
        key = (b.table_line, b.column_path or b.column or "")
        if b.classification == "functional" and b.code:
            tables[key].append(b)
        elif b.total and b.name == "合计":
            totals.setdefault(key, b.amount_yuan)
    checked = 0
    for key, lines in tables.items():
        codes = {b.code for b in lines}
        leaves = [b for b in lines if not any(c != b.code and c.startswith(b.code) for c in codes)]  # type: ignore[union-attr, arg-type]
        total = sum(b.amount_yuan for b in leaves)  # type: ignore[misc]
        assert abs(total - totals[key]) <= 50 * len(leaves), (key, total, totals[key])
        checked += 1
    assert checked >= 4
