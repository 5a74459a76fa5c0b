"""One settings object for the whole app, read from ``RECONSULT_*`` environment variables.

Every field carries a description; ``reconsult serve --help`` and the README's
settings table are checked against it by a test, so none goes undocumented.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reconsult.mode import Mode

__all__ = ["Mode", "Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """Return the user's data directory for reconsult (XDG on Linux, the OS default elsewhere)."""
    base = os.environ.get("XDG_DATA_HOME")
    if base:
        return Path(base) / "reconsult"
    if os.name == "nt":  # pragma: no cover - Windows
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "reconsult"
    return Path.home() / ".local" / "share" / "reconsult"


class Settings(BaseSettings):
    """How reconsult runs. Set any field with ``RECONSULT_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="RECONSULT_", extra="forbid", frozen=True)

    mode: Mode = Field(
        default=Mode.personal,
        description="personal: one person, no login, binds to this machine only. "
        "server: many people with accounts, on PostgreSQL, behind a TLS proxy "
        "(see docs/deploy.md).",
    )
    host: str = Field(
        default="127.0.0.1",
        description="Address the web app listens on. Keep 127.0.0.1 in personal mode so "
        "nobody else on the network can reach your answers.",
    )
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web app listens on.")
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for reconsult's own database and files. "
        "Default: ~/.local/share/reconsult.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy database URL. Default: an SQLite file in data_dir. "
        "For PostgreSQL: postgresql+psycopg://user@host/dbname.",
    )
    draft_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 30,
        description="How long unfinished answers to the guided questions are kept before "
        "they are deleted.",
    )

    region: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="Two-letter country code (US, GB, IE...) whose emergency number and "
        "crisis line are shown first. Default: the region of the browser's language "
        "(en-GB: the UK's 999 first).",
    )

    public_hosts: str = Field(
        default="",
        description="Server mode: the host names people use to reach the service, comma "
        "separated (for example care.example.org). Requests for any other name are refused.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Server mode: the proxy addresses trusted to say the client's address "
        "and scheme (X-Forwarded-For, X-Forwarded-Proto), comma separated; networks like "
        "10.0.0.0/8 are allowed; * trusts anyone and is only for a port nothing else can "
        "reach. Default none: the connecting address is the client.",
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """Refuse a typo now: uvicorn would silently never match a name that is not an address."""
        items = [item.strip() for item in value.split(",") if item.strip()]
        if items == ["*"]:
            return "*"
        for item in items:
            try:
                ipaddress.ip_network(item)  # an address is a network of one
            except ValueError:
                raise ValueError(
                    f"RECONSULT_FORWARDED_ALLOW_IPS: {item!r} is not an IP address or network, "
                    "e.g. 127.0.0.1 or 10.0.0.0/8 (or * on its own)"
                ) from None
        return ",".join(items)

    session_days: int = Field(
        default=7,
        ge=1,
        le=90,
        description="Server mode: days a browser stays signed in after it was last used.",
    )
    limit_sign_in: int = Field(
        default=10,
        ge=1,
        description="Server mode: wrong passwords allowed per 15 minutes from one network "
        "address (an IPv6 /64 counts as one), over all accounts; a right password never counts.",
    )
    limit_sign_in_account: int = Field(
        default=100,
        ge=1,
        description="Server mode: wrong passwords allowed per hour on one account from browsers "
        "that have not signed in to it before; after that only those that have may try, until "
        "the hour has passed (OWASP ASVS 4.0 V2.2.1: at most 100).",
    )
    sign_in_delay: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="Server mode: seconds a network address waits before trying an account "
        "again once it has had 5 wrong passwords in the hour; doubles with each further wrong "
        "password, up to 5 minutes. 0: no wait.",
    )
    limit_sign_up: int = Field(
        default=10,
        ge=1,
        description="Server mode with open sign-up: tries on the sign-up page per hour from one "
        "network address, and three times as many from its network (an IPv4 /24, an IPv6 /48).",
    )
    open_sign_up: bool = Field(
        default=False,
        description="Server mode: let anyone make an account on the sign-up page. Off: accounts "
        "are made only through one-time invitation links from `reconsult accounts invite`, so "
        "the sign-up page cannot be used to learn whether an email address has an account.",
    )
    limit_assessments: int = Field(
        default=120,
        ge=1,
        description="Server mode: assessments per hour from one network address or account.",
    )
    limit_uploads: int = Field(
        default=60,
        ge=1,
        description="Server mode: photo and case file uploads per hour per account.",
    )

    def session_idle(self) -> dt.timedelta:
        """How long a signed-in session lasts without use (``session_days``)."""
        return dt.timedelta(days=self.session_days)

    def host_names(self) -> frozenset[str]:
        """Return the host names the server answers to: this computer's, and public_hosts."""
        names = {"127.0.0.1", "localhost", "[::1]", self.host.lower()}
        names.update(h.strip().lower() for h in self.public_hosts.split(",") if h.strip())
        return frozenset(names)

    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to an SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'reconsult.sqlite3'}"
