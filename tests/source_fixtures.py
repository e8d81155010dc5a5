"""Documents in every format, written from the samples' own tables (for tests/test_sources.py).

A case is a run of lines of a sample text file (titles, then the tables as PDF-to-text printed
them). The lines become blocks: a text line is a paragraph, consecutive TAB lines a table. Each
table gets merged cells where a real file has them: a level label (一级/二级指标) or a first-column
cell over the empty cells below it (vertical), and in rows without level labels a cell over the
empty cells to its right (horizontal). Text that PDF-to-text broke with a space next to a Chinese
character is written wrapped (a line break inside the cell). Then each writer draws the blocks:
XLSX (openpyxl) and XLS (xlwt) with merged ranges and number formats, HTML with rowspan/colspan
and ``<br>``, DOCX (python-docx) with merged cells and one paragraph per wrapped part, and PDF
(reportlab with the WQY Zen Hei font) with ruling lines around each (merged) cell, text wrapped
to the cell's width, and tables running on over pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.extract.cells import clean
from graphbuild.extract.levels import split_weight, vocabulary

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
CASES = {
    # two Shanxi project tables (the second with the cells PDF-to-text shifted)
    "shanxi": ("000_5f54f51c5535db0d.txt", 510, 582),
    # the Henan consolidated project table (a row group per project, four blocks)
    "henan": ("004_5c2b6dad15e272f5.txt", 431, 500),
    # a final-accounts analysis report with its indicator table, then the self-evaluation table
    "final_accounts": ("002_c6a9cc9c84081a5e.txt", 818, 952),
}
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@dataclass
class Grid:
    """A table: its rows (padded to one width) and merged areas (r0, c0, r1, c1; 0-based)."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.rows[0])

    def anchors(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Every cell that is drawn: (row, col) -> (rowspan, colspan)."""
        covered = set()
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for r0, c0, r1, c1 in self.merges:
            spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
            covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        for r in range(len(self.rows)):
            for c in range(self.width):
                if (r, c) not in covered:
                    spans[(r, c)] = (1, 1)
        return dict(sorted(spans.items()))


Block = str | Grid


def key(target) -> tuple:
    """What the comparisons compare: a target's project, period, levels, name and value."""
    return (
        target.project,
        target.period,
        target.level1,
        target.level2,
        target.level3,
        target.value,
    )


def case_lines(case: str) -> list[str]:
    """The sample lines of a case."""
    name, first, last = CASES[case]
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    return lines[first - 1 : last]


def case_text(case: str) -> str:
    return "\n".join(case_lines(case)) + "\n"


def blocks(lines: list[str], span: int = 1) -> list[Block]:
    """Paragraphs and tables (with merges) of a run of text lines; the first ``span`` columns
    merge over the empty cells below them (a project's columns in a table of one row per
    indicator), like level labels."""
    found: list[Block] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            found.append(_grid(rows, span))
            rows = []
        if line.strip():
            found.append(line.strip())
    return found


def _is_label(text: str) -> bool:
    return bool(text) and bool(vocabulary().lookup(split_weight(clean(text))[0]))


def _grid(rows: list[list[str]], span: int = 1) -> Grid:
    width = max(len(row) for row in rows)
    rows = [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in rows]
    taken = [[False] * width for _ in rows]
    merges = []
    for c in range(width):  # vertical: labels and first-column cells over the empty cells below
        for r in range(len(rows)):
            if not rows[r][c] or taken[r][c] or not (c < span or _is_label(rows[r][c])):
                continue
            end = r
            while end + 1 < len(rows) and not rows[end + 1][c] and not taken[end + 1][c]:
                end += 1
            if end > r:
                merges.append((r, c, end, c))
                for k in range(r, end + 1):
                    taken[k][c] = True
    for r, row in enumerate(rows):  # horizontal, in rows of several cells without labels
        filled = [c for c in range(width) if row[c]]
        if len(filled) < 2 or any(_is_label(row[c]) for c in filled):
            continue
        for c in filled:
            if taken[r][c]:
                continue
            end = c
            while end + 1 < width and not row[end + 1] and not taken[r][end + 1]:
                end += 1
            if end > c:
                merges.append((r, c, r, end))
                for k in range(c, end + 1):
                    taken[r][k] = True
    return Grid(rows, merges)


_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》（）【】、，。：；？！"
_WRAP = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


def wrapped(text: str) -> list[str]:
    """The parts of a cell's text PDF-to-text had joined with a space next to a Chinese
    character (a line break inside the cell: such a space is layout, see ``cells.clean``)."""
    return [part for part in _WRAP.split(text) if part]


# ----------------------------------------------------------------------------- spreadsheets


def _typed(text: str) -> tuple[object, str | None]:
    """A cell's value as a spreadsheet would hold it, with its number format."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return int(text.replace(",", "")), "#,##0"
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text), "0." + "0" * len(text.split(".")[1])
    if re.fullmatch(r"\d+%", text):
        return int(text[:-1]) / 100, "0%"
    return "\n".join(wrapped(text)), None


def sheets(items: list[Block]) -> list[list[Block]]:
    """One sheet per table, with the paragraphs before it (the last one keeps those after)."""
    groups: list[list[Block]] = [[]]
    for item in items:
        if isinstance(groups[-1][-1:] and groups[-1][-1], Grid) and not isinstance(item, Grid):
            groups.append([])
        groups[-1].append(item)
    return groups


def write_xlsx(items: list[Block], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Side

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    for number, group in enumerate(sheets(items), 1):
        sheet = book.create_sheet(f"表{number}")
        width = max((g.width for g in group if isinstance(g, Grid)), default=1)
        row = 1
        for item in group:
            if isinstance(item, str):
                sheet.cell(row, 1, item)
                if width > 1 and any(isinstance(g, Grid) for g in group[group.index(item) :]):
                    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
                row += 1
                continue
            for (r, c), _ in item.anchors().items():
                text = item.rows[r][c]
                cell = sheet.cell(row + r, c + 1)
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                if text:
                    cell.value, fmt = _typed(text)
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # "=1人" is text, not a formula
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    if fmt:
                        cell.number_format = fmt
            for r0, c0, r1, c1 in item.merges:
                sheet.merge_cells(
                    start_row=row + r0, start_column=c0 + 1, end_row=row + r1, end_column=c1 + 1
                )
            row += len(item.rows)
    book.save(path)
    return path


def write_xls(items: list[Block], path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str | None, object] = {}

    def style(fmt: str | None) -> object:
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(
                "borders: left thin, right thin, top thin, bottom thin;",
                num_format_str=fmt or "General",
            )
        return styles[fmt]

    for number, group in enumerate(sheets(items), 1):
        sheet = book.add_sheet(f"表{number}")
        width = max((g.width for g in group if isinstance(g, Grid)), default=1)
        row = 0
        for item in group:
            if isinstance(item, str):
                if width > 1 and any(isinstance(g, Grid) for g in group[group.index(item) :]):
                    sheet.write_merge(row, row, 0, width - 1, item)
                else:
                    sheet.write(row, 0, item)
                row += 1
                continue
            merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in item.merges}
            for (r, c), _ in item.anchors().items():
                value, fmt = _typed(item.rows[r][c]) if item.rows[r][c] else ("", None)
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    sheet.write_merge(row + r, row + r1, c, c1, value, style(fmt))
                else:
                    sheet.write(row + r, c, value, style(fmt))
            row += len(item.rows)
    book.save(str(path))
    return path


# ----------------------------------------------------------------------------- HTML and Word


def write_html(items: list[Block], path: Path, encoding: str = "utf-8") -> Path:
    from html import escape

    charset = "gb2312" if encoding == "gb18030" else encoding
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>预算公开</title><style>td { border: 1px solid #000 }</style>",
        '<script>var t = "<table><tr><td>不是表格</td></tr></table>";</script></head>',
        '<body><div class="nav">首页 &gt; 预算公开</div><div class="content">',
    ]
    for item in items:
        if isinstance(item, str):
            out.append(f"<p>{escape(item)}</p>")
            continue
        out.append('<table border="1" cellspacing="0">')
        anchors = item.anchors()
        for r in range(len(item.rows)):
            cells = []
            for c in range(item.width):
                if (r, c) not in anchors:
                    continue
                rowspan, colspan = anchors[(r, c)]
                attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
                    f' colspan="{colspan}"' if colspan > 1 else ""
                )
                text = "<br>".join(escape(part) for part in wrapped(item.rows[r][c]))
                cells.append(f"<td{attrs}>{text}</td>")
            out.append("  <tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    out.append("</div><!-- 页脚 --></body></html>")
    path.write_bytes("\n".join(out).encode(encoding))
    return path


def write_docx(items: list[Block], path: Path) -> Path:
    import docx

    document = docx.Document()
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
            continue
        table = document.add_table(rows=len(item.rows), cols=item.width)
        table.style = "Table Grid"
        cells = [row.cells for row in table.rows]
        for r0, c0, r1, c1 in item.merges:
            cells[r0][c0].merge(cells[r1][c1])
        cells = [row.cells for row in table.rows]
        for (r, c), _ in item.anchors().items():
            parts = wrapped(item.rows[r][c])
            if not parts:
                continue
            cell = cells[r][c]
            cell.text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    document.save(str(path))
    return path


# ----------------------------------------------------------------------------- PDF

PAGE = (842.0, 595.0)  # A4 landscape
MARGIN = 36.0
TEXT_SIZE, TABLE_SIZE = 10.0, 7.0
PAD = 2.0


def register_font() -> None:
    """Make the CJK font known to reportlab as ``WQY`` (Debian's fonts-wqy-zenhei)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" in pdfmetrics.getRegisteredFontNames():
        return
    if not FONT.exists():
        raise RuntimeError(
            f"{FONT} is missing: the PDF tests draw Chinese text with it; install it with "
            "`apt-get install fonts-wqy-zenhei` (scripts/test.sh does, through scripts/browser.sh)"
        )
    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))


