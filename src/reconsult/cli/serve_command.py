"""``reconsult serve``: start the web app and say where to open it."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from reconsult.settings import Mode, Settings

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """Return True if ``host`` is reachable only from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on (default: RECONSULT_HOST or 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on (default: RECONSULT_PORT or 8000)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (more than 1 for load tests).")
    ] = 1,
) -> None:
    """Start the reconsult web app (personal mode: only this computer can reach it)."""
    import uvicorn

    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.mode is Mode.server:
        typer.echo(
            "Server mode (accounts, many people) is not available yet. "
            "Unset RECONSULT_MODE to run in personal mode.",
            err=True,
        )
        raise typer.Exit(2)
    if not is_loopback(settings.host):
        typer.echo(
            f"Personal mode only listens on this computer, so nobody else can see your answers. "
            f"Use 127.0.0.1 or localhost instead of {settings.host!r}.",
            err=True,
        )
        raise typer.Exit(2)
    # Settings travel to worker processes through the environment.
    os.environ["RECONSULT_HOST"] = settings.host
    os.environ["RECONSULT_PORT"] = str(settings.port)
    url_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    typer.echo(f"reconsult is running at http://{url_host}:{settings.port}/")
    typer.echo(f"Your answers are kept in {settings.data_dir}. Press Ctrl+C to stop.")
    uvicorn.run(
        "reconsult.web.factory:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="warning",
        access_log=False,  # keep people's page visits out of logs
        server_header=False,
    )
