"""A remote SPARQL 1.1 server, reached through the standard protocols.

- SPARQL 1.1 Protocol: queries are POSTed as a form (``query=…``, the one way every server
  takes: Virtuoso 7.2 never answers a direct ``application/sparql-query`` POST) to the query
  endpoint, updates (``application/sparql-update``) to the update endpoint;
- Graph Store HTTP Protocol: GET reads a graph or the whole dataset, DELETE drops a graph.

A graph is replaced by ONE update request, ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g>
{…} }``: SPARQL 1.1 Update asks servers to run a request atomically and Oxigraph does (one
transaction). A Graph Store PUT is not used for this because Oxigraph's PUT clears the graph
and loads the body in two steps, so a broken upload would leave the graph empty.

Queries expect the server to use the union of its named graphs as the default graph
(``oxigraph serve --union-default-graph``); the first query checks this and says so if not.

The endpoints follow Oxigraph's layout: for ``http://host:7878`` (or its ``…/query``) they
are ``/query``, ``/update`` and ``/store``; other servers pass them explicitly.
"""

from __future__ import annotations

import io
from typing import BinaryIO
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from graphbuild import __version__
from graphbuild.formats import Format, Kind, choose
from graphbuild.stores._export import named_dataset, rdf_format, write_jsonld
from graphbuild.stores._terms import (
    add_quads,
    add_triples,
    count_lines,
    graph_ntriples,
    named_node,
    ntriples,
    python_value,
)
from graphbuild.stores.base import GraphDataError, Store, StoreError

# Protocol templates (not analysis queries; those live in queries/*.rq).
_REPLACE = "DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{triples}\n}} }}\n"
"""``graph``: a graph IRI written by pyoxigraph (validated); ``triples``: N-Triples."""
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
_HAS_DEFAULT = "ASK { ?s ?p ?o }"
_HAS_NAMED = "ASK { GRAPH ?g { ?s ?p ?o } }"
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

_FORM = "application/x-www-form-urlencoded"
_SPARQL_UPDATE = "application/sparql-update"


def endpoints(url: str) -> tuple[str, str, str]:
    """Query, update and graph-store URLs for a server root or its query URL (Oxigraph layout).

    >>> endpoints("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> endpoints("http://127.0.0.1:7878/query")[1]
    'http://127.0.0.1:7878/update'
    """
    root = url.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if root.endswith(suffix):
            root = root[: -len(suffix)]
            return url, root + "/update", root + "/store"
    return root + "/query", root + "/update", root + "/store"


