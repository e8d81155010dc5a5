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

from service.deps import BaseDep
from service.links import Links
from service.pages.rendering import STATIC_DIR, page

router = APIRouter(tags=["pages"])

CYTOSCAPE_FILE = "vendor/cytoscape/cytoscape.min.js"
"""What ``scripts/frontend.sh`` copies from ``service/frontend/node_modules/cytoscape``."""
PAGE_SIZE = 25
"""Neighbours drawn per click (and per "show more")."""
MAX_DRAWN = 1500
"""Most nodes on the canvas; beyond it the page asks to clear or remove nodes first."""


@router.get("/explore", response_class=HTMLResponse, summary="The interactive graph explorer")
def explore(request: Request, base: BaseDep) -> HTMLResponse:
    """Search, expand on demand, filter and colour the network of departments, projects,
    targets and indicators."""
    links = Links(base, request.scope.get("root_path", ""))
    config = {
        "api": links.path("/api/network"),
        "page_size": PAGE_SIZE,
        "max_drawn": MAX_DRAWN,
        "q": request.query_params.get("q", "")[:200],
    }
    missing = [] if (STATIC_DIR / CYTOSCAPE_FILE).is_file() else [CYTOSCAPE_FILE]
    context = {"title": "探索 Explore", "config": config, "missing": missing}
    return page(request, "explore.html", context, links)
