"""Henan budgets: a department-wide table and ONE consolidated project table.

The department-wide table (整体绩效目标表) has its own level 1 and level 2 (投入管理指标 →
工作目标管理 …) and a 指标值说明 column. The consolidated table (项目绩效目标表) has a row group per
project: a 21-digit code, the name and amounts in 万元 on the first row, then four blocks of
(三级指标, 指标值) pairs headed 成本指标, 产出指标, 效益指标 and 满意度指标; the group's later rows
carry only block cells. Codes and names wrap onto further lines inside their cells.
"""

from __future__ import annotations

import re

from graphbuild.extract.alignment import Layout, align
from graphbuild.extract.cells import clean, compact
from graphbuild.extract.headers import foreign_columns, indicator_columns
from graphbuild.extract.levels import vocabulary
from graphbuild.extract.parts import DocumentParts, make_target, make_targets
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.resolution import Resolved
from graphbuild.extract.tables import (
    find_titles,
    indicator_zone,
    read_indicator_zone,
    single_layout,
)
from graphbuild.extract.values import parse_number
from graphbuild.records import Project

DEPARTMENT_TITLE = re.compile(r"整体绩效目标表")
PROJECT_TITLE = re.compile(r"(?<!整体)(预算)?项目(支出)?绩效目标表")
_CODE = re.compile(r"^\d[\d\s]*$")
COLUMNS = frozenset({"一级指标", "二级指标", "三级指标", "指标值", "指标名称", "指标值说明"})
"""The columns of the department-wide table; a header naming another has a layout of its own,
left to the header-driven reader (as is a project table with 一级/二级指标 columns: the
consolidated table heads its blocks with the level 1 labels themselves)."""


def parse(lines: list[Line], parts: DocumentParts) -> None:
    """Fill ``parts`` with the department-wide targets and every project of the consolidated table."""
    departments = find_titles(lines, DEPARTMENT_TITLE)
    projects = [i for i in find_titles(lines, PROJECT_TITLE) if i not in departments]
    starts = sorted(departments + projects)
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        if start in departments:
            _department_table(lines, start, end, parts)
        else:
            _project_table(lines, start, end, parts)


def _department_table(lines: list[Line], start: int, end: int, parts: DocumentParts) -> None:
    zone = indicator_zone(lines, start + 1, end)
    if zone is not None and zone.header and foreign_columns(zone.header.cells, COLUMNS):
        return
    if zone is None:
        parts.diagnose(lines[start].number, "a department-wide table without indicators")
        return
    first = zone.header or (zone.rows[0] if zone.rows else None)
    stop = next((i for i in range(start, end) if first and lines[i].number == first.number), end)
    _department_budget(lines[start:stop], parts)
    parts.read_rows(zone.rows)
    targets, problems = read_indicator_zone(
        zone, single_layout(zone.header), department=True, two_halves=False
    )
    parts.targets.extend(make_targets(parts.document.document, "department", None, None, targets))
    parts.report(problems)


_BUDGET_LABELS = (
    ("budget_total_yuan", re.compile(r"预算总额|资金总额|^合计$")),
    ("basic_expenditure_yuan", re.compile(r"基本支出$")),
    ("project_expenditure_yuan", re.compile(r"项目支出$")),
)


def _department_budget(lines: list[Line], parts: DocumentParts) -> None:
    """部门预算总额, 基本支出 and 项目支出 of the table's 预算情况 block, in yuan (first of each):
    a label cell, then the first amount after it on its row."""
    rows = [(line.number, [clean(c) for c in line.cells]) for line in lines if line.is_row]
    scale = 1e4 if any("万元" in cell for _, row in rows for cell in row) else 1.0
    document = parts.document
    for number, cells in rows:
        for index, cell in enumerate(cells):
            label = re.sub(r"[（(][^）)]*[）)]", "", compact(cell))
            amount = next(
                (n for c in cells[index + 1 :] if (n := parse_number(c)) is not None), None
            )
            if amount is None:
                continue
            for attribute, pattern in _BUDGET_LABELS:
                if pattern.search(label) and getattr(document, attribute) is None:
                    setattr(document, attribute, round(amount * scale, 2))
                    if attribute == "budget_total_yuan":
                        document.budget_line = number
                    break


