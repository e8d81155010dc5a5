"""Budget lines to RDF Data Cube and back.

Each budget table of a document is a ``pk:BudgetTable`` (a ``qb:DataSet`` with the structure
``pk:budgetStructure``): its title (``rdfs:label``), title line, kind, unit, and the dimensions
that hold for the whole table (``pk:refYear``, ``pk:phase``, ``pk:refDepartment``). Each
budget line is a ``pk:BudgetLine`` (a ``qb:Observation``) of its table: ``pk:amount`` in yuan
(or ``pk:quantity`` with ``schema:unitText`` for a count), the column as printed and its
canonical measure, the row's name, code and classification concept, the line it adds up into
(``pk:partOf``, the same column one row up the hierarchy) and the project it is the money of
(``pk:budgetProject``). An empty table is a dataset with ``pk:emptyTable true`` and no
observation.

Classification codes are SKOS concepts shared by every document
(``{base}id/classification/{scheme}/{code}``): ``skos:notation`` the code, ``skos:broader``
the code one level up (its first 3 or 5 digits), ``skos:altLabel`` every name printed for it;
the 3-digit codes are the top concepts of their scheme.

Written as N-Triples text like the rest of :mod:`graphbuild.graph.mapping` (the build's fast
path); :func:`budget_lines_from_graph` is the inverse used by
:func:`graphbuild.graph.reading.records_from_graph`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS, XSD

from graphbuild.graph import iris
from graphbuild.graph.terms import LINE, PKT, SCHEMA_UNIT_TEXT, A
from graphbuild.records import BudgetLine, Extraction
from graphbuild.vocab import PK, PKC, QB

NARRATIVE_KINDS = frozenset({"procurement", "assets", "execution"})
"""Kinds of the figures read from a document's text rather than from a table."""
PHASES = {"budget": PKC["phase-budget"], "final_accounts": PKC["phase-final-accounts"]}
CLASSIFICATION_KINDS = {
    "functional": PKC["classification-functional"],
    "economic": PKC["classification-economic"],
}
SCHEME_LABELS = {
    "functional": ("支出功能分类科目", "Functional classification of expenditure"),
    "economic": ("部门预算支出经济分类科目", "Economic classification (department budgets)"),
    "government-economic": (
        "政府预算支出经济分类科目",
        "Economic classification (government budget)",
    ),
    "other": ("其他分类科目", "Other classification codes"),
}


_STRUCTURE = f"<{PK._NS}budgetStructure>"
_TRUE = f'"true"^^<{XSD.boolean}>'
_CLASSIFICATION_TERMS = {kind: f"<{iri}>" for kind, iri in CLASSIFICATION_KINDS.items()}


@lru_cache(maxsize=256)
def _measure_term(measure: str) -> str:
    return f"<{measure_iri(measure)}>"


def _slug(code: str) -> str:
    return code.replace("_", "-")


@lru_cache(maxsize=256)
def table_kind_iri(kind: str) -> URIRef:
    return PKC[f"budget-table-{_slug(kind)}"]


@lru_cache(maxsize=256)
def measure_iri(measure: str) -> URIRef:
    return PKC[f"measure-{_slug(measure)}"]


