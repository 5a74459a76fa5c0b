"""``reconsult accounts ...``: clinics, staff, reset links and sign-outs, for whoever runs a server.

Thin: each command opens the database from the settings (``RECONSULT_DATABASE_URL``,
or the SQLite file in the data folder), calls one function of
:mod:`reconsult.accounts` and prints what happened. Bad input (an unknown
clinic or email address, a bad link address) is one plain line and exit
status 2; nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reconsult.cli.groups import CommandGroup

if TYPE_CHECKING:
    from reconsult.accounts.sign_in import Pressure
    from reconsult.storage import Database

accounts_app = typer.Typer(
    help=(
        "Server mode: set up clinics and their staff, invite someone to make an account, send "
        "someone a link to choose a new password, sign an account out everywhere, and list the "
        "accounts."
    ),
    no_args_is_help=True,
    cls=CommandGroup,
)
clinic_app = typer.Typer(
    help="Add and list the clinics people can share their case with.",
    no_args_is_help=True,
    cls=CommandGroup,
)
staff_app = typer.Typer(
    help="Put an account on a clinic's staff, or take it off.",
    no_args_is_help=True,
    cls=CommandGroup,
)
accounts_app.add_typer(clinic_app, name="clinic")
accounts_app.add_typer(staff_app, name="staff")

ClinicName = Annotated[
    str,
    typer.Argument(help="The clinic's name, as given to `clinic add`.", show_default=False),
]
Email = Annotated[
    str,
    typer.Argument(help="The email address the person signed up with.", show_default=False),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the list as JSON, for scripts.")]


def _database() -> Database:
    from reconsult.settings import Settings
    from reconsult.storage import open_database

    return open_database(Settings().resolved_database_url())


def _fail(message: str) -> typer.Exit:
    typer.echo(f"reconsult: {message}", err=True)
    return typer.Exit(2)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _quoted(text: str) -> str:
    """``text`` in double quotes for a shell, so a name like St Mary's can be pasted back."""
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


# --- clinics ---------------------------------------------------------------------------


@clinic_app.command("add")
def clinic_add_command(
    name: Annotated[
        str,
        typer.Argument(help="The clinic's name, as people will see it (1 to 200 characters)."),
    ],
) -> None:
    """Add a clinic that people can share their case with."""
    from reconsult.accounts.access import create_clinic
    from reconsult.accounts.users import AccountError

    db = _database()
    try:
        clinic = create_clinic(db, name, now=_now())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.close()
    typer.echo(f"Added the clinic {clinic.name!r}.")
    typer.echo(
        f"Put its staff on it with: reconsult accounts staff add {_quoted(clinic.name)} EMAIL"
    )


@clinic_app.command("list")
def clinic_list_command(as_json: AsJson = False) -> None:
    """List the clinics by name, with the email addresses of their staff."""
    from reconsult.accounts.access import list_clinics

    db = _database()
    try:
        clinics = list_clinics(db)
    finally:
        db.close()
    if as_json:
        typer.echo(_json([{"name": c.name, "staff": list(c.staff)} for c in clinics]))
        return
    if not clinics:
        typer.echo("There are no clinics yet. Add one with: reconsult accounts clinic add NAME")
        return
    for clinic in clinics:
        staff = ", ".join(clinic.staff) if clinic.staff else "no staff yet"
        typer.echo(f"{clinic.name}: {staff}")


# --- staff -----------------------------------------------------------------------------


@staff_app.command("add")
def staff_add_command(clinic: ClinicName, email: Email) -> None:
    """Put an account on a clinic's staff: they then see the cases shared with that clinic."""
    from reconsult.accounts.access import add_staff
    from reconsult.accounts.users import AccountError, normalise_email

    db = _database()
    try:
        add_staff(db, clinic, email, now=_now())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.close()
    typer.echo(
        f"{normalise_email(email)} is now on the staff of {' '.join(clinic.split())}. "
        "They see the cases shared with it from the next page they open."
    )


@staff_app.command("remove")
def staff_remove_command(clinic: ClinicName, email: Email) -> None:
    """Take an account off a clinic's staff: they stop seeing its shared cases at once."""
    from reconsult.accounts.access import remove_staff
    from reconsult.accounts.users import AccountError, normalise_email

    db = _database()
    try:
        removed = remove_staff(db, clinic, email)
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.close()
    name = " ".join(clinic.split())
    if not removed:
        raise _fail(f"{normalise_email(email)} is not on the staff of {name}. Nothing changed.")
    typer.echo(
        f"{normalise_email(email)} is no longer on the staff of {name}. "
        "They can no longer see the cases shared with it."
    )


# --- one account -----------------------------------------------------------------------


