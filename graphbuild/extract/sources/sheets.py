"""What the two workbook readers (.xlsx and .xls) share: a cell's value as the sheet shows it,
and a sheet's cells and merged areas turned into paragraphs and tables.

A sheet is printed the way a PDF of it would read:

- the used columns (first to last column holding text) make the table's width; leading and
  trailing empty columns are dropped, empty columns between them kept (an empty spacer column
  is a column of the printed table too), unless the sheet is wider than a row may be
  (:data:`~graphbuild.extract.read.MAX_CELLS`), when only the columns holding text are kept;
- a merged area prints its text in its top-left cell, the cells it covers empty;
- a row holding one cell merged across the whole width (a title) is a text line, and so is a
  row of one cell above the sheet's first row of several cells or below its last one (a title,
  a unit line, a note);
- empty rows end a table (a blank line).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_left
from collections.abc import Iterable

from graphbuild.extract.read import MAX_CELLS, ReadError
from graphbuild.extract.sources.layout import MAX_GRID_CELLS, Block, Paragraph, Table, cell_text

Merge = tuple[int, int, int, int]
"""A merged area: first row, first column, last row, last column (1-based, inclusive)."""

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_NUMERIC = re.compile(r"[0#?][0#?,.]*%?|%")


def display(value: object, number_format: str | None = None) -> str:
    """A cell's value as the sheet shows it: percentages, fixed decimals, thousands separators
    and literal text of its number format; dates as Chinese sheets print them.

    >>> display(0.95, "0%"), display(120000, "#,##0"), display(893.4, "0.00"), display(3.0)
    ('95%', '120,000', '893.40', '3')
    >>> display(12, '0"万元"'), display(dt.datetime(2024, 12, 31), 'yyyy"年"m"月"d"日"')
    ('12万元', '2024年12月31日')
    >>> display(0.1 + 0.2), display(True), display(None)
    ('0.3', 'TRUE', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, number_format or "")
    if isinstance(value, int | float):
        return _number(float(value), number_format or "General")
    return cell_text(str(value))


def _date(value: dt.datetime | dt.date | dt.time, fmt: str) -> str:
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    date = value.date() if isinstance(value, dt.datetime) else value
    if "年" in fmt:
        text = f"{date.year}年{date.month}月"
        text += f"{date.day}日" if "d" in fmt.lower() else ""
    else:
        text = date.isoformat()
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        text += " " + value.time().isoformat(timespec="seconds")
    return text


def _number(number: float, fmt: str) -> str:
    if not math.isfinite(number):
        return str(number)
    section = fmt.split(";")[0]
    bare = _QUOTED.sub("", section)
    match = _NUMERIC.search(bare)
    if fmt.lower() in ("general", "@", "") or match is None:
        return _general(number)
    pattern = match.group(0)
    if "%" in pattern:
        number *= 100
    decimals = len(pattern.split(".")[1].rstrip("%")) if "." in pattern else 0
    text = f"{number:,.{decimals}f}" if "," in pattern else f"{number:.{decimals}f}"
    prefix, suffix = _literals(section)
    return prefix + text + ("%" if "%" in pattern else "") + suffix


def _literals(section: str) -> tuple[str, str]:
    """The literal text before and after the number of a format section."""
    prefix: list[str] = []
    suffix: list[str] = []
    seen_number = False
    position = 0
    while position < len(section):
        char = section[position]
        if char == '"':
            end = section.find('"', position + 1)
            end = len(section) if end < 0 else end
            (suffix if seen_number else prefix).append(section[position + 1 : end])
            position = end + 1
            continue
        if char == "\\" and position + 1 < len(section):
            (suffix if seen_number else prefix).append(section[position + 1])
            position += 2
            continue
        if char == "[":  # a colour, a locale or a condition
            end = section.find("]", position)
            position = len(section) if end < 0 else end + 1
            continue
        if char in "_*":  # padding and fill characters
            position += 2
            continue
        if char in "0#?,.%":
            seen_number = True
        elif not char.isspace():
            (suffix if seen_number else prefix).append(char)
        position += 1
    return "".join(prefix), "".join(suffix)


def _general(number: float) -> str:
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.15g}"
    return text if "e" not in text else repr(number)


