"""The case file as data: pydantic models used for JSON export and import (lossless).

Strict in both directions: unknown fields are errors, so a file from a newer
or broken exporter is refused with the field named, never half-read.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from reconsult.documents.records_request import RecordsRequestInput
from reconsult.knowledge.schema import ProcedureCode, Urgency

__all__ = [
    "EXPORT_FORMAT",
    "Angle",
    "CaseFileData",
    "CaseFileExport",
    "Consultation",
    "Implant",
    "ImplantFill",
    "ImplantSurface",
    "JournalEntry",
    "Photo",
    "ProcedureRecord",
    "Product",
    "ProductSite",
    "RecordsRequestLog",
    "Side",
]

EXPORT_FORMAT: Final = "reconsult-case/1"

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# A records-request letter, kept exactly as made (no stripping: it is a document).
# The longest letter possible today (every field at its limit, twelve
# procedures, sent to a new provider) is about 13,200 characters; this leaves
# room for the wording in knowledge/records_access.yaml to grow.
LetterText = Annotated[str, StringConstraints(max_length=50_000)]


class Model(BaseModel):
    """Base: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class Side(StrEnum):
    """Which side an implant or a photo is about."""

    left = "left"
    right = "right"
    both = "both"


class ImplantFill(StrEnum):
    """What a breast implant is filled with."""

    saline = "saline"
    silicone = "silicone"
    other = "other"
    unknown = "unknown"


class ImplantSurface(StrEnum):
    """The implant shell's surface (textured implants carry a higher BIA-ALCL risk)."""

    smooth = "smooth"
    textured = "textured"
    unknown = "unknown"


class Angle(StrEnum):
    """The same-angle guide, so photos from different dates compare."""

    front = "front"
    left = "left"
    right = "right"
    oblique_left = "oblique_left"
    oblique_right = "oblique_right"
    other = "other"


class ProductSite(Model):
    """How much of a product went where."""

    site: Text
    amount: float = Field(gt=0, le=1000)
    unit: Literal["units", "mL"]


class Product(Model):
    """An injected product: brand, product, lot and what went where."""

    id: Id
    brand: Text
    product_name: Text = ""
    material: Text = ""  # e.g. hyaluronic acid, calcium hydroxylapatite
    lot: Text = ""
    expiry: dt.date | None = None
    sites: list[ProductSite] = Field(default_factory=list, max_length=100)


class Implant(Model):
    """A breast (or other) implant, with what its device card says."""

    id: Id
    side: Side
    manufacturer: Text = ""
    style: Text = ""
    size_cc: float | None = Field(default=None, gt=0, le=5000)
    fill: ImplantFill = ImplantFill.unknown
    surface: ImplantSurface = ImplantSurface.unknown
    shape: Text = ""
    serial: Text = ""
    lot: Text = ""
    udi: Text = ""


class ProcedureRecord(Model):
    """One procedure the person had, where and by whom, and what was used."""

    id: Id
    procedure: ProcedureCode
    performed_on: dt.date | None = None
    provider_name: Text = ""
    practice_name: Text = ""
    records_obtained: bool = False
    notes: LongText = ""
    products: list[Product] = Field(default_factory=list, max_length=100)
    implants: list[Implant] = Field(default_factory=list, max_length=10)


class JournalEntry(Model):
    """What the person noticed on a day, and the assessment made then."""

    id: Id
    written_on: dt.date
    procedure_id: Id | None = None
    text: LongText
    urgency: Urgency | None = None
    headline: Text = ""
    reassess_on: dt.date | None = None
    knowledge_version: Text = ""
    rules_fired: list[Text] = Field(default_factory=list)


class Photo(Model):
    """A photo, already cleaned of metadata, with its date and angle."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    id: Id
    taken_on: dt.date
    angle: Angle = Angle.front
    procedure_id: Id | None = None
    note: Text = ""
    media_type: Literal["image/jpeg", "image/png"]
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    image: bytes  # base64 in JSON
    thumbnail: bytes


class Consultation(Model):
    """A provider consulted, and what they said."""

    id: Id
    held_on: dt.date | None = None
    provider_name: Text
    specialty: Text = ""
    what_they_said: LongText = ""


class RecordsRequestLog(Model):
    """A records request sent, the letter itself, and when to follow it up.

    ``jurisdiction`` is the code whose law the letter cites (e.g. US-CA), and
    ``letter_text`` the plain-text letter, so it can be shown and exported
    again; both are empty for requests logged before letters were kept.
    ``request`` is what the letter was made from, so its PDF can be printed
    again exactly as it was on ``sent_on`` (None before it was kept).
    """

    id: Id
    sent_on: dt.date
    provider_name: Text
    follow_up_on: dt.date
    received_on: dt.date | None = None
    jurisdiction: Text = ""
    letter_text: LetterText = ""
    request: RecordsRequestInput | None = None

    def row_fields(self) -> dict[str, object]:
        """Return the fields as the database row holds them (the request as JSON)."""
        fields = self.model_dump(exclude={"request"})
        fields["request"] = None if self.request is None else self.request.model_dump(mode="json")
        return fields


class CaseFileData(Model):
    """Everything in one person's case file."""

    id: Id
    title: Text = "My case"
    person_name: Text = ""
    date_of_birth: dt.date | None = None
    jurisdiction: Text = ""  # e.g. US-CA, GB, EU: chooses the records-request law
    goals: list[LongText] = Field(default_factory=list, max_length=50)
    concerns: list[LongText] = Field(default_factory=list, max_length=50)
    procedures: list[ProcedureRecord] = Field(default_factory=list, max_length=50)
    journal: list[JournalEntry] = Field(default_factory=list, max_length=5000)
    photos: list[Photo] = Field(default_factory=list, max_length=1000)
    consultations: list[Consultation] = Field(default_factory=list, max_length=200)
    records_requests: list[RecordsRequestLog] = Field(default_factory=list, max_length=200)


class CaseFileExport(Model):
    """The JSON file a person downloads, and can import again."""

    format: Literal["reconsult-case/1"] = EXPORT_FORMAT
    exported_at: dt.datetime
    case: CaseFileData
