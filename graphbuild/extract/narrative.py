"""Money and assets stated in a document's narrative (情况说明), as budget lines.

The explanatory part of a budget or final accounts states figures that no table prints:

- 政府采购: ``政府采购预算总额181.26万元。其中：政府采购货物预算41.76万元、…工程…、…服务…``
  (budgets) or ``政府采购支出总额…`` (final accounts);
- 国有资产 (in the section whose heading names 国有资产): vehicles by kind (``领导用车1辆``),
  floor area (``办公用房建筑总面积227平方米``) and equipment (``通用设备0台（套）``): counts,
  not money (``quantity`` and ``unit``, no ``amount_yuan``);
- budget execution in final accounts: ``一般公共服务支出年初预算68.70万元，支出决算74.24万元，
  完成年初预算的108.06%`` (two amounts and the printed rate).

A sentence the PDF-to-text tool broke over two lines is read whole: a text line that does not
end a sentence runs on into the next one. Each figure's ``line`` is the line where its words
start; its ``table`` is the heading of its section.

>>> from graphbuild.extract.read import split_lines
>>> found = narrative_lines("d", split_lines("九、政府采购情况\\n政府采购预算总额1.5万元。其中：政府采购货"
...                                    "\\n物预算1万元"), None)
>>> [(b.name, b.amount_yuan, b.line) for b in found]
[('政府采购预算总额', 15000.0, 2), ('政府采购货物预算', 10000.0, 2)]
"""

from __future__ import annotations

import re

from graphbuild.extract.cells import clean
from graphbuild.extract.read import Line, is_furniture
from graphbuild.records import BudgetLine

_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_KEYWORDS = ("政府采购", "辆", "平方米", "台（套）", "台(套)", "年初预算")
_PROCUREMENT = re.compile(
    r"(政府采购(?:货物|工程|服务)?(?:预算|支出)?(?:总额|安排)?)\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)"
)
_EXECUTION = re.compile(
    r"([\u4e00-\u9fff（）()]+?)年初预算\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)\s*[,，]\s*"
    r"支出决算\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)\s*[,，]\s*完成年初预算的\s*(\d+(?:\.\d+)?)\s*%"
)
_COUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(辆|平方米|台[（(]套[）)]|台|套)")
_SEGMENT = re.compile(r"[，,、；;：:。]")
_LEADING = re.compile(
    r"^(截至.*?日|[0-9]{4}年(?:期末|末|度)?|我单位|我部门|本部门[（(]单位[）)]|本部门|本单位|"
    r"共有|其中|拥有|占有使用|使用的|有)+"
)
_SCALE = {"万元": 1e4, "元": 1.0}


def narrative_lines(document: str, lines: list[Line], department: str | None) -> list[BudgetLine]:
    """The figures of the document's narrative (see the module's description)."""
    found: list[BudgetLine] = []
    for heading, text, starts in _paragraphs(lines):
        if not any(word in text for word in _KEYWORDS):
            continue
        table, table_line = heading
        for match in _PROCUREMENT.finditer(text):
            found.append(
                _money(
                    document,
                    table,
                    table_line,
                    "procurement",
                    match.group(1),
                    None,
                    match.group(2),
                    match.group(3),
                    _line_at(starts, match.start()),
                )
            )
        for match in _EXECUTION.finditer(text):
            name = re.sub(r"^(\d{4})?年度?", "", match.group(1))
            line = _line_at(starts, match.start())
            found.append(
                _money(
                    document,
                    table,
                    table_line,
                    "execution",
                    name,
                    "年初预算",
                    match.group(2),
                    match.group(3),
                    line,
                )
            )
            found.append(
                _money(
                    document,
                    table,
                    table_line,
                    "execution",
                    name,
                    "支出决算",
                    match.group(4),
                    match.group(5),
                    line,
                )
            )
            rate = _line(document, table, table_line, "execution", name, "完成年初预算的", line)
            rate.quantity, rate.unit, rate.printed = float(match.group(6)), "%", match.group(6)
            rate.measure = "execution_rate"
            found.append(rate)
        if "国有资产" in table:
            found.extend(_assets(document, table, table_line, text, starts, department))
    return found


def _paragraphs(lines: list[Line]) -> list[tuple[tuple[str, int], str, list[tuple[int, int]]]]:
    """(section heading and its line, text, [(offset, line)]) of each run of text lines that
    holds one of the words looked for (the others are not cleaned: that is the cost)."""
    paragraphs: list[tuple[tuple[str, int], str, list[tuple[int, int]]]] = []
    heading = ("", 0)
    run: list[Line] = []

    def close() -> None:
        if run and any(word in line.text for line in run for word in _KEYWORDS):
            text, starts = "", []
            for line in run:
                starts.append((len(text), line.number))
                text += clean(line.text)
            paragraphs.append((heading, text, starts))
        run.clear()

    for line in lines:
        raw = line.text
        if "\t" in raw:
            continue
        stripped = raw.strip()
        if not stripped or is_furniture(stripped):
            continue
        if _HEADING.match(stripped):
            close()
            heading = (clean(raw), line.number)
            continue
        if run and _SENTENCE_END.search(run[-1].text.rstrip()):
            close()
        run.append(line)
    close()
    return paragraphs


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1]
    for start, number in starts:
        if start > offset:
            break
        line = number
    return line


def _line(
    document: str, table: str, table_line: int, kind: str, name: str, column: str | None, line: int
) -> BudgetLine:
    return BudgetLine(
        document=document,
        table=table,
        classification=None,
        code=None,
        name=name,
        column=column,
        amount_yuan=None,
        line=line,
        table_kind=kind,
        table_line=table_line,
        source="text",
    )


def _money(
    document: str,
    table: str,
    table_line: int,
    kind: str,
    name: str,
    column: str | None,
    printed: str,
    unit: str,
    line: int,
) -> BudgetLine:
    found = _line(document, table, table_line, kind, name, column, line)
    found.amount_yuan = round(float(printed.replace(",", "")) * _SCALE[unit], 2)
    found.printed, found.unit = printed, unit
    found.measure = (
        "total"
        if column is None
        else ("initial_budget" if column == "年初预算" else "final_accounts")
    )
    return found


def _assets(
    document: str,
    table: str,
    table_line: int,
    text: str,
    starts: list[tuple[int, int]],
    department: str | None,
) -> list[BudgetLine]:
    found = []
    offset = 0
    for segment in _SEGMENT.split(text):
        here = text.find(segment, offset)
        offset = here + len(segment)
        for match in _COUNT.finditer(segment):
            name = segment[: match.start()]
            if department:
                name = name.replace(department, "")
            name = _LEADING.sub("", name) or segment[: match.start()]
            if not name or re.search(r"\d$", name):
                continue
            unit = match.group(2).replace("(", "（").replace(")", "）")
            figure = _line(
                document,
                table,
                table_line,
                "assets",
                name,
                None,
                _line_at(starts, here + match.start()),
            )
            figure.quantity = float(match.group(1).replace(",", ""))
            figure.unit, figure.printed = unit, match.group(1)
            figure.measure = "count"
            found.append(figure)
    return found
