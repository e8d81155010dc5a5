"""Final accounts (部门决算) with project self-evaluations (绩效自评).

Each project has an analysis report (项目支出绩效自评分析报告) holding a budget-execution table,
an indicator table (一级, 二级, 指标名称, 年初/调整后指标, 实际完成值, 权重, 得分, 偏差原因) and a
sentence with the total score and grade; a self-evaluation table (项目支出绩效自评表) renders the
same indicators again, usually with noisier OCR. The report's table is the source of the
targets; the self-evaluation table is compared with it and each disagreement is a diagnostic.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from graphbuild.extract import levels
from graphbuild.extract.alignment import Layout
from graphbuild.extract.cells import clean, compact
from graphbuild.extract.cells import fold_variants as fold
from graphbuild.extract.fields import department_code
from graphbuild.extract.parts import DocumentParts, make_targets
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.resolution import Resolved
from graphbuild.extract.tables import Zone, read_indicator_zone
from graphbuild.extract.values import parse_number
from graphbuild.records import Project

REPORT_TITLE = re.compile(r"绩效自评(分析)?报告")
TABLE_TITLE = re.compile(r"绩效自评表")
ROLES = ("L1", "L2", "L3", "V0", "V", "ACT", "W", "S", "WHY")
_TOTAL = re.compile(r"总得分\s*([\d.]+)\s*分.{0,6}?属于\s*[\"“”']?\s*([优良中差])")
_EXECUTION_SCORE = re.compile(r"预算执行情况得分\s*([\d.]+)\s*分")
_BARE_NUMBER = re.compile(r"\d+(\.\s?\d+)?")


def parse(lines: list[Line], parts: DocumentParts) -> None:
    """Fill ``parts`` with every self-evaluated project, its targets and the cross-checks."""
    reports = [i for i, line in enumerate(lines) if _is_title(line, REPORT_TITLE)]
    tables = [i for i, line in enumerate(lines) if _is_title(line, TABLE_TITLE)]
    bounds = sorted(reports + tables) + [len(lines)]
    used_tables: set[int] = set()
    for start in reports:
        end = next(b for b in bounds if b > start)
        project, targets = _report(lines, start, end, parts)
        if project is None:
            continue
        table = _matching_table(lines, tables, used_tables, project.project, start)
        if table is not None:
            used_tables.add(table)
            table_end = next(b for b in bounds if b > table)
            check = _indicator_rows(lines, table + 1, table_end, parts, "self-evaluation table")
            if not targets:
                targets = check
                parts.diagnose(
                    lines[start].number,
                    f"project {project.project!r}: the report has "
                    "no readable indicator table; targets come from the self-evaluation "
                    "table",
                )
            else:
                _compare(targets, check, parts)
        parts.targets.extend(
            make_targets(parts.document.document, "project", project.project, project.line, targets)
        )
    for table in tables:
        if table not in used_tables:
            parts.diagnose(
                lines[table].number,
                "a self-evaluation table without a matching analysis report",
                [lines[table].text],
            )


def _is_title(line: Line, pattern: re.Pattern[str]) -> bool:
    text = compact(clean(line.text))
    return (
        not line.is_row
        and len(text) < 80
        and bool(pattern.search(text))
        and not re.search(r"\d+$", text)
    )


def _report(
    lines: list[Line], start: int, end: int, parts: DocumentParts
) -> tuple[Project | None, list[Resolved]]:
    text = "\n".join(clean(line.text) for line in lines[start : min(end, start + 12)])
    name = re.search(r"项目名称\s*[:：]\s*(.+?)(?=\s*(项目单位|主管部门)|\n|$)", text)
    if not name:
        parts.diagnose(lines[start].number, "an analysis report without a 项目名称 line")
        return None, []
    unit = re.search(r"项目单位\s*[:：]\s*(\S+)", text)
    dept = re.search(r"主管部门\s*[:：]\s*(\S+)", text)
    code, department = department_code(dept.group(1) if dept else None)
    project = Project(
        document=parts.document.document,
        project=re.sub(r"\s", "", name.group(1)),
        line=lines[start].number,
        department=department or parts.document.department,
        department_code=code,
        implementing_unit=unit.group(1) if unit else None,
    )
    if code and not parts.document.department_code:
        parts.document.department_code = code
    parts.projects.append(project)
    _budget(lines[start:end], project)
    body = re.sub(r"\s", "", "".join(line.text for line in lines[start:end]))
    if match := _TOTAL.search(body):
        project.total_score, project.grade = float(match.group(1)), match.group(2)
    if match := _EXECUTION_SCORE.search(body):
        project.execution_score = float(match.group(1))
    targets = _indicator_rows(lines, start + 1, end, parts, "report")
    return project, targets


def _budget(lines: list[Line], project: Project) -> None:
    """全年预算数, 全年执行数, 执行率 and 得分 from the 合计 row of the execution table."""
    scale = 1.0
    for line in lines:
        if not line.is_row:
            continue
        cells = [clean(c) for c in line.cells if clean(c)]
        if any("万元" in c for c in cells):
            scale = 1e4
        if not cells or compact(cells[0]) not in ("合计", "资金总额"):
            continue
        numbers = [n for c in cells[1:] if (n := parse_number(c)) is not None]
        if len(numbers) >= 6:
            offset = 1 if len(numbers) >= 7 else 0
            project.budget_yuan = round(numbers[offset + 1] * scale, 2)
            project.spent_yuan = round(numbers[offset + 2] * scale, 2)
            project.execution_rate = numbers[offset + 4]
            project.execution_score = numbers[offset + 5] if len(numbers) > offset + 5 else None
            return


def _indicator_rows(
    lines: list[Line], start: int, end: int, parts: DocumentParts, where: str
) -> list[Resolved]:
    """The placed rows of the first indicator table (header with 实际完成值) in the range."""
    header_index = next((i for i in range(start, end) if _is_indicator_header(lines[i])), None)
    if header_index is None:
        return []
    header = lines[header_index]
    level2_col = next(c for c, cell in enumerate(header.cells) if "二级" in fold(cell))
    positions = tuple(level2_col + offset for offset in range(-1, 8))
    layout = Layout(ROLES, tuple(p if p >= 0 else None for p in positions), 0.6, 3.0)
    zone = Zone(header=None)
    for line in lines[header_index + 1 : end]:
        if not line.text.strip() or is_furniture(line.text):
            continue  # a blank line, a page number, a stamp: the table goes on
        if not line.is_row:
            break
        if not zone.rows and _is_header_continuation(line):
            parts.read_rows([line], check=where != "report")
            parts.diagnose(
                line.number,
                f"a second header line of the indicator table in the {where}, not a target",
                line.cells,
                severity="info",
            )
            continue
        zone.rows.append(line)
    parts.read_rows(zone.rows, check=where != "report")
    targets, problems = read_indicator_zone(zone, layout, department=False, two_halves=False)
    kept = []
    for target in targets:
        if target.value or any(target.extra.get(r) for r in ("V0", "ACT", "W", "S")):
            kept.append(target)
        else:
            problems.append(
                (
                    target.line,
                    f"a row with a name and nothing else in the {where}: {target.level3!r}",
                    [],
                )
            )
    if where == "report":
        parts.report(problems)
    return kept


def _is_header_continuation(line: Line) -> bool:
    """A row right under the header with no level label and no weight or score: the header's
    own second line (年初指标值 / 调整后指标值 split over two lines, often garbled by OCR)."""
    cells = [clean(c) for c in line.cells if clean(c)]
    vocabulary = levels.vocabulary()
    labelled = any(vocabulary.lookup(cell) for cell in cells)
    bare_numbers = [c for c in cells if _BARE_NUMBER.fullmatch(c)]
    return not labelled and len(bare_numbers) < 2


def _is_indicator_header(line: Line) -> bool:
    """The header of an indicator table: 二级指标 with 权重/分值/得分 columns."""
    if not line.is_row:
        return False
    words = [fold(c) for c in line.cells]
    return any("二级" in w for w in words) and any(w in ("权重", "分值", "得分") for w in words)


def _matching_table(
    lines: list[Line], tables: list[int], used: set[int], name: str, after: int
) -> int | None:
    """The self-evaluation table of a project: the first unused one after the report with its
    name, else the one whose title starts most like the name (OCR: 竟聘 for 竞聘), if close."""
    key = compact(name)
    candidates = [i for i in tables if i > after and i not in used]
    titles = {i: compact(clean(lines[i].text)) for i in candidates}
    for index in candidates:
        if key[:6] in titles[index]:
            return index
    scored = [
        (SequenceMatcher(None, key, titles[i][: len(key)]).ratio(), -i, i) for i in candidates
    ]
    best = max(scored, default=None)
    return best[2] if best is not None and best[0] >= 0.85 else None


def _compare(report: list[Resolved], table: list[Resolved], parts: DocumentParts) -> None:
    """Diagnostics where the self-evaluation table disagrees with the report's table."""
    unmatched = list(table)
    for target in report:
        key = compact(target.level3)
        match = next((t for t in unmatched if compact(t.level3) == key), None) or next(
            (t for t in unmatched if len(key) >= 3 and (compact(t.level3).startswith(key[:3]))),
            None,
        )
        if match is None:
            parts.diagnose(
                target.line,
                f"{target.level3!r} is in the report but not in the self-evaluation table",
                severity="info",
            )
            continue
        unmatched.remove(match)
        for field, label in (("V", "target"), ("W", "weight"), ("S", "score")):
            mine = target.value if field == "V" else target.extra.get(field)
            theirs = match.value if field == "V" else match.extra.get(field)
            if field == "V":
                differ = bool(mine and theirs) and compact(mine) != compact(theirs)
            else:
                a, b = parse_number(mine), parse_number(theirs)
                differ = a is not None and b is not None and a != b
            if differ:
                parts.diagnose(
                    match.line,
                    f"{target.level3!r}: the self-evaluation table gives "
                    f"{label} {theirs!r}, the report (line {target.line}) {mine!r}",
                    severity="info",
                )
    for row in unmatched:
        parts.diagnose(
            row.line, f"{row.level3!r} is only in the self-evaluation table", severity="info"
        )
