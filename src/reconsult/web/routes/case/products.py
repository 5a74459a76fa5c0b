"""A procedure's injected products, where each went, and its implants: add, and remove one.

Removing a single product or implant does not ask first: the person can add it again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.repository import new_id, update_case
from reconsult.casefile.schema import (
    Implant,
    ImplantFill,
    ImplantSurface,
    ProcedureRecord,
    Product,
    ProductSite,
    Side,
)
from reconsult.i18n import gettext as _
from reconsult.web.case.fields.treatment import implant_fields, product_fields, site_fields
from reconsult.web.case.forms import Field, blank_state, focus_id
from reconsult.web.case.pages import (
    FormPage,
    case_context,
    case_url,
    read_submitted,
    redirect,
    save_change,
    show_form,
)
from reconsult.web.routes.case.procedures import find_procedure, with_procedure

router = APIRouter(prefix="/cases/{case_id}", include_in_schema=False)


@router.get("/procedures/{procedure_id}/products/new", response_class=HTMLResponse)
def product_new(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask about an injected product."""
    ctx = case_context(request, case_id)
    find_procedure(ctx.case, procedure_id)
    return show_form(
        request,
        ctx,
        _product_page(case_id, procedure_id),
        blank_state(product_fields(ctx.knowledge)),
    )


def _product_page(case_id: str, procedure_id: str) -> FormPage:
    return FormPage(
        _("Add a product"),
        case_url(case_id, f"/procedures/{procedure_id}/products/new"),
        case_url(case_id, f"#procedure-{procedure_id}"),
        lead=(_("Your records, the product sticker or your aftercare card show these."),),
    )


def _site_problem(values: dict[str, Any], fields: list[Field]) -> dict[str, str]:
    """A site, an amount and a unit go together: all three or none."""
    names = ("site", "amount", "unit")
    given = [name for name in names if values.get(name)]
    if given and len(given) < 3:
        missing = next(f for f in fields if f.name in names and f.name not in given)
        problem = {
            "site": _("Enter where it went, or leave all three empty"),
            "amount": _("Enter how much, or leave all three empty"),
            "unit": _("Enter mL or units, or leave all three empty"),
        }
        return {focus_id(missing): problem[missing.name]}
    return {}


@router.post("/procedures/{procedure_id}/products/new")
async def product_add(request: Request, case_id: str, procedure_id: str) -> Response:
    """Add a product to a procedure."""
    ctx = case_context(request, case_id)
    find_procedure(ctx.case, procedure_id)
    page = _product_page(case_id, procedure_id)
    fields = product_fields(ctx.knowledge)
    state, _posted = await read_submitted(request, fields, ctx.today)
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
        with_procedure(
            procedure_id, lambda p: p.model_copy(update={"products": [*p.products, product]})
        ),
        then=page.back,
    )


def _site_page(case_id: str, procedure_id: str, product_id: str) -> FormPage:
    return FormPage(
        _("Add where the product went"),
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
    _product(find_procedure(ctx.case, procedure_id), product_id)
    page = _site_page(case_id, procedure_id, product_id)
    return show_form(request, ctx, page, blank_state(site_fields()))


@router.post("/procedures/{procedure_id}/products/{product_id}/sites/new")
async def site_add(request: Request, case_id: str, procedure_id: str, product_id: str) -> Response:
    """Add where a product went, and how much."""
    ctx = case_context(request, case_id)
    _product(find_procedure(ctx.case, procedure_id), product_id)
    page = _site_page(case_id, procedure_id, product_id)
    state, _posted = await read_submitted(request, site_fields(), ctx.today)
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
        request, ctx, page, state, with_procedure(procedure_id, add_site), then=page.back
    )


def _implant_page(case_id: str, procedure_id: str) -> FormPage:
    return FormPage(
        _("Add an implant"),
        case_url(case_id, f"/procedures/{procedure_id}/implants/new"),
        case_url(case_id, f"#procedure-{procedure_id}"),
        lead=(
            _(
                "Your implant device card, or your operation records, show these. "
                "Fill in what you know: you can leave the rest empty."
            ),
        ),
    )


@router.get("/procedures/{procedure_id}/implants/new", response_class=HTMLResponse)
def implant_new(request: Request, case_id: str, procedure_id: str) -> HTMLResponse:
    """Ask about an implant, from its device card."""
    ctx = case_context(request, case_id)
    find_procedure(ctx.case, procedure_id)
    state = blank_state(implant_fields(ctx.knowledge), {"fill": "unknown", "surface": "unknown"})
    return show_form(request, ctx, _implant_page(case_id, procedure_id), state)


@router.post("/procedures/{procedure_id}/implants/new")
async def implant_add(request: Request, case_id: str, procedure_id: str) -> Response:
    """Add an implant to a procedure."""
    ctx = case_context(request, case_id)
    find_procedure(ctx.case, procedure_id)
    page = _implant_page(case_id, procedure_id)
    state, _posted = await read_submitted(request, implant_fields(ctx.knowledge), ctx.today)
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
        with_procedure(
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
    procedure = find_procedure(ctx.case, procedure_id)
    items = getattr(procedure, kind)
    if not any(x.id == item_id for x in items):
        raise HTTPException(status_code=404)
    kept = [x for x in items if x.id != item_id]
    update_case(
        ctx.database,
        case_id,
        with_procedure(procedure_id, lambda p: p.model_copy(update={kind: kept})),
    )
    return redirect(case_url(case_id, f"#procedure-{procedure_id}"))
