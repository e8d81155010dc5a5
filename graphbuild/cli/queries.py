"""``perfkg queries``, ``perfkg query`` and ``perfkg audit``: thin commands over
:mod:`graphbuild.analysis.querying` and :mod:`graphbuild.analysis.audit_report`.

They are added to the ``perfkg`` group by :mod:`graphbuild.cli`. An unknown query or rule, or a
bad parameter, is one line on standard error (exit status 2); a store problem too (exit 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from graphbuild.analysis.audit import GradeThresholds, rules
from graphbuild.analysis.querying import OutputFormat, catalogue, parse_params, run_query, write
from graphbuild.cli.options import OUTPUT_FILE, Failure, atomic_output, open_location, store_options
from graphbuild.named_queries import QueryError, named_query


class _UsageFailure(Failure):
    """A usage error shown as one line (no usage block), exit status 2."""

    exit_code = 2


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number between 0 and 100")
    return value


def _emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (atomically) or standard output."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    with atomic_output(output) as out:
        out.write(text)
    click.echo(f"wrote {output}", err=True)


@click.command("queries")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: name and titles; json: everything, with the parameters.",
)
@click.option("--audit/--no-audit", default=True, help="List the audit rules (audit_*) too.")
def queries(fmt: str, audit: bool) -> None:
    """List the named queries of queries/: name, Chinese and English title, parameters."""
    everything = catalogue()
    entries = [q for q in everything if not q["name"].startswith("audit_")]
    if audit:  # the rules after the analysis queries
        entries += [q for q in everything if q["name"].startswith("audit_")]
    if fmt == "json":
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    width = max(len(q["name"]) for q in entries)
    for q in entries:
        params = " ".join(f"{p['name']}={p['default']!s}" for p in q["parameters"])
        click.echo(f"{q['name']:{width}}  {q['title']} / {q['title_en']}")
        if params:
            click.echo(f"{'':{width}}    params: {params}")


@click.command("query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the query (repeatable); `perfkg queries` lists them.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default="table",
    show_default=True,
    help="Answer format.",
)
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    help="Write to this file (default: standard output).",
)
@click.option(
    "--sparql", "show_sparql", is_flag=True, help="Print the bound SPARQL, do not run it."
)
@store_options
def query(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    show_sparql: bool,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Run the named query NAME (a file queries/NAME.rq) on the store."""
    try:
        values = parse_params(params)
        named = named_query(name)
        sparql = named.bind(values)
    except QueryError as error:
        raise _UsageFailure(str(error)) from None
    if show_sparql:
        _emit(sparql, output)
        return
    with open_location(store_dir, endpoint, existing=True) as store:
        table = run_query(store, name, values)
    _emit(write(table, OutputFormat(fmt), named, values), output)


def _grades(text: str) -> GradeThresholds:
    try:
        excellent, good, fair = (float(part) for part in text.split(","))
        return GradeThresholds(excellent, good, fair)
    except ValueError:
        raise _UsageFailure(
            f"--grades {text!r}: give three falling numbers, the lowest total scores of "
            "优,良,中, e.g. 90,80,60"
        ) from None


@click.command("audit")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "csv", "json"]),
    help="Report format (default: from the -o file's extension, else text).",
)
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    help="Write the report to this file (default: standard output).",
)
@click.option(
    "--rule",
    "only",
    multiple=True,
    metavar="RULE",
    help="Run only this rule (repeatable); `perfkg queries` lists them as audit_*.",
)
@click.option(
    "--grades",
    default="90,80,60",
    show_default=True,
    metavar="优,良,中",
    help="Lowest total score of the grades 优, 良 and 中 (below: 差).",
)
@click.option(
    "--execution-weight",
    type=click.FloatRange(min=0, max=100),
    callback=lambda _ctx, _param, value: _finite(value),
    default=10,
    show_default=True,
    help="Points budget execution is worth in a self-evaluation.",
)
@click.option(
    "--min-indicators",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="The fewest indicators a project should have.",
)
@store_options
def audit(
    fmt: str | None,
    output: Path | None,
    only: tuple[str, ...],
    grades: str,
    execution_weight: float,
    min_indicators: int,
    store_dir: Path | None,
    endpoint: str | None,
    base: str | None,
) -> None:
    """Check the targets against the quality rules (queries/audit_*.rq) and report findings.

    Each finding names its rule, severity, the target, project or document it is about (an
    IRI that resolves to its linked-data page) and the document and source line. Rules whose
    data the graph does not hold report "not checkable" per document.
    """
    from graphbuild.analysis import audit_report

    thresholds = _grades(grades)
    chosen = fmt or _format_from(output)
    known = {rule.id for rule in rules()}
    unknown = [rule for rule in only if rule not in known]
    if unknown:
        raise _UsageFailure(f"no audit rule {unknown[0]!r}; known: {', '.join(sorted(known))}")
    with open_location(store_dir, endpoint, existing=True) as store:
        try:
            report = audit_report.audit(
                store,
                grade_thresholds=thresholds,
                execution_weight=execution_weight,
                min_indicators=min_indicators,
                only=list(only) or None,
            )
        except QueryError as error:
            raise _UsageFailure(str(error)) from None
    writers = {
        "text": audit_report.to_text,
        "csv": audit_report.to_csv,
        "json": audit_report.to_json,
        "html": audit_report.to_html,
    }
    _emit(writers[chosen](report), output)
    if output is not None:
        click.echo(f"{len(report.findings)} findings", err=True)


def _format_from(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return {"htm": "html", "html": "html", "csv": "csv", "json": "json"}.get(suffix, "text")


COMMANDS = (queries, query, audit)
"""What :mod:`graphbuild.cli` adds to ``perfkg``."""
