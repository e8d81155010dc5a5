"""``perfkg extract``: records of documents as JSON Lines or CSV, with a summary per document."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import click

from graphbuild.cli.options import OUTPUT_FILE, atomic_output
from graphbuild.extract import extract_file
from graphbuild.extract.output import Format, write_csv, write_jsonl
from graphbuild.extract.read import ReadError
from graphbuild.graph.build import expand
from graphbuild.records import Extraction


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
    read_as = f", read as {doc.source_format}" if doc.source_format != "text" else ""
    empty = sum(1 for b in extraction.budget_lines if b.empty)
    by_kind = Counter(b.table_kind for b in extraction.budget_lines if not b.empty)
    tables = ", ".join(f"{kind} {count}" for kind, count in by_kind.most_common())
    return [
        f"{doc.document}: {doc.family} ({doc.kind or 'unknown kind'}, {doc.year or 'year ?'}, "
        f"{doc.department or 'department ?'}{read_as})",
        f"  projects {len(extraction.projects)}, targets {len(extraction.targets)}, "
        f"diagnostics {len(extraction.diagnostics)}",
        f"  targets by level 1: {levels or 'none'}",
        f"  indicator rows {rows.rows}: {rows.target_rows} gave targets, "
        f"{rows.diagnosed_rows} diagnostics, {rows.label_rows} level labels only, "
        f"{rows.checked_rows} checked against another rendering, {rows.unplaced_rows} unplaced",
        f"  indicator tables read by their headers {rows.tables_by_header}, not understood "
        f"{rows.tables_not_understood}"
        + (" (their rows are error diagnostics)" if rows.tables_not_understood else ""),
        f"  budget tables {rows.budget_tables} ({empty} empty), budget lines "
        f"{len(extraction.budget_lines) - empty}: {tables or 'none'}",
        f"  budget rows {rows.budget_rows}: {rows.budget_line_rows} gave lines, "
        f"{rows.budget_header_rows} header, {rows.budget_blank_rows} without amounts, "
        f"{rows.budget_diagnosed_rows} diagnostics, {rows.budget_unplaced_rows} unplaced",
    ]


@click.command()
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
@click.option(
    "--bom/--no-bom",
    default=None,
    help="Begin CSV with a UTF-8 byte-order mark, which Excel needs to read the Chinese text "
    "as UTF-8 (default: with -o FILE yes, on standard output no).",
)
def extract(
    files: tuple[Path, ...], fmt: str, output: Path | None, summary: bool, bom: bool | None
) -> None:
    """Extract performance targets from document files (or folders of them).

    Writes one record per line: document, project, target, budget line and diagnostic
    records (see docs/records.md). A file that cannot be read is reported on one line and skipped; the
    exit status is then 1.
    """
    paths = expand(files)
    if not paths:
        raise click.UsageError("no document files found in the given folders")
    fmt_enum = Format(fmt)
    with ExitStack() as stack:
        out: IO[str] | None = None
        if output is not None:
            out = stack.enter_context(atomic_output(output))
        elif not summary:
            out = sys.stdout
        if (
            out is not None
            and fmt_enum is Format.CSV
            and (output is not None if bom is None else bom)
        ):
            out.write("\ufeff")
        failed = _write(paths, fmt_enum, out, summary)
    if failed:
        click.echo(f"perfkg: {failed} of {len(paths)} files could not be read", err=True)
        sys.exit(1)


def _write(paths: list[Path], fmt: Format, out: IO[str] | None, summary: bool) -> int:
    """Extract each file, write its records to ``out`` and its summary; the number that failed."""
    failed = 0
    first = True
    for _path, extraction, error in _extract_all(paths):
        if error is not None:
            failed += 1
            click.echo(f"perfkg: error: {error}", err=True)
            continue
        assert extraction is not None
        if out is not None:
            if fmt is Format.CSV:
                write_csv(extraction.records(), out, header=first)
            else:
                write_jsonl(extraction.records(), out)
            first = False
        if summary:
            click.echo("\n".join(summary_lines(extraction)))
    return failed
