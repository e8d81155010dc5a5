"""PDF files with a text layer: ruled tables as grids, the rest as text lines, page by page.

pdfplumber (on pdfminer.six) gives each page's characters with their positions and its ruling
lines. On every page:

- tables are found from the ruling lines (pdfplumber's ``lines`` strategy: cells are the
  rectangles the lines enclose, a merged cell is one rectangle over several grid positions);
  the grid's rows and columns are the cells' distinct top and left edges, each cell printed at
  its top-left position and the positions it covers left empty; a cell's characters are read
  line by line and the lines joined (text wrapped inside a cell, a number broken over two lines);
  a lone framed box (one cell) is text, not a table;
- characters outside tables are text lines, paragraphs and tables without ruling lines
  (:mod:`graphbuild.extract.sources.pdf_text`);
- tables and text are put in order of their position on the page; pages follow each other.

A page whose text is printed sideways (a wide table turned on a portrait page) is read
turned, so that its text runs left to right. Characters drawn twice (fake bold) are read once.
A PDF without any text (a scan) is refused with a ``ReadError`` saying it needs OCR; scanned
pages inside a PDF with text are reported as notes. Pages are read and released one at a time.
pdfminer reads around damaged streams the way PDF viewers do, so a damaged PDF may be read
without the damaged part (and without a note); one it cannot open is a ``ReadError``.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphbuild.extract.read import ReadError, SourceText
from graphbuild.extract.sources.layout import (
    LEFT,
    UP,
    Block,
    GridCell,
    Table,
    cell_text,
    to_source,
)
from graphbuild.extract.sources.pdf_text import text_blocks, text_lines

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
OCR_HINT = "run OCR first (e.g. ocrmypdf -l chi_sim in.pdf out.pdf) and extract the result"


def read_pdf(data: bytes, name: str) -> SourceText:
    """The lines of a PDF with a text layer (``ReadError`` if it has none or cannot be read)."""
    with _quiet("pdfminer", "pdfplumber"):
        return _read_pdf(data, name)


@contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Silence the libraries' warnings about damaged content, which would otherwise print on
    the user's terminal in the middle of the command's output."""
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in loggers]
    for logger, _ in saved:
        logger.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _read_pdf(data: bytes, name: str) -> SourceText:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds for damaged files
        raise ReadError(_open_error(name, error)) from None
    blocks: list[Block] = []
    notes: list[str] = []
    chars = unmapped = 0
    scanned: list[int] = []
    with pdf:
        for number, page in enumerate(pages, 1):
            try:
                page_chars, page_unmapped, has_images, page_blocks = _page(page, number)
            except ReadError:
                raise
            except Exception as error:  # noqa: BLE001
                raise ReadError(
                    f"{name}: page {number} of the PDF cannot be read ({_reason(error)}); "
                    "open it in a PDF reader and save or print it to a new PDF"
                ) from None
            finally:
                page.close()
            chars += page_chars
            unmapped += page_unmapped
            if not page_chars and has_images:
                scanned.append(number)
            blocks.extend(page_blocks)
    if chars == 0:
        if scanned:
            raise ReadError(
                f"{name}: a scanned PDF (page images without a text layer); it needs OCR: "
                f"{OCR_HINT}"
            )
        raise ReadError(f"{name}: the PDF holds no text; nothing to extract")
    if unmapped > chars // 2:
        raise ReadError(
            f"{name}: the PDF's fonts do not say which characters they draw, so its text "
            f"cannot be read; it needs OCR: {OCR_HINT}"
        )
    if scanned:
        pages_text = ", ".join(map(str, scanned[:20])) + (" …" if len(scanned) > 20 else "")
        notes.append(
            f"page(s) {pages_text} have no text layer (scanned?) and were not read; {OCR_HINT}"
        )
    return to_source(name, blocks, source_format="pdf", encoding="pdf text layer", notes=notes)


def _page(page: Any, number: int) -> tuple[int, int, bool, list[Block]]:
    """Characters, unmapped characters, whether the page has images, and its blocks."""
    chars = _unique(page.chars)
    if not chars:
        return 0, 0, bool(page.images), []
    unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
    turn = _Turn(_orientation(chars), page.width, page.height)
    chars = [turn.char(c) for c in chars] if turn.angle else chars
    items: list[tuple[float, Block]] = []
    taken: set[int] = set()
    tables = [
        [turn.box(cell) for cell in t.cells]
        for t in page.find_tables(TABLE_SETTINGS)
        if len(t.cells) > 1
    ]
    tables.sort(key=lambda cells: (min(c[1] for c in cells), min(c[0] for c in cells)))
    for index, cells in enumerate(tables, 1):
        grid, used = _grid(cells, chars, f"page {number}, table {index}")
        taken.update(used)
        items.append((min(c[1] for c in cells), grid))
    rest = [c for i, c in enumerate(chars) if i not in taken]
    items.extend(text_blocks(text_lines(rest), number))
    items.sort(key=lambda item: item[0])
    return len(chars), unmapped, bool(page.images), [block for _, block in items]


