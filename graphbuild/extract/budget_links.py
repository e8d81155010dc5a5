"""Rows of a project expenditure table (项目支出预算表) linked to the document's projects.

The project expenditure table lists every project with its money; the performance tables
(项目支出绩效目标表) describe the same projects one by one. A row and a project are the same
when their names are equal (compared without layout, punctuation and variant characters) and,
where that leaves two projects (two projects may share a name), when the row's amount is the
project's annual funds to the precision the row was printed with; a row whose name is only
close (an OCR'd character, a word more or less) is linked when exactly one close project has
its amount. What stays ambiguous is a diagnostic.
"""

from __future__ import annotations

import difflib
from typing import Any

from graphbuild.extract.cells import compact
from graphbuild.records import BudgetLine, Project

_UNITS = {"万元": 1e4, "元": 1.0}


def link_projects(lines: list[BudgetLine], projects: list[Project], reader: Any) -> None:
    """Each row of a project expenditure table linked to the project (performance table) of
    the same name in the document, by name and amount: the project of that name; of two of
    that name, the one whose annual funds are the row's amount (to the printed precision);
    where no name is equal, the one project whose name is close (OCR, a word more or less)
    and whose funds are the row's amount. Two projects left is a diagnostic, not a link."""
    by_name: dict[str, list[Project]] = {}
    for project in projects:
        by_name.setdefault(compact(project.project), []).append(project)
    rows: dict[int, list[BudgetLine]] = {}
    for budget_line in lines:
        kind, name, total = budget_line.table_kind, budget_line.name, budget_line.total
        if kind == "project_expenditure" and name and not total:
            rows.setdefault(budget_line.line, []).append(budget_line)
    for number, row in rows.items():
        name = compact(row[0].name or "")
        main = next((b for b in row if b.measure == "total"), row[0])
        candidates = by_name.get(name, [])
        if len(candidates) != 1:
            pool = candidates or [p for p in projects if _close(name, compact(p.project))]
            funded = [p for p in pool if _same(_funds(p), main)]
            if len(funded) == 1:
                candidates = funded
            elif len(candidates) > 1:
                reader.diagnose(
                    number,
                    f"project expenditure row {row[0].name!r} matches {len(candidates)} "
                    "projects of that name "
                    f"(lines {', '.join(str(p.line) for p in candidates)}) and its amount "
                    "does not tell them apart; not linked",
                    [row[0].name or ""],
                    "warning",
                )
                continue
            else:
                candidates = []
        if len(candidates) == 1:
            for budget_line in row:
                budget_line.project_line = candidates[0].line


def _close(a: str, b: str) -> bool:
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 6 and shorter in longer:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _funds(project: Project) -> float | None:
    if project.annual_funds_yuan is not None:
        return project.annual_funds_yuan
    return project.budget_yuan


def _same(funds: float | None, line: BudgetLine) -> bool:
    """The funds equal the line's amount to the precision it was printed with."""
    if funds is None or line.amount_yuan is None:
        return False
    return abs(funds - line.amount_yuan) <= precision(line) / 2 + 0.005


def precision(line: BudgetLine) -> float:
    """The yuan one unit of the last printed digit is worth (0.01 万元 → 100).

    >>> precision(BudgetLine("d", "t", None, None, "x", "合计", 1.0, 1, printed="11.26", unit="万元"))
    100.0
    """
    printed = (line.printed or "").replace(",", "").replace(" ", "")
    decimals = len(printed.split(".", 1)[1]) if "." in printed else 0
    return round(_UNITS.get(line.unit or "", 1.0) / 10**decimals, 6)
