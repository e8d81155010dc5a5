"""The named queries of queries/: every one parses and is documented; each analysis query
returns, on the hand-made graph tests/data/queries/fixture.trig, the rows written below by
reading that file (IRIs without the base http://example.org/kg/, numbers without ``.0``,
nothing for unbound)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graphbuild.analysis.querying import Table, parse_params, run_query
from graphbuild.named_queries import NamedQuery, QueryError, named_query, registry
from graphbuild.stores.memory import MemoryStore
from graphbuild.stores.oxigraph import OxigraphStore
from tests.query_fixture import load_fixture, short

QUERIES = registry()
ANALYSIS = [name for name in QUERIES if not name.startswith("audit_")]
OWNED_ELSEWHERE = {
    "void_classes",
    "void_properties",
    "void_totals",
    "network_nodes",
    "network_targets",
}
"""Queries the pages (VoID) and network tests check on their own data."""

Row = tuple[str, ...]
P10, P40, P70, P90 = (f"id/project/a.txt/{n}" for n in (10, 40, 70, 90))
B10, B40 = "id/project/b.txt/10", "id/project/b.txt/40"


def t(document: str, line: int, period: str = "annual") -> str:
    return f"id/target/{document}/{line}/{period}"


# name -> [(parameters, columns to compare (None: all), expected rows in order)]
EXPECTED: dict[str, list[tuple[dict[str, str], list[str] | None, list[Row]]]] = {
    "count_diagnostics_by_document": [({}, None, [("a.txt", "1"), ("b.txt", "1")])],
    "count_projects_by_document": [({}, None, [("a.txt", "4"), ("b.txt", "2")])],
    "count_targets_by_document": [({}, None, [("a.txt", "22"), ("b.txt", "8")])],
    "count_targets_by_level1": [
        ({}, None, [("产出指标", "18"), ("效益指标", "6"), ("满意度指标", "6")])
    ],
    "dataset_statistics": [({}, None, [("2", "2", "6", "30", "2")])],
    "projects_lacking_benefit": [({}, None, [("a.txt", P70, "设备购置", "2")])],
    "projects_lacking_satisfaction": [({}, None, [("a.txt", "设备购置", "70", "2", P70)])],
    "qualitative_only_projects": [
        (
            {},
            ["document", "projectName", "projectLine", "targets", "project"],
            [("a.txt", "宣传", "90", "3", P90)],
        )
    ],
    "satisfaction_targets": [
        (
            {},
            None,
            [
                ("a.txt", P90, "宣传", "用户满意度", "满意", ""),
                ("a.txt", P40, "档案整理", "群众评价", "XX", ""),
                ("a.txt", P10, "网络服务", "用户满意度", "≥90%", "90"),
                ("b.txt", B10, "党报征订", "用户满意度", "≥90%", "90"),
                ("b.txt", B40, "工会活动", "职工满意度", "≥90%", "90"),
                ("a.txt", P10, "网络服务", "用户满意度", "≥95%", "95"),
            ],
        )
    ],
    "satisfaction_below_threshold": [
        ({}, None, []),
        (
            {"threshold": "95"},
            None,
            [
                ("a.txt", "网络服务", "23", "年度", "用户满意度", "≥90%", "90", t("a.txt", 23)),
                ("b.txt", "党报征订", "23", "年度", "用户满意度", "≥90%", "90", t("b.txt", 23)),
                ("b.txt", "工会活动", "48", "年度", "职工满意度", "≥90%", "90", t("b.txt", 48)),
            ],
        ),
    ],
    "satisfaction_thresholds": [
        (
            {},
            ["threshold", "comparator", "targets", "projects", "documents"],
            [
                ("90", ">=", "3", "3", "2"),
                ("", "", "2", "2", "1"),
                ("95", ">=", "1", "1", "1"),
            ],
        )
    ],
    "cost_targets_vs_funds": [
        (
            {},
            None,
            [
                (
                    "a.txt",
                    "网络服务",
                    "21",
                    "年度",
                    "租赁费用",
                    "≤6万元",
                    "60000",
                    "50000",
                    "120",
                    t("a.txt", 21),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "46",
                    "年度",
                    "活动经费",
                    "≤6万元",
                    "60000",
                    "50000",
                    "120",
                    t("b.txt", 46),
                ),
                (
                    "b.txt",
                    "党报征订",
                    "21",
                    "年度",
                    "报纸费用",
                    "≤10万元",
                    "100000",
                    "100000",
                    "100",
                    t("b.txt", 21),
                ),
                (
                    "a.txt",
                    "网络服务",
                    "21",
                    "实施期",
                    "租赁费用",
                    "≤8万元",
                    "80000",
                    "100000",
                    "80",
                    t("a.txt", 21, "implementation"),
                ),
            ],
        ),
        (
            {"min_share": "101"},
            ["document", "line", "share"],
            [("a.txt", "21", "120"), ("b.txt", "46", "120")],
        ),
    ],
    "targets_of_department": [
        (
            {"department_contains": "乙"},
            None,
            [
                (
                    "乙部门",
                    "b.txt",
                    "党报征订",
                    "20",
                    "年度",
                    "产出指标",
                    "数量指标",
                    "报纸份数",
                    "≥600份",
                    t("b.txt", 20),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "党报征订",
                    "21",
                    "年度",
                    "产出指标",
                    "成本指标",
                    "报纸费用",
                    "≤10万元",
                    t("b.txt", 21),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "党报征订",
                    "22",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "宣传效果",
                    "提升",
                    t("b.txt", 22),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "党报征订",
                    "23",
                    "年度",
                    "满意度指标",
                    "服务对象满意度指标",
                    "用户满意度",
                    "≥90%",
                    t("b.txt", 23),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "工会活动",
                    "45",
                    "年度",
                    "产出指标",
                    "数量指标",
                    "活动次数",
                    "≥2次",
                    t("b.txt", 45),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "工会活动",
                    "46",
                    "年度",
                    "产出指标",
                    "成本指标",
                    "活动经费",
                    "≤6万元",
                    t("b.txt", 46),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "工会活动",
                    "47",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "职工参与",
                    "提升",
                    t("b.txt", 47),
                ),
                (
                    "乙部门",
                    "b.txt",
                    "工会活动",
                    "48",
                    "年度",
                    "满意度指标",
                    "服务对象满意度指标",
                    "职工满意度",
                    "≥90%",
                    t("b.txt", 48),
                ),
            ],
        ),
        # the department-wide target belongs to the publisher; lines 20-24 have two halves
        (
            {"department_contains": "甲", "document_contains": "a.txt"},
            ["department", "projectName", "line", "period"],
            [
                ("甲部门", "", "5", "年度"),
                ("甲部门", "网络服务", "20", "实施期"),
                ("甲部门", "网络服务", "20", "年度"),
                ("甲部门", "网络服务", "21", "实施期"),
                ("甲部门", "网络服务", "21", "年度"),
                ("甲部门", "网络服务", "22", "实施期"),
                ("甲部门", "网络服务", "22", "年度"),
                ("甲部门", "网络服务", "23", "实施期"),
                ("甲部门", "网络服务", "23", "年度"),
                ("甲部门", "网络服务", "24", "实施期"),
                ("甲部门", "网络服务", "24", "年度"),
                ("甲部门", "档案整理", "50", "年度"),
                ("甲部门", "档案整理", "51", "年度"),
                ("甲部门", "档案整理", "52", "年度"),
                ("甲部门", "档案整理", "53", "年度"),
                ("甲部门", "档案整理", "54", "年度"),
                ("甲部门", "档案整理", "55", "年度"),
                ("甲部门", "设备购置", "75", "年度"),
                ("甲部门", "设备购置", "76", "年度"),
                ("甲部门", "宣传", "95", "年度"),
                ("甲部门", "宣传", "96", "年度"),
                ("甲部门", "宣传", "97", "年度"),
            ],
        ),
        ({"department_contains": "甲", "document_contains": "b"}, None, []),
    ],
    "targets_of_project": [
        (
            {"project_contains": "设备"},
            None,
            [
                (
                    "a.txt",
                    "设备购置",
                    "70",
                    "75",
                    "年度",
                    "产出指标",
                    "数量指标",
                    "电脑",
                    "5台",
                    "",
                    "5",
                    "台",
                    t("a.txt", 75),
                ),
                (
                    "a.txt",
                    "设备购置",
                    "70",
                    "76",
                    "年度",
                    "产出指标",
                    "成本指标",
                    "购置费",
                    "",
                    "",
                    "",
                    "",
                    t("a.txt", 76),
                ),
            ],
        ),
        (
            {"project": "<http://example.org/kg/id/project/b.txt/40>"},
            ["line", "comparator", "number"],
            [("45", ">=", "2"), ("46", "<=", "60000"), ("47", "", ""), ("48", ">=", "90")],
        ),
    ],
    "targets_by_level": [
        (
            {"level1_label": "效益", "level2_label": "社会效益"},
            None,
            [
                (
                    "a.txt",
                    "网络服务",
                    "22",
                    "实施期",
                    "效益指标",
                    "社会效益指标",
                    "网络稳定性",
                    "提高",
                    "qualitative",
                    t("a.txt", 22, "implementation"),
                ),
                (
                    "a.txt",
                    "网络服务",
                    "22",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "网络稳定性",
                    "提高",
                    "qualitative",
                    t("a.txt", 22),
                ),
                (
                    "a.txt",
                    "宣传",
                    "96",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "社会影响",
                    "扩大",
                    "qualitative",
                    t("a.txt", 96),
                ),
                (
                    "b.txt",
                    "党报征订",
                    "22",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "宣传效果",
                    "提升",
                    "qualitative",
                    t("b.txt", 22),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "47",
                    "年度",
                    "效益指标",
                    "社会效益指标",
                    "职工参与",
                    "提升",
                    "qualitative",
                    t("b.txt", 47),
                ),
            ],
        ),
        # an empty level 2 keeps targets without a scheme level 2 (the unknown 群众满意度)
        (
            {"level1_label": "满意度指标"},
            ["document", "line", "level2", "kind"],
            [
                ("a.txt", "23", "服务对象满意度指标", "percent"),
                ("a.txt", "23", "服务对象满意度指标", "percent"),
                ("a.txt", "55", "群众满意度", "text"),
                ("a.txt", "97", "服务对象满意度指标", "qualitative"),
                ("b.txt", "23", "服务对象满意度指标", "percent"),
                ("b.txt", "48", "服务对象满意度指标", "percent"),
            ],
        ),
        (
            {"level1_label": "", "level2_label": "数量指标"},
            ["document", "line", "level1"],
            [
                ("a.txt", "20", "产出指标"),
                ("a.txt", "20", "产出指标"),
                ("a.txt", "50", "产出指标"),
                ("a.txt", "51", "产出指标"),
                ("a.txt", "54", "效益指标"),
                ("a.txt", "75", "产出指标"),
                ("b.txt", "20", "产出指标"),
                ("b.txt", "45", "产出指标"),
            ],
        ),
    ],
    "indicators_most_reused": [
        (
            {},
            ["indicatorName", "projects", "departments", "documents", "targets", "indicator"],
            [
                ("用户满意度", "3", "2", "2", "4", "id/indicator/user-satisfaction"),
                ("宣传效果", "2", "2", "2", "2", "id/indicator/publicity-effect"),
            ],
        ),
        ({"min_projects": "3"}, ["indicatorName", "level1"], [("用户满意度", "满意度指标")]),
    ],
    "indicator_search": [
        (
            {"text": "满意"},
            ["indicatorName", "targets", "projects", "indicator"],
            [
                ("用户满意度", "4", "3", "id/indicator/user-satisfaction"),
                ("职工满意度", "1", "1", "id/indicator/staff-satisfaction"),
            ],
        ),
    ],
    "departments_by_quantified_share": [
        (
            {},
            None,
            [
                ("乙部门", "8", "6", "75", "2", "id/department/yi"),
                ("甲部门", "22", "14", "63.6", "4", "id/department/jia"),
            ],
        )
    ],
    "departments_overview": [
        (
            {},
            None,
            [
                ("甲部门", "601", "1", "4", "22", "id/department/jia"),
                ("乙部门", "602", "1", "2", "8", "id/department/yi"),
            ],
        )
    ],
    "projects_overview": [
        (
            {},
            None,
            [
                ("a.txt", "网络服务", "10", "甲部门", "100000", "50000", "10", "5", P10),
                ("a.txt", "档案整理", "40", "甲部门", "20000", "20000", "6", "6", P40),
                ("a.txt", "设备购置", "70", "甲部门", "", "", "2", "2", P70),
                ("a.txt", "宣传", "90", "甲部门", "", "", "3", "3", P90),
                ("b.txt", "党报征订", "10", "乙部门", "", "", "4", "4", B10),
                ("b.txt", "工会活动", "40", "乙部门", "", "", "4", "4", B40),
            ],
        ),
        ({"document_contains": "b."}, ["projectName"], [("党报征订",), ("工会活动",)]),
    ],
    "period_differences": [
        (
            {},
            None,
            [
                (
                    "a.txt",
                    "网络服务",
                    "专线数量",
                    "≥10条",
                    "≥12条",
                    "年度数值更高",
                    "20",
                    "20",
                    P10,
                ),
                (
                    "a.txt",
                    "网络服务",
                    "租赁费用",
                    "≤8万元",
                    "≤6万元",
                    "年度数值更低",
                    "21",
                    "21",
                    P10,
                ),
                (
                    "a.txt",
                    "网络服务",
                    "用户满意度",
                    "≥95%",
                    "≥90%",
                    "年度数值更低",
                    "23",
                    "23",
                    P10,
                ),
                (
                    "a.txt",
                    "网络服务",
                    "故障响应时间",
                    "≤4小时",
                    "≥4小时",
                    "数值相同",
                    "24",
                    "24",
                    P10,
                ),
            ],
        ),
        ({"project_contains": "档案"}, None, []),
    ],
    "final_accounts_targets_met": [
        (
            {},
            None,
            [
                (
                    "b.txt",
                    "党报征订",
                    "20",
                    "产出指标",
                    "报纸份数",
                    "≥600份",
                    "600",
                    "30",
                    "30",
                    t("b.txt", 20),
                ),
                (
                    "b.txt",
                    "党报征订",
                    "21",
                    "产出指标",
                    "报纸费用",
                    "≤10万元",
                    "9",
                    "20",
                    "22",
                    t("b.txt", 21),
                ),
                (
                    "b.txt",
                    "党报征订",
                    "23",
                    "满意度指标",
                    "用户满意度",
                    "≥90%",
                    "95",
                    "10",
                    "10",
                    t("b.txt", 23),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "45",
                    "产出指标",
                    "活动次数",
                    "≥2次",
                    "6",
                    "40",
                    "40",
                    t("b.txt", 45),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "46",
                    "产出指标",
                    "活动经费",
                    "≤6万元",
                    "5",
                    "20",
                    "20",
                    t("b.txt", 46),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "48",
                    "满意度指标",
                    "职工满意度",
                    "≥90%",
                    "85%",
                    "10",
                    "10",
                    t("b.txt", 48),
                ),
            ],
        )
    ],
    "final_accounts_targets_missed": [
        (
            {},
            None,
            [
                (
                    "b.txt",
                    "党报征订",
                    "22",
                    "宣传效果",
                    "提升",
                    "部分达成",
                    "20",
                    "15",
                    "5",
                    "",
                    t("b.txt", 22),
                ),
                (
                    "b.txt",
                    "工会活动",
                    "47",
                    "职工参与",
                    "提升",
                    "部分达成",
                    "20",
                    "18",
                    "2",
                    "部分职工未参加",
                    t("b.txt", 47),
                ),
            ],
        ),
        ({"project_contains": "工会"}, ["line"], [("47",)]),
    ],
    "final_accounts_score_check": [
        (
            {},
            None,
            [
                ("b.txt", "党报征订", "10", "95", "77", "9", "86", "9", "80", "4", "良", B10),
                ("b.txt", "工会活动", "40", "98", "88", "10", "98", "0", "90", "4", "优", B40),
            ],
        )
    ],
    "final_accounts_execution": [
        (
            {},
            None,
            [
                ("b.txt", "党报征订", "10", "100000", "90000", "90", "90", "9", "95", "良", B10),
                ("b.txt", "工会活动", "40", "50000", "50000", "80", "100", "10", "98", "优", B40),
            ],
        )
    ],
    "diagnostics_of_document": [
        (
            {},
            None,
            [
                ("a.txt", "60", "info", "row not placed", "合计\t20000", "id/diagnostic/a.txt/1"),
                (
                    "b.txt",
                    "30",
                    "warning",
                    "second header row garbled by OCR",
                    "指标\tX IV",
                    "id/diagnostic/b.txt/1",
                ),
            ],
        ),
        ({"severity": "warning"}, ["document", "line"], [("b.txt", "30")]),
        ({"document_contains": "a."}, ["document", "line"], [("a.txt", "60")]),
        # one document by its IRI (a lookup), alone and with a name that must also hold
        (
            {"document_iri": "<http://example.org/kg/id/document/b.txt>"},
            ["document", "line"],
            [("b.txt", "30")],
        ),
        (
            {
                "document_iri": "<http://example.org/kg/id/document/b.txt>",
                "document_contains": "a.",
            },
            ["document", "line"],
            [],
        ),
    ],
    "targets_by_level2": [
        (
            {},
            None,
            [
                ("产出指标", "数量指标", "7", "6", "2"),
                ("产出指标", "成本指标", "5", "4", "2"),
                ("产出指标", "时效指标", "3", "3", "1"),
                ("产出指标", "质量指标", "2", "1", "1"),
                ("产出指标", "重点工作任务完成", "1", "1", "1"),
                ("效益指标", "社会效益指标", "5", "0", "2"),
                ("效益指标", "数量指标", "1", "1", "1"),
                ("满意度指标", "服务对象满意度指标", "5", "4", "2"),
                ("满意度指标", "群众满意度", "1", "0", "1"),
            ],
        )
    ],
    # money: fixture.trig prints no budget table; tests/test_money.py runs these queries on
    # fixture.trig with money.trig (budget tables, a budget that b.txt executes)
    "money_spending_by_function": [({}, None, [])],
    "money_three_public": [({}, None, [])],
    "money_projects_by_funds": [
        (
            {},
            ["document", "projectName", "projectLine", "funds", "spent", "tableAmount", "targets"],
            [
                ("b.txt", "党报征订", "10", "100000", "90000", "", "4"),
                ("a.txt", "网络服务", "10", "50000", "", "", "10"),
                ("b.txt", "工会活动", "40", "50000", "50000", "", "4"),
                ("a.txt", "档案整理", "40", "20000", "", "", "6"),
                ("a.txt", "设备购置", "70", "", "", "", "2"),
                ("a.txt", "宣传", "90", "", "", "", "3"),
            ],
        )
    ],
    "money_per_target": [
        (
            {},
            ["document", "projectName", "funds", "targets", "perTarget", "project"],
            [
                ("b.txt", "党报征订", "100000", "4", "25000", B10),
                ("b.txt", "工会活动", "50000", "4", "12500", B40),
                ("a.txt", "网络服务", "50000", "5", "10000", P10),  # the 5 annual targets
                ("a.txt", "档案整理", "20000", "6", "3333.33", P40),
            ],
        )
    ],
    "money_project_attainment": [
        (
            {},
            [
                "document",
                "projectName",
                "budget",
                "spent",
                "rate",
                "score",
                "grade",
                "plannedProject",
            ],
            [
                ("b.txt", "党报征订", "100000", "90000", "90", "95", "良", ""),
                ("b.txt", "工会活动", "50000", "50000", "80", "98", "优", ""),
            ],
        )
    ],
    "money_targets_vs_actual": [
        (
            {"project_contains": "党报"},
            ["line", "level1", "indicatorName", "value", "actual", "weight", "score", "planned"],
            [
                ("20", "产出指标", "报纸份数", "≥600份", "600", "30", "30", ""),
                ("21", "产出指标", "报纸费用", "≤10万元", "9", "20", "22", ""),
                ("22", "效益指标", "宣传效果", "提升", "部分达成", "20", "15", ""),
                ("23", "满意度指标", "用户满意度", "≥90%", "95", "10", "10", ""),
            ],
        )
    ],
    "targets_by_value_kind": [
        (
            {},
            ["level1", "kind", "targets"],
            [
                ("产出指标", "quantity", "13"),
                ("产出指标", "qualitative", "2"),
                ("产出指标", "date", "1"),
                ("产出指标", "empty", "1"),
                ("产出指标", "percent", "1"),
                ("效益指标", "qualitative", "5"),
                ("效益指标", "quantity", "1"),
                ("满意度指标", "percent", "4"),
                ("满意度指标", "qualitative", "1"),
                ("满意度指标", "text", "1"),
            ],
        )
    ],
}

_YI = "<http://example.org/kg/id/department/yi>"  # 乙部门 in tests/data/queries/fixture.trig
EXPECTED["targets_of_department"] += [
    # one department by its IRI (a lookup): the rows of its name, 乙部门
    ({"department_iri": _YI}, None, EXPECTED["targets_of_department"][0][2]),
    (
        {"department_iri": _YI, "department_contains": "乙部门"},
        None,
        EXPECTED["targets_of_department"][0][2],
    ),
    # the IRI and a name that is not its own: both must hold
    ({"department_iri": _YI, "department_contains": "甲"}, None, []),
]

CASES = [
    pytest.param(name, params, columns, rows, id=f"{name}-{i}")
    for name, cases in EXPECTED.items()
    for i, (params, columns, rows) in enumerate(cases)
]


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore() as opened:
        load_fixture(opened)
        yield opened


def rows_of(table: Table, columns: list[str] | None) -> list[Row]:
    wanted = columns or table.columns
    assert set(wanted) <= set(table.columns), table.columns
    index = [table.columns.index(c) for c in wanted]
    return [tuple(short(row[i]) for i in index) for row in table.rows]


@pytest.mark.parametrize(("name", "params", "columns", "rows"), CASES)
def test_expected_rows(
    store: OxigraphStore,
    name: str,
    params: dict[str, str],
    columns: list[str] | None,
    rows: list[Row],
) -> None:
    assert rows_of(run_query(store, name, params), columns) == rows


def test_unordered_aggregates(store: OxigraphStore) -> None:
    """GROUP_CONCAT and SAMPLE pick in no fixed order: compare those as sets."""
    values = run_query(store, "qualitative_only_projects").records()[0]["values"]
    assert set(str(values).split(" | ")) == {"良好", "扩大", "满意"}
    found = run_query(store, "indicator_search", {"text": "用户"}).records()
    assert [set(str(r["values"]).split(" | ")) for r in found] == [{"≥95%", "≥90%", "满意"}]
    reused = run_query(store, "indicators_most_reused").records()
    assert reused[1]["level1"] in ("产出指标", "效益指标")  # 宣传效果 is under both


def test_every_analysis_query_has_expected_rows() -> None:
    missing = sorted(set(ANALYSIS) - set(EXPECTED) - OWNED_ELSEWHERE)
    assert not missing, f"write expected rows for {missing}"
    assert len(ANALYSIS) >= 20


def _select_clause(sparql: str) -> str:
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", sparql, re.S | re.I)
    assert match, "a SELECT query"
    return match.group(1)


@pytest.mark.parametrize("name", list(QUERIES))
def test_query_parses_and_is_documented(name: str) -> None:
    query: NamedQuery = QUERIES[name]
    assert query.title and query.title_en and query.title != query.title_en
    assert re.search(r"[\u4e00-\u9fff]", query.title), "the title is Chinese"
    assert len(query.description) >= 40, "describe what the query answers"
    empty = ox.Store()
    empty.query(query.sparql, use_default_graph_as_union=True)  # the file itself is SPARQL
    empty.query(query.bind(), use_default_graph_as_union=True)  # and with the defaults bound
    select = _select_clause(query.sparql)
    for parameter in query.parameters:
        assert parameter.description, f"describe parameter {parameter.name}"
        assert f"?{parameter.name}" in query.sparql, f"{parameter.name} is used"
        assert not re.search(rf"[?$]{parameter.name}\b", select), "never project a parameter"
    assert "NOT EXISTS" not in query.sparql.upper(), "use MINUS or OPTIONAL/!BOUND (DESIGN §6)"


def test_parameters() -> None:
    query = named_query("targets_of_department")
    assert 'BIND ("004" AS ?document_contains)' in query.bind({"document_contains": "004"})
    with pytest.raises(QueryError, match="no parameter 'nope'"):
        query.bind({"nope": "1"})
    with pytest.raises(QueryError, match="takes a number"):
        named_query("cost_targets_vs_funds").bind({"min_share": "much"})
    with pytest.raises(QueryError, match="no query named"):
        named_query("no_such_query")
    with pytest.raises(QueryError, match="name=value"):
        parse_params(["min_share"])


def test_rdflib_store_gives_the_same_rows() -> None:
    """The memory store (rdflib's engine) answers the queries as Oxigraph does (a sample)."""
    with MemoryStore() as memory, OxigraphStore() as oxigraph:
        load_fixture(memory)
        load_fixture(oxigraph)
        for name in ("count_targets_by_document", "final_accounts_score_check"):
            assert run_query(memory, name).rows == run_query(oxigraph, name).rows, name


@pytest.mark.parametrize(
    ("name", "parameter"),
    [("targets_of_department", "department_iri"), ("diagnostics_of_document", "document_iri")],
)
@pytest.mark.parametrize(
    "value",
    ["<http://a/> } SERVICE <http://b/> { ?s ?p ?o", "http://a/> . ?x ?y ?z", "no IRI"],
)
def test_an_iri_parameter_takes_one_iri_and_nothing_else(
    name: str, parameter: str, value: str
) -> None:
    """The entity parameters are bound as IRIs: text that would close the term and add
    patterns (or a SERVICE call) is refused, never spliced into the query."""
    with pytest.raises(QueryError, match="takes an absolute IRI"):
        named_query(name).bind({parameter: value})
