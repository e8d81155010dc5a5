"""Parameter types shared by the ``perfkg`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


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
