"""Reading the rows of a table whose columns its header named.

Each row's cells are placed in the header's columns by content and position (the dynamic
programme of :mod:`graphbuild.extract.alignment`). A row may have lost cells on its left: web
pages exported to text drop the cells a merged cell (rowspan) covers, so the project's columns
printed on its first row, and a level label merged over several rows, leave the following rows
shifted left. A row whose cells, as printed, do not all sit under their columns is tried shifted
right by every amount that keeps it inside the table; a shift is kept only if it puts every
cell under its column and fits better than the row as printed.

A placed row is then split into its halves (one per period printed side by side), the value
printed over several columns (``≥`` | ``95`` | ``%``) is joined into one, and the levels are
resolved across the rows of each project (:func:`graphbuild.extract.resolution.resolve_table`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from graphbuild.extract.alignment import (
    Layout,
    RowParse,
    Token,
    align,
    classify,
    placement_cost,
)
from graphbuild.extract.cells import clean, compact
from graphbuild.extract.headers import INDICATOR_ROLES, PROJECT_ROLES, SKIP, Header
from graphbuild.extract.levels import split_weight, vocabulary
from graphbuild.extract.read import Line

POSITION_WEIGHT = 0.3
"""Cost of a cell per column away from its column's header (capped at POSITION_CAP)."""
POSITION_CAP = 1.5
_SHIFT_COST = 0.01
_COMPARATOR = re.compile(
    r"^(≥|≤|>|<|=|＞|＜|＝|≧|≦|>=|<=|=>|=<|大于等于|小于等于|大于|小于|等于|不低于|不高于|不少于|"
    r"不多于|不超过|不小于|不大于)$"
)
_DIRECTIONS = {
    "正向": "positive",
    "正向指标": "positive",
    "正": "positive",
    "越大越好": "positive",
    "越高越好": "positive",
    "↑": "positive",
    "反向": "negative",
    "反向指标": "negative",
    "逆向": "negative",
    "逆向指标": "negative",
    "反": "negative",
    "越小越好": "negative",
    "越低越好": "negative",
    "↓": "negative",
}
_POSITIVE = re.compile(r"^正向|越(大|高|多)越好")
_NEGATIVE = re.compile(r"^(反向|逆向)|越(小|低|少)越好")


@dataclass
class PlacedRow:
    """A row placed in the header's columns, with the weights printed on its level labels."""

    line: Line
    parse: RowParse
    weights: dict[str, float] = field(default_factory=dict)
    shift: int = 0
    """How many cells the row lost on its left (as placed)."""

    def project_cell(self, role: str) -> str | None:
        return self.parse.text(role)


def table_layout(header: Header) -> Layout:
    """The roles of a table's columns in column order; roles of a later half are suffixed
    ``#1``, ``#2`` … (the cost tables read the part before ``#``)."""
    roles: list[str] = []
    positions: list[int] = []
    for column in header.columns:
        if column.role in PROJECT_ROLES:
            name = column.role
        elif column.role == SKIP:
            name = f"{SKIP}#{column.col}"
        elif column.role in INDICATOR_ROLES:
            name = column.role if column.half == 0 else f"{column.role}#{column.half}"
        else:
            continue
        if name in roles:
            continue
        roles.append(name)
        positions.append(column.col)
    return Layout(tuple(roles), tuple(positions), POSITION_WEIGHT, POSITION_CAP)


@lru_cache(maxsize=1024)
def _shifted(layout: Layout, shift: int) -> Layout:
    """The layout as seen by a row that lost ``shift`` cells on its left."""
    positions = tuple(None if p is None else p - shift for p in layout.positions)
    return Layout(layout.roles, positions, layout.position_weight, layout.position_cap)


