"""Excel workbooks (.xlsx, .xlsm): every sheet, in workbook order, as paragraphs and tables.

Read with openpyxl in read-only mode, one row at a time: the sheet's XML is streamed and only
the cells it holds are kept, so a sheet that declares a huge range costs what it holds. Cached
formula results are read (not formulas); numbers are shown with their number format (``95%``,
``120,000``). Merged areas and the rules that make titles text lines are in
:mod:`graphbuild.extract.sources.sheets`.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from typing import Any

from graphbuild.extract.read import ReadError, SourceText
from graphbuild.extract.sources.layout import Block, empty_document, to_source
from graphbuild.extract.sources.sheets import Merge, display, sheet_blocks


def read_xlsx(data: bytes, name: str) -> SourceText:
    """The lines of an .xlsx workbook (``ReadError`` if it cannot be read)."""
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    blocks: list[Block] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
        try:
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
        except Exception as error:  # noqa: BLE001 - damaged parts surface as many types
            raise ReadError(_damaged(name, error)) from None
        try:
            for sheet in book.worksheets:
                rows, refs, bordered = _sheet(book, sheet)
                merges = _merges(refs, range_boundaries)
                blocks.extend(sheet_blocks(sheet.title, rows, merges, bordered, name))
        except ReadError:
            raise
        except Exception as error:  # noqa: BLE001
            raise ReadError(_damaged(name, error)) from None
        finally:
            book.close()
    if not blocks:
        raise empty_document(name, "workbook")
    return to_source(name, blocks, source_format="xlsx", encoding="utf-8")


def _sheet(
    book: Any, sheet: Any
) -> tuple[list[tuple[int, dict[int, str]]], list[str], set[tuple[int, int]]]:
    """The sheet's rows (cells as shown), its merged ranges and the cells with text that have
    a border, from one pass over its XML."""
    from openpyxl.worksheet._reader import WorkSheetParser

    styles = _Styles(book)
    bordered: set[tuple[int, int]] = set()
    with book._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            book.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        rows = list(_rows(parser.parse(), styles, bordered))
        merged = parser.merged_cells
    refs = [str(cell.ref) for cell in merged.mergeCell] if merged is not None else []
    return rows, refs, bordered


def _rows(
    parsed: Iterator[tuple[int, list[dict[str, Any]]]],
    styles: _Styles,
    bordered: set[tuple[int, int]],
) -> Iterator[tuple[int, dict[int, str]]]:
    for number, cells in parsed:
        texts: dict[int, str] = {}
        for cell in cells:
            value = cell["value"]
            if value is None or value == "":
                continue
            text = display(value, styles.number_format(cell["style_id"]))
            if text:
                texts[cell["column"]] = text
                if styles.has_border(cell["style_id"]):
                    bordered.add((number, cell["column"]))
        yield number, texts


def _merges(refs: list[str], boundaries: Any) -> list[Merge]:
    """Merged ranges ("A1:H1") as (first row, first column, last row, last column)."""
    merges: list[Merge] = []
    for ref in refs:
        try:
            c0, r0, c1, r1 = boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None not in (c0, r0, c1, r1):
            merges.append((r0, c0, r1, c1))
    return merges


class _Styles:
    """Number formats (the workbook's own, or Excel's built-in ones) and borders by style id.

    openpyxl's read-only mode keeps the workbook's style tables on the workbook object
    (``_cell_styles``, ``_number_formats``, ``_borders``); a workbook without them reads as
    unformatted and without borders.
    """

    def __init__(self, book: Any) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

        self.styles = getattr(book, "_cell_styles", [])
        self.custom = getattr(book, "_number_formats", [])
        self.borders = getattr(book, "_borders", [])
        self.builtin = BUILTIN_FORMATS
        self.limit = BUILTIN_FORMATS_MAX_SIZE
        self._bordered: dict[int, bool] = {}

    def has_border(self, style_id: int | None) -> bool:
        key = style_id or 0
        if key not in self._bordered:
            try:
                border = self.borders[self.styles[key].borderId]
                sides = (border.left, border.right, border.top, border.bottom)
                self._bordered[key] = any(side is not None and side.style for side in sides)
            except (IndexError, AttributeError, TypeError):
                self._bordered[key] = False
        return self._bordered[key]

    def number_format(self, style_id: int | None) -> str:
        try:
            number = self.styles[style_id or 0].numFmtId
            if number < self.limit:
                return self.builtin.get(number, "General")
            return self.custom[number - self.limit]
        except (IndexError, AttributeError, TypeError):
            return "General"


def _damaged(name: str, error: Exception) -> str:
    return (
        f"{name}: a damaged Excel workbook ({_reason(error)}); open it in Excel or LibreOffice "
        "and save it again"
    )


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:160]
