"""Photos in a case file: upload from a phone, view, compare two dates side by side, remove.

Cleaning a photo (turning it upright and copying only its pixels into a fresh
file) takes about a third of a second and up to 100 MB for a 12 MP photo, so
at most two run at once, in worker threads, whatever the number of uploads.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from reconsult.casefile.photo_store import add_photo, delete_photo, photo_image
from reconsult.casefile.photos import PhotoLimits
from reconsult.casefile.schema import Angle, Photo
from reconsult.errors import CaseInputError
from reconsult.i18n import gettext as _
from reconsult.i18n import ngettext
from reconsult.web.case.fields.records import angle_label, photo_fields
from reconsult.web.case.forms import blank_state, date_parts
from reconsult.web.case.pages import (
    CaseContext,
    FormPage,
    case_context,
    case_url,
    check_form,
    redirect,
    show_form,
)
from reconsult.web.case.view import days_after, photo_groups
from reconsult.web.templating import render
from reconsult.web.uploads import UploadTooLarge, read_upload

router = APIRouter(prefix="/cases/{case_id}/photos", include_in_schema=False)

LIMITS = PhotoLimits()
_CLEANING = anyio.CapacityLimiter(2)


def _upload_page(case_id: str) -> FormPage:
    megabytes = LIMITS.max_bytes // 1_000_000
    return FormPage(
        _("Add a photo"),
        case_url(case_id, "/photos/new"),
        case_url(case_id, "#photos"),
        submit=_("Add photo"),
        lead=(
            _(
                "Before we keep a photo we remove everything but the picture itself: where it "
                "was taken, the phone it was taken with, and the time."
            ),
        ),
        upload={
            "label": _("Photo"),
            "hint": _(
                "A photo from your phone or computer, up to %(megabytes)s MB (JPEG, PNG or WebP)"
            )
            % {"megabytes": megabytes},
            "accept": "image/jpeg,image/png,image/webp",
        },
    )


@router.get("/new", response_class=HTMLResponse)
def photo_new(request: Request, case_id: str) -> HTMLResponse:
    """Ask for a photo, the day it was taken and its angle (the same-angle guide)."""
    ctx = case_context(request, case_id)
    state = blank_state(photo_fields(ctx.knowledge, ctx.case), {"taken_on": date_parts(ctx.today)})
    return show_form(request, ctx, _upload_page(case_id), state)


@router.post("/new")
async def photo_add(request: Request, case_id: str) -> Response:
    """Clean and keep an uploaded photo; a refused photo keeps what was typed and says why."""
    ctx = case_context(request, case_id)
    page = _upload_page(case_id)
    fields = photo_fields(ctx.knowledge, ctx.case)
    try:
        upload = await read_upload(request, max_bytes=LIMITS.max_bytes)
    except UploadTooLarge:
        state = blank_state(fields)
        state.errors["file"] = _(
            "The photo must be smaller than %(megabytes)s MB. "
            "Try sharing it from your phone at a smaller size"
        ) % {"megabytes": LIMITS.max_bytes // 1_000_000}
        return show_form(request, ctx, page, state)
    state = check_form(fields, upload.form, ctx.today)
    if not upload.data:
        state.errors = {"file": _("Choose a photo to add"), **state.errors}
    if state.errors:
        return show_form(request, ctx, page, state)
    v = state.values

    def clean_and_keep() -> Photo:
        return add_photo(
            ctx.database,
            case_id,
            upload.data,
            taken_on=v["taken_on"],
            angle=Angle(v["angle"]),
            procedure_id=v.get("procedure_id"),
            note=v.get("note") or "",
            limits=LIMITS,
            today=ctx.today,
        )

    try:
        photo = await anyio.to_thread.run_sync(clean_and_keep, limiter=_CLEANING)
    except CaseInputError as error:
        state.errors = {"file": str(error)}
        return show_form(request, ctx, page, state)
    return redirect(case_url(case_id, f"/photos/{photo.id}"))


def _photo(request: Request, case_id: str, photo_id: str) -> tuple[CaseContext, Photo]:
    ctx = case_context(request, case_id)
    photo = next((p for p in ctx.case.photos if p.id == photo_id), None)
    if photo is None:
        raise HTTPException(status_code=404)
    return ctx, photo


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request, case_id: str, first: str | None = None, second: str | None = None
) -> HTMLResponse:
    """Show two photos of the same angle side by side, earliest and latest unless chosen."""
    ctx = case_context(request, case_id)
    groups = [g for g in photo_groups(ctx.case) if len(g.photos) >= 2]
    by_id = {p.id: p for p in ctx.case.photos}
    pair: list[Photo] = []
    if first in by_id and second in by_id:
        pair = sorted([by_id[first], by_id[second]], key=lambda p: p.taken_on)
    elif groups:
        pair = [groups[0].photos[0], groups[0].photos[-1]]
    procedures = {p.id: p for p in ctx.case.procedures}

    def caption(photo: Photo) -> str:
        label = angle_label(photo.angle.value)
        procedure = procedures.get(photo.procedure_id or "")
        days = days_after(procedure.performed_on if procedure else None, photo.taken_on)
        if days is None:
            return label
        return ngettext(
            "%(angle)s, %(num)d days after the procedure",
            "%(angle)s, %(num)d days after the procedure",
            days,
        ) % {"angle": label, "num": days}

    return render(
        request,
        "case_compare.html",
        {
            "case": ctx.case,
            "groups": groups,
            "pair": pair,
            "caption": caption,
            "same_angle": len(pair) == 2 and pair[0].angle == pair[1].angle,
        },
    )


@router.get("/{photo_id}", response_class=HTMLResponse)
def photo_page(request: Request, case_id: str, photo_id: str) -> HTMLResponse:
    """Show one photo with its date, angle and note."""
    ctx, photo = _photo(request, case_id, photo_id)
    return render(
        request,
        "case_photo.html",
        {"case": ctx.case, "photo": photo, "angle": angle_label(photo.angle.value)},
    )


@router.get("/{photo_id}/image.jpg")
def image(request: Request, case_id: str, photo_id: str) -> Response:
    """Send the cleaned photo."""
    return _image(request, case_id, photo_id, thumbnail=False)


@router.get("/{photo_id}/thumbnail.jpg")
def thumbnail(request: Request, case_id: str, photo_id: str) -> Response:
    """Send the photo's thumbnail."""
    return _image(request, case_id, photo_id, thumbnail=True)


