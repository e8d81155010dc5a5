"""Word documents (.docx): the body's paragraphs and tables in document order.

python-docx opens the package (it finds the main document part whatever its name); the body's
XML is then walked directly, so that every table is placed on its grid the way Word draws it:

- ``w:gridBefore`` leaves the row's first grid columns empty, ``w:gridSpan`` makes a cell span
  columns (the positions after it empty), ``w:vMerge`` continues the cell above (printed empty
  under its label), the legacy ``w:hMerge`` likewise across;
- a cell's paragraphs (and a table nested in it) are its text, joined into one cell;
- a paragraph's line breaks end lines; its TABs become spaces (a paragraph is a text line);
- content controls (``w:sdt``), tracked insertions and hyperlinks are read through; deleted
  text (``w:delText``) is not.

Headers, footers, footnotes, comments and text boxes are not read. Numbers that Word adds to
numbered headings (``一、`` from a numbering definition) are not in the text either.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from graphbuild.extract.read import ReadError, SourceText
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
    to_source,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag")


def read_docx(data: bytes, name: str) -> SourceText:
    """The lines of a Word document (``ReadError`` if it cannot be read)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ReadError(
            f"{name}: a damaged Word document ({_reason(error)}); open it in Word or LibreOffice "
            "and save it again"
        ) from None
    except ValueError as error:  # e.g. a .docm or a template: another content type
        raise ReadError(
            f"{name}: not a Word document ({_reason(error)}); save it as .docx"
        ) from None
    except Exception as error:  # noqa: BLE001 - damaged parts surface as many types
        raise ReadError(
            f"{name}: a damaged Word document ({_reason(error)}); open it in Word or LibreOffice "
            "and save it again"
        ) from None
    reader = _Body(name)
    reader.read(document.element.body)
    if not reader.blocks:
        raise empty_document(name, "Word document")
    return to_source(name, reader.blocks, source_format="docx", encoding="utf-8")


class _Body:
    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.area = 0

    def read(self, body: Any) -> None:
        """The body's blocks in order, looking through content controls and custom XML."""
        stack = [iter(body)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == _P:
                for line in paragraph_lines(child):
                    self.paragraphs += 1
                    self.blocks.append(Paragraph(line, f"paragraph {self.paragraphs}"))
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag in _WRAPPERS:
                stack.append(iter(child))

    def table(self, tbl: Any) -> None:
        self.tables += 1
        grid: list[list[GridCell]] = []
        origins: list[str] = []
        for number, tr in enumerate(_children(tbl, _TR), 1):
            row: list[GridCell] = [""] * _val(tr, "trPr/gridBefore", 0)
            for tc in _children(tr, _TC):
                span = max(1, min(_val(tc, "tcPr/gridSpan", 1), 1000))
                if _continues(tc, "vMerge"):
                    row.extend([UP] * span)
                elif _continues(tc, "hMerge") and row:
                    row.extend([LEFT] * span)
                else:
                    row.append(join_wrapped(cell_lines(tc)))
                    row.extend([LEFT] * (span - 1))
            self.area += len(row)
            if self.area > MAX_GRID_CELLS:
                raise ReadError(f"{self.name}: the document's tables are too large to read")
            grid.append(row)
            origins.append(f"table {self.tables}, row {number}")
        self.blocks.append(Table(grid, origins))


def _children(element: Any, tag: str) -> list[Any]:
    """Children with this tag, looking through content controls and custom XML."""
    found = []
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == tag:
            found.append(child)
        elif child.tag in _WRAPPERS:
            stack.append(iter(child))
    return found


def _val(element: Any, path: str, default: int) -> int:
    """The integer ``w:val`` of a property (``tcPr/gridSpan``), or ``default``."""
    node = element.find("/".join(W + part for part in path.split("/")))
    if node is None:
        return default
    try:
        return int(node.get(W + "val", default))
    except ValueError:
        return default


def _continues(tc: Any, merge: str) -> bool:
    """True for a cell continuing a merge (``vMerge``/``hMerge`` without ``restart``)."""
    node = tc.find(f"{W}tcPr/{W}{merge}")
    return node is not None and node.get(W + "val", "continue") != "restart"


def paragraph_lines(p: Any) -> list[str]:
    """A paragraph's text, one entry per line (line breaks end lines; TABs become spaces)."""
    lines: list[str] = []
    current: list[str] = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        tag = node.tag
        if tag == W + "t":
            current.append(node.text or "")
        elif tag == W + "tab":
            current.append(" ")
        elif tag == W + "noBreakHyphen":
            current.append("-")
        elif node.get(W + "type") in (None, "textWrapping"):
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return [line for line in lines if line.strip()]


def cell_lines(tc: Any) -> list[str]:
    """A cell's text as its lines: each paragraph (nested tables' too) and each line break."""
    lines: list[str] = []
    for p in tc.iter(_P):
        lines.extend(paragraph_lines(p))
    return lines


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:160]
