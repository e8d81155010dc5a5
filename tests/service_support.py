"""Helpers shared by the tests of the SPARQL service (``tests/test_service_*.py``).

``served_store`` is a session fixture: one Oxigraph store directory built from the samples,
opened read-only by every app the tests create. Import it into a test module with
``from tests.service_support import served_store  # noqa: F401``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graphbuild.graph.build import build
from graphbuild.stores.oxigraph import OxigraphStore
from service.app import create_app
from service.settings import Settings

if TYPE_CHECKING:
    from starlette.testclient import TestClient

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
BASE = "http://data.example.org/kg/"
PK = "https://w3id.org/perfkg/ontology#"


def build_store(path: Path, base: str = BASE) -> Path:
    """Build the samples' graph into a new store directory ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with OxigraphStore(path) as store:
        report = build([SAMPLES], store, base=base)
        assert not report.failed, report.failed
    return path


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples' store, built once per session; apps open it read-only.

    Each test module imports this fixture (so pytest sees one definition per module); the
    store lives at a fixed place under the session's temporary folder and is built only once.
    """
    path = tmp_path_factory.getbasetemp() / "service-store" / "store"
    if not (path / "CURRENT").is_file():
        build_store(path)
    return path


def _client_class() -> type[TestClient]:
    """Starlette's TestClient (its import warns that it prefers httpx2, which we do not use)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient

    return TestClient


@contextmanager
def client_for(settings: Settings) -> Iterator[TestClient]:
    """An in-process client for a new app, through its lifespan (workers start and stop)."""
    with _client_class()(create_app(settings)) as client:
        yield client


def settings_for(store: Path | None, **overrides: object) -> Settings:
    """Test settings: the store, the test base, two workers, plus ``overrides``."""
    values: dict[str, object] = {"store": store, "base": BASE, "max_concurrent_queries": 2}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
