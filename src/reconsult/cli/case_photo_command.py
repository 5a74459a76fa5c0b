"""``reconsult case photo ...``: add, list, save and remove a case's photos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from reconsult.cli.case_input import CaseId, PhotoId, database, fail, past_date
from reconsult.cli.groups import CommandGroup

photo_app = typer.Typer(
    help="Add, list, save and remove a case's photos (cleaned of location and camera data).",
    no_args_is_help=True,
    cls=CommandGroup,
)


@photo_app.command("add")
def photo_add_command(
    case_id: CaseId,
    file: Annotated[Path, typer.Argument(help="A JPEG, PNG or WebP photo.")],
    taken_on: Annotated[
        str, typer.Option("--taken-on", help="The day the photo was taken, YYYY-MM-DD.")
    ],
    angle: Annotated[
        str,
        typer.Option(help="front, left, right, oblique_left, oblique_right or other."),
    ],
    procedure_id: Annotated[
        str | None, typer.Option("--procedure", help="Which procedure it shows (its id).")
    ] = None,
    note: Annotated[str, typer.Option(help="A short note about the photo.")] = "",
) -> None:
    """Add a photo, without its location or camera data, and print its id."""
    from reconsult.casefile.repository import add_photo
    from reconsult.casefile.schema import Angle
    from reconsult.errors import CaseInputError
    from reconsult.i18n import gettext as _

    angles = [a.value for a in Angle]
    if angle not in angles:
        raise fail(
            _("unknown angle %(angle)s. Choose one of: %(angles)s")
            % {"angle": repr(angle), "angles": ", ".join(angles)}
        )
    day = past_date(taken_on, _("the day the photo was taken must be today or in the past"))
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise fail(
            _("could not read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
        ) from exc
    try:
        photo = add_photo(
            database(),
            case_id,
            raw,
            taken_on=day,
            angle=Angle(angle),
            procedure_id=procedure_id,
            note=note,
            today=dt.date.today(),
        )
    except CaseInputError as exc:
        raise fail(str(exc)) from exc
    typer.echo(photo.id)


@photo_app.command("list")
def photo_list_command(case_id: CaseId) -> None:
    """List a case's photos: id, date, angle, size, procedure and note."""
    from reconsult.casefile.repository import load_case
    from reconsult.i18n import gettext as _

    case = load_case(database(), case_id)
    if case is None:
        raise fail(_("there is no case with id %(id)s") % {"id": repr(case_id)})
    if not case.photos:
        typer.echo(
            _(
                "No photos in this case yet. Add one with: "
                "reconsult case photo add CASE_ID FILE --taken-on YYYY-MM-DD --angle front"
            )
        )
    for p in case.photos:
        line = f"{p.id}  {p.taken_on.isoformat()}  {p.angle.value}  {p.width}x{p.height}"
        if p.procedure_id:
            line += "  " + _("procedure %(id)s") % {"id": p.procedure_id}
        typer.echo(line + (f"  {p.note}" if p.note else ""))


@photo_app.command("save")
def photo_save_command(
    case_id: CaseId,
    photo_id: PhotoId,
    output: Annotated[Path, typer.Argument(help="File to write, e.g. photo.jpg.")],
    thumbnail: Annotated[bool, typer.Option(help="Save the small preview instead.")] = False,
) -> None:
    """Save a copy of a photo (as cleaned: no location or camera data) to a file."""
    from reconsult.casefile.repository import photo_image
    from reconsult.i18n import gettext as _

    found = photo_image(database(), case_id, photo_id, thumbnail=thumbnail)
    if found is None:
        raise fail(_no_photo(photo_id, case_id))
    image, _media_type = found
    try:
        output.write_bytes(image)
    except OSError as exc:
        raise fail(
            _("could not write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
        ) from exc
    typer.echo(_("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": f"{len(image):,}"})


@photo_app.command("remove")
def photo_remove_command(case_id: CaseId, photo_id: PhotoId) -> None:
    """Remove a photo from a case. This cannot be undone."""
    from reconsult.casefile.repository import delete_photo
    from reconsult.i18n import gettext as _

    if not delete_photo(database(), case_id, photo_id):
        raise fail(_no_photo(photo_id, case_id))
    typer.echo(_("Removed."))


def _no_photo(photo_id: str, case_id: str) -> str:
    """Say that the case has no photo with this id."""
    from reconsult.i18n import gettext as _

    return _("there is no photo with id %(photo)s in case %(case)s") % {
        "photo": repr(photo_id),
        "case": repr(case_id),
    }
