"""The ontology's terms as the mapping uses them: bound once, with the tables that pair record
fields with properties and record codes with concepts (used both ways: records → RDF in
:mod:`graphbuild.graph.mapping`, RDF → records in :mod:`graphbuild.graph.reading`).
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from graphbuild.extract.levels import vocabulary
from graphbuild.vocab import PK, PKC, SCHEMA, UNITS_FILE

# DefinedNamespace lookups are not free: the terms are bound once.
PKT = SimpleNamespace(**{name: PK[name] for name in PK.__annotations__})
SCHEMA_VALUE = SCHEMA["value"]
SCHEMA_MIN = SCHEMA["minValue"]
SCHEMA_MAX = SCHEMA["maxValue"]
SCHEMA_UNIT_TEXT = SCHEMA["unitText"]
SCHEMA_UNIT_CODE = SCHEMA["unitCode"]
PREF_LABEL = SKOS.prefLabel
A = RDF.type
DERIVED = PROV.wasDerivedFrom
LINE = PKT.sourceLine
ZH = "zh"

# Project text fields: record attribute -> property (natural language, tagged @zh).
PROJECT_TEXT: tuple[tuple[str, URIRef], ...] = (
    ("implementing_unit", PKT.implementingUnit),
    ("attribute", PKT.attribute),
    ("term", PKT.term),
    ("overview", PKT.overview),
    ("basis", PKT.basis),
    ("necessity", PKT.necessity),
    ("measures", PKT.measures),
    ("plan", PKT.plan),
    ("goal_implementation", PKT.goalImplementation),
    ("goal_annual", PKT.goalAnnual),
)
PROJECT_MONEY: tuple[tuple[str, URIRef], ...] = (
    ("total_funds_yuan", PKT.totalFunds),
    ("annual_funds_yuan", PKT.annualFunds),
)
# Final accounts, per project: attribute -> property of the project's evaluation node.
PROJECT_EVALUATION: tuple[tuple[str, URIRef], ...] = (
    ("budget_yuan", PKT.budgetAmount),
    ("spent_yuan", PKT.spentAmount),
    ("execution_rate", PKT.executionRate),
    ("execution_score", PKT.executionScore),
    ("total_score", PKT.score),
)

OPS = {">=": PKC.ge, "<=": PKC.le, ">": PKC.gt, "<": PKC.lt, "=": PKC.eq}
OPS_BACK = {str(iri): op for op, iri in OPS.items()}
CODES = {
    code: PKC[code]
    for code in (
        *("quantity", "percent", "date", "qualitative", "text", "empty"),  # value kinds
        *("implementation", "annual"),  # periods
        *("info", "warning", "error"),  # severities
        *("shanxi_budget", "henan_budget", "final_accounts", "unknown"),  # families
    )
}
TABLES = {"project": PKC["project-table"], "department": PKC["department-table"]}
TABLES_BACK = {str(iri): kind for kind, iri in TABLES.items()}
KIND_CLASSES = {"budget": PKT.BudgetDocument, "final_accounts": PKT.FinalAccountsDocument}
KIND_BACK = {str(iri): kind for kind, iri in KIND_CLASSES.items()}


@lru_cache(maxsize=1)
def level_concepts() -> tuple[
    dict[str, URIRef], dict[str, list[tuple[URIRef, str | None]]], dict[str, str]
]:
    """Level 1 label -> concept; level 2 label -> [(concept, parent label)]; concept -> label."""
    level1: dict[str, URIRef] = {}
    level2: dict[str, list[tuple[URIRef, str | None]]] = {}
    labels: dict[str, str] = {}
    for level in vocabulary().levels:
        labels[level.iri] = level.label
        if level.level == 1:
            level1[level.label] = URIRef(level.iri)
        else:
            level2.setdefault(level.label, []).append((URIRef(level.iri), level.parent))
    return level1, level2, labels


@lru_cache(maxsize=4096)
def level2_concept(level1: str | None, level2: str) -> URIRef | None:
    """The level 2 concept for a canonical label: the one under ``level1``, else the only one."""
    candidates = level_concepts()[1].get(level2, [])
    for concept, parent in candidates:
        if parent == level1:
            return concept
    return candidates[0][0] if len(candidates) == 1 else None


@lru_cache(maxsize=1)
def unit_concepts() -> dict[str, URIRef]:
    """Unit text (notation, Chinese labels) -> unit concept, from ``ontology/units.ttl``."""
    if not UNITS_FILE.exists():
        return {}
    graph = Graph().parse(UNITS_FILE, format="turtle")
    found: dict[str, URIRef] = {}
    for prop in (SKOS.hiddenLabel, SKOS.altLabel, SKOS.prefLabel, SKOS.notation):
        for concept, label in graph.subject_objects(prop):
            if isinstance(concept, URIRef) and getattr(label, "language", None) in (None, "zh"):
                found[str(label)] = concept
    return found
