"""Where the graph lives: an embedded Oxigraph store, rdflib in memory, or a remote SPARQL server.

:func:`open_store` picks one from the command-line options; everything else talks to the
:class:`~graphbuild.stores.base.Store` interface.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphbuild.stores.base import Store, StoreError

__all__ = ["DEFAULT_STORE_DIR", "Store", "StoreError", "default_store_dir", "open_store"]

DEFAULT_STORE_DIR = "perfkg-data"


def default_store_dir() -> Path:
    """``$PERFKG_STORE`` if set, else ``./perfkg-data``."""
    return Path(os.environ.get("PERFKG_STORE") or DEFAULT_STORE_DIR)


def open_store(store_dir: str | Path | None, endpoint: str | None, memory: bool = False) -> Store:
    """Open the store the user chose: ``endpoint`` (a SPARQL server), ``memory`` or a directory.

    With none of them, the embedded store in :func:`default_store_dir` is used.

    >>> open_store(None, None, memory=True)
    MemoryStore()
    """
    chosen = [
        flag
        for flag, on in (
            ("a store directory", store_dir),
            ("an endpoint", endpoint),
            ("memory", memory),
        )
        if on
    ]
    if len(chosen) > 1:
        raise StoreError(f"choose one store, not {' and '.join(chosen)}")
    if memory:
        from graphbuild.stores.memory import MemoryStore

        return MemoryStore()
    if endpoint:
        from graphbuild.stores.remote import RemoteStore

        return RemoteStore(
            endpoint,
            update_url=os.environ.get("PERFKG_UPDATE_ENDPOINT") or None,
            store_url=os.environ.get("PERFKG_GRAPH_STORE_ENDPOINT") or None,
        )
    from graphbuild.stores.oxigraph import OxigraphStore

    return OxigraphStore(Path(store_dir) if store_dir else default_store_dir())
