"""The app factory for ``uvicorn --factory``: settings from the environment."""

from __future__ import annotations

from fastapi import FastAPI

from reconsult.web.app import create_app


def app_from_environment() -> FastAPI:
    """Create the app from ``RECONSULT_*`` environment variables (one call per worker)."""
    return create_app()
