"""Web pages (HTML): running text as paragraphs, tables as grids with their row and column spans.

Parsed with lxml's HTML parser (the libxml2 parser browsers' markup needs: unclosed tags,
missing ``tbody``). The page is walked once in document order:

- block elements (``p``, ``div``, headings, list items, ``br`` …) end a text line; scripts,
  styles, forms' controls and hidden elements are skipped;
- a table holding no other table is a data table: its cells are placed on a grid by the HTML
  table model (``rowspan``/``colspan``; ``rowspan="0"`` runs to the table's end), each cell's
  text wrapped by ``br`` or paragraphs joined into one cell; a ``caption`` is a text line
  before it;
- a table holding other tables is page layout: its cells are read as running text and the
  tables inside them as tables.

The encoding is the one the page declares (BOM, ``<meta charset>``), else detected like a text
file's (UTF-8, then GB18030).
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from graphbuild.extract.read import MAX_CELLS, ReadError, SourceText, decode
from graphbuild.extract.sources.layout import (
    LEFT,
    MAX_GRID_CELLS,
    UP,
    Block,
    GridCell,
    Paragraph,
    Table,
    empty_document,
    join_wrapped,
    one_line,
    to_source,
)

_BREAKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
        "address",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "center",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "body",
        "br",
        "title",
    ]
)
_SKIP = frozenset(
    [
        "script",
        "style",
        "head",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "audio",
        "video",
        "canvas",
        "map",
    ]
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MAX_COLSPAN = MAX_CELLS + 1
"""A wider span makes a row too wide to read anyway (HTML itself allows 1000)."""


def read_html(data: bytes, name: str) -> SourceText:
    """The lines of a web page (``ReadError`` if it cannot be read)."""
    import lxml.html
    from lxml import etree

    text, encoding = decode_html(data, name)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise empty_document(name, "web page")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReadError(f"{name}: the web page cannot be parsed ({error}); save it again") from None
    walker = _Walker(name)
    walker.walk(root, etree)
    if not walker.blocks:
        raise empty_document(name, "web page")
    return to_source(name, walker.blocks, source_format="html", encoding=encoding)


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """The page's text and its encoding: the declared one when the bytes agree with it."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    match = _META_CHARSET.search(data[:8192])
    codec = _codec(match.group(1).decode("ascii")) if match else None
    if codec is None:
        return _detected(data, name)
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    broken = text.count("\ufffd")
    if broken <= max(16, len(text) // 1000):  # a few broken bytes: the declaration holds
        return text, f"{codec} (with invalid bytes replaced)"
    try:  # many: a wrong declaration (GBK pages declared UTF-8 are common)
        return decode(data, name)
    except ReadError:
        raise ReadError(
            f"{name}: the web page is not valid {codec} text; save it again as UTF-8"
        ) from None


def _codec(declared: str) -> str | None:
    """The codec a page declares (GB2312 and GBK read as their superset GB18030)."""
    declared = declared.lower()
    if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        declared = "gb18030"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return None


def _detected(data: bytes, name: str) -> tuple[str, str]:
    try:
        return decode(data, name)
    except ReadError:
        raise ReadError(
            f"{name}: the web page is neither UTF-8 nor GB18030 text; save it again as UTF-8"
        ) from None


class _Walker:
    """One pass over the page, collecting paragraphs and tables in document order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.tables = 0
        self.paragraphs = 0
        self.area = 0

    def flush(self) -> None:
        text = one_line("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, f"paragraph {self.paragraphs}"))

    def walk(self, root: Any, etree: Any) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else None
            if event == "start":
                if tag is None or tag in _SKIP or _hidden(element):
                    walker.skip_subtree()
                    continue
                if tag in _BREAKS:
                    self.flush()
                if tag == "table" and not _has_table(element):
                    self.table(element)
                    walker.skip_subtree()
                    continue
                if element.text:
                    self.buffer.append(element.text)
            else:
                if tag in _BREAKS:
                    self.flush()
                if element.tail:
                    self.buffer.append(element.tail)
        self.flush()

    def table(self, element: Any) -> None:
        caption = element.find("caption")
        if caption is not None:
            text = join_wrapped(_lines(caption))
            if text:
                self.paragraphs += 1
                self.blocks.append(Paragraph(text, f"paragraph {self.paragraphs}"))
        self.tables += 1
        rows = [tr for tr in element.iter("tr") if not _hidden(tr)]
        grid: list[list[GridCell | None]] = [[] for _ in rows]
        for r, tr in enumerate(rows):
            row = grid[r]
            col = 0
            for cell in tr:
                if cell.tag not in ("td", "th") or _hidden(cell):
                    continue
                while col < len(row) and row[col] is not None:
                    col += 1
                colspan = min(max(_span(cell.get("colspan"), 1), 1), MAX_COLSPAN)
                rowspan = _span(cell.get("rowspan"), 1)
                rowspan = len(rows) - r if rowspan <= 0 else min(rowspan, len(rows) - r)
                self.area += colspan * rowspan
                if self.area > MAX_GRID_CELLS:
                    raise ReadError(
                        f"{self.name}: the page's tables span more cells than can be read; "
                        "split the page"
                    )
                _place(row, col, [join_wrapped(_lines(cell)), *[LEFT] * (colspan - 1)])
                for below in range(r + 1, r + rowspan):
                    _place(grid[below], col, [UP] * colspan)
                col += colspan
        table = Table(
            rows=[[cell if cell is not None else "" for cell in row] for row in grid],
            origins=[f"table {self.tables}, row {r + 1}" for r in range(len(rows))],
        )
        self.blocks.append(table)


def _place(row: list[GridCell | None], col: int, cells: list[GridCell]) -> None:
    """Put cells on a grid row from ``col`` on (a position already taken keeps its cell)."""
    if len(row) < col + len(cells):
        row.extend([None] * (col + len(cells) - len(row)))
    for offset, cell in enumerate(cells):
        if row[col + offset] is None:
            row[col + offset] = cell


def _span(value: str | None, default: int) -> int:
    if not value:
        return default
    match = re.match(r"\s*(\d{1,6})", value)
    return int(match.group(1)) if match else default


def _has_table(element: Any) -> bool:
    return next(element.iterdescendants("table"), None) is not None


def _hidden(element: Any) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN.search(element.get("style") or ""))


def _lines(element: Any) -> list[str]:
    """The text of a cell as the lines it is shown on (``br`` and blocks break lines)."""
    from lxml import etree

    lines: list[str] = []
    current: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            if node is not element and (tag is None or tag in _SKIP or _hidden(node)):
                walker.skip_subtree()
                continue
            if tag in _BREAKS and node is not element:
                lines.append("".join(current))
                current = []
            if node.text:
                current.append(node.text)
        else:
            if node is element:
                break
            if tag in _BREAKS:
                lines.append("".join(current))
                current = []
            if node.tail:
                current.append(node.tail)
    lines.append("".join(current))
    return lines
