"""One small fixture per layout problem of DESIGN.md §1, each written to reproduce it."""

from __future__ import annotations

from graphbuild.extract import extract_text
from graphbuild.extract.read import SourceText, split_lines
from graphbuild.records import Extraction

T = "\t"


def shanxi(rows: list[str], name: str = "测试项目", header: str | None = None) -> str:
    """A minimal Shanxi project table around indicator rows (cells joined by TAB)."""
    head = header or T.join(
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"]
    )
    return "\n".join(
        [
            "测试部门",
            "",
            "2024年度部门预算公开",
            "",
            "侯马经济开发区预算部门（单位）项目支出绩效目标表",
            "",
            T.join(["项目名称", "", name, ""]),
            T.join(["主管部门及代码", "", "601-测试部门", "", "实施单位", "测试部门"]),
            T.join(["项目属性", "", "一次性项目", "", "项目期", "1年"]),
            T.join(["项目资金 (元)", "实施期资金总额:", "120,000", "", "年度资金总额:", "20,000"]),
            T.join(["实施期目标", "", "", "", "年度目标"]),
            T.join(["总体目标", "完成任务", "", "", "完成任务"]),
            head,
            *rows,
            T.join(["负责人:", "经办人:", "", "填报日期:", "20240302"]),
            "",
        ]
    )


def run(text: str) -> Extraction:
    return extract_text(SourceText("fixture.txt", "utf-8", split_lines(text)))


def targets(extraction: Extraction, period: str = "implementation") -> list[tuple]:
    return [
        (t.level1, t.level2, t.level3, t.value) for t in extraction.targets if t.period == period
    ]


def test_merged_label_printed_on_the_first_row_covers_the_rows_below() -> None:
    rows = [
        T.join(
            [
                "",
                "产出指标",
                "数量指标",
                "电子显示屏",
                "6.75平方米",
                "数量指标",
                "电子显示屏",
                "6.75平方米",
            ]
        ),
        T.join(["", "", "", "演讲台", "1台", "", "演讲台", "1台"]),
    ]
    result = run(shanxi(rows))
    assert targets(result) == [
        ("产出指标", "数量指标", "电子显示屏", "6.75平方米"),
        ("产出指标", "数量指标", "演讲台", "1台"),
    ]
    assert targets(result, "annual") == targets(result)


def test_label_on_a_later_row_covers_the_rows_above() -> None:
    rows = [
        T.join(["", "", "", "兑现政策条款数", "≥1条"]),
        T.join(["", "", "数量指标", "外出考察洽谈项目", "≥20次"]),
        T.join(["", "产出指标", "", "举办专题讲座数量", "≥12期"]),
    ]
    result = run(shanxi(rows))
    assert {(t.level1, t.level2) for t in result.targets} == {("产出指标", "数量指标")}
    assert len(result.targets) == 3


def test_cells_shifted_left_and_right() -> None:
    rows = [
        T.join(["", "产出指标", "数量指标", "净水系统", "1个", "数量指标", "净水系统", "1个"]),
        T.join(["", "时效指标", "正常使用", "100%", "时效指标", "正常使用", "100%", ""]),
        T.join(
            [
                "",
                "",
                "",
                "时效指标",
                "竣工验收时效",
                "",
                "≤12月份",
                "时效指标",
                "竣工验收时效",
                "≤12月份",
            ]
        ),
    ]
    result = run(shanxi(rows))
    assert targets(result)[1:] == [
        ("产出指标", "时效指标", "正常使用", "100%"),
        ("产出指标", "时效指标", "竣工验收时效", "≤12月份"),
    ]


def test_level2_duplicated_into_level1_column_and_cost_under_output() -> None:
    rows = [
        T.join(
            [
                "",
                "成本指标",
                "成本指标",
                "电子显示屏费用",
                "103450元",
                "成本指标",
                "电子显示屏费用",
                "103450元",
            ]
        )
    ]
    assert targets(run(shanxi(rows))) == [("产出指标", "成本指标", "电子显示屏费用", "103450元")]


def test_cost_is_level1_when_the_table_has_cost_level2_labels() -> None:
    rows = [
        T.join(
            [
                "",
                "成本指标",
                "经济成本指标",
                "设备购置费",
                "≤30万元",
                "经济成本指标",
                "设备购置费",
                "≤30万元",
            ]
        )
    ]
    assert targets(run(shanxi(rows))) == [("成本指标", "经济成本指标", "设备购置费", "≤30万元")]


