"""Recording in a case what the person checked about a provider, and the red flags they saw.

One form page goes through the knowledge base's vetting checklist for the
treatment (each check: fine, worrying, or not checked yet, with what they
found) and asks which red flags they noticed. The provider directory's page
links here with ``?npi=...&procedure=...``: a provider found in the directory
has their name filled in. Saving goes back to the case, which lists every
provider checked; removing one does not ask first, like a provider seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from reconsult.casefile.repository import (
    CaseFileError,
    add_provider_check,
    change_provider_check,
    new_id,
    remove_provider_check,
)
from reconsult.casefile.schema import CheckItem, CheckResult, ProviderCheck
from reconsult.casefile.vetting import checklist, red_flags
from reconsult.i18n import gettext as _
from reconsult.knowledge.provider_content import RedFlag, VettingCheck
from reconsult.knowledge.schema import ProcedureCode
from reconsult.providers.display import person_name
from reconsult.providers.search import find_provider
from reconsult.storage import Database
from reconsult.web.case.fields.records import provider_check_fields
from reconsult.web.case.forms import Field, FormState, blank_state, date_parts
from reconsult.web.case.pages import CaseContext, case_context, case_url, read_submitted, redirect
from reconsult.web.templating import render

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)

SECTION = "#provider-checks"


def _procedure(text: str | None) -> ProcedureCode | None:
    """The procedure code in the address, or None if there is none or it is not one we know."""
    try:
        return ProcedureCode((text or "").strip())
    except ValueError:
        return None


def _npi(text: str | None) -> str | None:
    """A 10-digit NPI from the address, or None."""
    value = (text or "").strip()
    return value if len(value) == 10 and value.isascii() and value.isdigit() else None


def directory_name(db: Database, npi: str) -> str | None:
    """The provider's name as the directory lists it ('Jane Q. Doe, MD'), or None.

    Read only. None when the NPI is not in the directory, or the directory
    cannot be read (the person then types the name).
    """
    try:
        provider = find_provider(db, npi)
    except SQLAlchemyError:
        return None
    return person_name(provider) if provider else None


@dataclass(frozen=True)
class CheckGroup:
    """One check on the form: its radio group, its "what you found" box, and its links."""

    check: VettingCheck
    result: Field
    found: Field


@dataclass(frozen=True)
class VettingForm:
    """What the form asks for one record: the checks and red flags shown, and its fields."""

    checks: list[VettingCheck]
    flags: list[RedFlag]
    npi: str | None
    procedure: ProcedureCode | None

    @property
    def fields(self) -> list[Field]:
        return provider_check_fields(self.checks, self.flags)


def _form(
    ctx: CaseContext, npi: str | None, procedure: ProcedureCode | None, kept: ProviderCheck | None
) -> VettingForm:
    """The checks and flags for this treatment (or the case's), plus any the record already has.

    A new record for a case that holds one kind of treatment is for that one.
    """
    kb = ctx.knowledge
    codes = {p.procedure for p in ctx.case.procedures}
    if procedure is None and kept is None and len(codes) == 1:
        procedure = codes.pop()
    code = procedure.value if procedure else None
    shown = {c.id for c in checklist(kb, code, ctx.case)}
    flagged = {f.id for f in red_flags(kb, code, ctx.case)}
    if kept is not None:
        shown |= {i.check for i in kept.items}
        flagged |= set(kept.red_flags)
    return VettingForm(
        checks=[c for c in kb.providers.checks if c.id in shown],
        flags=[f for f in kb.providers.red_flags if f.id in flagged],
        npi=npi,
        procedure=procedure,
    )


def _show(
    request: Request,
    ctx: CaseContext,
    form: VettingForm,
    state: FormState,
    *,
    check_id: str | None,
) -> HTMLResponse:
    by_name = {f.name: f for f in state.fields}
    groups = [
        CheckGroup(c, by_name[f"check-{c.id}"], by_name[f"found-{c.id}"]) for c in form.checks
    ]
    base = case_url(ctx.case.id)
    editing = check_id is not None
    context: dict[str, Any] = {
        "caption": ctx.case.title,
        "heading": _("Change what you checked") if editing else _("Check a provider"),
        "action": f"{base}/provider-checks/{check_id or 'new'}",
        "back": f"{base}#provider-check-{check_id}" if editing else f"{base}{SECTION}",
        "state": state,
        "errors": state.errors,
        "fields": by_name,
        "groups": groups,
        "has_flags": bool(form.flags),
        "npi": form.npi,
        "procedure": form.procedure.value if form.procedure else "",
        "procedure_name": (
            ctx.knowledge.procedures[form.procedure.value].name if form.procedure else ""
        ),
    }
    status = 400 if state.errors else 200
    return render(request, "case_vetting_form.html", context, status_code=status)


def _record(ctx: CaseContext, check_id: str) -> ProviderCheck:
    found = next((r for r in ctx.case.provider_checks if r.id == check_id), None)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.get("/provider-checks/new", response_class=HTMLResponse)
def provider_check_new(
    request: Request, case_id: str, npi: str | None = None, procedure: str | None = None
) -> HTMLResponse:
    """Ask what the person checked about a provider (from the directory, or typed in)."""
    ctx = case_context(request, case_id)
    number = _npi(npi)
    form = _form(ctx, number, _procedure(procedure), None)
    typed: dict[str, Any] = {
        "provider_name": (directory_name(ctx.database, number) or "") if number else "",
        "checked_on": date_parts(ctx.today),
        "red_flags": [],
    }
    typed |= {f"check-{c.id}": CheckResult.not_checked.value for c in form.checks}
    return _show(request, ctx, form, blank_state(form.fields, typed), check_id=None)


@router.get("/provider-checks/{check_id}", response_class=HTMLResponse)
def provider_check_edit(request: Request, case_id: str, check_id: str) -> HTMLResponse:
    """Show what the person checked about a provider, to change it."""
    ctx = case_context(request, case_id)
    record = _record(ctx, check_id)
    form = _form(ctx, record.npi, record.procedure, record)
    results = {i.check: i for i in record.items}
    typed: dict[str, Any] = {
        "provider_name": record.provider_name,
        "checked_on": date_parts(record.checked_on),
        "red_flags": list(record.red_flags),
        "note": record.note,
    }
    for c in form.checks:
        item = results.get(c.id)
        typed[f"check-{c.id}"] = (item.result if item else CheckResult.not_checked).value
        typed[f"found-{c.id}"] = item.found if item else ""
    return _show(request, ctx, form, blank_state(form.fields, typed), check_id=check_id)


def _from_form(
    record_id: str, form: VettingForm, values: dict[str, Any], kept: ProviderCheck | None
) -> ProviderCheck:
    """The record the form describes; ids the knowledge base no longer has stay as they were."""
    shown = {c.id for c in form.checks}
    items = [
        CheckItem(
            check=c.id,
            result=CheckResult(values.get(f"check-{c.id}") or CheckResult.not_checked.value),
            found=values.get(f"found-{c.id}") or "",
        )
        for c in form.checks
    ]
    flags = list(values.get("red_flags") or [])
    if kept is not None:
        offered = {f.id for f in form.flags}
        items += [i for i in kept.items if i.check not in shown]
        flags += [f for f in kept.red_flags if f not in offered]
    return ProviderCheck(
        id=record_id,
        provider_name=values["provider_name"],
        npi=form.npi,
        procedure=form.procedure,
        checked_on=values["checked_on"],
        items=items,
        red_flags=flags,
        note=values.get("note") or "",
    )


async def _save(request: Request, case_id: str, check_id: str | None) -> Response:
    ctx = case_context(request, case_id)
    kept = _record(ctx, check_id) if check_id is not None else None
    if kept is not None:
        form = _form(ctx, kept.npi, kept.procedure, kept)
    else:
        posted = await request.form()
        npi, procedure = posted.get("npi"), posted.get("procedure")
        form = _form(
            ctx,
            _npi(npi if isinstance(npi, str) else None),
            _procedure(procedure if isinstance(procedure, str) else None),
            None,
        )
    state, _posted = await read_submitted(request, form.fields, ctx.today)
    if state.errors:
        return _show(request, ctx, form, state, check_id=check_id)
    record = _from_form(check_id or new_id(), form, state.values, kept)
    try:
        if kept is None:
            add_provider_check(
                ctx.database, case_id, record, knowledge=ctx.knowledge, today=ctx.today
            )
        else:
            change_provider_check(
                ctx.database, case_id, record, knowledge=ctx.knowledge, today=ctx.today
            )
    except CaseFileError as error:
        state.errors["provider_name"] = str(error)
        return _show(request, ctx, form, state, check_id=check_id)
    return redirect(case_url(case_id, f"#provider-check-{record.id}"))


@router.post("/provider-checks/new")
async def provider_check_add(request: Request, case_id: str) -> Response:
    """Keep what the person checked about a provider with the case."""
    return await _save(request, case_id, None)


@router.post("/provider-checks/{check_id}")
async def provider_check_save(request: Request, case_id: str, check_id: str) -> Response:
    """Save changes to what the person checked about a provider."""
    return await _save(request, case_id, check_id)


@router.post("/provider-checks/{check_id}/remove")
def provider_check_remove(request: Request, case_id: str, check_id: str) -> Response:
    """Remove a provider check (it can be made again)."""
    ctx = case_context(request, case_id)
    if not remove_provider_check(ctx.database, case_id, check_id):
        raise HTTPException(status_code=404)
    return redirect(case_url(case_id, SECTION))
