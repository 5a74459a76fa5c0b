"""Make a phone photo safe to keep: upright, every byte of metadata gone, limits enforced.

``clean_photo`` takes the bytes a person uploaded and returns a new JPEG that
holds only pixels, plus a thumbnail. The recipe (research notes, section 2.12,
measured on Pillow 13):

1. Refuse by byte size before parsing anything.
2. Recognise the file by its first bytes and open it with exactly one Pillow
   plugin: JPEG, PNG or WebP, the formats phones produce and browsers send.
   Anything else is refused; HEIC gets its own message (no maintained decoder
   is installed).
3. Read the width and height from the header and refuse too many pixels
   *before* any pixel is decoded. We never call ``Image.open``: it runs
   Pillow's process-wide ``MAX_IMAGE_PIXELS`` check, which only *warns*
   between 89 and 179 million pixels, and changing that global (or the
   warnings filters, which ``warnings.catch_warnings`` does for every thread
   at once) would leak into other code. Our own limit, checked first, is lower.
4. Decode, turn upright (``ImageOps.exif_transpose``), convert colours to sRGB
   when the photo carries a colour profile (iPhones tag photos Display P3;
   dropping the profile without converting would make reds look duller, the
   very thing a person is watching), flatten any transparency onto white.
5. Copy the pixels into a brand-new ``Image.new`` image and save that. Deleting
   EXIF is not enough: ``exif_transpose`` keeps GPS and camera tags, Pillow's
   JPEG writer keeps the comment, the PNG writer keeps the ICC profile, and
   XMP, MakerNotes and trailing data (polyglots) ride along in ``info`` or
   after the image. A fresh image has no ``info`` at all, so nothing can.

The output is always a baseline JPEG, thumbnail included: one format to store,
compare and export, bounded in size, with no chunks for metadata to hide in.
Transparency carries no information about a body, so it is flattened.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Final, Literal

from PIL import Image, ImageCms, ImageFile, ImageOps
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile
from PIL.WebPImagePlugin import WebPImageFile

# PhotoError lives in reconsult.errors, with the rest of the error tree; re-exported here.
from reconsult.errors import PhotoError, PhotoProblem
from reconsult.i18n import gettext as _

__all__ = ["CleanPhoto", "PhotoError", "PhotoLimits", "PhotoProblem", "clean_photo"]

MEDIA_TYPE: Final = "image/jpeg"
IMAGE_QUALITY: Final = 90  # visually lossless for skin detail at phone resolutions
THUMBNAIL_QUALITY: Final = 80


@dataclass(frozen=True)
class PhotoLimits:
    """How big an upload may be, and how big its thumbnail is."""

    # Phone JPEGs are 2-8 MB; a 12 MP PNG screenshot or a 50 MP photo can pass
    # 15 MB. Above this we refuse before reading a single header byte.
    max_bytes: int = 15_000_000
    # Pillow holds RGB in 4 bytes a pixel and cleaning holds two copies at
    # once: a 40 MP photo peaked at 313 MB and took 1.2 s (12 MP: 97 MB,
    # 0.33 s). Phones save 12 MP (24 MP on recent iPhones) unless the person
    # picks a "high resolution" mode.
    max_pixels: int = 40_000_000
    thumbnail_side: int = 320  # longest side, in pixels: a list or comparison tile

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.max_pixels, self.thumbnail_side) < 1:
            msg = f"photo limits must be positive: {self}"
            raise ValueError(msg)


@dataclass(frozen=True)
class CleanPhoto:
    """A photo holding only pixels: upright, sRGB, re-encoded, with a thumbnail.

    ``image`` and ``thumbnail`` are both JPEG (``media_type``); ``width`` and
    ``height`` are the upright image's; ``sha256`` is the hex digest of ``image``.
    """

    image: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    media_type: Literal["image/jpeg"]
    sha256: str


def clean_photo(data: bytes, *, limits: PhotoLimits = PhotoLimits()) -> CleanPhoto:
    """Return a metadata-free, upright JPEG of ``data`` and its thumbnail, or raise PhotoError."""
    _check_bytes(data, limits)
    source = _open(data, limits)
    try:
        pixels = _decode(source)
    finally:
        source.close()
    image = _encode(pixels, IMAGE_QUALITY)
    return CleanPhoto(
        image=image,
        thumbnail=_encode(_thumbnail(pixels, limits.thumbnail_side), THUMBNAIL_QUALITY),
        width=pixels.width,
        height=pixels.height,
        media_type=MEDIA_TYPE,
        sha256=hashlib.sha256(image).hexdigest(),
    )


# ---------------------------------------------------------------------------
# Refusals, cheapest first


def _check_bytes(data: bytes, limits: PhotoLimits) -> None:
    if not data:
        raise PhotoError("empty", _("This file is empty. Please choose a photo."))
    if len(data) > limits.max_bytes:
        raise PhotoError(
            "too_large",
            _("This photo is too large (%(size)s MB). Please choose a photo under %(most)s MB.")
            % {
                "size": _amount(len(data), 1_000_000, up=True),
                "most": _amount(limits.max_bytes, 1_000_000),
            },
        )


# ISO base media "ftyp" brands of HEIF files (ISO/IEC 23008-12, annex B).
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_PLUGINS: Final[dict[str, type[ImageFile.ImageFile]]] = {
    "jpeg": JpegImageFile,
    "png": PngImageFile,
    "webp": WebPImageFile,
}


def _kind(data: bytes) -> str | None:
    """Name the format from its signature, or None for anything we do not open."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


