"""A deterministic synthetic corpus of budget and final-accounts documents, and its scorer.

``generate`` writes N documents ``NNNNN_<family>.txt`` (45% Shanxi budgets, 25% Henan budgets,
30% final accounts, laid out as in DESIGN.md §1 and the samples) and, from the generator's own
model of what it printed (never from perfkg), ``expected/NNNNN_<family>.jsonl``: one JSON object
per target with project (null in department-wide tables), period, level1, level2, level3, value
(clean, as perfkg reports it), line, noise (the kinds on the target's row or labels) and, in
final accounts, actual, weight and score; ``noise/`` lists the furniture lines inserted.
Document i depends only on the seed and i; content and layout come from two random streams, so
a clean and a noisy corpus of one seed hold the same indicators. ``score`` matches extracted
targets on (project, period, level3, value), the nearest line breaking ties; ``ablate`` scores
one corpus clean, fully noisy and with each kind of :class:`Noise` alone.

    python -m benchmarks.corpus generate --documents 1000 --seed 7 --out /tmp/corpus
    python -m benchmarks.corpus score /tmp/corpus [--limit N] [--jobs 4] [--json]
    python -m benchmarks.corpus ablate --documents 300 --out /tmp/ablation [--jobs 4]

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     [path.name for path in generate(3, seed=1, out=Path(folder))]
['00000_final_accounts.txt', '00001_shanxi_budget.txt', '00002_henan_budget.txt']
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from benchmarks import corpus_vocab as V
from benchmarks.corpus_vocab import Block, Ctx, Item, fmt, pick

FAMILIES = ("shanxi_budget", "henan_budget", "final_accounts")
NUMBERED = "[0-9]" * 5 + "_*"  # the names of a corpus' documents: NNNNN_<family>
T = "\t"


@dataclass(frozen=True)
class Noise:
    """Rates of each kind of layout noise of DESIGN.md §1; each can be switched off (0)."""

    merged_middle: float = 0.3  # tables printing merged labels on the middle row of the span
    dup_level2: float = 0.25  # 成本 spans repeating level 2 in the level 1 column (others /5)
    shift: float = 0.1  # Shanxi rows with cells shifted one column (Henan, final accounts: /10)
    page_number: float = 0.7  # documents printing page numbers (- 3 -, 第 3 页) on every page
    watermark: float = 0.003  # table rows preceded by a watermark, stamp or signature line
    repeated_header: float = 0.5  # page breaks inside a table that repeat its header rows
    table_restart: float = 0.05  # Shanxi project tables restarting with their whole header block
    number_spaces: float = 0.1  # final-accounts rows whose decimals OCR spaced (16. 935)
    ocr_variants: float = 0.3  # final-accounts level labels with variant characters (級 標 満)
    truncated_names: float = 0.12  # Shanxi project tables whose right half cuts long names
    level2_missing: float = 0.03  # level 2 spans printed without their label
    next_block_label: float = 0.03  # level 1 labels printed on the last row of the block above
    cell_wrap: float = 0.3  # Henan names and codes wrapped inside their cell (保障机关 运转)
    spaced_values: float = 0.6  # Henan documents (final accounts: /3) spacing numbers (≤60 万元)
    spacer_columns: float = 0.08  # Shanxi project tables with an empty column after each column
    one_half: float = 0.02  # Shanxi rows printed in one half only

    @classmethod
    def off(cls) -> Noise:
        """No noise at all."""
        return cls(**{f.name: 0.0 for f in fields(cls)})


KINDS = tuple(f.name for f in fields(Noise))


def wrap(rng: random.Random, text: str) -> str:
    """The text with a space where a narrow cell wrapped it (between two CJK characters)."""
    spots = [i for i in range(2, len(text) - 1) if text[i - 1] > "\u4e00" and text[i] > "\u4e00"]
    at = pick(rng, spots) if spots else len(text)
    return f"{text[:at]} {text[at:]}" if spots else text


def spaced(text: str) -> str:
    """PDF spacing between numbers and words: ≤60万元 → ≤60 万元."""
    return re.sub(r"(?<=\d)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d)", " ", text)


def ocr_number(text: str) -> str:
    """A space after the decimal point, as OCR reads it: 16.935 → 16. 935."""
    return re.sub(r"(?<=\d)\.(?=\d)", ". ", text, count=1)


def tag(items: list[Item], kind: str) -> None:
    for item in items:
        item.tags.append(kind)


class Doc:
    """The lines of one document, its pages, and the targets it printed."""

    def __init__(self, rng: random.Random, nrng: random.Random, noise: Noise) -> None:
        self.rng, self.nrng, self.noise = rng, nrng, noise  # content and layout streams
        self.lines: list[str] = []
        self.targets: list[dict[str, Any]] = []
        self.events: list[tuple[int, str]] = []
        self.room, self.page = nrng.randint(36, 50), 1
        style = pick(nrng, V.PAGE_STYLES)
        self.page_style = style if nrng.random() < noise.page_number else None
        self.table: list[list[str]] | None = None  # header rows of the table being printed
        self.pending: list[str] = []  # noise tags for the next table row
        self.marked: list[list[str]] | None = None  # the table that printed a watermark

    def text(self, *texts: str) -> None:
        for text in texts:
            if self.room <= 0:
                self.page_break()
            self.lines.append(text)
            self.room -= 1

    def page_break(self) -> None:
        self.room, self.page = self.nrng.randint(36, 50), self.page + 1
        if self.page_style:
            self.lines += ["", self.page_style.format(self.page - 1), ""]
            self.events.append((len(self.lines) - 1, "page_number"))
            self.pending += ["page_number"] if self.table is not None else []
        if self.table and self.nrng.random() < self.noise.repeated_header:
            for cells in self.table:
                self.lines.append(T.join(cells))
                self.events.append((len(self.lines), "repeated_header"))
            self.pending.append("repeated_header")

    def row(self, cells: list[str]) -> tuple[int, list[str]]:
        """Print a table row; its line and the noise tags the page layout gave it (a row below
        a watermark line of its table keeps the tag: a reader may stop the table there)."""
        if self.table is not None and self.nrng.random() < self.noise.watermark:
            self.text(pick(self.nrng, V.WATERMARKS))
            self.events.append((len(self.lines), "watermark"))
            self.marked = self.table
        self.text(T.join(cells))
        tags, self.pending = self.pending, []
        return len(self.lines), tags + ["watermark"] * (self.marked is self.table is not None)

    def target(self, project: str | None, period: str, levels: tuple, item: Item, line: int,
               tags: list[str], impl: bool = False) -> None:  # fmt: skip
        """Record a printed target: the implementation half's name and value with ``impl``."""
        name, value = item.impl if impl and item.impl else (item.name, item.value)
        record = {"project": project, "period": period, "level1": levels[0], "level2": levels[1]}
        record |= {"level3": name, "value": value, "line": line}
        record["noise"] = sorted(set(item.tags + tags))
        if "weight" in item.extra:
            record |= {key: item.extra[key] for key in ("actual", "weight", "score")}
        self.targets.append(record)


