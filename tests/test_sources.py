"""PDF, Excel, HTML and Word documents read into the line model the parsers read unchanged.

The documents are written here from the samples' own tables (tests/source_fixtures.py): for a
Shanxi document with two project tables, the Henan consolidated project table and a
final-accounts report with its indicator table, the targets extracted from every format equal
those extracted from the text.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from graphbuild.extract import extract_file, extract_text
from graphbuild.extract.read import ReadError, SourceText, read_document, split_lines
from tests import source_fixtures as fx
from tests.source_fixtures import key

WRITERS = {
    "xlsx": fx.write_xlsx,
    "xls": fx.write_xls,
    "html": fx.write_html,
    "docx": fx.write_docx,
    "pdf": fx.write_pdf,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every case in every format, and in text."""
    folder = tmp_path_factory.mktemp("sources")
    files: dict[tuple[str, str], Path] = {}
    for case in fx.CASES:
        text = folder / f"{case}.txt"
        text.write_text(fx.case_text(case), encoding="utf-8")
        files[(case, "text")] = text
        items = fx.blocks(fx.case_lines(case))
        for fmt, writer in WRITERS.items():
            files[(case, fmt)] = writer(items, folder / f"{case}.{fmt}")
    return files


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("case", list(fx.CASES))
def test_every_format_gives_the_targets_of_the_text(
    written: dict[tuple[str, str], Path], case: str, fmt: str
) -> None:
    expected = extract_file(written[(case, "text")])
    start = time.perf_counter()
    got = extract_file(written[(case, fmt)])
    assert time.perf_counter() - start < 5
    assert got.document.source_format == fmt
    assert expected.targets, case
    assert [key(t) for t in got.targets] == [key(t) for t in expected.targets]
    assert [p.project for p in got.projects] == [p.project for p in expected.projects]
    assert [(t.number, t.unit, t.kind) for t in got.targets] == [
        (t.number, t.unit, t.kind) for t in expected.targets
    ]
    assert all(t.origin for t in got.targets) and all(p.origin for p in got.projects)


def test_the_fixtures_have_merged_cells_and_wrapped_text() -> None:
    """The comparison above means something: the tables carry merges and wrapped cells."""
    for case in fx.CASES:
        grids = [b for b in fx.blocks(fx.case_lines(case)) if isinstance(b, fx.Grid)]
        merges = [m for g in grids for m in g.merges]
        assert any(r1 > r0 for r0, _, r1, _ in merges), case  # vertical spans
        assert any(c1 > c0 for _, c0, _, c1 in merges), case  # horizontal spans
        assert any(len(fx.wrapped(cell)) > 1 for g in grids for row in g.rows for cell in row)


def test_text_files_keep_their_lines_and_no_origin(written: dict[tuple[str, str], Path]) -> None:
    extraction = extract_file(written[("shanxi", "text")])
    assert extraction.document.source_format == "text"
    assert all(t.origin is None for t in extraction.targets)
    assert all(d.origin is None for d in extraction.diagnostics)


# ----------------------------------------------------------------------------- provenance


def test_a_pdf_target_carries_its_page_table_and_row(written: dict[tuple[str, str], Path]) -> None:
    path = written[("shanxi", "pdf")]
    source = read_document(path)
    extraction = extract_text(source)
    screen = next(
        t for t in extraction.targets if t.level3 == "电子显示屏" and t.period == "annual"
    )
    assert screen.origin == "page 1, table 1, row 18"
    line = source.lines[screen.line - 1]
    assert line.origin == screen.origin and "电子显示屏" in line.cells
    second = next(p for p in extraction.projects if p.project == "档案馆加层工程")
    assert second.origin == "page 2, line 1"  # its title, above the table
    for target in extraction.targets:
        assert re.fullmatch(r"page \d+, table \d+, row \d+", target.origin or "")
        assert target.level3.replace(" ", "") in source.lines[target.line - 1].text.replace(" ", "")


