"""Entity pages: HTML and RDF by Accept and by extension, 404/406, escaping, the base IRI."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from graphbuild.graph import iris
from graphbuild.vocab import PK
from tests.pages.conftest import BASE, BROWSER, EVIL, IMAGE, SCRIPT, TestClient, parse

DOCUMENT = "000_5f54f51c5535db0d.txt"
PROJECT = iris.project_iri(DOCUMENT, 1021, BASE)
TARGET = iris.target_iri(DOCUMENT, 1042, "annual", base=BASE)
INDICATOR = iris.indicator_iri("档案馆服务", BASE)
SCHEME = iris.indicator_scheme_iri(BASE)


def local(iri: str) -> str:
    """The path at which the app serves an entity IRI."""
    assert iri.startswith(BASE + "id/")
    return "/id/" + iri[len(BASE + "id/") :]


def test_html_page_shows_labels_properties_provenance_and_links(client: TestClient) -> None:
    response = client.get(local(PROJECT), headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "Accept"
    assert response.headers["content-location"] == local(PROJECT) + ".html"
    assert "Content-Security-Policy" in response.headers
    page = response.text
    assert "<h1>整理开发区档案服务</h1>" in page
    assert "项目" in page  # the type's Chinese label, from the ontology graph
    department = iris.department_iri("侯马经济开发区管理委员会综合工作部", None, BASE)
    assert f'href="{local(department)}"' in page  # neighbours under the base link locally
    assert f'href="{local(iris.document_iri(DOCUMENT, BASE))}"' in page  # source document
    assert re.search(r'<dd class="line">\s*1021\s*</dd>', page)  # source line
    assert 'href="#funding-1"' in page and 'id="funding-1"' in page  # fragment nodes
    describe = "/query?query=" + quote(f"DESCRIBE <{PROJECT}>", safe="")
    assert f'href="{describe}"' in page
    assert "所属项目" in page  # incoming pk:project, with its label …
    assert re.search(r'<span class="count">\s*14\s*</span>', page)  # … and its count
    assert "https://cdn" not in page and "//unpkg" not in page


def test_incoming_links_are_capped_with_their_count(client: TestClient) -> None:
    page = client.get(local(SCHEME), headers={"Accept": "text/html"}).text
    total = int(re.search(r'<span class="count">\s*(\d+)\s*</span>', page).group(1))
    assert total > 50
    assert f"first 50 of {total}" in page
    assert page.count('<li><a class="iri"') == 50


def test_turtle_is_the_default_and_holds_fragment_nodes(client: TestClient) -> None:
    for accept in (None, "*/*", "text/turtle", "application/x-turtle"):
        headers = {"Accept": accept} if accept else {}
        response = client.get(local(TARGET), headers=headers)
        assert response.status_code == 200, accept
        assert response.headers["content-type"].startswith("text/turtle")
        assert response.headers["content-location"] == local(TARGET) + ".ttl"
    graph = parse(response.text, "turtle")
    target = URIRef(TARGET)
    assert (target, RDF.type, PK.PerformanceTarget) in graph
    assert (target, PK.indicator, URIRef(INDICATOR)) in graph
    value = URIRef(TARGET + "#value")
    assert (value, PK.rawValue, Literal("1项")) in graph


def test_jsonld_and_ntriples_by_accept_are_the_same_graph(client: TestClient) -> None:
    turtle = parse(client.get(local(PROJECT) + ".ttl").text, "turtle")
    response = client.get(local(PROJECT), headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert "@context" in document  # compacted with the shipped context
    assert isomorphic(turtle, parse(response.text, "json-ld"))
    response = client.get(local(PROJECT), headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert isomorphic(turtle, parse(response.text, "nt"))
    assert (URIRef(PROJECT), RDFS.label, Literal("整理开发区档案服务", lang="zh")) in turtle


def test_extensions_win_over_accept(client: TestClient) -> None:
    expected = {
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".nt": "application/n-triples",
        ".html": "text/html",
    }
    for extension, media_type in expected.items():
        response = client.get(local(PROJECT) + extension, headers={"Accept": "image/png"})
        assert response.status_code == 200, extension
        assert response.headers["content-type"].startswith(media_type)
        assert "content-location" not in response.headers
    assert 'rel="alternate"; type="application/ld+json"' in response.headers["link"]


def test_document_iri_ending_in_txt_is_not_taken_for_an_extension(client: TestClient) -> None:
    document = iris.document_iri(DOCUMENT, BASE)
    response = client.get(local(document), headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert f"<{document}>" in response.text or DOCUMENT in response.text
    assert client.get(local(document) + ".nt").status_code == 200


def test_percent_encoded_iris_resolve_however_the_client_writes_them(
    client: TestClient,
) -> None:
    path = local(INDICATOR)
    assert "%E6%A1%A3" in path
    for variant in (path, path.lower().replace("/id/indicator/", "/id/indicator/"), unquote(path)):
        response = client.get(variant, headers={"Accept": "text/html"})
        assert response.status_code == 200, variant
        assert "档案馆服务" in response.text


def test_unknown_entity_is_404_in_the_error_shape(client: TestClient) -> None:
    for path in ("/id/project/nope.txt/1", "/id/project/nope.txt/1.ttl", "/id/nope/", "/id/a%20b>"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 404, path
        error = response.json()["error"]
        assert error["status"] == 404 and error["code"] == "not_found"
        assert set(error) == {"status", "code", "message", "position"}


def test_unacceptable_type_is_406(client: TestClient) -> None:
    response = client.get(local(PROJECT), headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"


def test_markup_in_literals_is_rendered_inert(client: TestClient) -> None:
    response = client.get(local(EVIL), headers={"Accept": BROWSER})
    assert response.status_code == 200
    page = response.text
    assert SCRIPT not in page and IMAGE not in page
    assert "&lt;script&gt;alert(&#39;perfkg&#39;)&lt;/script&gt;档案服务" in page
    assert "&lt;img src=&#34;x&#34; onerror=&#34;alert(1)&#34;&gt;" in page
    # the only scripts on a page are the server's own files
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all(re.fullmatch(r'<script src="/static/[\w./-]+\.js">', s) for s in scripts), scripts
    # and the label is data again in RDF
    graph = parse(client.get(local(EVIL) + ".jsonld").text, "json-ld")
    assert (URIRef(EVIL), RDFS.label, Literal(SCRIPT, lang="zh")) in graph


def test_iris_follow_the_configured_base_not_the_request_host(client: TestClient) -> None:
    assert not BASE.startswith(str(client.base_url))
    response = client.get(local(PROJECT) + ".ttl")
    assert f"<{PROJECT}>" in response.text or "整理开发区档案服务" in response.text
    assert "testserver" not in response.text


def test_rdf_of_an_entity_with_only_incoming_links(client: TestClient, dataset: Dataset) -> None:
    response = client.get(local(SCHEME) + ".jsonld")
    assert response.status_code == 200
    graph = parse(response.text, "json-ld")
    incoming = {(s, p) for s, p, _, _ in dataset.quads((None, None, URIRef(SCHEME), None))}
    assert 50 < len(incoming) <= 1000  # RDF lists up to 1000 incoming triples
    assert len(graph) == len(incoming)
    assert json.loads(response.text)["@context"]
