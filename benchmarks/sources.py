"""Every sample document written whole in every format, read back: time and agreement.

Each sample text file is laid out as the tests lay out their cases (tests/source_fixtures.py:
merged cells where a real file has them, text wrapped inside cells, ruling lines in the PDF)
and written as XLSX, XLS, HTML, DOCX and PDF (and, with ``--sideways``, a PDF printed turned on
portrait pages). Each file is then read and extracted; the table shows its size, the time to
read and extract it, and whether its targets (project, period, levels, name, value) and
projects equal those extracted from the text.

    python benchmarks/sources.py [--sideways]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphbuild.extract import extract_file  # noqa: E402
from tests import source_fixtures as fx  # noqa: E402

SAMPLES = ROOT / "data" / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sideways", action="store_true", help="also a PDF printed sideways")
    args = parser.parse_args()
    writers = {
        "xlsx": fx.write_xlsx,
        "xls": fx.write_xls,
        "html": fx.write_html,
        "docx": fx.write_docx,
        "pdf": fx.write_pdf,
    }
    if args.sideways:
        writers["pdf-sideways"] = lambda items, path: fx.write_pdf(items, path, sideways=True)
    print(f"{'sample':<28} {'format':<13} {'size':>8} {'seconds':>8}  targets      equal")
    with tempfile.TemporaryDirectory() as folder:
        for sample in sorted(SAMPLES.glob("*.txt")):
            text = extract_file(sample)
            key = [
                (t.project, t.period, t.level1, t.level2, t.level3, t.value) for t in text.targets
            ]
            items = fx.blocks(sample.read_text(encoding="utf-8").split("\n"))
            for name, writer in writers.items():
                suffix = name.split("-")[0]
                path = writer(items, Path(folder) / f"{sample.stem}.{suffix}")
                start = time.perf_counter()
                got = extract_file(path)
                seconds = time.perf_counter() - start
                same = [
                    (t.project, t.period, t.level1, t.level2, t.level3, t.value)
                    for t in got.targets
                ] == key and [p.project for p in got.projects] == [p.project for p in text.projects]
                print(
                    f"{sample.name:<28} {name:<13} {path.stat().st_size // 1024:>6} KB "
                    f"{seconds:>8.2f}  {len(got.targets):>4}/{len(text.targets):<4}  {same}"
                )


if __name__ == "__main__":
    main()
