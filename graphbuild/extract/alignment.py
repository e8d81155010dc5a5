"""Placing each printed cell of an indicator row in its column (role).

Cell positions in PDF-to-text tables are unreliable (cells shift, merged cells print once,
labels are duplicated), so a row is read by **content and order**: its non-empty cells are
aligned monotonically onto the table's columns (roles) by a small dynamic programme whose cost
says how well a cell fits a role (a level label fits a level column, ``≥95%`` a value column,
free text a name column) plus a small penalty for sitting far from the column's header. The
levels of the targets are then resolved across rows by :mod:`graphbuild.extract.resolution`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.levels import Level, is_header_word, vocabulary
from graphbuild.extract.values import looks_like_value, parse_number

# ---- layouts ---------------------------------------------------------------------------------

LEFT = ("L1", "L2", "L3", "V")
RIGHT = ("L1b", "L2b", "L3b", "Vb")


@dataclass(frozen=True)
class Layout:
    """The columns (roles) of an indicator table, their header positions and the position weight."""

    roles: tuple[str, ...]
    positions: tuple[int | None, ...]
    position_weight: float = 0.2
    position_cap: float = 1.0


def layout_from_header(
    header_cells: list[str] | None,
    roles: tuple[str, ...],
    names: dict[str, tuple[str, ...]],
    weight: float = 0.2,
    cap: float = 1.0,
) -> Layout:
    """Map header words to role positions; roles whose header is missing get no position.

    ``names`` gives, per role, the header words that announce it (the n-th occurrence of a word
    goes to the n-th role announced by it).
    """
    positions: list[int | None] = [None] * len(roles)
    if header_cells:
        used: set[int] = set()
        for index, role in enumerate(roles):
            for col, cell in enumerate(header_cells):
                word = compact(clean(cell))
                if col in used or not word:
                    continue
                if any(word == compact(n) for n in names.get(role, ())):
                    positions[index] = col
                    used.add(col)
                    break
    return Layout(roles, tuple(positions), weight, cap)


# ---- token classification ----------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    col: int
    text: str
    kind: str  # hdr | L1 | L2 | L12 | num | plain | qual | text
    levels: tuple[Level, ...] = ()


def classify(col: int, text: str) -> Token:
    """Classify one cleaned, non-empty cell."""
    kind, levels = _kind(text)
    return Token(col, text, kind, levels)


@lru_cache(maxsize=65536)
def _kind(text: str) -> tuple[str, tuple[Level, ...]]:
    token = _classify(text)
    return token.kind, token.levels


def _classify(text: str) -> Token:
    col = 0
    if is_header_word(text):
        return Token(col, text, "hdr")
    levels = vocabulary().lookup(text)
    if levels:
        ranks = {lv.level for lv in levels}
        kind = "L12" if ranks == {1, 2} else ("L1" if ranks == {1} else "L2")
        return Token(col, text, kind, levels)
    if parse_number(text) is not None:
        return Token(col, text, "plain")
    strength = looks_like_value(text)
    if strength == "strong":
        return Token(col, text, "num")
    if strength == "qualitative":
        return Token(col, text, "qual")
    return Token(col, text, "text")


_INF = math.inf
# cost of putting a token of a kind into a kind of column
_COST: dict[str, dict[str, float]] = {
    #          L1    L2    L3    V     V0    ACT   W     S     WHY   DESC
    "L1": {
        "L1": 0,
        "L2": 2.0,
        "L3": 4,
        "V": 8,
        "V0": 8,
        "ACT": 8,
        "W": 9,
        "S": 9,
        "WHY": 6,
        "DESC": 6,
    },
    "L2": {
        "L1": 1.5,
        "L2": 0,
        "L3": 3,
        "V": 8,
        "V0": 8,
        "ACT": 8,
        "W": 9,
        "S": 9,
        "WHY": 6,
        "DESC": 6,
    },
    "L12": {
        "L1": 0,
        "L2": 0,
        "L3": 3,
        "V": 8,
        "V0": 8,
        "ACT": 8,
        "W": 9,
        "S": 9,
        "WHY": 6,
        "DESC": 6,
    },
    "num": {
        "L1": 9,
        "L2": 9,
        "L3": 2.5,
        "V": 0,
        "V0": 0.2,
        "ACT": 0.3,
        "W": 4,
        "S": 4,
        "WHY": 3,
        "DESC": 3,
    },
    "plain": {
        "L1": 9,
        "L2": 9,
        "L3": 3,
        "V": 0.5,
        "V0": 0.7,
        "ACT": 0.3,
        "W": 0,
        "S": 0,
        "WHY": 3,
        "DESC": 3,
    },
    "qual": {
        "L1": 9,
        "L2": 9,
        "L3": 1.2,
        "V": 0,
        "V0": 0.2,
        "ACT": 0.3,
        "W": 9,
        "S": 9,
        "WHY": 1.5,
        "DESC": 2,
    },
    "text": {
        "L1": 6,
        "L2": 5,
        "L3": 0,
        "V": 1.5,
        "V0": 1.7,
        "ACT": 0.8,
        "W": 9,
        "S": 9,
        "WHY": 0.5,
        "DESC": 0.5,
    },
}
# columns of the header-driven reader (graphbuild.extract.generic): the comparator and the unit
# in columns of their own, the direction, a remark, and the project's columns of a table printing
# one row per indicator
# (SKIP: a column whose header word names no known column; it takes what is printed under it)
_MORE_COLUMNS = (
    "OP", "UNIT", "DIR", "NOTE", "SEQ", "UNAME", "PNAME", "PCODE", "BUDGET", "GOAL", "SKIP",
)  # fmt: skip
_MORE_COST: dict[str, tuple[float, ...]] = {
    #        OP   UNIT DIR  NOTE SEQ UNAME PNAME PCODE BUDGET GOAL SKIP
    "L1": (9, 9, 9, 7, 9, 8, 8, 9, 9, 8, 3),
    "L2": (9, 9, 9, 7, 9, 8, 8, 9, 9, 8, 3),
    "L12": (9, 9, 9, 7, 9, 8, 8, 9, 9, 8, 3),
    "num": (0.5, 0.5, 6, 3, 6, 9, 9, 1.5, 2, 6, 1.5),
    "plain": (6, 6, 9, 3, 0, 9, 9, 0.5, 0.3, 8, 1),
    "qual": (3, 4, 2, 1.5, 9, 6, 6, 9, 9, 2, 1),
    "text": (3, 1, 0.5, 1, 6, 1, 1, 4, 8, 1, 1),
}
for _token_kind, _column_costs in _MORE_COST.items():
    _COST[_token_kind].update(zip(_MORE_COLUMNS, _column_costs, strict=True))
_JUNK_COST = 9.0


@lru_cache(maxsize=16384)
def _assignment(signature: tuple[tuple[str, int], ...], layout: Layout) -> tuple[int, ...]:
    """The role index of each token (-1 for junk) at the least total cost.

    Costs depend only on each token's kind and column, so rows of the same shape share the
    answer. A dynamic programme over (tokens, roles) in order: each token goes to a later role
    or is junk; roles may stay empty.
    """
    m = len(layout.roles)
    previous = [0.0] * (m + 1)  # least cost of the tokens so far using only the first j roles
    steps: list[list[int]] = []  # per token and j: 0 junk, 1 token in role j-1, 2 role j-1 empty
    for kind, col in signature:
        costs = _token_costs(kind, col, layout)
        current = [previous[0] + _JUNK_COST] + [0.0] * m
        step = [0] * (m + 1)
        for j in range(1, m + 1):
            best, how = previous[j] + _JUNK_COST, 0
            placed = previous[j - 1] + costs[j - 1]
            if placed < best:
                best, how = placed, 1
            if current[j - 1] < best:
                best, how = current[j - 1], 2
            current[j], step[j] = best, how
        steps.append(step)
        previous = current
    roles = [-1] * len(signature)
    i, j = len(signature), m
    while i > 0:
        how = steps[i - 1][j]
        if how == 0:
            i -= 1
        elif how == 1:
            roles[i - 1] = j - 1
            i, j = i - 1, j - 1
        else:
            j -= 1
    return tuple(roles)


@lru_cache(maxsize=4096)
def _token_costs(kind: str, col: int, layout: Layout) -> tuple[float, ...]:
    """The cost of a token of ``kind`` at column ``col`` in each role of ``layout``."""
    weight, cap = layout.position_weight, layout.position_cap
    return tuple(
        _COST[kind][_column_kind(role)]
        + (0.0 if pos is None else min(abs(col - pos) * weight, cap))
        for role, pos in zip(layout.roles, layout.positions, strict=True)
    )


@lru_cache(maxsize=256)
def _column_kind(role: str) -> str:
    """The column kind of a role: 'L2b' → 'L2', 'V#3' → 'V'."""
    role = role.split("#")[0]
    return role[:-1] if role.endswith("b") else role


@dataclass
class RowParse:
    """One row's cells placed in roles; ``junk`` holds cells that fit no role."""

    line: int
    cells: list[str]
    slots: dict[str, Token] = field(default_factory=dict)
    junk: list[Token] = field(default_factory=list)
    header: bool = False

    def text(self, role: str) -> str | None:
        token = self.slots.get(role)
        return token.text if token else None


