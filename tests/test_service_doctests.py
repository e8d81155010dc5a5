"""The docstring examples of the service package run (``service/`` is outside ``testpaths``)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "service.app",
    "service.errors",
    "service.links",
    "service.negotiation",
    "service.settings",
    "service.pages.rendering",
    "service.sparql.description",
    "service.sparql.policy",
    "service.sparql.results",
    "service.sparql.sandbox",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
    assert result.attempted > 0
