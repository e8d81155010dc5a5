"""Reading a source file: bytes to text lines, whatever the encoding and line endings.

Text documents arrive as UTF-8 (with or without BOM), GB18030/GBK or UTF-16 (with or without
BOM), with LF or CRLF line endings and form feeds between pages. ``read_document`` returns the
lines with their 1-based numbers as in the file; nothing is dropped here: skipping page
furniture is the parsers' job (``is_furniture``), and :func:`bounded_lines` blanks the rows too
large to read (reported by the caller). PDF, Excel, HTML and Word files are recognised by their
content and turned into the same lines by :mod:`graphbuild.extract.sources` (one line per table
row, cells joined by TAB; each line keeps its ``origin``). Every way of failing is a
:class:`ReadError` with one line that names the file and says what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
"""Largest file read (a budget document's text is a few hundred KB)."""
MAX_CELLS = 256
"""Most cells a row may have to be read (the widest tables have about 40)."""
MAX_LINE_CHARS = 20_000
"""Longest line read."""


class ReadError(Exception):
    """A file that cannot be read as a text document; the message says what to do."""


@dataclass(frozen=True)
class Line:
    """One line of the source file: its 1-based number, its text and its TAB-separated cells.

    ``origin`` says where a line read from a PDF, workbook, web page or Word file came from
    ("page 3, table 2, row 5", "sheet 项目绩效目标表, row 7", "table 4, row 2"); None for text
    files, whose ``number`` is the file's own line number.
    """

    number: int
    text: str
    origin: str | None = None

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")

    @property
    def is_row(self) -> bool:
        """True when the line has table cells (at least one TAB)."""
        return "\t" in self.text


@dataclass(frozen=True)
class SourceText:
    """A document read into lines: its file name, its text encoding, its lines, the format it
    was read from (``text``, ``pdf``, ``xlsx``, ``xls``, ``html``, ``docx``) and notes on parts
    that could not be read (each becomes a warning diagnostic)."""

    name: str
    encoding: str
    lines: list[Line]
    source_format: str = "text"
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode document bytes, detecting UTF-8 (with or without BOM) and GB18030/GBK."""
    if not data.strip() or not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ReadError(f"{name}: the file is empty; nothing to extract")
    if data.lstrip().startswith(b"%PDF-"):
        raise ReadError(
            f"{name}: this is a PDF; convert it to text first (e.g. pdftotext -layout), "
            "then extract the .txt"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(b"\xff\xfe"):
        return _utf16(data[2:], "utf-16-le", name)
    if data.startswith(b"\xfe\xff"):
        return _utf16(data[2:], "utf-16-be", name)
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100:
        codec = _utf16_without_bom(sample)
        if codec is None:
            raise ReadError(
                f"{name}: a binary file of a kind not read (neither text, PDF, Excel, HTML nor "
                "Word); convert it to one of them"
            )
        return _utf16(data, codec, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > len(text) // 20:
            raise ReadError(
                f"{name}: neither UTF-8 nor GB18030 text; re-save it as UTF-8"
            ) from None
        return text, "utf-8 (with invalid bytes replaced)"
    return text, "gb18030"


def _utf16(data: bytes, codec: str, name: str) -> tuple[str, str]:
    """UTF-16 text; a few broken units (a lone surrogate, an odd last byte) are replaced."""
    text = data.decode(codec, errors="replace")
    broken = text.count("\ufffd")
    if broken > len(text) // 20:
        raise ReadError(
            f"{name}: broken UTF-16 ({broken} invalid characters of {len(text)}); "
            "re-save it as UTF-8"
        )
    return text, codec if not broken else f"{codec} (with invalid bytes replaced)"


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes read as lines of text in one of them.

    A text table is full of TABs and line ends: in UTF-16 each is a NUL byte next to 0x09,
    0x0A or 0x0D, on the even byte for little-endian and the odd one for big-endian.

    >>> _utf16_without_bom("项目\\t≥95%\\n".encode("utf-16-le")), _utf16_without_bom(b"\\x00\\x01" * 9)
    ('utf-16-le', None)
    """
    sample = sample[: len(sample) // 2 * 2]
    units = len(sample) // 2
    if not units:
        return None
    layout = {
        "utf-16-le": sum(
            1 for i in range(0, len(sample), 2) if sample[i + 1] == 0 and sample[i] in b"\t\n\r "
        ),
        "utf-16-be": sum(
            1 for i in range(0, len(sample), 2) if sample[i] == 0 and sample[i + 1] in b"\t\n\r "
        ),
    }
    codec = max(layout, key=lambda c: layout[c])
    if layout[codec] * 200 < units:  # fewer than one TAB, space or line end in 200 characters
        return None
    text = sample.decode(codec, errors="replace")
    return codec if text.count("\ufffd") <= units // 20 else None


def split_lines(text: str) -> list[Line]:
    """Lines numbered as a text editor shows them; CRLF, CR and form feeds end lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    return [Line(i + 1, line.replace("\f", "")) for i, line in enumerate(raw)]


def bounded_lines(lines: list[Line]) -> tuple[list[Line], list[tuple[Line, str]]]:
    """The lines, with each row too large to read replaced by an empty line of the same number,
    and those rows with the reason (for the caller to report).

    >>> kept, skipped = bounded_lines([Line(1, "a\\tb"), Line(2, "x\\t" * 300)])
    >>> [line.text for line in kept], skipped[0][1]
    (['a\\tb', ''], 'a row of 301 cells, over the limit of 256; it was not read')
    """
    kept: list[Line] = []
    skipped: list[tuple[Line, str]] = []
    for line in lines:
        cells = line.text.count("\t") + 1
        if cells > MAX_CELLS:
            reason = f"a row of {cells} cells, over the limit of {MAX_CELLS}; it was not read"
        elif len(line.text) > MAX_LINE_CHARS:
            reason = (
                f"a line of {len(line.text)} characters, over the limit of {MAX_LINE_CHARS}; "
                "it was not read"
            )
        else:
            kept.append(line)
            continue
        skipped.append((line, reason))
        kept.append(Line(line.number, "", line.origin))
    return kept, skipped


def read_text(data: bytes, name: str) -> SourceText:
    """A text document's bytes as numbered lines (``ReadError`` if they are not text)."""
    text, encoding = decode(data, name)
    return SourceText(name=name, encoding=encoding, lines=split_lines(text))


def read_document(path: Path | str) -> SourceText:
    """Read a document file into numbered lines, or raise ``ReadError`` with a clear message.

    The format is told from the content, never from the file name: text (any of the encodings
    above), PDF with a text layer, Excel (.xlsx, .xls), HTML or Word (.docx).
    """
    from graphbuild.extract.sources import read_source

    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ReadError(f"{path}: cannot open the file ({error.strerror})") from None
    if path.is_dir():
        raise ReadError(f"{path}: is a folder; pass the document files inside it")
    if size > MAX_BYTES:
        raise ReadError(f"{path}: {size // 2**20} MB is over the {MAX_BYTES // 2**20} MB limit")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"{path}: cannot read the file ({error.strerror})") from None
    if len(data) > MAX_BYTES:  # the file grew since stat
        raise ReadError(f"{path}: over the {MAX_BYTES // 2**20} MB limit")
    return read_source(data, name)


_FURNITURE = [
    re.compile(r"^\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*$"),  # page numbers
    re.compile(r"^\s*第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?\s*$"),
    re.compile(r"^\s*\[(illegible|watermark|stamp|signature)\]\s*$", re.IGNORECASE),
    re.compile(r"^\s*(公开|内部|机密|样本|草稿|水印|盖章|签章|印章)\s*$"),
]


def is_furniture(text: str) -> bool:
    """True for page numbers, watermark, stamp and signature lines."""
    return any(pattern.match(text) for pattern in _FURNITURE)