class RemoteStore(Store):
    """A SPARQL 1.1 server holding one named graph per document."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        derived = endpoints(query_url)
        self.query_url = derived[0]
        self.update_url = update_url or derived[1]
        self.store_url = store_url or derived[2]
        if not self.query_url.startswith(("http://", "https://")):
            raise StoreError(f"{query_url!r} is not an http(s) URL of a SPARQL endpoint")
        self._client: httpx.Client | None = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=10.0),
            headers={"User-Agent": f"perfkg/{__version__}"},
        )
        self._union_checked = False

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # HTTP plumbing

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            raise StoreError("the store is closed")
        return self._client

    def _send(
        self, request: httpx.Request, missing_ok: bool = False, stream: bool = False
    ) -> httpx.Response:
        try:
            response = self._http.send(request, stream=stream)
        except httpx.ConnectError:
            raise StoreError(
                f"cannot reach the SPARQL server at {request.url.copy_with(query=None)} "
                "(is it running? check --endpoint)"
            ) from None
        except httpx.HTTPError as error:
            raise StoreError(f"the SPARQL server at {request.url} failed: {error}") from None
        if response.status_code == 404 and missing_ok:
            return response
        if response.status_code >= 400:
            if stream:
                response.read()
                response.close()
            detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else ""
            raise StoreError(
                f"the SPARQL server answered {response.status_code} "
                f"{response.reason_phrase} for {request.method} {request.url.path}"
                + (f": {detail}" if detail else "")
            )
        return response

    def _post_query(self, sparql: str, accept: str) -> httpx.Response:
        request = self._http.build_request(
            "POST",
            self.query_url,
            content=_form(sparql),
            headers={"Content-Type": _FORM, "Accept": accept},
        )
        return self._send(request)

    def _solutions(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean:
        body = self._post_query(sparql, Format.JSON.media_type).content
        try:
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        except SyntaxError as error:
            raise StoreError(f"the SPARQL server sent unreadable results: {error}") from None

    def _check_union(self) -> None:
        """Fail clearly when the server does not query the union of its named graphs."""
        if self._union_checked:
            return
        if bool(self._solutions(_HAS_NAMED)) and not bool(self._solutions(_HAS_DEFAULT)):
            raise StoreError(
                f"the SPARQL server at {self.query_url} does not use the union of its named "
                "graphs as the default graph, so queries would find nothing; start it with "
                "`oxigraph serve --union-default-graph` (or the equivalent setting)"
            )
        self._union_checked = True

    # writing

    def replace_graph(self, graph: Graph) -> int:
        name = _iri(str(graph.identifier))
        count = len(graph)
        if count == 0:
            self.drop_graph(name)
            return 0
        return self._replace(name, ntriples(graph), count)

    def _replace(self, name: str, data: bytes, count: int) -> int:
        """One update: drop the graph and insert the N-Triples ``data`` into it."""
        try:  # check locally: the server would resolve a relative IRI against its own URL
            for _ in ox.parse(data, ox.RdfFormat.N_TRIPLES):
                pass
        except SyntaxError as error:
            raise GraphDataError(
                f"the graph <{name}> is not valid RDF, nothing was written: {error}"
            ) from None
        triples = data.decode("utf-8")
        try:
            self.update(_REPLACE.format(graph=ox.NamedNode(name), triples=triples))
        except StoreError as error:
            if " 400 " in str(error):  # the server could not parse the data: nothing written
                raise GraphDataError(f"the graph <{name}> is not valid RDF: {error}") from None
            raise
        return count

    def replace_nquads(self, name: str, data: bytes) -> int:
        name = _iri(name)
        count = count_lines(data)
        if count == 0:
            self.drop_graph(name)
            return 0
        return self._replace(name, graph_ntriples(name, data), count)

    def load_nquads(self, data: bytes) -> int:
        """One transactional update per graph (SPARQL servers differ in bulk loading)."""
        by_graph: dict[str, list[bytes]] = {}
        for quad in ox.parse(data, ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode):
                raise GraphDataError("load_nquads takes quads of named graphs only")
            line = f"{quad.subject} {quad.predicate} {quad.object} .\n".encode()
            by_graph.setdefault(graph.value, []).append(line)
        for name, lines in by_graph.items():
            self._replace(name, b"".join(lines), len(lines))
        return sum(len(lines) for lines in by_graph.values())

    def drop_graph(self, name: str) -> None:
        request = self._http.build_request("DELETE", self.store_url, params={"graph": _iri(name)})
        self._send(request, missing_ok=True)

    def update(self, sparql: str) -> None:
        request = self._http.build_request(
            "POST",
            self.update_url,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": _SPARQL_UPDATE},
        )
        self._send(request)

    # reading

    def graph_names(self) -> list[str]:
        result = self._solutions(_GRAPHS)
        assert isinstance(result, ox.QuerySolutions)
        return sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))

    def quad_count(self, name: str | None = None) -> int:
        sparql = _COUNT_ALL if name is None else _COUNT_GRAPH.format(graph=_iri(name))
        result = self._solutions(sparql)
        assert isinstance(result, ox.QuerySolutions)
        return int(python_value(next(iter(result))["n"]) or 0)  # type: ignore[call-overload]

    def _get_graph(self, name: str, accept: str) -> httpx.Response:
        request = self._http.build_request(
            "GET", self.store_url, params={"graph": _iri(name)}, headers={"Accept": accept}
        )
        return self._send(request, missing_ok=True)

    def graph(self, name: str) -> Graph:
        response = self._get_graph(name, Format.NTRIPLES.media_type)
        graph = Graph(identifier=URIRef(name))
        if response.status_code == 404:
            return graph
        return add_triples(graph, ox.parse(response.content, ox.RdfFormat.N_TRIPLES))

    def select(self, sparql: str) -> list[dict[str, object]]:
        self._check_union()
        result = self._solutions(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [variable.value for variable in result.variables]
        return [{name: python_value(row[name]) for name in names} for row in result]

    def query(self, sparql: str, media_type: str) -> tuple[bytes, str]:
        self._check_union()
        rdf, results = choose(media_type, Kind.RDF), choose(media_type, Kind.RESULTS)
        ask_rdf = Format.NTRIPLES if rdf is Format.JSONLD else rdf
        if rdf.media_type == media_type.split(";")[0].strip().lower():
            accept = f"{ask_rdf.media_type}, {results.media_type};q=0.9"
        else:
            accept = f"{results.media_type}, {ask_rdf.media_type};q=0.9"
        response = self._post_query(sparql, accept)
        got = response.headers.get("content-type", "").split(";")[0].strip()
        if rdf is Format.JSONLD and got == Format.NTRIPLES.media_type:
            out = io.BytesIO()
            write_jsonld(
                add_triples(Graph(), ox.parse(response.content, ox.RdfFormat.N_TRIPLES)), out
            )
            return out.getvalue(), Format.JSONLD.media_type
        return response.content, got

    def export(self, out: BinaryIO, media_type: str, name: str | None = None) -> None:
        fmt = rdf_format(media_type)
        if fmt is Format.JSONLD:
            if name is not None:
                write_jsonld(named_dataset(self.graph(name)), out)
            else:
                dataset = Dataset()
                add_quads(dataset, ox.parse(self._dataset_bytes(), ox.RdfFormat.N_QUADS))
                write_jsonld(dataset, out)
            return
        if name is not None and fmt.datasets:  # the graph's triples, written as its quads
            node = named_node(_iri(name))
            triples = ox.parse(self.graph_bytes(name), ox.RdfFormat.N_TRIPLES)
            quads = (ox.Quad(t.subject, t.predicate, t.object, node) for t in triples)
            ox.serialize(quads, out, fmt.rdf_format)
            return
        if name is not None:
            request = self._http.build_request(
                "GET",
                self.store_url,
                params={"graph": _iri(name)},
                headers={"Accept": fmt.media_type},
            )
        elif fmt.datasets:
            request = self._http.build_request(
                "GET", self.store_url, headers={"Accept": fmt.media_type}
            )
        else:
            self._check_union()
            request = self._http.build_request(
                "POST",
                self.query_url,
                content=_form(_UNION),
                headers={"Content-Type": _FORM, "Accept": fmt.media_type},
            )
        self._stream(request, out)

    def _stream(self, request: httpx.Request, out: BinaryIO) -> None:
        response = self._send(request, missing_ok=True, stream=True)
        if response.status_code == 404:  # no such graph: nothing to write
            response.close()
            return
        try:
            for chunk in response.iter_bytes(1 << 16):
                out.write(chunk)
        except httpx.HTTPError as error:
            raise StoreError(f"the SPARQL server stopped sending data: {error}") from None
        finally:
            response.close()

    def graph_bytes(self, name: str) -> bytes:
        """One graph as N-Triples bytes (empty when it does not exist)."""
        response = self._get_graph(name, Format.NTRIPLES.media_type)
        return b"" if response.status_code == 404 else response.content

    def _dataset_bytes(self) -> bytes:
        request = self._http.build_request(
            "GET", self.store_url, headers={"Accept": Format.NQUADS.media_type}
        )
        return self._send(request).content

    def publish(self) -> None:
        """Readers see every write: nothing to publish."""

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _form(sparql: str) -> bytes:
    """A query as the body of a form POST (UTF-8, percent-encoded).

    >>> _form("ASK { ?s ?p 'é' }")
    b'query=ASK+%7B+%3Fs+%3Fp+%27%C3%A9%27+%7D'
    """
    return urlencode({"query": sparql}).encode("ascii")


def _iri(name: str) -> str:
    try:
        return named_node(name).value
    except ValueError as error:
        raise GraphDataError(f"bad graph name: {error}") from None
