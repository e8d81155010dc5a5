"""The table ``benchmarks/scale.py`` prints: one column per corpus size, the growth from the
first size to the last, and each of issue 11's targets met or missed.

>>> print(report([]))
(no measurements)
"""

from __future__ import annotations

import math
from typing import Any

TARGETS = {
    "extraction docs/s per core": (">=", 100),
    "build / bulk_load": ("<=", 1.5),
    "build peak RSS MB": ("<=", 1536),
    "build s": ("<=", 900),
    "selective queries p50 ms (worst)": ("<=", 50),
    "queries past the timeout": ("<=", 0),
    "pages warm p50 ms (worst)": ("<=", 200),
    "pages past the timeout": ("<=", 0),
    "endpoint c=8 perfkg/oxigraph (worst)": (">=", 0.8),
}


def _rows(result: dict[str, Any]) -> dict[str, float | str | None]:
    """One column of the table; a step that failed or was not run leaves its figures empty."""
    extraction, analysis = result.get("extraction", {}), result.get("analysis", {})
    build, bulk = result.get("build", {}), result.get("bulk_load", {})
    queries = result.get("queries", {})
    ok = [q for q in queries.values() if q["status"] == "ok"]
    selective = [q["p50_ms"] for q in ok if q.get("selective")]
    pages = result.get("pages_ms", {})
    endpoint = result.get("endpoint", {})
    c8 = [cell["8"]["ratio"] for cell in endpoint.values() if _answered(cell.get("8"))]
    c1 = [cell["1"]["ratio"] for cell in endpoint.values() if _answered(cell.get("1"))]
    failed = sum(
        1
        for cell in endpoint.values()
        for level in ("1", "8")
        if level in cell and not _answered(cell[level])
    )
    seconds = build.get("seconds")
    return {
        "documents": result["documents"],
        "steps that failed": ", ".join(result.get("errors", {})) or None,
        "extraction docs/s per core": extraction.get("docs_per_s_1"),
        "extraction speed-up 1 -> 2 workers": extraction.get("speedup_1_to_2"),
        "build s": seconds,
        "build docs/s": result["documents"] / seconds if seconds else None,
        "build quads/s": build.get("quads_per_s"),
        "quads": build.get("quads"),
        "bulk_load s (same quads)": bulk.get("seconds"),
        "build / bulk_load": result.get("build_vs_bulk_load"),
        "build peak RSS MB": build.get("rss_mb"),
        "bulk_load peak RSS MB": bulk.get("rss_mb"),
        "N-Quads bytes per quad": bulk.get("bytes_per_quad"),
        "queries run": len(queries) if queries else None,
        "queries past the timeout": (
            sum(1 for q in queries.values() if q["status"] != "ok") if queries else None
        ),
        "queries over 10 s (p50)": sum(1 for q in ok if q["p50_ms"] > 10_000) if ok else None,
        "queries over 1 s (p50)": sum(1 for q in ok if q["p50_ms"] > 1000) if ok else None,
        "selective queries p50 ms (worst)": max(selective) if selective else None,
        "all queries p50 ms (median; a timeout counts as slowest)": _median(
            [q["p50_ms"] if q["status"] == "ok" else math.inf for q in queries.values()]
        ),
        "pages warm p50 ms (worst)": max(
            (p["warm_p50_ms"] for p in pages.values() if "warm_p50_ms" in p), default=None
        ),
        "pages first request ms (worst)": max(
            (p["first_ms"] for p in pages.values() if "first_ms" in p), default=None
        ),
        "pages past the timeout": (
            sum(1 for p in pages.values() if p.get("status") == "timeout") if pages else None
        ),
        "endpoint c=1 perfkg/oxigraph (worst)": min(c1) if c1 else None,
        "endpoint c=8 perfkg/oxigraph (worst)": min(c8) if c8 else None,
        "endpoint cells with failed requests (not in the ratios)": failed if endpoint else None,
        "endpoint queries not compared (answers differ or none in 60 s)": (
            sum(1 for cell in endpoint.values() if cell.get("disagree") or cell.get("unanswered"))
            if endpoint
            else None
        ),
        "network fetch s": analysis.get("network_fetch_s"),
        "network co-occurrence + metrics s": analysis.get("network_cooccurrence_s"),
        "audit per document in the build ms": extraction.get("audit_ms_per_doc"),
        "stored findings read s": analysis.get("audit_read_s"),
        "stored findings": analysis.get("audit_findings"),
        **{
            f"benchmark step {step} s": seconds
            for step, seconds in result.get("step_seconds", {}).items()
        },
    }


def _answered(cell: dict[str, Any] | None) -> bool:
    """A cell whose requests all succeeded on both servers: a ratio of requests that timed
    out (60 s) on both is no throughput figure."""
    return cell is not None and all(cell[s]["errors"] == 0 for s in ("perfkg", "oxigraph"))


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else None


def _cell(value: float | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if value == math.inf:
        return "timeout"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _verdict(name: str, value: float | str | None) -> str:
    if name not in TARGETS or not isinstance(value, int | float):
        return ""
    op, limit = TARGETS[name]
    met = value >= limit if op == ">=" else value <= limit
    return f"{'met' if met else 'MISSED'} ({op} {limit})"


def report(results: list[dict[str, Any]]) -> str:
    """The table: a row per figure, a column per size, the growth, the verdict at the last."""
    if not results:
        return "(no measurements)"
    rows = [_rows(result) for result in results]
    names = list(rows[0])
    width = max(len(name) for name in names)
    header = f"{'figure':<{width}} | " + " | ".join(f"{r['documents']:>12,}" for r in rows)
    header += " | growth   | target at the last size"
    lines = [header, "-" * len(header)]
    names += [name for row in rows[1:] for name in row if name not in names]
    for name in names:
        values = [row.get(name) for row in rows]
        first, last = values[0], values[-1]
        growth = ""
        numbers = isinstance(first, int | float) and isinstance(last, int | float)
        if numbers and first and math.isfinite(first) and math.isfinite(last):
            growth = f"x{last / first:,.2f}"
        lines.append(
            f"{name:<{width}} | "
            + " | ".join(f"{_cell(v):>12}" for v in values)
            + f" | {growth:<8} | {_verdict(name, last)}"
        )
    slow = [
        f"{name} {q['p50_ms']:,.0f} ms"
        for name, q in results[-1].get("queries", {}).items()
        if q["status"] == "ok" and q["p50_ms"] > 1000
    ] + [name for name, q in results[-1].get("queries", {}).items() if q["status"] != "ok"]
    if slow:
        lines.append(f"\nslowest queries at {results[-1]['documents']:,}: " + "; ".join(slow))
    for result in results:
        for step, error in result.get("errors", {}).items():
            lines.append(f"\n{result['documents']:,} documents, step {step} failed: {error}")
    return "\n".join(lines)