def _base_url(given: str | None) -> str:
    """The address people reach the service at: --base-url, or the first public host."""
    from urllib.parse import urlsplit

    from reconsult.settings import Settings

    if given is None:
        hosts = [h.strip() for h in Settings().public_hosts.split(",") if h.strip()]
        if not hosts:
            raise _fail(
                "say where people reach the service: --base-url https://care.example.org "
                "(or set RECONSULT_PUBLIC_HOSTS)"
            )
        given = f"https://{hosts[0]}"
    parts = urlsplit(given.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise _fail(f"--base-url must look like https://care.example.org, not {given!r}")
    return given.strip().rstrip("/")


@accounts_app.command("reset-link")
def reset_link_command(
    email: Email,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The address people reach the service at, e.g. https://care.example.org. "
            "Default: https:// and the first of RECONSULT_PUBLIC_HOSTS.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Make a one-time link for someone to choose a new password, and print it."""
    from urllib.parse import urlencode

    from reconsult.accounts.users import (
        RESET_LINK_HOURS,
        AccountError,
        new_reset_link_token,
        normalise_email,
    )

    base = _base_url(base_url)
    now = _now()
    db = _database()
    try:
        token = new_reset_link_token(db, email, now=now)
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.close()
    until = now + dt.timedelta(hours=RESET_LINK_HOURS)
    typer.echo(f"{base}/account/reset?{urlencode({'token': token})}")
    typer.echo(
        f"The link works once, for {_plural(RESET_LINK_HOURS, 'hour')} "
        f"(until {until:%Y-%m-%d %H:%M} UTC). Send it to {normalise_email(email)} privately, "
        "not in a shared chat or ticket: whoever has it can choose the password."
    )
    typer.echo("When it is used, the account is signed out everywhere.")


@accounts_app.command("invite")
def invite_command(
    email: Annotated[
        str,
        typer.Argument(help="The email address the account will have.", show_default=False),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The address people reach the service at, e.g. https://care.example.org. "
            "Default: https:// and the first of RECONSULT_PUBLIC_HOSTS.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Make a one-time link for someone to make an account, and print it."""
    from urllib.parse import urlencode

    from reconsult.accounts.invitations import (
        INVITATION_DAYS,
        AlreadyHasAccount,
        new_invitation_token,
    )
    from reconsult.accounts.users import AccountError, normalise_email

    base = _base_url(base_url)
    now = _now()
    db = _database()
    try:
        token = new_invitation_token(db, email, now=now)
    except AlreadyHasAccount as exc:
        raise _fail(
            f"{normalise_email(email)} already has an account. If they forgot the password, "
            f"send a reset link: reconsult accounts reset-link {normalise_email(email)}"
        ) from exc
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    finally:
        db.close()
    until = now + dt.timedelta(days=INVITATION_DAYS)
    typer.echo(f"{base}/account/sign-up?{urlencode({'invite': token})}")
    typer.echo(
        f"The link works once, for {_plural(INVITATION_DAYS, 'day')} "
        f"(until {until:%Y-%m-%d %H:%M} UTC), and only makes an account for "
        f"{normalise_email(email)}. Send it to them privately, not in a shared chat or ticket."
    )


@accounts_app.command("sign-out")
def sign_out_command(email: Email) -> None:
    """Sign an account out of every browser at once (for a lost phone or a shared computer).

    Every browser it signed in on before stops being trusted too, so a lost
    phone is held to the same sign-in limits as a stranger's.
    """
    from reconsult.accounts.sessions import end_all_sessions
    from reconsult.accounts.sign_in import forget_devices
    from reconsult.accounts.users import find_user, normalise_email

    db = _database()
    try:
        user = find_user(db, email)
        if user is None:
            raise _fail(f"there is no account with the email address {normalise_email(email)}")
        ended = end_all_sessions(db, user.id)
        forgotten = forget_devices(db, user.id)
    finally:
        db.close()
    if ended == 0 and forgotten == 0:
        typer.echo(f"{user.email} was not signed in anywhere. Nothing changed.")
    else:
        typer.echo(f"Signed {user.email} out of {_plural(ended, 'browser')}.")


@accounts_app.command("list")
def list_command(as_json: AsJson = False) -> None:
    """List the accounts: email address, when made, cases owned, clinics, recent wrong passwords.

    An account with wrong passwords in the last hour is marked with "!": how
    many, from how many network addresses, and until when browsers that never
    signed in to it are refused (someone may be guessing its password).
    """
    from reconsult.accounts.directory import list_accounts
    from reconsult.accounts.sign_in import SignInLimits
    from reconsult.settings import Settings

    limits = SignInLimits.from_settings(Settings())
    db = _database()
    try:
        accounts = list_accounts(db, limits, now=_now())
    finally:
        db.close()
    if as_json:
        typer.echo(
            _json(
                [
                    {
                        "email": a.email,
                        "created": a.created_at.date().isoformat(),
                        "cases": a.cases,
                        "clinics": list(a.clinics),
                        "wrong_passwords_last_hour": _pressure_json(a.wrong_passwords),
                    }
                    for a in accounts
                ]
            )
        )
        return
    if not accounts:
        typer.echo(
            "There are no accounts yet. Invite someone with: reconsult accounts invite EMAIL"
        )
        return
    for a in accounts:
        clinics = f"; staff of {', '.join(a.clinics)}" if a.clinics else ""
        typer.echo(
            f"{a.email}  (since {a.created_at:%Y-%m-%d}; {_plural(a.cases, 'case')}{clinics})"
        )
        if a.wrong_passwords is not None:
            typer.echo(f"  ! {_pressure_text(a.wrong_passwords)}")


def _pressure_text(p: Pressure) -> str:
    """One line on an account's recent wrong passwords."""
    line = (
        f"{_plural(p.failures, 'wrong password')} in the last hour from "
        f"{_plural(p.sources, 'network address', 'network addresses')}, "
        f"the last at {p.last_at:%H:%M} UTC"
    )
    if p.new_browsers_refused_until is not None:
        line += (
            f"; browsers that never signed in to it are refused until "
            f"{p.new_browsers_refused_until:%H:%M} UTC"
        )
    return line + "."


def _pressure_json(p: Pressure | None) -> dict[str, Any] | None:
    if p is None:
        return None
    until = p.new_browsers_refused_until
    return {
        "count": p.failures,
        "network_addresses": p.sources,
        "last": p.last_at.isoformat(),
        "new_browsers_refused_until": until.isoformat() if until else None,
    }
