"""The guided assessment: one question per page, check your answers, the result."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
