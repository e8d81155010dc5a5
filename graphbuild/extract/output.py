"""Writing records as JSON Lines or CSV (the user-facing export of ``perfkg extract``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import IO

from graphbuild.records import Record, to_dict


class Format(StrEnum):
    """Record export formats, with their media types and file extensions."""

    JSONL = "jsonl"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        return {"jsonl": "application/x-ndjson", "csv": "text/csv"}[self.value]

    @property
    def extension(self) -> str:
        return "." + self.value


# CSV has one header for every record kind: these columns, in this order.
CSV_COLUMNS = [
    "record",
    "document",
    "line",
    "table",
    "project",
    "project_line",
    "period",
    "level1",
    "level2",
    "level3",
    "value",
    "op",
    "number",
    "number_max",
    "unit",
    "kind",
    "date",
    "placeholder",
    "initial_value",
    "actual",
    "weight",
    "score",
    "deviation_reason",
    "description",
    "direction",
    "level1_weight",
    "level2_weight",
    "project_code",
    "department",
    "department_code",
    "implementing_unit",
    "attribute",
    "term",
    "total_funds_yuan",
    "annual_funds_yuan",
    "budget_yuan",
    "spent_yuan",
    "execution_rate",
    "execution_score",
    "total_score",
    "grade",
    "family",
    "kind_of_document",
    "year",
    "reason",
    "cells",
    "origin",
    "source_format",
    "classification",
    "code",
    "name",
    "column",
    "amount_yuan",
    "table_kind",
    "table_line",
    "column_path",
    "measure",
    "section",
    "printed",
    "quantity",
    "total",
    "parent_line",
    "code2",
    "name2",
    "empty",
    "source",
    "budget_total_yuan",
    "basic_expenditure_yuan",
    "project_expenditure_yuan",
]


def write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    """One JSON object per line; returns the number written."""
    count = 0
    for record in records:
        out.write(json.dumps(to_dict(record), ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_row(record: Record) -> dict[str, object]:
    data = to_dict(record)
    if data["record"] == "document":
        data["kind_of_document"] = data.pop("kind")
    if "cells" in data:
        data["cells"] = json.dumps(data["cells"], ensure_ascii=False)
    if "funding" in data:
        data["funding"] = json.dumps(data["funding"], ensure_ascii=False)
    return data


def write_csv(records: Iterable[Record], out: IO[str], header: bool = True) -> int:
    """CSV with the fixed ``CSV_COLUMNS``; fields a record lacks are empty."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    if header:
        writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(_csv_row(record))
        count += 1
    return count