class BudgetTriples:
    """Writes the budget lines of one document through ``add`` (``s p o`` N-Triples terms)."""

    def __init__(
        self,
        add: Callable[[str, str, str], None],
        terms: Any,
        name: str,
        base: str,
        doc: str,
        seen: set[str],
        terms_lines: list[str],
    ) -> None:
        self.add = add
        self.t = terms  # the mapping module: _iri, _zh, _str, _int, _decimal, P, _units
        self.name = name
        self.base = base
        self.doc = doc
        self.seen = seen
        self.iri = terms._iri
        self.project_prefix = "<" + iris.project_iri(name, 0, base)[:-1]
        self.line_prefix = "<" + iris.budget_line_iri(name, 0, base=base)[:-1]
        self.lines: list[str] = terms_lines
        self.datasets: dict[int | None, str] = {}
        self.concepts: dict[tuple[str, str | None], str] = {}
        P = terms.P
        self.k = SimpleNamespace(
            a=terms.T_A,
            line_class=P.BudgetLine,
            observation=terms.T_OBSERVATION,
            dataset=terms.T_DATASET,
            line=terms.T_LINE,
            amount=P.amount,
            printed=P.printedAmount,
            column=P.column,
            measure=P.measure,
            name=P.itemName,
            kind=P.classificationKind,
            code=P.code,
            classification=P.classification,
        )

    def write(self, extraction: Extraction, department: str | None) -> None:
        lines = extraction.budget_lines
        if not lines:
            return
        document = extraction.document
        subjects: list[str] = []
        keys: dict[tuple[int | None, int, str | None, str | None], list[tuple[str | None, str]]]
        keys = {}
        counts: dict[int, int] = {}
        for budget_line in lines:
            if budget_line.empty:
                subjects.append("")
                continue
            n = counts[budget_line.line] = counts.get(budget_line.line, 0) + 1
            subject = f"{self.line_prefix}{budget_line.line}{f'/{n}' if n > 1 else ''}>"
            subjects.append(subject)
            keys.setdefault(_key(budget_line, budget_line.line), []).append(
                (budget_line.code, subject)
            )
        tables: set[int | None] = set()
        for budget_line, subject in zip(lines, subjects, strict=True):
            if budget_line.table_line not in tables:
                tables.add(budget_line.table_line)
                self.table(budget_line, document.year, document.kind, department)
            if subject:
                parent = None
                if budget_line.parent_line is not None:
                    parent = _parent(
                        keys.get(_key(budget_line, budget_line.parent_line), []), budget_line.code
                    )
                self.observation(subject, budget_line, parent)
                if parent is None and budget_line.parent_line is not None:
                    # the row it adds up into prints nothing in this column
                    self.add(subject, self.t.P.parentLine, self.t._int(budget_line.parent_line))

    def dataset(self, line: int | None) -> str:
        found = self.datasets.get(line)
        if found is None:
            found = self.datasets[line] = self.iri(
                iris.budget_table_iri(self.name, line or 0, self.base)
            )
        return found

    def table(
        self, first: BudgetLine, year: int | None, kind: str | None, department: str | None
    ) -> None:
        t, add, P = self.t, self.add, self.t.P
        s = self.dataset(first.table_line)
        add(s, t.T_A, P.BudgetTable)
        add(s, t.T_A, t.T_DATASET_CLASS)
        add(s, t.T_STRUCTURE, _STRUCTURE)
        add(s, t.T_DERIVED, self.doc)
        add(s, t.T_LINE, t._int(first.table_line or 0))
        add(s, t.T_LABEL, t._zh(first.table))
        add(s, P.tableKind, self.iri(str(table_kind_iri(first.table_kind))))
        if year is not None:
            add(s, P.refYear, f'"{year:04d}"^^<{XSD.gYear}>')
        if kind in PHASES:
            add(s, P.phase, self.iri(str(PHASES[kind])))
        if department is not None:
            add(s, P.refDepartment, department)
        if first.source != "text" and first.unit is not None:
            add(s, P.tableUnit, t._str(first.unit))
        if first.empty:
            add(s, P.emptyTable, _TRUE)
            if first.printed is not None:
                add(s, P.emptyNote, t._str(first.printed))

    def observation(self, s: str, b: BudgetLine, parent: str | None) -> None:
        t, P, k = self.t, self.t.P, self.k
        out = self.lines.append
        out(f"{s} {k.a} {k.line_class}")
        out(f"{s} {k.a} {k.observation}")
        out(f"{s} {k.dataset} {self.dataset(b.table_line)}")
        out(f"{s} {k.line} {t._int(b.line)}")
        if b.origin is not None:
            out(f"{s} {P.sourceOrigin} {t._str(b.origin)}")
        if b.amount_yuan is not None:
            out(f"{s} {k.amount} {t._decimal(b.amount_yuan)}")
        if b.quantity is not None:
            out(f"{s} {P.quantity} {t._decimal(b.quantity)}")
        if b.printed is not None:
            out(f"{s} {k.printed} {t._str(b.printed)}")
        if b.source == "text" and b.unit is not None:
            out(f"{s} {t.T_UNIT_TEXT} {t._str(b.unit)}")
            unit = t._units().get(b.unit)
            if unit is not None:
                out(f"{s} {t.T_UNIT_CODE} {unit}")
        if b.column is not None:
            out(f"{s} {k.column} {t._str(b.column)}")
        if b.column_path is not None:
            out(f"{s} {P.columnPath} {t._str(b.column_path)}")
        if b.measure is not None:
            out(f"{s} {k.measure} {_measure_term(b.measure)}")
        if b.name is not None:
            out(f"{s} {k.name} {t._zh(b.name)}")
        if b.section is not None:
            out(f"{s} {P.section} {t._zh(b.section)}")
        if b.classification in CLASSIFICATION_KINDS:
            out(f"{s} {k.kind} {_CLASSIFICATION_TERMS[b.classification]}")
        if b.code is not None:
            out(f"{s} {k.code} {t._str(b.code)}")
            out(f"{s} {k.classification} {self.concept(b.code, b.classification, b.name)}")
        if b.code2 is not None:
            out(f"{s} {P.secondaryCode} {t._str(b.code2)}")
            concept = self.concept(b.code2, "economic", b.name2)
            out(f"{s} {P.secondaryClassification} {concept}")
        if b.name2 is not None:
            out(f"{s} {P.secondaryName} {t._zh(b.name2)}")
        if b.total:
            out(f"{s} {P.totalRow} {_TRUE}")
        if parent is not None:
            out(f"{s} {P.partOf} {parent}")
        if b.project_line is not None:
            out(f"{s} {P.budgetProject} {self.project_prefix}{b.project_line}>")

    def concept(self, code: str, kind: str | None, name: str | None) -> str:
        """The concept of a code (written once per graph, with each printed name once)."""
        t, add = self.t, self.add
        concept = self.concepts.get((code, kind))
        if concept is None:
            concept = self.iri(iris.classification_iri(code, kind, self.base))
            self.concepts[(code, kind)] = concept
        if concept not in self.seen:
            self.seen.add(concept)
            scheme_key = iris.classification_scheme(code, kind)
            scheme = self.iri(iris.classification_scheme_iri(scheme_key, self.base))
            add(concept, t.T_A, t.P.ClassificationItem)
            add(concept, t.T_A, t.T_CONCEPT)
            add(concept, t.T_NOTATION, t._str(code))
            add(concept, t.T_IN_SCHEME, scheme)
            parent = _parent_code(code)
            if parent is None:
                add(concept, t.T_TOP_CONCEPT_OF, scheme)
            else:
                add(concept, t.T_BROADER, self.concept(parent, kind, None))
            if scheme not in self.seen:
                self.seen.add(scheme)
                zh, en = SCHEME_LABELS.get(scheme_key, SCHEME_LABELS["other"])
                add(scheme, t.T_A, t.T_CONCEPT_SCHEME)
                add(scheme, t.T_PREF_LABEL, t._zh(zh))
                add(scheme, t.T_PREF_LABEL, f'"{en}"@en')
        if name:
            label = f"{concept} {name}"
            if label not in self.seen:
                self.seen.add(label)
                add(concept, t.T_ALT_LABEL, t._zh(name))
        return concept


