"""Linked-data pages: every entity IRI under the configured base dereferences at ``/id/...``."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
