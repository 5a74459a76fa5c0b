"""Procedure guide pages generated from the knowledge base."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
