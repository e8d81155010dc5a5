"""What a request handler can ask for: settings, the store, the query executor.

The application holds one :class:`Services` (built by :func:`service.app.create_app` from its
settings, started by the lifespan, or on first use by clients that skip the lifespan). Routers
take them as ``Annotated`` dependencies::

    @router.get("/things")
    def things(store: StoreDep, settings: SettingsDep) -> ...:
        ...

``StoreDep`` is the read-only store (see :mod:`service.store`): fine for short lookups of a
page. A query a user wrote goes through ``ExecutorDep``, which has the timeout and the caps.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request

from graphbuild.stores import Store
from service.settings import Settings
from service.sparql.executor import Executor
from service.sparql.pool import OxigraphExecutor
from service.sparql.remote import RemoteExecutor
from service.store import ReadOnlyOxigraphStore, open_service_store

log = logging.getLogger("perfkg.service")


class Services:
    """The store and the executor of one application, opened once, closed once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._executor: Executor | None = None
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        """Open the store and start the query workers (blocking; idempotent)."""
        with self._lock:
            if self._executor is not None:
                return
            settings = self.settings
            store = open_service_store(settings)
            executor: Executor
            if isinstance(store, ReadOnlyOxigraphStore):
                executor = OxigraphExecutor(
                    store.path,
                    serving=store.serving,
                    workers=settings.max_concurrent_queries,
                    queued=settings.max_queued_queries,
                    timeout=settings.query_timeout,
                    base_iri=settings.base,
                    allowlist=settings.service_allowlist,
                    on_written=self.refresh,
                )
            else:
                executor = RemoteExecutor(
                    store,
                    concurrent=settings.max_concurrent_queries,
                    queued=settings.max_queued_queries,
                    timeout=settings.query_timeout,
                    allowlist=settings.service_allowlist,
                )
            try:
                executor.start()
            except BaseException:
                store.close()
                raise
            self._store, self._executor = store, executor
            if isinstance(store, ReadOnlyOxigraphStore) and settings.reload_seconds > 0:
                self._stop.clear()
                self._watcher = threading.Thread(
                    target=self._watch, name="perfkg-published", daemon=True
                )
                self._watcher.start()

    def refresh(self) -> bool:
        """Serve the store's newest published snapshot, if a build or an update has published
        one since: the pages' store reopens on it and the query workers move over, without a
        pause (queries running finish on the old one). True when it switched."""
        with self._refreshing:
            store, executor = self._store, self._executor
            if not isinstance(store, ReadOnlyOxigraphStore) or executor is None:
                return False
            if store.published() is None:
                return False
            serving = store.follow()
            if isinstance(executor, OxigraphExecutor):
                executor.switch(serving)
            log.info("now serving %s", serving)
            return True

    def _watch(self) -> None:
        while not self._stop.wait(self.settings.reload_seconds):
            try:
                self.refresh()
            except Exception as error:  # keep serving what we have; say why
                log.error("could not move to the newest published store: %s", error)

    def close(self) -> None:
        """Stop the workers and close the store (idempotent)."""
        self._stop.set()
        with self._lock:
            executor, store = self._executor, self._store
            self._executor = self._store = None
        if executor is not None:
            executor.close()
        if store is not None:
            store.close()

    @property
    def started(self) -> bool:
        """Whether the store is open and the executor started."""
        return self._executor is not None

    @property
    def store(self) -> Store:
        if self._store is None:
            self.start()
        assert self._store is not None
        return self._store

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self.start()
        assert self._executor is not None
        return self._executor


async def get_services(request: Request) -> Services:
    """The application's services, started (in a thread) if the lifespan did not run."""
    services: Services = request.app.state.services
    if not services.started:
        await anyio.to_thread.run_sync(services.start)
    return services


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    return (await get_services(request)).store


async def get_executor(request: Request) -> Executor:
    return (await get_services(request)).executor


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
ExecutorDep = Annotated[Executor, Depends(get_executor)]


async def get_base(settings: SettingsDep) -> str:
    """The configured base IRI (ends in ``/``): entity IRIs are ``{base}id/…``."""
    return settings.base


BaseDep = Annotated[str, Depends(get_base)]
"""The base IRI, for routers that link to entities."""
