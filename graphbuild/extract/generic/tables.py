"""The indicator tables no family parser read, found by their header rows.

The tables are the *indicator regions* of :mod:`graphbuild.extract.sweep` that start at a
header row and none of whose rows a family parser read. A header printed over several lines (a
merged 指标值 over 指标性质 | 指标值 | 度量单位) is one header: the sweep starts a region at each
header line, so a header-only region followed by the next is merged with it, and rows right under
the header that hold nothing but column words are more header lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphbuild.extract.cells import clean
from graphbuild.extract.headers import Header, header_vocabulary, is_column_word, read_header
from graphbuild.extract.levels import is_header_word, split_weight, vocabulary
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.sweep import indicator_regions
from graphbuild.extract.values import looks_like_value, parse_number


@dataclass
class Table:
    """One unread indicator table: its header lines, its rows and its place in the lines."""

    header: Header
    header_lines: list[Line]
    rows: list[Line]
    start: int
    """Index (in the document's lines) of the first header line."""
    end: int
    """Index after the last row."""
    more_header: list[Line] = field(default_factory=list)
    """Rows of the region under the header holding only column words (more header lines)."""

    @property
    def first(self) -> int:
        return self.header_lines[0].number

    @property
    def last(self) -> int:
        return (self.rows or self.more_header or self.header_lines)[-1].number

    def where(self) -> str:
        """The table's lines and header, for a diagnostic."""
        return f"table lines {self.first}–{self.last}, header {self.header.text()}"


def _words(line: Line) -> list[str]:
    return [token for cell in line.cells if (token := clean(cell))]


def is_header_continuation(line: Line) -> bool:
    """A row holding header words only (度量单位, 目标值 …): a further line of the header above
    it."""
    words = _words(line)
    return bool(words) and all(is_column_word(w) or is_header_word(w) for w in words)


def holds_data(line: Line) -> bool:
    """True for a row holding more than level labels and column words."""
    return any(
        not (vocabulary().lookup(split_weight(w)[0]) or is_column_word(w) or is_header_word(w))
        for w in _words(line)
    )


def _next_to(lines: list[Line], position: dict[int, int], above: Line, below: Line) -> bool:
    """True when only blank lines and page furniture stand between two lines."""
    between = lines[position[above.number] + 1 : position[below.number]]
    return all(not line.text.strip() or is_furniture(line.text) for line in between)


def _header_above(lines: list[Line], index: int) -> list[Line]:
    """The rows right above a header that belong to it: a row naming columns (项目名称 | 项目类型
    | 年度目标 | 绩效指标 over 一级指标 | 二级指标 …: two of its words at least name a column,
    at most a third name none, no value), or a row of level 1 labels over blocks of columns
    (成本指标 | 产出指标 … over 三级指标 | 指标值 pairs); at most three, nearest last."""
    found: list[Line] = []
    above = index - 1
    while len(found) < 3:
        while above >= 0 and (not lines[above].text.strip() or is_furniture(lines[above].text)):
            above -= 1
        if above < 0 or not lines[above].is_row or holds_value(lines[above]):
            break
        line = lines[above]
        if not (_names_columns(line) or _names_blocks(line)):
            break
        found.insert(0, line)
        above -= 1
    return found


def _names_columns(line: Line) -> bool:
    vocab = header_vocabulary()
    words = _words(line)
    named = sum(1 for w in words if vocab.role(w))
    known = sum(1 for w in words if is_column_word(w) or is_header_word(w))
    return named >= 2 and 3 * (len(words) - known) <= len(words)


def _names_blocks(line: Line) -> bool:
    """A row of two level 1 labels or more and nothing else."""
    levels = [vocabulary().lookup(w) for w in _words(line)]
    return len(levels) >= 2 and all(any(lv.level == 1 for lv in found) for found in levels)


def holds_value(line: Line) -> bool:
    """True for a row with a cell that reads as a value (≥95%, 12个, 2024年12月)."""
    return any(looks_like_value(w) == "strong" or parse_number(w) is not None for w in _words(line))


def unclaimed_tables(lines: list[Line], read: set[int]) -> list[Table]:
    """The header-started indicator tables none of whose lines is in ``read``, in order."""
    position = {line.number: index for index, line in enumerate(lines)}
    tables: list[Table] = []
    waiting: list[Line] = []  # the lines of a header whose region holds no rows yet
    for region in indicator_regions(lines):
        if region.header is None:
            waiting = []
            continue
        headers = [region.header]
        if waiting and _next_to(lines, position, waiting[-1], region.header):
            headers = waiting + headers
        if not region.rows:
            waiting = headers
            continue
        waiting = []
        if any(line.number in read for line in (*headers, *region.rows)):
            continue
        above = _header_above(lines, position[headers[0].number])
        headers[:0] = [line for line in above if line.number not in read]
        rows = list(region.rows)
        more: list[Line] = []
        while rows and is_header_continuation(rows[0]):
            more.append(rows.pop(0))
        if not any(holds_data(row) for row in rows):
            continue
        header = read_header([line.cells for line in (*headers, *more)])
        tables.append(
            Table(
                header,
                headers,
                rows,
                position[headers[0].number],
                position[rows[-1].number] + 1,
                more,
            )
        )
    return tables
