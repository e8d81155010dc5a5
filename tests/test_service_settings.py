"""The service's settings: environment variables, defaults, refusals, documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from graphbuild.graph import iris
from service.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.store_dir == Path("perfkg-data") or settings.store is not None
    assert settings.base.endswith("/")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.query_timeout == 10 and settings.max_rows == 10_000
    assert settings.max_request_bytes == 1 << 20 and settings.max_concurrent_queries == 4
    assert settings.admin_token is None and not settings.updates_enabled
    assert settings.service_allowlist == [] and settings.cors_origins == []


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFKG_STORE", "/srv/kg")
    monkeypatch.setenv("PERFKG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("PERFKG_SERVICE_ALLOWLIST", "https://a.example/sparql, https://b.example/q")
    monkeypatch.setenv("PERFKG_CORS_ORIGINS", '["https://ui.example.org/"]')
    monkeypatch.setenv("PERFKG_ADMIN_TOKEN", "0123456789abcdef")
    monkeypatch.setenv("PERFKG_BASE", "http://data.example.org/kg")
    settings = Settings()
    assert settings.store_dir == Path("/srv/kg")
    assert settings.query_timeout == 2.5
    assert settings.service_allowlist == ["https://a.example/sparql", "https://b.example/q"]
    assert settings.cors_origins == ["https://ui.example.org"]
    assert settings.updates_enabled and "0123" not in repr(settings)
    assert settings.base == "http://data.example.org/kg/"
    assert Settings(store=None, endpoint="http://127.0.0.1:7878/query").store_dir is None


@pytest.mark.parametrize(
    "values",
    [
        {"query_timeout": 0},
        {"query_timeout": -1},
        {"max_rows": 0},
        {"max_request_bytes": 10},
        {"max_concurrent_queries": 0},
        {"port": 70000},
        {"admin_token": "too-short"},
        {"admin_token": " padded-token-with-spaces "},
        {"store": "/a", "endpoint": "http://127.0.0.1:7878/query"},
        {"endpoint": "file:///etc/passwd"},
        {"base": "not an iri"},
        {"service_allowlist": ["ftp://x"]},
        {"cors_origins": ["https://ui.example.org/path"]},
        {"unknown_setting": 1},
    ],
)
def test_unsafe_or_meaningless_values_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**values)  # type: ignore[arg-type]


def test_a_refused_token_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(admin_token="secret-short")  # type: ignore[arg-type]
    assert "secret-short" not in str(raised.value)


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Serving") :]
    documented = set(re.findall(r"`PERFKG_([A-Z_]+)`", section))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_default_base_is_the_iri_modules() -> None:
    assert Settings.model_fields["base"].default == iris.DEFAULT_BASE
