"""The typed records that sit between parsing and RDF.

Every parser produces these and nothing else; the RDF mapping, the JSON Lines / CSV export and
the summary all read them. Field names are part of the public record contract (see
``docs/records.md``): add fields freely, rename none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Family = Literal["shanxi_budget", "henan_budget", "final_accounts", "unknown"]
Kind = Literal["budget", "final_accounts"]
TableKind = Literal["project", "department"]
Period = Literal["implementation", "annual"]
ValueKind = Literal["quantity", "percent", "date", "qualitative", "text", "empty"]


@dataclass
class Document:
    """One source file: its family, kind, year and publishing department."""

    document: str
    family: Family
    kind: Kind | None
    year: int | None
    department: str | None
    department_code: str | None
    encoding: str = "utf-8"
    lines: int = 0
    # the format the file was read from: text, pdf, xlsx, xls, html or docx
    source_format: str = "text"
    # the department-wide table's 年度预算情况 (Shanxi), in yuan
    budget_total_yuan: float | None = None
    basic_expenditure_yuan: float | None = None
    project_expenditure_yuan: float | None = None
    # the line those amounts were read from (the 合计 / 部门预算总额 row)
    budget_line: int | None = None
    record: str = "document"


@dataclass
class FundingSource:
    """One line of a project's funding breakdown (中央/省级/市县/单位自筹/其他), in yuan."""

    source: str
    implementation_yuan: float | None = None
    annual_yuan: float | None = None


@dataclass
class Project:
    """A project (项目) with its header fields; money is always in yuan."""

    document: str
    project: str
    line: int
    project_code: str | None = None
    department: str | None = None
    department_code: str | None = None
    implementing_unit: str | None = None
    attribute: str | None = None
    term: str | None = None
    total_funds_yuan: float | None = None
    annual_funds_yuan: float | None = None
    funding: list[FundingSource] = field(default_factory=list)
    overview: str | None = None
    basis: str | None = None
    necessity: str | None = None
    measures: str | None = None
    plan: str | None = None
    goal_implementation: str | None = None
    goal_annual: str | None = None
    # final accounts only
    budget_yuan: float | None = None
    spent_yuan: float | None = None
    execution_rate: float | None = None
    execution_score: float | None = None
    total_score: float | None = None
    grade: str | None = None
    # where the title line came from in a PDF, workbook, web page or Word file; None for text
    origin: str | None = None
    record: str = "project"


@dataclass
class Target:
    """One performance target: a 三级指标 with its value under its level 1 and level 2."""

    document: str
    table: TableKind
    project: str | None
    period: Period
    level1: str | None
    level2: str | None
    level3: str
    value: str
    line: int
    op: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    kind: ValueKind = "empty"
    date: str | None = None
    placeholder: bool = False
    level1_raw: str | None = None
    level2_raw: str | None = None
    level3_raw: str | None = None
    description: str | None = None
    # final accounts only
    initial_value: str | None = None
    actual: str | None = None
    weight: float | None = None
    score: float | None = None
    deviation_reason: str | None = None
    project_line: int | None = None
    # where the row came from in a PDF, workbook, web page or Word file; None for text
    origin: str | None = None
    # tables read by the header-driven reader: 指标方向性 (positive | negative, else as printed)
    # and the weights printed on the level labels (产出指标(50分))
    direction: str | None = None
    level1_weight: float | None = None
    level2_weight: float | None = None
    record: str = "target"


@dataclass
class Diagnostic:
    """A row or fact the parser could not place, kept so nothing is silently dropped."""

    document: str
    line: int | None
    reason: str
    cells: list[str] = field(default_factory=list)
    severity: Literal["info", "warning", "error"] = "warning"
    # where the line came from in a PDF, workbook, web page or Word file; None for text
    origin: str | None = None
    record: str = "diagnostic"


