from __future__ import annotations

from pathlib import Path

import pytest

from graphbuild.extract import extract_file
from graphbuild.records import Extraction

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.fixture(scope="session")
def samples() -> dict[str, Extraction]:
    """Every bundled sample document, extracted once for the session (read-only)."""
    return {path.name: extract_file(path) for path in sorted(SAMPLES.glob("*.txt"))}