def _unique(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters, each drawn once: a glyph drawn again within a point of itself, as fake
    bold text is, counts once (linear: a glyph is compared with the last few of the same text
    near the same height)."""
    seen: dict[tuple[str, int], list[tuple[float, float]]] = {}
    unique = []
    for char in chars:
        text = char.get("text")
        if not text:
            continue
        x0, top = char["x0"], char["top"]
        bucket = int(top)
        if any(
            abs(x0 - x) <= 1 and abs(top - y) <= 1
            for near in (bucket - 1, bucket, bucket + 1)
            for x, y in seen.get((text, near), ())[-8:]  # the last few: bounded work
        ):
            continue
        seen.setdefault((text, bucket), []).append((x0, top))
        unique.append(char)
    return unique


def _orientation(chars: list[dict[str, Any]]) -> int:
    """Which way most of the page's text runs: 0 (left to right), 90 (bottom to top: a wide
    table printed sideways on a portrait page), 270 (top to bottom) or 180."""
    counts = {0: 0, 90: 0, 180: 0, 270: 0}
    for char in chars:
        a, b = char.get("matrix", (1, 0))[:2]
        if abs(b) > abs(a):
            counts[90 if b > 0 else 270] += 1
        else:
            counts[0 if a >= 0 else 180] += 1
    return max(counts, key=lambda angle: counts[angle])


class _Turn:
    """Turns positions on a page so that text printed sideways reads left to right."""

    def __init__(self, angle: int, width: float, height: float) -> None:
        self.angle = angle if angle in (90, 270) else 0  # upside-down pages are left as they are
        self.width, self.height = width, height

    def box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A (x0, top, x1, bottom) box in the turned page."""
        x0, top, x1, bottom = box
        if self.angle == 90:  # turn the page clockwise: (x, y) -> (height - y, x)
            return (self.height - bottom, x0, self.height - top, x1)
        if self.angle == 270:  # anticlockwise: (x, y) -> (y, width - x)
            return (top, self.width - x1, bottom, self.width - x0)
        return box

    def char(self, char: dict[str, Any]) -> dict[str, Any]:
        """A character placed in the turned page, upright."""
        x0, top, x1, bottom = self.box((char["x0"], char["top"], char["x1"], char["bottom"]))
        return {**char, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "upright": True,
                "doctop": top, "width": x1 - x0, "height": bottom - top}  # fmt: skip


def _grid(
    cells: list[tuple[float, float, float, float]], chars: list[dict[str, Any]], where: str
) -> tuple[Table, set[int]]:
    """A ruled table (its cells' boxes) as a grid, and the indexes of the characters read into
    its cells."""
    from pdfplumber.utils import extract_text

    cells = sorted(set(cells), key=lambda c: (c[1], c[0]))
    tops = sorted({c[1] for c in cells})
    lefts = sorted({c[0] for c in cells})
    grid: list[list[GridCell]] = [[""] * len(lefts) for _ in tops]
    slots: dict[tuple[int, int], int] = {}
    anchors: list[tuple[int, int]] = []
    row_of = {top: r for r, top in enumerate(tops)}
    col_of = {left: c for c, left in enumerate(lefts)}
    for index, (x0, top, x1, bottom) in enumerate(cells):
        r0, c0 = row_of[top], col_of[x0]
        r1 = bisect_right(tops, bottom - 0.01) - 1
        c1 = bisect_right(lefts, x1 - 0.01) - 1
        anchors.append((r0, c0))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) in slots:
                    continue
                slots[(r, c)] = index
                if (r, c) != (r0, c0):
                    grid[r][c] = LEFT if r == r0 else UP
    contents: list[list[dict[str, Any]]] = [[] for _ in cells]
    used: set[int] = set()
    x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
    x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    for position, char in enumerate(chars):
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (x0 <= cx < x1 and top <= cy < bottom):
            continue
        slot = slots.get((bisect_right(tops, cy) - 1, bisect_right(lefts, cx) - 1))
        if slot is None:
            continue
        cx0, ctop, cx1, cbottom = cells[slot]
        if cx0 <= cx < cx1 and ctop <= cy < cbottom:
            contents[slot].append(char)
            used.add(position)
    for index, (r0, c0) in enumerate(anchors):
        if contents[index]:
            grid[r0][c0] = cell_text(extract_text(contents[index]))
    return Table(grid, [f"{where}, row {r + 1}" for r in range(len(tops))]), used


def _open_error(name: str, error: Exception) -> str:
    wrapped = [error, *[a for a in error.args if isinstance(a, BaseException)]]
    kinds = {type(e).__name__ for e in wrapped}
    text = _reason(wrapped[-1])
    if kinds & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"} or (
        "password" in text.lower() or "encrypt" in text.lower()
    ):
        return (
            f"{name}: the PDF is password-protected; remove the password (e.g. qpdf --decrypt "
            "--password=… in.pdf out.pdf) and extract the new file"
        )
    return (
        f"{name}: a damaged PDF ({text}); open it in a PDF reader and save or print it to a new PDF"
    )


def _reason(error: Exception) -> str:
    cause = error.__cause__ or error.__context__
    text = str(error).strip() or (str(cause).strip() if cause else "") or type(error).__name__
    return text.splitlines()[0][:160]
