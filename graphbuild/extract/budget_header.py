"""The columns of a budget table, read from its header rows.

A budget table prints a header of one to three rows whose cells span columns: a group (本年收入,
2024年预算数, 基本支出) stands over its sub-columns, a column printed once in the top row spans
every header row (上年结转), and the PDF-to-text tool shifts cells left or right. The columns are
the leaves of the header's tree, in order:

- a header cell's parent is the nearest cell at or left of it, in the rows above (the closest
  row first), that is a *group*: a cell with a header cell right below it, in some lower row;
  a cell with nothing below it spans every header row and has no children;
- a group with one child at its own position is one header wrapped over two lines: the two
  texts are joined (财政拨款收 + 入);
- a row of column numbers (1 2 3 …, 栏次) is not a header row of its own.

When the leaves are fewer than the cells of the data rows, each column is the deepest header
cell printed at its position instead. Each column is a *label* column (a code, a name, a row
number) or a *value* column; a table whose label columns come again after value columns is
printed as side-by-side panels (收入 | 支出, the four panels of a 基本支出 detail table).

>>> columns = header_columns([["项目", "", "本年收入", "", "上年结转"],
...                           ["科目编码", "科目名称", "合计", "一般公共预算", ""]], 5)
>>> [(c.text, c.kind, c.measure) for c in columns]  # doctest: +NORMALIZE_WHITESPACE
[('科目编码', 'code', None), ('科目名称', 'name', None), ('合计', 'value', 'total'),
 ('一般公共预算', 'value', 'general_budget'), ('上年结转', 'value', 'carried_over')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_CODE = re.compile(r"编码|代码|^[类款项]$")
_NAME = re.compile(r"名称|^项目$|^项目\(|^单位\(|科目$|^单位$")
_ROW_NUMBER = re.compile(r"^(行次|栏次|序号)$")
_TOTALISH = re.compile(r"^(合计|小计|总计|计|金额|决算数|预算数|统计数|\d{4}年|\d{4}年合计|本年)$")
# canonical measures of a column, searched in order in the column's own text, then its groups'
MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
    ("personnel", re.compile(r"人员经费")),
    ("office", re.compile(r"公用经费")),
    ("wages", re.compile(r"工资福利")),
    ("goods_services", re.compile(r"商品和服务")),
    ("household_transfers", re.compile(r"对个人和家庭")),
    ("capital", re.compile(r"资本性支出")),
    ("running_projects", re.compile(r"其他运转类|运转类")),
    ("specific_projects", re.compile(r"特定目标类")),
    ("carried_over", re.compile(r"上年结转|年初结转|上年财政拨款结转")),
    ("carried_forward", re.compile(r"年终结转|年末结转")),
    ("current_year", re.compile(r"当年预算|本年预算|当年拨款")),
    ("government_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本")),
    ("special_account", re.compile(r"财政专户")),
    ("unit_funds", re.compile(r"单位资金")),
    ("general_budget", re.compile(r"一般公共预算")),
    ("appropriation", re.compile(r"财政拨款")),
    ("business_income", re.compile(r"事业收入")),
    ("operations", re.compile(r"经营收入|经营支出")),
    ("higher_subsidy", re.compile(r"上级补助")),
    ("affiliated", re.compile(r"附属单位")),
    ("other_income", re.compile(r"其他收")),
    ("total", re.compile(r"合计|小计|总计|^计$|^金额$|决算数|预算数|统计数|^\d{4}年$|^本年")),
)


@dataclass
class Column:
    """One column of a budget table: its header text as printed (layout whitespace removed),
    the groups above it, what it holds and its canonical measure (None when not known)."""

    text: str
    path: tuple[str, ...] = ()
    kind: str = "value"  # code | name | unit_code | row_number | value
    measure: str | None = None
    part: str | None = None  # 类 / 款 / 项 for a code printed in three cells

    @property
    def full(self) -> str:
        """The column's place under its groups: ``基本支出/人员经费``."""
        return "/".join((*self.path, self.text))


@dataclass
class _Node:
    row: int
    position: int
    text: str
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None