def sheet_blocks(
    sheet: str,
    rows: Iterable[tuple[int, dict[int, str]]],
    merges: Iterable[Merge],
    bordered: set[tuple[int, int]] | None = None,
    document: str = "<workbook>",
) -> list[Block]:
    """The paragraphs and tables of one sheet.

    ``rows`` gives, in ascending order, each row's number and its cells' text by column (1-based;
    empty cells may be left out); ``merges`` the sheet's merged areas; ``bordered`` the (row,
    column) of the cells holding text that have a border (None: not known); ``document`` names
    the file in a ``ReadError`` for a sheet too large to read.

    A row of one cell is a text line when that cell is merged across the whole width, or, in a
    sheet whose tables have borders, when it has none; in a sheet without borders, when it lies
    above the first row of several cells or below the last one and no merged cell of the table
    reaches down into it.

    >>> blocks = sheet_blocks("表1", [(1, {1: "项目支出绩效目标表"}), (2, {1: "一级指标", 2: "指标值"}),
    ...     (3, {1: "产出指标", 2: "≥95%"}), (4, {2: "1台"}), (6, {1: "注：单位为元"})],
    ...     [(1, 1, 1, 2), (3, 1, 4, 1)])
    >>> [(type(b).__name__, getattr(b, "text", None) or b.rows) for b in blocks]
    [('Paragraph', '项目支出绩效目标表'), ('Table', [['一级指标', '指标值'], ['产出指标', '≥95%'], ['', '1台']]), ('Paragraph', '注：单位为元')]
    >>> blocks[1].origins[2]
    'sheet 表1, row 4'
    """
    merges = list(merges)
    kept: list[tuple[int, dict[int, str]]] = []
    used: set[int] = set()
    for number, cells in rows:
        texts = {col: text for col, text in cells.items() if text}
        if texts:
            kept.append((number, texts))
            used.update(texts)
    if not kept:
        return []
    columns = sorted(used)
    if columns[-1] - columns[0] + 1 <= MAX_CELLS:
        columns = list(range(columns[0], columns[-1] + 1))
    if len(kept) * len(columns) > MAX_GRID_CELLS:
        raise ReadError(
            f"{document}: sheet {sheet} has {len(kept):,} rows by {len(columns)} columns, more "
            f"than {MAX_GRID_CELLS:,} cells; split the workbook"
        )
    first, last = columns[0], columns[-1]
    wide = {
        (r0, c0)
        for r0, c0, _r1, c1 in merges
        if c0 <= first and c1 >= last and c1 > c0  # one cell across the whole width
    }
    inside = _Spans(merges)
    multi = [number for number, texts in kept if len(texts) > 1]
    top, bottom = (multi[0], multi[-1]) if multi else (math.inf, -math.inf)

    def text_line(number: int, col: int) -> bool:
        if (number, col) in wide:
            return True
        if bordered:
            return (number, col) not in bordered
        return number < top or (number > bottom and not inside.continues(number))

    blocks: list[Block] = []
    table: Table | None = None
    previous = None
    for number, texts in kept:
        origin = f"sheet {sheet}, row {number}"
        if previous is not None and number != previous + 1:
            table = None  # empty rows end a table
        previous = number
        if len(texts) == 1:
            ((col, text),) = texts.items()
            if text_line(number, col):
                blocks.append(Paragraph(text, origin))
                table = None
                continue
        if table is None:
            table = Table()
            blocks.append(table)
        table.rows.append([texts.get(col, "") for col in columns])
        table.origins.append(origin)
    return blocks


class _Spans:
    """Answers "does a merged area reach down into this row from a row above?" in log time."""

    def __init__(self, merges: list[Merge]) -> None:
        spans = sorted((r0, r1) for r0, _c0, r1, _c1 in merges if r1 > r0)
        self.starts = [r0 for r0, _ in spans]
        self.reach: list[int] = []
        for _, r1 in spans:
            self.reach.append(max(r1, self.reach[-1]) if self.reach else r1)

    def continues(self, row: int) -> bool:
        index = bisect_left(self.starts, row) - 1  # the last area starting above the row
        return index >= 0 and self.reach[index] >= row
