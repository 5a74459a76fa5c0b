"""Shared by the server-mode fuzzing tests: hostile uploads, checks of what was kept, figures.

The hostile photos build on :mod:`tests.casefile.fuzz_images` (every kind of
metadata there carries a planted ``SECRET`` string); this module adds the
server-sized ones (megabytes of metadata, files at the size limit, truncation
at many cut points, polyglots with other headers) and case files for import
whose photos are hostile. :func:`kept_image_problems` says what is wrong with
an image the server kept; an empty list means it holds only pixels.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.casefile import fuzz_images as fi

__all__ = [
    "HostileFile",
    "b64",
    "hostile_photos",
    "kept_image_problems",
    "plain_refusal_problem",
    "show",
    "unb64",
]

MAX_BYTES = 15_000_000  # reconsult.casefile.photos.PhotoLimits().max_bytes
MAX_PIXELS = 40_000_000  # PhotoLimits().max_pixels


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Write ``text`` to the terminal even while pytest captures output (the figures of a run)."""
    with capsys.disabled():
        sys.stdout.write(f"\n{text}\n")


# --- what a kept image may hold ------------------------------------------------------

# Markers before the first scan that a fresh Pillow baseline JPEG has: JFIF (APP0),
# quantisation and Huffman tables, the baseline frame header, the scan.
_FRESH_MARKERS = {0xE0, 0xDB, 0xC4, 0xC0, 0xDA}
# Pillow's JFIF segment payload: "JFIF\0", version 1.1, density unit, x and y density,
# no embedded thumbnail (0 x 0). Nothing else may ride in APP0.
_JFIF = re.compile(rb"JFIF\x00\x01[\x00-\x02][\x00-\x02].{4}\x00\x00", re.S)
_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
_SECRET = re.compile(rb"secret", re.I)


def _segments_before_scan(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of each JPEG segment up to and including the first scan header."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"no marker at byte {pos}")
        marker = data[pos + 1]
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        yield marker, data[pos + 4 : pos + 2 + length]
        if marker == 0xDA:
            return
        pos += 2 + length
    raise ValueError("no scan")


# PNG chunks that hold only pixels and colour (what an import may carry; uploads are JPEG).
_PNG_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"sRGB", b"cHRM", b"sBIT"}
_PNG_INFO_KEYS = {"gamma", "srgb", "chromaticity", "transparency", "dpi"}


def _png_problems(data: bytes, what: str) -> list[str]:
    found: list[str] = []
    pos = 8
    while pos + 8 <= len(data):
        kind = data[pos + 4 : pos + 8]
        if kind not in _PNG_CHUNKS:
            found.append(f"{what}: PNG chunk {kind!r} was kept")
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
        if kind == b"IEND":
            break
    if pos != len(data):
        found.append(f"{what}: bytes after the PNG's end")
    try:
        with Image.open(io.BytesIO(data)) as image:
            extra = set(image.info) - _PNG_INFO_KEYS
            if extra:
                found.append(f"{what}: metadata kept: {sorted(extra)}")
            if image.width * image.height > MAX_PIXELS:
                found.append(f"{what}: {image.width} x {image.height} pixels kept")
            if len(image.getexif()):
                found.append(f"{what}: EXIF kept")
    except Exception as error:  # a kept image must open; say how it does not
        found.append(f"{what}: Pillow cannot open it: {error!r}")
    return found


def kept_image_problems(data: bytes, *, what: str, png: bool = False) -> list[str]:
    """Say why ``data`` (an image the server kept) is not a bare JPEG of pixels; [] if it is.

    ``png``: a bare PNG is fine too (an imported case file may hold one).
    """
    found: list[str] = []
    if _SECRET.search(data):
        found.append(f"{what}: a planted SECRET string is still in the bytes")
    if png and data.startswith(b"\x89PNG\r\n\x1a\n"):
        return found + _png_problems(data, what)
    if not data.startswith(b"\xff\xd8\xff") or not data.endswith(b"\xff\xd9"):
        found.append(f"{what}: not one JPEG from start to end (something before or after it)")
        return found
    try:
        for marker, payload in _segments_before_scan(data):
            if marker not in _FRESH_MARKERS:
                found.append(f"{what}: segment 0x{marker:02X} ({payload[:12]!r}) was kept")
            elif marker == 0xE0 and not _JFIF.fullmatch(payload):
                found.append(f"{what}: APP0 carries more than the JFIF header: {payload[:40]!r}")
    except ValueError as error:
        found.append(f"{what}: {error}")
    if data.count(b"\xff\xd9") != 1 and data.rfind(b"\xff\xd8") > 0:
        found.append(f"{what}: a second image is inside")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG":
                found.append(f"{what}: kept as {image.format}")
            extra = set(image.info) - _INFO_KEYS
            if extra:
                found.append(f"{what}: metadata kept: {sorted(extra)}")
            if len(image.getexif()):
                found.append(f"{what}: EXIF kept: {dict(image.getexif())}")
            if image.width * image.height > MAX_PIXELS:
                found.append(f"{what}: {image.width} x {image.height} pixels kept")
            image.load()
    except Exception as error:  # a kept image must open; say how it does not
        found.append(f"{what}: Pillow cannot open it: {error!r}")
    return found


