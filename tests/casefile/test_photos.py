"""A phone photo comes out upright, holding only pixels; anything hostile is a PhotoError."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import time
import warnings
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from reconsult.casefile.photos import CleanPhoto, PhotoError, PhotoLimits, clean_photo
from reconsult.errors import CaseInputError, ReconsultError
from tests.casefile import fuzz_images as fuzz

# What Pillow's JPEG writer puts in a file holding nothing but pixels.
PIXELS_ONLY_MARKERS = {
    0xD8,  # SOI
    0xE0,  # APP0, the JFIF header (version, density)
    0xDB,  # quantisation tables
    0xC0,  # baseline frame header
    0xC4,  # Huffman tables
    0xDA,  # start of scan
    0xD9,  # EOI
}
JFIF_INFO_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
UNSUPPORTED = "We could not read this file as a photo. Please choose a JPEG or PNG photo."


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """Walk a JPEG marker by marker; fail if anything follows the end-of-image marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments: list[tuple[int, bytes]] = [(0xD8, b"")]
    pos = 2
    while True:
        assert data[pos] == 0xFF, f"expected a marker at byte {pos}"
        marker = data[pos + 1]
        if marker == 0xD9:
            segments.append((marker, b""))
            assert pos + 2 == len(data), f"{len(data) - pos - 2} bytes after the image"
            return segments
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:  # skip entropy-coded data up to the next real marker
            while data[pos] != 0xFF or data[pos + 1] == 0 or 0xD0 <= data[pos + 1] <= 0xD7:
                pos += 1


def assert_only_pixels(data: bytes) -> None:
    """The JPEG holds pixels and a JFIF header: no EXIF, GPS, XMP, ICC, comment or trailer."""
    segments = jpeg_segments(data)
    markers = {marker for marker, _ in segments}
    assert markers <= PIXELS_ONLY_MARKERS, f"unexpected segments {markers - PIXELS_ONLY_MARKERS}"
    assert [payload[:5] for marker, payload in segments if marker == 0xE0] == [b"JFIF\x00"]
    for secret in fuzz.SECRETS:
        assert secret.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"
        assert set(image.info) <= JFIF_INFO_KEYS, set(image.info) - JFIF_INFO_KEYS
        assert not image.getexif()
        assert image.info.get("icc_profile") is None
        image.load()  # decodes cleanly to the end


def assert_clean(photo: CleanPhoto) -> None:
    assert photo.media_type == "image/jpeg"
    assert photo.sha256 == hashlib.sha256(photo.image).hexdigest()
    assert_only_pixels(photo.image)
    assert_only_pixels(photo.thumbnail)
    with Image.open(io.BytesIO(photo.image)) as image:
        assert image.size == (photo.width, photo.height)


DEFAULT_LIMITS = PhotoLimits()


def refusal(data: bytes, limits: PhotoLimits = DEFAULT_LIMITS) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        clean_photo(data, limits=limits)
    return caught.value


def pixel(data: bytes, xy: tuple[int, int]) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(data)) as image:
        value = image.convert("RGB").getpixel(xy)
    assert isinstance(value, tuple)
    return (value[0], value[1], value[2])


def is_red(rgb: tuple[int, int, int]) -> bool:
    return rgb[0] > 200 and rgb[1] < 60 and rgb[2] < 60


def close_to(rgb: tuple[int, int, int], expected: tuple[int, int, int], within: int = 12) -> bool:
    return all(abs(a - b) <= within for a, b in zip(rgb, expected, strict=True))


# ---------------------------------------------------------------------------
# Upright


# Where the stored top-left corner is shown, for each EXIF orientation (CIPA DC-008, 4.6.4).
CORNER_SHOWN_AT = {1: "tl", 2: "tr", 3: "br", 4: "bl", 5: "tl", 6: "tr", 7: "br", 8: "bl"}


