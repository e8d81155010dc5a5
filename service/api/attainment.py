"""``GET /api/attainment?project=IRI``: plan versus actual for one final-accounts project.

The answer (JSON) is :class:`graphbuild.analysis.attainment.Attainment`: the project's budget,
spending and execution rate; the execution score and the total score as reported and as
recomputed by the national rules (DESIGN.md §5); the grades; the budget project of the same
department and year it executes (linked at build time into ``{base}graph/links``); and per
evaluated target the planned value (from the budget), the value and the actual result, the
weight, whether it was met, and the reported and recomputed scores. ``execution_weight``,
``achieved``, ``partly`` and ``not_achieved`` (shares of the weight for qualitative results)
and ``grades=90,80,60`` change the rules. The two named queries behind it are
``money_project_attainment`` and ``money_targets_vs_actual``; they run through the service's
executor (timeout and row cap apply). No page is served for it yet: the pages engineer owns
``service/pages``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from graphbuild.analysis.attainment import Rules, attainment_from_rows
from graphbuild.analysis.querying import table_from_json
from graphbuild.named_queries import QueryError, named_query
from service.deps import ExecutorDep, SettingsDep
from service.errors import ApiError
from service.sparql.executor import select_job

router = APIRouter(prefix="/api/attainment", tags=["plan and actual"])


async def _rows(
    name: str, project: str, executor: ExecutorDep, settings: SettingsDep
) -> list[dict[str, object]]:
    try:
        sparql = named_query(name).bind({"project": project})
    except QueryError as error:
        raise ApiError(400, "bad_parameter", str(error)) from None
    outcome = await executor.query(select_job(sparql, settings))
    return table_from_json(outcome.body).records()


@router.get("", summary="Plan versus actual for a final-accounts project")
async def project_attainment(
    settings: SettingsDep,
    executor: ExecutorDep,
    project: Annotated[str, Query(description="The IRI of a self-evaluated project.")],
    execution_weight: Annotated[float, Query(ge=0, le=100)] = 10.0,
    achieved: Annotated[float, Query(ge=0, le=1)] = 1.0,
    partly: Annotated[float, Query(ge=0, le=1)] = 0.7,
    not_achieved: Annotated[float, Query(ge=0, le=1)] = 0.3,
    grades: Annotated[str, Query(description="优,良,中 thresholds")] = "90,80,60",
) -> JSONResponse:
    """The project's attainment (see the module's description)."""
    try:
        excellent, good, fair = (float(part) for part in grades.split(","))
    except ValueError:
        raise ApiError(400, "bad_parameter", "grades takes three numbers: 90,80,60") from None
    rules = Rules(execution_weight, achieved, partly, not_achieved, excellent, good, fair)
    projects = await _rows("money_project_attainment", project, executor, settings)
    if not projects:
        raise ApiError(404, "not_found", f"no self-evaluated project {project!r} in the store")
    targets = await _rows("money_targets_vs_actual", project, executor, settings)
    return JSONResponse(attainment_from_rows(projects[0], targets, rules).as_dict())
