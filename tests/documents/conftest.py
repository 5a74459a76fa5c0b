"""Fixtures for the document tests."""

from __future__ import annotations

import socket
from typing import Any

import pytest


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and block) every attempt to resolve a name or open a connection."""
    calls: list[Any] = []

    def blocked(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise AssertionError(f"network call: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket.socket, "connect", blocked)
    return calls