def red_corner(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    corners = {
        "tl": (2, 2),
        "tr": (width - 3, 2),
        "bl": (2, height - 3),
        "br": (width - 3, height - 3),
    }
    red = [name for name, xy in corners.items() if is_red(pixel(data, xy))]
    assert len(red) == 1, red
    return red[0]


@pytest.mark.parametrize("orientation", sorted(CORNER_SHOWN_AT))
def test_jpeg_comes_out_upright_for_every_exif_orientation(orientation: int) -> None:
    photo = clean_photo(fuzz.jpeg_with_metadata(orientation=orientation))
    assert (photo.width, photo.height) == ((60, 40) if orientation < 5 else (40, 60))
    assert red_corner(photo.image) == CORNER_SHOWN_AT[orientation]
    assert red_corner(photo.thumbnail) == CORNER_SHOWN_AT[orientation]
    assert_clean(photo)


def test_sideways_phone_photo_is_portrait_with_the_red_square_top_right() -> None:
    """The common case: a phone held upright stores landscape pixels plus orientation 6."""
    photo = clean_photo(fuzz.jpeg_with_metadata(orientation=6))
    assert photo.height > photo.width
    assert is_red(pixel(photo.image, (photo.width - 3, 2)))
    assert not is_red(pixel(photo.image, (2, 2)))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(fuzz.png_with_metadata(orientation=6), id="png-exif"),
        pytest.param(fuzz.jpeg_with_metadata(xmp_orientation=6), id="jpeg-xmp-only"),
    ],
)
def test_orientation_from_png_exif_or_xmp_is_applied(data: bytes) -> None:
    photo = clean_photo(data)
    assert (photo.width, photo.height) == (40, 60)
    assert red_corner(photo.image) == "tr"
    assert_clean(photo)


# ---------------------------------------------------------------------------
# Only pixels survive


METADATA_HEAVY = {
    "jpeg": fuzz.jpeg_with_metadata,
    "png": fuzz.png_with_metadata,
    "webp-lossy": fuzz.webp_with_metadata,
    "webp-lossless": lambda: fuzz.webp_with_metadata(lossless=True),
    "mpo-two-frames": fuzz.mpo_two_frames,
    "jpeg-display-p3": lambda: fuzz.jpeg_with_metadata(icc=fuzz.display_p3_profile()),
    "jpeg-huge-metadata": fuzz.huge_metadata_jpeg,
    "polyglot-jpeg-zip": fuzz.jpeg_then_zip,
    "polyglot-jpeg-html": fuzz.jpeg_then_html,
    "polyglot-png-php": fuzz.png_then_php,
}


@pytest.mark.parametrize("make", METADATA_HEAVY.values(), ids=METADATA_HEAVY.keys())
def test_gps_camera_comments_xmp_icc_and_text_chunks_are_gone(make: Callable[[], bytes]) -> None:
    source = make()
    with Image.open(io.BytesIO(source)) as image:  # the input really carries metadata
        assert image.getexif() or image.info.get("comment") or image.text  # type: ignore[attr-defined]
    photo = clean_photo(source)
    assert_clean(photo)
    assert red_corner(photo.image) == "tl"


def test_input_really_carries_gps_and_the_output_does_not() -> None:
    source = fuzz.jpeg_with_metadata()
    with Image.open(io.BytesIO(source)) as image:
        gps = image.getexif().get_ifd(0x8825)
        assert gps[2] == (51.0, 30.0, 26.5)  # GPSLatitude
        assert image.info["comment"] == fuzz.JPEG_COMMENT.encode()
        assert "icc_profile" in image.info and "xmp" in image.info
    photo = clean_photo(source)
    with Image.open(io.BytesIO(photo.image)) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert "comment" not in image.info


def test_polyglot_payloads_after_the_image_are_dropped() -> None:
    for source, payload in [
        (fuzz.jpeg_then_zip(), b"PK\x03\x04"),
        (fuzz.jpeg_then_html(), b"<script"),
        (fuzz.png_then_php(), b"<?php"),
    ]:
        assert payload in source
        photo = clean_photo(source)
        assert payload not in photo.image
        jpeg_segments(photo.image)  # nothing after the end-of-image marker


def test_only_the_first_picture_of_a_multi_picture_jpeg_is_kept() -> None:
    photo = clean_photo(fuzz.mpo_two_frames())
    assert photo.image.count(b"\xff\xd8") == 1
    assert red_corner(photo.image) == "tl"


# ---------------------------------------------------------------------------
# Colours and image modes


def test_display_p3_colours_are_converted_to_srgb_not_just_dropped() -> None:
    """An iPhone's P3 red stays as red on screen: sRGB numbers get more saturated."""
    stored = (200, 60, 60)
    source = fuzz.jpeg_with_metadata(
        Image.new("RGB", (32, 32), stored), icc=fuzz.display_p3_profile(), quality=100
    )
    red, green, blue = pixel(clean_photo(source).image, (16, 16))
    assert red > stored[0] + 10
    assert green < stored[1] - 10
    assert blue < stored[2] - 5


@pytest.mark.parametrize(
    "icc", [fuzz.srgb_profile(), b"not a colour profile" * 10], ids=["srgb", "junk"]
)
def test_srgb_or_broken_profiles_keep_colours_as_stored(icc: bytes) -> None:
    stored = (200, 60, 60)
    source = fuzz.jpeg_with_metadata(Image.new("RGB", (32, 32), stored), icc=icc, quality=100)
    assert close_to(pixel(clean_photo(source).image, (16, 16)), stored, within=4)


