"""Shanxi budgets: a department-wide table and one two-half table per project.

Department-wide: 整体支出绩效目标申报表, one period (annual). Project tables:
项目支出绩效目标表 with header fields (项目名称 … 总体目标) and an indicator block whose left half
is the implementation period (实施期目标) and right half the year (年度目标). A project table that
restarts on the next page with the same name, department and funds continues the same project.
"""

from __future__ import annotations

import re

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.fields import department_code, read_fields
from graphbuild.extract.headers import foreign_columns
from graphbuild.extract.parts import DocumentParts, make_targets
from graphbuild.extract.read import Line
from graphbuild.extract.tables import (
    find_titles,
    indicator_zone,
    read_indicator_zone,
    single_layout,
    two_half_layout,
)
from graphbuild.extract.values import parse_number
from graphbuild.records import FundingSource, Project

PROJECT_TITLE = re.compile(r"项目支出绩效目标(申报)?表")
DEPARTMENT_TITLE = re.compile(r"整体支出绩效目标(申报)?表|部门整体绩效目标(申报)?表")
_ZONE_START = re.compile(r"^(年度)?绩效指标|^一级指标")
COLUMNS = frozenset(
    {
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "指标名称",
        "一级",
        "二级",
        "三级",
        "年度指标值",
        "指标值说明",
    }
)
"""The header words of the Shanxi (national budget template) tables; a table whose header names
a column otherwise (目标值, 权重, 度量单位, 单位名称 …) has a layout of its own, left to the
header-driven reader (graphbuild.extract.generic)."""
_FUNDING = {
    "central": "中央财政资金",
    "provincial": "省级财政资金",
    "local": "市县(区)财政资金",
    "own": "单位自筹",
    "other": "其他资金",
}


def parse(lines: list[Line], parts: DocumentParts) -> None:
    """Fill ``parts`` with the document's projects, targets and diagnostics."""
    projects = find_titles(lines, PROJECT_TITLE)
    departments = find_titles(lines, DEPARTMENT_TITLE)
    starts = sorted(set(projects) | set(departments))
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        if start in departments:
            _department_table(lines, start, end, parts)
        else:
            _project_table(lines, start, end, parts)


def _department_table(lines: list[Line], start: int, end: int, parts: DocumentParts) -> None:
    fields = read_fields(lines[start:end])
    for name, value, _ in fields:
        if name == "department" and value and not parts.document.department_code:
            code, dept = department_code(value)
            parts.document.department_code = code
            parts.document.department = parts.document.department or dept
    zone = indicator_zone(lines, start + 1, end, _ZONE_START)
    if zone is not None and zone.header and foreign_columns(zone.header.cells, COLUMNS):
        return
    _department_budget(lines[start:end], parts)
    if zone is None:
        parts.diagnose(
            lines[start].number, "a department-wide table without indicators", [lines[start].text]
        )
        return
    parts.read_rows(zone.rows)
    targets, problems = read_indicator_zone(
        zone, single_layout(zone.header), department=True, two_halves=False
    )
    parts.targets.extend(make_targets(parts.document.document, "department", None, None, targets))
    parts.report(problems)


def _department_budget(lines: list[Line], parts: DocumentParts) -> None:
    """合计, 基本支出 and 项目支出 of the table's 年度预算情况 block, in yuan (first of each)."""
    document = parts.document
    scale = 1.0
    for line in lines:
        if not line.is_row:
            continue
        cells = [clean(c) for c in line.cells]
        if any("万元" in c for c in cells):
            scale = 1e4
        for index, cell in enumerate(cells[:-1]):
            label = compact(cell)
            amount = _money(cells[index + 1], scale) if cells[index + 1] else None
            if amount is None:
                continue
            if label == "合计" and document.budget_total_yuan is None:
                document.budget_total_yuan = amount
                document.budget_line = line.number
            elif label.endswith("基本支出") and document.basic_expenditure_yuan is None:
                document.basic_expenditure_yuan = amount
            elif label.endswith("项目支出") and document.project_expenditure_yuan is None:
                document.project_expenditure_yuan = amount
        if cells and compact(cells[0]).startswith("年度重点任务"):
            return