def write_pdf(items: list[Block], path: Path, *, sideways: bool = False) -> Path:
    """Paragraphs and ruled tables drawn with a CJK font; tables run on over pages. With
    ``sideways``, every landscape page is printed turned on a portrait page (text running
    bottom to top), as wide tables often are."""
    from reportlab.pdfgen import canvas

    register_font()
    pdf = canvas.Canvas(str(path), pagesize=PAGE[::-1] if sideways else PAGE)
    pdf.sideways = sideways
    _start(pdf)
    usable = PAGE[0] - 2 * MARGIN
    y = PAGE[1] - MARGIN
    for item in items:
        if isinstance(item, str):
            lines = _wrap([item], usable, TEXT_SIZE)
            if y - len(lines) * TEXT_SIZE * 1.4 < MARGIN:
                _next_page(pdf)
                y = PAGE[1] - MARGIN
            pdf.setFont("WQY", TEXT_SIZE)
            for line in lines:
                y -= TEXT_SIZE * 1.4
                pdf.drawString(MARGIN, y, line)
            y -= 6  # space after a paragraph
            continue
        y = _draw_table(pdf, item, y, usable) - 8
    pdf.save()
    return path


def _start(pdf) -> None:
    """Set up a new page: a landscape frame, turned a quarter on a portrait page if sideways."""
    if pdf.sideways:
        pdf.translate(PAGE[1], 0)
        pdf.rotate(90)