@pytest.mark.parametrize(
    ("fmt", "pattern"),
    [
        ("xlsx", r"sheet 表\d+, row \d+"),
        ("xls", r"sheet 表\d+, row \d+"),
        ("html", r"table \d+, row \d+"),
        ("docx", r"table \d+, row \d+"),
    ],
)
def test_targets_say_where_they_came_from(
    written: dict[tuple[str, str], Path], fmt: str, pattern: str
) -> None:
    extraction = extract_file(written[("henan", fmt)])
    assert all(re.fullmatch(pattern, t.origin or "") for t in extraction.targets)
    assert extraction.diagnostics and all(d.origin for d in extraction.diagnostics if d.line)


# ----------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("case", "fmt", "name"),
    [
        ("shanxi", "pdf", "report.txt"),
        ("shanxi", "xlsx", "workbook.bin"),
        ("henan", "docx", "table.xlsx"),
        ("henan", "xls", "old.dat"),
        ("final_accounts", "html", "page.txt"),
    ],
)
def test_the_format_is_told_by_content_not_by_name(
    written: dict[tuple[str, str], Path], tmp_path: Path, case: str, fmt: str, name: str
) -> None:
    renamed = tmp_path / name
    renamed.write_bytes(written[(case, fmt)].read_bytes())
    extraction = extract_file(renamed)
    assert extraction.document.source_format == fmt
    assert extraction.document.document == name
    assert [key(t) for t in extraction.targets] == [
        key(t) for t in extract_file(written[(case, "text")]).targets
    ]


def test_a_gbk_web_page_is_decoded_as_it_declares(tmp_path: Path) -> None:
    items = fx.blocks(fx.case_lines("henan"))
    page = fx.write_html(items, tmp_path / "gbk.html", encoding="gb18030")
    assert "gb2312" in page.read_bytes()[:300].decode("ascii", "replace")
    source = read_document(page)
    assert source.encoding == "gb18030"
    expected = extract_text(SourceText("t.txt", "utf-8", split_lines(fx.case_text("henan"))))
    assert [key(t) for t in extract_text(source).targets] == [key(t) for t in expected.targets]


# ----------------------------------------------------------------------------- refusals


def _scanned_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 280, 40):  # a ruled table, as a scan shows it
        draw.line([(20, y), (580, y)], fill="black", width=2)
    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        pdf.drawImage(ImageReader(image), 50, 400, 500, 250)
        pdf.showPage()
    pdf.save()
    return path


def test_a_scanned_pdf_is_refused_saying_it_needs_ocr(tmp_path: Path) -> None:
    path = _scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ReadError) as error:
        read_document(path)
    message = str(error.value)
    assert message.startswith("scan.pdf: a scanned PDF") and "OCR" in message
    assert "\n" not in message


