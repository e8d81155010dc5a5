"""The docstring examples of the service package run (``service/`` is outside ``testpaths``)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "service.app",
    "service.description",
    "service.errors",
    "service.negotiation",
    "service.query_policy",
    "service.sandbox",
    "service.results",
    "service.settings",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
    assert result.attempted > 0
