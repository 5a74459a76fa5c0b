"""The packet as HTML and as a tagged PDF/UA-1 file, photos and all.

:func:`packet_html` fills in ``templates/packet.html`` (the packet, and its
fixed words as ``words``); :func:`packet_pdf` prints it with
:func:`reconsult.documents.printing.render_pdf`. The PDF is tagged PDF/UA-1.
WeasyPrint 70 sends ``data:`` URIs through the URL fetcher like any other
URL, so the packet uses the letter's refusing fetcher with one exception: it
decodes ``data:image/jpeg;base64`` URIs itself (no urllib, no file, no
network) and refuses everything else, recording it, as the letter does.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Final

from reconsult.casefile.schema import CaseFileData
from reconsult.documents.packet.build import build_packet
from reconsult.documents.printing import (
    environment,
    inline_stylesheet,
    refusing_url_fetcher,
    render_pdf,
)
from reconsult.knowledge import Knowledge

__all__ = ["packet_html", "packet_pdf", "photo_url_fetcher"]

_DATA_URI: Final = re.compile(r"data:image/jpeg;base64,([A-Za-z0-9+/]*={0,2})")


def packet_html(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> str:
    """Return the packet as a standalone HTML page (styles and photos inline, nothing to fetch)."""
    packet = build_packet(case, today, knowledge)
    template = environment().get_template("packet.html")
    return template.render(
        packet=packet, words=packet.wording, stylesheet=inline_stylesheet("packet.css")
    )


@lru_cache(maxsize=1)
def _fetcher_class() -> type[Any]:
    """Build the packet's fetcher class: the letter's refusing fetcher, plus inline photos."""
    refusing = type(refusing_url_fetcher())  # also imports WeasyPrint, or explains what is missing
    from weasyprint.urls import URLFetcherResponse  # type: ignore[import-untyped]

    class InlinePhotoFetcher(refusing):  # type: ignore[misc, valid-type]
        """Refuse every URL except a base64 JPEG ``data:`` URI, decoded here."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            match = _DATA_URI.fullmatch(url)
            if match is None:
                return super().fetch(url, headers)
            body = base64.b64decode(match[1], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})

    return InlinePhotoFetcher


def photo_url_fetcher() -> Any:
    """Return a fetcher that refuses every URL but inline JPEG photos (``refused`` lists them)."""
    return _fetcher_class()()


def packet_pdf(case: CaseFileData, today: dt.date, knowledge: Knowledge | None = None) -> bytes:
    """Return the packet as a tagged PDF/UA-1 file: US Letter for US cases, A4 otherwise."""
    return render_pdf(packet_html(case, today, knowledge), url_fetcher=photo_url_fetcher())