@dataclass
class BudgetLine:
    """One amount of a budget or final-accounts table (or a figure of the narrative): a row's
    cell under one column, in yuan; the table's unit (万元 or 元) comes from its header.

    ``table`` is the title as printed; ``classification`` is ``functional`` (功能分类, codes
    such as 201 → 20103 → 2010350), ``economic`` (经济分类, 301 → 30107) or None; ``code`` is the
    classification code as printed (the 类, 款 and 项 cells joined where they are printed
    apart), ``name`` the row's label, ``column`` the column header as printed. An empty table
    (本表无数据, or a table with no amount at all) is one line with ``empty`` true and no amount.
    """

    document: str
    table: str
    classification: str | None
    code: str | None
    name: str | None
    column: str | None
    amount_yuan: float | None
    line: int
    # the kind of table, from its title (see docs/records.md): summary, income, expenditure …
    table_kind: str = "other"
    # the line of the table's title: the table's key inside the document
    table_line: int | None = None
    # the column's place under the header's groups ("基本支出/人员经费"), its canonical measure
    # (total, basic, project, personnel, public, carried_over …) and the side of a two-sided
    # table (收入 / 支出)
    column_path: str | None = None
    measure: str | None = None
    section: str | None = None
    # the amount as printed and the table's unit (万元, 元; 辆, 平方米 … for counts)
    printed: str | None = None
    unit: str | None = None
    # a count that is not money (vehicles, floor area, equipment), with ``unit``
    quantity: float | None = None
    # a total row (合计, 本年支出合计, 部门合计 …) and the row it adds up into, by line
    total: bool = False
    parent_line: int | None = None
    # the second classification of a row (政府预算支出经济分类 beside 部门预算支出经济分类)
    code2: str | None = None
    name2: str | None = None
    # the project of the project expenditure table's row, as the project record's ``line``
    project_line: int | None = None
    empty: bool = False
    # "table" for a table's cell, "text" for a figure of the narrative
    source: str = "table"
    origin: str | None = None
    record: str = "budget_line"


Record = Document | Project | Target | BudgetLine | Diagnostic


@dataclass
class Accounting:
    """Where the rows of a document's indicator tables went: a target, a diagnostic, a row
    that only carries level labels (a merged 一级/二级 cell), or a row of a second rendering
    compared with the first. ``unplaced_rows`` is zero unless a row slipped past every rule;
    such a row is still kept, as an error diagnostic."""

    rows: int = 0
    target_rows: int = 0
    diagnosed_rows: int = 0
    label_rows: int = 0
    unplaced_rows: int = 0
    checked_rows: int = 0
    """Rows of a second rendering of a table (a self-evaluation table) compared with the
    first: their indicators are the first one's targets."""
    tables_by_header: int = 0
    """Indicator tables no family parser read that the header-driven reader read."""
    tables_not_understood: int = 0
    """Indicator tables with rows no parser or reader read (each such row an error diagnostic)."""
    budget_tables: int = 0
    """Budget and final-accounts tables found (收支总表, 支出总表, 三公 …); their rows are
    counted apart from the indicator rows: each non-empty row is a header row, a row that
    gave budget lines, a row without amounts, a diagnostic or (never, unless a rule slipped)
    unplaced."""
    budget_rows: int = 0
    budget_header_rows: int = 0
    budget_line_rows: int = 0
    budget_blank_rows: int = 0
    budget_diagnosed_rows: int = 0
    budget_unplaced_rows: int = 0


@dataclass
class Extraction:
    """Everything extracted from one document, in source order within each list."""

    document: Document
    projects: list[Project] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    accounting: Accounting = field(default_factory=Accounting)
    budget_lines: list[BudgetLine] = field(default_factory=list)

    def records(self) -> list[Record]:
        """All records: the document first, then projects, targets, budget lines and
        diagnostics."""
        return [
            self.document,
            *self.projects,
            *self.targets,
            *self.budget_lines,
            *self.diagnostics,
        ]


def to_dict(record: Record) -> dict[str, Any]:
    """The record as a plain dict, ``record`` first (the JSON Lines shape)."""
    data = asdict(record)
    kind = data.pop("record")
    return {"record": kind, **data}
