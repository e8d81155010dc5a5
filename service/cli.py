"""``perfkg serve``: run the web service with uvicorn (one process, one event loop).

This module imports only click at import time, so adding the command to ``perfkg`` costs
nothing to the other commands; FastAPI, uvicorn and the store load when ``serve`` runs.
One uvicorn worker process per port (DESIGN §6: ``--workers 2`` added ~44 ms per keep-alive
request); the queries themselves run in the service's own worker processes.
"""

from __future__ import annotations

import socket
from pathlib import Path

import click

REQUEST_HEAD_ALLOWANCE = 64 * 1024
"""Bytes a request line and headers may take beyond PERFKG_MAX_REQUEST_BYTES: the application
then answers 413 for a long query string itself; past it, the HTTP parser refuses (400)."""


@click.command()
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory built by `perfkg build` (default: $PERFKG_STORE or ./perfkg-data).",
)
@click.option(
    "--endpoint", metavar="URL", help="Serve a remote SPARQL endpoint instead of a store."
)
@click.option("--host", help="Address to listen on (default: $PERFKG_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: $PERFKG_PORT or 8000).")
@click.option("--base", metavar="IRI", help="Base IRI of the data (default: $PERFKG_BASE).")
def serve(
    store: Path | None,
    endpoint: str | None,
    host: str | None,
    port: int | None,
    base: str | None,
) -> None:
    """Serve the graph: SPARQL 1.1 endpoint at /sparql, linked-data pages, dumps, query UI.

    Every setting can also come from a PERFKG_* environment variable (README, "Serving"):
    timeouts, row cap, request-size and concurrency limits, the admin token that allows
    updates, the SERVICE allow-list and CORS origins. Ctrl-C stops the server and its
    query workers.
    """
    import uvicorn
    from pydantic import ValidationError

    from service.app import create_app
    from service.limits import JsonErrorH11Protocol
    from service.settings import Settings
    from service.store import check_store_dir

    options: dict[str, object] = {
        key: value for key, value in (("host", host), ("port", port), ("base", base)) if value
    }
    if store is not None:  # an option wins over the other source's environment variable
        options.update(store=store, endpoint=endpoint)
    elif endpoint is not None:
        options.update(store=None, endpoint=endpoint)
    try:
        settings = Settings(**options)  # type: ignore[arg-type]
    except ValidationError as error:
        raise click.UsageError(_first_problem(error)) from None
    if settings.store_dir is not None:
        check_store_dir(settings.store_dir)
    source = settings.endpoint or str(settings.store_dir)
    url = f"http://{_url_host(settings.host)}:{settings.port}/"
    _check_port_free(settings.host, settings.port)
    click.echo(f"perfkg: serving {source} at {url} (SPARQL endpoint {url}sparql); Ctrl-C stops")
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        workers=1,
        lifespan="on",
        log_level="info",
        server_header=False,
        http=JsonErrorH11Protocol,
        h11_max_incomplete_event_size=settings.max_request_bytes + REQUEST_HEAD_ALLOWANCE,
    )
    server = uvicorn.Server(config)
    interrupted = False
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a clean shutdown
        interrupted = True
    except SystemExit:  # uvicorn exits when it cannot bind; it has logged why
        pass
    if not server.started and not interrupted:
        raise click.ClickException(f"the server did not start on {settings.host}:{settings.port}")
    click.echo("perfkg: stopped")


def _check_port_free(host: str, port: int) -> None:
    """Refuse, in one line, a port another program listens on (before saying we serve)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({error.strerror}); "
                "choose another with --port or PERFKG_PORT"
            ) from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _first_problem(error: object) -> str:
    errors = error.errors()  # type: ignore[attr-defined]
    if not errors:
        return str(error)
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
