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
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from graphbuild.named_queries import NamedQuery, registry
from service.deps import BaseDep, StoreDep
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


@router.get("/query", response_class=HTMLResponse, summary="The YASGUI query page")
def query_page(request: Request, base: BaseDep) -> HTMLResponse:
    """YASGUI over ``/sparql`` with the named example queries; ``?query=`` prefills."""
    links = _links(request, base)
    named = [
        {
            "name": query.name,
            "title": query.title,
            "title_en": query.title_en,
            "description": query.description,
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
    context = {"title": "查询 Query", "config": config, "missing": missing}
    return page(request, "query.html", context, links)


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