def _block_columns(lines: list[Line], start: int, end: int) -> tuple[int, list[tuple[str, int]]]:
    """Index of the first data row and the (level 1 label, name column) of each block."""
    blocks: list[tuple[str, int]] = []
    names: list[int] = []
    first_data = start
    for index in range(start, min(end, start + 12)):
        line = lines[index]
        cells = [clean(c) for c in line.cells]
        for col, cell in enumerate(cells):
            levels = vocabulary().lookup(cell) if cell else ()
            if any(lv.level == 1 for lv in levels) and line.is_row:
                label = next(lv.label for lv in levels if lv.level == 1)
                if (label, col) not in blocks:
                    blocks.append((label, col))
            if compact(cell) == "三级指标":
                names.append(col)
        if any(_CODE.match(c) and len(re.sub(r"\s", "", c)) >= 3 for c in cells[:1]):
            first_data = index
            break
    if names and len(names) == len(blocks):
        blocks = [(label, col) for (label, _), col in zip(blocks, names, strict=True)]
    return first_data, blocks


def _project_table(lines: list[Line], start: int, end: int, parts: DocumentParts) -> None:
    first_data, blocks = _block_columns(lines, start, end)
    heading = lines[start : first_data if first_data > start else min(end, start + 12)]
    if any({"L1", "L2"} & set(indicator_columns(line.cells)) for line in heading):
        return
    if not blocks:
        parts.diagnose(
            lines[start].number,
            "a project table whose 成本/产出/效益/满意度 blocks could not be found",
            [lines[start].text],
        )
        return
    roles = tuple(r for k in range(len(blocks)) for r in (f"L3#{k}", f"V#{k}"))
    positions = tuple(p for _, col in blocks for p in (col, col + 1))
    layout = Layout(roles, positions, position_weight=1.6, position_cap=4.0)
    block_start = min(col for _, col in blocks)
    project: Project | None = None
    for line in lines[first_data:end]:
        if not line.is_row or is_furniture(line.text):
            continue
        cells = line.cells
        code = re.sub(r"\s", "", clean(cells[0])) if cells else ""
        if code and _CODE.match(code):
            project = _start_project(cells, code, line, block_start, parts)
            if project is None:
                if any(clean(c) for c in cells[block_start:]):
                    parts.diagnose(
                        line.number, "indicators on a unit total row (short code)", cells
                    )
                else:
                    name = clean(cells[1]) if len(cells) > 1 else ""
                    parts.diagnose(
                        line.number,
                        f"the total row of unit {code} {name}, not a project",
                        cells,
                        "info",
                    )
                continue
        elif (
            project is not None
            and code == ""
            and len(cells) > 1
            and clean(cells[1])
            and not any(clean(c) for c in cells[2:block_start])
        ):
            project.project += clean(cells[1])
        if project is None:
            if any(clean(c) for c in cells):
                parts.diagnose(line.number, "a row before the first project of the table", cells)
            continue
        block_cells = [""] * block_start + cells[block_start:]
        parts.read_rows([Line(line.number, "\t".join(block_cells))])
        row = align(line.number, block_cells, layout)
        for k, (label, _) in enumerate(blocks):
            name, value = row.text(f"L3#{k}"), row.text(f"V#{k}")
            if name:
                placed = Resolved("annual", line.number, label, None, name, value or "", {})
                parts.targets.append(
                    make_target(
                        parts.document.document, "project", project.project, project.line, placed
                    )
                )
            elif value:
                parts.diagnose(
                    line.number, f"a {label} value without a level 3 name: {value!r}", cells
                )
        for token in row.junk:
            parts.diagnose(line.number, f"a cell that fits no column: {token.text!r}", cells)
    _fix_names(parts)


def _start_project(
    cells: list[str], code: str, line: Line, block_start: int, parts: DocumentParts
) -> Project | None:
    """A project record from a group's first row; None for unit summary rows (short codes)."""
    if len(code) < 12:
        return None  # 101 / 101001: department and unit totals, not projects
    name = clean(cells[1]) if len(cells) > 1 else ""
    amounts = [parse_number(clean(c)) for c in cells[2:block_start]]
    total = amounts[0] if amounts else None
    project = Project(
        document=parts.document.document,
        project=name,
        line=line.number,
        project_code=code,
        department=parts.document.department,
        department_code=parts.document.department_code,
        total_funds_yuan=round(total * 1e4, 2) if total is not None else None,
    )
    project.annual_funds_yuan = project.total_funds_yuan
    parts.projects.append(project)
    return project


def _fix_names(parts: DocumentParts) -> None:
    """Targets carry the project's final name (names may continue on later lines)."""
    names = {p.line: p.project for p in parts.projects}
    for target in parts.targets:
        if target.project_line in names:
            target.project = names[target.project_line]
