"""Extraction speed on one core: documents per second and MB per second over the samples.

Reads and extracts the bundled samples round after round until at least ``--seconds`` of work
(default 5) have been measured, twice: with the string caches warm (a long job over many
documents, where labels, header words and common values repeat) and with every cache cleared
before each document (the worst case, a document that shares no text with the ones before).
Prints both next to the issue's target of 50 documents per second.

    taskset -c 0 python benchmarks/extract.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import functools
import gc
import time
from pathlib import Path

from graphbuild.extract import alignment, cells, extract_file, levels, values

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
TARGET_DOCS_PER_SECOND = 50
_CACHED = [
    cells.clean,
    cells.fold_variants,
    cells.compact,
    values.parse_value,
    values.looks_like_value,
    levels.label_key,
    alignment._kind,
    alignment._assignment,
    alignment._token_costs,
    alignment._column_kind,
]


def _clear_caches() -> None:
    for function in _CACHED:
        if isinstance(function, functools._lru_cache_wrapper):
            function.cache_clear()


def measure(paths: list[Path], seconds: float, cold: bool) -> tuple[int, int, float]:
    docs = size = 0
    elapsed = 0.0
    while elapsed < seconds:
        for path in paths:
            if cold:
                _clear_caches()
            start = time.perf_counter()
            extract_file(path)
            elapsed += time.perf_counter() - start
            docs += 1
            size += path.stat().st_size
    return docs, size, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    levels.vocabulary()  # the level scheme is parsed once per process
    paths = sorted(SAMPLES.glob("*.txt"))
    gc.collect()
    print(f"samples: {len(paths)} documents, {sum(p.stat().st_size for p in paths) / 2**20:.2f} MB")
    print(f"{'caches':8} {'documents':>10} {'seconds':>8} {'docs/s':>8} {'MB/s':>7}   target")
    for label, cold in (("warm", False), ("cold", True)):
        docs, size, elapsed = measure(paths, args.seconds, cold)
        rate = docs / elapsed
        verdict = "met" if rate >= TARGET_DOCS_PER_SECOND else "NOT met"
        print(
            f"{label:8} {docs:10d} {elapsed:8.2f} {rate:8.1f} {size / elapsed / 2**20:7.2f}   "
            f"{TARGET_DOCS_PER_SECOND} docs/s: {verdict}"
        )


if __name__ == "__main__":
    main()
