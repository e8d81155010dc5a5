"""schemathesis against the app's OpenAPI schema: generated requests never get a 5xx.

Few examples per operation keep it fast; the point is that malformed input of every kind
(odd parameters, bodies, media types) is answered with a 4xx in the one error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from service.app import create_app
from tests.service_support import served_store, settings_for  # noqa: F401


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx: schemathesis.SerializationContext, value: Any) -> dict[str, Any]:
    return {"data": value if isinstance(value, bytes) else str(value).encode("utf-8")}


@pytest.fixture(scope="module")
def api_schema(served_store: Path) -> Iterator[schemathesis.BaseSchema]:  # noqa: F811
    app = create_app(settings_for(served_store, max_concurrent_queries=1, query_timeout=5))
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    asgi.shutdown_lifespans()  # stops the app's query workers


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(api_schema: schemathesis.BaseSchema, mode: GenerationMode) -> None:
    """Every operation, valid and invalid requests (schemathesis' pytest loader is not used:
    its fixture support breaks on pytest 9)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/sparql"}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        try:
            check()
        except Unsatisfiable:
            # an operation without inputs has no invalid form
            assert mode is GenerationMode.NEGATIVE, operation.label
