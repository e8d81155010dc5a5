"""Budget-shaped entity pages: what an analyst reads about a project, document, department,
indicator, target, diagnostic, finding or block of source lines.

:func:`view` picks the entity's kind from its types and gathers, with per-entity lookups only
(``queries/service/*.rq`` bound to the entity, and the catalogue), what its page shows above
the raw properties (:mod:`service.pages.entity` still gathers those for linked-data users):

- a project: a card (department, unit, attribute, term, funds in 万元 and 元), its funding
  sources as one table without empty rows, its targets as the document printed them (level 1
  / level 2 / indicator / value per period; actual, weight, score for final accounts), the
  audit's findings about it and its targets, and the source lines around its title line;
- a target, diagnostic or finding: what it says, and the source lines around its line;
- a document: titled by its department and year, its source file (SHA-256, build), its
  projects, targets by level 1, findings and diagnostics by severity (info folded away);
- a department: its documents, its projects' funds, its targets by level 1;
- an indicator: where it is used, its value distribution and its near-duplicate names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from graphbuild.named_queries import NamedQuery, registry
from graphbuild.stores.base import Store
from service.links import Links
from service.pages.catalogue import SERVICE_QUERIES, Catalogue, plain
from service.pages.entity import Entity, Node, Term

PK = "https://w3id.org/perfkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
PART_OF = "http://purl.org/dc/terms/isPartOf"
CONTEXT = 6
"""Lines shown on each side of a fact's line."""
BLOCK = 20
KINDS = (
    ("Project", "project"),
    ("PerformanceTarget", "target"),
    ("Diagnostic", "diagnostic"),
    ("Finding", "finding"),
    ("SourceLines", "lines"),
    ("Document", "document"),
    ("BudgetDocument", "document"),
    ("FinalAccountsDocument", "document"),
    ("Department", "department"),
    ("Indicator", "indicator"),
)
PERIODS = {
    f"https://w3id.org/perfkg/code/{k}": v
    for k, v in (("implementation", "实施期目标"), ("annual", "年度目标"))
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "not-checkable": 2, "info": 3}


@cache
def _queries() -> dict[str, NamedQuery]:
    return registry(SERVICE_QUERIES)


def _select(store: Store, name: str, **values: str) -> list[dict[str, object]]:
    bound = {key: ox.NamedNode(value) for key, value in values.items()}
    return store.select(_queries()[name].bind(bound))


def _s(value: object) -> str | None:
    return None if value is None else str(value)


def _first(node: Node, prop: str) -> str | None:
    values = node.values(prop)
    return values[0].text if values else None


def kind_of(entity: Entity) -> str | None:
    types = {t.text for t in entity.types}
    for name, kind in KINDS:
        if PK + name in types:
            return kind
    if f"{SKOS}Concept" in types or f"{SKOS}ConceptScheme" in types:
        return "concept"
    return None


@dataclass
class Line:
    number: int
    cells: list[str]
    origin: str
    focus: bool


@dataclass
class Excerpt:
    """The lines around a fact's line, from the blocks the build kept."""

    document: str
    line: int
    lines: list[Line] = field(default_factory=list)
    block: str = ""

    @property
    def width(self) -> int:
        return max((len(line.cells) for line in self.lines), default=1)


def excerpt(
    store: Store, document: str, line: int | None, context: int = CONTEXT
) -> Excerpt | None:
    """Lines ``line ± context`` of ``document`` (an IRI), or None when the store kept none."""
    if line is None or line < 1:
        return None
    found = Excerpt(document, line)
    low, high = max(1, line - context), line + context
    firsts = sorted({(n - 1) // BLOCK * BLOCK + 1 for n in (low, line, high)})
    for first in firsts:
        block = f"{document}/lines/{first}-{first + BLOCK - 1}"
        rows = _select(store, "source_lines", block=block)
        if not rows:
            continue
        if first == (line - 1) // BLOCK * BLOCK + 1:
            found.block = block
        texts = str(rows[0]["text"]).split("\n")
        origins = str(rows[0]["origins"] or "").split("\n") if rows[0].get("origins") else []
        for offset, text in enumerate(texts):
            number = first + offset
            if low <= number <= high:
                origin = origins[offset] if offset < len(origins) else ""
                found.lines.append(Line(number, text.split("\t"), origin, number == line))
    return found if found.lines else None


def findings_about(catalogue: Catalogue, *iris: str, limit: int = 200) -> list[dict[str, Any]]:
    """Findings whose focus or project is one of ``iris``, most serious first."""
    wanted = [iri for iri in iris if iri][:500]
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = catalogue.sql(
        f"SELECT * FROM findings WHERE focus IN ({marks}) OR project IN ({marks}) LIMIT ?",
        [*wanted, *wanted, limit],
    )
    found = [dict(row) for row in rows]
    found.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["line"] or 0, f["rule"]))
    return found


