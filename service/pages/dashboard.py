"""The home page's dashboard: charts from the stored statistics and the catalogue, no live count.

Targets by level 1 and by value kind (the quantified share), documents per year and family,
diagnostics per severity come from ``{base}graph/statistics``; findings per rule, the
final-accounts targets met and missed and the distribution of total scores from the catalogue.
Each chart is a spec for ``static/charts.js`` (``type``, ``labels``, ``series``, ``links``).
"""

from __future__ import annotations

from typing import Any

from graphbuild.analysis.audit import rules
from graphbuild.stores.base import Store
from service.links import Links
from service.pages.catalogue import Catalogue
from service.pages.statistics import PK, breakdown

QUANTIFIED = {"quantity", "percent", "date"}


def _bar(labels: list[str], values: list[int], label: str, **more: Any) -> dict[str, Any]:
    return {"type": "bar", "labels": labels, "series": [{"label": label, "values": values}], **more}


def dashboard(store: Store, catalogue: Catalogue, links: Links) -> dict[str, Any]:
    space = links.space
    level1 = breakdown(store, space, f"{PK}level1", f"{PK}targetCount")
    kinds = breakdown(store, space, f"{PK}valueKind", f"{PK}targetCount")
    years = sorted(breakdown(store, space, f"{PK}fiscalYear", f"{PK}documentCount"))
    families = breakdown(store, space, f"{PK}family", f"{PK}documentCount")
    severities = {
        member.rsplit("/", 1)[-1]: count
        for member, _, count in breakdown(store, space, f"{PK}severity", f"{PK}diagnosticCount")
    }
    quantified = sum(c for m, _, c in kinds if m.rsplit("/", 1)[-1] in QUANTIFIED)
    all_kinds = sum(c for _, _, c in kinds)
    by_rule = {
        r["rule"]: r["n"]
        for r in catalogue.sql("SELECT rule, COUNT(*) AS n FROM findings GROUP BY rule")
    }
    audit_rules = [r for r in rules() if by_rule.get(r.id)]
    audit_rules.sort(key=lambda r: -by_rule[r.id])
    met = catalogue.sql("SELECT COALESCE(SUM(met), 0), COALESCE(SUM(missed), 0) FROM evaluations")[
        0
    ]
    scores = catalogue.sql(
        "SELECT CAST(MIN(score, 99.999) / 10 AS INTEGER) * 10 AS bucket, COUNT(*) AS n "
        "FROM projects WHERE score IS NOT NULL GROUP BY bucket ORDER BY bucket"
    )
    charts = {
        "level1": {
            "type": "doughnut",
            "labels": [label for _, label, _ in level1],
            "series": [{"label": "targets", "values": [c for _, _, c in level1]}],
            "links": [links.path(f"/id/indicator/?level1={m}") for m, _, _ in level1],
        },
        "kinds": {
            "type": "doughnut",
            "labels": [label for _, label, _ in kinds],
            "series": [{"label": "targets", "values": [c for _, _, c in kinds]}],
        },
        "rules": {
            "type": "hbar",
            "labels": [r.title for r in audit_rules],
            "series": [{"label": "findings", "values": [by_rule[r.id] for r in audit_rules]}],
            "links": [links.path(f"/audit?rule={r.id}") for r in audit_rules],
        },
        "years": _bar(
            [m for m, _, _ in years],
            [c for _, _, c in years],
            "documents",
            links=[links.path(f"/id/document/?year={m}") for m, _, _ in years],
        ),
        "families": {
            "type": "doughnut",
            "labels": [label for _, label, _ in families],
            "series": [{"label": "documents", "values": [c for _, _, c in families]}],
            "links": [links.path(f"/id/document/?family={m}") for m, _, _ in families],
        },
        "scores": _bar(
            [f"{int(r['bucket'])}–{int(r['bucket']) + 9}" for r in scores],
            [int(r["n"]) for r in scores],
            "projects",
        ),
        "met": {
            "type": "doughnut",
            "labels": ["已完成 met", "未完成 missed"],
            "series": [{"label": "targets", "values": [int(met[0]), int(met[1])]}],
        },
    }
    return {
        "charts": charts,
        "quantified": (quantified, all_kinds),
        "severities": [(s, severities.get(s, 0)) for s in ("error", "warning", "info")],
        "findings": catalogue.count("findings"),
        "final": int(met[0]) + int(met[1]) > 0,
    }
