"""perfkg's web service: the SPARQL 1.1 endpoint, linked-data pages, dumps and the query UI.

:func:`service.app.create_app` builds the FastAPI application from a
:class:`service.settings.Settings`; ``perfkg serve`` (:mod:`service.cli`) runs it with uvicorn.
Nothing here does work at import time: importing this package starts no process, opens no
store and reads no environment variable (the query worker processes import
:mod:`service._worker` and must stay light).

Modules, one noun each:

- ``settings``: the typed settings (environment variables ``PERFKG_*``);
- ``app``: the factory, the lifespan and the middlewares;
- ``deps``: the ``Annotated`` dependencies routers use (``SettingsDep``, ``StoreDep``,
  ``ExecutorDep``);
- ``sparql``: the SPARQL 1.1 Protocol router at ``/sparql``;
- ``executor`` and ``_worker``: query execution in killable worker processes (or through a
  remote endpoint), with timeouts, a row cap and a concurrency bound;
- ``results``: SPARQL results and RDF writers that stop at the row cap;
- ``query_policy``: where SERVICE and LOAD may lead (rdflib's parser, failing closed), the FROM of a query; ``sandbox``: workers without network access;
- ``negotiation``: content negotiation over :mod:`graphbuild.formats`;
- ``errors``: the one JSON error shape (HTML for browsers);
- ``store``: the read-only store the web pages read in the server process;
- ``linked_data``, ``dumps``, ``void``, ``ui``: the pages (each module exposes ``router``).
"""