def _png(image: Image.Image, **params: object) -> bytes:
    return fuzz.plain_bytes(image, "PNG", **params)


def _half_transparent() -> Image.Image:
    image = Image.new("RGBA", (20, 20), (255, 0, 0, 255))
    image.paste((0, 0, 255, 0), (10, 0, 20, 20))  # right half fully see-through
    return image


def _sixteen_bit_grey() -> Image.Image:
    image = Image.new("I;16", (20, 20), 0)
    image.paste(Image.new("I;16", (10, 20), 32768), (10, 0))  # right half mid grey
    return image


@pytest.mark.parametrize(
    ("source", "left", "right"),
    [
        pytest.param(_png(_half_transparent()), fuzz.RED, (255, 255, 255), id="rgba-on-white"),
        pytest.param(
            _png(_half_transparent().convert("LA")), (76, 76, 76), (255, 255, 255), id="la"
        ),
        pytest.param(_png(_sixteen_bit_grey()), (0, 0, 0), (128, 128, 128), id="16-bit-grey"),
        pytest.param(
            fuzz.plain_bytes(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG"),
            fuzz.RED,
            fuzz.RED,
            id="cmyk-jpeg",
        ),
        pytest.param(
            fuzz.plain_bytes(Image.new("L", (20, 20), 100), "JPEG"),
            (100, 100, 100),
            (100, 100, 100),
            id="grey-jpeg",
        ),
        pytest.param(_png(Image.new("1", (20, 20), 1)), (255,) * 3, (255,) * 3, id="1-bit"),
    ],
)
def test_every_mode_becomes_an_rgb_jpeg(
    source: bytes, left: tuple[int, int, int], right: tuple[int, int, int]
) -> None:
    photo = clean_photo(source)
    assert_clean(photo)
    assert close_to(pixel(photo.image, (3, 10)), left)
    assert close_to(pixel(photo.image, (16, 10)), right)


def test_palette_png_with_transparency_is_flattened_onto_white() -> None:
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.paste(1, (10, 0, 20, 20))
    photo = clean_photo(_png(image, transparency=1))
    assert_clean(photo)
    assert close_to(pixel(photo.image, (3, 10)), fuzz.RED)
    assert close_to(pixel(photo.image, (16, 10)), (255, 255, 255))


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_animations_keep_their_first_frame(format: str) -> None:
    frames = [Image.new("RGB", (20, 20), fuzz.RED), Image.new("RGB", (20, 20), fuzz.BLUE)]
    source = fuzz.plain_bytes(frames[0], format, save_all=True, append_images=frames[1:])
    photo = clean_photo(source)
    assert_clean(photo)
    assert is_red(pixel(photo.image, (10, 10)))


# ---------------------------------------------------------------------------
# Thumbnails


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((4032, 3024), (320, 240)),
        ((3024, 4032), (240, 320)),
        ((1000, 1000), (320, 320)),
        ((5000, 7), (320, 1)),
        ((200, 100), (200, 100)),  # never enlarged
    ],
)
def test_thumbnail_fits_the_limit_and_keeps_the_shape(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    photo = clean_photo(fuzz.plain_bytes(fuzz.marked_photo(*size), "JPEG"))
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == expected
    assert_clean(photo)


def test_thumbnail_side_is_a_limit() -> None:
    photo = clean_photo(fuzz.jpeg_with_metadata(), limits=PhotoLimits(thumbnail_side=30))
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == (30, 20)


# ---------------------------------------------------------------------------
# Limits and refusals, with the words a person sees


def test_too_many_bytes_is_refused_before_reading() -> None:
    error = refusal(b"\xff\xd8\xff" + bytes(23_000_000 - 3))
    assert error.problem == "too_large"
    assert str(error) == "This photo is too large (23 MB). Please choose a photo under 15 MB."


def test_the_size_shown_is_never_rounded_down_to_the_limit() -> None:
    error = refusal(b"\xff\xd8\xff" + bytes(15_000_000))
    assert "(15.1 MB)" in str(error)
    assert "(2.1 MB)" in str(refusal(bytes(2_000_003), PhotoLimits(max_bytes=2_000_000)))


def test_byte_limit_boundary() -> None:
    source = fuzz.jpeg_with_metadata()
    clean_photo(source, limits=PhotoLimits(max_bytes=len(source)))
    assert refusal(source, PhotoLimits(max_bytes=len(source) - 1)).problem == "too_large"


def test_pixel_limit_boundary() -> None:
    source = fuzz.plain_bytes(fuzz.marked_photo(60, 40), "PNG")
    clean_photo(source, limits=PhotoLimits(max_pixels=2400))
    error = refusal(source, PhotoLimits(max_pixels=2399))
    assert error.problem == "too_many_pixels"


BOMBS = {
    "png-header-100k-x-100k": (fuzz.png_header_bomb, "10,000 million pixels"),
    "png-100-megapixels-of-zeros": (fuzz.png_zero_bomb, "100 million pixels"),
    "jpeg-header-65k-x-65k": (fuzz.jpeg_header_bomb, "4,225 million pixels"),
    "webp-canvas-16k-x-16k": (fuzz.webp_header_bomb, "268.5 million pixels"),
}


@pytest.mark.parametrize(("make", "pixels"), BOMBS.values(), ids=BOMBS.keys())
def test_decompression_bombs_are_refused_before_decoding(
    make: Callable[[], bytes], pixels: str
) -> None:
    source = make()
    assert len(source) < 200_000
    started = time.perf_counter()
    error = refusal(source)
    assert time.perf_counter() - started < 1.0  # nothing was decoded
    assert error.problem == "too_many_pixels"
    assert str(error) == (
        f"This image is too big to open safely ({pixels}). Please choose a photo under "
        "40 million pixels, or set your camera to its normal size."
    )


def test_pillow_global_limits_and_warning_filters_are_neither_used_nor_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Our limit is our own: with Pillow's set absurdly low no DecompressionBombWarning fires."""
    filters_before = list(warnings.filters)
    with monkeypatch.context() as patch:
        patch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
        photo = clean_photo(fuzz.jpeg_with_metadata())  # 2,400 pixels; warnings are errors
        assert refusal(fuzz.png_header_bomb()).problem == "too_many_pixels"
        assert Image.MAX_IMAGE_PIXELS == 100
    assert warnings.filters == filters_before
    assert_clean(photo)


STRUCTURE_BOMBS = {
    "jpeg-1000-repeated-scans": fuzz.many_scans_jpeg,
    "jpeg-3-million-segments": fuzz.many_segments_jpeg,
    "png-1-million-chunks": fuzz.many_chunks_png,
}


@pytest.mark.parametrize("make", STRUCTURE_BOMBS.values(), ids=STRUCTURE_BOMBS.keys())
def test_files_that_would_take_seconds_to_parse_are_refused_quickly(
    make: Callable[[], bytes],
) -> None:
    source = make()
    started = time.perf_counter()
    error = refusal(source)
    assert time.perf_counter() - started < 1.0
    assert error.problem == "unusual"
    assert str(error) == (
        "This photo is stored in an unusual way, so we cannot open it safely. "
        "Please choose another photo."
    )


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"progressive": True}, id="progressive"),
        pytest.param({"progressive": True, "optimize": True}, id="progressive-optimised"),
        pytest.param({"restart_marker_blocks": 1}, id="restart-markers"),
        pytest.param({"progressive": True, "restart_marker_rows": 1}, id="progressive-restarts"),
    ],
)
def test_ordinary_jpeg_variants_are_not_mistaken_for_attacks(params: dict[str, object]) -> None:
    source = fuzz.plain_bytes(fuzz.marked_photo(300, 200), "JPEG", **params)
    assert_clean(clean_photo(source))


