"""The SPARQL lexer the server uses before running a text: form, dataset, SERVICE."""

from __future__ import annotations

import pytest

from service.query_text import (
    UnreadableService,
    dataset_of,
    inspect,
    service_endpoints,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("prefix a: <http://a/>\nselect * { ?s a:p ?o }", "SELECT"),
        ("# ASK in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("BASE <http://x/> DESCRIBE <y>", "DESCRIBE"),
        ('ASK { ?s ?p "SELECT" }', "ASK"),
        ("INSERT DATA { <a:a> <a:b> <a:c> }", None),
        ("", None),
    ],
)
def test_form(text: str, form: str | None) -> None:
    assert inspect(text).form == form


def test_dataset_and_service_flags() -> None:
    assert inspect("SELECT * FROM <http://g> { }").has_dataset
    assert not inspect('SELECT * { ?s ?p "FROM <x>" }').has_dataset
    assert inspect("SELECT * { SERVICE <http://e> { } }").mentions_service
    assert not inspect("SELECT * { ?s ex:service ?o } # SERVICE").mentions_service


def test_tokens_keep_strings_iris_and_comments_apart() -> None:
    text = '''SELECT ?x WHERE { ?x <http://e/#a> """multi
"line" # not a comment""" , 'it\\'s' ; ex:p "tab\\t"@zh-Hans } # comment'''
    kinds = [(t.kind, t.text) for t in tokens(text)]
    assert ("iri", "<http://e/#a>") in kinds
    assert ("string", '"""multi\n"line" # not a comment"""') in kinds
    assert ("string", "'it\\'s'") in kinds
    assert ("lang", "@zh-Hans") in kinds
    assert kinds[-1] == ("other", "}")  # the trailing comment is not a token


@pytest.mark.parametrize(
    ("text", "endpoints"),
    [
        ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
        ("PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }", ["http://e/q"]),
        ("BASE <http://b/> SELECT * { SERVICE <q> { ?s ?p ?o } }", ["http://b/q"]),
        ("SELECT * { SERVICE ?where { ?s ?p ?o } }", ["?where"]),
        (
            "SELECT * { { SELECT ?s { SERVICE <http://in/> { ?s ?p ?o } } } "
            "OPTIONAL { SERVICE <http://out/> { ?s ?p ?o } } }",
            ["http://in/", "http://out/"],
        ),
        ('SELECT * { ?s ?p "SERVICE <http://x/> {}" }', []),
    ],
)
def test_service_endpoints(text: str, endpoints: list[str]) -> None:
    assert sorted(service_endpoints(text)) == sorted(endpoints)


def test_service_in_updates() -> None:
    update = "INSERT { ?s ?p ?o } WHERE { SERVICE <http://u/> { ?s ?p ?o } }"
    assert service_endpoints(update, update=True) == ["http://u/"]


def test_unparsable_service_text_is_reported() -> None:
    with pytest.raises(UnreadableService):
        service_endpoints("SELECT * { SERVICE <http://a/> { ?s ?p ?o }")


def test_dataset_of() -> None:
    text = "PREFIX g: <http://g/>\nSELECT * FROM <http://d/1> FROM g:2 FROM NAMED <n> WHERE { }"
    assert dataset_of(text, "http://base/") == (["http://d/1", "http://g/2"], ["http://base/n"])
    assert dataset_of("SELECT * { ?s ?p ?o }") == ([], [])
