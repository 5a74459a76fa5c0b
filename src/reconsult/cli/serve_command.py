"""``reconsult serve``: start the web app and say where to open it."""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated

import typer

from reconsult.mode import Mode

if TYPE_CHECKING:
    from reconsult.settings import Settings

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
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes. Server mode on PostgreSQL: one or two per CPU core.",
        ),
    ] = 1,
    mode: Annotated[
        Mode | None,
        typer.Option(
            help="personal: one person, no login, this computer only. server: many people "
            "with accounts, on PostgreSQL (default: RECONSULT_MODE or personal)."
        ),
    ] = None,
) -> None:
    """Start the reconsult web app (personal mode: only this computer can reach it)."""
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if mode is not None:
        overrides["mode"] = mode
    from reconsult.settings import Settings

    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.mode is Mode.server:
        _serve_many(settings, workers)
        return
    if not is_loopback(settings.host):
        typer.echo(
            f"Personal mode only listens on this computer, so nobody else can see your answers. "
            f"Use 127.0.0.1 or localhost instead of {settings.host!r}.",
            err=True,
        )
        raise typer.Exit(2)
    _pass_to_workers(settings)
    typer.echo(f"reconsult is running at {_url(settings)}")
    typer.echo(f"Your answers are kept in {settings.data_dir}. Press Ctrl+C to stop.")
    _run(settings, workers)


def _url(settings: Settings) -> str:
    url_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{url_host}:{settings.port}/"


def _pass_to_workers(settings: Settings) -> None:
    """Settings travel to worker processes through the environment."""
    os.environ["RECONSULT_MODE"] = settings.mode.value
    os.environ["RECONSULT_HOST"] = settings.host
    os.environ["RECONSULT_PORT"] = str(settings.port)


def _serve_many(settings: Settings, workers: int) -> None:
    """Server mode: check the database, migrate it once, then start the workers."""
    # Imported here so that ``reconsult --help`` and ``reconsult assess`` start fast.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from reconsult.storage import open_database

    url = settings.resolved_database_url()
    backend = make_url(url).get_backend_name()
    if backend != "postgresql" and workers > 1:
        typer.echo(
            "Server mode with more than one worker needs PostgreSQL. Set "
            "RECONSULT_DATABASE_URL=postgresql+psycopg://user@host/dbname, or use --workers 1.",
            err=True,
        )
        raise typer.Exit(2)
    try:
        open_database(url).close()  # migrate once, before the workers start
    except (SQLAlchemyError, OSError) as exc:
        typer.echo(f"Could not open the database ({type(exc).__name__}: {exc}).", err=True)
        raise typer.Exit(2) from exc
    _pass_to_workers(settings)
    typer.echo(f"reconsult (server mode, {workers} workers) is listening on {_url(settings)}")
    typer.echo(
        "Put a TLS proxy in front of it (docs/deploy.md). Clinics and staff: "
        "reconsult accounts --help. Press Ctrl+C to stop."
    )
    _run(settings, workers)


def _run(settings: Settings, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "reconsult.web.factory:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="warning",
        access_log=False,  # keep people's page visits out of logs
        server_header=False,
        proxy_headers=settings.mode is Mode.server,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