_NOT_PLAIN = re.compile(
    r"Traceback|Exception|Error\(|OSError|ValueError|PIL\b|Pillow|sqlalchemy|psycopg|"
    r"pydantic|errno|File \"|/src/|\.py\b|\bNone\b|b'",
)


def plain_refusal_problem(html: str) -> str | None:
    """Say what is wrong with a refusal page, or None when it says plainly what happened.

    A form page lists the problem in its error summary; any other page (a
    malformed form) has its heading and first paragraph. Either way the words
    must be there and be words for a person, not a program's.
    """
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    if summary is not None:
        message = " ".join(re.sub(r"<[^>]+>", " ", summary.group(0)).split())
        message = message.removeprefix("There is a problem").strip()
    else:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        message = heading.group(1).strip() if heading else ""
    if len(message) < 10:
        return f"no message on the page: {text[:300]!r}"
    if len(message) > 600:
        return f"the message is very long ({len(message)} characters)"
    bad = _NOT_PLAIN.search(message)
    if bad:
        return f"the message reads like a program's: {message[:300]!r}"
    return None


# --- hostile photos --------------------------------------------------------------------


@dataclass(frozen=True)
class HostileFile:
    """One upload: its bytes, the file name and content type the browser claims."""

    category: str
    name: str
    data: bytes
    filename: str = "photo.jpg"
    content_type: str = "image/jpeg"


def _jpeg(image: Image.Image | None = None, **params: Any) -> bytes:
    return fi.plain_bytes(fi.marked_photo() if image is None else image, "JPEG", **params)


def _segment(marker: int, payload: bytes) -> bytes:
    assert len(payload) <= 65_533
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _after_soi(jpeg: bytes, *segments: bytes) -> bytes:
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_with_chunks(*chunks: bytes) -> bytes:
    """A small real PNG with ``chunks`` inserted after its header."""
    data = fi.plain_bytes(fi.marked_photo(), "PNG")
    header_end = 8 + 25  # signature + IHDR
    return data[:header_end] + b"".join(chunks) + data[header_end:]


def _gif_header_bomb() -> bytes:
    """A GIF whose logical screen and one frame claim 65535 x 65535 pixels."""
    gif = bytearray(fi.plain_bytes(fi.marked_photo(), "GIF"))
    gif[6:10] = struct.pack("<HH", 65_535, 65_535)
    frame = gif.index(b"\x2c")  # image descriptor
    gif[frame + 5 : frame + 9] = struct.pack("<HH", 65_535, 65_535)
    return bytes(gif)


