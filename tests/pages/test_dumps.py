"""Dumps: the list, and every file parses back to the store's quads."""

from __future__ import annotations

import pytest
from httpx import Response
from rdflib import BNode, Dataset

from tests.pages.conftest import BROWSER, TestClient, parse, parse_dataset

FILES = {
    "perfkg.ttl": ("text/turtle", "turtle"),
    "perfkg.trig": ("application/trig", "trig"),
    "perfkg.nq": ("application/n-quads", "nquads"),
    "perfkg.jsonld": ("application/ld+json", "json-ld"),
}


def quads(dataset: Dataset) -> set[tuple[object, ...]]:
    """The quads of the named graphs (rdflib's default graph is empty here)."""
    return {(s, p, o, g) for s, p, o, g in dataset.quads() if g is not None}


def ground(found: set[tuple[object, ...]]) -> set[tuple[object, ...]]:
    """Without the quads that hold blank nodes (they get new ids in every parse)."""
    return {quad for quad in found if not any(isinstance(term, BNode) for term in quad)}


@pytest.fixture(scope="module")
def downloads(client: TestClient) -> dict[str, Response]:
    """Each dump, downloaded once."""
    return {filename: client.get("/dumps/" + filename) for filename in FILES}


def test_list_names_every_dump_with_counts_and_sizes(
    client: TestClient, dataset: Dataset, downloads: dict[str, Response]
) -> None:
    listing = client.get("/dumps", headers={"Accept": "application/json"}).json()
    assert listing["quads"] == len(quads(dataset))
    assert listing["graphs"] == len(list(dataset.graphs())) - 1  # rdflib adds a default graph
    assert [dump["filename"] for dump in listing["dumps"]] == list(FILES)
    for dump in listing["dumps"]:
        assert dump["mediaType"] == FILES[dump["filename"]][0]
        assert dump["url"].endswith("/dumps/" + dump["filename"])
        body = downloads[dump["filename"]].content
        assert dump["bytes"] == len(body)  # small stores are measured for the list
    page = client.get("/dumps", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/perfkg.nq"' in page.text


@pytest.mark.parametrize("filename", ["perfkg.trig", "perfkg.nq", "perfkg.jsonld"])
def test_dataset_dumps_parse_back_to_the_same_quads(
    downloads: dict[str, Response], dataset: Dataset, filename: str
) -> None:
    response = downloads[filename]
    assert response.status_code == 200
    media_type, rdf_format = FILES[filename]
    assert response.headers["content-type"].startswith(media_type)
    assert filename in response.headers["content-disposition"]
    parsed = quads(parse_dataset(response.content, rdf_format))
    assert len(parsed) == len(quads(dataset))  # the expected quad count
    assert ground(parsed) == ground(quads(dataset))


def test_turtle_dump_is_the_union_of_the_graphs(
    downloads: dict[str, Response], dataset: Dataset
) -> None:
    parsed = set(parse(downloads["perfkg.ttl"].content, "turtle"))
    union = {(s, p, o) for s, p, o, _ in quads(dataset)}
    assert len(parsed) == len(union)
    assert ground(parsed) == ground(union)


def test_unknown_dump_is_404(client: TestClient) -> None:
    response = client.get("/dumps/perfkg.xml", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