@pytest.mark.parametrize("name", sorted(fuzz.other_formats()))
def test_other_formats_are_refused_asking_for_jpeg_or_png(name: str) -> None:
    error = refusal(fuzz.other_formats()[name])
    assert error.problem == "unsupported"
    assert str(error) == UNSUPPORTED


def test_heic_gets_its_own_message() -> None:
    error = refusal(fuzz.fake_heic())
    assert error.problem == "heic"
    assert "HEIC" in str(error) and "JPEG" in str(error)


DAMAGED = {
    "jpeg-cut-in-half": lambda: fuzz.truncated(
        fuzz.jpeg_with_metadata(fuzz.marked_photo(400, 300))
    ),
    "jpeg-header-only": lambda: fuzz.truncated(fuzz.jpeg_with_metadata(), 0.1),
    "png-cut-in-half": lambda: fuzz.truncated(fuzz.png_with_metadata(fuzz.marked_photo(400, 300))),
    "webp-cut-in-half": lambda: fuzz.truncated(fuzz.webp_with_metadata()),
    "html-with-jpeg-magic": fuzz.html_with_jpeg_magic,
    "noise-after-jpeg-magic": lambda: b"\xff\xd8\xff" + fuzz.random_bytes(),
    "noise-after-png-signature": lambda: b"\x89PNG\r\n\x1a\n" + fuzz.random_bytes(),
    "webp-zero-size": lambda: b"RIFF\x1e\x00\x00\x00WEBPVP8L" + bytes(22),
}