def place_row(line: Line, layout: Layout, width: int) -> PlacedRow:
    """The placement of a row's cells: as printed when every cell then sits under its column;
    else the cheapest of that and of the left shifts (a row that lost cells on its left) that
    put every cell under its column."""
    cells: list[str] = []
    weights: dict[str, float] = {}
    for raw in line.cells:
        label, weight = split_weight(clean(raw)) if raw.strip() else (raw, None)
        if weight is not None:
            for level in vocabulary().lookup(label):
                weights.setdefault(level.label, weight)
            cells.append(label)
        else:
            cells.append(raw)
    filled = [index for index, cell in enumerate(cells) if clean(cell)]
    room = max(0, width - 1 - filled[-1]) if filled else 0
    parse = align(line.number, cells, layout)
    if _exact(parse, layout):
        return PlacedRow(line, parse, weights, 0)
    best = (placement_cost(parse, layout), parse, 0)
    for shift in range(1, room + 1):
        shifted = _shifted(layout, shift)
        candidate = align(line.number, cells, shifted)
        cost = placement_cost(candidate, shifted) + _SHIFT_COST * shift
        if _exact(candidate, shifted) and cost < best[0]:
            best = (cost, candidate, shift)
    return PlacedRow(line, best[1], weights, best[2])


def _exact(parse: RowParse, layout: Layout) -> bool:
    """True when every cell of the row sits under its column's header and none is left over."""
    position = dict(zip(layout.roles, layout.positions, strict=True))
    return not parse.junk and all(
        token.col == position[role] for role, token in parse.slots.items()
    )


def stray_cell(row: PlacedRow, header: Header) -> bool:
    """True for a row of one cell that is not where a name stands: neither under a name
    column nor right-aligned as in a row that lost cells on its left (其他说明的问题 in the
    template's first column, a note). One cell can be placed anywhere by a shift, so it is a
    name only where it stands."""
    filled = [c for c, cell in enumerate(row.line.cells) if clean(cell)]
    if len(filled) != 1:
        return False
    names = {c.col for c in header.columns if c.role == "L3"}
    if filled[0] in names:
        return False
    return not (row.shift and len(row.line.cells) + row.shift == header.width)


def compose_value(op: str | None, value: str | None, unit: str | None) -> str:
    """One value from the comparator, number and unit printed in columns of their own.

    >>> compose_value("≥", "95", "%"), compose_value("定性", "好", None), compose_value("=", "≥90%", "%")
    ('≥95%', '好', '≥90%')
    """
    text = value or ""
    if (
        op
        and _COMPARATOR.match(op)
        and not re.match(r"^[≥≤><=＞＜＝≧≦]|^(大于|小于|等于|不)", text)
    ):
        text = op + text
    if unit and not text.endswith(unit) and (value or op):
        text += unit
    return text


def direction(text: str | None) -> str | None:
    """``positive`` (正向, 越大越好 …) or ``negative`` (反向, 越小越好 …); other text as printed."""
    if not text:
        return None
    key = compact(text)
    if key in _DIRECTIONS:
        return _DIRECTIONS[key]
    if _POSITIVE.search(key):
        return "positive"
    return "negative" if _NEGATIVE.search(key) else text


def half_row(row: PlacedRow, header: Header, half: int) -> RowParse:
    """The cells of one half of a placed row under the base roles (L1, L2, L3, V …), with its
    value joined from the comparator, number and unit columns. A half without a level 1 or
    level 2 column of its own shares the first half's."""
    slots: dict[str, Token] = {}
    for name, token in row.parse.slots.items():
        base, _, suffix = name.partition("#")
        if base in INDICATOR_ROLES and int(suffix or 0) == half:
            slots[base] = token
    if half > 0:
        own = header.roles(half)
        for role in ("L1", "L2", "L3"):
            if role not in own and role in row.parse.slots:
                slots.setdefault(role, row.parse.slots[role])
    block = header.blocks[half] if half < len(header.blocks) else None
    if block is not None and "L1" not in slots and ("L3" in slots or "V" in slots):
        anchor = slots.get("L3") or slots["V"]
        slots["L1"] = classify(anchor.col, block)  # the block's level 1, printed over it
    op, unit, value = slots.pop("OP", None), slots.pop("UNIT", None), slots.get("V")
    if op is not None and direction(op.text) in ("positive", "negative") and "DIR" not in slots:
        slots["DIR"], op = op, None  # 指标性质 holding 正向/反向: the direction
    if op is not None or unit is not None:
        text = compose_value(
            op.text if op else None, value.text if value else None, unit.text if unit else None
        )
        anchor = value or op or unit
        if text and anchor is not None:
            slots["V"] = Token(anchor.col, text, "num")
    return RowParse(
        row.parse.line,
        row.parse.cells,
        slots,
        list(row.parse.junk) if half == 0 else [],
        row.parse.header,
    )
