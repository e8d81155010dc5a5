"""Safe by default: read-only, no federation, timeouts that stop the work, size and load limits."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.service_support import PK, client_for, served_store, settings_for  # noqa: F401

if TYPE_CHECKING:
    from httpx import Response
    from starlette.testclient import TestClient

TOKEN = "correct-horse-battery-staple"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROJECTS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{PK}Project> }}"
INSERT = f"INSERT DATA {{ GRAPH <urn:test:g> {{ <urn:test:p> a <{PK}Project> }} }}"


def code(response: Response) -> str:
    body = response.json()
    assert set(body["error"]) == {"status", "code", "message", "position"}
    assert body["error"]["status"] == response.status_code
    return str(body["error"]["code"])


def count(response: Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def client(served_store: Path) -> Iterator[TestClient]:  # noqa: F811
    with client_for(settings_for(served_store, max_request_bytes=4096)) as test_client:
        yield test_client


# updates


def test_updates_are_refused_without_an_admin_token(client: TestClient) -> None:
    for response in (
        client.post("/sparql", data={"update": INSERT}),
        client.post(
            "/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update"}
        ),
        client.post(
            "/sparql",
            data={"update": INSERT},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ),
    ):
        assert response.status_code == 403 and code(response) == "updates_disabled"
    assert count(client.get("/sparql", params={"query": PROJECTS})) > 0


@pytest.fixture
def writable(served_store: Path, tmp_path: Path) -> Iterator[TestClient]:  # noqa: F811
    """An app with an admin token over a private copy of the store."""
    copy = shutil.copytree(served_store, tmp_path / "store")
    settings = settings_for(copy, admin_token=TOKEN, query_timeout=5)
    with client_for(settings) as test_client:
        yield test_client


def test_updates_need_the_right_token_and_are_then_visible(writable: TestClient) -> None:
    before = count(writable.get("/sparql", params={"query": PROJECTS}))
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": TOKEN},
    ):
        response = writable.post("/sparql", data={"update": INSERT}, headers=headers)
        assert response.status_code == 401 and code(response) == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert count(writable.get("/sparql", params={"query": PROJECTS})) == before
    done = writable.post(
        "/sparql",
        content=INSERT,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert done.status_code == 204, done.text
    assert count(writable.get("/sparql", params={"query": PROJECTS})) == before + 1
    bad = writable.post(
        "/sparql", data={"update": "INSERT DATA {"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert bad.status_code == 400 and code(bad) == "malformed_update"
    assert bad.json()["error"]["position"]["line"] == 1
    assert count(writable.get("/sparql", params={"query": PROJECTS})) == before + 1


# SERVICE


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://example.org/> SELECT * { ?s ?p ?o OPTIONAL { SERVICE e:x { ?s ?p ?o } } }",
        "SELECT * { ?s ?p ?o # comment }\nSERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and code(response) == "service_forbidden"


def test_service_in_an_update_is_refused_before_the_token_is_even_needed(
    writable: TestClient,
) -> None:
    update = "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = writable.post(
        "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 403 and code(response) == "service_forbidden"


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/sparql> { }" } LIMIT 1',
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://example.org/sparql> { }",
        "PREFIX x: <http://example.org/> SELECT ?SERVICE WHERE { ?SERVICE x:SERVICE ?o } LIMIT 1",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } LIMIT 1",
    ],
)
def test_the_word_service_in_strings_comments_and_names_is_fine(
    client: TestClient, query: str
) -> None:
    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_allow_listed_service_passes_the_check(served_store: Path) -> None:  # noqa: F811
    allowed = "http://127.0.0.1:9/sparql"  # Oxigraph refuses port 9 without connecting
    settings = settings_for(
        served_store, service_allowlist=[allowed], max_concurrent_queries=1, query_timeout=5
    )
    with client_for(settings) as client:
        ok = client.get(
            "/sparql",
            params={
                "query": "PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }"
            },
        )
        assert ok.status_code != 403 and code(ok) != "service_forbidden"
        other = client.get(
            "/sparql", params={"query": "SELECT * { SERVICE <http://evil.example/> { ?s ?p ?o } }"}
        )
        assert other.status_code == 403 and "evil.example" in other.json()["error"]["message"]
        variable = client.get("/sparql", params={"query": "SELECT * { SERVICE ?x { ?s ?p ?o } }"})
        assert variable.status_code == 403


# the timeout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    return next((line for line in status.splitlines() if line.startswith("State:")), "")


def _worker_pids(client: TestClient) -> set[int]:
    executor = client.app.state.services.executor  # type: ignore[attr-defined]
    return {worker.process.pid for worker in executor._all}


def test_a_query_that_would_run_forever_is_stopped_and_its_worker_replaced(
    served_store: Path,  # noqa: F811
) -> None:
    settings = settings_for(served_store, query_timeout=1, max_concurrent_queries=1)
    with client_for(settings) as client:
        (before,) = _worker_pids(client)
        started = time.monotonic()
        response = client.get("/sparql", params={"query": FOREVER})
        elapsed = time.monotonic() - started
        assert response.status_code == 504 and code(response) == "query_timeout"
        assert "1 s" in response.json()["error"]["message"]
        assert 1 <= elapsed < 3
        assert not _alive(before), "the worker that ran the query must be gone"
        assert count(client.get("/sparql", params={"query": PROJECTS})) > 0
        (after,) = _worker_pids(client)
        assert after != before
        assert client.app.state.services.executor.replaced == 1  # type: ignore[attr-defined]


# request size


def test_oversized_requests_are_413(client: TestClient) -> None:
    padding = "#" + "x" * 5000 + "\n"
    form = client.post("/sparql", data={"query": padding + PROJECTS})
    assert form.status_code == 413 and code(form) == "request_too_large"
    direct = client.post(
        "/sparql",
        content=padding + PROJECTS,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert direct.status_code == 413
    url = client.get("/sparql", params={"query": padding + PROJECTS})
    assert url.status_code == 413 and code(url) == "request_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b"#"
        yield b"x" * 5000
        yield b"\n" + PROJECTS.encode()

    chunked = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert chunked.status_code == 413 and code(chunked) == "request_too_large"
    assert count(client.post("/sparql", data={"query": "#" + "x" * 3000 + "\n" + PROJECTS})) > 0


# concurrency


def test_beyond_the_workers_and_the_queue_requests_get_503(served_store: Path) -> None:  # noqa: F811
    settings = settings_for(
        served_store, query_timeout=2, max_concurrent_queries=1, max_queued_queries=0
    )
    with client_for(settings) as client:
        executor = client.app.state.services.executor  # type: ignore[attr-defined]
        slow: dict[str, Response] = {}
        thread = threading.Thread(
            target=lambda: slow.setdefault("r", client.get("/sparql", params={"query": FOREVER}))
        )
        thread.start()
        deadline = time.monotonic() + 5
        while executor._admission.active == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = client.get("/sparql", params={"query": PROJECTS})
        assert busy.status_code == 503 and code(busy) == "busy"
        assert int(busy.headers["retry-after"]) >= 1
        thread.join()
        assert slow["r"].status_code == 504
        assert count(client.get("/sparql", params={"query": PROJECTS})) > 0


# CORS


def test_cors_is_off_unless_configured(client: TestClient, served_store: Path) -> None:  # noqa: F811
    origin = {"Origin": "https://ui.example.org"}
    response = client.get("/sparql", params={"query": PROJECTS}, headers=origin)
    assert "access-control-allow-origin" not in response.headers
    settings = settings_for(
        served_store, cors_origins=["https://ui.example.org"], max_concurrent_queries=1
    )
    with client_for(settings) as cors:
        allowed = cors.get("/sparql", params={"query": PROJECTS}, headers=origin)
        assert allowed.headers["access-control-allow-origin"] == "https://ui.example.org"
        assert "X-PerfKG-Truncated" in allowed.headers["access-control-expose-headers"]
        preflight = cors.options(
            "/sparql",
            headers={
                **origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        other = cors.get(
            "/sparql", params={"query": PROJECTS}, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
        error = cors.get("/sparql", params={"query": "SELEC"}, headers=origin)
        assert error.status_code == 400
        assert error.headers["access-control-allow-origin"] == "https://ui.example.org"