def _next_page(pdf) -> None:
    pdf.showPage()
    _start(pdf)


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, "WQY", size)


def _wrap(parts: list[str], room: float, size: float) -> list[str]:
    """Each part on its own line(s), broken where the next character would not fit."""
    lines: list[str] = []
    for part in parts:
        line = ""
        for char in part:
            if line and _width(line + char, size) > room:
                lines.append(line)
                line = ""
            line += char
        if line:
            lines.append(line)
    return lines


def _draw_table(pdf, grid: Grid, y: float, usable: float) -> float:
    """Draw a table from ``y`` down, on as many pages as it needs; the ``y`` below it."""
    anchors = grid.anchors()
    natural = [20.0] * grid.width
    for (r, c), (_, colspan) in anchors.items():
        if colspan == 1:
            longest = max((_width(p, TABLE_SIZE) for p in wrapped(grid.rows[r][c])), default=0)
            natural[c] = max(natural[c], min(longest + 2 * PAD + 1, 150.0))
    scale = min(1.0, usable / sum(natural))
    cols = [w * scale for w in natural]
    lefts = [MARGIN + sum(cols[:c]) for c in range(grid.width)]
    leading = TABLE_SIZE * 1.25
    texts: dict[tuple[int, int], list[str]] = {}
    heights = [leading + 2 * PAD] * len(grid.rows)
    for (r, c), (rowspan, colspan) in anchors.items():
        room = sum(cols[c : c + colspan]) - 2 * PAD - 1
        texts[(r, c)] = _wrap(wrapped(grid.rows[r][c]), room, TABLE_SIZE)
        if rowspan == 1:
            heights[r] = max(heights[r], len(texts[(r, c)]) * leading + 2 * PAD)
    for (r, c), (rowspan, _) in anchors.items():
        need = len(texts[(r, c)]) * leading + 2 * PAD
        if rowspan > 1 and sum(heights[r : r + rowspan]) < need:
            heights[r + rowspan - 1] += need - sum(heights[r : r + rowspan])
    placed: list[tuple[int, float]] = []  # (page, top) of each row
    page = 0
    for height in heights:
        if y - height < MARGIN and placed and placed[-1][0] == page:
            page, y = page + 1, PAGE[1] - MARGIN
        placed.append((page, y))
        y -= height
    for current in range(page + 1):
        if current:
            _next_page(pdf)
        rows = [r for r, (p, _) in enumerate(placed) if p == current]
        first, last = rows[0], rows[-1]
        pdf.setFont("WQY", TABLE_SIZE)
        pdf.setLineWidth(0.5)
        for (r, c), (rowspan, colspan) in anchors.items():
            top_row, bottom_row = max(r, first), min(r + rowspan - 1, last)
            if top_row > bottom_row:
                continue
            top = placed[top_row][1]
            bottom = placed[bottom_row][1] - heights[bottom_row]
            left, right = lefts[c], lefts[c] + sum(cols[c : c + colspan])
            pdf.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
            if top_row == r:
                for index, line in enumerate(texts[(r, c)]):
                    pdf.drawString(left + PAD, top - PAD - TABLE_SIZE - index * leading, line)
    return y