def tokens_of(cells: list[str]) -> list[Token]:
    """Classified non-empty cells; a label repeated in the very next cell (成本指标|成本指标) once."""
    tokens: list[Token] = []
    for col, raw in enumerate(cells):
        if not raw or raw.isspace():
            continue
        text = clean(raw)
        if not text:
            continue
        token = classify(col, text)
        previous = tokens[-1] if tokens else None
        if (
            previous is not None
            and previous.col == col - 1
            and previous.text == text
            and token.kind in ("L1", "L2", "L12")
        ):
            continue
        tokens.append(token)
    return tokens


def align(line: int, cells: list[str], layout: Layout) -> RowParse:
    """Place the row's non-empty cells in the layout's roles at the least total cost."""
    tokens = tokens_of(cells)
    headers = sum(t.kind == "hdr" for t in tokens)
    row = RowParse(line, cells, header=headers >= 2)
    data = [t for t in tokens if t.kind != "hdr"]
    if not data:
        return row
    signature = tuple((token.kind, token.col) for token in data)
    for token, role in zip(data, _assignment(signature, layout), strict=True):
        if role < 0:
            row.junk.append(token)
        else:
            row.slots[layout.roles[role]] = token
    _name_by_position(row, layout)
    _shift_labels_to_name(row)
    return row


