"""``GET /explore``: the interactive graph explorer (Cytoscape.js, served from this server).

The page draws departments → projects → targets → indicators from ``/api/network/…``
(:mod:`service.api.network`): search a label, click a node to see its metrics and draw a page
of its neighbours ("show more" draws the next), filter by level 1, level 2 and kind of value,
colour by Louvain community. Nothing is drawn that the user did not ask for, and at most
``MAX_DRAWN`` nodes at once, so a store with hundreds of thousands of targets stays fluid.
Cytoscape comes from npm (``scripts/frontend.sh`` copies it to ``/static/vendor/cytoscape/``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.deps import BaseDep, StoreDep
from service.links import Links
from service.pages.rendering import STATIC_DIR, page
from service.pages.shared import catalogue_of

router = APIRouter(tags=["pages"])

CYTOSCAPE_FILE = "vendor/cytoscape/cytoscape.min.js"
"""What ``scripts/frontend.sh`` copies from ``service/frontend/node_modules/cytoscape``."""
PAGE_SIZE = 25
"""Neighbours drawn per click (and per "show more")."""
MAX_DRAWN = 1500
"""Most nodes on the canvas; beyond it the page asks to clear or remove nodes first."""


@router.get("/explore", response_class=HTMLResponse, summary="The interactive graph explorer")
def explore(request: Request, store: StoreDep, base: BaseDep) -> HTMLResponse:
    """Search, expand on demand, filter and colour the network of departments, projects,
    targets and indicators. It opens on ``?node=IRI`` (the entity pages' "Explore" button),
    else on the department with the most projects and its neighbours (``start=none``: empty)."""
    links = Links(base, request.scope.get("root_path", ""))
    params = request.query_params
    start, note = params.get("node", "")[:2000] or None, ""
    if start is None and not params.get("q") and params.get("start") != "none":
        rows = catalogue_of(request, store, links).sql(
            "SELECT iri, label, projects FROM departments ORDER BY projects DESC LIMIT 1"
        )
        if rows:
            start = str(rows[0]["iri"])
            note = f"起点：项目最多的部门 {rows[0]['label']}（{rows[0]['projects']} 个项目）。搜索或点击节点继续。"
    config = {
        "api": links.path("/api/network"),
        "page_size": PAGE_SIZE,
        "max_drawn": MAX_DRAWN,
        "q": params.get("q", "")[:200],
        "start": start,
        "start_note": note,
    }
    missing = [] if (STATIC_DIR / CYTOSCAPE_FILE).is_file() else [CYTOSCAPE_FILE]
    context = {"title": "探索 Explore", "config": config, "missing": missing}
    return page(request, "explore.html", context, links)
