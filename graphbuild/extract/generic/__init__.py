"""The header-driven reader: indicator tables of any layout that no family parser read.

It runs after the family parser (and alone for documents of no known family) on every
indicator table whose rows no parser read (:mod:`.tables`), and reads it by the words of its
header (``ontology/headers.ttl``):

- the project is named by the fields above the table (项目名称 …, :mod:`.context`) or, in a table
  printing one row per indicator, by its project columns (单位名称 | 项目名称 | 预算数 | 年度目标),
  printed on the project's first row only; the rows of a table without either are a
  department-wide table's;
- rows are placed in the columns by content and position, shifted rows included (:mod:`.rows`);
- a table printed in two halves (长期/年度, 实施期/年度) side by side gives each half its period;
  halves printed one after the other take theirs from the header or the heading above; blocks
  of columns under level 1 labels (成本指标 | 产出指标 … over 三级指标 | 指标值 pairs) give each
  block's targets that level 1;
- a self-evaluation form's 项目资金 table gives the project's budget, spending, execution rate and
  score, its 总分 row the total score.

Every row of a table read here ends as a target, a diagnostic or a row of labels only; a table
whose header names no indicator name column or no value column is not read: its rows stay
with the last pass (:mod:`graphbuild.extract.sweep`), each an error diagnostic, and one more
diagnostic names the table's lines and header.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.generic.context import Context, project_from_context, read_context
from graphbuild.extract.generic.rows import (
    PlacedRow,
    direction,
    half_row,
    place_row,
    stray_cell,
    table_layout,
)
from graphbuild.extract.generic.tables import Table, holds_data, unclaimed_tables
from graphbuild.extract.headers import INDICATOR_ROLES, Header
from graphbuild.extract.levels import vocabulary
from graphbuild.extract.parts import DocumentParts, make_target, only_labels
from graphbuild.extract.read import Line
from graphbuild.extract.resolution import Resolved, repair_truncated_names, resolve_table
from graphbuild.extract.values import parse_number
from graphbuild.records import Project, TableKind, Target

_IN_WAN = re.compile(r"单位\s*[:：]\s*万元")
_TOTAL = re.compile(r"^(总分|合计|总计|综合得分|自评总分|总得分|得分合计)")
_GRADE = re.compile(r"等级|评级|结果")
_GRADES = frozenset("优良中差")


@dataclass
class _Group:
    """The rows of one project inside a table."""

    project: Project | None
    rows: list[PlacedRow] = field(default_factory=list)


@dataclass
class _State:
    """What the tables read so far leave for the next: the last project (named by fields above
    a table or by a row's project columns), for a table continued under a repeated header."""

    project: Project | None = None
    floor: int = 0
    family: dict[int, list[Project]] = field(default_factory=dict)
    """The family parser's projects by their line."""


def read_unclaimed(lines: list[Line], parts: DocumentParts) -> int:
    """Read every indicator table no family parser read; returns how many were read."""
    read = set(parts.table_rows) | {t.line for t in parts.targets}
    read |= {d.line for d in parts.diagnostics if d.line is not None}
    state = _State()
    for project in parts.projects:
        state.family.setdefault(project.line, []).append(project)
    count = 0
    numbers = {line.number: index for index, line in enumerate(lines)}
    claimed = sorted(numbers[n] for n in parts.table_rows if n in numbers)  # parsers' rows
    for table in unclaimed_tables(lines, read):
        before = bisect_left(claimed, table.start)
        if before:  # nothing above the parser's last row read before the table is its context
            state.floor = max(state.floor, claimed[before - 1] + 1)
        context = read_context(lines, table.start, state.floor)
        state.floor = table.end
        if not table.header.readable:
            parts.diagnose(
                table.first,
                f"an indicator table whose layout is not known ({table.where()}): the header "
                "names no indicator name column (三级指标, 指标名称 …) or no value column "
                "(指标值, 目标值, 实际完成值 …); its rows are kept as diagnostics",
                table.header_lines[0].cells,
                "error",
            )
            continue
        _read_table(table, context, state, parts)
        count += 1
    parts.tables_by_header += count
    return count


def _read_table(table: Table, context: Context, state: _State, parts: DocumentParts) -> None:
    """Read one table into ``parts``: its rows placed, grouped by project, resolved, and every
    row accounted for."""
    header = table.header
    layout = table_layout(header)
    parts.read_rows([*table.more_header, *table.rows])
    before, diagnosed = len(parts.targets), len(parts.diagnostics)
    kind: TableKind = "project"
    base = _context_project(table, context, state, parts)
    if base is None and header.column("PNAME") is None:
        kind = "department"
        if not context.department_wide:
            parts.diagnose(
                table.first,
                f"an indicator table without a project name ({table.where()}): read as a "
                "department-wide table",
                severity="info",
            )
    groups = [_Group(base)]
    ended = False  # a total row closed the indicators read so far
    for line in table.rows:
        words = [w for cell in line.cells if (w := clean(cell))]
        if words and _TOTAL.match(compact(words[0])):
            _total_row(line, words, False, groups[-1].project, table, parts)
            ended = any(group.rows for group in groups)
            continue
        row = place_row(line, layout, header.width)
        if ended and not _indicator_like(row):
            _total_row(line, words, True, groups[-1].project, table, parts)
            continue
        if stray_cell(row, header):
            parts.diagnose(
                line.number,
                f"a row of one cell outside the indicator columns, not an indicator "
                f"({table.where()})",
                line.cells,
                "info",
            )
            continue
        name = row.project_cell("PNAME")
        current = groups[-1].project
        if name is not None and (current is None or _key(name) != _key(current.project)):
            groups.append(_Group(_row_project(row, header, context, parts)))
        groups[-1].rows.append(row)
    for group in groups:
        if group.project is not None and group.project is not base and not _indicators(group):
            parts.projects.remove(group.project)  # a total or unit row, not a project
            for row in group.rows:
                parts.diagnose(
                    row.line.number,
                    f"a row of project columns without indicators, not a project (a total or "
                    f"a unit's row; {table.where()})",
                    row.line.cells,
                    "info",
                )
            continue
        if group.rows:
            _read_group(group, table, context, kind, parts)
        if group.project is not None:
            state.project = group.project
    placed = {t.line for t in parts.targets[before:]} | {
        d.line for d in parts.diagnostics[diagnosed:] if d.line is not None
    }
    for line in table.rows:
        if line.number not in placed and holds_data(line) and not only_labels(line.cells):
            parts.diagnose(
                line.number,
                f"a row of an indicator table that gives no target ({table.where()})",
                line.cells,
            )
    parts.diagnose(
        table.first,
        f"read by the header-driven reader: {len(parts.targets) - before} targets "
        f"({table.where()})",
        severity="info",
    )


def _context_project(
    table: Table, context: Context, state: _State, parts: DocumentParts
) -> Project | None:
    """The project the fields above the table name; else the previous table's when nothing
    but a heading stands between them (a table continued, or its second half printed after
    the first)."""
    line = context.title.number if context.title is not None else table.first
    project = project_from_context(context, parts.document.document, line)
    if project is not None:
        known = next(
            (
                p
                for ln in context.lines
                for p in state.family.get(ln.number, ())
                if p.project == project.project
            ),
            None,
        )
        if known is not None:  # a family parser made it from the same fields
            state.project = known
            return known
        if project.department is None:
            project.department = parts.document.department
            project.department_code = project.department_code or parts.document.department_code
        parts.projects.append(project)
        state.project = project
        return project
    if context.title is None and state.project is not None:
        return state.project
    state.project = None
    return None


def _indicators(group: _Group) -> bool:
    """True when a row of the group has a cell in an indicator column."""
    return any(
        role.partition("#")[0] in INDICATOR_ROLES - {"SEQ"}
        for row in group.rows
        for role in row.parse.slots
    )


def _indicator_like(row: PlacedRow) -> bool:
    """A row with a level label, a name and a value: an indicator even after a total row."""
    slots = row.parse.slots
    labelled = any(token.kind in ("L1", "L2", "L12") for token in slots.values())
    named = any(role.partition("#")[0] == "L3" for role in slots)
    valued = any(role.partition("#")[0] in ("V", "ACT") for role in slots)
    return labelled and named and valued


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name)


