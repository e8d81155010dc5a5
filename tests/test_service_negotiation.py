"""Content negotiation over the format table: q-values, specificity, wildcards, aliases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphbuild.formats import Format, Kind
from service.negotiation import (
    from_parameter,
    negotiate,
    parse_accept,
    prefers_html,
    served_formats,
)

R, G = Kind.RESULTS, Kind.RDF


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        (None, R, "json"),
        ("", G, "turtle"),
        ("*/*", R, "json"),
        ("*", G, "turtle"),
        ("text/*", R, "csv"),
        ("text/*", G, "turtle"),
        ("application/*", G, "ntriples"),
        ("text/csv;q=0.5, application/sparql-results+json", R, "json"),
        ("text/csv, application/sparql-results+xml", R, "csv"),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.6", R, "tsv"),
        ("text/*;q=0.5, text/csv", R, "csv"),
        ("text/*, text/csv;q=0.1", R, "tsv"),  # the specific range lowers csv below text/*
        ("application/json", R, "json"),
        ("application/json", G, "jsonld"),
        ("application/xml", R, "xml"),
        ("application/xml", G, "rdfxml"),
        ("text/xml;q=0.3, */*;q=0.1", R, "xml"),
        ("*/*;q=0.1, text/turtle", G, "turtle"),
        ("application/sparql-results+json;q=0, */*", R, "xml"),
        ("TEXT/CSV", R, "csv"),
        ("text/csv; charset=utf-8; q=0.8, application/n-triples", R, "csv"),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', G, "jsonld"),
        ("garbage", R, "json"),  # an unreadable header counts as absent
    ],
)
def test_negotiate(accept: str | None, kind: Kind, expected: str) -> None:
    chosen = negotiate(accept, kind)
    assert chosen is not None and chosen.value == expected


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("image/png", R),
        ("text/turtle", R),
        ("application/sparql-results+json", G),
        ("text/csv;q=0", R),
        ("application/trig", G),  # datasets are for dumps, not CONSTRUCT answers
        ("*/*;q=0", G),
    ],
)
def test_nothing_acceptable(accept: str, kind: Kind) -> None:
    assert negotiate(accept, kind) is None


def test_parse_accept_clamps_and_skips() -> None:
    ranges = parse_accept("text/csv;q=7, */html, a, application/json;q=-1")
    assert [(r.type, r.subtype, r.quality) for r in ranges] == [
        ("text", "csv", 1.0),
        ("application", "json", 0.0),
    ]


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("text/html", True),
        ("text/*", True),
        ("*/*", False),
        (None, False),
        ("application/json, text/html;q=0.9", False),
        ("application/sparql-results+json,*/*;q=0.9", False),
        ("text/html;q=0", False),
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html


def test_format_parameter_takes_names_and_media_types() -> None:
    assert from_parameter("TSV") is Format.TSV
    assert from_parameter("application/n-triples") is Format.NTRIPLES
    assert from_parameter("application/json", R) is Format.JSON
    with pytest.raises(ValueError):
        from_parameter("pdf")


def test_served_formats() -> None:
    assert [f.value for f in served_formats(R)] == ["json", "xml", "csv", "tsv"]
    assert [f.value for f in served_formats(G)] == ["turtle", "ntriples", "jsonld", "rdfxml"]


MEDIA = [f.media_type for f in Format] + ["*/*", "text/*", "application/*", "image/png"]


@given(
    st.lists(
        st.tuples(st.sampled_from(MEDIA), st.sampled_from([None, 0, 0.1, 0.5, 0.9, 1])),
        max_size=6,
    ),
    st.sampled_from([R, G]),
)
def test_negotiation_picks_a_served_format_the_client_accepts(
    ranges: list[tuple[str, float | None]], kind: Kind
) -> None:
    header = ", ".join(m if q is None else f"{m};q={q}" for m, q in ranges)
    chosen = negotiate(header, kind)
    if chosen is None:
        return
    assert chosen in served_formats(kind)
    if ranges:
        assert any(_accepts(m, chosen) and q != 0 for m, q in ranges)


def _accepts(media_range: str, fmt: Format) -> bool:
    if media_range in (fmt.media_type, *fmt.aliases, "*/*"):
        return True
    return media_range.endswith("/*") and fmt.media_type.startswith(media_range[:-1])
