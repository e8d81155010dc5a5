"""``perfkg build``, ``export``, ``validate`` and ``reason``: the graph in its store."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from graphbuild.cli.options import (
    OUTPUT_FILE,
    Failure,
    atomic_output,
    open_location,
    resolve_base,
    store_options,
    where,
)
from graphbuild.formats import Format as RdfFormat
from graphbuild.formats import Kind
from graphbuild.graph.build import BuildReport, DocumentResult, expand, resolve_graph

# ---- graph commands: build, export, validate, reason -----------------------------------------


def _short(name: str | None, base: str) -> str:
    if name is None:
        return "-"
    return name[len(base) :] if name.startswith(base) else name


TABLE_ROWS = 50
"""Builds of more documents print the totals and the failures, not a line per document."""


def build_summary(report: BuildReport, base: str, where: str) -> list[str]:
    """The table printed after ``perfkg build``: one line per document (up to ``TABLE_ROWS``),
    then the totals."""
    width = max([len(d.path.name) for d in report.documents] + [len("graph/statistics"), 8])
    lines = [
        f"store: {where}",
        f"  {'document':{width}} {'triples':>9} {'projects':>9} {'targets':>8} {'diagnostics':>12}",
    ]
    listed = report.documents if len(report.documents) <= TABLE_ROWS else report.failed
    for doc in listed:
        if doc.unchanged:
            lines.append(f"  {doc.path.name:{width}} {'unchanged':>9}")
        elif doc.ok:
            lines.append(
                f"  {doc.path.name:{width}} {doc.quads:9,d} {doc.projects:9,d} {doc.targets:8,d} "
                f"{doc.diagnostics:12,d}"
            )
        else:
            lines.append(f"  {doc.path.name:{width}} {'FAILED':>9}")
    for name, quads in (
        (report.ontology_graph, report.ontology_quads),
        (report.build_graph, report.build_quads),
        (report.statistics_graph, report.statistics_quads),
        *report.finished,
    ):
        lines.append(f"  {_short(name, base):{width}} {quads:9,d}")
    built = report.built
    triples = sum(d.quads for d in built)
    triples += report.ontology_quads + report.build_quads + report.statistics_quads
    triples += sum(quads for _, quads in report.finished)
    unchanged = f", {len(report.unchanged)} unchanged" if report.unchanged else ""
    lines.append(
        f"built {len(built)} of {len(report.documents)} documents{unchanged}: "
        f"{len(built) + 3 + len(report.finished)} graphs, {triples:,} triples, "
        f"{sum(d.targets for d in built):,} targets, "
        f"{sum(d.diagnostics for d in built):,} diagnostics"
    )
    seconds = ((report.ended or report.started) - report.started).total_seconds()
    if built and seconds > 0:
        lines.append(
            f"in {seconds:,.1f} s: {len(built) / seconds:,.1f} documents/s, "
            f"{sum(d.quads for d in built) / seconds:,.0f} quads/s"
        )
    return lines


class _Rate:
    """Documents and quads per second since the first document, for the progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.documents = 0
        self.quads = 0

    def add(self, result: DocumentResult) -> str:
        if result.ok and not result.unchanged:
            self.documents += 1
            self.quads += result.quads
        seconds = max(time.monotonic() - self.started, 1e-6)
        return (
            f"{self.documents / seconds:,.1f} docs/s, {self.quads / seconds:,.0f} quads/s "
            f"({result.path.name})"
        )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1, max=256),
    default=lambda: os.cpu_count() or 1,
    show_default="the machine's cores",
    help="Worker processes that extract and map documents.",
)
@click.option("--force", is_flag=True, help="Build unchanged documents again too.")
@click.option(
    "--audit/--no-audit",
    default=True,
    show_default=True,
    help="Run the audit's rules on each document and keep its findings in the document's graph "
    "(the pages show them; a few milliseconds per document).",
)
@store_options
def build(
    files: tuple[Path, ...],
    jobs: int,
    force: bool,
    audit: bool,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Build the knowledge graph from document files (or folders of them).

    Each document becomes one named graph, {base}graph/{file name}; building a document
    again replaces exactly its graph, and a document whose file and perfkg version are
    unchanged since the last build is skipped (a build stopped part-way resumes). The
    ontology is loaded into {base}graph/ontology, the run is described in {base}graph/build
    and the counts pages show are computed into {base}graph/statistics; the audit's findings are
    kept with each document, its run described in {base}graph/audit (unless --no-audit). A
    document that cannot be read or mapped is reported on one line and skipped (exit status
    1); the others are still built.
    """
    from graphbuild.analysis import audit_graph
    from graphbuild.graph.build import build as run_build

    paths = expand(files)
    if not paths:
        raise click.UsageError("no document files found in the given folders")
    resolved = resolve_base(base)
    with (
        open_location(store_dir, endpoint) as store,
        click.progressbar(
            length=len(paths),
            label="building",
            file=sys.stderr,
            item_show_func=lambda name: name,
        ) as bar,
    ):
        rate = _Rate()

        def progress(result: DocumentResult) -> None:
            if result.error is not None:
                click.echo(f"\nperfkg: error: {result.error}", err=True)
            bar.update(1, rate.add(result))

        report = run_build(
            paths,
            store,
            resolved,
            jobs=jobs,
            force=force,
            progress=progress,
            finishing=[audit_graph.record] if audit else [],
            check=audit_graph.document_findings if audit else None,
        )
        others = sorted({n for n in store.graph_names() if not n.startswith(resolved)})
    click.echo("\n".join(build_summary(report, resolved, where(store_dir, endpoint))))
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


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RdfFormat.names(Kind.RDF)),
    help="RDF format (default: from the -o file's extension, else nquads).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (default: standard output); with --shards, this new or empty folder.",
)
@click.option(
    "--graph",
    "graph_name",
    metavar="DOC_OR_IRI",
    help="Only this graph: a document name (000_x.txt), ontology, build, inferred, or an IRI.",
)
@click.option(
    "--shards",
    type=click.IntRange(min=1),
    metavar="N",
    help="N-Quads in files for bulk loaders: the document graphs in at most N files of about "
    "equal size, shared.nq, statistics.nq and shards.json, into the -o folder.",
)
@store_options
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str | None,
    output: Path | None,
    graph_name: str | None,
    shards: int | None,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Export the whole store, or one graph, as RDF.

    nquads and trig keep the named graphs; turtle, ntriples and rdfxml of the whole store
    write the union of the graphs; jsonld is compacted with ontology/context.jsonld. All but
    jsonld are streamed from the store. --shards N -o DIR writes N-Quads files for the bulk
    loaders of SPARQL servers (each document graph whole in one file; README, "Scaling out").
    """
    if shards is not None:
        _export_shards(fmt, output, graph_name, shards, store_dir, endpoint, base)
        return
    if output is not None:
        param = next(p for p in ctx.command.params if p.name == "output")
        output = OUTPUT_FILE.convert(output, param, ctx)
    if fmt is not None:
        chosen = RdfFormat.from_name(fmt, Kind.RDF)
    elif output is not None:
        try:
            chosen = RdfFormat.from_extension(output.name, Kind.RDF)
        except ValueError:
            chosen = RdfFormat.NQUADS
    else:
        chosen = RdfFormat.NQUADS
    resolved = resolve_base(base)
    with open_location(store_dir, endpoint, existing=True) as store:
        name = resolve_graph(graph_name, resolved) if graph_name else None
        if name is not None and store.quad_count(name) == 0:
            raise Failure(f"the store has no graph <{name}> (or it is empty)")
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
        with atomic_output(output, "wb") as out:
            store.export(out, chosen.media_type, name)
    click.echo(f"wrote {output} ({chosen.value})", err=True)


def _export_shards(
    fmt: str | None,
    output: Path | None,
    graph_name: str | None,
    shards: int,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    from graphbuild.graph.shards import check_folder, export_shards

    if output is None:
        raise click.UsageError("--shards writes files: give the folder with -o DIR")
    if graph_name is not None:
        raise click.UsageError("--shards exports every graph; leave out --graph")
    if fmt is not None and fmt != RdfFormat.NQUADS.value:
        raise click.UsageError("--shards writes N-Quads; leave out --format or give nquads")
    check_folder(output)
    resolved = resolve_base(base)
    with open_location(store_dir, endpoint, existing=True) as store:
        total = len(store.graph_names())
        with click.progressbar(length=total, label="exporting", file=sys.stderr) as bar:
            result = export_shards(store, output, shards, resolved, lambda _: bar.update(1))
    for shard in result.files:
        click.echo(f"  {shard.file:24} {len(shard.graphs):6,d} graphs {shard.quads:12,d} quads")
    click.echo(f"wrote {output}: {result.graphs:,} graphs, {result.quads:,} quads, shards.json")


@click.command()
@store_options
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    help="Write the statistics graph to this N-Quads file instead of into the store.",
)
def statistics(
    store_dir: Path | None, endpoint: str | None, base: str | None, output: Path | None
) -> None:
    """Compute the counts pages show into {base}graph/statistics (as every build does).

    With -o the graph is written to an N-Quads file and the store is only read: for a SPARQL
    server loaded from the shards of several stores (batches built in parallel), each loaded
    without its statistics.nq, whose own statistics are those of the union.
    """
    from graphbuild.graph.statistics import compute, refresh

    resolved = resolve_base(base)
    with open_location(store_dir, endpoint, existing=True) as store:
        name = resolve_graph("statistics", resolved)
        if output is None:
            name, quads = refresh(store, resolved)
            store.publish()
            click.echo(f"{quads:,} quads written to <{name}>")
            return
        if store.quad_count(name):
            raise Failure(
                f"{where(store_dir, endpoint)} holds <{name}> already, which the figures would "
                "count; load the shards without statistics.nq (or leave out -o to replace it)"
            )
        data = compute(store, resolved)
    with atomic_output(output, "wb") as out:
        out.write(data)
    quads = data.count(b"\n")
    click.echo(f"wrote {output}: {quads:,} quads of <{name}>", err=True)


@click.command()
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
@store_options
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
    from graphbuild.graph.build import data_graph_names
    from graphbuild.graph.validate import report_lines
    from graphbuild.graph.validate import validate as run_validate

    resolved = resolve_base(base)
    with open_location(store_dir, endpoint, existing=True) as store:
        names = [resolve_graph(g, resolved) for g in graph_names] or data_graph_names(
            store, resolved
        )
        unknown = sorted(set(names) - set(store.graph_names()))
        if unknown:
            raise Failure(f"{where(store_dir, endpoint)} has no graph <{unknown[0]}>")
        if not names:
            others = store.graph_names()
            if others:
                raise Failure(
                    f"{where(store_dir, endpoint)} has no document graphs under the base "
                    f"{resolved} (it has e.g. <{others[0]}>); pass the base it was built "
                    "with as --base or PERFKG_BASE"
                )
            raise Failure(
                f"{where(store_dir, endpoint)} holds no document graphs; run `perfkg build` first"
            )
        with click.progressbar(length=len(names), label="validating", file=sys.stderr) as bar:
            report = run_validate(store, resolved, names, progress=lambda _: bar.update(1))
    click.echo("\n".join(report_lines(report, resolved, limit)))
    if not report.conforms:
        sys.exit(1)


@click.command()
@click.option("--drop", is_flag=True, help="Remove the inferred graph instead of computing it.")
@store_options
def reason(drop: bool, store_dir: Path | None, endpoint: str | None, base: str | None) -> None:
    """Compute the OWL-RL closure of the ontology and the documents (owlrl).

    Only the new triples are written, into their own graph {base}graph/inferred, which
    replaces the previous one; --drop removes it. owlrl is slow (a few thousand triples per
    second): fine for the samples, not for thousands of documents.
    """
    from graphbuild.graph.reason import drop_inferred
    from graphbuild.graph.reason import reason as run_reason

    resolved = resolve_base(base)
    with open_location(store_dir, endpoint, existing=True) as store:
        if drop:
            click.echo(f"dropped <{drop_inferred(store, resolved)}>")
            return
        click.echo("reasoning (OWL-RL, owlrl) …", err=True)
        report = run_reason(store, resolved)
    click.echo(
        f"{report.inferred:,} inferred triples (from {report.asserted:,} asserted) written to "
        f"<{report.graph}>, replacing the previous ones"
    )
