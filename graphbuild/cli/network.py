"""``perfkg network``: export the network graphs with their metrics, find similar projects.

Thin front end of :mod:`graphbuild.analysis.network`: parse the options, fetch the rows from the store,
build one graph, add the metrics, write it. networkx loads only when a subcommand runs.

    perfkg network cooccurrence --format gexf -o indicators.gexf
    perfkg network name-groups --format summary
    perfkg network similar "组织人力资源部人才经费"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphbuild.cli.options import OUTPUT_FILE, location_options, open_location

if TYPE_CHECKING:
    import networkx as nx

    from graphbuild.analysis.network import Filter, NetworkData

FORMATS = ("json", "graphml", "gexf", "summary")
_GRAPHS = {
    "bipartite": "Projects and indicators (三级指标); edge weight = the project's targets of it.",
    "cooccurrence": "Indicators; edge weight = the number of projects that use both.",
    "departments": "Departments; edge weight = cosine similarity of targets-per-indicator.",
    "name-groups": "Indicators joined when their names are near-duplicates (docs/network.md).",
    "explorer": "Departments → projects → targets → indicators, as /explore draws them.",
}


def _fetch(store_dir: Path | None, endpoint: str | None) -> NetworkData:
    """The network rows of the chosen store (a missing store directory is an error)."""
    from graphbuild.analysis import network

    with open_location(store_dir, endpoint, existing=True) as store:
        return network.fetch(store)


@click.group()
def network() -> None:
    """Network analysis of indicators, projects and departments (docs/network.md).

    Each graph subcommand writes node-link JSON, GraphML or GEXF (for Gephi, Cytoscape
    desktop, networkx, igraph) with degree, PageRank, Louvain community and component on every
    node, or a short summary. --level1, --level2 and --value-kind keep only the matching
    targets; give a concept IRI or its label (产出指标, 数量指标, 百分比 …).
    """


def _graph_command(kind: str, help_text: str) -> click.Command:
    @click.command(name=kind, help=help_text)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format (default: from the -o extension, else json).",
    )
    @click.option("-o", "--output", type=OUTPUT_FILE, help="File to write.")
    @click.option("--level1", metavar="LEVEL", help="Only targets of this level 1.")
    @click.option("--level2", metavar="LEVEL", help="Only targets of this level 2.")
    @click.option("--value-kind", metavar="KIND", help="Only targets with this kind of value.")
    @click.option("--no-metrics", is_flag=True, help="Skip PageRank and Louvain (large graphs).")
    @location_options
    def command(
        fmt: str | None,
        output: Path | None,
        level1: str | None,
        level2: str | None,
        value_kind: str | None,
        no_metrics: bool,
        store_dir: Path | None,
        endpoint: str | None,
    ) -> None:
        from graphbuild.analysis import network

        fmt = fmt or _format_of(output)
        data = _fetch(store_dir, endpoint)
        where = _filter(data, level1, level2, value_kind)
        graph = network.build(kind, data, where)
        if not no_metrics:
            network.annotate(graph, network.metrics(graph))
        if fmt == "summary":
            text = "\n".join(summary(graph, kind)) + "\n"
            _emit(text.encode("utf-8"), output)
        else:
            _emit(network.graph_bytes(graph, fmt), output)
        if output is not None:
            click.echo(
                f"{kind}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges "
                f"written to {output} ({fmt})",
                err=True,
            )

    return command


for _kind, _help in _GRAPHS.items():
    network.add_command(_graph_command(_kind, _help))


@network.command()
@click.argument("project")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many similar projects.",
)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@location_options
def similar(
    project: str, limit: int, fmt: str, store_dir: Path | None, endpoint: str | None
) -> None:
    """The projects most like PROJECT (its IRI or its exact name): the highest Jaccard index of
    their indicator sets first."""
    from graphbuild.analysis import network

    data = _fetch(store_dir, endpoint)
    graph = network.bipartite_graph(data)
    iri = _project(graph, project)
    found = network.similar_projects(graph, iri, limit)
    if fmt == "json":
        rows = [
            {"project": s.node, "label": s.label, "score": s.score, "shared": s.shared}
            for s in found
        ]
        click.echo(json.dumps({"project": iri, "similar": rows}, ensure_ascii=False, indent=1))
        return
    click.echo(f"projects like {graph.nodes[iri]['label']} <{iri}>:")
    if not found:
        click.echo("  none shares an indicator with it")
    for s in found:
        click.echo(f"  {s.score:.3f}  {s.shared:3d} shared  {s.label}  <{s.node}>")


def _project(graph: nx.Graph, given: str) -> str:
    if given in graph and graph.nodes[given].get("kind") == "project":
        return given
    named = sorted(n for n, label in graph.nodes(data="label") if label == given)
    named = [n for n in named if graph.nodes[n].get("kind") == "project"]
    if len(named) == 1:
        return named[0]
    if named:
        listing = "\n  ".join(named)
        raise click.UsageError(
            f"{len(named)} projects are named {given!r}; give an IRI:\n  {listing}"
        )
    raise click.UsageError(
        f"no project {given!r} with targets: give a project IRI or its exact name "
        "(`perfkg query` or the /explore page find them)"
    )


def _format_of(output: Path | None) -> str:
    if output is not None and output.suffix.lstrip(".") in ("graphml", "gexf", "json"):
        return output.suffix.lstrip(".")
    return "json"


def _emit(body: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(body)


def _filter(
    data: NetworkData, level1: str | None, level2: str | None, value_kind: str | None
) -> Filter:
    for option, value in (("--level1", level1), ("--level2", level2), ("--value-kind", value_kind)):
        try:
            data.resolve(option.lstrip("-").replace("value-", ""), value)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=option) from None
    return data.filter(level1, level2, value_kind)


def summary(graph: nx.Graph, kind: str, top: int = 10) -> list[str]:
    """A few lines about a graph: size, components, communities, the top nodes by PageRank
    (for name-groups: every group of two names or more)."""
    import networkx as nx

    lines = [
        f"{kind}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges, "
        f"{nx.number_connected_components(graph):,} connected components"
    ]
    communities = {c for _, c in graph.nodes(data="community") if c is not None}
    if communities:
        lines.append(f"Louvain communities: {len(communities):,}")
    if kind == "name-groups":
        groups: dict[str, list[str]] = {}
        for node, group in graph.nodes(data="name_group"):
            groups.setdefault(group, []).append(str(graph.nodes[node]["label"]))
        larger = sorted((m for m in groups.values() if len(m) > 1), key=lambda m: (-len(m), m))
        lines.append(f"name groups of two names or more: {len(larger)}")
        lines.extend(f"  {' / '.join(sorted(m))}" for m in larger)
        return lines
    ranked = sorted(
        graph.nodes(data=True), key=lambda item: (-(item[1].get("pagerank") or 0), item[0])
    )[:top]
    lines.append(f"top {len(ranked)} by PageRank (pagerank, degree, community, label):")
    for node, attributes in ranked:
        lines.append(
            f"  {attributes.get('pagerank', 0):.5f}  {attributes.get('degree', graph.degree(node)):5}"
            f"  {attributes.get('community', '-'):>4}  {attributes.get('label', node)}"
        )
    return lines