def _bombs() -> Iterator[HostileFile]:
    yield HostileFile("bomb", "png-header-100k-square", fi.png_header_bomb(), "p.png", "image/png")
    yield HostileFile(
        "bomb", "png-header-1-by-2^31", fi.png_header_bomb(1, 2**31 - 1), "p.png", "image/png"
    )
    yield HostileFile(
        "bomb", "png-header-max-uint", fi.png_header_bomb(2**32 - 1, 2**32 - 1), "p.png"
    )
    yield HostileFile("bomb", "png-header-zero", fi.png_header_bomb(0, 0), "p.png", "image/png")
    yield HostileFile("bomb", "png-zeros-100-MP", fi.png_zero_bomb(10_000), "p.png", "image/png")
    yield HostileFile("bomb", "png-zeros-41-MP", fi.png_zero_bomb(6_400), "p.png", "image/png")
    yield HostileFile("bomb", "jpeg-header-65000-square", fi.jpeg_header_bomb())
    yield HostileFile("bomb", "jpeg-header-41-MP", fi.jpeg_header_bomb(6_400, 6_400))
    yield HostileFile("bomb", "jpeg-header-just-under-40-MP", fi.jpeg_header_bomb(6_320, 6_320))
    yield HostileFile("bomb", "jpeg-header-65535-by-1", fi.jpeg_header_bomb(65_535, 1))
    yield HostileFile("bomb", "jpeg-header-zero-width", fi.jpeg_header_bomb(0, 100))
    yield HostileFile(
        "bomb", "webp-vp8x-16384-square", fi.webp_header_bomb(), "p.webp", "image/webp"
    )
    yield HostileFile(
        "bomb", "webp-vp8x-max", fi.webp_header_bomb(2**24, 2**24), "p.webp", "image/webp"
    )
    yield HostileFile("bomb", "gif-header-65535-square", _gif_header_bomb(), "p.gif", "image/gif")
    yield HostileFile("bomb", "jpeg-1000-repeated-scans", fi.many_scans_jpeg())
    yield HostileFile("bomb", "jpeg-3M-empty-segments", fi.many_segments_jpeg())
    yield HostileFile("bomb", "png-1M-empty-chunks", fi.many_chunks_png(), "p.png", "image/png")
    # zTXt / iTXt / iCCP whose compressed text inflates to 100 MB.
    zeros = zlib.compress(b"\x00" * 100_000_000, 9)
    yield HostileFile(
        "bomb",
        "png-ztxt-inflates-to-100-MB",
        _png_with_chunks(_png_chunk(b"zTXt", b"SECRET\x00\x00" + zeros)),
        "p.png",
        "image/png",
    )
    yield HostileFile(
        "bomb",
        "png-itxt-inflates-to-100-MB",
        _png_with_chunks(_png_chunk(b"iTXt", b"SECRET\x00\x01\x00en\x00x\x00" + zeros)),
        "p.png",
        "image/png",
    )
    yield HostileFile(
        "bomb",
        "png-iccp-inflates-to-100-MB",
        _png_with_chunks(_png_chunk(b"iCCP", b"SECRET\x00\x00" + zeros)),
        "p.png",
        "image/png",
    )