def _open(data: bytes, limits: PhotoLimits) -> ImageFile.ImageFile:
    """Parse the header with the one plugin for this format; no pixels are decoded yet."""
    kind = _kind(data)
    if kind == "heic":
        raise PhotoError(
            "heic",
            _(
                "We cannot open HEIC photos yet. Please choose a JPEG or PNG photo instead. "
                "To take new photos as JPEG on an iPhone, go to Settings, then Camera, "
                "then Formats, and choose Most Compatible."
            ),
        )
    if kind is None:
        raise PhotoError(
            "unsupported",
            _("We could not read this file as a photo. Please choose a JPEG or PNG photo."),
        )
    if kind == "jpeg":
        _check_jpeg_structure(data)
    elif kind == "png":
        _check_png_structure(data)
    else:  # libwebp allocates its canvas while parsing the header, so check first
        _check_pixels(_webp_size(data), limits)
    try:
        # Calling the plugin class, not Image.open, skips Pillow's global
        # MAX_IMAGE_PIXELS warning; _check_pixels below is the check that counts.
        image = _PLUGINS[kind](io.BytesIO(data))
    except _BAD_DATA as error:
        raise _damaged() from error
    try:
        _check_pixels(image.size, limits)
    except PhotoError:
        image.close()
        raise
    return image


def _check_pixels(size: tuple[int, int], limits: PhotoLimits) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > limits.max_pixels:
        raise PhotoError(
            "too_many_pixels",
            _(
                "This image is too big to open safely (%(size)s million pixels). "
                "Please choose a photo under %(most)s million pixels, "
                "or set your camera to its normal size."
            )
            % {
                "size": _amount(width * height, 1_000_000, up=True),
                "most": _amount(limits.max_pixels, 1_000_000),
            },
        )


# Work that grows with the count of segments, not with bytes or pixels.
# Measured with Pillow 13 on this project's machine: each repeat of a
# progressive JPEG scan re-walks every block of the image (1,000 repeated
# scans of a 36 MP image: a 376 KB file, 21 s to decode), and 3 million empty
# JPEG segments or 1 million PNG chunks in 15 MB take 3-4 s to parse in Python.
# Real photos: 10-20 JPEG segments, at most ~20 scans (libjpeg's progressive
# script has 10); PNG writers split pixel data into 8-64 KB chunks.
_MAX_JPEG_SEGMENTS: Final = 1_000
_MAX_JPEG_SCANS: Final = 64
_MAX_PNG_CHUNKS: Final = 50_000
# End of a scan's entropy-coded data: 0xFF followed by anything but a stuffed
# zero or a restart marker (ITU T.81, B.1.1.2 and B.1.1.5).
_SCAN_END: Final = re.compile(rb"\xff[^\x00\xd0-\xd7]")


def _check_jpeg_structure(data: bytes) -> None:
    """Refuse a JPEG whose first image has absurdly many segments or scans."""
    segments = scans = 0
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        segments += 1  # fill bytes count too, so a run of them is bounded
        if segments > _MAX_JPEG_SEGMENTS or scans > _MAX_JPEG_SCANS:
            raise _unusual()
        if marker == 0xD9:  # end of the first image; the rest is not decoded
            return
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 1 if marker == 0xFF else 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:
            scans += 1
            end = _SCAN_END.search(data, pos)
            if end is None:
                return
            pos = end.start()
    # Anything that is not a marker is damage the decoder will report.


