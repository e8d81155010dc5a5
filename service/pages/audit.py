"""``GET /audit``: the target-quality audit as a page (HTML) or as data (JSON, CSV).

A browser (``Accept`` naming text/html before JSON) gets the page; other clients get the JSON
report of :func:`graphbuild.analysis.audit_report.to_json`; ``format=html|json|csv`` overrides.
Settings come from the URL: ``grades=90,80,60`` (lowest scores of 优, 良, 中),
``execution_weight=10``, ``min_indicators=3`` and ``rule=…`` (repeatable) to run some rules
only. Each rule runs as one query through the service's executor, so the query timeout and
the row cap apply per rule (a rule cut at the cap is named in ``truncated_rules``).
"""

from __future__ import annotations

import json
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from graphbuild.analysis.audit import (
    Finding,
    GradeThresholds,
    findings_from_rows,
    parameters,
    rule_sparql,
    select_rules,
    sort_findings,
)
from graphbuild.analysis.audit_report import AuditReport, to_csv, to_json
from graphbuild.analysis.querying import table_from_json
from graphbuild.named_queries import QueryError
from service.deps import BaseDep, ExecutorDep, SettingsDep, get_services
from service.errors import ApiError
from service.links import Links
from service.negotiation import prefers_html
from service.pages.catalogue import Catalogue
from service.pages.rendering import page
from service.pages.shared import catalogue_of
from service.sparql.executor import select_job

router = APIRouter(tags=["audit"])


