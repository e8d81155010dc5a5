"""The last pass over a document: indicator-table rows that no parser read.

Family parsers find their tables by titles and headers. When a title is missing or damaged
(deleted by the PDF-to-text tool, OCR'd into noise), or a table has a layout no parser knows,
its rows would vanish. This pass finds every *indicator region* of the document, whatever the
parsers did, and returns the rows of those regions that no parser read, so that the caller
keeps each as a diagnostic (or counts it as a row of labels only):

- a region starts at an indicator header row (一级指标 | 二级指标 | 三级指标 | 指标值 …) or, where
  the header is missing, at a row that prints a level 1 or level 2 label (产出指标, 数量指标 …);
- it goes on over table rows (TAB-separated lines), skipping blank lines, page furniture and
  up to two lines of text (a cell wrapped out of the table), and ends at a title or heading
  line, a footer row (负责人, 填报日期 …), a field row that starts another table (项目名称 …), or
  a third line of text in a row;
- a region that starts at a label row, or at a header that carries a label (the header of one
  level 2 block: 二级指标 | 质量指标 | 三级指标 | 指标值), also takes the rows just above it that
  hold a value (≥90次, 400平方米 …): the first rows of a table whose header was lost.

>>> from graphbuild.extract.read import split_lines
>>> lines = split_lines("项目名称\\t甲\\n一级指标\\t二级指标\\t三级指标\\t指标值\\n\\t\\t会议次数\\t≥2次\\n"
...                     "- 3 -\\n\\t\\t培训人数\\t50人\\n填报人\\t张三")
>>> [(region.header.number, [line.number for line in region.rows])
...  for region in indicator_regions(lines)]
[(2, [3, 5])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from graphbuild.extract.cells import clean, compact
from graphbuild.extract.fields import match_field
from graphbuild.extract.headers import names_indicator_columns
from graphbuild.extract.levels import is_header_word, split_weight, vocabulary
from graphbuild.extract.read import Line, is_furniture
from graphbuild.extract.values import looks_like_value

_STRONG_HEADER = frozenset({"一级指标", "二级指标", "三级指标", "指标名称", "指标值", "年度指标值"})
_FOOTER = re.compile(r"^(负责人|经办人|联系电话|填报日期|填报人|审核人|单位负责人|财务负责人)")
_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|"
    r"\([一二三四五六七八九十]+\)|附件|附表)"
)
_TEXT_LINES_IN_A_TABLE = 2
_ROWS_ABOVE = 20


@dataclass
class Region:
    """The rows of one indicator table as found by its shape: header (if any) and rows."""

    header: Line | None
    rows: list[Line] = field(default_factory=list)

    @property
    def first(self) -> int:
        return (self.header or self.rows[0]).number

    @property
    def last(self) -> int:
        return self.rows[-1].number if self.rows else self.first


def is_indicator_header(line: Line) -> bool:
    """A row naming indicator columns: two header words, one of them a strong one, or two
    columns of the header vocabulary (``ontology/headers.ttl``), one of them 一级/二级/三级指标
    or the value (目标值, 当年预期实现值 …)."""
    return _is_header_text(line.text)


@lru_cache(maxsize=65536)
def _is_header_text(text: str) -> bool:
    cells = text.split("\t")
    words = [word for cell in cells if (word := compact(clean(cell)))]
    if sum(is_header_word(w) for w in words) >= 2 and any(w in _STRONG_HEADER for w in words):
        return True
    return names_indicator_columns(cells)


def has_level_label(line: Line) -> bool:
    """A row printing a level 1 or level 2 label in a cell of its own (not a row of a table
    of contents: ``五、 | 项目 | 管理 | … | 6``)."""
    return _has_label_text(line.text)


@lru_cache(maxsize=65536)
def _has_label_text(text: str) -> bool:
    tokens = [token for cell in text.split("\t") if (token := clean(cell))]
    if not tokens or _HEADING.match(tokens[0]):
        return False
    return any(vocabulary().lookup(split_weight(token)[0]) for token in tokens)


@lru_cache(maxsize=65536)
def _holds_a_value(text: str) -> bool:
    return any(looks_like_value(token) == "strong" for c in text.split("\t") if (token := clean(c)))


def _ends_region(line: Line) -> bool:
    tokens = [t for cell in line.cells if (t := clean(cell))]
    if not tokens:
        return False
    if _FOOTER.match(tokens[0]):
        return True
    matched = match_field(tokens[0])
    return matched is not None and matched[0] in ("name", "department", "unit")


def _is_title(text: str) -> bool:
    return bool(_HEADING.match(text)) or (len(text) <= 60 and text.endswith(("表", "报告")))


def _rows_above(lines: list[Line], index: int, floor: int) -> list[Line]:
    """The value-holding table rows right above ``lines[index]``, down to ``floor``."""
    found: list[Line] = []
    above = index - 1
    while above >= floor and len(found) < _ROWS_ABOVE:
        line = lines[above]
        above -= 1
        if not line.text.strip() or is_furniture(line.text):
            continue
        if not line.is_row or _ends_region(line) or not _holds_a_value(line.text):
            break
        found.append(line)
    return found[::-1]


def indicator_regions(lines: list[Line]) -> list[Region]:
    """Every indicator region of the document, in order (see the module's description)."""
    regions: list[Region] = []
    index = 0
    floor = 0  # the first line no region holds yet
    while index < len(lines):
        line = lines[index]
        header = line.is_row and is_indicator_header(line)
        labelled = line.is_row and has_level_label(line)
        if not (header or labelled):
            index += 1
            continue
        region = Region(header=line if header else None, rows=[] if header else [line])
        if labelled:
            region.rows[:0] = _rows_above(lines, index, floor)
        index += 1
        text_lines = 0
        while index < len(lines):
            line = lines[index]
            if not line.text.strip() or is_furniture(line.text):
                index += 1
                continue
            if not line.is_row:
                text = clean(line.text)
                text_lines += 1
                if _is_title(text) or text_lines > _TEXT_LINES_IN_A_TABLE:
                    break
                index += 1
                continue
            if _ends_region(line) or is_indicator_header(line):
                break
            text_lines = 0
            region.rows.append(line)
            index += 1
        regions.append(region)
        floor = index
    return regions


def unread_rows(lines: list[Line], read: set[int]) -> list[tuple[Region, Line]]:
    """The rows of indicator regions whose line is not in ``read`` (with their region)."""
    return [
        (region, line)
        for region in indicator_regions(lines)
        for line in region.rows
        if line.number not in read and any(clean(cell) for cell in line.cells)
    ]