def _key(b: BudgetLine, line: int) -> tuple[int | None, int, str | None, str | None]:
    return (b.table_line, line, b.section, b.column_path or b.column)


def _parent(cells: list[tuple[str | None, str]], code: str | None) -> str | None:
    """Of the parent row's lines in the same column (several where side-by-side parts share
    a column header), the one whose code is a prefix of the line's code, else the first."""
    if code is not None:
        for parent_code, subject in cells:
            if parent_code is not None and code.startswith(parent_code):
                return subject
    return cells[0][1] if cells else None


def _parent_code(code: str) -> str | None:
    """The code one level up: 2010350 → 20103 → 201 (3, 5, 7 digits); None at the top.

    >>> _parent_code("2010350"), _parent_code("30107"), _parent_code("201")
    ('20103', '301', None)
    """
    if len(code) > 5:
        return code[:5]
    if len(code) > 3:
        return code[:3]
    return None


# ---- RDF -> records -----------------------------------------------------------------------
def budget_lines_from_graph(
    props: dict[Any, dict[Any, list[Any]]], document: str
) -> list[BudgetLine]:
    """The budget lines of a document graph (``props``: subject → property → objects),
    ordered by line and place on the line; an empty table gives one line with ``empty``."""
    P = PKT

    def one(s: Any, p: URIRef) -> Any:
        values = props.get(s, {}).get(p)
        return values[0] if values else None

    def text(s: Any, p: URIRef) -> str | None:
        value = one(s, p)
        return None if value is None else str(value)

    def number(s: Any, p: URIRef) -> float | None:
        value = one(s, p)
        return None if value is None else float(str(value))

    kinds = {str(table_kind_iri(k)): k for k in _TABLE_KINDS}
    measures = {str(measure_iri(m)): m for m in _MEASURES}
    classifications = {str(v): k for k, v in CLASSIFICATION_KINDS.items()}
    found: list[tuple[tuple[int, int], BudgetLine]] = []
    for s, p in props.items():
        types = p.get(A, ())
        if P.BudgetTable in types and one(s, P.emptyTable) is not None:
            line = int(one(s, LINE))
            kind = kinds.get(str(one(s, P.tableKind)), "other")
            found.append(
                (
                    (line, 0),
                    BudgetLine(
                        document=document,
                        table=text(s, RDFS.label) or "",
                        classification=None,
                        code=None,
                        name=None,
                        column=None,
                        amount_yuan=None,
                        line=line,
                        table_kind=kind,
                        table_line=line,
                        unit=text(s, P.tableUnit),
                        empty=True,
                        printed=text(s, P.emptyNote),
                    ),
                )
            )
        if P.BudgetLine not in types:
            continue
        table = one(s, QB.dataSet)
        kind = kinds.get(str(one(table, P.tableKind)), "other")
        parent = one(s, P.partOf)
        parent_line = one(s, P.parentLine)
        parent_line = int(parent_line) if parent_line is not None else None
        project = one(s, P.budgetProject)
        line = int(one(s, LINE))
        parts = str(s).rsplit("/budget-line/", 1)[-1].split("/")
        n = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
        measure = one(s, P.measure)
        kind_of = one(s, P.classificationKind)
        source = "text" if kind in NARRATIVE_KINDS else "table"
        found.append(
            (
                (line, n),
                BudgetLine(
                    document=document,
                    table=text(table, RDFS.label) or "",
                    classification=classifications.get(str(kind_of)) if kind_of else None,
                    code=text(s, P.code),
                    name=text(s, P.itemName),
                    column=text(s, P.column),
                    amount_yuan=number(s, P.amount),
                    line=line,
                    table_kind=kind,
                    table_line=int(one(table, LINE)),
                    column_path=text(s, P.columnPath),
                    measure=measures.get(str(measure)) if measure is not None else None,
                    section=text(s, P.section),
                    printed=text(s, P.printedAmount),
                    unit=text(s, SCHEMA_UNIT_TEXT) or text(table, P.tableUnit),
                    quantity=number(s, P.quantity),
                    total=one(s, P.totalRow) is not None,
                    parent_line=int(one(parent, LINE)) if parent is not None else parent_line,
                    code2=text(s, P.secondaryCode),
                    name2=text(s, P.secondaryName),
                    project_line=int(str(project).rsplit("/", 1)[1]) if project else None,
                    source=source,
                    origin=text(s, P.sourceOrigin),
                ),
            )
        )
    found.sort(key=lambda item: item[0])
    return [budget_line for _, budget_line in found]