def _cut_points(size: int) -> list[int]:
    fixed = [1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 32, 48, 64, 100, 200, 400]
    fractions = [size * k // 10 for k in range(1, 10)]
    tail = [size - n for n in (200, 100, 20, 10, 3, 2, 1)]
    return sorted({p for p in fixed + fractions + tail if 0 < p < size})


def _truncated() -> Iterator[HostileFile]:
    photo = fi.marked_photo(320, 240)
    bases = {
        "jpeg": (fi.jpeg_with_metadata(photo), "image/jpeg"),
        "progressive-jpeg": (_jpeg(photo, progressive=True, quality=90), "image/jpeg"),
        "png": (fi.png_with_metadata(photo), "image/png"),
        "webp": (fi.webp_with_metadata(photo), "image/webp"),
        "webp-lossless": (fi.webp_with_metadata(photo, lossless=True), "image/webp"),
    }
    for kind, (data, media) in bases.items():
        for cut in _cut_points(len(data)):
            yield HostileFile(
                "truncated", f"{kind}-cut-at-{cut}-of-{len(data)}", data[:cut], f"p.{kind}", media
            )


def _polyglots() -> Iterator[HostileFile]:
    jpeg = fi.jpeg_with_metadata()
    png = fi.png_with_metadata()
    yield HostileFile("polyglot", "jpeg-then-zip", fi.jpeg_then_zip())
    yield HostileFile("polyglot", "jpeg-then-html", fi.jpeg_then_html())
    yield HostileFile("polyglot", "png-then-php", fi.png_then_php(), "p.png", "image/png")
    yield HostileFile("polyglot", "png-then-html", png + fi.HTML_PAYLOAD, "p.png", "image/png")
    yield HostileFile("polyglot", "html-with-jpeg-magic", fi.html_with_jpeg_magic())
    yield HostileFile("polyglot", "zip-then-jpeg", fi.zip_payload() + jpeg)
    yield HostileFile("polyglot", "pdf-header-then-jpeg", b"%PDF-1.7\n%SECRET\n" + jpeg)
    yield HostileFile(
        "polyglot",
        "jpeg-with-pdf-in-comment",
        _after_soi(_jpeg(), _segment(0xFE, b"%PDF-1.7 1 0 obj<</SECRET 1>>endobj %%EOF")),
    )
    yield HostileFile(
        "polyglot",
        "jpeg-with-script-in-app1",
        _after_soi(_jpeg(), _segment(0xE1, b"<script>alert('SECRET')</script>")),
    )
    yield HostileFile(
        "polyglot",
        "png-with-html-chunk",
        _png_with_chunks(_png_chunk(b"htMl", fi.HTML_PAYLOAD)),
        "p.png",
        "image/png",
    )
    yield HostileFile(
        "polyglot",
        "webp-then-zip",
        fi.webp_with_metadata() + fi.zip_payload(),
        "p.webp",
        "image/webp",
    )
    yield HostileFile("polyglot", "jpeg-then-second-jpeg", jpeg + fi.jpeg_with_metadata())
    yield HostileFile("polyglot", "mpo-two-frames", fi.mpo_two_frames())
    yield HostileFile("polyglot", "heic-start", fi.fake_heic(), "p.heic", "image/heic")
    for kind, data in fi.other_formats().items():
        yield HostileFile("polyglot", f"other-format-{kind}", data, f"p.{kind}", "image/jpeg")


def _huge_metadata() -> Iterator[HostileFile]:
    secret_block = (b"SECRET " * 9_300)[:65_000]
    exif_segments = [_segment(0xE1, b"Exif\x00\x00" + secret_block) for _ in range(60)]
    yield HostileFile(
        "huge-metadata",
        "jpeg-60-exif-segments-3.9-MB",
        _after_soi(fi.jpeg_with_metadata(), *exif_segments),
    )
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + fi.xmp_packet(padding=60_000)[:65_000]
    yield HostileFile(
        "huge-metadata",
        "jpeg-40-xmp-segments-2.6-MB",
        _after_soi(_jpeg(), *[_segment(0xE1, xmp) for _ in range(40)]),
    )
    junk_icc = b"SECRET-ICC" + fi.random_bytes(4_000_000, seed=3)
    yield HostileFile(
        "huge-metadata",
        "jpeg-4-MB-icc-profile",
        fi.jpeg_with_metadata(icc=junk_icc),
    )
    yield HostileFile(
        "huge-metadata",
        "jpeg-200-comments",
        _after_soi(_jpeg(), *[_segment(0xFE, secret_block) for _ in range(200)]),
    )
    yield HostileFile(
        "huge-metadata",
        "jpeg-1001-comments",
        _after_soi(_jpeg(), *[_segment(0xFE, b"SECRET") for _ in range(1_001)]),
    )
    yield HostileFile("huge-metadata", "jpeg-fuzz-images-huge", fi.huge_metadata_jpeg())
    big_text = b"SECRET " * 800_000  # 5.6 MB
    yield HostileFile(
        "huge-metadata",
        "png-5-MB-text-chunk",
        _png_with_chunks(_png_chunk(b"tEXt", b"Comment\x00" + big_text)),
        "p.png",
        "image/png",
    )
    yield HostileFile(
        "huge-metadata",
        "png-5-MB-exif-chunk",
        _png_with_chunks(_png_chunk(b"eXIf", b"MM\x00*" + big_text)),
        "p.png",
        "image/png",
    )
    info = PngInfo()
    for n in range(200):
        info.add_text(f"Key{n}", "SECRET " * 2_000)
    yield HostileFile(
        "huge-metadata",
        "png-200-text-chunks",
        fi.plain_bytes(fi.marked_photo(), "PNG", pnginfo=info),
        "p.png",
        "image/png",
    )
    yield HostileFile(
        "huge-metadata",
        "png-3-MB-icc-profile",
        fi.plain_bytes(fi.marked_photo(), "PNG", icc_profile=junk_icc[:3_000_000]),
        "p.png",
        "image/png",
    )
    webp = fi.plain_bytes(
        fi.marked_photo(),
        "WEBP",
        exif=b"Exif\x00\x00MM\x00*" + big_text,
        xmp=big_text,
        icc_profile=junk_icc[:2_000_000],
    )
    yield HostileFile("huge-metadata", "webp-13-MB-of-exif-xmp-icc", webp, "p.webp", "image/webp")


def _names_and_types() -> Iterator[HostileFile]:
    photo = fi.jpeg_with_metadata()
    names = {
        "path-traversal": "../../../../etc/passwd",
        "windows-traversal": "..\\..\\Windows\\win.ini",
        "absolute-path": "/var/lib/reconsult/reconsult.sqlite3",
        "very-long": "a" * 10_000 + ".jpg",
        "script": "<script>alert('SECRET')</script>.jpg",
        "php": "shell.php",
        "double-extension": "photo.jpg.php",
        "right-to-left-override": "photo\u202egpj.exe",
        "unicode": "фото 写真 📷.jpg",
        "empty": "",
        "dot": ".",
        "quote-and-crlf": 'a"; name="evil\r\nX-Injected: 1.jpg',
    }
    for label, filename in names.items():
        yield HostileFile("name-and-type", f"name-{label}", photo, filename, "image/jpeg")
    types = [
        "text/html",
        "application/x-php",
        "image/svg+xml",
        "application/octet-stream",
        "application/zip",
        "image/png",
        "text/plain; charset=utf-16",
        "multipart/form-data; boundary=evil",
        "x" * 5_000,
    ]
    for content_type in types:
        yield HostileFile(
            "name-and-type", f"type-{content_type[:40]}", photo, "photo.jpg", content_type
        )


def _sizes() -> Iterator[HostileFile]:
    photo = fi.jpeg_with_metadata()
    yield HostileFile("size", "empty-file", b"")
    yield HostileFile("size", "one-byte", b"\xff")
    yield HostileFile("size", "jpeg-signature-only", b"\xff\xd8\xff")
    yield HostileFile("size", "padded-to-exactly-the-limit", photo + bytes(MAX_BYTES - len(photo)))
    yield HostileFile("size", "one-byte-over-the-limit", photo + bytes(MAX_BYTES + 1 - len(photo)))
    yield HostileFile("size", "1-MB-over-the-limit", photo + bytes(MAX_BYTES + 1_000_000))
    yield HostileFile("size", "zeros-at-the-limit", bytes(MAX_BYTES))
    yield HostileFile("size", "noise", fi.random_bytes(100_000))


def hostile_photos() -> list[HostileFile]:
    """Every hostile upload, in a fixed order."""
    return [
        *_bombs(),
        *_truncated(),
        *_polyglots(),
        *_huge_metadata(),
        *_names_and_types(),
        *_sizes(),
    ]


# --- hypothesis: byte mutations of a real photo -------------------------------------


def mutate(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    """Apply (kind, position, bytes) edits: flip, set, insert, delete, repeat, cut."""
    out = bytearray(data)
    for kind, where, payload in edits:
        if not out:
            break
        at = where % len(out)
        if kind == "flip":
            out[at] ^= payload[0] if payload and payload[0] else 0xFF
        elif kind == "set":
            out[at : at + len(payload)] = payload
        elif kind == "insert":
            out[at:at] = payload
        elif kind == "delete":
            del out[at : at + max(1, len(payload))]
        elif kind == "repeat":
            out[at:at] = bytes(out[at : at + 64]) * (1 + len(payload) % 8)
        elif kind == "cut":
            del out[at:]
    return bytes(out)


# --- case files for import ------------------------------------------------------------


def b64(data: bytes) -> str:
    """Encode bytes as the case file does (URL-safe base64)."""
    return base64.urlsafe_b64encode(data).decode()


def unb64(text: str) -> bytes:
    """Decode a case file's base64 (URL-safe, padding optional)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def with_photo(
    export: dict[str, Any],
    case_id: str,
    image: bytes,
    *,
    thumbnail: bytes | None = None,
    width: int | None = None,
    height: int | None = None,
    media_type: str = "image/jpeg",
    sha256: str | None = None,
) -> dict[str, Any]:
    """A copy of ``export`` (one photo in it) under a new case id, its photo's bytes replaced.

    The digest is made to match, so the import's own checks are what refuse it.
    """
    changed: dict[str, Any] = json.loads(json.dumps(export))
    changed["case"]["id"] = case_id
    photo = changed["case"]["photos"][0]
    photo["image"] = b64(image)
    photo["thumbnail"] = b64(image if thumbnail is None else thumbnail)
    photo["sha256"] = sha256 or hashlib.sha256(image).hexdigest()
    photo["media_type"] = media_type
    if width is not None:
        photo["width"] = width
    if height is not None:
        photo["height"] = height
    return changed


def with_case(
    export: dict[str, Any], case_id: str, change: Callable[[dict[str, Any]], None]
) -> bytes:
    """A copy of ``export`` under a new case id, changed in place by ``change``; as bytes."""
    changed: dict[str, Any] = json.loads(json.dumps(export))
    changed["case"]["id"] = case_id
    change(changed)
    return json.dumps(changed).encode()


def nested_list(depth: int) -> str:
    """A JSON list nested ``depth`` deep."""
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    """A JSON object nested ``depth`` deep."""
    return '{"a":' * depth + "1" + "}" * depth
