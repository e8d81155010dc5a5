"""What a family parser fills in for one document, and the conversion of placed rows to records.

A diagnostic keeps a bounded excerpt of its row (:data:`EXCERPT_CELLS` cells of at most
:data:`EXCERPT_CHARS` characters each, then a note of how many more there were) and a reason of
at most :data:`REASON_CHARS` characters, so that a row of thousands of cells costs what it
holds, not that times itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphbuild.extract.cells import clean
from graphbuild.extract.headers import is_column_word
from graphbuild.extract.levels import is_header_word, split_weight, vocabulary
from graphbuild.extract.read import Line
from graphbuild.extract.resolution import Resolved
from graphbuild.extract.sweep import unread_rows
from graphbuild.extract.values import parse_number, parse_value
from graphbuild.records import Accounting, Diagnostic, Document, Project, TableKind, Target

EXCERPT_CELLS = 24
EXCERPT_CHARS = 200
REASON_CHARS = 400


@dataclass
class DocumentParts:
    """The records of one document as a parser builds them."""

    document: Document
    projects: list[Project] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    table_rows: dict[int, list[str]] = field(default_factory=dict)
    checked_rows: set[int] = field(default_factory=set)
    tables_by_header: int = 0
    tables_not_understood: int = 0

    def read_rows(self, lines: list[Line], *, check: bool = False) -> None:
        """Note indicator-table rows as read: each must end as a target, a diagnostic or a
        row of level labels only (see ``account``); with ``check``, rows of a second
        rendering of a table that were compared with the first (a self-evaluation table)."""
        for line in lines:
            if any(clean(cell) for cell in line.cells):
                self.table_rows[line.number] = line.cells
                if check:
                    self.checked_rows.add(line.number)

    def account(self, lines: list[Line] | None = None) -> Accounting:
        """Where every indicator row went; a row that went nowhere becomes a diagnostic here.

        With the document's ``lines``, the rows of indicator tables that no parser read (see
        :mod:`graphbuild.extract.sweep`) are counted too, each a diagnostic unless it holds labels only.
        """
        self._check_numbers()
        target_lines = {t.line for t in self.targets}
        diagnosed = {d.line for d in self.diagnostics}
        if lines is not None:
            self._sweep(lines, target_lines | diagnosed)
            diagnosed = {d.line for d in self.diagnostics}
        accounting = Accounting(
            rows=len(self.table_rows),
            tables_by_header=self.tables_by_header,
            tables_not_understood=self.tables_not_understood,
        )
        for line, cells in sorted(self.table_rows.items()):
            if line in target_lines:
                accounting.target_rows += 1
            elif line in diagnosed:
                accounting.diagnosed_rows += 1
            elif line in self.checked_rows:
                accounting.checked_rows += 1
            elif only_labels(cells):
                accounting.label_rows += 1
            else:
                accounting.unplaced_rows += 1
                self.diagnose(line, "a table row that no rule placed", cells, "error")
        return accounting

    def _check_numbers(self) -> None:
        """A value with a number too large to keep stays text; say so."""
        for target in self.targets:
            if parse_value(target.value).overflow:
                self.diagnose(
                    target.line,
                    f"the value {excerpt([target.value])[0]!r} holds a number too large to keep "
                    "(kept as text, without a number)",
                )

    def _sweep(self, lines: list[Line], placed: set[int | None]) -> None:
        """Note the unread rows of indicator regions, diagnosing those that hold more than labels."""
        unread: set[int] = set()
        for region, line in unread_rows(lines, set(self.table_rows) | placed):
            self.table_rows[line.number] = line.cells
            if not only_labels(line.cells):
                unread.add(region.first)
                self.diagnose(
                    line.number,
                    f"a row of an indicator table (lines {region.first}–{region.last}"
                    + (f", header {_header_text(region.header.cells)}" if region.header else "")
                    + ") that no parser read: the table's title or header is missing or "
                    "damaged, or its layout is not known",
                    line.cells,
                    "error",
                )
        self.tables_not_understood += len(unread)

    def diagnose(
        self,
        line: int | None,
        reason: str,
        cells: list[str] | None = None,
        severity: str = "warning",
    ) -> None:
        if len(reason) > REASON_CHARS:
            reason = reason[: REASON_CHARS - 1] + "…"
        self.diagnostics.append(
            Diagnostic(self.document.document, line, reason, excerpt(cells or []), severity)  # type: ignore[arg-type]
        )

    def report(self, problems: list[tuple[int, str, list[str]]]) -> None:
        for line, reason, cells in problems:
            self.diagnose(line, reason, cells)


def _header_text(cells: list[str]) -> str:
    """A header row's words for a diagnostic (at most 160 characters)."""
    text = " | ".join(word for cell in cells if (word := clean(cell)))
    return text if len(text) <= 160 else text[:159] + "…"


def make_target(
    document: str, table: TableKind, project: str | None, project_line: int | None, placed: Resolved
) -> Target:
    """A target record from a placed row, with its value parsed."""
    parsed = parse_value(placed.value)
    extra = placed.extra
    return Target(
        document=document,
        table=table,
        project=project,
        period=placed.period,  # type: ignore[arg-type]
        level1=placed.level1,
        level2=placed.level2,
        level3=placed.level3,
        value=placed.value,
        line=placed.line,
        op=parsed.op,
        number=parsed.number,
        number_max=parsed.number_max,
        unit=parsed.unit,
        kind=parsed.kind,
        date=parsed.date,
        placeholder=parsed.placeholder,
        level1_raw=placed.level1_raw,
        level2_raw=placed.level2_raw,
        level3_raw=placed.level3_raw,
        description=extra.get("DESC"),
        initial_value=extra.get("V0"),
        actual=extra.get("ACT"),
        deviation_reason=extra.get("WHY"),
        project_line=project_line,
        weight=parse_number(extra.get("W")),
        score=parse_number(extra.get("S")),
    )


def make_targets(
    document: str,
    table: TableKind,
    project: str | None,
    project_line: int | None,
    placed: list[Resolved],
) -> list[Target]:
    return [make_target(document, table, project, project_line, p) for p in placed]


def only_labels(cells: list[str]) -> bool:
    """True for a row holding nothing but level 1 / level 2 labels (with or without their
    weight: 产出指标(50分)), header words or period labels (年度绩效指标)."""
    words = [clean(cell) for cell in cells if clean(cell)]
    return all(
        vocabulary().lookup(split_weight(word)[0]) or is_header_word(word) or is_column_word(word)
        for word in words
    )


def excerpt(cells: list[str]) -> list[str]:
    """At most EXCERPT_CELLS cells of at most EXCERPT_CHARS characters, and a last cell saying
    how many were left out.

    >>> excerpt(["a", "b" * 300])[1][-3:], len(excerpt(["x"] * 1000))
    ('bb…', 25)
    >>> excerpt(["x"] * 1000)[-1]
    '… 976 more cells'
    """
    kept = [
        cell if len(cell) <= EXCERPT_CHARS else cell[: EXCERPT_CHARS - 1] + "…"
        for cell in cells[:EXCERPT_CELLS]
    ]
    if len(cells) > EXCERPT_CELLS:
        kept.append(f"… {len(cells) - EXCERPT_CELLS} more cells")
    return kept
