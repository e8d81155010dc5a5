"""The HTML front end: the home page with statistics and the YASGUI query page."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
