"""Where SERVICE and LOAD may lead: rdflib's parser decides, and fails closed."""

from __future__ import annotations

import pytest

from service.errors import ApiError
from service.sparql.policy import (
    MAX_CHECKED_CHARS,
    RemoteCall,
    check_remote_calls,
    dataset_of,
    mentions,
    remote_calls,
)


@pytest.mark.parametrize(
    ("text", "endpoints"),
    [
        ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
        ("PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }", ["http://e/q"]),
        ("BASE <http://b/> SELECT * { SERVICE <q> { ?s ?p ?o } }", ["http://b/q"]),
        ("select * { service <http://lower/> { ?s ?p ?o } }", ["http://lower/"]),
        ("SELECT * { SERVICE ?where { ?s ?p ?o } }", [None]),
        (
            "SELECT * { { SELECT ?s { SERVICE <http://in/> { ?s ?p ?o } } } "
            "OPTIONAL { SERVICE <http://out/> { ?s ?p ?o } } }",
            ["http://in/", "http://out/"],
        ),
        ("ASK { FILTER EXISTS { SERVICE <http://ex/> { ?s ?p ?o } } }", ["http://ex/"]),
        ('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', []),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}", []),
    ],
)
def test_service_endpoints_come_from_the_parse(text: str, endpoints: list[str | None]) -> None:
    assert sorted(c.endpoint or "" for c in remote_calls(text)) == sorted(
        e or "" for e in endpoints
    )


def test_load_and_service_in_updates() -> None:
    update = (
        "PREFIX e: <http://e/>\nLOAD SILENT e:data INTO GRAPH <http://g/> ;\n"
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://u/> { ?s ?p ?o } }"
    )
    assert remote_calls(update, update=True) == [
        RemoteCall("LOAD", "http://e/data"),
        RemoteCall("SERVICE", "http://u/"),
    ]


def test_the_reported_bypass_is_refused_not_waved_through() -> None:
    """The escaped prefixed name that fooled the old lexer (issue 9): rdflib cannot read it,
    so the query is refused because it mentions SERVICE."""
    text = (
        "PREFIX ex: <http://e/>\nSELECT * { VALUES ?x { ex:a\\# } "
        "SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }"
    )
    with pytest.raises(ApiError) as refused:
        check_remote_calls(text, [])
    assert (refused.value.status, refused.value.code) == (400, "malformed_query")
    with pytest.raises(ApiError):  # an allow-list does not make an unreadable text readable
        check_remote_calls(text, ["http://127.0.0.1:9/x"])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",  # a \\u escape is still the word
        "SELECT * { SeRvIcE <http://x/> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://x/> { ?s ?p ?o } ",  # not SPARQL at all
        "SELECT * { SERVICE <http://x/> { " + " . ".join(f"?s{i} ?p ?o" for i in range(400)) + "}}",
    ],
)
def test_texts_the_parser_cannot_read_are_refused(text: str) -> None:
    with pytest.raises(ApiError) as refused:
        check_remote_calls(text, ["http://allowed/"])
    assert refused.value.status in (400, 403)


def test_too_long_to_check() -> None:
    text = 'SELECT * { SERVICE <http://a/> { ?s ?p "' + "x" * MAX_CHECKED_CHARS + '" } }'
    with pytest.raises(ApiError, match="longer than"):
        check_remote_calls(text, ["http://a/"])


def test_allow_list() -> None:
    service = "SELECT * { SERVICE <http://a/> { ?s ?p ?o } }"
    check_remote_calls(service, ["http://a/"])
    check_remote_calls(service, ["*"])
    with pytest.raises(ApiError, match="allowed endpoints are http://b/"):
        check_remote_calls(service, ["http://b/"])
    variable = "SELECT * { SERVICE ?e { ?s ?p ?o } }"
    with pytest.raises(ApiError, match="variable"):
        check_remote_calls(variable, ["http://a/"])
    check_remote_calls(variable, ["*"])
    with pytest.raises(ApiError, match="LOAD <http://a/> is not allowed"):
        check_remote_calls("LOAD <http://a/>", [], update=True)
    check_remote_calls("LOAD <http://a/>", ["http://a/"], update=True)
    check_remote_calls("INSERT DATA { <http://s> <http://p> 'service' }", [], update=True)


def test_mentions_is_never_false_for_a_keyword() -> None:
    assert mentions("\\U00000053ERVICE", "service")
    assert mentions("ſervice", "service")  # long s folds to s
    assert not mentions("SELECT * { ?s ?p ?o }", "service", "load")


def test_dataset_of() -> None:
    text = "PREFIX g: <http://g/>\nSELECT * FROM <http://d/1> FROM g:2 FROM NAMED <n> WHERE { }"
    assert dataset_of(text, "http://base/") == (["http://d/1", "http://g/2"], ["http://base/n"])
    assert dataset_of("SELECT * { ?s ?p ?o }") == ([], [])
    assert dataset_of('SELECT * { ?s ?p "from" }') == ([], [])
    assert dataset_of("SELECT * FROM <http://a> { ") is None  # unreadable: the caller decides
