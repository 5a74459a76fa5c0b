"""Who the app serves, in a module of its own so the command line can name it cheaply.

``reconsult.settings`` (pydantic-settings) re-exports it; importing this module
alone costs nothing, so ``reconsult --help`` stays fast.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Mode"]


class Mode(StrEnum):
    """Who the app serves: one person on their own machine, or many behind a server."""

    personal = "personal"
    server = "server"
