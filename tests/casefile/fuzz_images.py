"""Build photos for the photo-cleaning tests: phone-like ones full of metadata, and hostile ones.

Everything is generated with Pillow and the standard library, deterministically,
so no binary fixtures live in the repository. Metadata carries the strings in
``SECRETS``; a cleaned photo must contain none of them.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

# Planted in every kind of metadata; none may survive cleaning.
MAKE = "SecretPhoneMaker"
MODEL = "SecretModel 15 Pro"
SERIAL = "SECRET-SERIAL-0042"
USER_COMMENT = "SECRET user comment: my home address"
JPEG_COMMENT = "SECRET-JPEG-COMMENT"
XMP_SECRET = "SECRET-XMP-CREATOR"
PNG_TEXT = "SECRET-PNG-TEXT"
SECRETS: tuple[str, ...] = (MAKE, MODEL, SERIAL, "SECRET")

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GREY = (128, 128, 128)


# ---------------------------------------------------------------------------
# Ordinary photos, as phones save them


def marked_photo(width: int = 60, height: int = 40, *, mode: str = "RGB") -> Image.Image:
    """Grey image with a red square in the stored top-left corner (to check orientation)."""
    image = Image.new("RGB", (width, height), GREY)
    side = min(width, height) // 3
    ImageDraw.Draw(image).rectangle((0, 0, side - 1, side - 1), fill=RED)
    return image.convert(mode)


def phone_exif(*, orientation: int | None = None, padding: int = 0) -> Image.Exif:
    """EXIF as a phone writes it: make, model, serial, a user comment and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Model] = MODEL
    exif[ExifTags.Base.Software] = "SECRET-SOFTWARE 17.1"
    exif[ExifTags.Base.DateTime] = "2026:11:21 09:30:00"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = SERIAL
    details[ExifTags.Base.UserComment] = b"ASCII\x00\x00\x00" + USER_COMMENT.encode()
    if padding:
        details[ExifTags.Base.MakerNote] = b"SECRET-MAKERNOTE" + bytes(padding)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.2)
    return exif


def xmp_packet(*, orientation: int | None = None, padding: int = 0) -> bytes:
    """A small XMP packet naming a creator (and optionally an orientation)."""
    tiff = f' tiff:Orientation="{orientation}"' if orientation else ""
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"{tiff}>'
        f"<dc:creator>{XMP_SECRET}</dc:creator></rdf:Description></rdf:RDF>"
        f'</x:xmpmeta>{" " * padding}<?xpacket end="w"?>'
    ).encode()