def placement_cost(row: RowParse, layout: Layout) -> float:
    """What a row's placement costs: each placed cell's fit to its role (content and distance
    from the role's header) plus a fixed cost per cell that fits no role. Lower is better;
    comparable between layouts of the same roles (positions shifted)."""
    index = {role: i for i, role in enumerate(layout.roles)}
    total = _JUNK_COST * len(row.junk)
    for role, token in row.slots.items():
        total += _token_costs(token.kind, token.col, layout)[index[role]]
    return total


def _shift_labels_to_name(row: RowParse) -> None:
    """A half with a value, two labels and no name: the labels were read one column too early.

    ``满意度 | 服务对象满意度 | ≥98%`` in a department table is level 2 满意度 with the name
    服务对象满意度, not level 1 and level 2 without a name.
    """
    for l1, l2, l3, v in (("L1", "L2", "L3", "V"), ("L1b", "L2b", "L3b", "Vb")):
        complete = v in row.slots and l2 in row.slots and l1 in row.slots
        if complete and l3 not in row.slots and row.slots[l1].kind in ("L12", "L2"):
            row.slots[l3] = row.slots.pop(l2)
            row.slots[l2] = row.slots.pop(l1)


def _name_by_position(row: RowParse, layout: Layout) -> None:
    """A half whose name column is empty while its first value sits under the name's header.

    Names can look like values (``2024年``); when the cell printed in the name column was taken
    for a value, the position decides.
    """
    roles = layout.roles
    for index, role in enumerate(roles):
        if _column_kind(role) != "L3" or role in row.slots or layout.positions[index] is None:
            continue
        for later in roles[index + 1 :]:
            if _column_kind(later) in ("L1", "L2", "L3"):
                break
            token = row.slots.get(later)
            if token is None or _column_kind(later) not in ("V", "V0"):
                continue
            later_pos = layout.positions[roles.index(later)]
            name_pos = layout.positions[index]
            if later_pos is not None and abs(token.col - name_pos) < abs(token.col - later_pos):
                row.slots[role] = row.slots.pop(later)
            break
