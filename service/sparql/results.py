"""Query results written in the negotiated format, stopping at the row cap.

Oxigraph's own writers serialise a whole result; a capped answer needs writers that stop
after ``max_rows`` rows, so SELECT/ASK results are written here (SPARQL 1.1 Query Results
JSON, XML, CSV and TSV) and graphs are collected up to the cap and handed to Oxigraph's RDF
writers. Reading stops as soon as the cap is passed, which also stops the query's work.

A cut answer says so: :attr:`Written.truncated` (the service turns it into the
``X-PerfKG-Truncated`` header), and in JSON results a top-level ``"truncated": true`` plus a
``link`` in the head; in XML results a ``<link>`` in the head.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("中")))
>>> store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("x")))
>>> out = write(store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?o"), Format.CSV, Format.TURTLE, 1)
>>> out.body, out.truncated, out.rows
(b'o\\r\\nx\\r\\n', True, 1)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphbuild.formats import Format, Kind

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
CONTEXT_FILE = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
"""The JSON-LD context (not imported from graphbuild.vocab: query workers never load rdflib)."""
TRUNCATION_LINK = "https://w3id.org/perfkg/service#truncated"


@dataclass(frozen=True)
class Written:
    """A serialised answer: body, its format, rows (or triples) written, whether it was cut."""

    body: bytes
    format: Format
    rows: int
    truncated: bool


Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class NotAcceptable(Exception):
    """The answer is of a kind (results or graph) the client accepts no format of."""

    def __init__(self, kind: Kind) -> None:
        super().__init__(kind.value)
        self.kind = kind


def write(
    result: Result | Iterable[ox.Triple | ox.Quad],
    results_format: Format | None,
    rdf_format: Format | None,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> Written:
    """Serialise a query result, at most ``max_rows`` rows or triples.

    SELECT solutions and ASK booleans are written in ``results_format``; anything else is a
    graph (a CONSTRUCT/DESCRIBE result, or triples parsed from a remote answer) and is written
    in ``rdf_format``. A format given as None is not acceptable: :class:`NotAcceptable`.
    """
    is_results = isinstance(result, ox.QueryBoolean | ox.QuerySolutions)
    if is_results and results_format is None:
        raise NotAcceptable(Kind.RESULTS)
    if not is_results and rdf_format is None:
        raise NotAcceptable(Kind.RDF)
    if isinstance(result, ox.QueryBoolean):
        assert results_format is not None
        return Written(_boolean(bool(result), results_format), results_format, 1, False)
    if isinstance(result, ox.QuerySolutions):
        variables = [variable.value for variable in result.variables]
        rows = list(islice(result, max_rows + 1))
        truncated = len(rows) > max_rows
        rows = rows[:max_rows]
        assert results_format is not None
        body = _SOLUTION_WRITERS[results_format](variables, rows, truncated)
        return Written(body, results_format, len(rows), truncated)
    triples = [_as_triple(item) for item in islice(result, max_rows + 1)]
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    assert rdf_format is not None
    return Written(
        write_triples(triples, rdf_format, prefixes), rdf_format, len(triples), truncated
    )


def _as_triple(item: ox.Triple | ox.Quad) -> ox.Triple:
    if isinstance(item, ox.Quad):
        return ox.Triple(item.subject, item.predicate, item.object)
    return item


def write_triples(
    triples: Iterable[ox.Triple], fmt: Format, prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples in an RDF format (Turtle and RDF/XML with those ``prefixes`` they use)."""
    if not prefixes or fmt not in (Format.TURTLE, Format.TRIG, Format.RDFXML):
        return ox.serialize(triples, None, fmt.rdf_format)
    triples = list(triples)
    return ox.serialize(triples, None, fmt.rdf_format, prefixes=_used(prefixes, triples) or None)


def _used(prefixes: dict[str, str], triples: list[ox.Triple]) -> dict[str, str]:
    """The prefixes whose namespace is the namespace part of an IRI in the triples."""
    namespaces: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.Literal):
                term = term.datatype
            if isinstance(term, ox.NamedNode):
                iri = term.value
                namespaces.add(iri[: max(iri.rfind("#"), iri.rfind("/")) + 1])
    return {prefix: ns for prefix, ns in prefixes.items() if ns in namespaces}


@lru_cache(maxsize=1)
def context_prefixes() -> dict[str, str]:
    """The namespace prefixes of the shipped JSON-LD context (``ontology/context.jsonld``).

    >>> context_prefixes()["pk"]
    'https://w3id.org/perfkg/ontology#'
    """
    try:
        document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    context = document.get("@context", {}) if isinstance(document, dict) else {}
    return {
        key: value
        for key, value in context.items()
        if isinstance(value, str)
        and not key.startswith("@")
        and value.endswith(("/", "#"))
        and "://" in value
    }


# SELECT solutions


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _json(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            term = row[name]
            if term is not None:
                binding[name] = _json_term(term)
        bindings.append(binding)
    head: dict[str, Any] = {"vars": variables}
    document: dict[str, Any] = {"head": head, "results": {"bindings": bindings}}
    if truncated:
        head["link"] = [TRUNCATION_LINK]
        document["truncated"] = True
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_XML_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """Text content escaped for XML."""
    return text.translate(_XML_TEXT)


def quoteattr(text: str) -> str:
    """A double-quoted, escaped XML attribute value."""
    return f'"{text.translate(_XML_ATTRIBUTE)}"'


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts.extend(f"<variable name={quoteattr(name)}/>" for name in variables)
    if truncated:
        parts.append(f"<link href={quoteattr(TRUNCATION_LINK)}/>")
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for name in variables:
            term = row[name]
            if term is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[name]) for name in variables])
    return out.getvalue().encode("utf-8")


def _tsv(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    for row in rows:
        lines.append("\t".join("" if row[name] is None else str(row[name]) for name in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


_SOLUTION_WRITERS = {Format.JSON: _json, Format.XML: _xml, Format.CSV: _csv, Format.TSV: _tsv}


def _boolean(value: bool, fmt: Format) -> bytes:
    if fmt is Format.JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt is Format.XML:
        return (
            f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    # CSV and TSV define no boolean form; write what Jena and Oxigraph write.
    return (
        ("_askResult\r\n" if fmt is Format.CSV else "?_askResult\n").encode()
        + (b"true" if value else b"false")
        + (b"\r\n" if fmt is Format.CSV else b"\n")
    )
