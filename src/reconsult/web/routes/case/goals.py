"""A case's goals and concerns, in the person's own words: add one, remove one.

Removing a line does not ask first: the person can add it again.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import update_case
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.web.case.fields.notes import concern_fields, goal_fields
from reconsult.web.case.forms import Field, blank_state
from reconsult.web.case.pages import (
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    save_change,
    show_form,
)

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


# Each list's page heading (translated where it is shown) and its fields.
_LISTS: dict[str, tuple[str, Callable[[], list[Field]]]] = {
    "goals": (N_("Add what you hope for"), goal_fields),
    "concerns": (N_("Add what worries you"), concern_fields),
}


def _words_form(case_id: str, kind: str) -> tuple[FormPage, list[Field]]:
    """Return the page and fields for adding a goal or a concern (404 for another kind)."""
    if kind not in _LISTS:
        raise HTTPException(status_code=404)
    heading, fields = _LISTS[kind]
    page = FormPage(
        _(heading), case_url(case_id, f"/words/{kind}/new"), case_url(case_id, "#goals")
    )
    return page, fields()


@router.get("/words/{kind}/new", response_class=HTMLResponse)
def words_new(request: Request, case_id: str, kind: str) -> HTMLResponse:
    """Ask for a goal or a concern, in the person's words."""
    page, fields = _words_form(case_id, kind)
    return show_form(request, case_context(request, case_id), page, blank_state(fields))


@router.post("/words/{kind}/new")
async def words_add(request: Request, case_id: str, kind: str) -> Response:
    """Add a goal or a concern."""
    page, fields = _words_form(case_id, kind)
    ctx = case_context(request, case_id)
    state, _posted = await read_submitted(request, fields, ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    text = state.values["text"]
    return save_change(
        request,
        ctx,
        page,
        state,
        lambda c: c.model_copy(update={kind: [*getattr(c, kind), text]}),
        then=page.back,
    )


@router.post("/words/{kind}/{index}/remove")
def words_remove(request: Request, case_id: str, kind: str, index: int) -> Response:
    """Remove one goal or concern, by its place in the list."""
    if kind not in _LISTS:
        raise HTTPException(status_code=404)
    ctx = case_context(request, case_id)
    items = list(getattr(ctx.case, kind))
    if not 0 <= index < len(items):
        raise HTTPException(status_code=404)
    del items[index]
    update_case(ctx.database, case_id, lambda c: c.model_copy(update={kind: items}))
    return redirect(case_url(case_id, "#goals"))
