"""No request to another server unless the operator allows it: SERVICE, LOAD and parameters.

Each test runs a listener on 127.0.0.1 that records every request it gets and answers like a
SPARQL endpoint with one row (``leaked``), then attacks a real ``perfkg serve`` (or the app
with its real worker processes) the way issue 9 did. A hole shows as a request in the log or
the ``leaked`` row in an answer.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

import service.sparql.pool
from tests.processes import Served
from tests.service_support import BASE, client_for, served_store, settings_for  # noqa: F401

pytestmark = pytest.mark.server

TOKEN = "correct-horse-battery-staple"
ROW = {
    "head": {"vars": ["a"]},
    "results": {"bindings": [{"a": {"type": "literal", "value": "leaked"}}]},
}


class Listener:
    """An HTTP server on 127.0.0.1 that logs each request and answers one SPARQL row."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        log = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(min(length, 1 << 20))
                if len(log) < 10_000:  # bounded, whatever the server under test does
                    log.append((self.command, self.path))
                body = json.dumps(ROW).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    try:
        yield found
    finally:
        found.close()


@pytest.fixture(scope="module")
def server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: F811
    """``perfkg serve`` at its default settings, but for an admin token (to try updates)."""
    served = Served(served_store, tmp_path_factory.mktemp("ssrf"), BASE, PERFKG_ADMIN_TOKEN=TOKEN)
    try:
        yield served
    finally:
        served.stop()


def escaped_name_bypass(url: str) -> str:
    """The query that fooled the old lexer: ``ex:a\\#`` made it read the rest as a comment."""
    return f"PREFIX ex: <http://e/>\nSELECT * {{ VALUES ?x {{ ex:a\\# }} SERVICE <{url}x> {{ ?a ?b ?c }} }}"


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code in (400, 403), response.text
    assert "leaked" not in response.text
    assert set(response.json()["error"]) == {"status", "code", "message", "position"}


def test_the_escaped_name_bypass_is_refused_on_every_route(
    server: Served, listener: Listener
) -> None:
    query = escaped_name_bypass(listener.url)
    for other in ("ex:a\\'", 'ex:a\\"'):  # the other escapes that hid the SERVICE
        variant = query.replace("ex:a\\#", other)
        _assert_refused(httpx.get(server.url, params={"query": variant}, timeout=30))
    _assert_refused(httpx.get(server.url, params={"query": query}, timeout=30))
    _assert_refused(httpx.post(server.url, data={"query": query}, timeout=30))
    _assert_refused(
        httpx.post(
            server.url,
            content=query,
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        )
    )
    update = (
        "PREFIX ex: <http://e/>\nINSERT { ?a ?b ?c } WHERE { VALUES ?x { ex:a\\# } "
        f"SERVICE <{listener.url}u> {{ ?a ?b ?c }} }}"
    )
    admin = {"Authorization": f"Bearer {TOKEN}"}
    _assert_refused(httpx.post(server.url, data={"update": update}, headers=admin, timeout=30))
    assert listener.requests == []


def test_load_is_refused(server: Served, listener: Listener) -> None:
    admin = {"Authorization": f"Bearer {TOKEN}"}
    for update in (
        f"LOAD <{listener.url}data.ttl>",
        f"LOAD SILENT <{listener.url}data.ttl> INTO GRAPH <urn:x:g>",
        f"PREFIX l: <{listener.url}>\nCLEAR SILENT GRAPH <urn:x:g> ; LOAD l:data.ttl",
    ):
        response = httpx.post(server.url, data={"update": update}, headers=admin, timeout=30)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "service_forbidden"
    assert listener.requests == []


@pytest.mark.parametrize(
    ("name", "params"),
    [
        (
            "targets_by_level",
            {
                "level1_label": "X ?level2_label Y",
                "level2_label": ", ?z, ?z) || EXISTS { SERVICE <{url}n> { ?a ?b ?c } } || CONCAT(",
            },
        ),
        (
            "targets_of_department",
            {
                "department_contains": '") } SERVICE <{url}d> { ?a ?b ?c } FILTER ("',
                "document_contains": "?department_contains",
            },
        ),
        (
            "diagnostics_of_document",
            {"document_contains": '\\") } SERVICE <{url}g> { ?a ?b ?c } #', "severity": "x"},
        ),
        ("targets_of_project", {"project": "<{url}p> } SERVICE <{url}p> { ?a ?b ?c } #"}),
    ],
)
def test_parameters_are_terms_not_query_text(
    server: Served, listener: Listener, name: str, params: dict[str, str]
) -> None:
    values = {key: value.replace("{url}", listener.url) for key, value in params.items()}
    api = server.url.removesuffix("sparql") + f"api/queries/{name}"
    response = httpx.get(api, params=values, timeout=30)
    if name == "targets_of_project":  # an IRI parameter refuses what is not one IRI
        assert response.status_code == 400 and "project" in response.json()["error"]["message"]
    else:  # the text is searched for, literally, and found nowhere
        assert response.status_code == 200, response.text
        assert response.json()["rows"] == []
    assert listener.requests == []


def test_a_service_that_slips_past_the_parser_reaches_nothing(
    served_store: Path,  # noqa: F811
    listener: Listener,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second wall: with the parser's check switched off, the query reaches a worker, and
    Oxigraph there cannot open a connection (no allow-list, so no network)."""
    monkeypatch.setattr(service.sparql.pool, "check_remote_calls", lambda *args, **kwargs: None)
    query = f"SELECT * {{ SERVICE <{listener.url}wall> {{ ?a ?b ?c }} }}"
    update = f"LOAD <{listener.url}wall.ttl> INTO GRAPH <urn:x:g>"
    settings = settings_for(served_store, max_concurrent_queries=1, query_timeout=10)
    with client_for(settings) as client:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400 and "leaked" not in response.text
        assert "Permission denied" in response.json()["error"]["message"]
    assert listener.requests == []
    copy = served_store.parent / "ssrf-update-copy"
    shutil.copytree(served_store, copy, dirs_exist_ok=True)
    settings = settings_for(copy, admin_token=TOKEN, max_concurrent_queries=1, query_timeout=10)
    with client_for(settings) as client:
        response = client.post(
            "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.status_code == 400, response.text
    assert listener.requests == []


def test_an_allowed_endpoint_is_reached(served_store: Path, listener: Listener) -> None:  # noqa: F811
    """The control: the same workers do call an allow-listed endpoint (so the wall above is
    the sandbox, not a broken listener), and nothing else."""
    allowed = f"{listener.url}ok"
    settings = settings_for(served_store, service_allowlist=[allowed], max_concurrent_queries=1)
    with client_for(settings) as client:
        response = client.get(
            "/sparql", params={"query": f"SELECT * {{ SERVICE <{allowed}> {{ ?a ?b ?c }} }}"}
        )
        assert response.status_code == 200, response.text
        assert "leaked" in response.text
        other = client.get(
            "/sparql",
            params={"query": f"SELECT * {{ SERVICE <{listener.url}other> {{ ?a ?b ?c }} }}"},
        )
        assert other.status_code == 403
    assert [path for _, path in listener.requests] == ["/ok"]
