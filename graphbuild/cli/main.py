"""The ``perfkg`` command group: a thin front end over the library.

Commands parse options, call ``graphbuild`` (``extract``, ``build``, ``validate``, ``reason``,
the stores) and format the output. Exit codes: 0 on success, 1 when some input failed (the
others are still done) or validation found violations, 2 for usage errors. Every error is one
line on standard error, without a traceback.
"""

from __future__ import annotations

import signal

import click

from graphbuild import __version__
from graphbuild.cli import extract, graph, network, queries
from graphbuild.cli.options import Failure
from graphbuild.stores import StoreError


class _Group(click.Group):
    """Turns a StoreError (or a bad --base) anywhere in a command into one line."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise Failure(str(error)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfkg")
def main() -> None:
    """perfkg: Chinese budget performance targets (绩效目标) as records and a knowledge graph."""
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends a command as Ctrl-C does: cleanup runs (no ``.partial`` file is left)."""
    raise SystemExit(128 + signum)


for command in (
    extract.extract,
    graph.build,
    graph.export,
    graph.statistics,
    graph.validate,
    graph.reason,
    *queries.COMMANDS,
    network.network,
):
    main.add_command(command)


def _add_serve() -> None:
    """``perfkg serve`` lives in service/cli.py, which loads FastAPI only when it runs."""
    from service.cli import serve

    main.add_command(serve)


_add_serve()
