"""How each reader prints what it reads: merged cells, titles and notes, number formats,
tables without ruling lines, sideways pages, fake bold, encodings, and the limits that keep the
cost linear (the comparison of records across formats is in tests/test_sources.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphbuild.extract import extract_text
from graphbuild.extract.read import ReadError, SourceText, read_document, split_lines
from tests import source_fixtures as fx
from tests.source_fixtures import key

# ----------------------------------------------------------------------------- merged cells


def lines_of(source: SourceText) -> list[str]:
    return [line.text for line in source.lines if line.text]


def test_html_spans_print_as_pdf_to_text_prints_them(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><body><h1>项目支出绩效目标表</h1><table>"
        "<caption>(2024年度)</caption>"
        '<tr><td colspan="4">标题行横跨整表</td></tr>'
        "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>"
        '<tr><td rowspan="3">产出<br/>指标</td><td rowspan="2">数量指标</td><td>台数</td>'
        "<td>≥1<br>台</td></tr>"
        "<tr><td>人数</td><td>5人</td></tr>"
        '<tr><td colspan="2">质量合格率</td><td>100%</td></tr>'
        '<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>满意度</td><td rowspan="0">≥95%</td></tr>'
        "<tr><td colspan='2'>填报人：</td><td>张三</td></tr>"
        "</table><p>注：<span>单位</span>为元</p><script>document.write('<p>x</p>')</script>"
        '<div style="display: none">隐藏</div></body></html>',
        encoding="utf-8",
    )
    source = read_document(page)
    assert lines_of(source) == [
        "项目支出绩效目标表",
        "(2024年度)",
        "标题行横跨整表",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t台数\t≥1台",
        "\t\t人数\t5人",
        "\t质量合格率\t\t100%",
        "满意度指标\t服务对象满意度指标\t满意度\t≥95%",
        "填报人：\t\t张三\t",
        "注：单位为元",
    ]
    rows = [line for line in source.lines if "\t" in line.text]
    assert rows[1].origin == "table 1, row 3"


def test_word_grid_spans_and_vertical_merges(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("项目支出绩效目标表")
    table = document.add_table(rows=4, cols=4)
    cells = [row.cells for row in table.rows]
    cells[0][0].merge(cells[0][3]).text = "标题行横跨整表"
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", "指标值"]):
        cells[1][col].text = text
    merged = cells[2][0].merge(cells[3][0])
    merged.text = "产出指标"
    merged.add_paragraph("（共两行）")
    cells[2][1].text, cells[2][2].text, cells[2][3].text = "数量指标", "台数", "1台"
    cells[3][2].text, cells[3][3].text = "人数", "5人"
    row = table.rows[3]._tr  # the last row starts one grid column in (w:gridBefore)
    row.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    row.remove(row.tc_lst[0])
    path = tmp_path / "w.docx"
    document.save(str(path))
    assert lines_of(read_document(path)) == [
        "项目支出绩效目标表",
        "标题行横跨整表",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标（共两行）\t数量指标\t台数\t1台",
        "\t\t人数\t5人",
    ]


def test_sheet_titles_notes_and_number_formats(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "项目绩效目标表"
    line = Side(style="thin")
    sheet["B1"] = "部门整体支出绩效目标表"
    sheet.merge_cells("B1:E1")
    sheet["B2"] = "单位：万元"  # unmerged, no border: a text line
    for row, values in enumerate(
        [
            ["一级指标", "三级指标", "指标值", "金额"],
            ["产出指标", "完成率", 0.95, 1234567],
            [None, "工期", None, 45657],
            ["效益指标", None, None, None],  # one cell with text, bordered: a table row
        ],
        start=3,
    ):
        for col, value in enumerate(values, start=2):
            cell = sheet.cell(row, col, value)
            cell.border = Border(left=line, right=line, top=line, bottom=line)
    sheet["D4"].number_format = "0%"
    sheet["E4"].number_format = '#,##0.00"元"'
    sheet["E5"].number_format = 'yyyy"年"m"月"d"日"'
    sheet.merge_cells("B4:B5")
    sheet["B8"] = "注：本表为测试"
    path = tmp_path / "book.xlsx"
    book.save(path)
    source = read_document(path)
    assert lines_of(source) == [
        "部门整体支出绩效目标表",
        "单位：万元",
        "一级指标\t三级指标\t指标值\t金额",
        "产出指标\t完成率\t95%\t1,234,567.00元",
        "\t工期\t\t2024年12月31日",
        "效益指标\t\t\t",
        "注：本表为测试",
    ]
    header = next(line for line in source.lines if line.is_row)
    assert header.origin == "sheet 项目绩效目标表, row 3"


def test_a_pdf_without_ruling_lines_gives_rows_and_paragraphs(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    fx.register_font()
    path = tmp_path / "plain.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("WQY", 10)
    text = "为加强预算绩效管理，提高财政资金使用效益，" * 3
    first, second = text[:50], text[50:]
    pdf.drawString(40, 800, "一、部门职责")
    pdf.drawString(40, 780, first)  # a paragraph wrapped over two lines
    pdf.drawString(40, 766, second)
    for y, row in (
        (700, ("一级指标", "三级指标", "指标值")),
        (686, ("产出指标", "", "≥95%")),
        (672, ("", "完成时间", "2024年12月")),
    ):
        for x, cell in zip((40, 200, 400), row, strict=True):
            pdf.drawString(x, y, cell)
    pdf.drawString(280, 30, "- 3 -")
    pdf.save()
    source = read_document(path)
    assert lines_of(source) == [
        "一、部门职责",
        first + second,
        "一级指标\t三级指标\t指标值",
        "产出指标\t\t≥95%",
        "\t完成时间\t2024年12月",
        "- 3 -",
    ]
    assert source.lines[0].origin == "page 1, line 1"


def test_a_table_printed_sideways_reads_as_if_turned(tmp_path: Path) -> None:
    """A wide table turned a quarter on portrait pages (text running bottom to top)."""
    items = fx.blocks(fx.case_lines("henan"))
    path = fx.write_pdf(items, tmp_path / "sideways.pdf", sideways=True)
    source = read_document(path)
    landscape = read_document(fx.write_pdf(items, tmp_path / "landscape.pdf"))
    assert [line.text for line in source.lines] == [line.text for line in landscape.lines]
    expected = extract_text(SourceText("t.txt", "utf-8", split_lines(fx.case_text("henan"))))
    assert [key(t) for t in extract_text(source).targets] == [key(t) for t in expected.targets]


def test_fake_bold_is_read_once_and_a_scanned_page_is_a_note(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    fx.register_font()
    path = tmp_path / "bold.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont("WQY", 12)
    for offset in (0, 0.3, 0.6):  # bold drawn as the same text three times, shifted
        pdf.drawString(40 + offset, 800, "项目支出绩效目标表")
    pdf.showPage()
    pdf.drawImage(ImageReader(Image.new("RGB", (60, 30), "gray")), 40, 700, 300, 150)
    pdf.showPage()
    pdf.save()
    source = read_document(path)
    assert lines_of(source) == ["项目支出绩效目标表"]
    assert source.notes == [
        "page(s) 2 have no text layer (scanned?) and were not read; run OCR first "
        "(e.g. ocrmypdf -l chi_sim in.pdf out.pdf) and extract the result"
    ]
    extraction = extract_text(source)
    assert any(d.reason == source.notes[0] and d.line is None for d in extraction.diagnostics)


# ----------------------------------------------------------------------------- limits


def test_huge_spans_cost_what_the_file_holds(tmp_path: Path) -> None:
    """Spans are clipped (a row is read up to 256 cells, a rowspan to the table's end) and the
    cells they cover are counted: a small page declaring a quadratic grid is refused quickly."""
    wide = tmp_path / "wide.html"
    wide.write_text("<table>" + '<tr><td colspan="1000">x</td></tr>' * 2000 + "</table>")
    start = time.perf_counter()
    source = read_document(wide)
    assert time.perf_counter() - start < 5
    assert len(source.lines) == 2000 and all(line.text == "x" for line in source.lines)
    tall = tmp_path / "tall.html"
    tall.write_text("<table>" + '<tr><td colspan="1000" rowspan="65534">x</td></tr>' * 2000)
    start = time.perf_counter()
    with pytest.raises(ReadError, match=r"^tall.html: the page's tables span more cells"):
        read_document(tall)
    assert time.perf_counter() - start < 5


def test_a_workbook_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphbuild.extract.sources as sources

    book = fx.write_xlsx(fx.blocks(fx.case_lines("henan")), tmp_path / "book.xlsx")
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ReadError, match=r"unpacks to \d+ MB, over the 0 MB limit"):
        read_document(book)


def test_a_far_away_cell_does_not_make_every_row_wide(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "一级指标", "指标值"
    sheet["XFD50000"] = "stray"
    path = tmp_path / "stray.xlsx"
    book.save(path)
    rows = [line.cells for line in read_document(path).lines if line.is_row]
    assert rows == [["一级指标", "指标值", ""]]


def test_a_web_page_declared_utf8_but_written_in_gbk_is_read(tmp_path: Path) -> None:
    page = tmp_path / "mislabelled.html"
    page.write_bytes(
        '<html><head><meta charset="utf-8"></head><body><p>部门预算项目绩效目标表</p>'
        "<p>一级指标与二级指标</p></body></html>".encode("gb18030")
    )
    source = read_document(page)
    assert source.encoding == "gb18030"
    assert lines_of(source) == ["部门预算项目绩效目标表", "一级指标与二级指标"]
    broken = tmp_path / "broken.html"  # a UTF-8 page with one broken byte stays UTF-8
    text = '<meta charset="utf-8"><p>部门预算项目绩效目标表</p><p>完成</p>'.encode()
    broken.write_bytes(text.replace("完".encode(), "完".encode()[:2]))
    source = read_document(broken)
    assert source.encoding == "utf-8 (with invalid bytes replaced)"
    assert lines_of(source)[0] == "部门预算项目绩效目标表"
