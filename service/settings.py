"""The service's settings: typed, read from ``PERFKG_*`` environment variables, checked.

Every field can be set with an environment variable named ``PERFKG_`` + the field name in
capitals (``PERFKG_QUERY_TIMEOUT=5``); lists take JSON or comma-separated values
(``PERFKG_CORS_ORIGINS=https://a.example,https://b.example``). Tests and ``perfkg serve`` pass a
:class:`Settings` object to :func:`service.app.create_app` instead of patching anything.
Validators refuse unsafe or meaningless values, so a server never starts half-configured.

>>> Settings(store="perfkg-data", query_timeout=2).query_timeout
2.0
>>> Settings(admin_token="short")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings
admin_token
  Value error, the admin token must be at least 16 characters ...
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graphbuild.graph import iris
from graphbuild.stores import DEFAULT_STORE_DIR

MIN_TOKEN_LENGTH = 16
_HTTP_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_ORIGIN = re.compile(r"^https?://[^\s/<>\"{}|\\^`]+$")


def _split(value: object) -> object:
    """A comma-separated string (as an environment variable gives it) as a list."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """What ``perfkg serve`` serves and how defensively (see README, "Serving")."""

    model_config = SettingsConfigDict(
        env_prefix="PERFKG_", extra="forbid", frozen=True, hide_input_in_errors=True
    )

    store: Path | None = Field(
        default=None,
        description=f"Store directory (default ./{DEFAULT_STORE_DIR}, as for `perfkg build`).",
    )
    endpoint: str | None = Field(
        default=None, description="A remote SPARQL query endpoint to serve instead of a store."
    )
    update_endpoint: str | None = Field(
        default=None,
        description="The remote server's update endpoint (default: /update beside the endpoint).",
    )
    graph_store_endpoint: str | None = Field(
        default=None,
        description="The remote server's Graph Store endpoint (default: /store beside the endpoint).",
    )
    base: str = Field(default=iris.DEFAULT_BASE, description="Base IRI of the data.")
    host: str = Field(default="127.0.0.1", description="Address to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port to listen on.")
    query_timeout: float = Field(
        default=10.0, description="Seconds a query (or update) may run before it is stopped."
    )
    max_rows: int = Field(
        default=10_000, ge=1, description="Rows (SELECT) or triples (CONSTRUCT) per answer."
    )
    max_request_bytes: int = Field(
        default=1 << 20, ge=1024, description="Largest request body or query string, in bytes."
    )
    max_concurrent_queries: int = Field(
        default=4, ge=1, le=64, description="Queries run at once (worker processes)."
    )
    max_queued_queries: int = Field(
        default=16, ge=0, le=1024, description="Queries that may wait for a worker before 503."
    )
    admin_token: SecretStr | None = Field(
        default=None, description="Bearer token that allows SPARQL updates (none: read-only)."
    )
    service_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Endpoint IRIs that SERVICE and LOAD may reach (* for any; empty: none, and query workers run without network access).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS (empty: CORS off)."
    )
    license: str | None = Field(
        default=None,
        description="URL of the data's licence, shown on /about and each document page and in VoID (none: 'not stated').",
    )
    license_name: str | None = Field(
        default=None, description="Name of the data's licence (e.g. CC BY 4.0)."
    )
    source_note: str | None = Field(
        default=None,
        description="Where the documents come from (e.g. the publishing portals), shown on /about.",
    )
    reload_seconds: float = Field(
        default=2.0,
        ge=0,
        le=3600,
        description="How often to look for a build's newly published store (0: never).",
    )

    @field_validator("license")
    @classmethod
    def _license_is_http(cls, value: str | None) -> str | None:
        if value and not _HTTP_IRI.match(value):
            raise ValueError(f"{value!r} is not an http(s) URL of a licence")
        return value or None

    @field_validator("endpoint", "update_endpoint", "graph_store_endpoint")
    @classmethod
    def _endpoint_is_http(cls, value: str | None) -> str | None:
        if value is not None and not _HTTP_IRI.match(value):
            raise ValueError(f"{value!r} is not an http(s) URL of a SPARQL endpoint")
        return value or None

    @field_validator("base")
    @classmethod
    def _base_is_absolute(cls, value: str) -> str:
        return iris.resolve_base(value)

    @field_validator("query_timeout")
    @classmethod
    def _timeout_is_positive(cls, value: float) -> float:
        if not 0 < value <= 3600:
            raise ValueError("the query timeout must be more than 0 and at most 3600 seconds")
        return value

    @field_validator("admin_token", mode="before")
    @classmethod
    def _token_is_long(cls, value: object) -> object:
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if text is None or text == "":
            return None
        if (
            not isinstance(text, str)
            or len(text.strip()) < MIN_TOKEN_LENGTH
            or text != text.strip()
        ):
            raise ValueError(
                f"the admin token must be at least {MIN_TOKEN_LENGTH} characters without "
                "surrounding spaces (e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)"
            )
        return text

    @field_validator("service_allowlist", mode="before")
    @classmethod
    def _split_allowlist(cls, value: object) -> object:
        return _split(value)

    @field_validator("service_allowlist")
    @classmethod
    def _allowlist_is_iris(cls, value: list[str]) -> list[str]:
        for iri in value:
            if iri != "*" and not _HTTP_IRI.match(iri):
                raise ValueError(f"{iri!r} is not an http(s) endpoint IRI (or * for any)")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return _split(value)

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, value: list[str]) -> list[str]:
        origins = [origin.rstrip("/") for origin in value]
        for origin in origins:
            if origin != "*" and not _ORIGIN.match(origin):
                raise ValueError(
                    f"{origin!r} is not an origin; write scheme://host[:port] (no path) or *"
                )
        return origins

    @model_validator(mode="after")
    def _one_source(self) -> Settings:
        if self.store is not None and self.endpoint is not None:
            raise ValueError("choose a store directory or an endpoint, not both")
        return self

    @property
    def store_dir(self) -> Path | None:
        """The store directory to serve, or None when serving a remote endpoint."""
        if self.endpoint is not None:
            return None
        return self.store if self.store is not None else Path(DEFAULT_STORE_DIR)

    @property
    def updates_enabled(self) -> bool:
        """Whether SPARQL updates are accepted at all (an admin token is configured)."""
        return self.admin_token is not None
