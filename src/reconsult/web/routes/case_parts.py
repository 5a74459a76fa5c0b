"""The parts of a case file: procedures, products, implants, goals, concerns, providers seen, notes.

Each part has a form page (GET) and a save (POST, then back to the case).
Removing a procedure (which holds products and implants) asks first;
removing a single line (a goal, a product, a provider seen) does not: the
person can add it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import CaseFileError, add_journal_entry, new_id, update_case
from reconsult.casefile.schema import (
    CaseFileData,
    Consultation,
    Implant,
    ImplantFill,
    ImplantSurface,
    ProcedureRecord,
    Product,
    ProductSite,
    Side,
)
from reconsult.knowledge.schema import ProcedureCode
from reconsult.triage import assess
from reconsult.triage.models import Assessment, Case, EarlierFinding
from reconsult.web.case_form_specs import (
    concern_fields,
    consultation_fields,
    goal_fields,
    implant_fields,
    journal_fields,
    procedure_fields,
    product_fields,
    site_fields,
)
from reconsult.web.case_forms import Field, FormState, blank_state, date_parts, focus_id
from reconsult.web.case_pages import (
    CaseContext,
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    save_change,
    show_form,
)
from reconsult.web.case_view import days_after
from reconsult.web.open_findings_view import (
    ClosingQuestion,
    closing_questions,
    earlier_for,
    read_closings,
    still_open_typed,
)
from reconsult.web.result_view import OPEN_FINDING, answer_context
from reconsult.web.templating import render

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


def _procedure(case: CaseFileData, procedure_id: str) -> ProcedureRecord:
    found = next((p for p in case.procedures if p.id == procedure_id), None)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _with_procedure(
    procedure_id: str, change: Callable[[ProcedureRecord], ProcedureRecord]
) -> Callable[[CaseFileData], CaseFileData]:
    """Return a case change that applies ``change`` to one procedure."""

    def apply(case: CaseFileData) -> CaseFileData:
        procedures = [change(p) if p.id == procedure_id else p for p in case.procedures]
        return case.model_copy(update={"procedures": procedures})

    return apply


# --- procedures -----------------------------------------------------------------------


def _procedure_page(case_id: str, procedure_id: str | None) -> FormPage:
    if procedure_id is None:
        return FormPage("Add a procedure", case_url(case_id, "/procedures/new"), case_url(case_id))
    return FormPage(
        "Change this procedure",
        case_url(case_id, f"/procedures/{procedure_id}"),
        case_url(case_id, f"#procedure-{procedure_id}"),
    )


@router.get("/procedures/new", response_class=HTMLResponse)
def procedure_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask about a procedure to add."""
    ctx = case_context(request, case_id)
    state = blank_state(procedure_fields(ctx.knowledge))
    return show_form(request, ctx, _procedure_page(case_id, None), state)