def place_labels(nrng: random.Random, noise: Noise, table: list[Block], middle: bool) -> list:
    """Physical rows ``[l1 printed, l2 printed, l1, l2, item or None]``: a merged label prints
    once, on the first (or, in a ``middle`` table, the middle) row of its span."""
    rows: list[list] = []
    spans: list[tuple[int, list[Item]]] = []
    for index, (l1, block) in enumerate(table):
        start1 = len(rows)
        for l2, items in block:
            start2 = len(rows)
            rows += [["", "", l1, l2, item] for item in (items or [None])]
            at = start2 + ((len(rows) - start2 - 1) // 2 if middle else 0)
            if items and nrng.random() < noise.level2_missing:
                tag(items, "level2_missing")
                continue
            rows[at][1] = l2
            spans.append((at, items))
            tag(items if at != start2 else [], "merged_middle")
        members = [row[4] for row in rows[start1:] if row[4]]
        at1 = start1 + ((len(rows) - start1 - 1) // 2 if middle else 0)
        tag(members if at1 != start1 else [], "merged_middle")
        if index and nrng.random() < noise.next_block_label and not rows[start1 - 1][0]:
            at1 = start1 - 1
            tag(members + [rows[at1][4]] * bool(rows[at1][4]), "next_block_label")
        rows[at1][0] = l1
    for at, items in spans:
        cost = rows[at][1] in ("成本指标", "经济成本指标")
        if not rows[at][0] and nrng.random() < noise.dup_level2 * (1 if cost else 0.2):
            rows[at][0] = rows[at][1]
            tag(items, "dup_level2")
    return rows


def shifted(nrng: random.Random, rate: float, cells: list[str], items: list[Item]) -> list[str]:
    """The row's cells, at ``rate`` shifted one column left (an empty cell dropped) or right."""
    if nrng.random() >= rate:
        return cells
    tag(items, "shift")
    empty = [i for i in range(min(3, len(cells))) if not cells[i]]
    if empty and nrng.random() < 0.6:
        return cells[: empty[0]] + cells[empty[0] + 1 :] + [""]
    at = nrng.randint(0, 2)
    return cells[:at] + [""] + cells[at:]


def cover(doc: Doc, ctx: Ctx, title: str) -> None:
    """Cover, contents, a paragraph and a small budget table: text holding no targets."""
    doc.text("", "", ctx.dept, "", title, "", "目 录", "")
    for number, part in enumerate(("概况", "报表", "情况说明", "名词解释", "附件")):
        doc.text(f"第{'一二三四五'[number]}部分 {part}{T}{number * 3 + 1}")
    aim = pick(doc.rng, ctx.sector.aims)
    doc.text("", "第一部分 概况", "", "一、主要职责", "", f"{ctx.dept}主要负责{aim}相关工作。", "")
    doc.text("收支总表", "", "单位：万元", "", T.join(["项目", "预算数", "项目", "预算数"]))
    for label in ("一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入", "合计"):
        doc.text(T.join([label, f"{doc.rng.uniform(0, 3000):.2f}", "支出", ""]))
    doc.text("")


def single_table(doc: Doc, table: list[Block], header: list[str], cells: Any, rate: float) -> int:
    """Print a one-period department-wide table; ``cells(l1 text, l2 text, item)`` builds a row."""
    nrng, noise = doc.nrng, doc.noise
    doc.text(T.join(header))
    doc.table, count = [header], 0
    rows = place_labels(nrng, noise, table, nrng.random() < noise.merged_middle)
    for l1t, l2t, l1, l2, item in rows:
        line, tags = doc.row(shifted(nrng, rate, cells(l1t, l2t, item), [item] if item else []))
        if item:
            doc.target(None, "annual", (l1, l2), item, line, tags)
            count += 1
    doc.table = None
    doc.text("")
    return count


# ---- Shanxi budgets ----------------------------------------------------------------------------


def shanxi(doc: Doc, ctx: Ctx, size: int) -> None:
    rng = doc.rng
    cover(doc, ctx, f"{ctx.year}年度部门预算公开")
    doc.text("十、绩效管理情况", "", f"{ctx.year}年纳入绩效目标管理的项目见附件。", "")
    if size >= 20 and rng.random() < 0.85:  # the department-wide table
        level = pick(rng, ("县(区)级", "市级", "县(区)级"))
        basic = rng.uniform(200, 3000)
        total = basic * rng.uniform(1.2, 3)
        doc.text(f"{level}预算部门(单位)整体支出绩效目标申报表", "", f"({ctx.year})年度", "")
        values = {"dept": f"{ctx.code}-{ctx.dept}", "offices": rng.randint(0, 9), "units": 0}
        values |= {"aim": pick(rng, ctx.sector.aims), "total": f"{total:.2f}"}
        values |= {"basic": f"{basic:.2f}", "projects": f"{total - basic:.2f}"}
        doc.text(*(T.join(cells).format(**values) for cells in V.SHANXI_DEPARTMENT[:-1]))
        count = min(rng.randint(8, 30), size // 2)
        table = V.blocks(rng, ctx.sector, ctx.year, count, total * 1e4, new_cost=False)

        def row(l1t: str, l2t: str, it: Item | None) -> list[str]:
            return ["", l1t, l2t, it.name if it else "", it.value if it else ""]

        size -= single_table(doc, table, V.SHANXI_DEPARTMENT[-1], row, doc.noise.shift)
    while size > 0:
        n = max(5, min(rng.randint(5, 14), size // 2))
        n = max(5, size // 2) if size // 2 - n < 5 else n
        size -= shanxi_project(doc, ctx, ctx.project_name(rng), n)


def shanxi_project(doc: Doc, ctx: Ctx, name: str, n: int) -> int:
    """One two-half project table; returns the number of targets it printed."""
    rng, nrng, noise = doc.rng, doc.nrng, doc.noise
    funds = int(rng.lognormvariate(math.log(300000), 1.2)) // 100 * 100 + 1000
    roll = rng.random()
    years = 1 if roll < 0.6 else (99 if roll < 0.9 else rng.randint(2, 5))
    new_cost = ctx.year >= 2022 and rng.random() < 0.3
    table = V.blocks(rng, ctx.sector, ctx.year, n, funds, new_cost)
    head = V.shanxi_fields(rng, ctx, name, funds, years)
    title = pick(rng, (ctx.place, "县(区)级")) + "预算部门(单位)项目支出绩效目标表"
    cut = nrng.randint(7, 13) if nrng.random() < noise.truncated_names else 0
    for item in (item for _, spans in table for _, items in spans for item in items):
        item.impl = (item.name, scaled(item, years))
        roll = nrng.random()
        if roll < noise.one_half:
            tag([item], "one_half")
            half = roll < noise.one_half / 2
            item.impl, item.annual = (None, True) if half else (item.impl, False)
    spacer = nrng.random() < noise.spacer_columns
    middle = nrng.random() < noise.merged_middle
    header = ["" if middle else V.SHANXI_HEADER[0], *V.SHANXI_HEADER[1:]]
    header = spread(header) if spacer else header
    rows = place_labels(nrng, noise, table, middle)
    restart = nrng.randint(3, len(rows) - 3) if len(rows) > 8 else -1
    restart = restart if nrng.random() < noise.table_restart else -1
    printed = 0
    for index, (l1t, l2t, l1, l2, item) in enumerate(rows):
        items = [item] if item else []
        if index in (0, restart):
            doc.table = None
            if index:  # the table restarts on a new page, its labels printed again
                doc.text("", "", doc.page_style.format(doc.page) if doc.page_style else "", "")
                doc.events.append((len(doc.lines), "table_restart"))
                l1t, l2t = l1t or l1, l2t or l2
            doc.text(title, "", f"({ctx.year}年度)", "", *head, T.join(header))
            doc.table = [header]
        tag(items if index >= restart > 0 else [], "table_restart")
        left = list(item.impl) if item and item.impl else ["", ""]
        right = ["", ""]
        if item and item.annual:
            right = [item.name[:cut] if 0 < cut < len(item.name) - 1 else item.name, item.value]
            tag(items if right[0] != item.name else [], "truncated_names")
        lead = V.SHANXI_HEADER[0] if middle and index == len(rows) // 2 else ""
        cells = [lead, l1t, l2t, *left, l2t, *right]
        line, tags = doc.row(shifted(nrng, noise.shift, spread(cells) if spacer else cells, items))
        if item and item.impl:
            doc.target(name, "implementation", (l1, l2), item, line, tags, impl=True)
        if item and item.annual:
            doc.target(name, "annual", (l1, l2), item, line, tags)
        printed += bool(item and item.impl) + bool(item and item.annual)
    doc.table = None
    stamp = f"{ctx.year - 1}{rng.randint(10, 12)}{rng.randint(10, 28)}{rng.randint(8, 17):02d}"
    stamp += f"{rng.randint(10, 59)}{rng.randint(10, 59)}"
    doc.text(T.join(["负责人:", "经办人:", "", "联系电话:", "", "填报日期:", "", stamp]), "")
    return printed


def spread(cells: list[str]) -> list[str]:
    """Cells with an empty spacer column after each one but the first."""
    return cells[:1] + [c for cell in cells[1:] for c in (cell, "")]


def scaled(item: Item, years: int) -> str:
    """The implementation-period value of a multi-year project (counts and money × years)."""
    if not 1 < years < 99 or item.kind not in ("count", "money") or "/" in item.value:
        return item.value
    return re.sub(r"\d+(\.\d+)?", lambda m: fmt(float(m.group()) * years), item.value, count=1)


# ---- Henan budgets -----------------------------------------------------------------------------


def henan(doc: Doc, ctx: Ctx, size: int) -> None:
    rng, nrng, noise = doc.rng, doc.nrng, doc.noise
    cover(doc, ctx, f"{ctx.year} 年度部门预算")
    if size >= 30 and rng.random() < 0.9:  # the department-wide table
        tasks = [pick(rng, ctx.sector.objects)[0] for _ in range(rng.randint(2, 6))]
        tasks = list(dict.fromkeys(tasks))
        doc.text("本级部门(单位)整体绩效目标表", f"({ctx.year} 年度)", "")
        doc.text(T.join(["部门（单位）名称", "", ctx.dept, "", ""]), f"年度主要任务{T}任务名称")
        doc.text(*(T.join(["", task, "", f"做好{task}相关工作。", ""]) for task in tasks))
        doc.text(T.join(["预算情况", "部门预算总额（万元）", "", f"{rng.uniform(300, 5000):.2f}"]))
        texts = [wrap(nrng, pick(rng, V.HENAN_DESCRIPTIONS)) for _ in range(60)]

        def row(l1t: str, l2t: str, it: Item | None) -> list[str]:
            return [l1t, l2t, it.name, it.value, texts.pop()] if it else [l1t, l2t]

        header = ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"]
        table = V.henan_department(rng, ctx.sector, tasks)
        size -= single_table(doc, table, header, row, noise.shift / 10)
    plans = V.henan_plans(rng, ctx, max(size, 4))
    doc.text(f"{ctx.year} 年度部门预算项目绩效目标表", "", f"部门名称：{ctx.dept}", "")
    doc.text(*(T.join(cells) for cells in V.HENAN_HEADER))
    total = f"{sum(plan[2] for plan in plans):.2f}"
    for code in (ctx.code, ctx.code + "001"):  # the department's and the unit's total rows
        doc.text(T.join([code, ctx.dept, total, total] + [""] * 10))
    doc.table = V.HENAN_HEADER
    spaced_doc = nrng.random() < noise.spaced_values
    for code, name, amount, columns in plans:
        code = code[:11] + " " + code[11:] if nrng.random() < noise.cell_wrap else code
        shown = wrap(nrng, name) if len(name) > 8 and nrng.random() < noise.cell_wrap else name
        for r in range(max(len(column) for column in columns)):
            cells = [code, shown, f"{amount:.2f}", f"{amount:.2f}", "", ""] if r == 0 else [""] * 6
            items = [column[r] for column in columns if r < len(column)]
            for item in (column[r] if r < len(column) else None for column in columns):
                if item is None:
                    cells += ["", ""]
                    continue
                wrapped = len(item.name) > 6 and nrng.random() < noise.cell_wrap
                tag([item] if wrapped else [], "cell_wrap")
                value = spaced(item.value) if spaced_doc else item.value
                tag([item] if value != item.value else [], "spaced_values")
                cells += [wrap(nrng, item.name) if wrapped else item.name, value]
            line, tags = doc.row(shifted(nrng, noise.shift / 10, cells, items) if r else cells)
            for label, column in zip(V.HENAN_BLOCKS, columns, strict=True):
                if r < len(column):
                    doc.target(name, "annual", (label, None), column[r], line, tags)
    doc.table = None
    doc.text("")


# ---- final accounts ----------------------------------------------------------------------------


def final_accounts(doc: Doc, ctx: Ctx, size: int) -> None:
    cover(doc, ctx, f"{ctx.year}年度部门决算公开")
    sizes: list[int] = []
    while size > 0:
        n = min(doc.rng.randint(6, 16), max(6, size))
        sizes.append(n if size - n >= 6 else max(size, 6))
        size -= sizes[-1]
    doc.text("十、绩效评价情况", "", f"组织对{ctx.year}年度{len(sizes)}个项目开展绩效自评。", "")
    doc.text("第五部分 附件", "")
    for n in sizes:
        fa_project(doc, ctx, ctx.project_name(doc.rng), n)


def fa_project(doc: Doc, ctx: Ctx, name: str, n: int) -> None:
    """A project's analysis report (the source of targets), then its self-evaluation table."""
    rng, nrng, noise = doc.rng, doc.nrng, doc.noise
    budget = round(rng.lognormvariate(math.log(120000), 1.1), -2) + 1000
    spent = budget if rng.random() < 0.6 else round(budget * rng.uniform(0.3, 1.0), 2)
    initial = budget if rng.random() < 0.7 else round(budget * rng.uniform(0.5, 1.0), -2)
    table = V.blocks(rng, ctx.sector, ctx.year, n, budget, new_cost=False)
    points = V.evaluate(rng, table)
    rate, execution = round(spent / budget * 100, 2), round(min(spent / budget, 1) * 10, 2)
    total = round(execution + points, 2)
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    goal = f"完成{pick(rng, ctx.sector.objects)[0]}等任务，提升{pick(rng, ctx.sector.aims)}。"
    unit, dept = f"{ctx.code}001-{ctx.dept}", f"{ctx.code}-{ctx.dept}"
    doc.text("项目支出绩效自评分析报告", "")
    if rng.random() < 0.5:
        doc.text(f"项目名称:{name} 项目单位:{unit} 主管部门:{dept}", "")
    else:
        doc.text(f"项目名称: {name}", "", f"项目单位: {unit} 主管部门: {dept}", "")
    for text in V.FA_REPORT_TOP.format(year=ctx.year, goal=goal).split("|"):
        doc.text(text, "")
    yuan = [f"{v:,.2f}".removesuffix(".00") for v in (initial, initial, budget, spent)]
    yuan.append(f"{budget - spent:,.2f}".removesuffix(".00"))
    doc.text(*(T.join(cells) for cells in V.FA_EXECUTION))
    doc.text(T.join(["合计", *yuan, fmt(rate), fmt(execution)]), T.join(["市县区财政资金", *yuan]))
    header = [list(cells) for cells in V.FA_HEADER]
    if nrng.random() < noise.ocr_variants:
        header[0][1] = header[0][1].translate(V.OCR)
    doc.text("", "(二)绩效指标完成情况", "", *(T.join(cells) for cells in header))
    doc.table = header
    spaced_doc = nrng.random() < noise.spaced_values / 3
    middle = nrng.random() < noise.merged_middle
    for l1t, l2t, l1, l2, item in place_labels(nrng, noise, table, middle):
        l1t = fa_label(nrng, noise, l1t, item)
        l2t = fa_label(nrng, noise, V.SHORT_L2.get(l2t, l2t), item)
        if item is None:
            doc.row([l1t, l2t] + [""] * 7)
            continue
        value = spaced(item.value) if spaced_doc else item.value
        actual, score = item.extra["actual"], fmt(item.extra["score"])
        if nrng.random() < noise.number_spaces and "." in value + actual + score:
            tag([item], "number_spaces")
            value, actual, score = ocr_number(value), ocr_number(actual), ocr_number(score)
        weight, why = fmt(item.extra["weight"]), item.extra["why"]
        cells = [l1t, l2t, item.name, "", value, actual, weight, score, why]
        line, tags = doc.row(shifted(nrng, noise.shift / 10, cells, [item]))
        doc.target(name, "annual", (l1, l2), item, line, tags)
    doc.table = None
    result = {"execution": fmt(execution), "points": fmt(points), "total": fmt(total)}
    doc.text("", "三、项目自评结果", "", V.FA_RESULT.format(name=name, grade=grade, **result), "")
    doc.text(f"{name}项目支出绩效自评表", "", f"({ctx.year}年度)", "")
    money = T.join(ocr_number(fmt(v / 1e4)) for v in (budget, budget, spent, budget - spent))
    values = {"name": name, "dept": dept, "unit": unit, "money": f"{money}{T}{fmt(rate)}"}
    doc.text(*(T.join(cells).format(**values) for cells in V.FA_TABLE_TOP))
    for index, (l1t, l2t, _, _, item) in enumerate(place_labels(nrng, Noise.off(), table, False)):
        cells = [("", "绩", "效指", "标", "")[min(index, 4)], l1t[:-1].translate(V.GARBLE)]
        cells.append(l2t.translate(V.OCR))
        if item:  # the second rendering, OCR'd harder: compared by perfkg, not a source
            shown = item.name.translate(V.GARBLE) if nrng.random() < 0.2 else item.name
            extra = item.extra
            score = ocr_number(fmt(extra["score"]))
            cells += [shown, "", item.value, extra["actual"], fmt(extra["weight"]), score]
            cells.append(extra["why"])
        doc.text(T.join(cells))
    doc.text(T.join(["", "", "", "总分", "", "", "", "", fmt(total), grade]), "")


def fa_label(nrng: random.Random, noise: Noise, label: str, item: Item | None) -> str:
    """A level label as the scanned report prints it: wrapped (产出 指标), OCR'd (満)."""
    if len(label) >= 4 and nrng.random() < 0.5:
        label = wrap(nrng, label)
    if label and nrng.random() < noise.ocr_variants and label != label.translate(V.OCR):
        label = label.translate(V.OCR)
        tag([item] if item else [], "ocr_variants")
    return label


# ---- the corpus --------------------------------------------------------------------------------

BUILDERS = {"shanxi_budget": shanxi, "henan_budget": henan, "final_accounts": final_accounts}


def document(index: int, seed: int, noise: Noise | None = None) -> tuple[str, Doc]:
    """Document ``index`` of the corpus of ``seed``: its name ``NNNNN_<family>`` and content."""
    rng = random.Random(f"perfkg-corpus/{seed}/{index}")
    nrng = random.Random(f"perfkg-corpus/{seed}/{index}/layout")
    roll = rng.random()
    family = FAMILIES[0 if roll < 0.45 else 1 if roll < 0.70 else 2]
    doc = Doc(rng, nrng, noise or Noise())
    size = min(790, max(10, round(rng.lognormvariate(math.log(80), 0.8))))  # ≤ 800 printed
    BUILDERS[family](doc, V.context(rng, family), size)
    return f"{index:05d}_{family}", doc


def generate(documents: int, seed: int, out: Path, noise: Noise | None = None) -> list[Path]:
    """Write ``documents`` documents with their expected targets under ``out`` (replacing a
    corpus already there); their paths."""
    out = Path(out)
    for folder in (out / "expected", out / "noise"):
        folder.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob(f"{NUMBERED}.txt"), *out.glob(f"*/{NUMBERED}.jsonl")]:
        old.unlink()  # a previous corpus there, larger or of another seed
    paths = []
    for index in range(documents):
        name, doc = document(index, seed, noise)
        paths.append(out / f"{name}.txt")
        paths[-1].write_text("\n".join(doc.lines) + "\n", encoding="utf-8")
        dumps = (json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in doc.targets)
        (out / "expected" / f"{name}.jsonl").write_text("".join(f"{d}\n" for d in dumps), "utf-8")
        events = "".join(f'{{"line":{line},"kind":"{kind}"}}\n' for line, kind in doc.events)
        (out / "noise" / f"{name}.jsonl").write_text(events, encoding="utf-8")
    manifest = {"documents": documents, "seed": seed, "noise": asdict(noise or Noise())}
    (out / "corpus.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return paths


# ---- scoring -----------------------------------------------------------------------------------


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def score_document(path: Path) -> dict[str, Any]:
    """Counts of one document: expected, extracted, matched, right fields, per noise kind."""
    from graphbuild.extract import extract_file

    folder, name = path.parent, path.stem
    expected = [json.loads(line) for line in read_lines(folder / "expected" / f"{name}.jsonl")]
    kinds_at: dict[int, set[str]] = defaultdict(set)  # noise kinds on each line
    for event in map(json.loads, read_lines(folder / "noise" / f"{name}.jsonl")):
        kinds_at[event["line"]].add(event["kind"])
    try:
        got, error = extract_file(path).targets, None
    except Exception as problem:  # a document perfkg cannot read: every target missed
        got, error = [], f"{type(problem).__name__}: {problem}"
    pool: dict[tuple, list[int]] = defaultdict(list)
    for i, want in enumerate(expected):
        pool[want["project"], want["period"], want["level3"], want["value"]].append(i)
        kinds_at[want["line"]].update(want["noise"])
    matched: dict[int, Any] = {}
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for t in got:
        same = pool.get((t.project, t.period, t.level3, t.value), [])
        free = [i for i in same if i not in matched]
        if free:
            matched[min(free, key=lambda i: abs(expected[i]["line"] - t.line))] = t
        for kind in [] if free else sorted(kinds_at.get(t.line, ())) or ["none"]:
            kinds[kind]["extra"] += 1
    counts = Counter(expected=len(expected), extracted=len(got), extra=len(got) - len(matched))
    for i, want in enumerate(expected):
        right, hit = Counter(expected=1), matched.get(i)
        if hit is not None:
            right.update(matched=1, level1=hit.level1 == want["level1"])
            right.update(level2=hit.level2 == want["level2"], fa_matched="weight" in want)
            if "weight" in want:
                fa = ("actual", "weight", "score")
                right.update({key: getattr(hit, key) == want[key] for key in fa})
        counts.update(right - Counter(expected=1))
        for kind in want["noise"] or ["none"]:
            kinds[kind].update(right)
    misses = [f"line {w['line']}: {w['level3']} = {w['value']} {w['noise']}"
              for i, w in enumerate(expected) if i not in matched]  # fmt: skip
    return {"document": path.name, "family": name.split("_", 1)[1], "counts": counts,
            "kinds": kinds, "missed": len(misses), "misses": misses[:3], "error": error,
            "extra": len(got) - len(matched)}  # fmt: skip


def rates(c: Counter[str]) -> dict[str, Any]:
    """Precision, recall, F1 and, among matched targets, the share of each field right."""
    p = c["matched"] / c["extracted"] if c["extracted"] else 1.0
    r = c["matched"] / c["expected"] if c["expected"] else 1.0
    out: dict[str, Any] = {key: c[key] for key in ("expected", "extracted", "matched", "extra")}
    out |= {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    for key in ("level1", "level2", "actual", "weight", "score"):
        base = c["matched"] if key.startswith("level") else c["fa_matched"]
        out[key] = c[key] / base if base else None
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def noise_rates(c: Counter[str]) -> dict[str, Any]:
    """Recall and level accuracy of the targets a noise kind touched, and the extras on its
    lines (precision has no meaning per kind: an extracted target carries no tag)."""
    return {
        k: v
        for k, v in rates(c).items()
        if k in ("expected", "recall", "extra", "level1", "level2")
    }


def score(out: Path, limit: int | None = None, jobs: int = 1) -> dict[str, Any]:
    """Extract each document of a corpus (the first ``limit``) and score it against its
    expected targets: overall, per family, per noise kind; the documents with most misses."""
    paths = sorted(Path(out).glob(f"{NUMBERED}.txt"))[:limit]
    started = time.perf_counter()
    if jobs > 1:
        from multiprocessing import Pool

        with Pool(jobs) as workers:
            results = workers.map(score_document, paths, chunksize=4)
    else:
        results = [score_document(path) for path in paths]
    total, families, kinds = Counter(), defaultdict(Counter), defaultdict(Counter)
    for result in results:
        total.update(result["counts"])
        families[result["family"]].update(result["counts"])
        for kind, counts in result["kinds"].items():
            kinds[kind].update(counts)
    worst = sorted(results, key=lambda r: (-r["missed"] - r["extra"], r["document"]))[:10]
    worst = [r for r in worst if r["missed"] + r["extra"]]
    return {
        "documents": len(results),
        "seconds": round(time.perf_counter() - started, 1),
        "overall": rates(total),
        "families": {family: rates(families[family]) for family in sorted(families)},
        "noise": {k: noise_rates(kinds[k]) for k in ("none", *KINDS) if k in kinds},
        "worst": [{k: r[k] for k in ("document", "missed", "extra", "misses")} for r in worst],
        "errors": {r["document"]: r["error"] for r in results if r["error"]},
    }


def table(rows: dict[str, dict[str, Any]], cols: tuple[str, ...]) -> list[str]:
    """Aligned text rows of a dict of dicts."""
    lines = [f"{'':18}" + "".join(f"{c[:9]:>10}" for c in cols)]
    for name, r in rows.items():
        cells = ("-" if r.get(c) is None else r[c] for c in cols)
        lines.append(f"{name:18}" + "".join(f"{cell:>10}" for cell in cells))
    return lines


def report(result: dict[str, Any]) -> str:
    """A score as readable tables."""
    lines = [f"{result['documents']} documents scored in {result['seconds']} s", ""]
    cols = ("expected", "extracted", "matched", "precision", "recall", "f1", "level1", "level2")
    lines += table({"overall": result["overall"], **result["families"]}, cols)
    fa = result["families"].get("final_accounts", {})
    if fa.get("actual") is not None:
        shares = ", ".join(f"{key} {fa[key]}" for key in ("actual", "weight", "score"))
        lines.append(f"final accounts, among matched: {shares}")
    lines += ["", "targets by the noise on their row or labels (none: untouched); extra: targets "
              "extracted that match nothing, by the noise on their line"]  # fmt: skip
    lines += table(result["noise"], ("expected", "recall", "level1", "level2", "extra"))
    lines += ["", "documents with the most misses (missed / extra):"]
    for r in result["worst"]:
        lines += [f"  {r['document']}: {r['missed']} / {r['extra']}"]
        lines += [f"      {miss}" for miss in r["misses"]]
    return "\n".join(lines + [f"unreadable: {doc}: {e}" for doc, e in result["errors"].items()])


def ablate(documents: int, seed: int, out: Path, jobs: int = 1) -> dict[str, dict[str, Any]]:
    """Score one corpus clean, fully noisy, and with each noise kind alone at its default
    rate: the same indicators each time, so the differences are what each kind costs."""
    variants = {"clean": Noise.off(), "all": Noise()}
    variants |= {kind: replace(Noise.off(), **{kind: getattr(Noise(), kind)}) for kind in KINDS}
    found = {}
    for name, noise in variants.items():
        generate(documents, seed, Path(out) / name, noise)
        result = score(Path(out) / name, jobs=jobs)
        found[name] = result["overall"] | {f: r["f1"] for f, r in result["families"].items()}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser("python -m benchmarks.corpus", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a corpus")
    make.add_argument("--clean", action="store_true", help="no layout noise at all")
    make.add_argument("--noise", action="append", default=[], metavar="KIND=RATE",
                      help=f"one noise rate; kinds: {', '.join(KINDS)}")  # fmt: skip
    judge = commands.add_parser("score", help="extract a corpus and score it")
    judge.add_argument("folder", type=Path)
    judge.add_argument("--limit", type=int)
    judge.add_argument("--json", action="store_true", help="print the result as JSON")
    ablation = commands.add_parser("ablate", help="score clean, noisy and one noise kind alone")
    for command in (make, ablation):
        command.add_argument("--documents", type=int, default=1000)
        command.add_argument("--seed", type=int, default=7)
        command.add_argument("--out", type=Path, required=True)
    for command in (judge, ablation):
        command.add_argument("--jobs", type=int, default=1, help="processes extracting")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.command == "generate":
        noise = Noise.off() if args.clean else Noise()
        for kind, _, rate in (setting.partition("=") for setting in args.noise):
            if kind not in KINDS:
                parser.error(f"unknown noise kind {kind!r}; kinds: {', '.join(KINDS)}")
            noise = replace(noise, **{kind: float(rate)})
        paths = generate(args.documents, args.seed, args.out, noise)
        size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
        seconds = time.perf_counter() - started
        print(f"{len(paths)} documents in {seconds:.1f} s, {size / 1e6:.1f} MB under {args.out}")
    elif args.command == "score":
        result = score(args.folder, args.limit, args.jobs)
        print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else report(result))
    else:
        found = ablate(args.documents, args.seed, args.out, args.jobs)
        print("\n".join(table(found, ("precision", "recall", "f1", "level1", "level2", *FAMILIES))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
