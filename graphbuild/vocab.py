"""The vocabulary namespaces, as Python objects.

Every ontology IRI the code uses comes from here; the terms of ``PK`` are checked against
``ontology/perfkg.ttl`` by ``tests/test_ontology.py`` (both ways), and a misspelt term raises
``AttributeError`` at once instead of minting a stray IRI.

>>> str(PK.PerformanceTarget)
'https://w3id.org/perfkg/ontology#PerformanceTarget'
>>> str(LV["output"]), str(PKC.ge), str(PKU.yuan)
('https://w3id.org/perfkg/levels/output', 'https://w3id.org/perfkg/code/ge', 'https://w3id.org/perfkg/units/yuan')
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "perfkg.ttl"
LEVELS_FILE = ONTOLOGY_DIR / "levels.ttl"
HEADERS_FILE = ONTOLOGY_DIR / "headers.ttl"
UNITS_FILE = ONTOLOGY_DIR / "units.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

LV = Namespace("https://w3id.org/perfkg/levels/")
"""Indicator levels (一级/二级指标), ``ontology/levels.ttl``."""
PKC = Namespace("https://w3id.org/perfkg/code/")
"""Small closed code lists (comparators, value kinds, periods …), ``ontology/perfkg.ttl``."""
PKU = Namespace("https://w3id.org/perfkg/units/")
"""Units of measure, ``ontology/units.ttl``."""
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
"""RDF Data Cube (budget tables are qb:DataSet, their amounts qb:Observation)."""


class PK(DefinedNamespace):
    """The perfkg ontology (``ontology/perfkg.ttl``)."""

    _NS = Namespace("https://w3id.org/perfkg/ontology#")
    _fail = True

    # classes
    Document: URIRef
    BudgetDocument: URIRef
    FinalAccountsDocument: URIRef
    Department: URIRef
    Extracted: URIRef
    Project: URIRef
    FundingSource: URIRef
    PerformanceTarget: URIRef
    Indicator: URIRef
    TargetValue: URIRef
    Evaluation: URIRef
    Diagnostic: URIRef
    Build: URIRef
    Comparator: URIRef
    ValueKind: URIRef
    Period: URIRef
    Severity: URIRef
    Family: URIRef
    TableKind: URIRef
    BudgetTable: URIRef
    BudgetLine: URIRef
    ClassificationItem: URIRef
    BudgetTableKind: URIRef
    Phase: URIRef
    Measure: URIRef
    ClassificationKind: URIRef

    # level vocabulary (used by levels.ttl)
    level: URIRef
    tableScope: URIRef

    # provenance
    sourceLine: URIRef
    sourceOrigin: URIRef
    sha256: URIRef
    sourceSha256: URIRef
    Statistics: URIRef
    Breakdown: URIRef
    of: URIRef
    dimension: URIRef
    documentCount: URIRef
    departmentCount: URIRef
    projectCount: URIRef
    targetCount: URIRef
    diagnosticCount: URIRef
    indicatorCount: URIRef
    builtWith: URIRef
    quadCount: URIRef

    # source text and audit findings (for the pages)
    SourceLines: URIRef
    Audit: URIRef
    Finding: URIRef
    firstLine: URIRef
    lastLine: URIRef
    text: URIRef
    lineOrigins: URIRef
    rule: URIRef
    auditSeverity: URIRef
    message: URIRef
    focus: URIRef
    aboutProject: URIRef
    inDocument: URIRef
    line: URIRef
    findingCount: URIRef

    # documents
    family: URIRef
    fiscalYear: URIRef
    encoding: URIRef
    sourceFormat: URIRef
    lineCount: URIRef
    budgetTotal: URIRef
    basicExpenditure: URIRef
    projectExpenditure: URIRef
    budgetTotalLine: URIRef

    # projects
    department: URIRef
    implementingUnit: URIRef
    attribute: URIRef
    term: URIRef
    totalFunds: URIRef
    annualFunds: URIRef
    overview: URIRef
    basis: URIRef
    necessity: URIRef
    measures: URIRef
    plan: URIRef
    goalImplementation: URIRef
    goalAnnual: URIRef
    funding: URIRef

    # funding lines
    sourceName: URIRef
    implementationAmount: URIRef
    annualAmount: URIRef
    position: URIRef

    # targets
    project: URIRef
    projectName: URIRef
    table: URIRef
    period: URIRef
    level1: URIRef
    level2: URIRef
    level1Label: URIRef
    level2Label: URIRef
    level1Raw: URIRef
    level2Raw: URIRef
    indicator: URIRef
    indicatorName: URIRef
    indicatorRaw: URIRef
    targetValue: URIRef
    initialValue: URIRef
    valueDescription: URIRef
    direction: URIRef
    level1Weight: URIRef
    level2Weight: URIRef

    # values
    rawValue: URIRef
    comparator: URIRef
    valueKind: URIRef
    dateValue: URIRef
    placeholder: URIRef

    # evaluations
    evaluation: URIRef
    actual: URIRef
    weight: URIRef
    score: URIRef
    deviationReason: URIRef
    budgetAmount: URIRef
    spentAmount: URIRef
    executionRate: URIRef
    executionScore: URIRef
    grade: URIRef

    # budget tables (RDF Data Cube)
    tableKind: URIRef
    refYear: URIRef
    phase: URIRef
    refDepartment: URIRef
    tableUnit: URIRef
    emptyTable: URIRef
    emptyNote: URIRef
    amount: URIRef
    quantity: URIRef
    printedAmount: URIRef
    column: URIRef
    columnPath: URIRef
    measure: URIRef
    classification: URIRef
    classificationKind: URIRef
    code: URIRef
    itemName: URIRef
    secondaryCode: URIRef
    secondaryName: URIRef
    secondaryClassification: URIRef
    section: URIRef
    totalRow: URIRef
    partOf: URIRef
    parentLine: URIRef
    budgetProject: URIRef
    plannedTarget: URIRef
    plannedProject: URIRef

    # diagnostics
    reason: URIRef
    severity: URIRef
    cells: URIRef


PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "pk": str(PK._NS),
    "lv": str(LV),
    "pkc": str(PKC),
    "pku": str(PKU),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "qb": str(QB),
}
"""The prefixes bound on every graph the mapping makes (the same as ``ontology/context.jsonld``)."""


STANDARD_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
}
"""Standard prefixes always offered to Turtle/TriG writers and pages (beside ``PREFIXES``)."""
