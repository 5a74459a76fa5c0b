"""What every case-file page shares: finding the case, drawing a form, saving a change.

Every change is a POST that redirects (303) back to the case, so refreshing
never repeats it. A form with mistakes is shown again with what was typed and
a 400 status; nothing already saved is touched until the whole form is right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from reconsult.casefile.repository import CaseFileError, load_case, update_case
from reconsult.casefile.schema import CaseFileData
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.storage import Database
from reconsult.web.case.forms import Field, FormState, focus_id, read_form
from reconsult.web.templating import render

__all__ = [
    "CaseContext",
    "FormPage",
    "case_context",
    "case_url",
    "check_form",
    "read_submitted",
    "redirect",
    "render_form",
    "save_change",
    "show_form",
]


@dataclass(frozen=True)
class CaseContext:
    """The case a page is about, with what every case page needs."""

    case: CaseFileData
    knowledge: Knowledge
    database: Database
    today: dt.date


@dataclass(frozen=True)
class FormPage:
    """How to draw one form page: its heading, where it posts, and where back goes."""

    heading: str
    action: str
    back: str
    submit: str = ""  # the button's words; "" says "Save" in the page's language
    lead: Sequence[str] = ()
    upload: dict[str, str] | None = None


def case_url(case_id: str, suffix: str = "") -> str:
    """Return the address of a case's overview, or of a page under it."""
    return f"/cases/{case_id}{suffix}"


def redirect(url: str) -> RedirectResponse:
    """Redirect after a POST, so the browser's refresh does not repeat it."""
    return RedirectResponse(url, status_code=303)


def case_context(request: Request, case_id: str) -> CaseContext:
    """Load the case named in the address, or answer 404 (the not-found page)."""
    state = request.app.state.reconsult
    case = load_case(state.database, case_id)
    if case is None:
        raise HTTPException(status_code=404)
    return CaseContext(
        case=case, knowledge=state.knowledge, database=state.database, today=state.today()
    )


def render_form(
    request: Request,
    caption: str,
    page: FormPage,
    state: FormState,
    *,
    template: str = "case_form.html",
    extra: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """Draw a form page with its error summary (400 when there are errors).

    ``template`` extends ``case_form.html`` for a form drawn in its own way (the
    note form asks about open findings first); ``extra`` is what it needs more.
    """
    context: dict[str, Any] = {
        "caption": caption,
        "heading": page.heading,
        "action": page.action,
        "back": page.back,
        "submit": page.submit or _("Save"),
        "lead": list(page.lead),
        "upload": page.upload,
        "state": state,
        "errors": state.errors,
        **(extra or {}),
    }
    return render(request, template, context, status_code=400 if state.errors else 200)


def show_form(
    request: Request,
    ctx: CaseContext,
    page: FormPage,
    state: FormState,
    *,
    template: str = "case_form.html",
    extra: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """Draw a form about the case ``ctx`` (its title as the caption)."""
    return render_form(request, ctx.case.title, page, state, template=template, extra=extra)


def check_form(fields: Sequence[Field], form: FormData, today: dt.date) -> FormState:
    """Check a posted form (already read) against its fields.

    NUL characters are dropped first: no one types them, and PostgreSQL text
    cannot hold them (a note carrying one would fail to save).
    """
    lists = {
        f.name: [v.replace("\x00", "") for v in form.getlist(f.name) if isinstance(v, str)]
        for f in fields
    }
    values = {
        key: value.replace("\x00", "") for key, value in form.items() if isinstance(value, str)
    }
    return read_form(fields, values, today, lists=lists)


async def read_submitted(
    request: Request, fields: Sequence[Field], today: dt.date
) -> tuple[FormState, FormData]:
    """Read and check a posted form against its fields."""
    form = await request.form()
    return check_form(fields, form, today), form


def save_change(
    request: Request,
    ctx: CaseContext,
    page: FormPage,
    state: FormState,
    change: Callable[[CaseFileData], CaseFileData],
    *,
    then: str | None = None,
) -> HTMLResponse | RedirectResponse:
    """Apply ``change`` to the case and go back to it; show the form again if it cannot be saved."""
    try:
        update_case(ctx.database, ctx.case.id, change)
    except CaseFileError as error:
        state.errors[focus_id(state.fields[0]) if state.fields else "main-content"] = str(error)
        return show_form(request, ctx, page, state)
    return redirect(then or case_url(ctx.case.id))
