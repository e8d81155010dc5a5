"""The application factory: nothing at import or creation, lifespan owns the workers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphbuild.stores import StoreError
from service.app import create_app
from service.errors import ApiError
from tests.service_support import _client_class, client_for, served_store, settings_for  # noqa: F401


def test_creating_an_app_starts_nothing(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path / "missing"))  # no store there: not opened yet
    assert not app.state.services.started
    assert app.url_path_for("sparql") == "/sparql"


def test_a_missing_store_fails_at_startup_with_a_clear_message(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path / "missing"))
    with pytest.raises(StoreError, match="perfkg build"), _client_class()(app):
        pass


def test_the_lifespan_stops_the_workers(served_store: Path) -> None:  # noqa: F811
    with client_for(settings_for(served_store)) as client:
        executor = client.app.state.services.executor  # type: ignore[attr-defined]
        processes = [worker.process for worker in executor._all]
        assert len(processes) == 2 and all(p.poll() is None for p in processes)
    deadline = time.monotonic() + 5
    while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(p.poll() is not None for p in processes)


def test_two_apps_are_independent(served_store: Path) -> None:  # noqa: F811
    small = settings_for(served_store, max_rows=1, max_concurrent_queries=1)
    large = settings_for(served_store, max_rows=100, max_concurrent_queries=1)
    query = {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"}
    with client_for(small) as one, client_for(large) as other:
        assert len(one.get("/sparql", params=query).json()["results"]["bindings"]) == 1
        assert len(other.get("/sparql", params=query).json()["results"]["bindings"]) == 10


class _Broken:
    """An executor whose every query fails unexpectedly."""

    def start(self) -> None: ...

    def close(self) -> None: ...

    async def query(self, job: object) -> object:
        raise RuntimeError("secret internal detail")

    async def update(self, sparql: str) -> None:
        raise ApiError(418, "teapot", "short and stout")


def test_unexpected_errors_are_500_in_the_one_shape_without_details(served_store: Path) -> None:  # noqa: F811
    app = create_app(settings_for(served_store, max_concurrent_queries=1))
    with _client_class()(app, raise_server_exceptions=False) as client:
        services = app.state.services
        services._executor.close()
        services._executor = _Broken()
        response = client.get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 500
        error = response.json()["error"]
        assert error["code"] == "internal_error" and "secret" not in response.text
        assert error["position"] is None
