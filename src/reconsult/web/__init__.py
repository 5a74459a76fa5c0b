"""The web app: guided assessment pages, procedure guides and the JSON API."""

from __future__ import annotations

from reconsult.web.app import create_app

__all__ = ["create_app"]
