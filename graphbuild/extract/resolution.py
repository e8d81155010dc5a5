"""The levels of each target, resolved across the rows of a table.

Rows come from :mod:`graphbuild.extract.alignment`. Merged labels carry down, leading rows take
the first label below them, a missing level 2 is inferred from the framework order, and 成本指标
is a level 1 only where the table also has cost level 2 labels. Both halves of a two-half table
(implementation period and year) are resolved, and names the right half truncated are repaired.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphbuild.extract.alignment import LEFT, RIGHT, RowParse, Token
from graphbuild.extract.cells import compact
from graphbuild.extract.levels import Level, vocabulary

# ---- levels across rows ------------------------------------------------------------------------


@dataclass
class Entry:
    """One half of one row: its level labels, name, value and any further columns."""

    line: int
    cells: list[str]
    l1: Token | None = None
    l2: Token | None = None
    name: str | None = None
    value: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    level1: str | None = None
    level2: str | None = None
    level2_inferred: bool = False

    @property
    def has_target(self) -> bool:
        return bool(self.name or self.value)


@dataclass
class Resolved:
    """A placed target before it becomes a record."""

    period: str
    line: int
    level1: str | None
    level2: str | None
    level3: str
    value: str
    extra: dict[str, str]
    level1_raw: str | None = None
    level2_raw: str | None = None
    level3_raw: str | None = None
    level2_inferred: bool = False


def split_halves(rows: list[RowParse], two_halves: bool) -> list[list[Entry]]:
    """The entries of the left half (and of the right half when the table has two)."""
    left: list[Entry] = []
    right: list[Entry] = []
    for row in rows:
        extra = {r: t.text for r, t in row.slots.items() if r not in LEFT + RIGHT}
        left.append(
            Entry(
                row.line,
                row.cells,
                row.slots.get("L1"),
                row.slots.get("L2"),
                row.text("L3"),
                row.text("V"),
                extra,
            )
        )
        if two_halves:
            entry = Entry(
                row.line,
                row.cells,
                row.slots.get("L1b"),
                row.slots.get("L2b"),
                row.text("L3b"),
                row.text("Vb"),
            )
            _share_row_labels(left[-1], entry)
            right.append(entry)
    return [left, right] if two_halves else [left]


def _share_row_labels(left: Entry, right: Entry) -> None:
    """The level 1 column is shared by both halves; one half of a row without its level 2 label
    takes the other half's, for the same name."""
    if right.l1 is None and left.l1 is not None:
        right.l1 = left.l1
    if not (left.name and right.name) or compact(left.name) != compact(right.name):
        return
    if right.l2 is None and left.l2 is not None:
        right.l2 = left.l2
    elif left.l2 is None and right.l2 is not None:
        left.l2 = right.l2


_AFFINITY = {
    "时效指标": ("时间", "时限", "期限", "及时", "时效", "进度", "周期", "完成时", "按时"),
    "质量指标": ("率", "合格", "质量", "达标", "验收", "标准", "规范"),
    "成本指标": ("费", "成本", "资金", "经费", "金额", "预算", "价格", "支出"),
    "数量指标": ("数量", "数", "个数", "次数", "人数", "面积", "规模"),
    "社会效益指标": ("社会", "群众", "服务", "形象", "稳定", "安全", "水平", "能力", "效率"),
    "经济效益指标": ("经济", "收入", "税收", "产值", "投资", "增收"),
    "生态效益指标": ("生态", "环境", "绿化", "污染", "节能", "排放"),
    "可持续影响指标": ("可持续", "长效", "长期", "持续"),
}


def _affinity(entry: Entry, label: str) -> int:
    text = (entry.name or "") + " " + (entry.value or "")
    return sum(word in text for word in _AFFINITY.get(label, ()))


