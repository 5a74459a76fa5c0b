"""Jinja2 templates: one environment, plain-language date filters, and a render helper."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined
from starlette.responses import HTMLResponse

from reconsult.web.views.calls import calls_for, region_from

__all__ = ["long_date", "plural", "render", "templates"]

templates = Jinja2Templates(directory=str(files("reconsult.web").joinpath("templates")))
templates.env.undefined = StrictUndefined  # a missing value is a bug, never a blank on the page
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def long_date(value: dt.date | None) -> str:
    """Format a date the GOV.UK way: '21 November 2026' (no leading zero, month in words)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def plural(count: int, one: str, many: str | None = None) -> str:
    """Return '1 day' or '3 days'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


templates.env.filters["long_date"] = long_date
templates.env.filters["plural"] = plural
# "the 988 Lifeline" at the start of a line: upper-case the first letter only.
templates.env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with what every page needs (the numbers to call, local first)."""
    state = request.app.state.reconsult
    region = region_from(request.headers.get("accept-language"), state.settings.region)
    page = {
        "calls": calls_for(state.knowledge, region),
        "draft_hours": state.settings.draft_hours,
        "errors": {},
        "open_sign_up": state.settings.open_sign_up,
        "server_mode": state.settings.mode == "server",
        "signed_in": getattr(request.state, "user", None),
    }
    page.update(context or {})
    return templates.TemplateResponse(request, template, page, status_code=status_code)
