"""Deterministic IRIs for the data, minted under a configurable base.

The same input always gives the same IRIs, in every build and on every machine. The base
defaults to ``DEFAULT_BASE`` (what ``perfkg serve`` answers on its default port), can be set
for a whole run with the ``PERFKG_BASE`` environment variable, and can be passed explicitly to
every function here (an explicit base wins). The scheme is documented in ``docs/iris.md``.

Keys (the path segments taken from names) are URL-safe and injective: a name made only of
``A-Z a-z 0-9 . _ -`` is used as it is; any other name is percent-encoded as UTF-8 (so a
browser shows the Chinese text); a key longer than ``MAX_KEY`` is cut and ends in ``~`` and
twelve hex digits of the SHA-1 of the whole name (only such keys contain ``~``).

>>> document_iri("000_5f54f51c5535db0d.txt", "http://example.org/")
'http://example.org/id/document/000_5f54f51c5535db0d.txt'
>>> indicator_iri("报纸 份数", "http://example.org/")
'http://example.org/id/indicator/%E6%8A%A5%E7%BA%B8%E4%BB%BD%E6%95%B0'
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

DEFAULT_BASE = "http://127.0.0.1:8000/"
BASE_ENV = "PERFKG_BASE"
MAX_KEY = 240
_HASH_HEX = 12

_SAFE = re.compile(r"[A-Za-z0-9._-]+")
# Graph names under {base}graph/ that are not documents; a document key never equals one.
RESERVED_GRAPHS = frozenset(
    {"build", "ontology", "inferred", "manifest", "statistics", "audit", "links"}
)


def resolve_base(base: str | None = None) -> str:
    """The base IRI to mint under: ``base``, else ``$PERFKG_BASE``, else ``DEFAULT_BASE``.

    The result always ends in ``/``.

    >>> resolve_base("http://example.org/kg")
    'http://example.org/kg/'
    """
    return _checked(base or os.environ.get(BASE_ENV) or DEFAULT_BASE)


@lru_cache(maxsize=64)
def _checked(chosen: str) -> str:
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"{}|\\^`]+$", chosen):
        raise ValueError(f"base IRI {chosen!r} is not an absolute http(s) IRI")
    return chosen if chosen.endswith("/") else chosen + "/"


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The URL-safe, injective path segment for ``name``.

    >>> key("a.txt"), key("晋城"), key("a b"), key("..")
    ('a.txt', '%E6%99%8B%E5%9F%8E', 'a%20b', '%2E%2E')
    """
    if _SAFE.fullmatch(name) and len(name) <= MAX_KEY:
        if name.strip("."):
            return name
        return "%2E" * len(name)  # "." and ".." are dot-segments in URLs
    encoded = _quote(name).replace("~", "%7E")
    if encoded and len(encoded) <= MAX_KEY:
        return encoded
    return _hashed(name)


def _quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def _hashed(name: str) -> str:
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_HEX]
    room = MAX_KEY - _HASH_HEX - 1
    prefix, used = [], 0
    for char in name:
        part = char if _SAFE.fullmatch(char) else _quote(char).replace("~", "%7E")
        if used + len(part) > room:
            break
        prefix.append(part)
        used += len(part)
    return "".join(prefix) + "~" + digest


def document_key(document: str) -> str:
    """The key of a document (its file name); never one of the reserved graph names.

    >>> document_key("report.txt"), document_key("build")
    ('report.txt', '%62uild')
    """
    found = key(document)
    if found in RESERVED_GRAPHS:
        return f"%{ord(found[0]):02X}{found[1:]}"
    return found


@lru_cache(maxsize=65536)
def indicator_name(level3: str) -> str:
    """The normalised 三级指标 name that indicator concepts are keyed on.

    NFKC (full-width forms folded), whitespace removed, surrounding punctuation stripped.

    >>> indicator_name(" 报纸 份数： ")
    '报纸份数'
    """
    text = unicodedata.normalize("NFKC", level3)
    text = re.sub(r"\s+", "", text)
    return text.strip(":;,.、。，；：")


def document_iri(document: str, base: str | None = None) -> str:
    """``{base}id/document/{doc}``."""
    return f"{resolve_base(base)}id/document/{document_key(document)}"


def graph_iri(document: str, base: str | None = None) -> str:
    """``{base}graph/{doc}``: the named graph holding one document's triples.

    >>> graph_iri("000.txt", "http://example.org/")
    'http://example.org/graph/000.txt'
    """
    return f"{resolve_base(base)}graph/{document_key(document)}"


def build_graph_iri(base: str | None = None) -> str:
    """``{base}graph/build``: the named graph describing build runs."""
    return f"{resolve_base(base)}graph/build"


def ontology_graph_iri(base: str | None = None) -> str:
    """``{base}graph/ontology``: the named graph holding the vocabulary files."""
    return f"{resolve_base(base)}graph/ontology"


def manifest_graph_iri(base: str | None = None) -> str:
    """``{base}graph/manifest``: which source (SHA-256) and perfkg version built each graph."""
    return f"{resolve_base(base)}graph/manifest"


def statistics_graph_iri(base: str | None = None) -> str:
    """``{base}graph/statistics``: the counts pages show, computed at the end of each build."""
    return f"{resolve_base(base)}graph/statistics"