def test_missing_level2_is_inferred_from_framework_order() -> None:
    rows = [
        T.join(["效益指标", "经济效益指标", "", "", "经济效益指标", "", ""]),
        T.join(["", "", "提高工作效率", "提高", "", "提高工作效率", "提高"]),
        T.join(["", "", "生态效益指标", "", "", "生态效益指标", "", ""]),
    ]
    assert targets(run(shanxi(rows))) == [("效益指标", "社会效益指标", "提高工作效率", "提高")]


def test_empty_blocks_give_no_target_and_variants_are_folded() -> None:
    rows = [
        T.join(["", "效益指标", "经济效益指标", "", "", "经济效益指标", "", ""]),
        T.join(
            [
                "可持续发展指标",
                "",
                "项目可持续性",
                "可持续",
                "可持续发展指标",
                "项目可持续性",
                "可持续",
            ]
        ),
        T.join(
            [
                "満意度指标",
                "服务对象满意度",
                "职工满意度",
                "≥95%",
                "服务对象满意度",
                "职工满意度",
                "≥95%",
            ]
        ),
    ]
    assert targets(run(shanxi(rows))) == [
        ("效益指标", "可持续影响指标", "项目可持续性", "可持续"),
        ("满意度指标", "服务对象满意度指标", "职工满意度", "≥95%"),
    ]


def test_truncated_right_half_name_is_repaired() -> None:
    rows = [
        T.join(
            [
                "",
                "效益指标",
                "经济效益指标",
                "中科创源起租日起1-2年开票销售收入",
                "≥70000万元",
                "经济效益指标",
                "中科创源起租日起1-2年开票销",
                "≥70000万元",
            ]
        )
    ]
    annual = run(shanxi(rows)).targets[1]
    assert annual.period == "annual"
    assert annual.level3 == "中科创源起租日起1-2年开票销售收入"
    assert annual.level3_raw == "中科创源起租日起1-2年开票销"


def test_repeated_sub_headers_carry_labels() -> None:
    rows = [
        T.join(["", "产出指标", "数量指标", "防控", "≥90次", "数量指标", "防控", "≥90次"]),
        T.join(
            [
                "",
                "二级指标",
                "质量指标",
                "三级指标",
                "指标值",
                "二级指标",
                "质量指标",
                "三级指标",
                "指标值",
            ]
        ),
        T.join(["安保执勤范围", "", "", "全区", "安保执勤范围", "", "", "全区"]),
    ]
    assert targets(run(shanxi(rows)))[1] == ("产出指标", "质量指标", "安保执勤范围", "全区")


def test_right_half_without_its_label_takes_the_left_label_of_the_same_row() -> None:
    rows = [
        T.join(["", "产出指标", "数量指标", "读书会", "1次", "数量指标", "读书会", "1次"]),
        T.join(["", "", "质量指标", "活动完成率", "≥90%", "", "活动完成率", "≥90%"]),
    ]
    assert targets(run(shanxi(rows)), "annual")[1] == ("产出指标", "质量指标", "活动完成率", "≥90%")


def test_name_without_value_is_a_target_and_value_without_name_a_diagnostic() -> None:
    rows = [
        T.join(
            ["", "产出指标", "时效指标", "案件办理及时性", "", "时效指标", "案件办理及时性", ""]
        ),
        T.join(["", "", "", "", "≤12月"]),
    ]
    result = run(shanxi(rows))
    assert targets(result) == [("产出指标", "时效指标", "案件办理及时性", "")]
    assert any("without a level 3 name" in d.reason for d in result.diagnostics)


def test_a_table_restarting_on_the_next_page_continues_the_project() -> None:
    first = shanxi(
        [T.join(["", "产出指标", "数量指标", "人数", "50人", "数量指标", "人数", "50人"])]
    )
    second = shanxi(
        [
            T.join(
                [
                    "",
                    "效益指标",
                    "社会效益指标",
                    "保障平安",
                    "保障",
                    "社会效益指标",
                    "保障平安",
                    "保障",
                ]
            )
        ]
    )
    result = run(first + "\n" + second)
    assert len(result.projects) == 1
    assert len(result.targets) == 4