def is_column_numbers(cells: list[str]) -> bool:
    """A row of column numbers (1 2 3 …), possibly with 栏次 / 行次 / 项目 cells.

    >>> is_column_numbers(["", "栏次", "1", "2", "3"]), is_column_numbers(["1", "201"])
    (True, False)
    """
    numbers = []
    for cell in cells:
        if not cell:
            continue
        if cell.isdigit() and len(cell) <= 2:
            numbers.append(int(cell))
        elif not _ROW_NUMBER.match(cell) and cell != "项目":
            return False
    return len(numbers) >= 2 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def header_columns(rows: list[list[str]], width: int) -> list[Column]:
    """The columns of a table from its header rows (cells cleaned) and the width of its
    data rows; see the module's description."""
    rows = [row for row in rows if not is_column_numbers(row)]
    if not rows:
        return [Column(f"#{i + 1}") for i in range(width)]
    leaves = _tree_leaves(rows)
    if len(leaves) < width:
        leaves = _positional(rows, width)
    columns = [_column(text, path, hint) for text, path, hint in leaves]
    for i, column in enumerate(columns[1:], 1):
        left = columns[i - 1]
        if column.text.startswith("#") and left.kind == "code":
            # a code printed over three cells under one 科目编码 header (类 款 项 unnamed)
            columns[i - 1] = Column(left.text, left.path, "code", part=left.part or left.text)
            columns[i] = Column(column.text, column.path, "code", part=column.text)
    while len(columns) < width:
        columns.append(Column(f"#{len(columns) + 1}"))
    return columns


def _tree_leaves(rows: list[list[str]]) -> list[tuple[str, tuple[str, ...], str]]:
    nodes = [
        [_Node(r, p, text) for p, text in enumerate(row) if text] for r, row in enumerate(rows)
    ]
    below: set[tuple[int, int]] = set()  # (row, position) with a header cell in a lower row
    for r in range(len(rows)):
        for p in {node.position for lower in nodes[r + 1 :] for node in lower}:
            below.add((r, p))
    roots: list[_Node] = []
    for r, row_nodes in enumerate(nodes):
        for node in row_nodes:
            node.parent = _parent(nodes, r, node.position, below)
            (node.parent.children if node.parent else roots).append(node)
    leaves: list[tuple[str, tuple[str, ...], str]] = []

    def walk(node: _Node, path: tuple[str, ...], hint: str) -> None:
        children = sorted(node.children, key=lambda n: (n.position, n.row))
        if len(children) == 1 and children[0].position == node.position:
            child = children[0]  # one header wrapped over two lines: the child says what it is
            merged = _Node(child.row, child.position, node.text + child.text, child.children)
            walk(merged, path, child.text)
            return
        if not children:
            leaves.append((node.text, path, hint or node.text))
            return
        for child in children:
            walk(child, (*path, node.text), "")

    for root in sorted(roots, key=lambda n: (n.position, n.row)):
        walk(root, (), "")
    return leaves


def _parent(
    nodes: list[list[_Node]], row: int, position: int, below: set[tuple[int, int]]
) -> _Node | None:
    for upper in range(row - 1, -1, -1):
        for node in reversed(nodes[upper]):
            if node.position <= position and (upper, node.position) in below:
                return node
    return None


def _positional(rows: list[list[str]], width: int) -> list[tuple[str, tuple[str, ...], str]]:
    """Each position's deepest header cell, under the nearest cells left of it above."""
    leaves = []
    for p in range(width):
        text, path = "", []
        for row in rows:
            cell = row[p] if p < len(row) else ""
            if cell:
                if text:
                    path.append(text)
                text = cell
            elif text == "" and p < len(row):
                left = next((row[q] for q in range(p, -1, -1) if q < len(row) and row[q]), "")
                if left:
                    path.append(left)
        leaves.append((text or f"#{p + 1}", tuple(path), text))
    return leaves


@lru_cache(maxsize=4096)
def _column(text: str, path: tuple[str, ...], hint: str = "") -> Column:
    """A column's kind from its text, or from the lower part of a wrapped header (``hint``)."""
    for said in (text, hint) if hint and hint != text else (text,):
        if _ROW_NUMBER.match(said):
            return Column(text, path, "row_number")
        if _CODE.search(said) and "名称" not in said:
            kind = "unit_code" if "单位" in said else "code"
            part = said if said in ("类", "款", "项") else None
            return Column(text, path, kind, part=part)
        if _NAME.search(said):
            return Column(text, path, "name")
    return Column(text, path, "value", measure=measure_of(text, path))


def measure_of(text: str, path: tuple[str, ...] = ()) -> str | None:
    """The canonical measure of a column: its own text first; a total-like column under a
    group (基本支出/小计) takes the group's.

    >>> measure_of("小计", ("基本支出",)), measure_of("人员经费", ("基本支出",)), measure_of("合计")
    ('basic', 'personnel', 'total')
    """
    own = _match(text)
    if own is not None and own != "total":
        return own
    if own == "total" or _TOTALISH.match(text):
        for group in reversed(path):
            found = _match(group)
            if found is not None and found != "total":
                return found
        return "total"
    return None


def _match(text: str) -> str | None:
    for name, pattern in MEASURES:
        if pattern.search(text):
            return name
    return None
