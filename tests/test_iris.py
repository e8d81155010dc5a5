"""IRI minting: valid, injective, stable, URL-safe keys under a configurable base."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from graphbuild.graph import iris

BASE = "http://example.org/kg/"
# A key is a single URL path segment of unreserved characters and %XX escapes.
KEY = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+")
names = st.text(max_size=400)


@settings(max_examples=300)
@given(names)
def test_keys_are_url_safe_segments(name: str) -> None:
    key = iris.key(name)
    assert KEY.fullmatch(key), key
    assert key not in (".", "..")
    assert len(key) <= iris.MAX_KEY


@settings(max_examples=300)
@given(names, names)
def test_keys_are_injective(a: str, b: str) -> None:
    if a != b:
        assert iris.key(a) != iris.key(b)


@given(st.text(min_size=1, max_size=20))
def test_short_keys_decode_to_the_name(name: str) -> None:
    key = iris.key(name)
    if "~" not in key:
        assert unquote(key, errors="surrogatepass") == name


@given(names)
def test_document_iris_are_valid_and_parse_back(name: str) -> None:
    iri = iris.document_iri(name, BASE)
    assert str(URIRef(iri)) == iri and not re.search(r"[\s<>\"{}|\\^`]", iri)
    parts = urlsplit(iri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == (
        "http",
        "example.org",
        "",
        "",
    )
    assert parts.path.startswith("/kg/id/document/") and parts.path.count("/") == 4


@given(names)
def test_document_keys_never_take_a_reserved_graph_name(name: str) -> None:
    assert iris.graph_iri(name, BASE) not in {
        iris.build_graph_iri(BASE),
        iris.ontology_graph_iri(BASE),
        iris.inferred_graph_iri(BASE),
    }


def test_reserved_names_are_escaped() -> None:
    assert iris.graph_iri("build", BASE) == f"{BASE}graph/%62uild"
    assert iris.graph_iri("ontology.txt", BASE) == f"{BASE}graph/ontology.txt"


def test_keys_are_stable_across_versions() -> None:
    """Pinned values: changing them changes every IRI in every store."""
    assert iris.key("000_5f54f51c5535db0d.txt") == "000_5f54f51c5535db0d.txt"
    assert iris.key("报纸份数") == "%E6%8A%A5%E7%BA%B8%E4%BB%BD%E6%95%B0"
    assert iris.key("a b/c~d") == "a%20b%2Fc%7Ed"
    assert iris.key("") == "~da39a3ee5e6b"
    long = iris.key("指" * 100)  # 900 characters encoded: cut, then a hash of the whole name
    assert long == "%E6%8C%87" * 25 + "~1d297185915e"


@given(st.text(min_size=1, max_size=30))
def test_indicator_iris_ignore_whitespace_and_width(name: str) -> None:
    spaced = " ".join(name)
    assert iris.indicator_iri(spaced, BASE) == iris.indicator_iri(name.replace(" ", ""), BASE)


def test_indicator_names_fold_full_width_forms() -> None:
    assert iris.indicator_name("ＧＤＰ增长率：") == "GDP增长率"
    assert iris.indicator_iri("满意度 ", BASE) == iris.indicator_iri("满意度", BASE)


def test_target_iris_number_repeats_on_a_line() -> None:
    first = iris.target_iri("d.txt", 16, "annual", 1, BASE)
    assert first == f"{BASE}id/target/d.txt/16/annual"
    assert iris.target_iri("d.txt", 16, "annual", 3, BASE) == f"{first}/3"


def test_scheme_of_the_other_iris() -> None:
    assert iris.project_iri("d.txt", 6, BASE) == f"{BASE}id/project/d.txt/6"
    assert iris.diagnostic_iri("d.txt", 2, BASE) == f"{BASE}id/diagnostic/d.txt/2"
    assert iris.department_iri("某 部门", "601", BASE) == iris.department_iri("某部门", None, BASE)
    assert iris.department_iri(None, None, BASE) is None
    assert iris.graph_iri("d.txt", BASE) == f"{BASE}graph/d.txt"


def test_base_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(iris.BASE_ENV, raising=False)
    assert iris.resolve_base() == iris.DEFAULT_BASE == "http://127.0.0.1:8000/"
    monkeypatch.setenv(iris.BASE_ENV, "https://data.example.cn")
    assert iris.resolve_base() == "https://data.example.cn/"
    assert iris.resolve_base("http://x.test/a/") == "http://x.test/a/"
    with pytest.raises(ValueError, match="absolute"):
        iris.resolve_base("not a base")
