"""The packet's photos: grouped by angle, earliest beside latest, and their print copies.

Only the layouts that show photos (HTML and PDF) ask for print copies; the
text form lists each photo by its caption and never reads its bytes.
Photos are printed from copies made here, about :data:`PHOTO_SIDE` pixels on
the longest side (never more than :data:`PHOTO_MAX_SIDE`), plenty for an
80 mm column, so a packet of phone photos stays small and quick to print
(bench/packet_bench.py: 10 photos of 12 MP in about 0.7 s). They are inlined
as ``data:`` URIs. Each photo's bytes are read when its copy is made
(:meth:`~reconsult.casefile.schema.CaseFileData.image_of`: from the case, or
from the database for a case read without them), so a case of 100 photos
never holds more than a few of them at once.
"""

from __future__ import annotations

import base64
import io
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from PIL import Image
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile

from reconsult.casefile.photos import PhotoLimits
from reconsult.casefile.schema import Angle, CaseFileData, Photo, ProcedureRecord
from reconsult.documents.packet.model import PhotoGroup, PhotoTile
from reconsult.documents.packet.words import procedure_for, say_date
from reconsult.knowledge import Knowledge
from reconsult.knowledge.packet_content import PacketWording

__all__ = ["PHOTO_MAX_SIDE", "PHOTO_SIDE", "photo_groups"]

PHOTO_SIDE: Final = 1000  # pixels, longest side wanted: ~300 dpi in a half-page column
# JPEG decoding scales by 1/2, 1/4 or 1/8; a result up to this size is kept as it is
# (a 12 MP photo decodes to 1008 x 756), saving a resample of every photo.
PHOTO_MAX_SIDE: Final = PHOTO_SIDE * 5 // 4
PHOTO_QUALITY: Final = 85


def _print_copy(case: CaseFileData, photo: Photo) -> str:
    """Return a small JPEG of ``photo`` for printing as a data: URI, or "" if it cannot be read.

    Photos were cleaned when added (reconsult.casefile.photos), but a case file
    can be imported, so the bytes are opened with the one Pillow plugin their
    media type names, the pixel count is checked before decoding, and only
    baseline JPEG is decoded (clean_photo writes nothing else; a progressive
    scan can be made to take seconds to decode).
    """
    data = case.image_of(photo)
    if data is None:  # removed or replaced since the case was read
        return ""
    plugin = JpegImageFile if photo.media_type == "image/jpeg" else PngImageFile
    try:
        with plugin(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > PhotoLimits().max_pixels or image.info.get("progressive"):
                return ""
            # Draft mode: libjpeg decodes at 1/2, 1/4 or 1/8 scale, just above the
            # size wanted, so a 12 MP photo is never decoded in full (27 ms, not 150).
            scale = PHOTO_SIDE / max(width, height)
            image.draft("RGB", (round(width * scale), round(height * scale)))
            if max(image.size) > PHOTO_MAX_SIDE:  # PNG, or no scale came close enough
                image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            pixels = image.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=PHOTO_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _print_copies(case: CaseFileData) -> list[str]:
    """Make every photo's print copy, several at once (Pillow decodes without the GIL).

    Each worker reads its photo's bytes itself and lets them go with the
    copy made, so only as many photos as workers are in memory at once.
    """
    photos = case.photos
    if len(photos) < 2:
        return [_print_copy(case, photo) for photo in photos]
    with ThreadPoolExecutor(max_workers=min(len(photos), os.cpu_count() or 1, 4)) as pool:
        return list(pool.map(lambda photo: _print_copy(case, photo), photos))


def _tile(
    photo: Photo,
    src: str | None,
    procedure: ProcedureRecord | None,
    words: PacketWording,
    us: bool,
) -> PhotoTile:
    angle = words.label("angle", photo.angle.value)
    date = say_date(photo.taken_on, us)
    day = words.photo_day_unknown
    if procedure is not None and procedure.performed_on is not None:
        days = (photo.taken_on - procedure.performed_on).days
        day = words.photo_before if days < 0 else words.photo_day.format(days=days)
    return PhotoTile(
        caption=words.photo_caption.format(date=date, angle=angle),
        day=day,
        alt=words.photo_alt.format(angle=angle, date=date),
        note=photo.note,
        src=src,
    )


def photo_groups(
    case: CaseFileData, kb: Knowledge, us: bool, *, copies: bool = True
) -> list[PhotoGroup]:
    """Photos of the same angle (and procedure), earliest beside latest, then the rest by date.

    ``copies``: make each photo's print copy (its tile's ``src``); without,
    no photo's bytes are read and every ``src`` is None.
    """
    words = kb.packet.wording
    by_id = {p.id: p for p in case.procedures}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, photo in enumerate(case.photos):
        procedure = procedure_for(photo.procedure_id, by_id, case)
        groups.setdefault((procedure.id if procedure else "", photo.angle.value), []).append(index)
    angle_order = [a.value for a in Angle]
    procedure_order = {p.id: i for i, p in enumerate(case.procedures)}
    several = len({procedure for procedure, _ in groups}) > 1
    sources: list[str | None] = [*_print_copies(case)] if copies else [None] * len(case.photos)
    out = []
    for procedure_id, angle in sorted(
        groups, key=lambda k: (procedure_order.get(k[0], -1), angle_order.index(k[1]))
    ):
        dated = sorted(groups[(procedure_id, angle)], key=lambda i: (case.photos[i].taken_on, i))
        ordered = [dated[0], dated[-1], *dated[1:-1]] if len(dated) > 1 else dated
        procedure = by_id.get(procedure_id)
        tiles = [_tile(case.photos[i], sources[i], procedure, words, us) for i in ordered]
        label = words.label("angle", angle)
        if several and procedure is not None:
            heading = words.photos_group_for.format(
                angle=label, name=kb.procedures[procedure.procedure].name
            )
        else:
            heading = words.photos_group.format(angle=label)
        out.append(
            PhotoGroup(
                heading=heading,
                rows=[tiles[i : i + 2] for i in range(0, len(tiles), 2)],
                note=words.photo_only_one if len(tiles) == 1 else "",
            )
        )
    return out
