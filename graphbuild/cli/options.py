"""What the ``perfkg`` commands share: option sets, parameter types, errors and output files.

- :func:`store_options` / :func:`location_options`: ``--store`` / ``--endpoint`` (and ``--base``);
  :func:`open_location` opens what they name;
- :data:`OUTPUT_FILE`: an ``-o`` file whose folder must exist; :func:`atomic_output` writes it
  through a ``.partial`` file that replaces it only when the command finishes (nothing is left
  behind, and the old file stays, when it is interrupted);
- :class:`Failure`: an error shown as one line, exit status 1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from graphbuild.graph import iris
from graphbuild.stores import Store, default_store_dir, open_store


class OutputFile(click.Path):
    """A file to write: not a folder, and its folder must exist (a usage error, exit 2, if not).

    >>> OutputFile().convert("out.jsonl", None, None)
    PosixPath('out.jsonl')
    """

    name = "file"

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        folder = Path(path).parent
        if not folder.is_dir():
            self.fail(f"folder {str(folder)!r} does not exist; create it first", param, ctx)
        return path


OUTPUT_FILE = OutputFile()


class Failure(click.ClickException):
    """An error shown as one line, ``perfkg: error: …``, exit status 1."""

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"perfkg: error: {self.format_message()}", err=True)


@contextmanager
def atomic_output(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """``path`` opened for writing through ``path.partial``, which replaces it only when the
    block ends normally; on an error or an interruption it is removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "a.txt") as out:
    ...     _ = out.write("done")
    >>> (folder / "a.txt").read_text(), (folder / "a.txt.partial").exists()
    ('done', False)
    """
    partial = path.with_name(path.name + ".partial")
    encoding = None if "b" in mode else "utf-8"
    newline = None if "b" in mode else ""
    try:
        with open(partial, mode, encoding=encoding, newline=newline) as out:
            yield out
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def location_options(command):  # type: ignore[no-untyped-def]
    """--store / --endpoint: where the graph is."""
    command = click.option(
        "--endpoint",
        envvar="PERFKG_ENDPOINT",
        metavar="URL",
        help="A SPARQL 1.1 server instead of the embedded store, e.g. http://127.0.0.1:7878 "
        "for `oxigraph serve --union-default-graph` (default: $PERFKG_ENDPOINT).",
    )(command)
    return click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Directory of the embedded Oxigraph store (default: $PERFKG_STORE or "
        "./perfkg-data; `build` creates it if missing).",
    )(command)


def store_options(command):  # type: ignore[no-untyped-def]
    """--store / --endpoint / --base, shared by every command that uses the store."""
    command = click.option(
        "--base",
        envvar="PERFKG_BASE",
        metavar="IRI",
        help=f"Base IRI of the data (default: $PERFKG_BASE or {iris.DEFAULT_BASE}).",
    )(command)
    return location_options(command)


def open_location(store_dir: Path | None, endpoint: str | None, *, existing: bool = False) -> Store:
    """The chosen store; with ``existing`` a store folder must already be there (commands that
    only read never create an empty store by mistake)."""
    if store_dir and endpoint:
        raise click.UsageError("give either --store or --endpoint, not both")
    if existing and not endpoint:
        folder = Path(store_dir) if store_dir else default_store_dir()
        if not folder.is_dir():
            raise Failure(f"no store at {folder}; run `perfkg build` first, or pass --store DIR")
    return open_store(store_dir, endpoint)


def where(store_dir: Path | None, endpoint: str | None) -> str:
    return endpoint or str(store_dir or default_store_dir())


def resolve_base(base: str | None) -> str:
    try:
        return iris.resolve_base(base)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base") from None
