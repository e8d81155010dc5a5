"""The ``perfkg`` command line: a thin front end over the library.

Commands parse options, call ``graphbuild`` (``extract``, ``build``, ``validate``, ``reason``,
the stores) and format the output. Exit codes: 0 on success, 1 when some input failed (the
others are still done) or validation found violations, 2 for usage errors. Every error is one
line on standard error, without a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from graphbuild import __version__, iris
from graphbuild.build import BuildReport, DocumentResult, expand, resolve_graph
from graphbuild.cli_types import OUTPUT_FILE
from graphbuild.export import Format, write_csv, write_jsonl
from graphbuild.extract import extract_file
from graphbuild.formats import Format as RdfFormat
from graphbuild.formats import Kind
from graphbuild.read import ReadError
from graphbuild.records import Extraction
from graphbuild.stores import Store, StoreError, default_store_dir, open_store


def _extract_all(files: list[Path]) -> Iterator[tuple[Path, Extraction | None, str | None]]:
    for path in files:
        try:
            yield path, extract_file(path), None
        except ReadError as error:
            yield path, None, str(error)
        except Exception as error:  # a parser bug must not stop the other documents
            yield (
                path,
                None,
                (
                    f"{path}: could not be extracted ({type(error).__name__}: {error}); "
                    "the other files were processed — please report this file"
                ),
            )


def summary_lines(extraction: Extraction) -> list[str]:
    """The --summary block of one document."""
    doc, rows = extraction.document, extraction.accounting
    by_level1 = Counter(t.level1 or "(none)" for t in extraction.targets)
    levels = ", ".join(f"{label} {count}" for label, count in by_level1.most_common())
    return [
        f"{doc.document}: {doc.family} ({doc.kind or 'unknown kind'}, {doc.year or 'year ?'}, "
        f"{doc.department or 'department ?'})",
        f"  projects {len(extraction.projects)}, targets {len(extraction.targets)}, "
        f"diagnostics {len(extraction.diagnostics)}",
        f"  targets by level 1: {levels or 'none'}",
        f"  indicator rows {rows.rows}: {rows.target_rows} gave targets, "
        f"{rows.diagnosed_rows} diagnostics, {rows.label_rows} level labels only, "
        f"{rows.checked_rows} checked against another rendering, {rows.unplaced_rows} unplaced",
    ]


class _Failure(click.ClickException):
    """An error shown as one line, ``perfkg: error: …``, exit status 1."""

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"perfkg: error: {self.format_message()}", err=True)


class _Group(click.Group):
    """Turns a StoreError (or a bad --base) anywhere in a command into one line."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StoreError as error:
            raise _Failure(str(error)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfkg")
def main() -> None:
    """perfkg: Chinese budget performance targets (绩效目标) as records and a knowledge graph."""
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends a command as Ctrl-C does: cleanup runs (no ``.partial`` file is left)."""
    raise SystemExit(128 + signum)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default="jsonl",
    show_default=True,
    help="Record format.",
)
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    help="Write records to this file (default: standard output).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Print per document: family, projects, targets by level 1, diagnostics. "
    "Without -o only the summary is printed.",
)
def extract(files: tuple[Path, ...], fmt: str, output: Path | None, summary: bool) -> None:
    """Extract performance targets from document text files (or folders of .txt files).

    Writes one record per line: document, project, target and diagnostic records (see
    docs/records.md). A file that cannot be read is reported on one line and skipped; the
    exit status is then 1.
    """
    paths = expand(files)
    if not paths:
        raise click.UsageError("no .txt files found in the given folders")
    fmt_enum = Format(fmt)
    failed = 0
    write_records = output is not None or not summary
    tmp = output.with_name(output.name + ".partial") if output else None
    out: IO[str] | None = None
    if write_records:
        out = open(tmp, "w", encoding="utf-8", newline="") if tmp else sys.stdout  # noqa: SIM115
    first = True
    finished = False
    try:
        for _path, extraction, error in _extract_all(paths):
            if error is not None:
                failed += 1
                click.echo(f"perfkg: error: {error}", err=True)
                continue
            assert extraction is not None
            if out is not None:
                if fmt_enum is Format.CSV:
                    write_csv(extraction.records(), out, header=first)
                else:
                    write_jsonl(extraction.records(), out)
                first = False
            if summary:
                click.echo("\n".join(summary_lines(extraction)))
        finished = True
    finally:
        if tmp is not None and out is not None:
            out.close()
            if finished:
                os.replace(tmp, output)  # type: ignore[arg-type]
            else:  # interrupted: leave no partial file, and the old output as it was
                tmp.unlink(missing_ok=True)
    if failed:
        click.echo(f"perfkg: {failed} of {len(paths)} files could not be read", err=True)
        sys.exit(1)


# ---- graph commands: build, export, validate, reason -----------------------------------------


def _location_options(command):  # type: ignore[no-untyped-def]
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


def _store_options(command):  # type: ignore[no-untyped-def]
    """--store / --endpoint / --base, shared by every command that uses the store."""
    command = click.option(
        "--base",
        envvar="PERFKG_BASE",
        metavar="IRI",
        help=f"Base IRI of the data (default: $PERFKG_BASE or {iris.DEFAULT_BASE}).",
    )(command)
    return _location_options(command)


def _open(store_dir: Path | None, endpoint: str | None, *, existing: bool = False) -> Store:
    """The chosen store; with ``existing`` a store folder must already be there (commands that
    only read never create an empty store by mistake)."""
    if store_dir and endpoint:
        raise click.UsageError("give either --store or --endpoint, not both")
    if existing and not endpoint:
        folder = Path(store_dir) if store_dir else default_store_dir()
        if not folder.is_dir():
            raise _Failure(f"no store at {folder}; run `perfkg build` first, or pass --store DIR")
    return open_store(store_dir, endpoint)


def _where(store_dir: Path | None, endpoint: str | None) -> str:
    return endpoint or str(store_dir or default_store_dir())


def _base(base: str | None) -> str:
    try:
        return iris.resolve_base(base)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base") from None


def _short(name: str | None, base: str) -> str:
    if name is None:
        return "-"
    return name[len(base) :] if name.startswith(base) else name


def build_summary(report: BuildReport, base: str, where: str) -> list[str]:
    """The table printed after ``perfkg build``: one line per document, then the totals."""
    width = max([len(d.path.name) for d in report.documents] + [len("graph/ontology"), 8])
    lines = [
        f"store: {where}",
        f"  {'document':{width}} {'triples':>9} {'projects':>9} {'targets':>8} {'diagnostics':>12}",
    ]
    for doc in report.documents:
        if doc.ok:
            lines.append(
                f"  {doc.path.name:{width}} {doc.quads:9,d} {doc.projects:9,d} {doc.targets:8,d} "
                f"{doc.diagnostics:12,d}"
            )
        else:
            lines.append(f"  {doc.path.name:{width}} {'FAILED':>9}")
    for name, quads in (
        (report.ontology_graph, report.ontology_quads),
        (report.build_graph, report.build_quads),
    ):
        lines.append(f"  {_short(name, base):{width}} {quads:9,d}")
    built = report.built
    triples = sum(d.quads for d in built) + report.ontology_quads + report.build_quads
    lines.append(
        f"built {len(built)} of {len(report.documents)} documents: {len(built) + 2} graphs, "
        f"{triples:,} triples, {sum(d.targets for d in built):,} targets, "
        f"{sum(d.diagnostics for d in built):,} diagnostics"
    )
    return lines


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_options
def build(
    files: tuple[Path, ...], store_dir: Path | None, endpoint: str | None, base: str | None
) -> None:
    """Build the knowledge graph from document text files (or folders of .txt files).

    Each document becomes one named graph, {base}graph/{file name}; building a document
    again replaces exactly its graph. The ontology is loaded into {base}graph/ontology and
    the run is described in {base}graph/build. A document that cannot be read or mapped is
    reported on one line and skipped (exit status 1); the others are still built.
    """
    from graphbuild.build import build as run_build

    paths = expand(files)
    if not paths:
        raise click.UsageError("no .txt files found in the given folders")
    resolved = _base(base)
    with (
        _open(store_dir, endpoint) as store,
        click.progressbar(
            length=len(paths),
            label="building",
            file=sys.stderr,
            item_show_func=lambda name: name,
        ) as bar,
    ):

        def progress(result: DocumentResult) -> None:
            if result.error is not None:
                click.echo(f"\nperfkg: error: {result.error}", err=True)
            bar.update(1, result.path.name)

        report = run_build(paths, store, resolved, progress=progress)
        others = sorted({n for n in store.graph_names() if not n.startswith(resolved)})
    click.echo("\n".join(build_summary(report, resolved, _where(store_dir, endpoint))))
    if others:
        click.echo(
            f"perfkg: warning: the store also holds {len(others)} graph(s) under another base "
            f"(e.g. <{others[0]}>); queries see both, so a document built under both is counted "
            "twice. Build with one --base per store.",
            err=True,
        )
    if report.failed:
        click.echo(
            f"perfkg: {len(report.failed)} of {len(report.documents)} files could not be built",
            err=True,
        )
        sys.exit(1)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RdfFormat.names(Kind.RDF)),
    help="RDF format (default: from the -o file's extension, else nquads).",
)
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    help="Write to this file (default: standard output).",
)
@click.option(
    "--graph",
    "graph_name",
    metavar="DOC_OR_IRI",
    help="Only this graph: a document name (000_x.txt), ontology, build, inferred, or an IRI.",
)
@_store_options
def export(
    fmt: str | None,
    output: Path | None,
    graph_name: str | None,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Export the whole store, or one graph, as RDF.

    nquads and trig keep the named graphs; turtle, ntriples and rdfxml of the whole store
    write the union of the graphs; jsonld is compacted with ontology/context.jsonld. All but
    jsonld are streamed from the store.
    """
    if fmt is not None:
        chosen = RdfFormat.from_name(fmt, Kind.RDF)
    elif output is not None:
        try:
            chosen = RdfFormat.from_extension(output.name, Kind.RDF)
        except ValueError:
            chosen = RdfFormat.NQUADS
    else:
        chosen = RdfFormat.NQUADS
    resolved = _base(base)
    with _open(store_dir, endpoint, existing=True) as store:
        name = resolve_graph(graph_name, resolved) if graph_name else None
        if name is not None and store.quad_count(name) == 0:
            raise _Failure(f"the store has no graph <{name}> (or it is empty)")
        if output is None:
            sys.stdout.flush()
            stdout = sys.stdout.buffer
            try:
                store.export(stdout, chosen.media_type, name)
                stdout.flush()
            except BrokenPipeError:  # `perfkg export | head`: stop quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
                sys.exit(1)
            return
        partial = output.with_name(output.name + ".partial")
        try:
            with open(partial, "wb") as out:
                store.export(out, chosen.media_type, name)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"wrote {output} ({chosen.value})", err=True)


