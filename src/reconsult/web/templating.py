"""Jinja2 templates: one environment, plain-language date filters, and a render helper."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined
from starlette.responses import HTMLResponse

from reconsult import i18n
from reconsult.i18n import long_date
from reconsult.web.views.calls import calls_for, region_from

__all__ = ["long_date", "render", "templates"]

templates = Jinja2Templates(directory=str(files("reconsult.web").joinpath("templates")))
templates.env.undefined = StrictUndefined  # a missing value is a bug, never a blank on the page
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
# The words of the pages in the language of the request, and the switch to the others.
i18n.speak(templates.env)
templates.env.globals["other_languages"] = i18n.others


def same_page(request: Request) -> str:
    """Return where the language switch comes back to: this page, with its query.

    Account pages come back without their query: it may carry an invitation's or a
    reset's token, which a page never repeats.
    """
    path = request.url.path
    if request.url.query and not path.startswith("/account/"):
        return f"{path}?{request.url.query}"
    return path


templates.env.globals["same_page"] = same_page


templates.env.filters["long_date"] = long_date
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
