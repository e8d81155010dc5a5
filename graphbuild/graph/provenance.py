"""Build provenance: one build run described with PROV-O in ``{base}graph/build``.

>>> from datetime import UTC, datetime
>>> moment = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
>>> graph = build_graph([BuildInput("a.txt", "0" * 64)], moment, moment, "http://example.org/")
>>> str(graph.identifier)
'http://example.org/graph/build'
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graphbuild.graph import iris
from graphbuild.vocab import PK, PREFIXES, SCHEMA

__all__ = ["BuildInput", "build_graph", "software_version"]


@dataclass(frozen=True)
class BuildInput:
    """One input file of a build: its document name (file name) and the SHA-256 of its bytes."""

    document: str
    sha256: str

    @classmethod
    def from_path(cls, path: Path | str) -> BuildInput:
        """Hash a file; its name is the document name the extractor gives it."""
        path = Path(path)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return cls(path.name, digest.hexdigest())


def software_version() -> str:
    """The installed perfkg version (``0+unknown`` when running from an uninstalled tree)."""
    try:
        return version("perfkg")
    except PackageNotFoundError:
        return "0+unknown"


def build_graph(
    inputs: Sequence[BuildInput | Path | str],
    started: datetime,
    ended: datetime,
    base: str | None = None,
) -> Graph:
    """The graph ``{base}graph/build`` describing one build run as a ``prov:Activity``.

    The run used each input document (with its SHA-256) and generated its named graph; it was
    associated with the perfkg software agent of the installed version. The run's IRI is
    derived from its start time and its inputs, so describing the same run twice gives the
    same graph. A document's ``dcterms:identifier`` is stated in its own graph only: repeated
    here, every query over the union of the graphs met each document twice.
    """
    base = iris.resolve_base(base)
    items = [
        item if isinstance(item, BuildInput) else BuildInput.from_path(item) for item in inputs
    ]
    started, ended = _aware(started), _aware(ended)
    fingerprint = hashlib.sha1(
        "\n".join(sorted(f"{i.document}\t{i.sha256}" for i in items)).encode()
    ).hexdigest()[:8]
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    run = URIRef(iris.build_iri(f"{stamp}-{fingerprint}", base))
    release = software_version()
    agent = URIRef(iris.software_iri(release, base))
    triples: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (run, RDF.type, PK.Build),
        (run, RDF.type, PROV.Activity),
        (run, RDFS.label, Literal(f"perfkg build {started.isoformat()}", lang="en")),
        (run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)),
        (run, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)),
        (run, PROV.wasAssociatedWith, agent),
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDFS.label, Literal("perfkg")),
        (agent, SCHEMA["softwareVersion"], Literal(release)),
    ]
    for item in items:
        doc = URIRef(iris.document_iri(item.document, base))
        named = URIRef(iris.graph_iri(item.document, base))
        triples += [
            (run, PROV.used, doc),
            (doc, PK.sha256, Literal(item.sha256)),
            (named, PROV.wasGeneratedBy, run),
            (named, PROV.wasDerivedFrom, doc),
        ]
    graph = Graph(identifier=URIRef(iris.build_graph_iri(base)), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _aware(moment: datetime) -> datetime:
    """The moment in UTC; a naive datetime is taken as local time."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.astimezone().astimezone(UTC)
