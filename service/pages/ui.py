"""The HTML front end: the home page with statistics and the YASGUI query page.

- ``GET /``: documents, departments, projects, targets and diagnostics in the store, targets
  by level 1, example entity pages and links to the query page, the dumps and VoID.
- ``GET /query``: YASGUI (``@triply/yasgui``, installed by ``scripts/setup.sh`` from npm and
  served from ``/static/vendor/yasgui/``), talking only to this server's ``/sparql``, with a
  picker of the named queries of ``queries/``; ``?query=`` prefills (and runs) a query.
- ``GET /query/prefixes.json``: the prefixes YASGUI's prefix completion offers (instead of
  fetching prefix.cc).
- ``GET /docs``: the HTTP API (``/openapi.json``) in Swagger UI, served from
  ``/static/vendor/swagger-ui/`` like YASGUI.
- ``/static/…``: stylesheet, page scripts and the vendored libraries.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from graphbuild.named_queries import NamedQuery, QueryError, registry
from service.deps import BaseDep, StoreDep
from service.errors import ApiError
from service.links import Links, prefixes
from service.pages.dashboard import dashboard
from service.pages.rendering import STATIC_DIR, page
from service.pages.shared import catalogue_of
from service.pages.statistics import COUNTED, Cached, DatasetStatistics, dataset_statistics

router = APIRouter(tags=["pages"])
router.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

VENDOR_DIR = STATIC_DIR / "vendor"
YASGUI_FILES = ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")
SWAGGER_FILES = ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css")
"""What ``scripts/setup.sh`` copies from ``service/frontend/node_modules``."""

COUNT_NAMES = {
    "documents": "文档 Documents",
    "departments": "部门 Departments",
    "projects": "项目 Projects",
    "targets": "绩效目标 Targets",
    "diagnostics": "诊断 Diagnostics",
}


STATISTICS_SECONDS = 60.0
"""How long the home page reuses its counts (seconds of work on a large store)."""


def _cache(request: Request) -> Cached[DatasetStatistics]:
    state = request.app.state
    if not hasattr(state, "home_cache"):
        state.home_cache = Cached[DatasetStatistics](STATISTICS_SECONDS)
    return state.home_cache  # type: ignore[no-any-return]


def _links(request: Request, base: str) -> Links:
    return Links(base, request.scope.get("root_path", ""))


def example_text(query: NamedQuery, links: Links) -> str:
    """A named query as the UI offers it: defaults bound, ``uri_space`` set to this dataset's."""
    names = {parameter.name for parameter in query.parameters}
    return query.bind({"uri_space": links.space} if "uri_space" in names else None)


@router.get("/", response_class=HTMLResponse, summary="Home page with dataset statistics")
def home(request: Request, store: StoreDep, base: BaseDep) -> HTMLResponse:
    """The home page: statistics, targets by level 1, links and example entities."""
    links = _links(request, base)
    stats = _cache(request).get(links.space, lambda: dataset_statistics(store, links.space))
    largest = max((count for _, count in stats.targets_by_level1), default=0)
    counts = [(name, COUNT_NAMES[name], stats.counts[name]) for name in COUNTED]
    catalogue = catalogue_of(request, store, links)
    context: dict[str, Any] = {
        "title": "首页 Home",
        "dash": dashboard(store, catalogue, links),
        "counts": counts,
        "level1": stats.targets_by_level1,
        "largest": largest,
        "examples": stats.examples,
        "queries": [(query, example_text(query, links)) for query in registry().values()],
    }
    return page(request, "home.html", context, links)


THEMES = (
    (
        "targets",
        "绩效目标与指标层级 Targets and levels",
        ("targets_", "count_targets_by_level", "satisfaction_"),
    ),
    ("projects", "项目 Projects", ("projects_", "qualitative_", "cost_", "period_")),
    ("departments", "部门 Departments", ("departments_",)),
    ("indicators", "三级指标 Indicators", ("indicator",)),
    ("final", "决算自评 Final accounts", ("final_accounts_",)),
    ("documents", "文档与诊断 Documents and diagnostics", ("count_", "diagnostics_", "dataset_")),
    ("dataset", "数据集与网络 Dataset and network", ("void_", "network_")),
)
"""The query page's groups, by name prefix (first match); audit rules are a group of their own."""


def theme_of(name: str) -> str:
    """The group a named query is listed in.

    >>> theme_of("targets_by_level"), theme_of("audit_empty_value"), theme_of("void_totals")
    ('targets', 'audit', 'dataset')
    """
    if name.startswith("audit_"):
        return "audit"
    for key, _, prefixes_ in THEMES:
        if name.startswith(prefixes_):
            return key
    return "other"


@router.get("/query", response_class=HTMLResponse, summary="The query page")
def query_page(request: Request, base: BaseDep) -> HTMLResponse:
    """Named queries by theme with a form for their parameters (results with names, links,
    formatted numbers and a chart), and YASGUI over ``/sparql``; ``?query=`` prefills."""
    links = _links(request, base)
    named = [
        {
            "name": query.name,
            "title": query.title,
            "title_en": query.title_en,
            "description": query.description,
            "theme": theme_of(query.name),
            "parameters": [
                {
                    "name": p.name,
                    "default": p.default.strip('"<>'),
                    "kind": p.kind,
                    "description": p.description,
                }
                for p in query.parameters
                if p.name != "uri_space"
            ],
            "sparql": example_text(query, links),
        }
        for query in registry().values()
    ]
    config = {
        "endpoint": links.path("/sparql"),
        "prefixes": links.path("/query/prefixes.json"),
        "prefix_map": prefixes(),
        "queries": named,
    }
    missing = [name for name in YASGUI_FILES if not (VENDOR_DIR / name).is_file()]
    groups = [(key, title) for key, title, _ in THEMES] + [
        ("other", "其他 Other"),
        ("audit", "审核规则 Audit rules"),
    ]
    config["api"] = links.path("/api/queries")
    config["labels"] = links.path("/labels")
    config["bind"] = links.path("/query/bind")
    context = {"title": "查询 Query", "config": config, "missing": missing, "groups": groups}
    return page(request, "query.html", context, links)


@router.get("/query/bind/{name}", summary="A named query's SPARQL with its parameters bound")
def query_bind(name: str, request: Request, base: BaseDep) -> Response:
    """The SPARQL text ``/api/queries/{name}?…`` would run (for the editor)."""
    query = registry().get(name)
    if query is None:
        raise ApiError(404, "not_found", f"no query named {name!r}")
    values = dict(request.query_params)
    if "uri_space" in {p.name for p in query.parameters}:
        values.setdefault("uri_space", _links(request, base).space)
    try:
        text = query.bind(values)
    except QueryError as error:
        raise ApiError(400, "bad_parameter", str(error)) from None
    return Response(text, media_type="application/sparql-query; charset=utf-8")


@router.get("/query/prefixes.json", summary="Prefixes for the query editor's completion")
def query_prefixes() -> JSONResponse:
    """Prefix → namespace, the format YASGUI's prefix completion reads."""
    return JSONResponse(prefixes())


@router.get("/docs", response_class=HTMLResponse, summary="The HTTP API in Swagger UI")
def api_docs(request: Request, base: BaseDep) -> HTMLResponse:
    """The OpenAPI description of this server, rendered by Swagger UI from local files."""
    missing = [name for name in SWAGGER_FILES if not (VENDOR_DIR / name).is_file()]
    return page(
        request, "api_docs.html", {"title": "HTTP API", "missing": missing}, _links(request, base)
    )
