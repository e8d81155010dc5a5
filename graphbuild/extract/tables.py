"""Finding tables in a document and reading an indicator zone into targets.

Tables are located by their titles (``find_titles``); an indicator zone is the run of rows
from the indicator header to the table's footer. ``read_indicator_zone`` aligns every row to
the zone's layout and resolves levels (``graphbuild.extract.alignment`` and ``.resolution``), reporting what it could not
place as problems for the caller to turn into diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphbuild.extract.alignment import (
    LEFT,
    RIGHT,
    Layout,
    RowParse,
    align,
    layout_from_header,
    tokens_of,
)
from graphbuild.extract.cells import clean, compact
from graphbuild.extract.levels import is_header_word
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.resolution import Resolved, resolve_table

HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "L1": ("一级指标", "一级"),
    "L2": ("二级指标", "二级"),
    "L3": ("三级指标", "指标名称", "三级"),
    "V": ("指标值", "年度指标值", "调整后指标值", "调整后指标"),
    "V0": ("年初指标值", "年初指标"),
    "ACT": ("实际完成值",),
    "W": ("权重", "分值"),
    "S": ("得分",),
    "WHY": ("偏差原因分析及改进措施", "偏差原因分析及改", "偏差原因"),
    "DESC": ("指标值说明",),
    "L2b": ("二级指标",),
    "L3b": ("三级指标",),
    "Vb": ("指标值",),
}

_FOOTER = re.compile(r"^(负责人|经办人|联系电话|填报日期|填报人|审核人|单位负责人|财务负责人)")
_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|"
    r"\([一二三四五六七八九十]+\)|附件|附表|备注|注[:：])"
)


@dataclass
class Zone:
    """The rows of one indicator table, with its header row if one was printed."""

    header: Line | None
    rows: list[Line] = field(default_factory=list)
    skipped: list[Line] = field(default_factory=list)  # text lines inside the zone


def find_titles(lines: list[Line], pattern: re.Pattern[str]) -> list[int]:
    """Indexes of title lines: short, cell-less lines matching ``pattern`` (TOC lines excluded)."""
    found = []
    for index, line in enumerate(lines):
        text = clean(line.text)
        if line.is_row or not text or len(text) > 60:
            continue
        if (
            re.search(r"(\.{3,}|…{2,})\s*\d*$", text)
            or re.search(r"\d+$", text)
            and "表" not in text[-3:]
        ):
            continue
        if pattern.search(compact(text)):
            found.append(index)
    return found


def is_footer(line: Line) -> bool:
    tokens = [clean(c) for c in line.cells if clean(c)]
    return bool(tokens) and bool(_FOOTER.match(tokens[0]))


def is_header_row(line: Line) -> bool:
    tokens = [clean(c) for c in line.cells if clean(c)]
    return sum(is_header_word(t) for t in tokens) >= 2


def indicator_zone(
    lines: list[Line], start: int, end: int, begins: re.Pattern[str] | None = None
) -> Zone | None:
    """The indicator zone between ``start`` and ``end``: from its header row to the footer.

    The zone starts at the first header row (一级指标/三级指标/指标值 …) or, where no header was
    printed, at the first row matching ``begins``.
    """
    first = None
    for index in range(start, end):
        line = lines[index]
        if line.is_row and (
            is_header_row(line)
            or (
                begins
                and begins.search(
                    compact(clean(line.cells[0]) + "".join(clean(c) for c in line.cells[1:3]))
                )
            )
        ):
            first = index
            break
    if first is None:
        return None
    zone = Zone(header=lines[first] if is_header_row(lines[first]) else None)
    for index in range(first + (1 if zone.header else 0), end):
        line = lines[index]
        if not line.text.strip() or is_furniture(line.text):
            continue
        if line.is_row and is_footer(line):
            break
        if not line.is_row:
            if _HEADING.match(clean(line.text)):
                break
            zone.skipped.append(line)
            continue
        zone.rows.append(line)
    return zone


def two_half_layout(header: Line | None) -> Layout:
    roles = ("L1", "L2", "L3", "V", *RIGHT)
    return layout_from_header(header.cells if header else None, roles, HEADER_NAMES)


def single_layout(header: Line | None) -> Layout:
    cells = header.cells if header else None
    has_desc = bool(cells) and any(compact(clean(c)) == "指标值说明" for c in cells)
    roles = (*LEFT, "DESC") if has_desc else LEFT
    return layout_from_header(cells, roles, HEADER_NAMES)


def read_indicator_zone(
    zone: Zone, layout: Layout, *, department: bool, two_halves: bool | None = None
) -> tuple[list[Resolved], list[tuple[int, str, list[str]]]]:
    """Targets of a zone; ``two_halves=None`` decides from the rows (any right-half cell)."""
    rows: list[RowParse] = []
    if zone.header is not None:
        header_row = align(zone.header.number, zone.header.cells, layout)
        if header_row.slots:
            rows.append(header_row)
    rows.extend(align(line.number, line.cells, layout) for line in zone.rows)
    if two_halves is None:
        two_halves = any(r in row.slots for row in rows for r in RIGHT)
    targets, problems = resolve_table(rows, two_halves=two_halves, department=department)
    for line in zone.skipped:
        if tokens_of([line.text]):
            problems.append((line.number, "a text line inside an indicator table", [line.text]))
    return targets, problems
