"""The SPARQL 1.1 Protocol at /sparql, in process: every method, format and error."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graphbuild.records import Extraction
from tests.service_support import PK, client_for, served_store, settings_for  # noqa: F401

if TYPE_CHECKING:
    from httpx import Response
    from starlette.testclient import TestClient

PROJECTS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{PK}Project> }}"
LEVELS = (
    f"SELECT ?level (COUNT(?t) AS ?n) WHERE {{ ?t <{PK}level1> ?level }} "
    "GROUP BY ?level ORDER BY ?level"
)
ASK = f"ASK {{ ?p a <{PK}Project> }}"
CONSTRUCT = (
    f"CONSTRUCT {{ ?p <{PK}department> ?d }} WHERE {{ ?p a <{PK}Project> ; <{PK}department> ?d }}"
)
FORM = "application/x-www-form-urlencoded"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(served_store: Path) -> Iterator[TestClient]:  # noqa: F811
    with client_for(settings_for(served_store)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def small(served_store: Path) -> Iterator[TestClient]:  # noqa: F811
    """An app whose answers are cut at 5 rows."""
    with client_for(settings_for(served_store, max_rows=5, max_concurrent_queries=1)) as c:
        yield c


def count(response: Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def parse_graph(body: bytes, rdflib_name: str) -> Graph:
    """A graph answer as an rdflib Graph (JSON-LD read by Oxigraph: rdflib's reader warns)."""
    if rdflib_name == "json-ld":
        triples = ox.serialize(ox.parse(body, ox.RdfFormat.JSON_LD), None, ox.RdfFormat.N_QUADS)
        return Graph().parse(data=triples, format="nt")
    return Graph().parse(data=body, format=rdflib_name)


def error_of(response: Response, status: int, code: str | None = None) -> dict:
    """The one error shape, checked."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "position"}
    assert error["status"] == status and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


# methods


def test_get_post_form_and_post_body_agree(
    client: TestClient, samples: dict[str, Extraction]
) -> None:
    expected = sum(len(extraction.projects) for extraction in samples.values())
    assert count(client.get("/sparql", params={"query": PROJECTS})) == expected
    assert count(client.post("/sparql", data={"query": PROJECTS})) == expected
    direct = client.post(
        "/sparql",
        content=PROJECTS.encode(),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    assert count(direct) == expected


def test_json_is_the_default_and_rows_are_counted(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LEVELS})
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert "Accept" in response.headers["vary"]
    body = response.json()
    assert body["head"]["vars"] == ["level", "n"]
    assert int(response.headers["x-perfkg-rows"]) == len(body["results"]["bindings"]) > 0
    assert "x-perfkg-truncated" not in response.headers and "truncated" not in body


# every results format, by Accept and by format=


def _rows(fmt: str, body: bytes) -> set[tuple[str, str]]:
    """(level IRI, count) pairs from a SELECT answer in any results format."""
    if fmt == "csv":
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        assert next(reader) == ["level", "n"]
        return {(row[0], row[1]) for row in reader}
    parsed = ox.parse_query_results(
        body,
        {
            "json": ox.QueryResultsFormat.JSON,
            "xml": ox.QueryResultsFormat.XML,
            "tsv": ox.QueryResultsFormat.TSV,
        }[fmt],
    )
    assert isinstance(parsed, ox.QuerySolutions)
    return {(row["level"].value, row["n"].value) for row in parsed}


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(client: TestClient, fmt: str, media_type: str) -> None:
    reference = _rows("json", client.get("/sparql", params={"query": LEVELS}).content)
    by_accept = client.get("/sparql", params={"query": LEVELS}, headers={"Accept": media_type})
    by_name = client.get("/sparql", params={"query": LEVELS, "format": fmt})
    for response in (by_accept, by_name):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        assert _rows(fmt, response.content) == reference


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", b'"boolean": true'), ("xml", b"<boolean>true</boolean>"), ("csv", b"true")],
)
def test_ask(client: TestClient, fmt: str, expected: bytes) -> None:
    response = client.post("/sparql", data={"query": ASK, "format": fmt})
    assert response.status_code == 200 and expected in response.content


def test_ask_parses_as_a_boolean(client: TestClient) -> None:
    for fmt, parser in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)):
        body = client.get("/sparql", params={"query": ASK, "format": fmt}).content
        assert bool(ox.parse_query_results(body, parser)) is True


@pytest.mark.parametrize(
    ("fmt", "media_type", "rdflib_name"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("ntriples", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_graph_format(
    client: TestClient, fmt: str, media_type: str, rdflib_name: str
) -> None:
    reference = Graph().parse(
        data=client.get("/sparql", params={"query": CONSTRUCT, "format": "ntriples"}).text,
        format="nt",
    )
    assert len(reference) > 0
    for response in (
        client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": media_type}),
        client.post("/sparql", data={"query": CONSTRUCT, "format": fmt}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        assert isomorphic(parse_graph(response.content, rdflib_name), reference)


def test_describe(client: TestClient) -> None:
    project = client.get(
        "/sparql",
        params={"query": f"SELECT ?p WHERE {{ ?p a <{PK}Project> }} LIMIT 1", "format": "csv"},
    ).text.splitlines()[1]
    response = client.get("/sparql", params={"query": f"DESCRIBE <{project}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) > 3
    assert {str(s) for s in graph.subjects()} >= {project}


# the dataset


def _graphs(client: TestClient) -> list[str]:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    body = client.get("/sparql", params={"query": query}).json()
    return [row["g"]["value"] for row in body["results"]["bindings"]]


def test_default_graph_is_the_union_and_protocol_dataset_applies(client: TestClient) -> None:
    graphs = _graphs(client)
    document = next(g for g in graphs if g.endswith(".txt"))
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    per_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    union = count(client.get("/sparql", params={"query": total}))
    one = count(client.get("/sparql", params={"query": total, "default-graph-uri": document}))
    assert union == count(client.get("/sparql", params={"query": per_graph}))
    assert 0 < one < union
    one_named = client.post("/sparql", data={"query": per_graph, "named-graph-uri": document})
    assert count(one_named) == one
    two = client.get(
        "/sparql", params={"query": total, "default-graph-uri": [document, graphs[-1]]}
    )
    assert one < count(two) <= union
    from_clause = f"SELECT (COUNT(*) AS ?n) FROM <{document}> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", params={"query": from_clause})) == one
    direct = client.post(
        f"/sparql?default-graph-uri={document}",
        content=total,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert count(direct) == one


# the row cap


def test_select_is_cut_at_max_rows_and_says_so(small: TestClient) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    response = small.get("/sparql", params={"query": query})
    body = response.json()
    assert len(body["results"]["bindings"]) == 5
    assert body["truncated"] is True and body["head"]["link"]
    assert response.headers["x-perfkg-truncated"] == "true"
    assert response.headers["x-perfkg-row-limit"] == "5"
    csv_answer = small.get("/sparql", params={"query": query, "format": "csv"})
    assert csv_answer.headers["x-perfkg-truncated"] == "true"
    assert len(csv_answer.text.splitlines()) == 6
    xml_answer = small.get("/sparql", params={"query": query, "format": "xml"})
    assert b"<link href=" in xml_answer.content
    assert len(list(ox.parse_query_results(xml_answer.content, ox.QueryResultsFormat.XML))) == 5


def test_exactly_max_rows_is_not_truncated(small: TestClient) -> None:
    response = small.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert "x-perfkg-truncated" not in response.headers


def test_construct_is_cut_too(small: TestClient) -> None:
    response = small.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"}
    )
    assert response.status_code == 406  # "nt" is not a format name; "ntriples" is
    response = small.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"}
    )
    assert response.headers["x-perfkg-truncated"] == "true"
    assert len(Graph().parse(data=response.text, format="nt")) == 5


# the service description


def test_bare_get_is_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    services = {str(s) for s, o in graph.subject_objects(None) if str(o) == f"{sd}Service"}
    assert services == {"http://testserver/sparql"}
    assert f"{sd}UnionDefaultGraph" in {str(o) for o in graph.objects()}
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert isomorphic(parse_graph(jsonld.content, "json-ld"), graph)


def test_browsers_get_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/query"
    assert client.get(
        "/sparql", params={"format": "turtle"}, headers={"Accept": BROWSER}
    ).is_success


# errors, one shape


def test_syntax_error_has_the_parsers_message_and_position(client: TestClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o ?extra .\n}"
    error = error_of(client.get("/sparql", params={"query": query}), 400, "malformed_query")
    position = error["position"]
    assert position["line"] == 3 and 12 <= position["column"] <= 20
    assert error["message"].startswith(f"error at 3:{position['column']}: ")


def test_syntax_error_position_counts_characters_not_bytes(client: TestClient) -> None:
    ascii_error = error_of(
        client.post("/sparql", data={"query": 'SELECT * WHERE { ?s "abcd" ?o ?x }'}), 400
    )
    chinese_error = error_of(
        client.post("/sparql", data={"query": 'SELECT * WHERE { ?s "预算绩效" ?o ?x }'}), 400
    )
    assert chinese_error["position"] == ascii_error["position"]


def test_an_update_sent_as_a_query_is_malformed(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    error_of(response, 400, "malformed_query")


@pytest.mark.parametrize(
    ("request_args", "status", "code"),
    [
        ({"method": "POST", "content": "", "headers": {"Content-Type": FORM}}, 400, "bad_request"),
        ({"method": "POST", "data": {"query": ASK, "update": "CLEAR ALL"}}, 400, "bad_request"),
        ({"method": "POST", "data": {"query": [ASK, ASK]}}, 400, "bad_request"),
        ({"method": "GET", "params": {"query": [ASK, ASK]}}, 400, "bad_request"),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "bad_request"),
        (
            {"method": "POST", "content": ASK, "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
        ({"method": "POST", "content": ASK}, 415, "unsupported_media_type"),
        (
            {
                "method": "POST",
                "content": b"ASK { <a:\xff> ?p ?o }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
            "bad_request",
        ),
        (
            {"method": "GET", "params": {"query": ASK, "default-graph-uri": "not an iri"}},
            400,
            "bad_request",
        ),
        (
            {"method": "POST", "data": {"query": ASK, "using-graph-uri": "http://g"}},
            400,
            "bad_request",
        ),
        ({"method": "PUT", "content": ASK}, 405, "method_not_allowed"),
        ({"method": "DELETE"}, 405, "method_not_allowed"),
    ],
)
def test_bad_requests(client: TestClient, request_args: dict, status: int, code: str) -> None:
    args = dict(request_args)
    method = args.pop("method")
    error_of(client.request(method, "/sparql", **args), status, code)


def test_unknown_path_is_404_in_the_same_shape(client: TestClient) -> None:
    error_of(client.get("/no/such/thing"), 404, "not_found")


def test_browsers_get_errors_as_html(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": "SELECT <script>"}, headers={"Accept": BROWSER}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "malformed_query" in response.text and "<script>" not in response.text


def test_not_acceptable_lists_what_there_is(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LEVELS}, headers={"Accept": "image/png"})
    error = error_of(response, 406, "not_acceptable")
    for media_type in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert media_type in error["message"]
    assert "text/turtle" not in error["message"]
    graph = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert "text/turtle" in error_of(graph, 406, "not_acceptable")["message"]
    error_of(client.get("/sparql", params={"query": ASK, "format": "pdf"}), 406)
    error_of(client.get("/sparql", params={"query": ASK, "format": "trig"}), 406)


# content negotiation over HTTP


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv, application/sparql-results+xml", "text/csv"),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.8, */*;q=0.1", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/turtle, application/xml;q=0.5", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("text/*;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
        ("", "application/sparql-results+json"),
    ],
)
def test_negotiation_of_results(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("*/*", "text/turtle"),
        ("application/rdf+xml;q=0.9, application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/sparql-results+json, application/n-triples;q=0.1", "application/n-triples"),
        ("text/*", "text/turtle"),
        ("application/*", "application/n-triples"),
    ],
)
def test_negotiation_of_graphs(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": ASK, "format": "xml"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"] == "application/sparql-results+xml"
    response = client.get(
        "/sparql", params={"query": ASK, "format": "text/csv"}, headers={"Accept": "image/png"}
    )
    assert response.headers["content-type"].startswith("text/csv")


def test_json_bodies_are_valid_json_with_chinese_text(client: TestClient) -> None:
    query = f"SELECT ?label WHERE {{ ?p a <{PK}Project> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }} LIMIT 3"
    body = json.loads(client.get("/sparql", params={"query": query}).content.decode("utf-8"))
    labels = [row["label"] for row in body["results"]["bindings"]]
    assert labels and all(label["xml:lang"] == "zh" for label in labels)