def _image(request: Request, case_id: str, photo_id: str, *, thumbnail: bool) -> Response:
    found = photo_image(
        request.app.state.reconsult.database, case_id, photo_id, thumbnail=thumbnail
    )
    if found is None:
        raise HTTPException(status_code=404)
    data, media_type = found
    return Response(content=data, media_type=media_type)


@router.get("/{photo_id}/remove", response_class=HTMLResponse)
def remove_confirm(request: Request, case_id: str, photo_id: str) -> HTMLResponse:
    """Ask before removing a photo."""
    ctx, photo = _photo(request, case_id, photo_id)
    return render(
        request,
        "case_confirm.html",
        {
            "caption": ctx.case.title,
            "heading": _("Remove this photo?"),
            "lead": [_("It will be deleted from this computer. This cannot be undone.")],
            "action": case_url(case_id, f"/photos/{photo_id}/remove"),
            "back": case_url(case_id, f"/photos/{photo_id}"),
            "submit": _("Yes, remove it"),
        },
    )


@router.post("/{photo_id}/remove")
def remove(request: Request, case_id: str, photo_id: str) -> Response:
    """Remove a photo."""
    if not delete_photo(request.app.state.reconsult.database, case_id, photo_id):
        raise HTTPException(status_code=404)
    return redirect(case_url(case_id, "#photos"))
