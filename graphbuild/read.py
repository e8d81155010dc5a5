"""Reading a source file: bytes to text lines, whatever the encoding and line endings.

Documents arrive as UTF-8 (with or without BOM) or GB18030/GBK, with LF or CRLF line endings and
form feeds between pages. ``read_document`` returns the lines with their 1-based numbers as in
the file; nothing is dropped here: skipping page furniture is the parsers' job (``is_furniture``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 200 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as a text document; the message says what to do."""


@dataclass(frozen=True)
class Line:
    """One line of the source file: its 1-based number, its text and its TAB-separated cells."""

    number: int
    text: str

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")

    @property
    def is_row(self) -> bool:
        """True when the line has table cells (at least one TAB)."""
        return "\t" in self.text


@dataclass(frozen=True)
class SourceText:
    name: str
    encoding: str
    lines: list[Line]


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 100:
        raise ReadError(f"{name}: this is a binary file, not text; convert the PDF to text first")
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


def split_lines(text: str) -> list[Line]:
    """Lines numbered as a text editor shows them; CRLF, CR and form feeds end lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    return [Line(i + 1, line.replace("\f", "")) for i, line in enumerate(raw)]


def read_document(path: Path | str) -> SourceText:
    """Read a document file into numbered lines, or raise ``ReadError`` with a clear message."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ReadError(f"{path}: cannot open the file ({error.strerror})") from None
    if path.is_dir():
        raise ReadError(f"{path}: is a folder; pass the text files inside it")
    if size > MAX_BYTES:
        raise ReadError(f"{path}: {size // 2**20} MB is over the {MAX_BYTES // 2**20} MB limit")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"{path}: cannot read the file ({error.strerror})") from None
    text, encoding = decode(data, name)
    return SourceText(name=name, encoding=encoding, lines=split_lines(text))


_FURNITURE = [
    re.compile(r"^\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*$"),  # page numbers
    re.compile(r"^\s*第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?\s*$"),
    re.compile(r"^\s*\[(illegible|watermark|stamp|signature)\]\s*$", re.IGNORECASE),
    re.compile(r"^\s*(公开|内部|机密|样本|草稿|水印|盖章|签章|印章)\s*$"),
]


def is_furniture(text: str) -> bool:
    """True for page numbers, watermark, stamp and signature lines."""
    return any(pattern.match(text) for pattern in _FURNITURE)
