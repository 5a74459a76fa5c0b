"""Repository for journey drafts: create, read, save and delete a person's unfinished answers."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import delete

from reconsult.storage.database import Database
from reconsult.storage.models import Draft

__all__ = ["create_draft", "delete_draft", "load_draft", "purge_expired", "save_draft"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_draft(db: Database, answers: dict[str, Any]) -> str:
    """Store new answers under a fresh unguessable id and return the id."""
    draft_id = secrets.token_urlsafe(32)
    now = _now()
    with db.session() as session:
        session.add(Draft(id=draft_id, answers=answers, created_at=now, updated_at=now))
    return draft_id


def load_draft(db: Database, draft_id: str, max_age: dt.timedelta) -> dict[str, Any] | None:
    """Return the answers for ``draft_id``, or None if there are none or they expired."""
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            return None
        updated = draft.updated_at
        if updated.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
            updated = updated.replace(tzinfo=dt.UTC)
        if _now() - updated > max_age:
            session.delete(draft)
            return None
        return dict(draft.answers)


def save_draft(db: Database, draft_id: str, answers: dict[str, Any]) -> bool:
    """Replace the answers of an existing draft; return False if it no longer exists."""
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            return False
        draft.answers = answers
        draft.updated_at = _now()
    return True


def delete_draft(db: Database, draft_id: str) -> None:
    """Delete a draft (the person chose to start again or clear their answers)."""
    with db.session() as session:
        session.execute(delete(Draft).where(Draft.id == draft_id))


def purge_expired(db: Database, max_age: dt.timedelta) -> int:
    """Delete every draft untouched for longer than ``max_age``; return how many."""
    cutoff = _now() - max_age
    with db.session() as session:
        result = session.execute(delete(Draft).where(Draft.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
