"""Full downloads of the dataset at ``/dumps`` (Turtle, TriG, N-Quads, JSON-LD), streamed."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
