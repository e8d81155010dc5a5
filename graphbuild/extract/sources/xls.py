"""Excel 97-2003 workbooks (.xls): every sheet, in workbook order, as paragraphs and tables.

Read with xlrd (with formatting information, for merged areas and number formats). The layout
rules are those of every workbook (:mod:`graphbuild.extract.sources.sheets`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from graphbuild.extract.read import ReadError, SourceText
from graphbuild.extract.sources.layout import Block, empty_document, to_source
from graphbuild.extract.sources.sheets import Merge, display, sheet_blocks


def read_xls(data: bytes, name: str) -> SourceText:
    """The lines of an .xls workbook (``ReadError`` if it cannot be read)."""
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            ragged_rows=True,
            logfile=_Silent(),
        )
    except Exception as error:  # noqa: BLE001 - xlrd raises many kinds for damaged files
        raise ReadError(_message(name, error)) from None
    blocks: list[Block] = []
    try:
        for sheet in book.sheets():
            merges: list[Merge] = [
                (r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells
            ]
            bordered: set[tuple[int, int]] = set()
            rows = list(_rows(book, sheet, bordered))
            blocks.extend(sheet_blocks(sheet.name, rows, merges, bordered, name))
    except ReadError:
        raise
    except Exception as error:  # noqa: BLE001
        raise ReadError(_message(name, error)) from None
    finally:
        book.release_resources()
    if not blocks:
        raise empty_document(name, "workbook")
    return to_source(name, blocks, source_format="xls", encoding=book.encoding or "utf-16-le")


def _rows(
    book: Any, sheet: Any, bordered: set[tuple[int, int]]
) -> Iterator[tuple[int, dict[int, str]]]:
    import xlrd

    for row in range(sheet.nrows):
        texts: dict[int, str] = {}
        for col in range(sheet.row_len(row)):
            kind = sheet.cell_type(row, col)
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            value: object = sheet.cell_value(row, col)
            if kind == xlrd.XL_CELL_DATE:
                with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#ERROR")
            xf = _xf(book, sheet, row, col)
            text = display(value, _format(book, xf))
            if text:
                texts[col + 1] = text
                if _has_border(xf):
                    bordered.add((row + 1, col + 1))
        yield row + 1, texts


def _xf(book: Any, sheet: Any, row: int, col: int) -> Any:
    try:
        return book.xf_list[sheet.cell_xf_index(row, col)]
    except (IndexError, AttributeError):
        return None


def _format(book: Any, xf: Any) -> str:
    try:
        return book.format_map[xf.format_key].format_str
    except (KeyError, AttributeError):
        return "General"


def _has_border(xf: Any) -> bool:
    border = getattr(xf, "border", None)
    if border is None:
        return False
    sides = ("left_line_style", "right_line_style", "top_line_style", "bottom_line_style")
    return any(getattr(border, side, 0) for side in sides)


def _message(name: str, error: Exception) -> str:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:160]
    if "encrypted" in reason.lower():
        return f"{name}: the Excel workbook is password-protected; remove the password and save it again"
    return (
        f"{name}: a damaged Excel 97-2003 workbook or another Office 97-2003 file ({reason}); "
        "open it in Excel or LibreOffice and save it again (as .xlsx)"
    )


class _Silent:
    """Where xlrd writes its warnings: nowhere."""

    def write(self, text: str) -> int:
        return len(text)
