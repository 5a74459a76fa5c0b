"""Check that a photo in an imported case file holds nothing but pixels.

Photos are cleaned when they are uploaded (:mod:`reconsult.casefile.photos`).
A case file brought in from elsewhere could carry photos that were never
cleaned, or were changed after export, so import checks each one instead of
trusting it: its digest matches, its file structure holds only what our own
cleaner writes (no EXIF, GPS, XMP, comments or text chunks, nothing after the
end of the image) and its size is within the upload limits. Re-cleaning would
change the bytes and break the lossless round trip, so a photo that fails is
refused, with the whole import.
"""

from __future__ import annotations

import hashlib

from reconsult.casefile.photos import PhotoLimits
from reconsult.casefile.schema import Photo
from reconsult.i18n import gettext as _

__all__ = ["photo_problem"]

# JPEG markers our cleaner writes: start and end of image, JFIF (APP0),
# quantisation and Huffman tables, frame headers, restart interval, scans.
_JPEG_ALLOWED = {0xD8, 0xD9, 0xE0, 0xDB, 0xC4, 0xDD, 0xDA} | set(range(0xC0, 0xC4))
_JPEG_ALLOWED |= {0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# PNG chunks that hold pixels or colour only (no text, time or EXIF).
_PNG_ALLOWED = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"sRGB", b"cHRM", b"sBIT"}
_FRAMES = set(range(0xC0, 0xC4)) | {0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_MAX_PARTS = 2_000
_LIMITS = PhotoLimits()  # frozen: safe to share as the default


def photo_problem(photo: Photo, limits: PhotoLimits = _LIMITS) -> str | None:
    """Return why ``photo`` cannot be imported as it is, or None when it holds only pixels.

    The reason is a clause for a sentence ("... cannot be kept: <reason>."), in the
    current language.
    """
    if photo.image is None or photo.thumbnail is None:
        return _("its image is missing")
    if hashlib.sha256(photo.image).hexdigest() != photo.sha256:
        return _("it was changed after it was saved")
    if photo.width * photo.height > limits.max_pixels or len(photo.image) > limits.max_bytes:
        return _("it is larger than reconsult accepts")
    for data in (photo.image, photo.thumbnail):
        problem = _jpeg_problem(data) if data[:2] == b"\xff\xd8" else _png_problem(data)
        if problem:
            return problem
    # The pixels the file itself says it holds, not what the case file claims.
    if _size_of(photo.image) != (photo.width, photo.height):
        return _("it is not the size the case file says")
    thumb = _size_of(photo.thumbnail)
    if thumb is None or max(thumb) > limits.thumbnail_side:
        return _("its thumbnail is larger than reconsult makes")
    return None


# The only APP0 segment our cleaner writes: a bare JFIF header (no thumbnail, nothing else).
_JFIF_LENGTH = 16


def _size_of(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) from a JPEG frame header or a PNG IHDR, or None if not found."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    pos = 2
    while pos + 9 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in _FRAMES:
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            return int.from_bytes(data[pos + 7 : pos + 9], "big"), height
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return None


def _jpeg_problem(data: bytes) -> str | None:
    pos, parts = 2, 0
    while pos + 4 <= len(data):
        parts += 1
        if parts > _MAX_PARTS or data[pos] != 0xFF:
            return _("it is stored in an unusual way")
        marker = data[pos + 1]
        if marker not in _JPEG_ALLOWED:
            return _("it still carries hidden details, such as where or when it was taken")
        if marker == 0xD9:
            return None if pos + 2 == len(data) else _("it has something hidden after the picture")
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xE0 and (length != _JFIF_LENGTH or data[pos + 4 : pos + 9] != b"JFIF\x00"):
            return _("it still carries hidden details, such as where or when it was taken")
        pos += 2 + length
        if marker == 0xDA:  # compressed data runs to the next marker that is not a restart
            while pos + 1 < len(data):
                if data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                pos += 1
    if pos + 2 == len(data) and data[pos:] == b"\xff\xd9":
        return None
    return _("it is damaged or cut short")


def _png_problem(data: bytes) -> str | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return _("it is not a JPEG or PNG photo")
    pos, parts = 8, 0
    while pos + 8 <= len(data):
        parts += 1
        kind = data[pos + 4 : pos + 8]
        if parts > _MAX_PARTS:
            return _("it is stored in an unusual way")
        if kind not in _PNG_ALLOWED:
            return _("it still carries hidden details, such as where or when it was taken")
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
        if kind == b"IEND":
            return None if pos == len(data) else _("it has something hidden after the picture")
    return _("it is damaged or cut short")
