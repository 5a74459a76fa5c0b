"""The provider directory pages: search by ZIP and procedure, and one provider's checklist.

Both pages are GET, so a search can be bookmarked, shared and used without
JavaScript. The search, its ranking and every word about what to check come
from :mod:`reconsult.providers` and the knowledge base; this module reads the
query, calls them, and renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from reconsult.casefile.repository import list_cases
from reconsult.i18n import gettext as _
from reconsult.i18n import ngettext
from reconsult.knowledge import Knowledge
from reconsult.knowledge.provider_content import Moment, ProviderKind
from reconsult.providers.directory_store import directory_status
from reconsult.providers.geocode import find_place, zip5
from reconsult.providers.models import SearchResult
from reconsult.providers.search import (
    MAX_LIMIT,
    MAX_RADIUS_MILES,
    SearchError,
    find_provider,
    search_providers,
)
from reconsult.web.journey.forms import number_text
from reconsult.web.templating import render
from reconsult.web.views.providers import (
    address_lines,
    checklist,
    flags_for,
    hit_view,
    person_name,
    phone,
    specialty_lines,
)

__all__ = ["DEFAULT_RADIUS", "PAGE_SIZE", "RADIUS_CHOICES", "SearchForm", "read_search", "router"]

router = APIRouter(prefix="/providers", include_in_schema=False)

RADIUS_CHOICES = (10, 25, 50, 100)
DEFAULT_RADIUS = 25.0
PAGE_SIZE = 20


@dataclass
class SearchForm:
    """What was asked for, as typed and as read, and what to fix."""

    typed: dict[str, str]
    submitted: bool
    zip_code: str | None = None
    procedure: str | None = None
    radius: float = DEFAULT_RADIUS
    limit: int = PAGE_SIZE
    errors: dict[str, str] = field(default_factory=dict)


def read_search(query: Mapping[str, str], kb: Knowledge, *, with_zip: bool = True) -> SearchForm:
    """Read the search from the address; ``with_zip`` False reads only the procedure.

    Messages are keyed by the id of the field to fix, like the case forms.
    """
    typed = {name: query.get(name, "").strip() for name in ("zip", "procedure", "radius")}
    form = SearchForm(typed=typed, submitted="zip" in query or "procedure" in query)
    if typed["procedure"] in kb.procedures:
        form.procedure = typed["procedure"]
    try:
        form.limit = min(max(int(query.get("limit", PAGE_SIZE)), 1), MAX_LIMIT)
    except ValueError:
        form.limit = PAGE_SIZE
    if not (form.submitted and with_zip):
        return form
    if not typed["zip"]:
        form.errors["zip"] = _("Enter your ZIP code")
    elif zip5(typed["zip"]) is None:
        form.errors["zip"] = _("Enter a ZIP code with 5 numbers, like 10001")
    elif find_place(typed["zip"]) is None:
        form.errors["zip"] = _(
            "We cannot find where ZIP code %(zip)s is. Check the number, or try a ZIP code near it"
        ) % {"zip": zip5(typed["zip"])}
    else:
        form.zip_code = zip5(typed["zip"])
    if form.procedure is None:
        form.errors["procedure"] = _("Select the procedure you had")
    if typed["radius"]:
        try:
            form.radius = float(typed["radius"])
        except ValueError:
            form.radius = 0.0
        if not 1 <= form.radius <= MAX_RADIUS_MILES:
            form.errors["radius"] = _("Choose a distance between 1 and %(max)s miles") % {
                "max": f"{MAX_RADIUS_MILES:.0f}"
            }
    return form


def _search_url(form: SearchForm, *, radius: float | None = None, limit: int | None = None) -> str:
    query = {
        "zip": form.zip_code or "",
        "procedure": form.procedure or "",
        "radius": f"{radius if radius is not None else form.radius:g}",
    }
    if limit is not None:
        query["limit"] = str(limit)
    return f"/providers?{urlencode(query)}"


def _results(kb: Knowledge, form: SearchForm, result: SearchResult) -> dict[str, Any]:
    """What the results part of the search page shows."""
    shown = len(result.hits)
    wider = min(form.radius * 2, MAX_RADIUS_MILES)
    more = min(shown + PAGE_SIZE, MAX_LIMIT)
    return {
        "total": result.total,
        "count": ngettext("%(num)s provider", "%(num)s providers", result.total)
        % {"num": number_text(result.total)},
        # Translators: how many of the providers found are listed, such as "20 of 143".
        "shown": _("%(shown)s of %(total)s")
        % {"shown": number_text(shown), "total": number_text(result.total)},
        "place": f"{result.place} {result.zip_code}",
        "radius": f"{result.radius_miles:g}",
        "procedure_name": kb.procedures[result.procedure].name,
        "hits": [hit_view(kb, hit) for hit in result.hits],
        "more_url": _search_url(form, limit=more) if shown < min(result.total, MAX_LIMIT) else None,
        "wider_url": _search_url(form, radius=wider) if wider > form.radius else None,
        "wider": f"{wider:g}",
        "check_query": urlencode(
            {"procedure": result.procedure, "zip": result.zip_code, "radius": f"{form.radius:g}"}
        ),
    }


@router.get("", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    """Show the search form and, for a search, the providers that fit, best first."""
    state = request.app.state.reconsult
    kb: Knowledge = state.knowledge
    empty = directory_status(state.database).providers == 0
    form = read_search(request.query_params, kb, with_zip=not empty)
    results = None
    if form.submitted and not form.errors and not empty:
        assert form.zip_code is not None and form.procedure is not None
        try:
            result = search_providers(
                state.database,
                zip_code=form.zip_code,
                procedure=form.procedure,
                radius_miles=form.radius,
                limit=form.limit,
                knowledge=kb,
            )
        except SearchError as error:  # read_search checks first; this is the back end's word
            form.errors["zip"] = str(error)
        else:
            results = _results(kb, form, result)
    radii = sorted(
        {*RADIUS_CHOICES, form.radius} if "radius" not in form.errors else RADIUS_CHOICES
    )
    context = {
        "form": form,
        "typed": form.typed,
        "errors": form.errors,
        "empty": empty,
        "choices": [(code, proc.name) for code, proc in kb.procedures.items()],
        "radii": [f"{r:g}" for r in radii],
        "radius": f"{form.radius:g}",
        "results": results,
        "notes": kb.providers.notes,
        "flags": flags_for(kb, form.procedure, Moment.choosing) if results else (),
        "checks": checklist(kb, form.procedure) if empty else (),
        "offline_flags": flags_for(kb, form.procedure, Moment.choosing) if empty else (),
        "procedure_name": kb.procedures[form.procedure].name if form.procedure else None,
        "guide_url": f"/guides/{form.procedure}" if form.procedure else "/guides",
    }
    return render(request, "providers.html", context, status_code=400 if form.errors else 200)


@router.get("/{npi}", response_class=HTMLResponse)
def provider_page(request: Request, npi: str) -> HTMLResponse:
    """Show one provider, what they listed, and how to check them for a procedure."""
    state = request.app.state.reconsult
    kb: Knowledge = state.knowledge
    provider = find_provider(state.database, npi) if len(npi) == 10 and npi.isdigit() else None
    if provider is None:
        raise HTTPException(status_code=404)
    query = request.query_params
    procedure = query.get("procedure") if query.get("procedure") in kb.procedures else None
    back = "/providers"
    if procedure and zip5(query.get("zip")):
        form = SearchForm(typed={}, submitted=True, zip_code=zip5(query.get("zip")))
        form.procedure = procedure
        try:
            form.radius = float(query.get("radius", DEFAULT_RADIUS))
        except ValueError:
            form.radius = DEFAULT_RADIUS
        back = _search_url(form)
    codes = [t.code for t in sorted(provider.taxonomies, key=lambda t: not t.is_primary)]
    kinds = {getattr(kb.providers.taxonomy(code), "kind", None) for code in codes}
    fit = kb.best_fit(procedure, codes) if procedure else None
    record_query = urlencode({"npi": npi, **({"procedure": procedure} if procedure else {})})
    context = {
        "name": person_name(provider),
        "provider": provider,
        "address": address_lines(provider),
        "phone": phone(provider.phone),
        "specialties": specialty_lines(kb, provider),
        "procedure": procedure,
        "procedure_name": kb.procedures[procedure].name if procedure else None,
        "fit_reason": fit[0].reason if fit else None,
        "injector": ProviderKind.injector in kinds,
        "notes": kb.providers.notes,
        "checks": checklist(kb, procedure, taxonomies=provider.taxonomies),
        "flags": flags_for(kb, procedure, Moment.consultation, Moment.second_opinion),
        "back": back,
        "cases": [(case_id, title) for case_id, title, _ in list_cases(state.database)],
        "record_query": record_query,
    }
    return render(request, "provider.html", context)
