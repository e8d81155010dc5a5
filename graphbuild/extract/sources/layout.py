"""The shared model of every non-text reader: paragraphs and table grids, turned into lines.

A reader (PDF, workbook, web page, Word) produces :class:`Paragraph` and :class:`Table` blocks
in document order; :func:`to_source` numbers them into the lines the parsers read, the way
PDF-to-text output prints them:

- a table row is one line, its cells joined by TAB; every row of a table has the table's width;
- a merged cell is printed once, in its top-left position; the other positions it covers are
  empty cells (the label on the first row of a vertical span, the other rows empty; a
  horizontal span one cell and empty ones after it);
- text wrapped inside a cell is joined into one cell (:func:`join_wrapped`);
- a table row holding only one cell that spans the whole table (a title inside the grid) is a
  text line, like a paragraph: paragraphs are lines without TAB;
- a blank line separates a table from what follows it.

Every line keeps its ``origin``. The text produced is bounded (:data:`MAX_TEXT_CHARS`), so a
small file that declares huge merged areas cannot blow up memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from graphbuild.extract.read import Line, ReadError, SourceText

MAX_TEXT_CHARS = 64 * 1024 * 1024
"""Most characters of text a document may expand to (cells, TABs and line ends included)."""
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Most bytes the parts of a ZIP container (xlsx, docx) may unpack to."""
MAX_GRID_CELLS = 4_000_000
"""Most grid positions (rows × columns, positions covered by merged cells included) the tables
of one document may have; the largest real tables have a few tens of thousands."""


class Covered:
    """A grid position covered by a merged cell (printed as an empty cell)."""

    __slots__ = ("direction",)

    def __init__(self, direction: str) -> None:
        self.direction = direction

    def __repr__(self) -> str:
        return self.direction


LEFT: Final = Covered("LEFT")
"""Covered by a cell to its left in the same row (a horizontal span)."""
UP: Final = Covered("UP")
"""Covered by a cell of an earlier row (a vertical span)."""

GridCell = str | Covered


@dataclass
class Paragraph:
    """A line of running text (a title, a heading, a paragraph)."""

    text: str
    origin: str | None = None


@dataclass
class Table:
    """A table as a grid: each position holds its cell's text or says it is covered by a merge.

    ``origins`` has one entry per row.
    """

    rows: list[list[GridCell]] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)


Block = Paragraph | Table

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def one_line(text: str) -> str:
    """Text with TABs, line ends and runs of spaces made single spaces, control characters
    removed (a cell or a paragraph never holds a TAB or a line end).

    >>> one_line(" a\\tb\\n  c\\x00 ")
    'a b c'
    """
    return _SPACES.sub(" ", _CONTROL.sub("", text.replace("\t", " "))).strip()


def join_wrapped(parts: list[str]) -> str:
    """The lines of a wrapped cell or paragraph joined into one.

    A line break inside Chinese text, or inside a number broken over two lines, is layout:
    the parts are joined without a space. Between two Latin words it stands for a space.

    >>> join_wrapped(["专项-电子政务", "网络运行经费"]), join_wrapped(["16.93", "5万元"])
    ('专项-电子政务网络运行经费', '16.935万元')
    >>> join_wrapped(["annual", "target", ""]), join_wrapped(["≥95", "%"])
    ('annual target', '≥95%')
    """
    text = ""
    for part in parts:
        part = one_line(part)
        if not part:
            continue
        if text and _LATIN_END.search(text) and _LATIN_START.search(part):
            text += " "
        text += part
    return text


def cell_text(text: str) -> str:
    """A cell's text with its line breaks joined (see :func:`join_wrapped`)."""
    if "\n" not in text and "\r" not in text:
        return one_line(text)
    return join_wrapped(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def title_row(row: list[GridCell]) -> str | None:
    """The text of a row that is one cell spanning the whole table, else None.

    >>> title_row(["项目支出绩效目标表", LEFT, LEFT]), title_row(["生态效益指标", "", ""])
    ('项目支出绩效目标表', None)
    """
    if len(row) < 2 or not isinstance(row[0], str) or not row[0]:
        return None
    return row[0] if all(cell is LEFT for cell in row[1:]) else None


class LineWriter:
    """Numbers lines as they are added and keeps the text within :data:`MAX_TEXT_CHARS`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[Line] = []
        self.chars = 0
        self.positions = 0
        self._last: str | None = None  # kind of the last block written

    def add(self, text: str, origin: str | None) -> None:
        """Add one line."""
        self.chars += len(text) + 1
        if self.chars > MAX_TEXT_CHARS:
            raise ReadError(
                f"{self.name}: the file expands to more than {MAX_TEXT_CHARS // 2**20} M "
                "characters of text; split it into smaller files"
            )
        self.lines.append(Line(len(self.lines) + 1, text, origin))

    def blank(self) -> None:
        """A blank line, unless the last line is blank already."""
        if self.lines and self.lines[-1].text:
            self.add("", None)

    def paragraph(self, paragraph: Paragraph) -> None:
        """A paragraph as one line without TAB (after a blank line if a table precedes it)."""
        text = one_line(paragraph.text)
        if not text:
            return
        if self._last == "table":
            self.blank()
        self.add(text, paragraph.origin)
        self._last = "paragraph"

    def table(self, table: Table) -> None:
        """A table's rows as TAB-separated lines of the table's width, after a blank line."""
        rows = [row for row in table.rows if any(isinstance(c, str) and c for c in row)]
        if not rows:
            return
        width = max(len(row) for row in table.rows)
        self.positions += len(rows) * width
        if self.positions > MAX_GRID_CELLS:
            raise ReadError(
                f"{self.name}: the tables have more than {MAX_GRID_CELLS:,} cells (rows × "
                "columns); split the file"
            )
        if self._last is not None:
            self.blank()
        for row, origin in zip(table.rows, table.origins, strict=True):
            if not any(isinstance(c, str) and c for c in row):
                continue  # a row wholly covered by merged cells, or empty
            title = title_row(row) if len(row) == width else None
            if title is not None:
                self.add(one_line(title), origin)
                continue
            cells = [one_line(c) if isinstance(c, str) else "" for c in row]
            cells.extend([""] * (width - len(cells)))
            self.add("\t".join(cells), origin)
        self._last = "table"


def to_source(
    name: str,
    blocks: list[Block],
    *,
    source_format: str,
    encoding: str,
    notes: list[str] | None = None,
) -> SourceText:
    """The blocks of a document as numbered lines (see the module's rules)."""
    writer = LineWriter(name)
    for block in blocks:
        if isinstance(block, Table):
            writer.table(block)
        else:
            writer.paragraph(block)
    return SourceText(
        name=name,
        encoding=encoding,
        lines=writer.lines,
        source_format=source_format,
        notes=list(notes or []),
    )


def empty_document(name: str, what: str) -> ReadError:
    """The error for a file that holds no text at all."""
    return ReadError(f"{name}: the {what} holds no text; nothing to extract")