def test_two_projects_sharing_a_name_are_kept_apart() -> None:
    row = T.join(["", "产出指标", "数量指标", "人数", "50人", "数量指标", "人数", "50人"])
    result = run(shanxi([row]) + "\n" + shanxi([row]))
    assert len(result.projects) == 2
    assert len({t.project_line for t in result.targets}) == 2


def test_project_header_fields_in_yuan() -> None:
    project = run(shanxi([T.join(["", "产出指标", "数量指标", "人数", "50人"])])).projects[0]
    assert (project.project, project.department_code, project.department) == (
        "测试项目",
        "601",
        "测试部门",
    )
    assert (project.total_funds_yuan, project.annual_funds_yuan) == (120000, 20000)
    assert (project.attribute, project.term) == ("一次性项目", "1年")


HENAN = "\n".join(
    [
        "测试办公室",
        "2024 年度部门预算",
        "",
        "2024 年度部门预算项目绩效目标表",
        "",
        T.join(
            [
                "单位编码(项目编码)",
                "项目单位（项目名称）",
                "项目金额（万元）",
                "",
                "",
                "",
                "绩效目标",
            ]
        ),
        T.join(
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "成本指标",
                "",
                "产出指标",
                "",
                "效益指标",
                "",
                "满意度指标",
                "",
            ]
        ),
        T.join(
            [
                "",
                "",
                "资金总额",
                "政府预算资金",
                "财政专户管理资金",
                "单位资金",
                "三级指标",
                "指标值",
                "三级指标",
                "指标值",
                "三级指标",
                "指标值",
                "三级指标",
                "指标值",
            ]
        ),
        T.join(["101", "测试办公室", "9.00", "9.00"] + [""] * 10),
        T.join(
            [
                "41070424000 0000004850",
                "专项-电子政务 网络运行经费",
                "9.00",
                "9.00",
                "",
                "",
                "网络运行费",
                "≤9 万元",
                "覆盖范围",
                "≥29 个",
                "提高党政机关 政务办公效率",
                "明显 提高",
                "用户满意度",
                "≥95%",
            ]
        ),
        T.join(
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "完成时间",
                "2024 年 12 月 31 日",
                "",
                "完成时间",
                "",
                "",
            ]
        ),
    ]
)


def test_henan_consolidated_table() -> None:
    result = run(HENAN)
    assert result.document.family == "henan_budget"
    [project] = result.projects
    assert (project.project, project.project_code, project.total_funds_yuan) == (
        "专项-电子政务网络运行经费",
        "410704240000000004850",
        90000,
    )
    assert [(t.level1, t.level2, t.level3, t.value) for t in result.targets] == [
        ("成本指标", None, "网络运行费", "≤9万元"),
        ("产出指标", None, "覆盖范围", "≥29个"),
        ("效益指标", None, "提高党政机关政务办公效率", "明显提高"),
        ("满意度指标", None, "用户满意度", "≥95%"),
        ("产出指标", None, "完成时间", "2024年12月31日"),
    ]
    assert result.targets[-1].date == "2024-12-31"
    assert any("完成时间" in d.reason for d in result.diagnostics)


FINAL_ACCOUNTS = "\n".join(
    [
        "2024年度部门决算公开",
        "",
        "项目支出绩效自评分析报告",
        "",
        "项目名称: 老干部工作经费 项目单位:602001-测试部门 主管部门:602-测试部门",
        "",
        T.join(
            [
                "一级指标",
                "二级指标",
                "指标名称",
                "年",
                "[指标 调整后指标",
                "实际完成值",
                "权重",
                "得分",
                "偏差原因分析及改 进措施",
            ]
        ),
        T.join(["", "", "", "~는 401 4분 44", "判無力指令", "", "", "", ""]),
        T.join(["产出", "数量指标", "组织老干部活动", "", "≥2 次", "2", "5", "5", ""]),
        T.join(["指标", "", "老干部体检", "", "≥1次", "1", "5", "5", ""]),
        T.join(
            [
                "",
                "成本指标",
                "老干部体检费用",
                "",
                "≤3.8万元",
                "3. 22",
                "3",
                "2.5",
                "按实际人员标准支付",
            ]
        ),
        "",
        "本项目总得分95分, 属于\u201c优\u201d。",
    ]
)


