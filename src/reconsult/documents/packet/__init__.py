"""The consultation packet: what a person brings to a consultation about their result.

One page of summary first (what was done and when, what is wrong in the
person's own words, the worrying signs told in notes that are still open, how
urgent reconsult last said it was, beside the words of the note it said it
about, and what to do in an emergency), then the history (each note with
what became of the signs it kept open), the products and implants, photos side by
side, goals, the questions to ask, and a page on what to expect. All of it is
filled in from a :class:`~reconsult.casefile.schema.CaseFileData` and the
knowledge base: the questions, the realistic-expectations points, urgency
words, procedure names, timelines and the packet's own words live in
``knowledge/packet.yaml``, ``procedures.yaml`` and ``policy.yaml``, never
here. The packet informs; it never diagnoses.

The modules, in the order a packet is made:

- :mod:`.model`: the :class:`Packet` and its parts; it holds the knowledge
  base's packet wording as one object, which every layout reads;
- :mod:`.build`: :func:`build_packet` fills it in, page 1 in :mod:`.summary`,
  the history in :mod:`.history`, the photos and their print copies in
  :mod:`.photos`, the rest in :mod:`.sections` (shared date and word helpers
  in :mod:`.words`);
- :mod:`.text`: :func:`packet_text`, the plain text, which never reads a
  photo's bytes;
- :mod:`.pdf`: :func:`packet_html` and :func:`packet_pdf` (tagged PDF/UA-1,
  photos inline, a fetcher that fetches nothing else).

All of them print the same packet, so they always say the same things.
"""

from __future__ import annotations

from reconsult.documents.packet.build import build_packet
from reconsult.documents.packet.model import (
    Event,
    ExpectationGroup,
    OpenSign,
    Packet,
    PhotoGroup,
    PhotoTile,
    ProductGroup,
    Question,
    QuestionGroup,
    SummaryProcedure,
    VettedCheck,
    VettedProvider,
)
from reconsult.documents.packet.pdf import packet_html, packet_pdf, photo_url_fetcher
from reconsult.documents.packet.photos import PHOTO_MAX_SIDE, PHOTO_SIDE
from reconsult.documents.packet.text import packet_text

__all__ = [
    "PHOTO_MAX_SIDE",
    "PHOTO_SIDE",
    "Event",
    "ExpectationGroup",
    "OpenSign",
    "Packet",
    "PhotoGroup",
    "PhotoTile",
    "ProductGroup",
    "Question",
    "QuestionGroup",
    "SummaryProcedure",
    "VettedProvider",
    "VettedCheck",
    "build_packet",
    "packet_html",
    "packet_pdf",
    "packet_text",
    "photo_url_fetcher",
]
