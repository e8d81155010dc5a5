"""A PDF page's text outside ruled tables: lines, paragraphs and tables without ruling lines.

The characters are grouped into lines by their vertical position and each line is cut into
segments where the gap between two characters is wider than :data:`GAP_EMS` character sizes
(the columns of a table drawn without lines, or the parts of a signature row). Then:

- two or more consecutive lines of several segments are a table without ruling lines: their
  columns are the clusters of the segments' left edges, and each segment goes to the column it
  starts in (a row lacking a column has an empty cell there);
- a line of one segment is running text; a line that reaches the right margin and is followed
  closely by a line starting at the left margin (not indented further, not a new heading) goes
  on in that line: the two are one paragraph (wrapped text is joined, see
  :func:`~graphbuild.extract.sources.layout.join_wrapped`);
- a lone line of several segments is a text line with its segments separated by spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphbuild.extract.sources.layout import Block, Paragraph, Table, join_wrapped

GAP_EMS = 2.0
"""A gap wider than this many character sizes separates two cells of a line."""
_HEADING = re.compile(
    r"^\s*(第[一二三四五六七八九十百]+[部分章节条]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d+[、.．]\D|附件|附表)"
)


@dataclass
class TextLine:
    """One printed line: its segments' text and left edges, and its box."""

    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[str]
    starts: list[float]
    number: int = 0

    @property
    def is_row(self) -> bool:
        return len(self.segments) > 1


@dataclass
class _Run:
    """Consecutive lines of several segments (a table without ruling lines)."""

    lines: list[TextLine] = field(default_factory=list)


def text_lines(chars: list[dict[str, Any]]) -> list[TextLine]:
    """The characters grouped into lines, top to bottom, each cut into segments."""
    from pdfplumber.utils import cluster_objects, extract_text

    lines: list[TextLine] = []
    upright = [c for c in chars if c.get("text", "").strip() or c.get("text") == " "]
    for group in cluster_objects(upright, _middle, tolerance=2.5):
        group.sort(key=lambda c: c["x0"])
        visible = [c for c in group if c["text"].strip()]
        if not visible:
            continue
        size = sorted(c["size"] for c in visible)[len(visible) // 2] or 10.0
        segments: list[list[dict[str, Any]]] = [[]]
        last_x1: float | None = None
        for char in group:
            if (
                char["text"].strip()
                and last_x1 is not None
                and char["x0"] - last_x1 > GAP_EMS * size
            ):
                segments.append([])
            segments[-1].append(char)
            if char["text"].strip():
                last_x1 = char["x1"]
        texts, starts = [], []
        for segment in segments:
            text = " ".join(extract_text(segment).split("\n")).strip()
            if text:
                texts.append(text)
                starts.append(min(c["x0"] for c in segment if c["text"].strip()))
        if not texts:
            continue
        lines.append(
            TextLine(
                top=min(c["top"] for c in visible),
                bottom=max(c["bottom"] for c in visible),
                x0=min(c["x0"] for c in visible),
                x1=max(c["x1"] for c in visible),
                size=size,
                segments=texts,
                starts=starts,
            )
        )
    lines.sort(key=lambda line: line.top)
    for number, line in enumerate(lines, 1):
        line.number = number
    return lines


def _middle(char: dict[str, Any]) -> float:
    return round((char["top"] + char["bottom"]) / 2, 1)


def text_blocks(lines: list[TextLine], page: int) -> list[tuple[float, Block]]:
    """The page's text lines as paragraphs and borderless tables, each with its top."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    items: list[tuple[float, Block]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.is_row:
            end = index
            while (
                end < len(lines)
                and lines[end].is_row
                and _close(lines[end - 1], lines[end], end > index)
            ):
                end += 1
            if end - index >= 2:
                items.append((line.top, _borderless(lines[index:end], page)))
                index = end
                continue
        parts = [" ".join(line.segments)]
        last = line
        index += 1
        while index < len(lines) and _continues(last, lines[index], left, right):
            parts.append(lines[index].segments[0])
            last = lines[index]
            index += 1
        items.append((line.top, Paragraph(join_wrapped(parts), f"page {page}, line {line.number}")))
    return items


def _close(above: TextLine, below: TextLine, check: bool) -> bool:
    """True when ``below`` follows ``above`` within a line and a half (rows of one table)."""
    return not check or below.top - above.bottom < 1.5 * max(above.size, below.size)


def _continues(line: TextLine, following: TextLine, left: float, right: float) -> bool:
    """True when ``following`` carries on the paragraph that ``line`` wraps."""
    if following.is_row or line.is_row:
        return False
    size = max(line.size, following.size)
    return (
        abs(line.size - following.size) < 0.15 * size
        and following.top - line.bottom < 0.8 * size
        and line.x1 >= right - 1.5 * size
        and following.x0 <= min(line.x0, left + 2 * size) + 0.5 * size
        and not _HEADING.match(following.segments[0])
    )


def _borderless(lines: list[TextLine], page: int) -> Table:
    """Lines of several segments as one table: columns from the segments' left edges."""
    size = max(line.size for line in lines)
    starts = sorted(start for line in lines for start in line.starts)
    columns: list[float] = []
    for start in starts:
        if not columns or start - columns[-1] > size:
            columns.append(start)
    table = Table()
    for line in lines:
        row: list[str] = [""] * len(columns)
        for text, start in zip(line.segments, line.starts, strict=True):
            col = max(i for i, x in enumerate(columns) if x <= start + size)
            row[col] = f"{row[col]} {text}".strip()
        table.rows.append(list(row))
        table.origins.append(f"page {page}, line {line.number}")
    return table