@pytest.mark.parametrize("make", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_or_disguised_files_are_refused_kindly(make: Callable[[], bytes]) -> None:
    error = refusal(make())
    assert error.problem == "damaged"
    assert str(error) == (
        "This photo seems to be damaged or cut short, so we could not open it. "
        "Please try choosing it again."
    )


@pytest.mark.parametrize(
    ("source", "problem"),
    [(b"", "empty"), (fuzz.random_bytes(), "unsupported"), (b"\xff", "unsupported")],
    ids=["zero-bytes", "random-bytes", "one-byte"],
)
def test_empty_and_random_uploads(source: bytes, problem: str) -> None:
    assert refusal(source).problem == problem


def test_photo_error_is_a_case_input_error_with_a_problem_code() -> None:
    error = refusal(b"")
    assert isinstance(error, CaseInputError) and isinstance(error, ReconsultError)
    assert str(error) == "This file is empty. Please choose a photo."


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        PhotoLimits(max_pixels=0)


def test_clean_photo_is_frozen_and_its_repr_leaves_out_the_bytes() -> None:
    photo = clean_photo(fuzz.jpeg_with_metadata())
    with pytest.raises(dataclasses.FrozenInstanceError):
        photo.width = 1  # type: ignore[misc]
    assert "image=" not in repr(photo) and str(photo.width) in repr(photo)


# ---------------------------------------------------------------------------
# A real-sized phone photo


def test_a_12_megapixel_phone_photo_cleans_upright_in_time() -> None:
    source = fuzz.synthetic_phone_photo()  # 4032 x 3024 stored, orientation 6, Display P3
    started = time.perf_counter()
    photo = clean_photo(source)
    elapsed = time.perf_counter() - started
    assert (photo.width, photo.height) == (3024, 4032)
    with Image.open(io.BytesIO(photo.thumbnail)) as thumbnail:
        assert thumbnail.size == (240, 320)
    assert_clean(photo)
    assert elapsed < 10  # ~0.5 s on the development machine; generous for busy CI


# ---------------------------------------------------------------------------
# Fuzzing: mutated photos either clean with no metadata or raise PhotoError

SEEDS = [
    fuzz.jpeg_with_metadata(orientation=6),
    fuzz.jpeg_with_metadata(icc=fuzz.display_p3_profile()),
    fuzz.plain_bytes(fuzz.marked_photo(), "JPEG", progressive=True, exif=fuzz.phone_exif()),
    fuzz.png_with_metadata(orientation=8),
    fuzz.webp_with_metadata(),
    fuzz.webp_with_metadata(lossless=True),
    fuzz.mpo_two_frames(),
]


@st.composite
def mutated_photos(draw: st.DrawFn) -> bytes:
    """A seed photo with a few bytes flipped, overwritten, inserted or cut away.

    Mutations start after the 12-byte signature, so most examples reach the
    decoders; the signature itself is covered by the format tests above.
    """
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(min(12, len(data)), len(data) - 1)) if len(data) > 12 else 0
        match draw(st.sampled_from(["flip", "overwrite", "insert", "delete", "truncate"])):
            case "flip" if data:
                data[at] ^= 1 << draw(st.integers(0, 7))
            case "overwrite" if data:
                data[at] = draw(
                    st.sampled_from([0x00, 0xFF, 0x7F, 0x80, draw(st.integers(0, 255))])
                )
            case "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=16))
            case "delete":
                del data[at : at + draw(st.integers(1, 16))]
            case "truncate":
                del data[at:]
            case _:
                pass
    return bytes(data)


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_photos())
def test_mutated_photos_clean_without_metadata_or_raise_photo_error(data: bytes) -> None:
    started = time.perf_counter()
    try:
        photo = clean_photo(data)
    except PhotoError as error:
        assert str(error)
    else:
        assert_clean(photo)
    assert time.perf_counter() - started < 5


def test_a_cut_off_photo_is_still_refused_after_a_pdf_is_made_in_the_same_process() -> None:
    # Importing WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES;
    # the web server makes PDFs and cleans photos in one process.
    from reconsult.documents.printing import render_pdf

    render_pdf("<html lang='en'><head><title>t</title></head><body><p>x</p></body></html>")
    error = refusal(DAMAGED["jpeg-cut-in-half"]())
    assert error.problem == "damaged"