@main.command()
@click.option(
    "--graph",
    "graph_names",
    multiple=True,
    metavar="DOC_OR_IRI",
    help="Validate only this graph (repeatable; default: every document graph).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Findings shown per graph.",
)
@_store_options
def validate(
    graph_names: tuple[str, ...],
    limit: int,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Check every document graph against the SHACL shapes (ontology/shapes.ttl).

    Prints each finding (focus node, path, message) and a total; the exit status is 1 when
    there is a violation.
    """
    from graphbuild.build import data_graph_names
    from graphbuild.validate import report_lines
    from graphbuild.validate import validate as run_validate

    resolved = _base(base)
    with _open(store_dir, endpoint, existing=True) as store:
        names = [resolve_graph(g, resolved) for g in graph_names] or data_graph_names(
            store, resolved
        )
        unknown = sorted(set(names) - set(store.graph_names()))
        if unknown:
            raise _Failure(f"{_where(store_dir, endpoint)} has no graph <{unknown[0]}>")
        if not names:
            others = store.graph_names()
            if others:
                raise _Failure(
                    f"{_where(store_dir, endpoint)} has no document graphs under the base "
                    f"{resolved} (it has e.g. <{others[0]}>); pass the base it was built "
                    "with as --base or PERFKG_BASE"
                )
            raise _Failure(
                f"{_where(store_dir, endpoint)} holds no document graphs; run `perfkg build` first"
            )
        with click.progressbar(length=len(names), label="validating", file=sys.stderr) as bar:
            report = run_validate(store, resolved, names, progress=lambda _: bar.update(1))
    click.echo("\n".join(report_lines(report, resolved, limit)))
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.option("--drop", is_flag=True, help="Remove the inferred graph instead of computing it.")
@_store_options
def reason(drop: bool, store_dir: Path | None, endpoint: str | None, base: str | None) -> None:
    """Compute the OWL-RL closure of the ontology and the documents (owlrl).

    Only the new triples are written, into their own graph {base}graph/inferred, which
    replaces the previous one; --drop removes it. owlrl is slow (a few thousand triples per
    second): fine for the samples, not for thousands of documents.
    """
    from graphbuild.reason import drop_inferred
    from graphbuild.reason import reason as run_reason

    resolved = _base(base)
    with _open(store_dir, endpoint, existing=True) as store:
        if drop:
            click.echo(f"dropped <{drop_inferred(store, resolved)}>")
            return
        click.echo("reasoning (OWL-RL, owlrl) …", err=True)
        report = run_reason(store, resolved)
    click.echo(
        f"{report.inferred:,} inferred triples (from {report.asserted:,} asserted) written to "
        f"<{report.graph}>, replacing the previous ones"
    )


def _add_serve() -> None:
    """``perfkg serve`` lives in service/cli.py, which loads FastAPI only when it runs."""
    from service.cli import serve

    main.add_command(serve)


_add_serve()


def _add_network() -> None:
    """``perfkg network`` lives in graphbuild/network_cli.py (networkx loads when it runs)."""
    from graphbuild.network_cli import network

    main.add_command(network)


_add_network()


def _add_queries() -> None:
    """``perfkg queries``, ``perfkg query`` and ``perfkg audit`` live in graphbuild/query_cli.py."""
    from graphbuild.query_cli import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_queries()


if __name__ == "__main__":
    main()
