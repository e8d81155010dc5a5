"""What stands above an indicator table: its title, the project's fields, the budget execution
of a self-evaluation form, the annual goal and the period a heading gives the table.

The lines read are those between the previous table (or :data:`CONTEXT_LINES` lines up) and the
table's header. Fields are read as the family parsers read them (:func:`fields.read_fields`:
项目名称, 主管部门, 实施单位 …); a self-evaluation form's 项目资金 table is read by its header
words (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, see ``ontology/headers.ttl``)
and its 年度资金总额 (or 总额, 合计) row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.fields import department_code, read_fields
from graphbuild.extract.headers import FUNDS_ROLES, header_vocabulary, is_column_word
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.values import parse_number
from graphbuild.records import Project

CONTEXT_LINES = 80
"""How far above a table its title and fields are looked for."""
_TITLE = re.compile(r"(表|报告)\s*[)）]?$|绩效(目标|指标|自评)")
_FUNDS_TOTAL = re.compile(r"^(年度资金总额|资金总额|总额|合计|总计)")
_DEPARTMENT_TITLE = re.compile(r"整体|部门绩效目标|单位绩效目标")
_SIGN_HERE = re.compile(r"[（(]\s*(盖章|签章|签字|公章|签名)\s*[)）]")
_REPORT_WORDS = re.compile(r"完成情况$")


@dataclass
class Context:
    """The lines above one table and what they say."""

    lines: list[Line]
    title: Line | None = None
    period: str | None = None
    fields: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def first(self, name: str) -> str | None:
        return next((value for value, _ in self.fields.get(name, []) if value), None)

    @property
    def names_project(self) -> bool:
        return self.first("name") is not None

    @property
    def department_wide(self) -> bool:
        """True when the title says the table is a department's or unit's own (整体)."""
        return self.title is not None and bool(_DEPARTMENT_TITLE.search(compact(self.title.text)))


def read_context(lines: list[Line], start: int, floor: int) -> Context:
    """The context of the table whose header is ``lines[start]``; ``floor`` is the first line
    after the previous table."""
    above = lines[max(floor, start - CONTEXT_LINES) : start]
    context = Context(above)
    for line in reversed(above):
        text = clean(line.text)
        if (
            not line.is_row
            and text
            and len(text) <= 60
            and _TITLE.search(text)
            and header_vocabulary().period(text) is None
        ):
            context.title = line
            break
    unsigned = [Line(ln.number, _SIGN_HERE.sub("", ln.text), ln.origin) for ln in above]
    fields = read_fields(unsigned)
    names = [number for name, value, number in fields if name == "name" and value]
    for name, value, number in fields:  # the fields of the nearest project named above
        if not names or number >= names[-1]:
            context.fields.setdefault(name, []).append((value, number))
    context.period = period_above(lines, start)
    return context


def period_above(lines: list[Line], start: int) -> str | None:
    """The period a heading just above the table gives it (长期绩效指标, 年度绩效指标 …): the
    nearest line of period labels and header words only, over at most 6 lines that are not
    table data."""
    vocab = header_vocabulary()
    seen = 0
    for line in reversed(lines[max(0, start - 12) : start]):
        words = [w for cell in line.cells if (w := clean(cell))]
        if not words or is_furniture(line.text):
            continue
        periods = [p for w in words if (p := vocab.period(w))]
        if periods and all(vocab.period(w) or is_column_word(w) for w in words):
            return periods[0]
        seen += 1
        if seen >= 6:
            break
    return None


def project_from_context(context: Context, document: str, line: int) -> Project | None:
    """A project from the fields above a table (None when no 项目名称 is printed)."""
    name = context.first("name")
    if name is None:
        return None
    scale = 1e4 if any("万" in v for v, _ in context.fields.get("funds_header", [])) else 1.0
    code, department = department_code(context.first("department"))
    project = Project(
        document=document,
        project=re.sub(r"\s+", "", name),
        line=line,
        department=department,
        department_code=code,
        implementing_unit=context.first("unit"),
        attribute=context.first("attribute"),
        term=context.first("term"),
        total_funds_yuan=_money(context.first("total"), scale),
        annual_funds_yuan=_money(context.first("annual"), scale) or _budget(context.lines),
        goal_annual=goal(context.lines) or context.first("goal"),
    )
    _execution(context.lines, project)
    return project


def _budget(lines: list[Line]) -> float | None:
    """The amount after a budget label (预算资金（万元） | 360.00), in yuan."""
    vocab = header_vocabulary()
    for line in lines:
        words = [w for cell in line.cells if (w := clean(cell))]
        if len(words) >= 2 and vocab.role(words[0]) == "BUDGET":
            amount = _money(words[1], 1e4 if "万" in words[0] else 1.0)
            if amount is not None:
                return amount
    return None


def _money(text: str | None, scale: float) -> float | None:
    number = parse_number(text)
    return None if number is None else round(number * scale, 2)


def goal(lines: list[Line]) -> str | None:
    """The annual goal: the text after a 年度总体目标 / 年度目标 label, or under it when the label's
    row holds only column words (年度总体目标 | 预期目标 | 实际完成情况; 项目绩效目标 | 长期目标 |
    年度目标: the cell under 年度目标, or under 预期目标)."""
    vocab = header_vocabulary()
    for index, line in enumerate(lines):
        cells = [clean(cell) for cell in line.cells]
        words = [w for w in cells if w]
        if not words or vocab.role(words[0]) != "GOAL":
            continue
        rest = [w for w in words[1:] if not is_column_word(w) and not _REPORT_WORDS.search(w)]
        if rest:
            return rest[0]
        below = next((ln for ln in lines[index + 1 : index + 3] if clean(ln.text)), None)
        if below is None:
            return None
        under = [clean(cell) for cell in below.cells]
        for col, word in enumerate(cells[1:], 1):
            wanted = vocab.period(word) == "annual" or vocab.role(word) == "V"
            if wanted and col < len(under) and under[col]:
                return under[col]
        found = [w for w in under if w]
        return found[0] if found and not is_column_word(found[0]) else None
    return None


def _execution(lines: list[Line], project: Project) -> None:
    """全年预算数, 全年执行数, 执行率 and the execution score of a self-evaluation form's 项目资金
    table (its 年度资金总额 row), in yuan."""
    vocab = header_vocabulary()
    wanted = FUNDS_ROLES | {"W", "S"}
    for index, line in enumerate(lines):
        columns = {vocab.role(cell): c for c, cell in enumerate(line.cells)}
        columns = {role: c for role, c in columns.items() if role in wanted}
        if len(set(columns) & FUNDS_ROLES) < 2:
            continue
        heading = [line]
        if index > 0 and lines[index - 1].is_row:  # a header of two lines: 年度预算数 over three
            heading.insert(0, lines[index - 1])
            for c, cell in enumerate(lines[index - 1].cells):
                if (role := vocab.role(cell)) in wanted and role not in columns:
                    columns[role] = c
        scale = 1e4 if any("万" in ln.text for ln in heading) else 1.0
        for row in lines[index + 1 : index + 8]:
            tokens = [(c, w) for c, cell in enumerate(row.cells) if (w := clean(cell))]
            if not tokens or not _FUNDS_TOTAL.match(compact(tokens[0][1])):
                continue
            numbers = {c: parse_number(w) for c, w in tokens[1:]}
            by_place = {role: numbers.get(c) for role, c in columns.items()}
            if not any(v is not None for v in by_place.values()):  # shifted: read in order
                ordered = [n for _, n in sorted(numbers.items()) if n is not None]
                roles_in_order = [r for r, _ in sorted(columns.items(), key=lambda rc: rc[1])]
                by_place = dict(zip(roles_in_order, ordered, strict=False))
            if by_place.get("B") is not None:
                project.budget_yuan = round(by_place["B"] * scale, 2)
            if by_place.get("SPENT") is not None:
                project.spent_yuan = round(by_place["SPENT"] * scale, 2)
            project.execution_rate = by_place.get("RATE")
            project.execution_score = by_place.get("S")
            return
        return
