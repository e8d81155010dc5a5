"""The VoID and DCAT self-description of the dataset at ``/.well-known/void``."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
