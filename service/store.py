"""The store the server process itself reads (linked-data pages, dumps, VoID).

For a store directory it is an :class:`~graphbuild.stores.oxigraph.OxigraphStore` opened
*read-only* (RocksDB allows any number of read-only openings next to each other, so the
server process and every query worker can read at once). It refuses writes; updates go
through ``POST /sparql`` with the admin token, which closes this store while the update runs
(:meth:`ReadOnlyOxigraphStore.suspend`) and reopens it afterwards (:meth:`resume`) so that
no reader has the files open while they are written.

For ``--endpoint`` it is a :class:`~graphbuild.stores.remote.RemoteStore` with the query
timeout as its HTTP timeout.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graphbuild.stores import Store, StoreError, snapshots
from graphbuild.stores.oxigraph import OxigraphStore
from service.settings import Settings


def check_store_dir(path: Path) -> None:
    """Raise a StoreError that says what to do when ``path`` holds no built store."""
    if not (path / "CURRENT").is_file():
        raise StoreError(
            f"no perfkg store at {path}: build one first (`perfkg build data/samples --store "
            f"{path}`), or choose one with --store / PERFKG_STORE, or serve a SPARQL server "
            "with --endpoint"
        )


class ReadOnlyOxigraphStore(OxigraphStore):
    """An Oxigraph store directory opened read-only (writes raise StoreError).

    It reads the store's current published snapshot (:mod:`graphbuild.stores.snapshots`), or
    the store directory itself when it was never published (a store built by an older
    perfkg). :meth:`follow` moves it to a newer snapshot once a build has published one.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        check_store_dir(self.path)
        self._store = None
        self.serving = self.path
        self._quads: int | None = None
        self._names: list[str] | None = None
        self.resume()

    def __repr__(self) -> str:
        return f"ReadOnlyOxigraphStore({str(self.serving)!r})"

    def suspend(self) -> None:
        """Close the files (an update is about to write them)."""
        self._store = None
        self._forget()

    def resume(self) -> None:
        """(Re)open read-only the current snapshot (else the store directory)."""
        serving = snapshots.current(self.path) or self.path
        try:
            self._store = ox.Store.read_only(str(serving))
        except (OSError, RuntimeError) as error:
            raise StoreError(f"cannot open the store {serving} read-only: {error}") from None
        self.serving = serving
        self._forget()

    def _forget(self) -> None:
        self._quads = None
        self._names = None

    def quad_count(self, name: str | None = None) -> int:
        """The whole store's quads are counted once per opening: a store opened read-only
        shows the state it was opened on, and counting scans every quad (seconds at 10,000
        documents, and the dumps and VoID pages ask on each request)."""
        if name is not None:
            return super().quad_count(name)
        if self._quads is None:
            self._quads = super().quad_count()
        return self._quads

    def graph_names(self) -> list[str]:
        """Listed once per opening (see :meth:`quad_count`)."""
        if self._names is None:
            self._names = super().graph_names()
        return list(self._names)

    def published(self) -> Path | None:
        """A snapshot published since this store was opened, else None."""
        found = snapshots.current(self.path)
        return found if found is not None and found != self.serving else None

    def follow(self) -> Path:
        """Open the newest published snapshot (requests already running finish on the old
        one, whose files stay open until they are done); the path now served."""
        self.resume()
        return self.serving

    def _refuse(self) -> StoreError:
        return StoreError(
            "the server's store is read-only; send updates to POST /sparql with the admin token"
        )

    def replace_graph(self, graph: Graph) -> int:
        raise self._refuse()

    def drop_graph(self, name: str) -> None:
        raise self._refuse()

    def update(self, sparql: str) -> None:
        raise self._refuse()

    def flush(self) -> None:
        """Nothing to write."""

    def close(self) -> None:
        self._store = None


def open_service_store(settings: Settings) -> Store:
    """The store the settings name, opened for serving (read-only, or remote)."""
    if settings.endpoint is not None:
        from graphbuild.stores.remote import RemoteStore

        return RemoteStore(
            settings.endpoint,
            update_url=settings.update_endpoint,
            store_url=settings.graph_store_endpoint,
            timeout=settings.query_timeout,
        )
    assert settings.store_dir is not None
    return ReadOnlyOxigraphStore(settings.store_dir)
