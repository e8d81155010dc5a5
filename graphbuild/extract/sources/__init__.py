"""Readers for the formats documents come in, each returning the lines the parsers read.

The format is told from the content, never from the file name (:func:`detect_format`):

| format | recognised by | reader |
|---|---|---|
| ``pdf`` | ``%PDF-`` at the start | :mod:`.pdf` (pdfplumber) |
| ``xlsx`` | a ZIP container with an ``xl/`` workbook part | :mod:`.xlsx` (openpyxl) |
| ``docx`` | a ZIP container with a ``word/`` document part | :mod:`.docx` (python-docx) |
| ``xls`` | an OLE2 compound file with a ``Workbook`` stream | :mod:`.xls` (xlrd) |
| ``html`` | markup (``<!DOCTYPE html``, ``<html``, ``<table`` …) at the start | :mod:`.html` (lxml) |
| ``text`` | anything else | :func:`graphbuild.extract.read.read_text` |

Every reader returns a :class:`~graphbuild.extract.read.SourceText` whose lines follow the
rules of :mod:`.layout` (one line per table row, cells joined by TAB, merged cells printed once,
text paragraphs as lines without TAB) and carry their ``origin``. Files of other kinds that
are easy to mistake for documents (a Word 97-2003 .doc, an OpenDocument file, an encrypted
Office file, an image, RTF) are refused with a :class:`~graphbuild.extract.read.ReadError`
saying what to convert them to.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from graphbuild.extract.read import ReadError, SourceText, read_text
from graphbuild.extract.sources.layout import MAX_UNPACKED_BYTES

FORMATS = ("text", "pdf", "xlsx", "xls", "html", "docx")
"""Every ``source_format`` a document may have."""

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|h[1-6])[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_IMAGES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"GIF8": "a GIF image",
}


def detect_format(data: bytes, name: str = "<bytes>") -> str:
    """The format of a document's bytes (one of :data:`FORMATS`), from their content alone.

    Raises ``ReadError`` for kinds of file that are recognised but not read.

    >>> detect_format(b"%PDF-1.7 ..."), detect_format(b"<!DOCTYPE html><p>x"), detect_format("项目".encode())
    ('pdf', 'html', 'text')
    >>> detect_format(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">')
    'html'
    """
    head = data[:1024]
    stripped = head.lstrip(b" \t\r\n\x00")
    if stripped.startswith(b"%PDF-") or (
        b"%PDF-" in head and b"\n" not in head[: head.find(b"%PDF-")]
    ):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_format(data, name)
    if data[:8] == OLE2:
        return _ole_format(data, name)
    for magic, what in _IMAGES.items():
        if data.startswith(magic):
            raise ReadError(f"{name}: {what}, not a document; run OCR on it first")
    if stripped.startswith(b"{\\rtf"):
        raise ReadError(
            f"{name}: an RTF document; open it in Word or LibreOffice and save as .docx"
        )
    text_head = _head_text(stripped)
    if _HTML_START.match(text_head):
        return "html"
    return "text"


def _head_text(head: bytes) -> bytes:
    """The start of the file as ASCII-compatible bytes (a UTF-8 BOM or UTF-16 removed)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].lstrip()
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be"
        text = head[2 : 2 + 512].decode(codec, errors="ignore")
        return text.encode("ascii", errors="ignore").lstrip()
    return head


def _zip_format(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # noqa: BLE001 - BadZipFile, NotImplementedError (a version), EOFError …
        raise ReadError(
            f"{name}: a damaged or truncated ZIP container (an .xlsx or .docx?); "
            "download or save the file again"
        ) from None
    names = {info.filename for info in infos}
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(
            f"{name}: unpacks to {unpacked // 2**20} MB, over the "
            f"{MAX_UNPACKED_BYTES // 2**20} MB limit; split the file"
        )
    if any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise ReadError(f"{name}: an Excel binary workbook (.xlsb); save it as .xlsx")
    if any(n.startswith("word/") and n.endswith(".xml") for n in names):
        return "docx"
    if "mimetype" in names:
        raise ReadError(f"{name}: an OpenDocument file (.ods/.odt); save it as .xlsx or .docx")
    raise ReadError(f"{name}: a ZIP archive, not an Excel or Word document; unpack it first")


def _ole_format(data: bytes, name: str) -> str:
    """Which Office 97-2003 file an OLE2 compound file is, from its directory's stream names."""

    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptedPackage"):
        raise ReadError(
            f"{name}: a password-protected Office file; remove the password and save it again"
        )
    if has("Workbook") or has("Book"):
        return "xls"
    if has("WordDocument"):
        raise ReadError(f"{name}: a Word 97-2003 document (.doc); save it as .docx")
    if has("PowerPoint Document"):
        raise ReadError(f"{name}: a PowerPoint file, not a document; save it as PDF")
    return "xls"  # a damaged directory: the workbook reader says what is wrong


def _readers() -> dict[str, Callable[[bytes, str], SourceText]]:
    from graphbuild.extract.sources.docx import read_docx
    from graphbuild.extract.sources.html import read_html
    from graphbuild.extract.sources.pdf import read_pdf
    from graphbuild.extract.sources.xls import read_xls
    from graphbuild.extract.sources.xlsx import read_xlsx

    return {
        "text": read_text,
        "pdf": read_pdf,
        "xlsx": read_xlsx,
        "xls": read_xls,
        "html": read_html,
        "docx": read_docx,
    }


def read_source(data: bytes, name: str) -> SourceText:
    """A document's bytes as lines, whatever its format (``ReadError`` if it cannot be read)."""
    if not data.strip(b" \t\r\n\x00") or not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ReadError(f"{name}: the file is empty; nothing to extract")
    source_format = detect_format(data, name)
    try:
        return _readers()[source_format](data, name)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{name}: too large to read in the memory available; split it") from None
    except RecursionError:
        raise ReadError(f"{name}: nested too deeply to read; save it again") from None
    except Exception as error:  # noqa: BLE001 - a damaged file must not end in a traceback
        reason = (str(error).strip().splitlines() or [""])[0][:160] or type(error).__name__
        raise ReadError(
            f"{name}: the {source_format} file cannot be read ({type(error).__name__}: {reason}); "
            "open it and save it again"
        ) from None