def _row_project(row: PlacedRow, header: Header, context: Context, parts: DocumentParts) -> Project:
    """A project from the project columns of its first row; the budget in 万元 where its header
    or a line above the table (单位：万元) says so."""
    budget = header.column("BUDGET")
    printed = row.project_cell("BUDGET") or ""
    amount = parse_number(re.sub(r"万?元$", "", printed))
    scale = budget.scale if budget is not None else 1.0
    if printed.endswith("万元") or any(_IN_WAN.search(clean(ln.text)) for ln in context.lines[-6:]):
        scale = 1e4
    project = Project(
        document=parts.document.document,
        project=re.sub(r"\s+", "", row.project_cell("PNAME") or ""),
        line=row.line.number,
        project_code=_key(row.project_cell("PCODE") or "") or None,
        department=parts.document.department,
        department_code=parts.document.department_code,
        implementing_unit=row.project_cell("UNAME"),
        annual_funds_yuan=None if amount is None else round(amount * scale, 2),
        goal_annual=row.project_cell("GOAL"),
    )
    parts.projects.append(project)
    return project


def _read_group(
    group: _Group, table: Table, context: Context, kind: TableKind, parts: DocumentParts
) -> None:
    """The targets of one project's rows: each half resolved on its own, in its period."""
    header = table.header
    weights: dict[str, float] = {}
    for row in group.rows:
        weights.update(row.weights)
    project = group.project
    halves: list[tuple[str, list[Resolved]]] = []
    for half in range(header.halves):
        rows = [half_row(row, header, half) for row in group.rows]
        placed, problems = resolve_table(rows, two_halves=False, department=kind == "department")
        halves.append((_period(table, context, half), placed))
        for line, reason, cells in problems:
            parts.diagnose(line, f"{reason} ({table.where()})", cells)
    full = [item for period, placed in halves if period == "implementation" for item in placed]
    for index, (period, placed) in enumerate(halves):
        if period == "annual" and full:  # a name the annual half cut short (PDF cells)
            repair_truncated_names(full, placed)
        for item in placed:
            target = make_target(
                parts.document.document,
                kind,
                project.project if project else None,
                project.line if project else None,
                item,
            )
            target.period = period  # type: ignore[assignment]
            if block := (header.blocks[index] if index < len(header.blocks) else None):
                _in_block(target, block)
            target.direction = direction(item.extra.get("DIR"))
            target.description = target.description or item.extra.get("NOTE")
            target.level1_weight = weights.get(target.level1 or "")
            target.level2_weight = weights.get(target.level2 or "")
            parts.targets.append(target)