@router.get("/procedures/{procedure_id}", response_class=HTMLResponse)
def procedure_edit(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Show a procedure's details to change."""
    ctx = case_context(request, case_id)
    p = _procedure(ctx.case, procedure_id)
    typed = {
        "procedure": p.procedure.value,
        "performed_on": date_parts(p.performed_on),
        "provider_name": p.provider_name,
        "practice_name": p.practice_name,
        "records_obtained": p.records_obtained,
        "notes": p.notes,
    }
    state = blank_state(procedure_fields(ctx.knowledge), typed)
    return show_form(request, ctx, _procedure_page(case_id, procedure_id), state)


async def _save_procedure(request: Request, case_id: str, procedure_id: str | None) -> Response:
    ctx = case_context(request, case_id)
    page = _procedure_page(case_id, procedure_id)
    state, _ = await read_submitted(request, procedure_fields(ctx.knowledge), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    fields: dict[str, Any] = {
        "procedure": ProcedureCode(v["procedure"]),
        "performed_on": v["performed_on"],
        "provider_name": v["provider_name"] or "",
        "practice_name": v["practice_name"] or "",
        "records_obtained": v["records_obtained"],
        "notes": v["notes"] or "",
    }
    if procedure_id is None:
        record = ProcedureRecord(id=new_id(), **fields)
        return save_change(
            request,
            ctx,
            page,
            state,
            lambda c: c.model_copy(update={"procedures": [*c.procedures, record]}),
            then=case_url(case_id, f"#procedure-{record.id}"),
        )
    _procedure(ctx.case, procedure_id)
    return save_change(
        request,
        ctx,
        page,
        state,
        _with_procedure(procedure_id, lambda p: p.model_copy(update=fields)),
        then=page.back,
    )


@router.post("/procedures/new")
async def procedure_add(request: Request, case_id: str) -> Response:
    """Add a procedure to the case."""
    return await _save_procedure(request, case_id, None)


@router.post("/procedures/{procedure_id}")
async def procedure_save(request: Request, case_id: str, procedure_id: str) -> Response:
    """Save changes to a procedure."""
    return await _save_procedure(request, case_id, procedure_id)


def _confirm(
    request: Request, ctx: CaseContext, *, heading: str, lead: list[str], action: str, back: str
) -> HTMLResponse:
    return render(
        request,
        "case_confirm.html",
        {
            "caption": ctx.case.title,
            "heading": heading,
            "lead": lead,
            "action": action,
            "back": back,
            "submit": "Yes, remove it",
        },
    )


@router.get("/procedures/{procedure_id}/remove", response_class=HTMLResponse)
def procedure_remove_confirm(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask before removing a procedure with its products and implants."""
    ctx = case_context(request, case_id)
    p = _procedure(ctx.case, procedure_id)
    name = ctx.knowledge.procedures[p.procedure.value].name
    return _confirm(
        request,
        ctx,
        heading=f"Remove {name}?",
        lead=[
            "Its products and implants are removed with it. Your notes and photos stay, "
            "but no longer say which procedure they are about."
        ],
        action=case_url(case_id, f"/procedures/{procedure_id}/remove"),
        back=case_url(case_id, f"#procedure-{procedure_id}"),
    )


@router.post("/procedures/{procedure_id}/remove")
def procedure_remove(request: Request, case_id: str, procedure_id: str) -> Response:
    """Remove a procedure; notes and photos about it stay, unlinked."""
    ctx = case_context(request, case_id)
    _procedure(ctx.case, procedure_id)

    def change(case: CaseFileData) -> CaseFileData:
        def unlink(item: Any) -> Any:
            if item.procedure_id == procedure_id:
                return item.model_copy(update={"procedure_id": None})
            return item

        return case.model_copy(
            update={
                "procedures": [p for p in case.procedures if p.id != procedure_id],
                "journal": [unlink(e) for e in case.journal],
                "photos": [unlink(p) for p in case.photos],
            }
        )

    update_case(ctx.database, case_id, change)
    return redirect(case_url(case_id, "#procedures"))


# --- products, sites and implants ------------------------------------------------------


@router.get("/procedures/{procedure_id}/products/new", response_class=HTMLResponse)
def product_new(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask about an injected product."""
    ctx = case_context(request, case_id)
    _procedure(ctx.case, procedure_id)
    return show_form(
        request, ctx, _product_page(case_id, procedure_id), blank_state(product_fields())
    )


def _product_page(case_id: str, procedure_id: str) -> FormPage:
    return FormPage(
        "Add a product",
        case_url(case_id, f"/procedures/{procedure_id}/products/new"),
        case_url(case_id, f"#procedure-{procedure_id}"),
        lead=("Your records, the product sticker or your aftercare card show these.",),
    )


def _site_problem(values: dict[str, Any], fields: list[Field]) -> dict[str, str]:
    """A site, an amount and a unit go together: all three or none."""
    words = {"site": "where it went", "amount": "how much", "unit": "mL or units"}
    given = [name for name in words if values.get(name)]
    if given and len(given) < 3:
        missing = next(f for f in fields if f.name in words and f.name not in given)
        return {focus_id(missing): f"Enter {words[missing.name]}, or leave all three empty"}
    return {}


@router.post("/procedures/{procedure_id}/products/new")
async def product_add(request: Request, case_id: str, procedure_id: str) -> Response:
    """Add a product to a procedure."""
    ctx = case_context(request, case_id)
    _procedure(ctx.case, procedure_id)
    page = _product_page(case_id, procedure_id)
    fields = product_fields()
    state, _ = await read_submitted(request, fields, ctx.today)
    if not state.errors:
        state.errors.update(_site_problem(state.values, fields))
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    sites = []
    if v["site"]:
        sites.append(ProductSite(site=v["site"], amount=v["amount"], unit=v["unit"]))
    product = Product(
        id=new_id(),
        brand=v["brand"],
        product_name=v["product_name"] or "",
        material=v["material"] or "",
        lot=v["lot"] or "",
        sites=sites,
    )
    return save_change(
        request,
        ctx,
        page,
        state,
        _with_procedure(
            procedure_id, lambda p: p.model_copy(update={"products": [*p.products, product]})
        ),
        then=page.back,
    )


def _site_page(case_id: str, procedure_id: str, product_id: str) -> FormPage:
    return FormPage(
        "Add where the product went",
        case_url(case_id, f"/procedures/{procedure_id}/products/{product_id}/sites/new"),
        case_url(case_id, f"#procedure-{procedure_id}"),
    )


def _product(p: ProcedureRecord, product_id: str) -> Product:
    found = next((x for x in p.products if x.id == product_id), None)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.get(
    "/procedures/{procedure_id}/products/{product_id}/sites/new", response_class=HTMLResponse
)
def site_new(request: Request, case_id: str, procedure_id: str, product_id: str) -> HTMLResponse:
    """Ask where a product went and how much."""
    ctx = case_context(request, case_id)
    _product(_procedure(ctx.case, procedure_id), product_id)
    page = _site_page(case_id, procedure_id, product_id)
    return show_form(request, ctx, page, blank_state(site_fields()))


@router.post("/procedures/{procedure_id}/products/{product_id}/sites/new")
async def site_add(request: Request, case_id: str, procedure_id: str, product_id: str) -> Response:
    """Add where a product went, and how much."""
    ctx = case_context(request, case_id)
    _product(_procedure(ctx.case, procedure_id), product_id)
    page = _site_page(case_id, procedure_id, product_id)
    state, _ = await read_submitted(request, site_fields(), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    site = ProductSite(site=v["site"], amount=v["amount"], unit=v["unit"])

    def add_site(p: ProcedureRecord) -> ProcedureRecord:
        products = [
            x.model_copy(update={"sites": [*x.sites, site]}) if x.id == product_id else x
            for x in p.products
        ]
        return p.model_copy(update={"products": products})

    return save_change(
        request, ctx, page, state, _with_procedure(procedure_id, add_site), then=page.back
    )


def _implant_page(case_id: str, procedure_id: str) -> FormPage:
    return FormPage(
        "Add an implant",
        case_url(case_id, f"/procedures/{procedure_id}/implants/new"),
        case_url(case_id, f"#procedure-{procedure_id}"),
        lead=(
            "Your implant device card, or your operation records, show these. "
            "Fill in what you know: you can leave the rest empty.",
        ),
    )


@router.get("/procedures/{procedure_id}/implants/new", response_class=HTMLResponse)
def implant_new(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask about an implant, from its device card."""
    ctx = case_context(request, case_id)
    _procedure(ctx.case, procedure_id)
    state = blank_state(implant_fields(), {"fill": "unknown", "surface": "unknown"})
    return show_form(request, ctx, _implant_page(case_id, procedure_id), state)


@router.post("/procedures/{procedure_id}/implants/new")
async def implant_add(request: Request, case_id: str, procedure_id: str) -> Response:
    """Add an implant to a procedure."""
    ctx = case_context(request, case_id)
    _procedure(ctx.case, procedure_id)
    page = _implant_page(case_id, procedure_id)
    state, _ = await read_submitted(request, implant_fields(), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    implant = Implant(
        id=new_id(),
        side=Side(v["side"]),
        manufacturer=v["manufacturer"] or "",
        style=v["style"] or "",
        size_cc=v["size_cc"],
        fill=ImplantFill(v["fill"] or "unknown"),
        surface=ImplantSurface(v["surface"] or "unknown"),
        shape=v["shape"] or "",
        serial=v["serial"] or "",
        lot=v["lot"] or "",
        udi=v["udi"] or "",
    )
    return save_change(
        request,
        ctx,
        page,
        state,
        _with_procedure(
            procedure_id, lambda p: p.model_copy(update={"implants": [*p.implants, implant]})
        ),
        then=page.back,
    )


@router.post("/procedures/{procedure_id}/{kind}/{item_id}/remove")
def product_or_implant_remove(
    request: Request, case_id: str, procedure_id: str, kind: str, item_id: str
) -> Response:
    """Remove one product or implant from a procedure."""
    if kind not in {"products", "implants"}:
        raise HTTPException(status_code=404)
    ctx = case_context(request, case_id)
    procedure = _procedure(ctx.case, procedure_id)
    items = getattr(procedure, kind)
    if not any(x.id == item_id for x in items):
        raise HTTPException(status_code=404)
    kept = [x for x in items if x.id != item_id]
    update_case(
        ctx.database,
        case_id,
        _with_procedure(procedure_id, lambda p: p.model_copy(update={kind: kept})),
    )
    return redirect(case_url(case_id, f"#procedure-{procedure_id}"))


# --- goals, concerns and providers seen ---------------------------------------------------

_LISTS: dict[str, tuple[str, Callable[[], list[Field]]]] = {
    "goals": ("Add what you hope for", goal_fields),
    "concerns": ("Add what worries you", concern_fields),
}


def _words_form(case_id: str, kind: str) -> tuple[FormPage, list[Field]]:
    """Return the page and fields for adding a goal or a concern (404 for another kind)."""
    if kind not in _LISTS:
        raise HTTPException(status_code=404)
    heading, fields = _LISTS[kind]
    page = FormPage(heading, case_url(case_id, f"/words/{kind}/new"), case_url(case_id, "#goals"))
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
    state, _ = await read_submitted(request, fields, ctx.today)
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


@router.post("/consultations/{consultation_id}/remove")
def consultation_remove(request: Request, case_id: str, consultation_id: str) -> Response:
    """Remove a provider seen."""
    ctx = case_context(request, case_id)
    if not any(c.id == consultation_id for c in ctx.case.consultations):
        raise HTTPException(status_code=404)
    kept = [c for c in ctx.case.consultations if c.id != consultation_id]
    update_case(ctx.database, case_id, lambda c: c.model_copy(update={"consultations": kept}))
    return redirect(case_url(case_id, "#consultations"))


def _consultation_page(case_id: str) -> FormPage:
    return FormPage(
        "Add a provider you have seen about this",
        case_url(case_id, "/consultations/new"),
        case_url(case_id, "#consultations"),
        lead=("For example the person who treated you, or a second opinion.",),
    )


@router.get("/consultations/new", response_class=HTMLResponse)
def consultation_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask about a provider the person has seen."""
    ctx = case_context(request, case_id)
    return show_form(request, ctx, _consultation_page(case_id), blank_state(consultation_fields()))


@router.post("/consultations/new")
async def consultation_add(request: Request, case_id: str) -> Response:
    """Add a provider the person has seen, and what they said."""
    ctx = case_context(request, case_id)
    page = _consultation_page(case_id)
    state, _ = await read_submitted(request, consultation_fields(), ctx.today)
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values
    seen = Consultation(
        id=new_id(),
        provider_name=v["provider_name"],
        specialty=v["specialty"] or "",
        held_on=v["held_on"],
        what_they_said=v["what_they_said"] or "",
    )
    return save_change(
        request,
        ctx,
        page,
        state,
        lambda c: c.model_copy(update={"consultations": [*c.consultations, seen]}),
        then=page.back,
    )


# --- the journal ------------------------------------------------------------------------


def _journal_page(case_id: str) -> FormPage:
    return FormPage(
        "How is it today?",
        case_url(case_id, "/journal/new"),
        case_url(case_id, "#history"),
        submit="Save and check it",
        lead=(
            "Write what you notice, in your own words. We save it with today's date and "
            "tell you how soon to act, the same way as the guided questions.",
        ),
    )


def _note_form(ctx: CaseContext) -> tuple[list[ClosingQuestion], list[Field]]:
    """The note form: a question about each open finding still holding, then the note."""
    questions = closing_questions(ctx.knowledge, ctx.case, ctx.today)
    fields = [f for q in questions for f in q.fields]
    return questions, [*fields, *journal_fields(ctx.knowledge, ctx.case)]


def _show_note_form(
    request: Request, ctx: CaseContext, questions: list[ClosingQuestion], state: FormState
) -> HTMLResponse:
    extra = {"questions": questions, "asked": {f.name for q in questions for f in q.fields}}
    return show_form(
        request, ctx, _journal_page(ctx.case.id), state, template="case_note_form.html", extra=extra
    )


@router.get("/journal/new", response_class=HTMLResponse)
def journal_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask what became of each open finding, then what the person notices today."""
    ctx = case_context(request, case_id)
    questions, fields = _note_form(ctx)
    typed = still_open_typed(questions)
    if len(ctx.case.procedures) == 1:
        typed["procedure_id"] = ctx.case.procedures[-1].id
    return _show_note_form(request, ctx, questions, blank_state(fields, typed))


@router.post("/journal/new")
async def journal_add(request: Request, case_id: str) -> Response:
    """Close what the person says is over, save the note with an assessment, show the answer."""
    ctx = case_context(request, case_id)
    questions, fields = _note_form(ctx)
    state, _ = await read_submitted(request, fields, ctx.today)
    closings = read_closings(questions, state, ctx.today)
    if state.errors:
        return _show_note_form(request, ctx, questions, state)
    try:
        entry = add_journal_entry(
            ctx.database,
            case_id,
            text=state.values["text"],
            written_on=ctx.today,
            procedure_id=state.values.get("procedure_id"),
            knowledge=ctx.knowledge,
            closings=closings,
        )
    except CaseFileError as error:
        state.errors["text"] = str(error)
        return _show_note_form(request, ctx, questions, state)
    return redirect(case_url(case_id, f"/journal/{entry.id}"))


@router.get("/journal/{entry_id}", response_class=HTMLResponse)
def journal_entry(request: Request, case_id: str, entry_id: str) -> HTMLResponse:
    """Show a note and the full answer to it, as made on the day it was written.

    The answer is made again with the findings of earlier notes that held it
    that day, so it is the note's own: an answer kept urgent by an earlier
    note says so, quoting it.
    """
    ctx = case_context(request, case_id)
    entry = next((e for e in ctx.case.journal if e.id == entry_id), None)
    if entry is None:
        raise HTTPException(status_code=404)
    procedure = next((p for p in ctx.case.procedures if p.id == entry.procedure_id), None)
    context: dict[str, Any] = {"case": ctx.case, "entry": entry, "a": None}
    if procedure is not None:
        kb = ctx.knowledge
        days = days_after(procedure.performed_on, entry.written_on)
        held = earlier_for(kb, ctx.case, entry)

        def answer(earlier: list[EarlierFinding]) -> Assessment:
            case = Case(
                procedure=procedure.procedure,
                days_since_procedure=days,
                description=entry.text,
                earlier=earlier,
            )
            return assess(case, entry.written_on, kb)

        assessment = answer([h.finding for h in held if h.surely])
        if assessment.urgency is not entry.urgency and not all(h.surely for h in held):
            # A finding closed that day: after this note, if that gives the answer kept.
            again = answer([h.finding for h in held])
            if again.urgency is entry.urgency:
                assessment = again
        # Ask what happened only while a sign holding this answer is still open, and only
        # the case's owner: clinic staff read a shared case.
        still = {q.code for q in closing_questions(kb, ctx.case, ctx.today)}
        access = getattr(request.state, "audit", None)
        owner = access is None or access.access.role != "clinic"
        held_now = owner and any(
            r.rule == OPEN_FINDING and r.finding in still for r in assessment.reasons
        )
        context |= answer_context(
            kb,
            assessment,
            case_url(case_id, "/download/reminders.ics"),
            close_url=case_url(case_id, "/journal/new") if held_now else None,
        )
    return render(request, "case_entry.html", context)
