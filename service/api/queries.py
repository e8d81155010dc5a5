"""The named queries over HTTP: ``GET /api/queries`` and ``GET /api/queries/{name}``.

- ``/api/queries``: every named query of ``queries/`` (name, Chinese and English title,
  description, parameters with defaults; audit rules also carry ``rule`` and ``severity``).
- ``/api/queries/{name}?param=value…``: the query's answer as JSON
  ``{"query", "title", "title_en", "parameters", "columns", "rows": [{…}], "truncated"}``, or
  as CSV with ``Accept: text/csv`` or ``format=csv``. Queries run through the service's
  executor, so the query timeout and the row cap apply (a cut answer says
  ``"truncated": true`` and carries ``X-PerfKG-Truncated``).

An unknown query is 404, an unknown or ill-typed parameter 400, both in the service's one
error shape.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from graphbuild.analysis.querying import catalogue, table_from_json, to_csv, to_json
from graphbuild.named_queries import QueryError, registry
from service.deps import ExecutorDep, SettingsDep
from service.errors import ApiError
from service.negotiation import preferred
from service.sparql.executor import select_job

router = APIRouter(prefix="/api/queries", tags=["named queries"])

JSON = "application/json"
CSV = "text/csv"
_FORMATS = {"json": JSON, "csv": CSV, JSON: JSON, CSV: CSV}

FormatName = Annotated[
    str | None, Query(alias="format", description="json (default) or csv; overrides Accept.")
]


@router.get("", summary="The named queries")
def list_queries(request: Request) -> JSONResponse:
    """Every named query with its titles, description and parameters (and its URL)."""
    entries = catalogue()
    for entry in entries:
        entry["url"] = str(request.url_for("named_query", name=entry["name"]))
    return JSONResponse({"queries": entries})


@router.get("/{name}", name="named_query", summary="Run a named query")
async def named_query(
    name: str,
    request: Request,
    settings: SettingsDep,
    executor: ExecutorDep,
    format_name: FormatName = None,
) -> Response:
    """Run the named query with the URL's other parameters as its parameters."""
    query = registry().get(name)
    if query is None:
        raise ApiError(404, "not_found", f"no query named {name!r}; GET /api/queries lists them")
    params = _parameters(request)
    try:
        sparql = query.bind(params)
    except QueryError as error:
        raise ApiError(400, "bad_parameter", str(error)) from None
    media_type = _media_type(request.headers.get("accept"), format_name)
    outcome = await executor.query(select_job(sparql, settings))
    table = table_from_json(outcome.body)
    headers = {"Vary": "Accept", "X-PerfKG-Rows": str(len(table.rows))}
    if outcome.truncated:
        headers["X-PerfKG-Truncated"] = "true"
        headers["X-PerfKG-Row-Limit"] = str(settings.max_rows)
    if media_type == CSV:
        return Response(to_csv(table), media_type="text/csv; charset=utf-8", headers=headers)
    body = to_json(table, query, params, truncated=outcome.truncated)
    return Response(body, media_type=JSON, headers=headers)


def _parameters(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key == "format":
            continue
        if key in values:
            raise ApiError(400, "bad_parameter", f"give the parameter {key!r} once")
        values[key] = value
    return values


def _media_type(accept: str | None, format_name: str | None) -> str:
    if format_name is not None:
        chosen = _FORMATS.get(format_name.strip().lower())
        if chosen is None:
            raise ApiError(400, "bad_request", "format= takes json or csv")
        return chosen
    chosen = preferred(accept, [JSON, CSV])
    if chosen is None:
        raise ApiError(
            406, "not_acceptable", "named queries answer in application/json or text/csv"
        )
    return chosen