def _period(table: Table, context: Context, half: int) -> str:
    """A half's period: its header label, the header's row-group label, a heading above the
    table; else the first of two halves is the implementation period, a single one the year."""
    header = table.header
    label = header.periods[half] if half < len(header.periods) else None
    blocks = any(header.blocks)  # halves of level 1 blocks, not of periods
    if label is None and (header.halves == 1 or blocks):
        label = header.period or context.period
    if label is None:
        label = "implementation" if header.halves > 1 and half == 0 and not blocks else "annual"
    return label


def _in_block(target: Target, block: str) -> None:
    """A target of a block headed by a level 1 label: that label is its level 1 (成本指标 too),
    and its level 2 only one under it."""
    if target.level1 != block:
        target.level1_raw = target.level1_raw or block
        target.level1 = block
    if target.level2 is not None and vocabulary().level1(block) is not None:
        children = {lv.label for lv in vocabulary().children(block)}
        if target.level2 not in children:
            target.level2 = None


def _total_row(
    line: Line,
    words: list[str],
    after: bool,
    project: Project | None,
    table: Table,
    parts: DocumentParts,
) -> None:
    """The 总分 (合计) row closing a table gives the project's total score; rows after it are
    not indicators."""
    if after:
        grade = [w for w in words if w in _GRADES]
        if project is not None and grade and any(_GRADE.search(w) for w in words):
            project.grade = grade[0]
        parts.diagnose(
            line.number,
            f"a row after the total row of an indicator table, not an indicator ({table.where()})",
            line.cells,
            "info",
        )
        return
    numbers = [n for w in words[1:] if (n := parse_number(w)) is not None]
    score = numbers[-1] if len(numbers) >= 2 or (numbers and numbers[0] != 100) else None
    if project is not None and score is not None and table.header.column("S") is not None:
        project.total_score = score
    parts.diagnose(
        line.number,
        f"the total row of an indicator table ({words[0]}"
        + (f": {score:g}" if score is not None else "")
        + f"; {table.where()})",
        line.cells,
        "info",
    )
