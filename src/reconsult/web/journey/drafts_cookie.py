"""Keep a person's unfinished answers between pages: a random id in a cookie, answers in the DB."""

from __future__ import annotations

import datetime as dt

from fastapi import Request, Response

from reconsult.storage import drafts
from reconsult.web.journey.steps import Answers

__all__ = ["COOKIE", "clear_answers", "load_answers", "save_answers"]

COOKIE = "reconsult_draft"


def _max_age(request: Request) -> dt.timedelta:
    return dt.timedelta(hours=request.app.state.reconsult.settings.draft_hours)


def load_answers(request: Request) -> Answers:
    """Return the answers saved for this browser, or empty answers."""
    draft_id = request.cookies.get(COOKIE)
    if not draft_id:
        return Answers()
    data = drafts.load_draft(request.app.state.reconsult.database, draft_id, _max_age(request))
    return Answers.model_validate(data) if data is not None else Answers()


def save_answers(request: Request, response: Response, answers: Answers) -> None:
    """Save the answers under this browser's draft, creating one (and its cookie) if needed."""
    db = request.app.state.reconsult.database
    data = answers.model_dump(mode="json")
    draft_id = request.cookies.get(COOKIE)
    if draft_id and drafts.save_draft(db, draft_id, data):
        return
    drafts.purge_expired(db, _max_age(request))
    draft_id = drafts.create_draft(db, data)
    response.set_cookie(
        COOKIE,
        draft_id,
        max_age=int(_max_age(request).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_answers(request: Request, response: Response) -> None:
    """Delete this browser's answers and forget the cookie."""
    draft_id = request.cookies.get(COOKIE)
    if draft_id:
        drafts.delete_draft(request.app.state.reconsult.database, draft_id)
    response.delete_cookie(COOKIE, path="/")
