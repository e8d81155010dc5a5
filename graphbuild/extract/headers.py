"""The header vocabulary of indicator tables (``ontology/headers.ttl``) and a table's header read.

Tables of other provinces name their columns in many ways (指标值, 目标值, 当年预期实现值 …).
The vocabulary maps every header word onto a column *role*:

- indicator columns: ``L1`` ``L2`` ``L3`` (一级/二级/三级指标), ``V`` (指标值), ``V0`` (年初指标值),
  ``OP`` (the comparator in its own column), ``UNIT`` (度量单位), ``W`` (权重/分值), ``ACT``
  (实际完成值), ``S`` (得分), ``WHY`` (偏差原因), ``DIR`` (指标方向性), ``DESC`` (指标解释),
  ``NOTE`` (备注), ``SEQ`` (序号);
- project columns printed on a project's first row: ``UNAME`` (单位名称), ``PNAME`` (项目名称),
  ``PCODE``, ``BUDGET`` (预算数), ``GOAL`` (年度目标);
- budget-execution columns of a self-evaluation form: ``B0`` ``B`` ``SPENT`` ``RATE``;
- and labels of a table's period halves (长期/实施期 → ``implementation``, 年度 → ``annual``);
- a column headed by a word of none of these is ``SKIP``: its cells are not kept, and do not
  push the other cells of their row out of place.

:func:`read_header` turns the rows of a header (one or more lines: a merged cell prints its
word once, at its top left) into columns: each column takes the role of the lowest word printed
in it; words above it label a period; a role met again starts the next half of a table printed
in two halves side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graphbuild.extract.cells import clean, compact, fold_variants
from graphbuild.extract.levels import vocabulary
from graphbuild.vocab import HEADERS_FILE

INDICATOR_ROLES = frozenset(
    {
        "L1",
        "L2",
        "L3",
        "V",
        "V0",
        "OP",
        "UNIT",
        "W",
        "ACT",
        "S",
        "WHY",
        "DIR",
        "DESC",
        "NOTE",
        "SEQ",
    }
)
PROJECT_ROLES = frozenset({"UNAME", "PNAME", "PCODE", "BUDGET", "GOAL"})
FUNDS_ROLES = frozenset({"B0", "B", "SPENT", "RATE"})
SKIP = "SKIP"
"""The role of a column whose header names no known column (项目类型 …): its cells are read as
belonging to it, and not kept."""
STRONG_ROLES = frozenset({"L1", "L2", "L3", "V"})
"""Roles that make a row an indicator header (with one more indicator column)."""
VALUE_ROLES = frozenset({"V", "V0", "ACT"})
PERIODS = ("implementation", "annual")

_WORD_PERIOD = (
    (re.compile(r"实施期|长期|中期"), "implementation"),
    (re.compile(r"年度|当年|本年"), "annual"),
)
_BRACKETS = re.compile(r"[（(【\[][^（()）【】\[\]]*[)）】\]]")
_HEADER_CHARS = 160


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """The matching key of a header word: bracketed notes, marks, spaces, punctuation and
    variant characters removed.

    >>> header_key("预算数（万元）"), header_key("指标 值"), header_key("权重(%)")
    ('预算数', '指标值', '权重')
    """
    return compact(_BRACKETS.sub("", clean(text)).strip("*★※"))


@dataclass(frozen=True)
class HeaderVocabulary:
    """Header words (as keys) → column roles; weaker synonyms and period labels apart."""

    roles: dict[str, str]
    weak: dict[str, str]
    periods: dict[str, str]

    def role(self, text: str) -> str | None:
        """The role a header word names (its pref- or altLabel), else None; a word naming no
        role outside its brackets may name one inside them (单位编码（项目编码）)."""
        if not text:
            return None
        role = self.roles.get(header_key(text))
        if role is None and "(" in (folded := fold_variants(text)):
            role = next(
                (r for inner in _BRACKETS.findall(folded) if (r := self.roles.get(compact(inner)))),
                None,
            )
        return role

    def weak_role(self, text: str) -> str | None:
        """The role a weaker synonym names (its hiddenLabel), else None."""
        return self.weak.get(header_key(text)) if text else None

    def period(self, text: str) -> str | None:
        """``implementation`` or ``annual`` for a period label, else None."""
        return self.periods.get(header_key(text)) if text else None


@lru_cache(maxsize=1)
def header_vocabulary() -> HeaderVocabulary:
    """The header vocabulary, parsed once from the ontology file."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(HEADERS_FILE, format="turtle")
    roles: dict[str, str] = {}
    weak: dict[str, str] = {}
    periods: dict[str, str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        code = str(notation)
        for prop, target in (
            (SKOS.prefLabel, roles),
            (SKOS.altLabel, roles),
            (SKOS.hiddenLabel, weak),
        ):
            for label in graph.objects(concept, prop):
                if getattr(label, "language", None) != "zh":
                    continue
                if code in PERIODS:
                    periods[header_key(str(label))] = code
                else:
                    target.setdefault(header_key(str(label)), code)
    return HeaderVocabulary(roles, weak, periods)


@lru_cache(maxsize=65536)
def is_column_word(text: str) -> bool:
    """True for a word that heads a column or labels a period half (目标值, 度量单位, 长期目标 …)."""
    vocab = header_vocabulary()
    return bool(vocab.role(text) or vocab.weak_role(text) or vocab.period(text))


def indicator_columns(cells: list[str]) -> list[str]:
    """The roles of the indicator columns a row names (one per cell naming one)."""
    vocab = header_vocabulary()
    return [role for cell in cells if (role := vocab.role(cell)) in INDICATOR_ROLES]


def names_indicator_columns(cells: list[str]) -> bool:
    """A row naming two indicator columns, one of them 一级/二级/三级指标 or the value."""
    roles = indicator_columns(cells)
    return len(roles) >= 2 and any(role in STRONG_ROLES for role in roles)


def foreign_columns(cells: list[str], known: frozenset[str]) -> list[str]:
    """The header words of ``cells`` that name a column in words outside ``known`` (the header
    words a family parser reads): a table headed so has a layout that parser does not know.

    >>> foreign_columns(["一级指标", "三级指标", "指标值", "权重"], frozenset({"三级指标", "指标值", "一级指标"}))
    ['权重']
    """
    vocab = header_vocabulary()
    keys = {header_key(word) for word in known}
    return [
        clean(cell)
        for cell in cells
        if vocab.role(cell) is not None and header_key(cell) not in keys
    ]


@dataclass(frozen=True)
class Column:
    """One column of a table: its position, its role and the half it belongs to (-1 for the
    project and budget columns, which belong to the whole row)."""

    col: int
    role: str
    half: int = 0
    scale: float = 1.0


@dataclass(frozen=True)
class Header:
    """A table's columns as its header names them."""

    columns: tuple[Column, ...]
    halves: int
    periods: tuple[str | None, ...]
    """Each half's period as the header labels it (None where it does not)."""
    period: str | None
    """The period a row-group label of the header gives the whole table (年度绩效指标 | 一级指标 …)."""
    words: tuple[str, ...]
    blocks: tuple[str | None, ...] = ()
    """Each half's level 1 where the header prints one over it (成本指标 | 产出指标 … over pairs
    of 三级指标 | 指标值): the halves are then blocks of one level 1, not periods."""

    def roles(self, half: int) -> set[str]:
        return {c.role for c in self.columns if c.half == half}

    def column(self, role: str, half: int = -2) -> Column | None:
        """The first column with ``role`` (in ``half``, unless -2)."""
        return next(
            (c for c in self.columns if c.role == role and (half == -2 or c.half == half)), None
        )

    @property
    def readable(self) -> bool:
        """True when the first half has a name column and a value column."""
        roles = self.roles(0)
        return "L3" in roles and bool(roles & VALUE_ROLES)

    @property
    def width(self) -> int:
        return max((c.col for c in self.columns), default=-1) + 1

    def text(self) -> str:
        """The header's words, for a diagnostic (at most :data:`_HEADER_CHARS` characters)."""
        shown = " | ".join(self.words)
        return shown if len(shown) <= _HEADER_CHARS else shown[: _HEADER_CHARS - 1] + "…"


def _word_period(word: str) -> str | None:
    """The period a column's own header word names (实施期指标值, 年度指标值), else None."""
    key = header_key(word)
    return next((period for pattern, period in _WORD_PERIOD if pattern.search(key)), None)


def read_header(rows: list[list[str]]) -> Header:
    """The columns named by a header of one or more rows (see the module's description).

    >>> header = read_header([["一级指标", "二级指标", "长期目标", "", "年度目标", ""],
    ...                       ["", "", "指标内容", "指标值", "指标内容", "指标值"]])
    >>> [(c.col, c.role, c.half) for c in header.columns], header.periods
    ([(0, 'L1', 0), (1, 'L2', 0), (2, 'L3', 0), (3, 'V', 0), (4, 'L3', 1), (5, 'V', 1)], ('implementation', 'annual'))
    """
    vocab = header_vocabulary()
    width = max((len(row) for row in rows), default=0)
    found: dict[int, tuple[str, int, bool]] = {}  # column → (role, row of its word, weak)
    for col in range(width):
        printed = [
            (r, row[col]) for r, row in enumerate(rows) if col < len(row) and clean(row[col])
        ]
        role = next(((vocab.role(w), r) for r, w in reversed(printed) if vocab.role(w)), None)
        if role is not None:
            found[col] = (role[0], role[1], False)
            continue
        weak = next(
            ((vocab.weak_role(w), r) for r, w in reversed(printed) if vocab.weak_role(w)), None
        )
        if weak is not None:
            found[col] = (weak[0], weak[1], True)
    strong = {role for role, _, is_weak in found.values() if not is_weak}
    found = {c: v for c, v in found.items() if not (v[2] and v[0] in strong)}
    spans: dict[int, str] = {}
    blocks: dict[int, str] = {}
    whole: str | None = None
    for r, row in enumerate(rows):
        filled = [c for c, cell in enumerate(row) if clean(cell)]
        for position, col in enumerate(filled):
            if col in found and found[col][1] <= r:
                continue
            end = filled[position + 1] if position + 1 < len(filled) else width
            if (block := _level1(row[col])) is not None:
                blocks.update(dict.fromkeys(range(col, end), block))
            if (period := vocab.period(row[col])) is None:
                continue
            if col not in found:
                whole = whole or period
                continue
            spans.update(dict.fromkeys(range(col, end), period))
    for col in range(width):  # a column headed by words of no known role: its cells are skipped
        if col not in found and any(col < len(row) and clean(row[col]) for row in rows):
            found[col] = (SKIP, 0, True)
    columns: list[Column] = []
    half, seen = 0, set()
    for col in sorted(found):
        role = found[col][0]
        if role not in INDICATOR_ROLES:
            scale = 1e4 if any("万" in row[col] for row in rows if col < len(row)) else 1.0
            columns.append(Column(col, role, -1, scale))
            continue
        if role in seen:
            half, seen = half + 1, set()
        seen.add(role)
        columns.append(Column(col, role, half))
    halves = half + 1 if columns else 0
    for col, (_, r, _) in found.items():  # 实施期指标值 | 年度指标值: the word says its period
        if col not in spans and (period := _word_period(rows[r][col])) is not None:
            spans[col] = period
    periods = tuple(
        next((spans[c.col] for c in columns if c.half == h and c.col in spans), None)
        for h in range(halves)
    )
    words = tuple(clean(cell) for row in rows for cell in row if clean(cell))
    labels = tuple(
        next((blocks[c.col] for c in columns if c.half == h and c.col in blocks), None)
        for h in range(halves)
    )
    return Header(tuple(columns), halves, periods, whole, words, labels)


def _level1(word: str) -> str | None:
    """The level 1 a header word names (成本指标 over a block of 三级指标 | 指标值), else None."""
    levels = vocabulary().lookup(clean(word)) if word.strip() else ()
    return next((level.label for level in levels if level.level == 1), None)