def _check_png_structure(data: bytes) -> None:
    """Refuse a PNG with absurdly many chunks."""
    chunks = 0
    pos = 8
    while pos + 8 <= len(data):
        chunks += 1
        if chunks > _MAX_PNG_CHUNKS:
            raise _unusual()
        if data[pos + 4 : pos + 8] == b"IEND":
            return
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")


def _webp_size(data: bytes) -> tuple[int, int]:
    """Width and height from a WebP header (RFC 9649, section 2.5-2.7); (0, 0) if unreadable."""
    chunk = data[12:16]
    try:
        if chunk == b"VP8X":  # extended: the canvas, 24-bit sizes minus one
            width = int.from_bytes(data[24:27], "little") + 1
            height = int.from_bytes(data[27:30], "little") + 1
            return width, height
        if chunk == b"VP8L":  # lossless: 14-bit sizes minus one after the 0x2f signature
            (bits,) = struct.unpack("<I", data[21:25])
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":  # lossy: 14-bit sizes after the 9d 01 2a start code
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
    except struct.error:
        pass
    return 0, 0


# What Pillow raises on hostile or broken bytes. Warnings are listed because
# under an "error" warnings filter (our tests) Pillow's warnings about corrupt
# data arrive as exceptions; otherwise they are only printed.
_BAD_DATA: Final = (
    OSError,  # includes "image file is truncated" and decoder errors
    SyntaxError,  # Pillow's "not a JPEG file" family
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
    Warning,
)


def _unusual() -> PhotoError:
    return PhotoError(
        "unusual",
        _(
            "This photo is stored in an unusual way, so we cannot open it safely. "
            "Please choose another photo."
        ),
    )


def _damaged() -> PhotoError:
    return PhotoError(
        "damaged",
        _(
            "This photo seems to be damaged or cut short, so we could not open it. "
            "Please try choosing it again."
        ),
    )


# ---------------------------------------------------------------------------
# Pixels only


def _decode(source: ImageFile.ImageFile) -> Image.Image:
    """Return the upright sRGB pixels of ``source`` in a fresh RGB image with no metadata."""
    try:
        source.load()
    except _BAD_DATA as error:
        raise _damaged() from error
    image: Image.Image = source
    _turn_upright(image)
    image = _to_srgb(image)
    image = _to_rgb_or_rgba(image)
    fresh = Image.new("RGB", image.size, "white")
    # The copy: only pixel values cross into ``fresh``; info, EXIF, XMP, ICC,
    # comments, text chunks and any trailing bytes stay behind in ``image``.
    if image.mode == "RGBA":
        fresh.paste(image, (0, 0), image)  # flatten transparency onto white
    else:
        fresh.paste(image, (0, 0))
    return fresh


def _turn_upright(image: Image.Image) -> None:
    """Apply the EXIF (or XMP) orientation in place; leave the image as it is if unreadable."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # noqa: S110 (hostile metadata must not cost the person their photo)
        # exif_transpose parses EXIF before it transposes and rewrites EXIF
        # after, so a failure leaves the image either as stored or already
        # upright, never half done; the metadata is being discarded anyway.
        pass


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours from the embedded ICC profile to sRGB; unchanged if there is none."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return image  # already sRGB: converting costs 0.2 s for nothing
        srgb = ImageCms.createProfile("sRGB")
        if image.mode in ("RGB", "RGBA"):  # in place: no third copy of a 40 MP image
            ImageCms.profileToProfile(image, profile, srgb, inPlace=True)
            return image
        converted = ImageCms.profileToProfile(image, profile, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError, Warning):
        return image  # a broken profile: keep the colours as stored rather than refuse
    return converted if converted is not None else image


_SIXTEEN_BIT: Final = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N"})


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    """Return an RGB image, or RGBA when the source can be see-through."""
    if image.mode in _SIXTEEN_BIT:
        # 16-bit grey PNG: scale to 8 bits (a plain convert clips, giving white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.has_transparency_data:
        return image.convert("RGBA")
    return image.convert("RGB")


def _thumbnail(image: Image.Image, side: int) -> Image.Image:
    """Return a copy whose longest side is at most ``side``, same aspect ratio, never enlarged."""
    scale = min(1.0, side / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, quality: int) -> bytes:
    """Save as a baseline JPEG with nothing but the pixels (and the JFIF header)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _amount(value: int, unit: int, *, up: bool = False) -> str:
    """Format ``value / unit`` with at most one decimal, rounded up or down ("23", "15.1")."""
    tenths = math.ceil(value * 10 / unit) if up else math.floor(value * 10 / unit)
    return f"{tenths // 10:,}" if tenths % 10 == 0 else f"{tenths / 10:,.1f}"
