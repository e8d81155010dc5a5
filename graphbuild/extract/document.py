"""Extracting one document: read, detect the family, run its parser, read the indicator tables
no parser read by their headers (:mod:`graphbuild.extract.generic`), collect the records.

``extract_file`` never raises for a document's content: a problem inside the document becomes
a diagnostic. It raises ``ReadError`` only when the file cannot be read at all. Records of a
document read from a PDF, workbook, web page or Word file carry the ``origin`` of their line.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphbuild.extract.budget import BudgetReader
from graphbuild.extract.budget_links import link_projects
from graphbuild.extract.cells import clean
from graphbuild.extract.detect import detect_family
from graphbuild.extract.families import PARSERS
from graphbuild.extract.generic import read_unclaimed
from graphbuild.extract.narrative import narrative_lines
from graphbuild.extract.parts import DocumentParts
from graphbuild.extract.read import Line, SourceText, bounded_lines, read_document
from graphbuild.records import BudgetLine, Document, Extraction


def extract_file(path: Path | str) -> Extraction:
    """All records of one document file (raises ``ReadError`` if it is not readable text)."""
    return extract_text(read_document(path))


def extract_text(source: SourceText) -> Extraction:
    """All records of an already-read document."""
    lines, skipped = bounded_lines(source.lines)
    family, kind = detect_family(lines)
    document = Document(
        document=source.name,
        family=family,
        kind=kind,
        year=None,
        department=None,
        department_code=None,
        encoding=source.encoding,
        lines=len(source.lines),
        source_format=source.source_format,
    )
    parts = DocumentParts(document)
    for line, reason in skipped:
        parts.diagnose(line.number, reason, line.cells, severity="error")
    for note in source.notes:
        parts.diagnose(None, note)
    _cover(lines, parts)
    parser = PARSERS.get(family)
    if parser is not None:
        parser(lines, parts)
    read_unclaimed(lines, parts)
    if not parts.targets and not parts.projects:
        parts.diagnose(
            None,
            "no performance-target tables found"
            + (
                " (not a Shanxi budget, Henan budget or final-accounts self-evaluation "
                "document, and no table headed by indicator columns)"
                if parser is None
                else ""
            ),
            severity="error",
        )
    accounting = parts.account(lines)
    budget = _budget(lines, parts)
    budget.account(accounting)
    _origins(source.lines, parts, budget.lines)
    return Extraction(
        parts.document,
        parts.projects,
        parts.targets,
        parts.diagnostics,
        accounting,
        budget_lines=budget.lines,
    )


def _budget(lines: list[Line], parts: DocumentParts) -> BudgetReader:
    """The budget tables and the narrative's figures, their diagnostics added to the parts'."""
    document = parts.document
    budget = BudgetReader(document.document, document.department)
    budget.read(lines)
    budget.lines.extend(narrative_lines(document.document, lines, document.department))
    link_projects(budget.lines, parts.projects, budget)
    parts.diagnostics.extend(budget.diagnostics)
    return budget


def _origins(lines: list[Line], parts: DocumentParts, budget: list[BudgetLine]) -> None:
    """Each record's ``origin``: where its line came from (files other than text only)."""
    origins = {line.number: line.origin for line in lines if line.origin is not None}
    if not origins:
        return
    for record in (*parts.projects, *parts.targets, *budget, *parts.diagnostics):
        if record.line is not None:
            record.origin = origins.get(record.line)


def _cover(lines: list[Line], parts: DocumentParts) -> None:
    """Department name, its code and the year from the cover and the first tables."""
    cover = [clean(line.text) for line in lines[:60] if clean(line.text) and not line.is_row]
    for text in cover[:8]:
        if match := re.search(r"((?:19|20)\d{2})\s*年度?.{0,12}(预算|决算)", text):
            parts.document.year = int(match.group(1))
            break
    for text in cover[:5]:
        if not re.search(r"\d|目录|预算|决算|公开", text) and 2 < len(text) <= 40:
            parts.document.department = re.sub(r"\s+", "", text)
            break
    for line in lines[:400]:
        text = clean(line.text.replace("\t", " "))
        match = re.search(
            r"(部门名称|主管部门及代码|主管部门)\s*[:：]?\s*(\d{3,})\s*[-－]\s*(\S+)", text
        )
        if match:
            parts.document.department_code = match.group(2)
            parts.document.department = parts.document.department or match.group(3)
            break
