"""perfkg's web service: the SPARQL 1.1 endpoint, linked-data pages, dumps and the query UI.

:func:`service.app.create_app` builds the FastAPI application from a
:class:`service.settings.Settings`; ``perfkg serve`` (:mod:`service.cli`) runs it with uvicorn.
Nothing here does work at import time: importing this package starts no process, opens no
store and reads no environment variable (the query worker processes import
:mod:`service.sparql.worker` and must stay light).

The layout (docs/architecture.md):

- at the top, what every area shares: ``settings`` (the typed settings, ``PERFKG_*``),
  ``errors`` (the one JSON error shape, HTML for browsers), ``negotiation`` (content
  negotiation over :mod:`graphbuild.formats`), ``links`` (entity IRIs as local page links),
  ``limits`` (request size, security headers, the HTTP protocol's own errors), ``store`` (the
  read-only store the pages read in the server process); ``deps`` (the ``Annotated``
  dependencies routers use) builds the query engine; ``app`` (the factory) and ``cli``
  (``perfkg serve``) put everything together;
- ``sparql/``: the query engine behind every route: ``policy`` (where SERVICE and LOAD may
  lead), ``executor`` (the interface), ``pool`` and ``worker`` (killable worker processes),
  ``sandbox`` (workers without network access), ``remote`` (the proxy to a SPARQL server),
  ``results`` (writers that stop at the row cap), ``description`` (the service description);
- ``api/``: ``sparql`` (the SPARQL 1.1 Protocol at ``/sparql``), ``queries`` and ``network``
  (the JSON APIs);
- ``pages/``: the HTML and linked-data views, with ``templates/`` and ``static/``.
"""
