"""A real ``perfkg serve`` on 127.0.0.1, used by independent clients as an outside user would.

Also the remote mode: the service in front of a real ``oxigraph serve`` (``--endpoint``).
Both start real processes on free local ports (marker ``server``; CI runs them).
"""

from __future__ import annotations

import csv
import io
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graphbuild.records import Extraction
from tests.conftest import running_oxigraph
from tests.processes import Served, perfkg_command
from tests.service_support import (  # noqa: F401
    BASE,
    PK,
    client_for,
    served_store,
    settings_for,
)

pytestmark = pytest.mark.server

PROJECTS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{PK}Project> }}"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = next(
            line
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("State:")
        )
    except (OSError, StopIteration):
        return False
    return "zombie" not in state


@pytest.fixture(scope="module")
def server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: F811
    served = Served(
        served_store, tmp_path_factory.mktemp("serve"), BASE, PERFKG_MAX_CONCURRENT_QUERIES="2"
    )
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.interrupt()


def test_sparqlwrapper_select_json_and_csv(server: Served, samples: dict[str, Extraction]) -> None:
    expected = sum(len(extraction.projects) for extraction in samples.values())
    client = SPARQLWrapper(server.url)
    client.setQuery(PROJECTS)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == expected  # type: ignore[index]
    client.setMethod(POST)
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))  # type: ignore[union-attr]
    assert rows == [["n"], [str(expected)]]


def test_sparqlwrapper_ask(server: Served) -> None:
    client = SPARQLWrapper(server.url)
    client.setQuery(f"ASK {{ ?p a <{PK}Project> }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True  # type: ignore[index]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_construct_turtle(server: Served) -> None:
    client = SPARQLWrapper(server.url)
    client.setQuery(f"CONSTRUCT {{ ?p a <{PK}Project> }} WHERE {{ ?p a <{PK}Project> }} LIMIT 3")
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) == 3


def test_sparqlwrapper_sees_a_syntax_error(server: Served) -> None:
    client = SPARQLWrapper(server.url)
    client.setQuery("SELECT ?x WHERE { ?x ")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as raised:
        client.query()
    assert "malformed_query" in str(raised.value)


def test_rdflib_sparqlstore(server: Served, samples: dict[str, Extraction]) -> None:
    expected = sum(len(extraction.projects) for extraction in samples.values())
    store = SPARQLStore(query_endpoint=server.url, returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(PROJECTS))
    assert int(rows[0][0]) == expected  # type: ignore[index]
    projects = set(
        graph.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(f"{PK}Project")
        )
    )
    assert len(projects) == expected
    xml_store = SPARQLStore(query_endpoint=server.url, returnFormat="xml", method="POST")
    assert bool(Graph(store=xml_store).query(f"ASK {{ ?p a <{PK}Project> }}").askAnswer)
    store.close()
    xml_store.close()


def test_updates_are_refused_over_http(server: Served) -> None:
    response = httpx.post(server.url, data={"update": "CLEAR ALL"}, timeout=10)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "updates_disabled"


def test_ctrl_c_stops_the_server_and_its_workers(
    served_store: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    served = Served(served_store, tmp_path, BASE, PERFKG_MAX_CONCURRENT_QUERIES="2")
    workers = children(served.process.pid)
    assert len(workers) >= 2  # the query workers
    assert served.interrupt() == 0
    log = served.log.read_text()
    assert f"at http://127.0.0.1:{served.port}/" in log
    assert log.rstrip().endswith("perfkg: stopped")
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), log


def test_a_port_in_use_is_a_clear_error(served_store: Path) -> None:  # noqa: F811
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*perfkg_command(), "serve", "--store", str(served_store), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another with --port or PERFKG_PORT"
    ]
    assert "serving" not in done.stdout  # refused before announcing anything


def test_a_missing_store_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*perfkg_command(), "serve", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("perfkg: error: no perfkg store at ")
    assert len(done.stderr.strip().splitlines()) == 1


# remote mode: the service in front of a real Oxigraph server


@pytest.fixture(scope="module")
def oxigraph_url(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    """`oxigraph serve --union-default-graph` over a copy of the samples' store."""
    location = tmp_path_factory.mktemp("remote") / "store"
    shutil.copytree(served_store, location)
    with running_oxigraph(location) as url:
        yield f"{url}/query"


def test_remote_endpoint_mode(oxigraph_url: str, samples: dict[str, Extraction]) -> None:
    expected = sum(len(extraction.projects) for extraction in samples.values())
    settings = settings_for(None, endpoint=oxigraph_url, max_rows=5)
    with client_for(settings) as client:
        answer = client.get("/sparql", params={"query": PROJECTS})
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == expected
        csv_answer = client.get("/sparql", params={"query": PROJECTS, "format": "csv"})
        assert csv_answer.text.splitlines() == ["n", str(expected)]
        cut = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
        assert len(cut.json()["results"]["bindings"]) == 5
        assert cut.headers["x-perfkg-truncated"] == "true"
        graph = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 4"},
            headers={"Accept": "application/n-triples"},
        )
        assert graph.headers["content-type"] == "application/n-triples"
        assert len(Graph().parse(data=graph.text, format="nt")) == 4
        total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        nothing = client.get(
            "/sparql", params={"query": total, "default-graph-uri": "http://nothing.example/"}
        )
        assert nothing.json()["results"]["bindings"][0]["n"]["value"] == "0"
        from_clause = client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) FROM <http://nothing.example/> { ?s ?p ?o }"},
        )
        assert from_clause.json()["results"]["bindings"][0]["n"]["value"] == "0"
        bad = client.get("/sparql", params={"query": "SELEC"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed_query"
        assert bad.json()["error"]["position"] is not None
        refused = client.post("/sparql", data={"update": "CLEAR ALL"})
        assert refused.status_code == 403


DOCUMENTS = (
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/perfkg/ontology#Document> }"
)


def _documents(url: str) -> int:
    response = httpx.get(
        url, params={"query": DOCUMENTS}, headers={"Accept": "application/sparql-results+json"}
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_running_server_sees_a_finished_build(tmp_path: Path) -> None:
    """perfkg serve keeps answering while perfkg build writes, then answers from the new
    build without a restart (the build publishes a snapshot the server moves to)."""
    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    store = tmp_path / "store"
    first, second = sorted(samples.glob("*.txt"))[:2]
    build = [*perfkg_command(), "build", "--store", str(store), "--no-audit"]
    subprocess.run([*build, str(first)], check=True, capture_output=True)
    served = Served(store, tmp_path, "http://127.0.0.1:8000/", PERFKG_RELOAD_SECONDS="0.2")
    try:
        assert _documents(served.url) == 1
        subprocess.run([*build, str(second)], check=True, capture_output=True)
        deadline = time.monotonic() + 30
        while _documents(served.url) != 2:
            assert time.monotonic() < deadline, "the server did not move to the new build"
            time.sleep(0.2)
        assert served.process.poll() is None
    finally:
        served.stop()


def test_remote_timeout_is_a_504(served_store: Path, tmp_path: Path) -> None:  # noqa: F811
    """Run last in the module: the remote server keeps working on the query (its own process)."""
    location = shutil.copytree(served_store, tmp_path / "store")
    with running_oxigraph(location) as base:
        url = f"{base}/query"
        settings = settings_for(None, endpoint=url, query_timeout=1)
        with client_for(settings) as client:
            started = time.monotonic()
            response = client.get("/sparql", params={"query": FOREVER})
            assert response.status_code == 504
            assert time.monotonic() - started < 5