def statistics_iri(base: str | None = None) -> str:
    """``{base}id/statistics``: the dataset's statistics node."""
    return f"{resolve_base(base)}id/statistics"


def inferred_graph_iri(base: str | None = None) -> str:
    """``{base}graph/inferred``: the named graph holding inferred triples."""
    return f"{resolve_base(base)}graph/inferred"


def department_iri(name: str | None, code: str | None, base: str | None = None) -> str | None:
    """``{base}id/department/{key}``, keyed on the name (or ``code:{code}`` without one).

    >>> department_iri(None, "601", "http://example.org/")
    'http://example.org/id/department/code%3A601'
    """
    if name:
        return f"{resolve_base(base)}id/department/{key(''.join(name.split()))}"
    if code:
        return f"{resolve_base(base)}id/department/{key('code:' + code)}"
    return None


def project_iri(document: str, line: int, base: str | None = None) -> str:
    """``{base}id/project/{doc}/{line}``: a project is keyed by its table's title line."""
    return f"{resolve_base(base)}id/project/{document_key(document)}/{line}"


def target_iri(document: str, line: int, period: str, n: int = 1, base: str | None = None) -> str:
    """``{base}id/target/{doc}/{line}/{period}[/{n}]``.

    ``n`` counts targets with the same line and period in source order; the first has no
    suffix.

    >>> target_iri("d.txt", 12, "annual", 2, "http://example.org/")
    'http://example.org/id/target/d.txt/12/annual/2'
    """
    suffix = f"/{n}" if n > 1 else ""
    return f"{resolve_base(base)}id/target/{document_key(document)}/{line}/{period}{suffix}"


def indicator_iri(level3: str, base: str | None = None) -> str:
    """``{base}id/indicator/{key}``: shared by every target with the same normalised name."""
    return f"{resolve_base(base)}id/indicator/{key(indicator_name(level3))}"


def indicator_scheme_iri(base: str | None = None) -> str:
    """``{base}id/indicator``: the SKOS scheme holding every indicator concept."""
    return f"{resolve_base(base)}id/indicator"


def budget_table_iri(document: str, line: int, base: str | None = None) -> str:
    """``{base}id/budget-table/{doc}/{line}``: a budget table (a qb:DataSet), keyed by its
    title's line (or the line of the narrative heading its figures are under)."""
    return f"{resolve_base(base)}id/budget-table/{document_key(document)}/{line}"


def budget_line_iri(document: str, line: int, n: int = 1, base: str | None = None) -> str:
    """``{base}id/budget-line/{doc}/{line}[/{n}]``: the n-th amount read from a line (a
    qb:Observation), in the line's order of columns; the first has no suffix.

    >>> budget_line_iri("d.txt", 148, 2, "http://example.org/")
    'http://example.org/id/budget-line/d.txt/148/2'
    """
    suffix = f"/{n}" if n > 1 else ""
    return f"{resolve_base(base)}id/budget-line/{document_key(document)}/{line}{suffix}"


CLASSIFICATION_SCHEMES = {"2": "functional", "3": "economic", "5": "government-economic"}
"""A classification code's scheme by its first digit: 2xx functional (支出功能分类), 3xx the
department budget's economic classification (部门预算支出经济分类), 5xx the government budget's
(政府预算支出经济分类)."""


def classification_scheme(code: str, kind: str | None = None) -> str:
    """The scheme key of a code (``functional``, ``economic``, ``government-economic``).

    >>> classification_scheme("2010350"), classification_scheme("50501"), classification_scheme("9", "economic")
    ('functional', 'government-economic', 'economic')
    """
    return CLASSIFICATION_SCHEMES.get(code[:1]) or kind or "other"


def classification_iri(code: str, kind: str | None = None, base: str | None = None) -> str:
    """``{base}id/classification/{scheme}/{code}``: one concept per code across documents.

    >>> classification_iri("20103", base="http://example.org/")
    'http://example.org/id/classification/functional/20103'
    """
    scheme = classification_scheme(code, kind)
    return f"{resolve_base(base)}id/classification/{scheme}/{key(code)}"


def classification_scheme_iri(scheme: str, base: str | None = None) -> str:
    """``{base}id/classification/{scheme}``: the SKOS scheme of a classification."""
    return f"{resolve_base(base)}id/classification/{scheme}"


def links_graph_iri(base: str | None = None) -> str:
    """``{base}graph/links``: links between documents (final accounts → the budget they
    execute), recomputed at the end of each build."""
    return f"{resolve_base(base)}graph/links"


def diagnostic_iri(document: str, n: int, base: str | None = None) -> str:
    """``{base}id/diagnostic/{doc}/{n}``: the n-th diagnostic (from 1) of a document."""
    return f"{resolve_base(base)}id/diagnostic/{document_key(document)}/{n}"


def build_iri(build_id: str, base: str | None = None) -> str:
    """``{base}id/build/{id}``: one build run."""
    return f"{resolve_base(base)}id/build/{key(build_id)}"


def software_iri(version: str, base: str | None = None) -> str:
    """``{base}id/software/perfkg/{version}``: the software agent of a build."""
    return f"{resolve_base(base)}id/software/perfkg/{key(version)}"
