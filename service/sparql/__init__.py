"""The query engine behind every route (see :mod:`service`): kept free of FastAPI routers, and
light to import, since query worker processes import :mod:`service.sparql.worker`."""