# ----------------------------------------------------------------------------- a clean layout


def clean_shanxi(extraction, count: int) -> list[Block]:
    """Shanxi project tables as a department's own workbook lays them out, rebuilt from the
    records of the text: every label in its column, on the first row of its merged span."""
    items: list[Block] = []
    for project in extraction.projects[:count]:
        targets = [t for t in extraction.targets if t.project_line == project.line]
        halves = [
            [t for t in targets if t.period == "implementation"],
            [t for t in targets if t.period == "annual"],
        ]
        rows = [
            ["项目名称", "", project.project, "", "", "", "", ""],
            ["主管部门及代码", "", f"{project.department_code}-{project.department}", "",
             "实施单位", project.implementing_unit or "", "", ""],
            ["项目资金(元)", "实施期资金总额:", f"{project.total_funds_yuan or 0:,.0f}", "",
             "年度资金总额:", f"{project.annual_funds_yuan or 0:,.0f}", "", ""],
            ["实施期目标", "", "", "", "", "年度目标", "", ""],
            ["总体目标", project.goal_implementation or "", "", "", "",
             project.goal_annual or "", "", ""],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
        ]  # fmt: skip
        merges = [(0, 0, 0, 1), (0, 2, 0, 7), (1, 0, 1, 1), (1, 2, 1, 3), (1, 5, 1, 7),
                  (2, 5, 2, 7), (3, 0, 3, 4), (3, 5, 3, 7), (4, 1, 4, 4), (4, 5, 4, 7)]  # fmt: skip
        first = len(rows)
        for i in range(max(map(len, halves))):
            left = halves[0][i] if i < len(halves[0]) else None
            right = halves[1][i] if i < len(halves[1]) else None
            rows.append(
                [""]
                + (
                    [left.level1 or "", left.level2 or "", left.level3, left.value]
                    if left
                    else [""] * 4
                )
                + ([right.level2 or "", right.level3, right.value] if right else [""] * 3)
            )
        rows.append(["负责人:", "", "", "联系电话:", "", "填报日期:", "", ""])
        last = len(rows) - 2
        merges.append((first - 1, 0, last, 0))
        for col, parent in ((1, None), (2, 1), (5, None)):  # equal labels below: one merged cell
            r = first
            while r <= last:
                end = r
                while (
                    rows[r][col]
                    and end < last
                    and rows[end + 1][col] == rows[r][col]
                    and (parent is None or rows[end + 1][parent] in ("", rows[r][parent]))
                ):
                    end += 1
                for k in range(r + 1, end + 1):
                    rows[k][col] = ""
                if end > r:
                    merges.append((r, col, end, col))
                r = end + 1
        items += [
            "侯马经济开发区预算部门（单位）项目支出绩效目标表",
            "(2024年度)",
            Grid(rows, merges),
        ]
    return items