def _project_table(lines: list[Line], start: int, end: int, parts: DocumentParts) -> None:
    zone = indicator_zone(lines, start + 1, end, _ZONE_START)
    if zone is not None and zone.header and foreign_columns(zone.header.cells, COLUMNS):
        return
    header_end = end
    if zone is not None:
        first_zone_line = (
            zone.header.number if zone.header else zone.rows[0].number if zone.rows else None
        )
        if first_zone_line is not None:
            header_end = next(i for i in range(start, end) if lines[i].number == first_zone_line)
    project = _project_from_fields(
        lines[start:header_end], parts.document.document, lines[start].number
    )
    if project is None:
        parts.diagnose(
            lines[start].number, "a project table without a 项目名称 row", [lines[start].text]
        )
        return
    if zone is None or (not zone.rows and zone.header is None):
        parts.projects.append(project)
        parts.diagnose(
            lines[start].number,
            f"project {project.project!r} has no indicator rows",
            [lines[start].text],
        )
        return
    parts.read_rows(zone.rows)
    targets, problems = read_indicator_zone(zone, two_half_layout(zone.header), department=False)
    previous = parts.projects[-1] if parts.projects else None
    if previous is not None and _continues(previous, project, targets, parts):
        project = previous
    else:
        parts.projects.append(project)
    if not targets:
        repeated = (
            f" (repeats the table at line {project.line})"
            if project.line != lines[start].number
            else ""
        )
        parts.diagnose(
            lines[start].number,
            f"project {project.project!r} has no indicator rows{repeated}",
            [lines[start].text],
        )
    parts.targets.extend(
        make_targets(parts.document.document, "project", project.project, project.line, targets)
    )
    parts.report(problems)


def _continues(previous: Project, project: Project, targets: list, parts: DocumentParts) -> bool:
    """True when a table restarts the previous project on a new page.

    Same name, department and funds, and the new table's level 1 blocks are ones the previous
    table did not have (two different projects that share a name both carry full blocks).
    """
    if previous.project != project.project or previous.department != project.department:
        return False
    if project.total_funds_yuan not in (None, previous.total_funds_yuan):
        return False
    before = {t.level1 for t in parts.targets if t.project_line == previous.line}
    after = {t.level1 for t in targets}
    return not (before & after)


def _money(value: str, scale: float) -> float | None:
    number = parse_number(value)
    return None if number is None else round(number * scale, 2)


def _project_from_fields(lines: list[Line], document: str, line: int) -> Project | None:
    fields = read_fields(lines)
    values: dict[str, list[str]] = {}
    for name, value, _ in fields:
        values.setdefault(name, []).append(value)
    names = [v for v in values.get("name", []) if v]
    if not names:
        return None
    scale = 1.0
    for header in values.get("funds_header", []):
        if "万" in header:
            scale = 1e4
    first = lambda key: next((v for v in values.get(key, []) if v), None)  # noqa: E731
    code, dept = department_code(first("department"))
    project = Project(
        document=document,
        project=names[0],
        line=line,
        department=dept,
        department_code=code,
        implementing_unit=first("unit"),
        attribute=first("attribute"),
        term=first("term"),
        overview=first("overview"),
        basis=first("basis"),
        necessity=first("necessity"),
        measures=first("measures"),
        plan=first("plan"),
    )
    totals = [v for v in values.get("total", []) if v]
    annuals = [v for v in values.get("annual", []) if v]
    project.total_funds_yuan = _money(totals[0], scale) if totals else None
    project.annual_funds_yuan = _money(annuals[0], scale) if annuals else None
    for key, label in _FUNDING.items():
        amounts = values.get(key, [])
        if not amounts:
            continue
        impl = _money(amounts[0], scale) if amounts[0] else None
        annual = _money(amounts[1], scale) if len(amounts) > 1 and amounts[1] else None
        project.funding.append(FundingSource(label, impl, annual))
    goals = [v for v in values.get("goal", []) if v]
    project.goal_implementation = goals[0] if goals else None
    project.goal_annual = goals[1] if len(goals) > 1 else project.goal_implementation
    return project