def _target_rows(rows: list[dict[str, object]], catalogue: Catalogue) -> list[dict[str, Any]]:
    """Targets per period, with rowspans for level 1 and level 2 as a printed table merges."""
    concepts = catalogue.labels(
        str(r[k]) for r in rows for k in ("level1", "level2", "kind") if r.get(k)
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for r in rows:
        target = str(r["target"])
        if target in seen:
            continue
        seen.add(target)
        level1 = concepts.get(_s(r["level1"]) or "") or _s(r["level1Label"]) or ""
        level2 = concepts.get(_s(r["level2"]) or "") or _s(r["level2Label"]) or ""
        period = PERIODS.get(_s(r["period"]) or "", "目标")
        groups.setdefault(period, []).append(
            {
                "target": target,
                "line": plain(r["line"]),
                "level1": level1,
                "level1_iri": _s(r["level1"]),
                "level2": level2,
                "level2_iri": _s(r["level2"]),
                "name": _s(r["name"]) or "",
                "indicator": _s(r["indicator"]),
                "raw": _s(r["raw"]) or "",
                "kind": concepts.get(_s(r["kind"]) or "", ""),
                "placeholder": str(r.get("placeholder")).lower() == "true",
                "actual": _s(r["actual"]),
                "weight": _s(r["weight"]),
                "score": _s(r["score"]),
                "reason": _s(r["reason"]),
                "initial": _s(r["initial"]),
                "met": _met(r),
            }
        )
    for targets in groups.values():
        _spans(targets, "level1")
        _spans(targets, "level2", "level1")
    order = list(PERIODS.values())
    return [
        {"period": period, "targets": targets}
        for period, targets in sorted(groups.items(), key=lambda g: (order + [g[0]]).index(g[0]))
    ]


def _met(row: dict[str, object]) -> bool | None:
    try:
        return float(str(row["score"])) >= float(str(row["weight"]))
    except (TypeError, ValueError, KeyError):
        return None


def _spans(targets: list[dict[str, Any]], key: str, parent: str | None = None) -> None:
    """``{key}_span``: rows the cell covers (0 for rows covered by the one above)."""
    start = 0
    for i in range(1, len(targets) + 1):
        same = i < len(targets) and targets[i][key] == targets[start][key]
        if same and parent is not None:
            same = targets[i][parent] == targets[start][parent]
        if not same:
            targets[start][f"{key}_span"] = i - start
            for j in range(start + 1, i):
                targets[j][f"{key}_span"] = 0
            start = i


def _funding(entity: Entity) -> list[dict[str, Any]]:
    rows = []
    for node in entity.nodes[1:]:
        if not node.fragment.startswith("funding-"):
            continue
        implementation = _first(node, f"{PK}implementationAmount")
        annual = _first(node, f"{PK}annualAmount")
        if not any(v not in (None, "0", "0.0") for v in (implementation, annual)):
            continue
        rows.append(
            {
                "position": int(_first(node, f"{PK}position") or 0),
                "name": _first(node, f"{PK}sourceName") or "",
                "implementation": implementation,
                "annual": annual,
            }
        )
    return sorted(rows, key=lambda r: r["position"])


def _fragment(entity: Entity, name: str) -> Node | None:
    return next((node for node in entity.nodes if node.fragment == name), None)


def _values(node: Node | None, *props: str) -> dict[str, str | None]:
    return {prop: (_first(node, PK + prop) if node else None) for prop in props}


def _term_label(term: Term | None) -> str | None:
    return None if term is None else (term.label or term.text)


def _main(entity: Entity, prop: str) -> Term | None:
    values = entity.main.values(prop)
    return values[0] if values else None


def project_view(store: Store, catalogue: Catalogue, entity: Entity) -> dict[str, Any]:
    main = entity.main
    targets = _target_rows(_select(store, "project_targets", project=entity.iri), catalogue)
    target_iris = [t["target"] for group in targets for t in group["targets"]]
    evaluation = _values(
        _fragment(entity, "evaluation"),
        "budgetAmount",
        "spentAmount",
        "executionRate",
        "executionScore",
        "score",
        "grade",
    )
    met = [t["met"] for g in targets for t in g["targets"] if t["met"] is not None]
    return {
        "department": _main(entity, f"{PK}department"),
        "fields": _values(main, "implementingUnit", "attribute", "term"),
        "funds": _values(main, "totalFunds", "annualFunds"),
        "texts": [
            (label, value)
            for label, prop in (
                ("项目概况", "overview"),
                ("立项依据", "basis"),
                ("设立必要性", "necessity"),
                ("实施计划", "plan"),
                ("保障措施", "measures"),
                ("实施期目标", "goalImplementation"),
                ("年度目标", "goalAnnual"),
            )
            if (value := _first(main, PK + prop))
        ],
        "funding": _funding(entity),
        "groups": targets,
        "final": any(t["weight"] is not None for g in targets for t in g["targets"]),
        "evaluation": evaluation if any(evaluation.values()) else None,
        "met": (met.count(True), met.count(False)),
        "findings": findings_about(catalogue, entity.iri, *target_iris),
        "excerpt": excerpt(store, entity.source.text, entity.source_line)
        if entity.source
        else None,
    }


def fact_view(store: Store, catalogue: Catalogue, entity: Entity) -> dict[str, Any]:
    """A target, diagnostic or finding: its own facts and the source lines around it."""
    main = entity.main
    document = entity.source.text if entity.source else _first(main, f"{PK}inDocument")
    line = entity.source_line
    if line is None and (found := _first(main, f"{PK}line")) and found.isdigit():
        line = int(found)
    value = _fragment(entity, "value")
    evaluation = _fragment(entity, "evaluation")
    return {
        "project": _main(entity, f"{PK}project") or _main(entity, f"{PK}aboutProject"),
        "value": _values(value, "rawValue"),
        "evaluation": _values(evaluation, "actual", "weight", "score", "deviationReason"),
        "findings": findings_about(catalogue, entity.iri),
        "excerpt": excerpt(store, document, line) if document else None,
        "cells": (_first(main, f"{PK}cells") or "").split("\t")
        if _first(main, f"{PK}cells")
        else [],
        "messages": {v.language: v.text for v in main.values(f"{PK}message")},
        "focus": _main(entity, f"{PK}focus"),
    }


def lines_view(store: Store, entity: Entity) -> dict[str, Any]:
    """A block of source lines: all its lines."""
    document = _main(entity, PART_OF)
    first = int(_first(entity.main, f"{PK}firstLine") or 1)
    block = excerpt(store, document.text, first + BLOCK // 2 - 1, BLOCK) if document else None
    if block is not None:
        for line in block.lines:
            line.focus = False
    return {"excerpt": block, "document": document}


def document_view(store: Store, catalogue: Catalogue, entity: Entity) -> dict[str, Any]:
    rows = catalogue.sql("SELECT * FROM documents WHERE iri = ?", (entity.iri,))
    record = dict(rows[0]) if rows else {}
    source = _select(store, "document_source", document=entity.iri)
    diagnostics = _select(store, "document_diagnostics", document=entity.iri)
    severities = Counter(str(d["severity"] or "").rsplit("/", 1)[-1] for d in diagnostics)
    levels = _select(store, "document_levels", document=entity.iri)
    labels = catalogue.labels(str(r["level1"]) for r in levels)
    return {
        "record": record,
        "source": source[0] if source else {},
        "projects": [
            dict(r)
            for r in catalogue.sql(
                "SELECT * FROM projects WHERE document = ? ORDER BY line LIMIT 500", (entity.iri,)
            )
        ],
        "levels": [
            (labels.get(str(r["level1"]), str(r["level1"]) or "（未标）"), int(str(r["targets"])))
            for r in levels
        ],
        "diagnostics": [
            {
                "iri": str(d["diagnostic"]),
                "line": plain(d["line"]),
                "severity": str(d["severity"] or "").rsplit("/", 1)[-1],
                "reason": _s(d["reason"]) or "",
                "cells": (_s(d["cells"]) or "").split("\t"),
            }
            for d in diagnostics
        ],
        "severities": [(s, severities[s]) for s in ("error", "warning", "info") if severities[s]],
        "findings": catalogue.sql(
            "SELECT rule, severity, COUNT(*) AS n FROM findings WHERE document = ? "
            "GROUP BY rule, severity ORDER BY n DESC",
            (entity.iri,),
        ),
        "publisher": _main(entity, "http://purl.org/dc/terms/publisher"),
    }


def department_view(
    store: Store, catalogue: Catalogue, entity: Entity, links: Links
) -> dict[str, Any]:
    rows = catalogue.sql("SELECT * FROM departments WHERE iri = ?", (entity.iri,))
    levels = _select(store, "department_levels", department=entity.iri)
    labels = catalogue.labels(str(r["level1"]) for r in levels)
    projects = catalogue.sql(
        "SELECT * FROM projects WHERE department = ? ORDER BY total_funds IS NULL, "
        "total_funds DESC LIMIT 20",
        (entity.iri,),
    )
    funds_chart = {
        "type": "hbar",
        "labels": [str(p["label"]) for p in projects],
        "series": [
            {
                "label": "万元",
                "values": [round((p["total_funds"] or 0) / 10000, 2) for p in projects],
            }
        ],
        "links": [links.href(str(p["iri"])) for p in projects],
    }
    return {
        "funds_chart": funds_chart,
        "record": dict(rows[0]) if rows else {},
        "documents": catalogue.sql(
            "SELECT * FROM documents WHERE department = ? ORDER BY year DESC, name LIMIT 200",
            (entity.iri,),
        ),
        "projects": projects,
        "levels": [
            (labels.get(str(r["level1"]), str(r["level1"]) or "（未标）"), int(str(r["targets"])))
            for r in levels
        ],
    }


def indicator_view(store: Store, catalogue: Catalogue, entity: Entity) -> dict[str, Any]:
    rows = catalogue.sql("SELECT * FROM indicators WHERE iri = ?", (entity.iri,))
    record = dict(rows[0]) if rows else {}
    used = _select(store, "indicator_targets", indicator=entity.iri)
    values = _select(store, "indicator_values", indicator=entity.iri)
    labels = catalogue.labels(
        [str(r[k]) for r in used for k in ("level1", "level2", "period", "document") if r.get(k)]
        + [str(r["kind"]) for r in values if r.get("kind")]
    )
    numbers: Counter[str] = Counter()
    units: Counter[str] = Counter()
    for r in values:
        if r.get("number") is not None:
            units[str(r["unit"] or "")] += int(str(r["targets"]))
    unit = units.most_common(1)[0][0] if units else None
    for r in values:
        if r.get("number") is not None and str(r["unit"] or "") == unit:
            numbers[str(plain(float(str(r["number"]))))] += int(str(r["targets"]))
    kinds: Counter[str] = Counter()
    for r in values:
        kinds[labels.get(str(r["kind"]), "—") if r.get("kind") else "—"] += int(str(r["targets"]))
    return {
        "record": record,
        "used": [
            {
                **{k: _s(v) for k, v in r.items()},
                **{
                    f"{k}_label": labels.get(str(r[k]))
                    for k in ("level1", "level2", "period", "document")
                    if r.get(k)
                },
            }
            for r in used
        ],
        "values": [(str(r["raw"] or ""), int(str(r["targets"]))) for r in values[:25]],
        "numbers": sorted(numbers.items(), key=lambda item: float(item[0]))[:60],
        "unit": unit,
        "kinds": kinds.most_common(),
        "usage": catalogue.sql(
            "SELECT level1, level2, kind, targets FROM indicator_usage WHERE indicator = ? "
            "ORDER BY targets DESC LIMIT 20",
            (entity.iri,),
        ),
        "near": catalogue.near_names(entity.label or record.get("label") or ""),
    }


def view(
    store: Store, catalogue: Catalogue, entity: Entity, links: Links
) -> tuple[str | None, dict[str, Any]]:
    """The entity's kind and what its budget-shaped section shows (None: the raw page only)."""
    kind = kind_of(entity)
    if kind == "project":
        return kind, project_view(store, catalogue, entity)
    if kind in ("target", "diagnostic", "finding"):
        return kind, fact_view(store, catalogue, entity)
    if kind == "lines":
        return kind, lines_view(store, entity)
    if kind == "document":
        return kind, document_view(store, catalogue, entity)
    if kind == "department":
        return kind, department_view(store, catalogue, entity, links)
    if kind == "indicator":
        return kind, indicator_view(store, catalogue, entity)
    return kind, {}
