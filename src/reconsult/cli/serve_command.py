"""``reconsult serve``: start the web app and say where to open it."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from reconsult.mode import Mode

if TYPE_CHECKING:
    from pydantic import ValidationError

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
    from pydantic import ValidationError

    from reconsult.i18n import gettext as _
    from reconsult.settings import Settings

    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        typer.echo(settings_problem(exc), err=True)
        raise typer.Exit(2) from exc
    if settings.mode is Mode.server:
        _serve_many(settings, workers)
        return
    if not is_loopback(settings.host):
        typer.echo(
            _(
                "Personal mode only listens on this computer, so nobody else can see your "
                "answers. Use 127.0.0.1 or localhost instead of %(host)s."
            )
            % {"host": repr(settings.host)},
            err=True,
        )
        raise typer.Exit(2)
    _check_port(settings)
    _pass_to_workers(settings)
    typer.echo(_("reconsult is running at %(url)s") % {"url": _url(settings)})
    typer.echo(
        _("Your answers are kept in %(folder)s. Press Ctrl+C to stop.")
        % {"folder": settings.data_dir}
    )
    _run(settings, workers)


def settings_problem(exc: ValidationError) -> str:
    """Say plainly which ``RECONSULT_*`` setting is wrong, one line each, without a traceback."""
    lines = []
    for error in exc.errors():
        name = "RECONSULT_" + "_".join(str(part) for part in error["loc"]).upper()
        problem = error.get("ctx", {}).get("error")
        said = str(problem) if isinstance(problem, ValueError) else f"{error['msg']}."
        lines.append(said if said.startswith(name) else f"{name}: {said}")
    return "\n".join(lines)


def _url(settings: Settings) -> str:
    return _address(settings.host, settings.port)


def _address(host: str, port: int) -> str:
    url_host = f"[{host}]" if ":" in host else host
    return f"http://{url_host}:{port}/"


def port_problem(host: str, port: int) -> str | None:
    """Return why the web app could not listen on ``host`` and ``port``, or None if it can.

    Binds a socket and lets it go, the way uvicorn binds (same address family,
    SO_REUSEADDR), so a port another program holds is found before we say the
    app is running: uvicorn itself would log the error and exit with status 3.
    """
    from reconsult.i18n import gettext as _

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            other = 8000 if port != 8000 else 8001
            facts = {"port": port, "url": _address(host, port), "other": other, "host": host}
            if exc.errno == errno.EADDRINUSE:
                return (
                    _(
                        "Port %(port)d is already in use. If reconsult is already running, "
                        "open %(url)s in your browser. Or choose another port with --port, "
                        "for example: reconsult serve --port %(other)d"
                    )
                    % facts
                )
            if exc.errno == errno.EACCES:
                return (
                    _(
                        "You do not have permission to use port %(port)d. Choose another port "
                        "with --port, for example: reconsult serve --port %(other)d"
                    )
                    % facts
                )
            return _(
                "reconsult cannot listen on %(host)s, port %(port)d: %(reason)s. "
                "Check the address (--host) and the port (--port)."
            ) % (facts | {"reason": exc.strerror or exc})
    return None


def _check_port(settings: Settings) -> None:
    """Stop with a plain message if the app could not listen where it is asked to."""
    problem = port_problem(settings.host, settings.port)
    if problem is not None:
        typer.echo(problem, err=True)
        raise typer.Exit(2)


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

    from reconsult.i18n import gettext as _
    from reconsult.storage import open_database

    url = settings.resolved_database_url()
    backend = make_url(url).get_backend_name()
    if backend != "postgresql" and workers > 1:
        typer.echo(
            _(
                "Server mode with more than one worker needs PostgreSQL. Set "
                "RECONSULT_DATABASE_URL=postgresql+psycopg://user@host/dbname, "
                "or use --workers 1."
            ),
            err=True,
        )
        raise typer.Exit(2)
    _check_port(settings)
    try:
        open_database(url).close()  # migrate once, before the workers start
    except (SQLAlchemyError, OSError) as exc:
        typer.echo(
            _("Could not open the database (%(problem)s).")
            % {"problem": f"{type(exc).__name__}: {exc}"},
            err=True,
        )
        raise typer.Exit(2) from exc
    _pass_to_workers(settings)
    if not settings.forwarded_allow_ips and is_loopback(settings.host):
        typer.echo(
            _(
                "No proxy named in RECONSULT_FORWARDED_ALLOW_IPS: every request will count as "
                "coming from the proxy's own address, so everyone shares one address's sign-in "
                "and sign-up limits. Set it to the proxy's address, e.g. 127.0.0.1 "
                "(docs/deploy.md)."
            ),
            err=True,
        )
    typer.echo(
        _("reconsult (server mode, %(workers)d workers) is listening on %(url)s")
        % {"workers": workers, "url": _url(settings)}
    )
    typer.echo(
        _(
            "Put a TLS proxy in front of it (docs/deploy.md). Clinics and staff: "
            "reconsult accounts --help. Press Ctrl+C to stop."
        )
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
        # The app applies X-Forwarded-* itself, from RECONSULT_FORWARDED_ALLOW_IPS, so a
        # direct uvicorn start behaves the same; uvicorn's own would trust 127.0.0.1.
        proxy_headers=False,
    )