def srgb_profile() -> bytes:
    """Pillow's built-in sRGB ICC profile."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def display_p3_profile() -> bytes:
    """A minimal ICC v2 matrix/TRC profile with Display P3 primaries (as iPhones tag photos).

    Primaries are Apple's Display P3 adapted to D50 (the PCS white); a plain 2.2
    gamma stands in for the sRGB-like curve, which is close enough for a test.
    """

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + s15(x) + s15(y) + s15(z)

    name = b"Test Display P3\x00"
    desc = (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(name))
        + name
        + bytes(4 + 4 + 2 + 1 + 67)  # no Unicode or ScriptCode description
    )
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"  # gamma 2.2
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\x00\x00\x00\x00No copyright, test data\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2026, 11, 21, 0, 0, 0)
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8 + 4)  # platform, flags, maker, model, attributes, intent
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"test"
    )
    header += bytes(128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + body


def jpeg_with_metadata(
    image: Image.Image | None = None,
    *,
    orientation: int | None = None,
    icc: bytes | None = None,
    comment: str = JPEG_COMMENT,
    xmp_orientation: int | None = None,
    exif_padding: int = 0,
    xmp_padding: int = 0,
    quality: int = 92,
) -> bytes:
    """A JPEG carrying EXIF (with GPS), XMP, an ICC profile and a comment."""
    image = marked_photo() if image is None else image
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=quality,
        exif=phone_exif(orientation=orientation, padding=exif_padding),
        xmp=xmp_packet(orientation=xmp_orientation, padding=xmp_padding),
        icc_profile=srgb_profile() if icc is None else icc,
        comment=comment,
    )
    return out.getvalue()


def png_with_metadata(image: Image.Image | None = None, *, orientation: int | None = None) -> bytes:
    """A PNG carrying tEXt, zTXt and iTXt chunks, XMP, eXIf (with GPS) and an iCCP profile."""
    image = marked_photo() if image is None else image
    info = PngInfo()
    info.add_text("Comment", f"{PNG_TEXT} tEXt <?php system($_GET['c']); ?>")
    info.add_text("Author", f"{PNG_TEXT} zTXt", zip=True)
    info.add_itxt("Description", f"{PNG_TEXT} iTXt", lang="en", tkey="Beschreibung")
    info.add_itxt("XML:com.adobe.xmp", xmp_packet().decode())
    out = io.BytesIO()
    image.save(
        out,
        "PNG",
        pnginfo=info,
        exif=phone_exif(orientation=orientation),
        icc_profile=srgb_profile(),
    )
    return out.getvalue()


def webp_with_metadata(image: Image.Image | None = None, *, lossless: bool = False) -> bytes:
    """A WebP carrying EXIF (with GPS), XMP and an ICC profile."""
    image = marked_photo() if image is None else image
    out = io.BytesIO()
    image.save(
        out,
        "WEBP",
        lossless=lossless,
        quality=90,
        exif=phone_exif(),
        xmp=xmp_packet(),
        icc_profile=srgb_profile(),
    )
    return out.getvalue()


def mpo_two_frames() -> bytes:
    """A multi-picture JPEG (as some Android phones save): red-cornered photo, then a blue one."""
    out = io.BytesIO()
    second = Image.new("RGB", (60, 40), BLUE)
    marked_photo().save(out, "MPO", save_all=True, append_images=[second], exif=phone_exif())
    return out.getvalue()


def plain_bytes(image: Image.Image, format: str, **params: object) -> bytes:
    """Save ``image`` in ``format`` with Pillow and return the bytes."""
    out = io.BytesIO()
    image.save(out, format, **params)
    return out.getvalue()


def synthetic_phone_photo(width: int = 4032, height: int = 3024) -> bytes:
    """A 12 MP phone-like JPEG: smooth gradients with sensor-like noise, EXIF and a P3 profile."""
    ramp = Image.linear_gradient("L").resize((width, height))
    glow = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24)
    image = Image.merge("RGB", (ramp, Image.blend(noise, glow, 0.7), glow))
    return jpeg_with_metadata(image, orientation=6, icc=display_p3_profile(), quality=92)


# ---------------------------------------------------------------------------
# Decompression bombs: small files that claim (or truly hold) huge images


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A ~60 byte PNG whose header claims ``width`` x ``height`` RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(16)))
        + _png_chunk(b"IEND", b"")
    )


def png_zero_bomb(side: int = 10_000) -> bytes:
    """A real grey PNG of ``side`` x ``side`` zeros: ~100 KB holding 100 million pixels."""
    compressor = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_header_bomb(width: int = 65_000, height: int = 65_000) -> bytes:
    """A small valid JPEG with its frame header patched to claim ``width`` x ``height``."""
    data = bytearray(plain_bytes(marked_photo(), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_header_bomb(width: int = 16_384, height: int = 16_384) -> bytes:
    """A small lossless WebP wrapped in an extended (VP8X) header claiming a huge canvas."""
    simple = plain_bytes(marked_photo(), "WEBP", lossless=True)
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4)
    vp8x += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x + simple[12:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


# ---------------------------------------------------------------------------
# Damaged, disguised and odd files


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first ``keep`` fraction of ``data``: an upload cut off part way."""
    return data[: int(len(data) * keep)]


