"""The application factory.

>>> from service.settings import Settings
>>> app = create_app(Settings(store="perfkg-data"))
>>> app.url_path_for("sparql")
'/sparql'

Creating the app opens nothing: the store is opened and the query workers are started by the
lifespan (``perfkg serve``, ``with TestClient(app)``) or on the first request that needs
them, and stopped at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from graphbuild import __version__
from service import errors
from service.api import attainment as attainment_api
from service.api import network as network_api
from service.api import queries as api_queries
from service.api import sparql
from service.deps import Services
from service.limits import RequestSizeLimit, SecurityHeaders
from service.pages import about, browse, dumps, explore, linked_data, ui, void
from service.pages import audit as audit_pages
from service.settings import Settings

_DESCRIPTION = """\
A knowledge graph of Chinese public-budget performance targets (预算绩效目标).

`/sparql` speaks the SPARQL 1.1 Protocol. Errors have one JSON shape:
`{"error": {"status", "code", "message", "position"}}`.
"""

EXPOSED_HEADERS = ["X-PerfKG-Truncated", "X-PerfKG-Row-Limit", "X-PerfKG-Rows", "Retry-After"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application serving what ``settings`` names (default: from the environment)."""
    settings = settings if settings is not None else Settings()
    services = Services(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(services.start)
        browse.warm_catalogue(app, services.store, settings.base)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(services.close)

    app = FastAPI(
        title="perfkg",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs is served by service.pages.ui from local files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = services
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(void.router)
    app.include_router(dumps.router)
    app.include_router(ui.router)
    app.include_router(network_api.router)
    app.include_router(explore.router)
    app.include_router(api_queries.router)
    app.include_router(attainment_api.router)
    app.include_router(audit_pages.router)
    app.include_router(about.router)
    app.include_router(browse.router)  # before linked_data: /id/ and /id/{kind}/ are lists
    app.include_router(linked_data.router)  # last: it may answer broad paths
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:  # outermost, so that errors carry CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
    return app
