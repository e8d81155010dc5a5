"""The format table: lookups by name, media type and extension, and content negotiation."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from graphbuild.formats import Format, Kind, negotiate


@pytest.mark.parametrize("fmt", list(Format))
def test_table_agrees_with_pyoxigraph(fmt: Format) -> None:
    assert fmt.oxigraph.media_type.split(";")[0] == fmt.media_type
    assert fmt.oxigraph.file_extension == fmt.extension
    assert Format.from_name(fmt.value) is fmt
    assert Format.from_media_type(fmt.media_type) is fmt
    assert Format.from_extension(f"out/file.{fmt.extension}") is fmt


@pytest.mark.parametrize("fmt", [f for f in Format if f.kind is Kind.RDF])
def test_rdflib_names_exist(fmt: Format) -> None:
    assert fmt.rdflib is not None
    rdflib.plugin.get(fmt.rdflib, rdflib.serializer.Serializer)
    rdflib.plugin.get(fmt.rdflib, rdflib.parser.Parser)
    assert isinstance(fmt.rdf_format, ox.RdfFormat)


def test_lookups_by_kind_and_aliases() -> None:
    assert Format.from_media_type("application/json", Kind.RESULTS) is Format.JSON
    assert Format.from_media_type("application/json", Kind.RDF) is Format.JSONLD
    assert Format.from_media_type("Text/Turtle; charset=UTF-8") is Format.TURTLE
    assert Format.from_extension("nq") is Format.NQUADS
    assert Format.from_extension(".RDF") is Format.RDFXML
    assert Format.names(Kind.RDF) == ["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"]
    with pytest.raises(ValueError, match="choose one of"):
        Format.from_name("n3")
    with pytest.raises(ValueError, match="media type"):
        Format.from_media_type("image/png")
    with pytest.raises(ValueError, match="results format"):
        _ = Format.TURTLE.results_format


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, Kind.RDF, Format.TURTLE),
        ("*/*", Kind.RESULTS, Format.JSON),
        ("text/html, application/n-quads;q=0.8, */*;q=0.1", Kind.RDF, Format.NQUADS),
        ("application/sparql-results+xml;q=0.2, text/csv", Kind.RESULTS, Format.CSV),
        ("application/*", Kind.RDF, Format.TRIG),
        ("text/turtle;q=0", Kind.RDF, None),
        ("application/sparql-results+json", Kind.RDF, None),
    ],
)
def test_negotiate(accept: str | None, kind: Kind, expected: Format | None) -> None:
    assert negotiate(accept, kind) is expected