def _damaged(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(range(256)) * 8 + data[middle + 2048 :]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "xls", "docx"])
@pytest.mark.parametrize("how", ["truncated", "damaged"])
def test_a_truncated_or_damaged_file_is_one_line_of_error(
    written: dict[tuple[str, str], Path], tmp_path: Path, fmt: str, how: str
) -> None:
    data = written[("henan", fmt)].read_bytes()
    broken = tmp_path / f"broken.{fmt}"
    broken.write_bytes(data[: len(data) // 2] if how == "truncated" else _damaged(data))
    if fmt == "pdf" and how == "damaged":
        # pdfminer recovers the objects around a damaged stretch, as PDF viewers do: the
        # document is read without the damaged part, or refused; never a traceback
        try:
            read_document(broken)
        except ReadError as error:
            assert "\n" not in str(error)
        return
    with pytest.raises(ReadError) as error:
        read_document(broken)
    message = str(error.value)
    assert message.startswith(f"broken.{fmt}: ") and "\n" not in message
    assert re.search(r"damaged|truncated", message)


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_random_damage_is_read_or_refused_in_one_line(
    written: dict[tuple[str, str], Path],
    tmp_path: Path,
    fmt: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bytes changed at random and files cut short: read (what survives) or a ReadError of one
    line, quickly, and nothing printed by the libraries."""
    import random

    rng = random.Random(fmt)
    data = written[("henan", fmt)].read_bytes()
    for _ in range(12):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 8, 64])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(16, len(damaged))]
        path = tmp_path / f"damaged.{fmt}"
        path.write_bytes(bytes(damaged))
        start = time.perf_counter()
        try:
            extract_file(path)
        except ReadError as error:
            assert "\n" not in str(error) and str(error).startswith(f"damaged.{fmt}: ")
        assert time.perf_counter() - start < 2
    assert not [record.getMessage() for record in caplog.records if record.levelno >= 30]


def test_a_truncated_web_page_reads_what_it_holds(
    written: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    """Browsers show a truncated page; so does the reader (no error, the rows it holds)."""
    data = written[("henan", "html")].read_bytes()
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[: len(data) // 2])
    assert (
        0 < len(extract_file(cut).targets) < len(extract_file(written[("henan", "html")]).targets)
    )


def test_binary_junk_in_a_web_page_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "junk.html"
    page.write_bytes(b'<!DOCTYPE html><meta charset="utf-8"><p>' + bytes(range(128, 256)) * 40)
    with pytest.raises(ReadError, match=r"^junk.html: the web page is not valid utf-8 text"):
        read_document(page)


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(locked), encrypt=pdfencrypt.StandardEncryption("user", "owner"))
    pdf.drawString(100, 700, "secret")
    pdf.save()
    with pytest.raises(ReadError, match=r"^locked.pdf: the PDF is password-protected; remove"):
        read_document(locked)
    opened = tmp_path / "opened.pdf"  # an owner password only: readable by anyone
    pdf = canvas.Canvas(str(opened), encrypt=pdfencrypt.StandardEncryption("", "owner"))
    pdf.drawString(100, 700, "readable")
    pdf.save()
    assert read_document(opened).lines[0].text == "readable"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le"),
            "a Word 97-2003 document (.doc); save it as .docx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "a password-protected Office file",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "a PNG image, not a document; run OCR"),
        (b"{\\rtf1\\ansi ...}", "an RTF document"),
    ],
)
def test_other_office_files_and_images_are_refused_with_what_to_do(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match=re.escape(f"file.txt: {message}")):
        read_document(path)


def test_a_zip_that_is_no_office_file_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/report.txt", "项目")
    with pytest.raises(ReadError, match="a ZIP archive, not an Excel or Word document"):
        read_document(path)


# ----------------------------------------------------------------------------- the graph


def test_origins_and_the_format_go_into_the_graph_and_back(
    written: dict[tuple[str, str], Path],
) -> None:
    from pyshacl import validate
    from rdflib import Graph

    from graphbuild.graph.mapping import document_graph
    from graphbuild.graph.reading import records_from_graph
    from graphbuild.records import to_dict
    from graphbuild.vocab import PK, SHAPES_FILE

    extraction = extract_file(written[("shanxi", "pdf")])
    graph = document_graph(extraction, base="http://example.org/kg/")
    assert (None, PK.sourceOrigin, None) in graph
    back = records_from_graph(graph)
    assert back.document.source_format == "pdf"
    assert sorted((t.line, t.period, t.origin) for t in back.targets) == sorted(
        (t.line, t.period, t.origin) for t in extraction.targets
    )
    assert [to_dict(p)["origin"] for p in back.projects] == [p.origin for p in extraction.projects]
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    conforms, _, text = validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, str(text)[:2000]


# ----------------------------------------------------------------------------- the command line


def test_extract_and_summary_take_every_format(written: dict[tuple[str, str], Path]) -> None:
    from click.testing import CliRunner

    from graphbuild.cli import main

    folder = written[("henan", "pdf")].parent
    result = CliRunner().invoke(main, ["extract", str(folder), "--summary"])
    assert result.exit_code == 0, result.output
    for fmt in ("pdf", "xlsx", "xls", "html", "docx"):
        assert f"henan.{fmt}: henan_budget (" in result.output
        assert f"read as {fmt})" in result.output
    assert result.output.count("targets 114,") == 6  # the text and five other formats


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_clean_layout_gives_the_same_targets(tmp_path: Path, fmt: str) -> None:
    """Labels on the first row of their merged span, as a department's own workbook has them
    (the samples print them wherever PDF-to-text put them): the same targets."""
    text = extract_file(fx.SAMPLES / "000_5f54f51c5535db0d.txt")
    items = fx.clean_shanxi(text, 4)
    got = extract_file(WRITERS[fmt](items, tmp_path / f"clean.{fmt}"))
    projects = {p.line for p in text.projects[:4]}
    expected = [key(t) for t in text.targets if t.project_line in projects]
    assert len(expected) > 50
    assert [key(t) for t in got.targets] == expected
