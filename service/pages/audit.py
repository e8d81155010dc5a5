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
from service.deps import BaseDep, ExecutorDep, SettingsDep
from service.errors import ApiError
from service.links import Links
from service.negotiation import prefers_html
from service.pages.rendering import page
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
    thresholds = _grades(grades)
    try:
        rules = select_rules(rule or None)
    except QueryError as error:
        raise ApiError(400, "bad_parameter", str(error)) from None
    values = parameters(thresholds, execution_weight, min_indicators, tolerance=0.5)
    findings: list[Finding] = []
    truncated: list[str] = []
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