def test_final_accounts_ocr_second_header_line_is_a_diagnostic_not_a_target() -> None:
    result = run(FINAL_ACCOUNTS)
    assert result.document.family == "final_accounts"
    assert [
        (t.level1, t.level2, t.level3, t.value, t.actual, t.weight, t.score) for t in result.targets
    ] == [
        ("产出指标", "数量指标", "组织老干部活动", "≥2次", "2", 5, 5),
        ("产出指标", "数量指标", "老干部体检", "≥1次", "1", 5, 5),
        ("产出指标", "成本指标", "老干部体检费用", "≤3.8万元", "3.22", 3, 2.5),
    ]
    [header_line] = [d for d in result.diagnostics if d.line == 8]
    assert "second header line" in header_line.reason
    assert result.accounting.unplaced_rows == 0
    assert (result.projects[0].total_score, result.projects[0].grade) == (95, "优")


def test_funding_lines_with_the_amount_in_the_next_cell_or_glued_to_the_label() -> None:
    """000 line 518 prints `其中: 中央财政资金 | 0`; 000 line 828 glues `市县（区）财政资金 1,650,000`."""
    from graphbuild.extract.fields import read_fields
    from graphbuild.extract.read import split_lines

    lines = split_lines(
        "\n".join(
            [
                T.join(["", "其中: 中央财政资金", "0", "", "其中: 中央财政资金", "0"]),
                T.join(["", "市县（区）财政资金 1,650,000", "", "市县（区）财政资金 1,650,000"]),
            ]
        )
    )
    assert [(name, value) for name, value, _ in read_fields(lines)] == [
        ("central", "0"),
        ("central", "0"),
        ("local", "1,650,000"),
        ("local", "1,650,000"),
    ]


def test_a_new_level1_block_does_not_inherit_the_previous_level2() -> None:
    """001 lines 752-754: after the empty 生态/可持续 rows, `满意度指标 | name | value` is shifted
    one column left; the row belongs to 满意度, not to the 可持续影响指标 carried from above."""
    rows = [
        T.join(
            [
                "",
                "效益指标",
                "社会效益指标",
                "改善办公环境",
                "改善",
                "社会效益指标",
                "改善办公环境",
                "改善",
            ]
        ),
        T.join(["", "", "生态效益指标", "", "", "生态效益指标", "", ""]),
        T.join(["可持续影响指标", "", "可持续影响指标", "", "", "", "", ""]),
        T.join(
            [
                "满意度指标",
                "服务对象满意度/工作人员满意度",
                "≥90%",
                "服务对象满意度/工作人员满意度",
                "≥90%",
            ]
        ),
    ]
    result = run(shanxi(rows))
    expected = [
        ("效益指标", "社会效益指标", "改善办公环境", "改善"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度/工作人员满意度", "≥90%"),
    ]
    assert targets(result) == expected
    assert targets(result, "annual") == expected


def test_department_wide_budget_in_yuan() -> None:
    """000 lines 480-483: 年度预算情况 in 万元, 合计 938.41, 基本支出 422.10, 项目支出 516.31."""
    text = "\n".join(
        [
            "测试部门",
            "2024年度部门预算公开",
            "县(区)级预算部门(单位)整体支出绩效目标申报表",
            T.join(["部门基本信息", "部门名称", "601-测试部门", ""]),
            T.join(
                [
                    "年度预算情况",
                    "按资金来源划分",
                    "资金总额(万元)",
                    "按资金方向划分",
                    "资金总额(万元)",
                ]
            ),
            T.join(["", "合计", "938.41", "合计", "938.41"]),
            T.join(["", "其中:一般公共预算资金", "938.41", "其中:基本支出", "422.10"]),
            T.join(["", "政府性基金预算资金", "0.00", "项目支出", "516.31"]),
            T.join(["年度重点任务", "核心职能", "重点任务", ""]),
            T.join(["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]),
            T.join(["", "产出指标", "数量指标", "上报信息", "≥12篇"]),
        ]
    )
    document = run(text).document
    assert (
        document.budget_total_yuan,
        document.basic_expenditure_yuan,
        document.project_expenditure_yuan,
    ) == (9384100, 4221000, 5163100)