def resolve_levels(
    entries: list[Entry], *, cost_is_level1: bool, department: bool, deliberate_labels: bool = False
) -> list[str]:
    """Give every entry a level 1 and level 2; returns notes on unknown labels."""
    vocab = vocabulary()
    notes: list[str] = []

    def known(token: Token | None, want: int) -> Level | None:
        if token is None:
            return None
        levels = [lv for lv in token.levels if department or not lv.department_only]
        if token.text in ("成本指标", "成本") or compact(token.text) in ("成本指标", "成本"):
            code = "成本指标"
            return (
                vocab.level1(code)
                if cost_is_level1
                else next(lv for lv in vocab.levels if lv.level == 2 and lv.label == code)
            )
        exact = [lv for lv in levels if lv.level == want]
        if exact:
            return exact[0]
        return levels[0] if levels else None

    # 1. read each entry's own labels
    own1: list[str | None] = []
    own2: list[str | None] = []
    printed1: list[str] = []
    for entry in entries:
        l1 = known(entry.l1, 1)
        l2 = known(entry.l2, 2)
        if l1 is not None and l1.level == 2 and l2 is None:
            l1, l2 = None, l1
        elif l1 is not None and l1.level == 2:
            l1 = None
        if l2 is not None and l2.level == 1:
            if l1 is None:
                l1 = l2
            l2 = None
        label2: str | None = l2.label if l2 else None
        if entry.l2 is not None and l2 is None and entry.l2.kind == "text":
            label2 = entry.l2.text
            notes.append(
                f"line {entry.line}: unknown level 2 label {entry.l2.text!r} kept as printed"
            )
        label1 = l1.label if l1 else None
        if label1:
            printed1.append(label1)
        if entry.l1 is not None and l1 is None and entry.l1.kind == "text":
            notes.append(f"line {entry.line}: unknown level 1 label {entry.l1.text!r}")
            label1 = entry.l1.text
        if l2 is not None and l2.parent and label1 is None:
            label1 = l2.parent
        own1.append(label1)
        own2.append(label2)

    # 2. level 2: carry down; rows before the first label take the first label below them
    label_rows = [i for i, lab in enumerate(own2) if lab]
    present = {lab for lab in own2 if lab}
    for i, entry in enumerate(entries):
        if own2[i]:
            entry.level2 = own2[i]
            continue
        before = [k for k in label_rows if k < i]
        after = [k for k in label_rows if k > i]
        if not before:
            entry.level2 = own2[after[0]] if after else None
            continue
        p = before[-1]
        block = _new_level1_block(own1, own2, p, i)
        if block is not None:  # a level 1 printed since the last level 2: that block is over
            entry.level2, entry.level2_inferred = _level2_in_block(own1, own2, block, i, department)
            continue
        entry.level2 = own2[p]
        # an empty label row followed by unlabelled rows: a level 2 missing between two labels
        if not entries[p].has_target and entries[p].level2 is not None:
            missing = _missing_between(
                own2[p], own2[after[0]] if after else None, present, department
            )
            if missing:
                entry.level2, entry.level2_inferred = missing, True

    # 3. trailing rows that mean a level 2 missing from the table move to it, unless the table
    #    reprints its level 1 at every block (then its labels are deliberate)
    reprinted = deliberate_labels or len(printed1) > len(set(printed1))
    if not reprinted:
        _move_trailing_rows(entries, present, department)

    # 4. level 1: from the level 2's parent, else the carried level 1 label
    current: str | None = None
    first1 = next((lab for lab in own1 if lab), None)
    for i, entry in enumerate(entries):
        if own1[i]:
            current = own1[i]
        parent = _parent(entry.level2)
        entry.level1 = parent or current or first1
        if parent and current and parent != current and own1[i] is None:
            current = parent
    return notes


def _new_level1_block(own1: list[str | None], own2: list[str | None], p: int, i: int) -> int | None:
    """The row in (p, i] printing a framework level 1 other than the parent of row p's level 2."""
    carried = own2[p]
    for k in range(p + 1, i + 1):
        label = own1[k]
        if (
            label
            and label != carried
            and vocabulary().level1(label) is not None
            and label != _parent(carried)
        ):
            return k
    return None


def _level2_in_block(
    own1: list[str | None], own2: list[str | None], block: int, i: int, department: bool
) -> tuple[str | None, bool]:
    """Level 2 of a row in the level 1 block opened at ``block`` that printed none before it:
    the first level 2 of the block below the row, else the level 1's only level 2 (inferred)."""
    level1 = own1[block]
    for k in range(i + 1, len(own2)):
        if own1[k] and own1[k] != level1 and vocabulary().level1(own1[k]) is not None:
            break
        if own2[k] and _parent(own2[k]) == level1:
            return own2[k], False
    children = [
        lv.label
        for lv in vocabulary().children(level1 or "")
        if department or not lv.department_only
    ]
    return (children[0], True) if len(children) == 1 else (None, False)


def _parent(label: str | None) -> str | None:
    if label is None:
        return None
    if label == "成本指标":
        return "产出指标"
    for level in vocabulary().levels:
        if level.level == 2 and level.label == label:
            return level.parent
    return None


