"""The budget and final-accounts tables of a document: every amount as a budget line, in yuan.

Besides their performance targets, budgets and final accounts print a dozen money tables
(收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表 by functional class,
基本支出 by economic class, 政府性基金, 国有资本经营, 三公经费, 机关运行经费, 项目支出表 …).
They are read by general rules, whatever the family:

- a table starts at its title: a short line without cells that ends in 表 and names money
  (预算, 决算, 收支, 收入, 支出, 经费, 财政拨款 …), not a performance table (绩效, 目标) nor a part
  heading; it runs to the next title or heading, and its rows are the table rows after it,
  up to the first line of text (a note such as 注：本表无数据, which marks the table empty);
- the unit is printed between the title and the header (单位：万元, 金额单位：元); a table
  that prints none takes the unit the document's other tables print (a diagnostic says so);
- the header rows come first: the first row, then rows whose label cell is empty or a header
  word (科目编码, 项目 …) or that hold two cells and no amount; the columns are read from them
  (:mod:`graphbuild.extract.budget_header`); a row of header words only further down starts
  a new header;
- every cell of a value column holding an amount is a budget line; the row's code (the 类, 款
  and 项 cells joined where printed apart) and name label it; a code decides the
  classification (2xx functional, 3xx and 5xx economic), a table of economic classes does
  too; a row adds up into the row whose code is its code's longest prefix, a top-level row
  into the table's total row (合计), an item of economic class names into its class, 一、 rows
  of a two-sided table into its 本年…合计 and （一） rows into their 一、 row.

Every non-empty row of a budget table is counted (see :class:`graphbuild.records.Accounting`):
a header row, a row that gave lines, a row without amounts (a class printed with blank cells),
or a diagnostic; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graphbuild.extract.budget_header import Column, header_columns, is_column_numbers
from graphbuild.extract.budget_rows import AMOUNT, TableRows
from graphbuild.extract.cells import clean, compact
from graphbuild.extract.read import Line, is_furniture
from graphbuild.records import Accounting, BudgetLine, Diagnostic

_MONEY_WORDS = re.compile(r"预算|决算|收支|收入|支出|经费|财政拨款|相关信息统计")
_NOT_A_TITLE = re.compile(
    r"绩效|目标|自评|评价|报表$|公开\d*表$|表\d+$|^表[一二三四五六七八九十]+|^附件|^附表|目录"
)
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[）)]$")
_TOC = re.compile(r"(\.{3,}|…{2,}|\d+)$")
_TITLE_ENDINGS = ("表", "）", ")")
_BOUNDARY = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_EMPTY_NOTE = re.compile(r"本表无数据|无数据|空表")
_UNIT = re.compile(r"单位\s*[:：]?\s*(万元|元)|[（(](万元|元)[）)]")
_HEADER_WORDS = frozenset(
    ["项目", "行次", "栏次", "金额", "统计数", "科目编码", "科目名称", "科目代码", "合计", "小计"]
    + ["决算数", "预算数", "收入", "支出", "项目名称", "单位名称"]
)
_LABEL_HEADER = re.compile(r"^(科目编码|科目代码|收入科目编码|项目|项目名称|单位名称|类|栏次)$")
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("three_public", re.compile(r"三公")),
    ("operating_costs", re.compile(r"机关运行经费|运转经费")),
    ("government_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("statistics", re.compile(r"相关信息统计")),
    ("appropriation_summary", re.compile(r"财政拨款收支|财政拨款收入支出")),
    ("summary", re.compile(r"收支总|收支预算|收入支出决算总|收支总体")),
    ("project_expenditure", re.compile(r"项目支出")),
    ("basic_economic", re.compile(r"基本支出|经济科目|经济分类")),
    ("general_budget", re.compile(r"一般公共预算")),
    ("income", re.compile(r"收入")),
    ("expenditure", re.compile(r"支出")),
)
UNITS = {"万元": 1e4, "元": 1.0}


@dataclass
class BudgetTable:
    """One budget table as found: its title, the lines before its rows, its rows and the text
    after them (notes)."""

    title: str
    title_line: int
    kind: str
    meta: list[Line] = field(default_factory=list)
    rows: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    unit: str | None = None

    @property
    def empty_note(self) -> Line | None:
        return next((n for n in self.notes[:3] if _EMPTY_NOTE.search(compact(n.text))), None)


def table_kind(title: str) -> str:
    """The kind of a budget table, from its title.

    >>> table_kind("2024年财政拨款安排“三公”经费支出预算表"), table_kind("2024 年部门支出预算表")
    ('three_public', 'expenditure')
    """
    key = compact(title)
    return next((kind for kind, pattern in _KINDS if pattern.search(key)), "other")


def budget_title(text: str) -> str | None:
    """The title of a budget table (layout whitespace removed), or None.

    >>> budget_title("2024年一般公共预算支出预算表（不含上年结转）")
    '2024年一般公共预算支出预算表（不含上年结转）'
    >>> budget_title("表二2024年预算收入总表....."), budget_title("项目支出绩效目标表")
    (None, None)
    """
    title = clean(text)
    if not title or len(title) > 60 or _TOC.search(title):
        return None
    bare = _TRAILING_NOTE.sub("", title).rstrip()
    if not bare.endswith("表") or _NOT_A_TITLE.search(bare):
        return None
    return title if _MONEY_WORDS.search(bare) else None


def find_tables(lines: list[Line]) -> list[BudgetTable]:
    """The budget tables of a document, in order; a title without table rows is no table."""
    tables: list[BudgetTable] = []
    current: BudgetTable | None = None
    rows_ended = False
    for line in lines:
        raw = line.text
        if "\t" in raw:
            if current is not None and not rows_ended:
                current.rows.append(line)
            continue
        text = raw.strip()
        if not text:
            continue
        # a title ends in 表 or in a parenthesised note: test the cheap part first
        maybe_title = text.endswith(_TITLE_ENDINGS)
        title = budget_title(text) if maybe_title else None
        boundary = (
            title is not None or _BOUNDARY.match(text) or (maybe_title and _other_title(text))
        )
        if not boundary and (current is None or is_furniture(text)):
            continue
        if boundary:
            current, rows_ended = None, False
            if title is not None:
                current = BudgetTable(title, line.number, table_kind(title))
                tables.append(current)
            continue
        if current is None:
            continue
        if current.rows:
            rows_ended = True
            current.notes.append(line)
        else:
            current.meta.append(line)
    return [table for table in tables if table.rows]


def _other_title(text: str) -> bool:
    """A performance table's title (it ends a budget table's text)."""
    title = clean(text)
    return len(title) <= 60 and title.endswith("表") and "绩效" in title


@dataclass
class _RowCount:
    header: set[int] = field(default_factory=set)
    lines: set[int] = field(default_factory=set)
    blank: set[int] = field(default_factory=set)
    diagnosed: set[int] = field(default_factory=set)


class BudgetReader:
    """Reads the budget tables of one document into budget lines and diagnostics."""

    def __init__(self, document: str, department: str | None) -> None:
        self.document = document
        self.department = compact(department or "")
        self.lines: list[BudgetLine] = []
        self.diagnostics: list[Diagnostic] = []
        self.count = _RowCount()
        self.rows = 0
        self.tables = 0

    def diagnose(self, line: int | None, reason: str, cells: list[str], severity: str) -> None:
        from graphbuild.extract.parts import excerpt

        self.diagnostics.append(
            Diagnostic(self.document, line, reason, excerpt(cells), severity)  # type: ignore[arg-type]
        )

    def read(self, lines: list[Line]) -> None:
        tables = find_tables(lines)
        printed = Counter(unit for t in tables if (unit := _unit_of(t)) is not None)
        default = printed.most_common(1)[0][0] if printed else "万元"
        for table in tables:
            self.tables += 1
            table.unit = _unit_of(table)
            if table.unit is None:
                table.unit = default
                source = "the document's other tables" if printed else "no table prints one"
                self.diagnose(
                    table.title_line,
                    f"budget table {table.title!r} prints no unit; read as {default} ({source})",
                    [table.title],
                    "info" if printed else "warning",
                )
            self._table(table)

    def account(self, accounting: Accounting) -> None:
        """Fill the budget fields of ``accounting``; a row no rule placed is diagnosed."""
        c = self.count
        accounting.budget_tables = self.tables
        accounting.budget_rows = self.rows
        accounting.budget_header_rows = len(c.header)
        accounting.budget_line_rows = len(c.lines - c.header)
        accounting.budget_blank_rows = len(c.blank - c.lines - c.header - c.diagnosed)
        accounting.budget_diagnosed_rows = len(c.diagnosed - c.lines - c.header)
        placed = (
            accounting.budget_header_rows
            + accounting.budget_line_rows
            + accounting.budget_blank_rows
            + accounting.budget_diagnosed_rows
        )
        accounting.budget_unplaced_rows = self.rows - placed

    # ---- one table ------------------------------------------------------------------------
    def _table(self, table: BudgetTable) -> None:
        scale = UNITS.get(table.unit or "", 1e4)
        rows = [(line, [clean(c) for c in line.cells]) for line in table.rows]
        rows = [(line, cells) for line, cells in rows if any(cells)]
        self.rows += len(rows)
        before = len(self.lines)
        index = 0
        while index < len(rows):
            header, index = self._header(rows, index)
            data_end = index
            while data_end < len(rows) and not _restarts(rows[data_end][1]):
                data_end += 1
            data = rows[index:data_end]
            width = max((_width(cells) for _, cells in (*header, *data)), default=0)
            columns = header_columns([cells for _, cells in header], width)
            columns = _row_numbers(columns, [cells for _, cells in data])
            if all(c.kind == "value" for c in columns) and any(
                cells and cells[0] and not AMOUNT.match(cells[0]) for _, cells in data
            ):  # rows labelled under a header that names no label column
                columns[0] = Column(columns[0].text, columns[0].path, "name")
            TableRows(self, table, columns, scale).read(data)
            index = data_end
        if len(self.lines) == before:
            note = table.empty_note
            self.lines.append(
                BudgetLine(
                    document=self.document,
                    table=table.title,
                    classification=None,
                    code=None,
                    name=None,
                    column=None,
                    amount_yuan=None,
                    line=table.title_line,
                    table_kind=table.kind,
                    table_line=table.title_line,
                    unit=table.unit,
                    empty=True,
                    printed=clean(note.text) if note is not None else None,
                )
            )

    def _header(
        self, rows: list[tuple[Line, list[str]]], index: int
    ) -> tuple[list[tuple[Line, list[str]]], int]:
        """The header rows starting at ``index`` and the index of the first data row."""
        header: list[tuple[Line, list[str]]] = []
        while index < len(rows):
            line, cells = rows[index]
            if not is_column_numbers(cells) and (
                any(_is_amount(c) for c in cells) or (header and not _header_like(cells))
            ):
                break
            header.append((line, cells))
            self.count.header.add(line.number)
            index += 1
        return header, index


def _unit_of(table: BudgetTable) -> str | None:
    for line in (*table.meta, *table.rows[:2]):
        match = _UNIT.search(line.text.replace(" ", ""))
        if match:
            return match.group(1) or match.group(2)
    return None


def _is_amount(cell: str) -> bool:
    return bool(cell) and bool(AMOUNT.match(cell)) and not (cell.isdigit() and len(cell) <= 2)


def _header_like(cells: list[str]) -> bool:
    """A header row after the first: an empty label cell, a header word there, or two or more
    cells of text."""
    first = cells[0] if cells else ""
    if not first or _LABEL_HEADER.match(first):
        return True
    words = [c for c in cells if c]
    return len(words) >= 2 and not any(AMOUNT.match(c) for c in words)


def _restarts(cells: list[str]) -> bool:
    """A row of header words only (a repeated or a new header inside the table)."""
    words = [compact(c) for c in cells if c]
    return len(words) >= 2 and all(w in _HEADER_WORDS for w in words)


def _row_numbers(columns: list[Column], rows: list[list[str]]) -> list[Column]:
    """A column without a header whose cells are all small whole numbers holds row numbers
    (行次 printed without its header), not amounts."""
    found = list(columns)
    for i, column in enumerate(columns):
        if column.kind != "value" or not column.text.startswith("#"):
            continue
        cells = [row[i] for row in rows if i < len(row) and row[i]]
        if cells and all(c.isdigit() and len(c) <= 3 for c in cells):
            found[i] = Column(column.text, column.path, "row_number")
    return found


def _width(cells: list[str]) -> int:
    last = max((i for i, c in enumerate(cells) if c), default=-1)
    return last + 1
