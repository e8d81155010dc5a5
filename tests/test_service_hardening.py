"""What every answer carries (CSP, one error shape), the API page without a CDN, and the
limits a real ``perfkg serve`` sets on request lines (issue 9, item 9)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.processes import Served
from tests.service_support import BASE, client_for, served_store, settings_for  # noqa: F401

if TYPE_CHECKING:
    from starlette.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(served_store: Path) -> Iterator[TestClient]:  # noqa: F811
    with client_for(settings_for(served_store)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/docs", 200),
        ("/no/such/page", 404),
        ("/id/no-such-entity", 404),
        ("/sparql?query=SELECT", 400),
        ("/api/queries/nope", 404),
    ],
)
def test_every_html_answer_carries_the_csp(client: TestClient, path: str, status: int) -> None:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_json_errors_carry_it_too(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert "content-security-policy" in response.headers


def test_the_api_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/docs", headers={"Accept": BROWSER}).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in sources
    assert all(source.startswith(("/", "#", "data:")) for source in sources), sources
    assert "<script>" not in page  # no inline script: the CSP would block it
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "perfkg"
    assert client.get("/redoc").status_code == 404  # switched off: it needs a CDN


@pytest.fixture(scope="module")
def server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: F811
    served = Served(served_store, tmp_path_factory.mktemp("limits"), BASE)
    try:
        yield served
    finally:
        served.stop()


def _raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """One GET over a plain socket, reading the answer while the request is still being sent
    (a server that refuses a request part-way answers and closes before reading it all)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        sender = threading.Thread(target=_send_quietly, args=(connection, request), daemon=True)
        sender.start()
        data = b""
        try:
            while chunk := connection.recv(65536):
                data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = re.search(rb"content-length: *(\d+)", head, re.I)
                if length and len(body) >= int(length.group(1)):
                    break
        except ConnectionResetError:
            pass  # the server closed after answering; what it sent is in ``data``
        sender.join(5)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head, "no answer before the connection closed"
    status = int(head.split(b" ", 2)[1])
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def _send_quietly(connection: socket.socket, request: bytes) -> None:
    with contextlib.suppress(OSError):  # refused part-way: the answer is what counts
        connection.sendall(request)


@pytest.mark.server
def test_over_long_request_lines_get_the_json_error_shape(server: Served) -> None:
    just_over = "/sparql?query=" + "x" * (1024 * 1024 + 10)  # past PERFKG_MAX_REQUEST_BYTES
    status, headers, body = _raw_get(server.port, just_over)
    assert status == 413 and headers["content-type"] == "application/json"
    assert httpx.Response(status, content=body).json()["error"]["code"] == "request_too_large"
    far_over = "/sparql?query=" + "x" * (3 * 1024 * 1024)  # past what the HTTP parser reads
    status, headers, body = _raw_get(server.port, far_over)
    assert status == 400 and headers["content-type"] == "application/json"
    error = httpx.Response(status, content=body).json()["error"]
    assert error["code"] == "bad_request" and "POST" in error["message"]
    assert "content-security-policy" in headers
