"""Building the graph: documents → records → one named graph each, in a store.

:func:`build` is what ``perfkg build`` runs. Each document is extracted, mapped to RDF and
written with :meth:`Store.replace_graph`, so re-building a document replaces exactly its
graph. A document that cannot be read, extracted or mapped is reported and skipped; nothing
of it reaches the store, and the other documents go on. The ontology files are loaded into
``{base}graph/ontology`` and the run is described (PROV-O) in ``{base}graph/build``, which
keeps the description of earlier runs.

>>> from graphbuild.stores.memory import MemoryStore
>>> report = build([], MemoryStore(), base="http://example.org/")
>>> report.ontology_quads > 0, report.failed
(True, [])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef

from graphbuild.extract import extract_file
from graphbuild.extract.read import ReadError
from graphbuild.graph import iris
from graphbuild.records import Extraction
from graphbuild.stores.base import GraphDataError, Store
from graphbuild.vocab import ONTOLOGY_DIR, SHAPES_FILE

Mapper = Callable[[Extraction, str | None], Graph]
"""Records → the document's named graph (``graphbuild.graph.mapping.document_graph``)."""
Extractor = Callable[[Path], Extraction]
"""A file → its records (``graphbuild.extract.extract_file``)."""


@dataclass
class DocumentResult:
    """What became of one input file."""

    path: Path
    document: str | None = None
    graph: str | None = None
    quads: int = 0
    projects: int = 0
    targets: int = 0
    diagnostics: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    """A build run: per document results and the two shared graphs."""

    started: datetime
    ended: datetime | None = None
    documents: list[DocumentResult] = field(default_factory=list)
    ontology_graph: str | None = None
    ontology_quads: int = 0
    build_graph: str | None = None
    build_quads: int = 0

    @property
    def built(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.ok]

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if not d.ok]


DOCUMENT_SUFFIXES = (".txt", ".pdf", ".xlsx", ".xlsm", ".xls", ".html", ".htm", ".docx")
"""The files a folder stands for (each is then read by its content, whatever its suffix)."""


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the document files inside it (``.txt``, ``.pdf``,
    ``.xlsx``, ``.xls``, ``.html``, ``.docx`` …, see :data:`DOCUMENT_SUFFIXES`), sorted. A file
    given twice (directly or through its folder) is kept once, where it first appears."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        found = (
            sorted(
                p for p in path.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
            )
            if path.is_dir()
            else [path]
        )
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def ontology_files() -> list[Path]:
    """The vocabulary files loaded into the ontology graph (every ``ontology/*.ttl`` but shapes)."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p != SHAPES_FILE)


def ontology_graph(base: str | None = None) -> Graph:
    """The ontology files as one graph named ``{base}graph/ontology``."""
    graph = Graph(identifier=URIRef(iris.ontology_graph_iri(base)))
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def _default_mapper() -> Mapper:
    from graphbuild.graph.mapping import document_graph

    return document_graph


def ingest(
    path: Path,
    store: Store,
    base: str | None = None,
    mapper: Mapper | None = None,
    extractor: Extractor = extract_file,
) -> DocumentResult:
    """Extract, map and write one document.

    Problems of the document (unreadable, a parser or mapper exception, a graph the store
    refuses as invalid RDF) become ``DocumentResult.error`` and write nothing; a
    :class:`StoreError` of the store itself (unreachable, locked, disk full) propagates.
    """
    result = DocumentResult(path)
    try:
        extraction = extractor(path)
    except ReadError as error:
        result.error = str(error)
        return result
    except Exception as error:  # a parser bug must not stop the other documents
        result.error = f"{path}: could not be extracted ({type(error).__name__}: {error})"
        return result
    result.document = extraction.document.document
    result.projects = len(extraction.projects)
    result.targets = len(extraction.targets)
    result.diagnostics = len(extraction.diagnostics)
    try:
        graph = (mapper or _default_mapper())(extraction, base)
    except Exception as error:  # a mapping bug must not stop the other documents
        result.error = f"{path}: could not be mapped to RDF ({type(error).__name__}: {error})"
        return result
    result.graph = str(graph.identifier)
    try:
        result.quads = store.replace_graph(graph)
    except GraphDataError as error:  # the store refused this graph's data; nothing written
        result.error = f"{path}: {error}"
    return result


def build(
    paths: Sequence[Path],
    store: Store,
    base: str | None = None,
    mapper: Mapper | None = None,
    progress: Callable[[DocumentResult], None] | None = None,
    extractor: Extractor = extract_file,
) -> BuildReport:
    """Build every document in ``paths`` into ``store``; see the module docstring.

    ``progress`` is called after each document. A :class:`StoreError` stops the build (the
    documents written so far stay written).
    """
    base = iris.resolve_base(base)
    report = BuildReport(started=datetime.now(UTC))
    ontology = ontology_graph(base)
    report.ontology_graph = str(ontology.identifier)
    report.ontology_quads = store.replace_graph(ontology)
    seen: dict[str, Path] = {}
    for path in expand(paths):
        previous = seen.get(path.name)
        if previous is not None:
            result = DocumentResult(
                path,
                error=f"{path}: has the same document name as {previous} and would replace its "
                "graph; rename one of them",
            )
        else:
            seen[path.name] = path
            result = ingest(path, store, base, mapper, extractor)
        report.documents.append(result)
        if progress is not None:
            progress(result)
    report.ended = datetime.now(UTC)
    report.build_graph, report.build_quads = _describe(store, report, base)
    return report


def _describe(store: Store, report: BuildReport, base: str) -> tuple[str, int]:
    """Add this run's description to the build graph (earlier runs stay described)."""
    from graphbuild.graph.mapping import build_graph

    built = [d.path for d in report.built]
    graph = build_graph(built, report.started, report.ended or report.started, base)
    name = str(graph.identifier)
    for triple in store.graph(name):
        graph.add(triple)
    return name, store.replace_graph(graph)


def data_graph_names(store: Store, base: str | None = None) -> list[str]:
    """The document graphs: every graph under ``{base}graph/`` but build, ontology, inferred."""
    prefix = iris.graph_iri("x", base)[:-1]
    reserved = {
        iris.build_graph_iri(base),
        iris.ontology_graph_iri(base),
        iris.inferred_graph_iri(base),
    }
    return [n for n in store.graph_names() if n.startswith(prefix) and n not in reserved]


def resolve_graph(name: str, base: str | None = None) -> str:
    """A ``--graph`` value as a graph IRI: an IRI as given, ``build``/``ontology``/``inferred``
    as the shared graphs, anything else as a document name.

    >>> resolve_graph("000.txt", "http://example.org/")
    'http://example.org/graph/000.txt'
    >>> resolve_graph("ontology", "http://example.org/")
    'http://example.org/graph/ontology'
    """
    if "://" in name or name.startswith("urn:"):
        return name
    if name in iris.RESERVED_GRAPHS:
        return f"{iris.resolve_base(base)}graph/{name}"
    return iris.graph_iri(name, base)