def _siblings(label: str, department: bool) -> list[str]:
    parent = _parent(label)
    if parent is None:
        return []
    return [
        lv.label for lv in vocabulary().children(parent) if department or not lv.department_only
    ]


def _missing_between(
    previous: str | None, following: str | None, present: set[str], department: bool
) -> str | None:
    """The one framework level 2 between two printed labels that the table never printed."""
    if previous is None:
        return None
    order = _siblings(previous, department)
    if previous not in order:
        return None
    start = order.index(previous) + 1
    end = order.index(following) if following in order else len(order)
    candidates = [lab for lab in order[start:end] if lab not in present]
    return candidates[0] if len(candidates) == 1 else None


def _move_trailing_rows(entries: list[Entry], present: set[str], department: bool) -> None:
    blocks: list[list[Entry]] = []
    for entry in entries:
        if blocks and blocks[-1][0].level2 == entry.level2:
            blocks[-1].append(entry)
        else:
            blocks.append([entry])
    for block in blocks:
        label = block[0].level2
        if not label or label not in _AFFINITY:
            continue
        order = _siblings(label, department)
        if label not in order or order.index(label) + 1 >= len(order):
            continue
        following = order[order.index(label) + 1]
        if following in present or following not in _AFFINITY:
            continue
        for entry in reversed(block[1:]):
            if entry.has_target and _affinity(entry, following) and not _affinity(entry, label):
                entry.level2, entry.level2_inferred = following, True
            else:
                break


def repair_truncated_names(implementation: list[Resolved], annual: list[Resolved]) -> None:
    """Give a right-half name the PDF cut short the full name its left half shows."""
    full_names = {t.level3 for t in implementation}
    for target in annual:
        if target.level3 in full_names or len(target.level3) < 4:
            continue
        matches = {n for n in full_names if n.startswith(target.level3)}
        if len(matches) == 1:
            target.level3_raw = target.level3
            target.level3 = matches.pop()


def table_has_cost_level2(rows: list[RowParse]) -> bool:
    """True when any cell names a level 2 under 成本指标 (then 成本指标 itself is a level 1)."""
    for row in rows:
        for token in row.slots.values():
            if any(lv.level == 2 and lv.parent == "成本指标" for lv in token.levels):
                return True
    return False


def resolve_table(
    rows: list[RowParse], *, two_halves: bool, department: bool
) -> tuple[list[Resolved], list[tuple[int, str, list[str]]]]:
    """Targets of one indicator table, and (line, reason, cells) problems to report."""
    problems: list[tuple[int, str, list[str]]] = []
    for row in rows:
        if row.header:  # a repeated header row only contributes the labels printed in it
            row.slots = {r: t for r, t in row.slots.items() if t.kind in ("L1", "L2", "L12")}
            row.junk = []
    halves = split_halves([r for r in rows if not r.header or r.slots], two_halves)
    cost_is_l1 = table_has_cost_level2(rows)
    printed = [
        t.text
        for row in rows
        for r, t in row.slots.items()
        if r == "L1" and any(lv.level == 1 for lv in t.levels) and "成本" not in t.text
    ]
    deliberate = len(printed) > len(set(printed))
    results: list[list[Resolved]] = []
    for index, entries in enumerate(halves):
        notes = resolve_levels(
            entries, cost_is_level1=cost_is_l1, department=department, deliberate_labels=deliberate
        )
        for note in notes:
            line = int(note.split(":")[0].split()[1])
            cells = next((e.cells for e in entries if e.line == line), [])
            problems.append((line, note.split(": ", 1)[1], cells))
        period = "annual" if (index == 1 or not two_halves) else "implementation"
        placed: list[Resolved] = []
        for entry in entries:
            if not entry.has_target:
                continue
            if not entry.name:
                problems.append(
                    (entry.line, f"a value without a level 3 name ({entry.value})", entry.cells)
                )
                continue
            placed.append(
                Resolved(
                    period=period,
                    line=entry.line,
                    level1=entry.level1,
                    level2=entry.level2,
                    level3=entry.name,
                    value=entry.value or "",
                    extra=entry.extra,
                    level1_raw=entry.l1.text if entry.l1 else None,
                    level2_raw=entry.l2.text if entry.l2 else None,
                    level2_inferred=entry.level2_inferred,
                )
            )
        results.append(placed)
    for row in rows:
        for token in row.junk:
            problems.append((row.line, f"a cell that fits no column: {token.text!r}", row.cells))
    if two_halves:
        repair_truncated_names(results[0], results[1])
    return [t for half in results for t in half], problems
