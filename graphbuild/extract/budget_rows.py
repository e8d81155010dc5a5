"""The data rows of one budget table (one header block): cells to budget lines.

A row is split into the table's panels (side-by-side parts, see
:mod:`graphbuild.extract.budget_header`); in each, the label cells give the code (the 类, 款 and
项 cells joined where printed apart), the name and a second classification, and every amount
cell a budget line. A row's ``parent_line`` is the row it adds up into: the row whose code is
its code's longest prefix; for a top-level row the block's total row (合计; in a two-sided
table the 本年…合计 row); an item into its economic class (names without codes); a （一） row
into its 一、 row; a ① row into the row above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphbuild.extract.budget_header import Column
from graphbuild.extract.cells import compact
from graphbuild.extract.read import Line
from graphbuild.extract.values import parse_number
from graphbuild.records import BudgetLine

AMOUNT = re.compile(r"^-?\d[\d,]*(\.\d+)?$")
_DECIMAL = re.compile(r"^-?\d[\d,]*\.\d+$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_GLUED = re.compile(r"^(\D+?)(-?\d[\d,]*\.\d+)$")
_DASH = re.compile(r"^[-—–/\\*]+$")
_TOTAL = re.compile(r"合计|总计|^小计")
_ENUMERATED = re.compile(r"^[一二三四五六七八九十]+、")
_SUB_ENUMERATED = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_CIRCLED = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")
_OF_WHICH = re.compile(r"^其中")
# the economic classes (部门预算支出经济分类, 类 level), for tables that print names without codes
ECONOMIC_CLASSES = frozenset(
    ["工资福利支出", "商品和服务支出", "对个人和家庭的补助", "债务利息及费用支出", "资本性支出"]
    + ["资本性支出(基本建设)", "对企业补助(基本建设)", "对企业补助", "对社会保障基金补助"]
    + ["其他支出"]
)


@dataclass
class _Panel:
    """The columns of one side-by-side part of a table: labels, then values."""

    labels: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    section: str | None = None


def _panels(columns: list[Column]) -> list[_Panel]:
    panels: list[_Panel] = []
    for i, column in enumerate(columns):
        label = column.kind != "value"
        if not panels or (label and panels[-1].values):
            panels.append(_Panel())
        (panels[-1].labels if label else panels[-1].values).append(i)
    if len(panels) > 1:
        for panel in panels:
            first = columns[panel.values[0]] if panel.values else columns[panel.labels[0]]
            panel.section = first.path[0] if first.path else None
    return panels


class TableRows:
    """The data rows of one header block of a table."""

    def __init__(self, reader: Any, table: Any, columns: list[Column], scale: float) -> None:
        self.reader = reader
        self.table = table
        self.columns = columns
        self.scale = scale
        self.panels = _panels(columns)
        self.wide = not any(c.kind != "value" for c in columns)
        self.economic = table.kind == "basic_economic" or any("经济" in c.full for c in columns)
        # per panel: code -> line, the last class / 一、 row, the last total row, the total
        self.codes: list[dict[str, int]] = [{} for _ in self.panels]
        self.last_class: list[int | None] = [None for _ in self.panels]
        self.last_total: list[int | None] = [None for _ in self.panels]
        self.waiting: list[list[BudgetLine]] = [[] for _ in self.panels]
        self.totals: list[int | None] = [None for _ in self.panels]
        self.named: list[bool] = [False for _ in self.panels]  # the total is a 本年…合计 row
        self.section_row: list[int | None] = [None for _ in self.panels]

    def read(self, rows: list[tuple[Line, list[str]]]) -> None:
        for line, cells in rows:
            self._row(line, _realigned(cells, self.columns))
        for index, waiting in enumerate(self.waiting):
            for budget_line in waiting:
                budget_line.parent_line = self.totals[index]

    def _row(self, line: Line, cells: list[str]) -> None:
        count = self.reader.count
        if self.wide:
            made = self._wide(line, cells)
        else:
            made = 0
            for index, panel in enumerate(self.panels):
                made += self._panel(line, cells, index, panel)
        if made:
            count.lines.add(line.number)
        elif line.number not in count.diagnosed:
            count.blank.add(line.number)

    def _cell(self, cells: list[str], i: int) -> str:
        return cells[i] if i < len(cells) else ""

    def _panel(self, line: Line, cells: list[str], index: int, panel: _Panel) -> int:
        label = self._labels(cells, panel)
        code, name, code2, name2, unit_code = label
        values = [(i, self._cell(cells, i)) for i in panel.values]
        if name and all(not v for _, v in values) and (glued := _GLUED.match(name)):
            name = glued.group(1)
            if panel.values:
                values[0] = (panel.values[0], glued.group(2))
        amounts: list[tuple[int, float, str]] = []
        for i, value in values:
            if not value or _DASH.match(value):
                continue
            number = _amount(value)
            if number is None:
                self.reader.diagnose(
                    line.number,
                    f"a cell of the amount column {self.columns[i].full!r} of budget table "
                    f"{self.table.title!r} that is not an amount",
                    line.cells,
                    "warning",
                )
                self.reader.count.diagnosed.add(line.number)
                continue
            amounts.append((i, number, value))
        if not (code or name or unit_code or amounts):
            return 0
        total = (
            bool(name and _TOTAL.search(name))
            or bool(name and self.reader.department and compact(name) == self.reader.department)
            or bool(unit_code and not code)
        )
        classification = _classification(code) or (
            "economic" if self.economic and not total and name else None
        )
        parent, waits = self._parent(line.number, index, code, name, total)
        made = []
        for i, number, printed in amounts:
            column = self.columns[i]
            made.append(
                BudgetLine(
                    document=self.reader.document,
                    table=self.table.title,
                    classification=classification,
                    code=code,
                    name=name,
                    column=column.text,
                    amount_yuan=round(number * self.scale, 2),
                    line=line.number,
                    table_kind=self.table.kind,
                    table_line=self.table.title_line,
                    column_path=column.full if column.path else None,
                    measure=column.measure,
                    section=panel.section,
                    printed=printed,
                    unit=self.table.unit,
                    total=total,
                    parent_line=parent,
                    code2=code2,
                    name2=name2,
                )
            )
        if waits:
            self.waiting[index].extend(made)
        if made and (code or name) is None:
            self.reader.diagnose(
                line.number,
                f"amounts without a row label in budget table {self.table.title!r}",
                line.cells,
                "warning",
            )
            self.reader.count.diagnosed.add(line.number)
        self.reader.lines.extend(made)
        return len(made)

    def _labels(
        self, cells: list[str], panel: _Panel
    ) -> tuple[str | None, str | None, str | None, str | None, str | None]:
        parts: list[str] = []
        codes: list[str] = []
        names: list[str] = []
        unit_code = None
        for i in panel.labels:
            column, value = self.columns[i], self._cell(cells, i)
            if not value:
                continue
            if column.kind == "code":
                digits = value.replace(" ", "")
                if column.part is not None and digits.isdigit():
                    parts.append(digits)
                elif _CODE.match(digits):
                    codes.append(digits)
                else:
                    names.append(value)
            elif column.kind == "unit_code":
                unit_code = value
            elif column.kind == "name":
                names.append(value)
        if parts:
            codes.insert(0, "".join(parts))
        code = codes[0] if codes else None
        code2 = codes[1] if len(codes) > 1 else None
        name = names[0] if names else None
        name2 = names[1] if len(names) > 1 else None
        return code, name, code2, name2, unit_code

    def _parent(
        self, number: int, index: int, code: str | None, name: str | None, total: bool
    ) -> tuple[int | None, bool]:
        """The line this row adds up into, and whether that is the panel's total (known at
        the end of the block)."""
        if total:
            if name and _TOTAL.search(name):
                named_total = "本年" in name and "合计" in name
                if self.totals[index] is None or (named_total and not self.named[index]):
                    self.totals[index] = number
                    self.named[index] = named_total
            self.last_total[index] = number
            return None, False
        kind = self.table.kind
        if code is not None:
            codes = self.codes[index]
            codes.setdefault(code, number)
            for length in range(len(code) - 1, 2, -1):
                if code[:length] in codes:
                    return codes[code[:length]], False
            return None, True
        if not name:
            return None, False
        if kind in ("summary", "appropriation_summary"):
            if _ENUMERATED.match(name):
                self.last_class[index] = number
                section = self.section_row[index]
                return (section, False) if section is not None else (None, True)
            if _SUB_ENUMERATED.match(name):
                return self.last_class[index], False
            if self.last_total[index] is not None and not _OF_WHICH.match(name):
                # a heading row after the total (上年财政拨款结转): its 一、 rows add up into it
                self.section_row[index] = number
            return None, False
        if _OF_WHICH.match(name):
            return None, False
        if self.economic:
            if compact(name) in ECONOMIC_CLASSES:
                self.last_class[index] = number
                return None, True
            return self.last_class[index], False
        if _CIRCLED.match(name):
            return self.last_class[index], False
        self.last_class[index] = number
        if self.last_total[index] is not None:
            return self.last_total[index], False
        return None, True

    def _wide(self, line: Line, cells: list[str]) -> int:
        made = 0
        for i, column in enumerate(self.columns):
            value = self._cell(cells, i)
            if not value or _DASH.match(value):
                continue
            number = _amount(value)
            if number is None:
                self.reader.diagnose(
                    line.number,
                    f"a cell of budget table {self.table.title!r} that is not an amount",
                    line.cells,
                    "warning",
                )
                self.reader.count.diagnosed.add(line.number)
                continue
            item = column.path[-1] if column.measure == "total" and column.path else column.text
            self.reader.lines.append(
                BudgetLine(
                    document=self.reader.document,
                    table=self.table.title,
                    classification=None,
                    code=None,
                    name=item,
                    column=column.text,
                    amount_yuan=round(number * self.scale, 2),
                    line=line.number,
                    table_kind=self.table.kind,
                    table_line=self.table.title_line,
                    column_path=column.full if column.path else None,
                    measure="total",
                    printed=value,
                    unit=self.table.unit,
                    total=bool(_TOTAL.search(item)),
                )
            )
            made += 1
        return made


def _amount(cell: str) -> float | None:
    """A cell's amount: the common printed forms (893.41, 1,241.66) read directly."""
    if AMOUNT.match(cell):
        try:
            return float(cell.replace(",", ""))
        except ValueError:
            return None
    return parse_number(cell)


def _classification(code: str | None) -> str | None:
    if code is None:
        return None
    return {"2": "functional", "3": "economic", "5": "economic"}.get(code[0])


def _realigned(cells: list[str], columns: list[Column]) -> list[str]:
    """A row that lost an empty amount cell, so that the next panel's code sits in an amount
    column (``30908 | 物资储备 | 31203 | 政府投资基金股权投资``), shifted back into place."""
    cells = list(cells)
    for i in range(len(columns) - 1):
        if i + 1 >= len(cells):
            break
        if (
            columns[i].kind == "value"
            and columns[i + 1].kind == "code"
            and _CODE.match(cells[i])
            and not _DECIMAL.match(cells[i])
            and cells[i + 1]
            and not AMOUNT.match(cells[i + 1])
        ):
            cells.insert(i, "")
    return cells
