"""Building the graph: documents → records → N-Quads → one named graph each, in a store.

:func:`build` is what ``perfkg build`` runs. It streams: each document is read, extracted and
mapped to N-Quads (in ``jobs`` worker processes, a few documents ahead of the writer, so memory
stays bounded whatever the corpus), checked by Oxigraph's parser, then written:

- a graph the store does not hold yet goes into a batch that Oxigraph's bulk loader writes in
  one go (``load_nquads``), the fast path of a first build;
- a graph the store holds is replaced in one transaction (``replace_nquads``): re-building a
  document replaces exactly its graph, atomically.

A document whose file and perfkg version are those recorded in the build manifest
(:mod:`graphbuild.graph.manifest`) is skipped as unchanged. The manifest entry of a document is
written only once its graph is wholly in the store, so a build killed part-way resumes where it
stopped. A document that cannot be read, extracted or mapped is reported and skipped; nothing of
it reaches the store. The ontology files go to ``{base}graph/ontology``, the run is described
(PROV-O) in ``{base}graph/build``, and the counts pages show are computed into
``{base}graph/statistics`` (:mod:`graphbuild.graph.statistics`), after the links between
documents (final accounts → the budget of the same year) into ``{base}graph/links``
(:mod:`graphbuild.graph.links`).

>>> from graphbuild.stores.memory import MemoryStore
>>> report = build([], MemoryStore(), base="http://example.org/")
>>> report.ontology_quads > 0, report.failed
(True, [])
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef

from graphbuild.extract import extract_file, extract_text
from graphbuild.extract.read import Line, ReadError, read_document
from graphbuild.graph import iris, manifest, source_text
from graphbuild.graph.mapping import document_nquads
from graphbuild.graph.provenance import software_version
from graphbuild.records import Extraction
from graphbuild.stores.base import GraphDataError, Store
from graphbuild.vocab import ONTOLOGY_DIR, SHAPES_FILE

Mapper = Callable[[Extraction, str | None], tuple[str, bytes, int]]
"""Records → (graph IRI, N-Quads, quads) (``graphbuild.graph.mapping.document_nquads``)."""
Extractor = Callable[[Path], Extraction]
"""A file → its records (``graphbuild.extract.extract_file``)."""
Finishing = Callable[[Store, str], tuple[str, int]]
"""A step run on the store after the documents are written: (store, base) → (graph, quads)."""
DocumentCheck = Callable[[bytes, str, str], tuple[bytes, int]]
"""A step run in the worker on one document's N-Quads: (N-Quads, graph IRI, base) → (more
N-Quads for the same graph, their quads); ``perfkg build`` passes the audit's
(:func:`graphbuild.analysis.audit_graph.document_findings`). It must be a module-level function
(it is sent to the worker processes by name)."""

BATCH_BYTES = 64 * 1024 * 1024
"""N-Quads gathered for one bulk load (bounded memory; one manifest write per batch)."""
AHEAD = 4
"""Documents prepared ahead of the writer, per worker process."""


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
    sha256: str | None = None
    unchanged: bool = False
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    """A build run: per document results and the shared graphs."""

    started: datetime
    ended: datetime | None = None
    documents: list[DocumentResult] = field(default_factory=list)
    ontology_graph: str | None = None
    ontology_quads: int = 0
    build_graph: str | None = None
    build_quads: int = 0
    statistics_graph: str | None = None
    statistics_quads: int = 0
    finished: list[tuple[str, int]] = field(default_factory=list)
    """The graphs the ``finishing`` steps wrote (the audit's), with their quads."""
    links_graph: str | None = None
    links_quads: int = 0

    @property
    def built(self) -> list[DocumentResult]:
        """The documents written by this run."""
        return [d for d in self.documents if d.ok and not d.unchanged]

    @property
    def unchanged(self) -> list[DocumentResult]:
        """The documents skipped because the store holds them as they are."""
        return [d for d in self.documents if d.unchanged]

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


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in lower-case hex ("" for a file that cannot be read:
    reading it again reports why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


@dataclass
class Prepared:
    """A document made ready in a worker: its result and its N-Quads (empty on failure)."""

    result: DocumentResult
    data: bytes = b""


def prepare(
    path: Path,
    base: str | None,
    mapper: Mapper = document_nquads,
    extractor: Extractor = extract_file,
    check: DocumentCheck | None = None,
) -> Prepared:
    """Read, extract, map and check one document (never raises for the document's content);
    ``check``'s N-Quads are added to the document's."""
    started = time.perf_counter()
    result = DocumentResult(path)
    lines: list[Line] = []
    try:
        if extractor is extract_file:  # the same, keeping the lines for the source text
            source = read_document(path)
            lines = source.lines
            extraction = extract_text(source)
        else:
            extraction = extractor(path)
    except ReadError as error:
        result.error = str(error)
        return Prepared(result)
    except Exception as error:  # a parser bug must not stop the other documents
        result.error = f"{path}: could not be extracted ({type(error).__name__}: {error})"
        return Prepared(result)
    result.document = extraction.document.document
    result.projects = len(extraction.projects)
    result.targets = len(extraction.targets)
    result.diagnostics = len(extraction.diagnostics)
    try:
        result.graph, data, result.quads = mapper(extraction, base)
        if lines:
            text, count = source_text.text_nquads(
                extraction.document.document, lines, _fact_lines(extraction), base
            )
            data, result.quads = data + text, result.quads + count
    except Exception as error:  # a mapping bug must not stop the other documents
        result.error = f"{path}: could not be mapped to RDF ({type(error).__name__}: {error})"
        return Prepared(result)
    if check is not None:
        try:
            more, count = check(data, result.graph, base or iris.resolve_base(None))
        except Exception as error:  # a rule bug must not stop the other documents
            result.error = f"{path}: could not be checked ({type(error).__name__}: {error})"
            return Prepared(result)
        data, result.quads = data + more, result.quads + count
    result.seconds = time.perf_counter() - started
    return Prepared(result, data)


def _fact_lines(extraction: Extraction) -> list[int]:
    """The lines projects, targets and diagnostics were read from."""
    records = (*extraction.projects, *extraction.targets, *extraction.diagnostics)
    return [record.line for record in records if record.line is not None]


def _prepare_in_worker(job: tuple[Path, str, str, DocumentCheck | None]) -> Prepared:
    path, base, sha, check = job
    prepared = prepare(path, base, check=check)
    prepared.result.sha256 = sha
    return prepared


def _prepared(
    jobs: list[tuple[Path, str]],
    base: str,
    workers: int,
    mapper: Mapper,
    extractor: Extractor,
    check: DocumentCheck | None = None,
) -> Iterator[Prepared]:
    """The documents prepared, in input order, at most ``AHEAD × workers`` ahead of the reader."""
    if workers <= 1:
        for path, sha in jobs:
            prepared = prepare(path, base, mapper, extractor, check)
            prepared.result.sha256 = sha
            yield prepared
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[Prepared]] = deque()
        queue = iter(jobs)
        for path, sha in queue:
            pending.append(pool.submit(_prepare_in_worker, (path, base, sha, check)))
            if len(pending) >= AHEAD * workers:
                break
        while pending:
            yield pending.popleft().result()
            for path, sha in queue:
                pending.append(pool.submit(_prepare_in_worker, (path, base, sha, check)))
                break


class _Writer:
    """Writes prepared documents in its own thread, so that loading overlaps preparing: new
    graphs in bulk batches, existing ones one by one (one transaction each). It keeps the
    manifest in step: an entry only for a graph wholly written."""

    def __init__(self, store: Store, base: str, entries: dict[str, manifest.Entry]) -> None:
        self.store = store
        self.base = base
        self.entries = entries
        self.existing = set(store.graph_names())
        self.version = software_version()
        self.batch: list[Prepared] = []
        self.batch_bytes = 0
        self.error: BaseException | None = None
        self.jobs: queue.Queue[tuple[str, list[Prepared]] | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="perfkg-writer", daemon=True)
        self.thread.start()

    def write(self, prepared: Prepared) -> None:
        """Queue a document (a full batch is handed to the writing thread)."""
        self._check()
        if prepared.result.graph in self.existing:
            self.jobs.put(("replace", [prepared]))
            return
        self.batch.append(prepared)
        self.batch_bytes += len(prepared.data)
        if self.batch_bytes >= BATCH_BYTES:
            self._hand_over()

    def finish(self) -> None:
        """Write what is left and wait for the writing thread (re-raising what stopped it)."""
        self._hand_over()
        self.jobs.put(None)
        self.thread.join()
        self._check()

    def _hand_over(self) -> None:
        if self.batch:
            batch, self.batch, self.batch_bytes = self.batch, [], 0
            self.jobs.put(("bulk", batch))

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is not None:
                continue  # drain: the build is stopping
            kind, done = job
            try:
                if kind == "bulk":
                    self._bulk(done)
                else:
                    self._replace(done[0])
                written = [p for p in done if p.result.ok]
                self.existing.update(p.result.graph for p in written if p.result.graph)
                self._record(written)
            except BaseException as error:  # a store failure stops the build
                self.error = error

    def _bulk(self, batch: list[Prepared]) -> None:
        """One bulk load; if the store's parser refuses some document of the batch (a mapping
        bug), each document is written again on its own, so only the faulty one fails."""
        try:
            self.store.load_nquads(b"".join(p.data for p in batch))
        except GraphDataError:
            for prepared in batch:
                self._replace(prepared, new=True)

    def _replace(self, prepared: Prepared, new: bool = False) -> None:
        """Write one document in one transaction; a ``new`` graph the store refuses is
        dropped (a failed bulk load may have left part of it), an old one stays as it was."""
        result = prepared.result
        assert result.graph is not None
        try:
            result.quads = self.store.replace_nquads(result.graph, prepared.data)
        except GraphDataError as error:
            if new:
                self.store.drop_graph(result.graph)
            result.error = (
                f"{result.path}: the mapping gave data that is not valid RDF, nothing was "
                f"written: {error}"
            )

    def _record(self, done: list[Prepared]) -> None:
        for prepared in done:
            result = prepared.result
            assert result.graph is not None and result.sha256 is not None
            self.entries[result.graph] = manifest.Entry(result.sha256, self.version, result.quads)
        if done:
            manifest.write(self.store, self.entries, self.base)


def build(
    paths: Sequence[Path],
    store: Store,
    base: str | None = None,
    *,
    jobs: int = 1,
    mapper: Mapper | None = None,
    extractor: Extractor = extract_file,
    progress: Callable[[DocumentResult], None] | None = None,
    force: bool = False,
    finishing: Sequence[Finishing] = (),
    check: DocumentCheck | None = None,
) -> BuildReport:
    """Build every document in ``paths`` into ``store``; see the module docstring.

    ``jobs`` worker processes extract and map (1: in this process; a custom ``mapper`` or
    ``extractor`` always runs here). ``force`` builds unchanged documents too. ``progress`` is
    called after each document. ``finishing`` steps run after the documents are written and
    before the statistics (``perfkg build`` passes the audit's, which records its run);
    ``check`` runs on each document's N-Quads in the worker (the audit's rules). A
    :class:`StoreError` stops the build (the documents written so far stay written and
    recorded).
    """
    base = iris.resolve_base(base)
    report = BuildReport(started=datetime.now(UTC))
    ontology = ontology_graph(base)
    report.ontology_graph = str(ontology.identifier)
    report.ontology_quads = store.replace_graph(ontology)
    entries = manifest.read(store, base)
    version = software_version()
    todo: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in expand(paths):
        result = _screen(path, seen)
        if result is None:
            sha = sha256_of(path)
            if force or not _is_unchanged(path, sha, entries, version, base):
                todo.append((path, sha))
                continue
            result = DocumentResult(path, document=path.name, sha256=sha, unchanged=True)
            result.graph = iris.graph_iri(path.name, base)
        report.documents.append(result)
        if progress is not None:
            progress(result)
    writer = _Writer(store, base, entries)
    custom = mapper is not None or extractor is not extract_file
    workers = 1 if custom else max(1, jobs)
    try:
        for prepared in _prepared(todo, base, workers, mapper or document_nquads, extractor, check):
            if prepared.result.ok:
                writer.write(prepared)
            report.documents.append(prepared.result)
            if progress is not None:
                progress(prepared.result)
    finally:
        writer.finish()
    report.ended = datetime.now(UTC)
    report.build_graph, report.build_quads = _describe(store, report, base)
    for step in finishing:
        report.finished.append(step(store, base))
    from graphbuild.graph import links
    from graphbuild.graph.statistics import refresh

    report.links_graph, report.links_quads = links.refresh(store, base)
    report.statistics_graph, report.statistics_quads = refresh(store, base)
    store.publish()
    return report


def _screen(path: Path, seen: dict[str, Path]) -> DocumentResult | None:
    """A failed result for a second file of the same document name, else None."""
    previous = seen.get(path.name)
    if previous is not None:
        return DocumentResult(
            path,
            error=f"{path}: has the same document name as {previous} and would replace its "
            "graph; rename one of them",
        )
    seen[path.name] = path
    return None


def _is_unchanged(
    path: Path, sha: str, entries: dict[str, manifest.Entry], version: str, base: str
) -> bool:
    entry = entries.get(iris.graph_iri(path.name, base))
    return entry is not None and entry.sha256 == sha and entry.version == version


def _describe(store: Store, report: BuildReport, base: str) -> tuple[str, int]:
    """Add this run's description to the build graph (earlier runs stay described)."""
    from graphbuild.graph.provenance import BuildInput, build_graph

    built = [BuildInput(d.path.name, d.sha256 or "") for d in report.built]
    graph = build_graph(built, report.started, report.ended or report.started, base)
    name = str(graph.identifier)
    for triple in store.graph(name):
        graph.add(triple)
    return name, store.replace_graph(graph)


def data_graph_names(store: Store, base: str | None = None) -> list[str]:
    """The document graphs: every graph under ``{base}graph/`` but the reserved ones."""
    prefix = iris.graph_iri("x", base)[:-1]
    reserved = {f"{prefix}{name}" for name in iris.RESERVED_GRAPHS}
    return [n for n in store.graph_names() if n.startswith(prefix) and n not in reserved]


def resolve_graph(name: str, base: str | None = None) -> str:
    """A ``--graph`` value as a graph IRI: an IRI as given, a reserved name (``build``,
    ``ontology``, ``inferred``, ``manifest``, ``statistics``) as that shared graph, anything
    else as a document name.

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