def zip_payload() -> bytes:
    """A ZIP archive holding an HTML page (the tail of a JPEG+ZIP polyglot)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert('SECRET-ZIP')</script>")
    return out.getvalue()


HTML_PAYLOAD = b"<html><body><script>alert('SECRET-HTML')</script></body></html>"


def jpeg_then_zip() -> bytes:
    """A valid JPEG followed by a ZIP archive: opens as a photo and as an archive."""
    return jpeg_with_metadata() + zip_payload()


def jpeg_then_html() -> bytes:
    """A valid JPEG followed by an HTML page with a script."""
    return jpeg_with_metadata() + HTML_PAYLOAD


def png_then_php() -> bytes:
    """A valid PNG followed by a PHP web shell after IEND."""
    return png_with_metadata() + b"<?php system($_GET['SECRET']); ?>"


def html_with_jpeg_magic() -> bytes:
    """An HTML page that starts with the JPEG signature to slip past a magic-bytes check."""
    return b"\xff\xd8\xff\xe0" + HTML_PAYLOAD


def fake_heic() -> bytes:
    """The start of an iPhone HEIC file (ISO base media 'ftyp' box, brand heic)."""
    return struct.pack(">I", 24) + b"ftypheic" + bytes(4) + b"mif1heic" + bytes(64)


def other_formats() -> dict[str, bytes]:
    """Images phones do not send as photos, and documents pretending to be photos."""
    image = marked_photo()
    return {
        "gif": plain_bytes(image, "GIF"),
        "tiff": plain_bytes(image, "TIFF", exif=phone_exif()),
        "bmp": plain_bytes(image, "BMP"),
        "avif": plain_bytes(image, "AVIF"),
        "ico": plain_bytes(image, "ICO"),
        "pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "html": HTML_PAYLOAD,
    }


def huge_metadata_jpeg() -> bytes:
    """A JPEG with a 60 KB comment, ~60 KB of EXIF, ~60 KB of XMP and a 200 KB ICC blob."""
    junk_icc = random.Random(7).randbytes(200_000)
    return jpeg_with_metadata(
        comment="SECRET " + "c" * 60_000,
        exif_padding=60_000,
        xmp_padding=60_000,
        icc=junk_icc,
    )


def _split_jpeg(data: bytes) -> list[bytes]:
    """Cut a JPEG into its segments (scans include their entropy-coded data)."""
    segments, pos = [data[:2]], 2
    while pos < len(data):
        marker = data[pos + 1]
        if marker == 0xD9:
            segments.append(data[pos : pos + 2])
            break
        end = pos + 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker == 0xDA:
            while data[end] != 0xFF or data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                end += 1
        segments.append(data[pos:end])
        pos = end
    return segments


def many_scans_jpeg(repeats: int = 1_000, side: int = 2_000) -> bytes:
    """A progressive JPEG whose last scan is repeated: each repeat re-walks every block.

    With 1,000 repeats on a 36 MP image this is a 376 KB file that takes Pillow 21 s
    to decode.
    """
    image = Image.new("RGB", (side, side), (120, 80, 60))
    segments = _split_jpeg(plain_bytes(image, "JPEG", progressive=True))
    last_scan = [s for s in segments if s[1] == 0xDA][-1]
    return b"".join(segments[:-1]) + last_scan * repeats + segments[-1]


def many_segments_jpeg(count: int = 3_000_000) -> bytes:
    """A tiny JPEG preceded by ``count`` empty APP5 segments (12 MB; 3.5 s to parse)."""
    data = plain_bytes(marked_photo(), "JPEG")
    return data[:2] + b"\xff\xe5\x00\x02" * count + data[2:]


def many_chunks_png(count: int = 1_000_000) -> bytes:
    """A tiny PNG with ``count`` empty unknown chunks before its pixels (12 MB; 3 s to parse)."""
    data = plain_bytes(marked_photo(), "PNG")
    header_end = 8 + 25  # signature + IHDR
    return data[:header_end] + _png_chunk(b"abCd", b"") * count + data[header_end:]


def random_bytes(size: int = 4096, seed: int = 1) -> bytes:
    """Noise."""
    return random.Random(seed).randbytes(size)
