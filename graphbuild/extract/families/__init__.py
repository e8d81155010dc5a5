"""One parser per document family: the tables each family prints and how to read them.

``PARSERS`` maps a family (as :func:`graphbuild.extract.detect.detect_family` names it) to the
function that fills a :class:`~graphbuild.extract.parts.DocumentParts` from the document's lines.
"""

from __future__ import annotations

from collections.abc import Callable

from graphbuild.extract.families import final_accounts, henan, shanxi
from graphbuild.extract.parts import DocumentParts
from graphbuild.extract.read import Line

PARSERS: dict[str, Callable[[list[Line], DocumentParts], None]] = {
    "shanxi_budget": shanxi.parse,
    "henan_budget": henan.parse,
    "final_accounts": final_accounts.parse,
}
