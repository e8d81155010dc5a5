"""Which family a document belongs to, decided from its content (never from its file name)."""

from __future__ import annotations

import re

from graphbuild.extract.cells import compact
from graphbuild.extract.read import Line
from graphbuild.records import Family, Kind

# (family, kind, [(pattern, weight)]) – patterns are searched in the compact text of the document
_SIGNATURES: list[tuple[Family, Kind, list[tuple[re.Pattern[str], int]]]] = [
    (
        "final_accounts",
        "final_accounts",
        [
            (re.compile(r"绩效自评(分析)?报告"), 5),
            (re.compile(r"绩效自评表"), 4),
            (re.compile(r"实际完成值"), 2),
            (re.compile(r"决算"), 1),
        ],
    ),
    (
        "henan_budget",
        "budget",
        [
            (re.compile(r"项目编码"), 3),
            (re.compile(r"部门预算项目绩效目标表|项目绩效目标表"), 2),
            (re.compile(r"整体绩效目标表"), 3),
            (re.compile(r"指标值说明"), 2),
        ],
    ),
    (
        "shanxi_budget",
        "budget",
        [
            (re.compile(r"项目支出绩效目标(申报)?表"), 4),
            (re.compile(r"实施期目标"), 2),
            (
                re.compile(r"整体支出绩效目标(申报)?表"),
                4,
            ),  # enough alone: a department-only document
            (re.compile(r"实施期资金总额"), 2),
        ],
    ),
]


def detect_family(lines: list[Line]) -> tuple[Family, Kind | None]:
    """The family with the strongest evidence; ('unknown', kind or None) without any."""
    text = compact("\n".join(line.text for line in lines))
    best: tuple[int, Family, Kind | None] = (0, "unknown", None)
    for family, kind, signatures in _SIGNATURES:
        score = sum(weight for pattern, weight in signatures if pattern.search(text))
        if score > best[0]:
            best = (score, family, kind)
    if best[0] < 4:
        kind: Kind | None = (
            "final_accounts"
            if "决算" in text[:2000]
            else ("budget" if "预算" in text[:2000] else None)
        )
        return "unknown", kind
    return best[1], best[2]
