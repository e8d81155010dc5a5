"""The ``perfkg`` command line: a thin front end over the library.

Exit codes: 0 when every file was read, 1 when some could not be (the others are still
written), 2 for usage errors.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from graphbuild import __version__
from graphbuild.export import Format, write_csv, write_jsonl
from graphbuild.extract import extract_file
from graphbuild.read import ReadError
from graphbuild.records import Extraction


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for the .txt files inside it, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        else:
            files.append(path)
    return files


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
        f"{rows.unplaced_rows} unplaced",
    ]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfkg")
def main() -> None:
    """perfkg: Chinese budget performance targets (绩效目标) as records and a knowledge graph."""


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
    type=click.Path(dir_okay=False, path_type=Path),
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
    paths = _expand(files)
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
    finally:
        if tmp is not None and out is not None:
            out.close()
            os.replace(tmp, output)  # type: ignore[arg-type]
    if failed:
        click.echo(f"perfkg: {failed} of {len(paths)} files could not be read", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