_TABLE_KINDS = (
    *("summary", "appropriation_summary", "income", "expenditure", "general_budget"),
    *("basic_economic", "government_fund", "state_capital", "three_public", "operating_costs"),
    *("project_expenditure", "statistics", "other", "procurement", "assets", "execution"),
)
"""The kinds of budget table (``ontology/perfkg.ttl``, ``pkc:budget-table-kinds``)."""
_MEASURES = (
    *("total", "basic", "project", "personnel", "office", "wages", "goods_services"),
    *("household_transfers", "capital", "running_projects", "specific_projects"),
    *("carried_over", "carried_forward", "current_year", "general_budget", "government_fund"),
    *("state_capital", "special_account", "unit_funds", "appropriation", "business_income"),
    *("operations", "higher_subsidy", "affiliated", "other_income", "initial_budget"),
    *("final_accounts", "execution_rate", "count"),
)
"""The column measures (``ontology/perfkg.ttl``, ``pkc:measures``)."""


def classification_labels(graph: Graph) -> dict[str, set[str]]:
    """Code → every name printed for it, from a graph's classification concepts."""
    found: dict[str, set[str]] = {}
    for concept in graph.subjects(RDF.type, PKT.ClassificationItem):
        code = str(graph.value(concept, SKOS.notation))
        found.setdefault(code, set()).update(str(o) for o in graph.objects(concept, SKOS.altLabel))
    return found