@router.get("/audit", name="audit", summary="The target-quality audit")
async def audit_page(
    request: Request,
    settings: SettingsDep,
    executor: ExecutorDep,
    base: BaseDep,
    format_name: Annotated[
        str | None, Query(alias="format", description="html, json or csv")
    ] = None,
    grades: Annotated[str, Query(description="Lowest total scores of 优,良,中")] = "90,80,60",
    execution_weight: Annotated[float, Query(ge=0, le=100)] = 10,
    min_indicators: Annotated[int, Query(ge=0, le=1000)] = 3,
    rule: Annotated[list[str] | None, Query(description="Run only these rules")] = None,
) -> Response:
    """Run the audit rules and answer with the findings per document and rule."""
    chosen = _format(request.headers.get("accept"), format_name)
    rule = [r for r in rule or [] if r] or None  # the page's form sends rule= for "all"
    defaults = grades == "90,80,60" and execution_weight == 10 and min_indicators == 3
    thresholds = _grades(grades)
    try:
        rules = select_rules(rule or None)
    except QueryError as error:
        raise ApiError(400, "bad_parameter", str(error)) from None
    findings: list[Finding] | None = None
    truncated: list[str] = []
    if defaults and not rule_live(request):
        # the findings the build stored, as the page shows them (no rule runs over the store)
        links = Links(base, request.scope.get("root_path", ""))
        store = (await get_services(request)).store
        catalogue = await anyio.to_thread.run_sync(catalogue_of, request, store, links)
        if catalogue.audit is not None:
            if chosen == "html":
                context = stored_audit(request, catalogue, rule)
                return page(
                    request, "audit_stored.html", context, links, headers={"Vary": "Accept"}
                )
            findings = stored_findings(catalogue, [r.id for r in rules])
    if findings is None:
        values = parameters(thresholds, execution_weight, min_indicators, tolerance=0.5)
        findings = []
        for one in rules:
            outcome = await executor.query(select_job(rule_sparql(one, values), settings))
            findings.extend(findings_from_rows(one, table_from_json(outcome.body).records()))
            if outcome.truncated:
                truncated.append(one.id)
    report = AuditReport(
        sort_findings(findings),
        rules,
        {
            "grades": {"优": thresholds.excellent, "良": thresholds.good, "中": thresholds.fair},
            "execution_weight": execution_weight,
            "min_indicators": min_indicators,
        },
    )
    headers = {"Vary": "Accept"}
    if truncated:
        headers["X-PerfKG-Truncated"] = "true"
    if chosen == "csv":
        return Response(to_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    if chosen == "json":
        data = json.loads(to_json(report))
        data["truncated_rules"] = truncated
        body = json.dumps(data, ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json", headers=headers)
    links = Links(base, request.scope.get("root_path", ""))
    context = {"title": "审核 Audit", "report": report, "truncated": truncated}
    return page(request, "audit.html", context, links, headers=headers)


def stored_findings(catalogue: Catalogue, rules: list[str]) -> list[Finding]:
    """The findings the build stored for these rules, as the audit's own records."""
    marks = ",".join("?" * len(rules))
    rows = catalogue.sql(
        "SELECT rule, severity, message, focus, document_name, line, project FROM findings "
        f"WHERE rule IN ({marks})",
        rules,
    )
    return [
        Finding(
            rule=r["rule"],
            severity=r["severity"],
            message=r["message"] or "",
            focus=r["focus"] or "",
            document=r["document_name"],
            line=None if r["line"] is None else int(r["line"]),
            project=r["project"],
        )
        for r in rows
    ]


def rule_live(request: Request) -> bool:
    """``live=1`` asks for the rules to be run now rather than read from the stored audit."""
    return request.query_params.get("live") == "1"


SORTS = {
    "severity": "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 "
    "WHEN 'not-checkable' THEN 2 ELSE 3 END, document_name, line",
    "rule": "rule, document_name, line",
    "document": "document_name, line, rule",
    "project": "project_label IS NULL, project_label, line",
}
PAGE_SIZE = 100


def stored_audit(request: Request, catalogue: Catalogue, rules_wanted: list[str] | None) -> dict:
    """The stored audit's summary and one page of its findings, filtered and sorted."""
    params = request.query_params
    clauses, values = [], []
    for key, column in (("severity", "severity"), ("document", "document"), ("project", "project")):
        if params.get(key):
            clauses.append(f"{column} = ?")
            values.append(params[key])
    if rules_wanted:
        clauses.append(f"rule IN ({','.join('?' * len(rules_wanted))})")
        values.extend(rules_wanted)
    q = params.get("q", "").strip()[:100]
    if q:
        clauses.append("(message_zh LIKE ? OR message LIKE ? OR project_label LIKE ?)")
        values.extend([f"%{q}%"] * 3)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sort = params.get("sort", "severity")
    if sort not in SORTS:
        raise ApiError(400, "bad_parameter", f"sort= takes {', '.join(SORTS)}")
    try:
        number = max(1, int(params.get("page", "1")))
    except ValueError:
        raise ApiError(400, "bad_parameter", "page= takes a whole number") from None
    total = int(catalogue.sql(f"SELECT COUNT(*) FROM findings{where}", values)[0][0])
    rows = catalogue.sql(
        f"SELECT * FROM findings{where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
        [*values, PAGE_SIZE, (number - 1) * PAGE_SIZE],
    )
    by_rule = {
        r["rule"]: r["n"]
        for r in catalogue.sql(
            f"SELECT rule, COUNT(*) AS n FROM findings{where} GROUP BY rule", values
        )
    }
    by_severity = catalogue.sql(
        f"SELECT severity, COUNT(*) AS n FROM findings{where} GROUP BY severity ORDER BY "
        + SORTS["severity"].split(",")[0],
        values,
    )
    by_document = catalogue.sql(
        f"SELECT document, document_title, document_name, COUNT(*) AS n FROM findings{where} "
        "GROUP BY document ORDER BY n DESC LIMIT 15",
        values,
    )
    chosen = {k: params.get(k, "") for k in ("severity", "document", "project", "q")}
    chosen["rule"] = rules_wanted[0] if rules_wanted and len(rules_wanted) == 1 else ""
    rules = select_rules(None)
    chart = {
        "type": "hbar",
        "labels": [r.title for r in rules],
        "series": [{"label": "findings", "values": [by_rule.get(r.id, 0) for r in rules]}],
        "links": [f"?rule={r.id}" for r in rules],
    }
    return {
        "title": "审核 Audit",
        "chart": chart,
        "rules": rules,
        "by_rule": by_rule,
        "by_severity": [(r["severity"], r["n"]) for r in by_severity],
        "by_document": by_document,
        "rows": rows,
        "total": total,
        "page_number": number,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "sort": sort,
        "chosen": chosen,
        "audit": catalogue.audit,
        "query": {k: v for k, v in chosen.items() if v},
    }


def _format(accept: str | None, format_name: str | None) -> str:
    if format_name is None:
        return "html" if prefers_html(accept) else "json"
    name = format_name.strip().lower()
    if name not in ("html", "json", "csv"):
        raise ApiError(400, "bad_request", "format= takes html, json or csv")
    return name


def _grades(text: str) -> GradeThresholds:
    try:
        excellent, good, fair = (float(part) for part in text.split(","))
        return GradeThresholds(excellent, good, fair)
    except ValueError:
        raise ApiError(
            400,
            "bad_parameter",
            "grades= takes three falling numbers, the lowest total scores of 优,良,中, "
            "e.g. 90,80,60",
        ) from None
