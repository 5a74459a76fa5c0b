"""The database tables, as SQLAlchemy 2 declarative models."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "Draft"]


class Base(DeclarativeBase):
    """Base class of every table."""


class Draft(Base):
    """Answers to the guided questions, kept between pages until the person finishes.

    The id is a random token held only in the person's cookie; drafts expire
    (``Settings.draft_hours``) so unfinished health details do not linger.
    """

    __tablename__ = "journey_drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[dict[str, object]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
