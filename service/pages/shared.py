"""What several page modules share: the request's links and the store's catalogue."""

from __future__ import annotations

from fastapi import Request

from graphbuild.named_queries import named_query
from graphbuild.stores.base import Store
from service.links import Links
from service.pages.catalogue import SERVICE_QUERIES, Catalogue, CatalogueHolder


def links_of(request: Request, base: str) -> Links:
    """Links for this request (its root path) and the configured base."""
    return Links(base, request.scope.get("root_path", ""))


def store_key(store: Store) -> object:
    """What changes when the store does: the snapshot served and the latest build's time."""
    rows = store.select(named_query("last_build", SERVICE_QUERIES).bind())
    modified = rows[0].get("modified") if rows else None
    return (str(getattr(store, "serving", "")), None if modified is None else str(modified))


def catalogue_of(request: Request, store: Store, links: Links) -> Catalogue:
    """The catalogue of the store the app serves (built on first use, then kept current)."""
    state = request.app.state
    if not hasattr(state, "catalogue"):
        state.catalogue = CatalogueHolder()
    holder: CatalogueHolder = state.catalogue
    return holder.get(store, links.space, lambda: store_key(store))
