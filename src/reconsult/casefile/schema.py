"""The case file as data: pydantic models used for JSON export and import (lossless).

Strict in both directions: unknown fields are errors, so a file from a newer
or broken exporter is refused with the field named, never half-read.

Photos are the one part of a case that is big: a case of 100 phone photos
holds well over 100 MB of image bytes, and nearly nothing needs them (a page
shows a photo through its own address, which reads one row). So a
:class:`Photo` may come without its bytes: ``image`` and ``thumbnail`` are
then None, meaning "not read", never "empty". That is how
:func:`reconsult.casefile.repository.load_case` reads a case unless asked for
the bytes, and saving such a case keeps the bytes already stored. A case read
that way remembers where its photos are (:class:`PhotoSource`), so the few
things that need the pixels (the consultation packet, the FHIR export) read
them one photo at a time with :meth:`CaseFileData.image_of`. The JSON export
always carries every photo's bytes (:class:`CaseFileExport` refuses a photo
without them), so the round trip stays lossless.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Literal, Protocol, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from reconsult.documents.records_request import RecordsRequestInput
from reconsult.knowledge.schema import ClosingChoice, ProcedureCode, Urgency

__all__ = [
    "EXPORT_FORMAT",
    "Angle",
    "CaseFileData",
    "CaseFileExport",
    "CheckItem",
    "CheckResult",
    "Closing",
    "ClosingChoice",
    "Consultation",
    "Implant",
    "ImplantFill",
    "ImplantSurface",
    "JournalEntry",
    "Photo",
    "PhotoSource",
    "ProcedureRecord",
    "Product",
    "ProductSite",
    "RaisedFinding",
    "ProviderCheck",
    "RecordsRequestLog",
    "Side",
]

EXPORT_FORMAT: Final = "reconsult-case/1"


def _without_nul(value: object) -> object:
    """Drop NUL characters: no one types them, and PostgreSQL text cannot hold them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


Text = Annotated[
    str, BeforeValidator(_without_nul), StringConstraints(strip_whitespace=True, max_length=500)
]
LongText = Annotated[
    str,
    BeforeValidator(_without_nul),
    StringConstraints(strip_whitespace=True, max_length=10_000),
]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# A records-request letter, kept exactly as made (no stripping: it is a document).
# The longest letter possible today (every field at its limit, twelve
# procedures, sent to a new provider) is about 13,200 characters; this leaves
# room for the wording in knowledge/records_access.yaml to grow.
LetterText = Annotated[str, BeforeValidator(_without_nul), StringConstraints(max_length=50_000)]
# A name that must be given (a provider checked has one, even if not in the directory).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
# The id of a vetting check or a red flag in the knowledge base (providers.yaml).
# Which ids exist is the knowledge base's to say: reconsult.casefile.vetting checks them.
KnowledgeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
# A US National Provider Identifier: 10 digits.
Npi = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]


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


class Closing(Model):
    """What the person said became of a finding left open, and when they said it."""

    how: ClosingChoice
    said_on: dt.date  # the day the person told us
    treated_by: Text = ""  # who saw and treated it, in their words ("the clinic")
    treated_on: dt.date | None = None  # when, if they said


class RaisedFinding(Model):
    """A finding a note's answer was about at a level that leaves it open (issue 15).

    Open until ``closed``; it holds the next notes' answers at ``urgency`` until
    then, or until it is stale (knowledge: how long each finding stays open).
    """

    finding: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    urgency: Urgency
    words: LongText  # the person's words it was read from
    closed: Closing | None = None


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
    raised: list[RaisedFinding] = Field(default_factory=list, max_length=100)

    def row_fields(self) -> dict[str, object]:
        """Return the fields as the database row holds them (the raised findings as JSON)."""
        fields = self.model_dump(exclude={"raised"})
        fields["raised"] = [r.model_dump(mode="json") for r in self.raised]
        return fields


class Photo(Model):
    """A photo, already cleaned of metadata, with its date and angle.

    ``image`` and ``thumbnail`` are both given or both None: None when the
    photo was read without its bytes (see the module's docstring), which
    saving takes as "keep the bytes stored for this photo, whose digest is
    ``sha256``". ``media_type``, ``width``, ``height`` and ``sha256`` describe
    the bytes, given or not.
    """

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
    image: bytes | None = None  # base64 in JSON; None: not read
    thumbnail: bytes | None = None

    @model_validator(mode="after")
    def _bytes_together(self) -> Self:
        if (self.image is None) != (self.thumbnail is None):
            raise ValueError("a photo's image and thumbnail come together, or neither")
        return self

    @property
    def has_bytes(self) -> bool:
        """Whether the image and thumbnail were read with the photo."""
        return self.image is not None


class PhotoSource(Protocol):
    """Where a case's photo bytes are kept, for a case read without them."""

    def image(self, photo: Photo) -> bytes | None:
        """Return the photo's stored image if its digest is still ``photo.sha256``, else None."""
        ...


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


class CheckResult(StrEnum):
    """What the person found when they went through one check of the vetting checklist."""

    confirmed = "confirmed"  # I checked and it was fine
    concern = "concern"  # I checked and I am worried
    not_checked = "not_checked"  # I have not checked yet


class CheckItem(Model):
    """One item of the vetting checklist, as the person left it."""

    check: KnowledgeId  # a VettingCheck id in providers.yaml
    result: CheckResult = CheckResult.not_checked
    found: Text = ""  # what they found, in their words


class ProviderCheck(Model):
    """What the person checked about a provider, and the red flags they noticed.

    ``items`` are the checklist items shown to them (each with its result),
    ``red_flags`` the ids of the red flags they noticed. The ids come from the
    knowledge base; :mod:`reconsult.casefile.vetting` refuses unknown ones when
    a record is added or changed (an imported file keeps what it holds).
    """

    id: Id
    provider_name: Name
    npi: Npi | None = None  # when the provider came from the directory
    procedure: ProcedureCode | None = None  # the checklist is for this treatment
    checked_on: dt.date
    items: list[CheckItem] = Field(default_factory=list, max_length=100)
    red_flags: list[KnowledgeId] = Field(default_factory=list, max_length=100)
    note: LongText = ""

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        checks = [item.check for item in self.items]
        for what, ids in (("check", checks), ("red flag", self.red_flags)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"list each {what} once ({', '.join(twice)} is there twice)")
        return self

    @property
    def done(self) -> list[CheckItem]:
        """The items the person has checked (fine or worrying)."""
        return [i for i in self.items if i.result is not CheckResult.not_checked]

    @property
    def concerns(self) -> list[CheckItem]:
        """The items the person checked and is worried about."""
        return [i for i in self.items if i.result is CheckResult.concern]

    def row_fields(self) -> dict[str, object]:
        """Return the fields as the database row holds them (items and red flags as JSON)."""
        fields = self.model_dump(exclude={"items", "procedure"})
        fields["procedure"] = None if self.procedure is None else self.procedure.value
        fields["items"] = [item.model_dump(mode="json") for item in self.items]
        fields["red_flags"] = list(self.red_flags)
        return fields


class CaseFileData(Model):
    """Everything in one person's case file.

    A case read from the database without its photo bytes carries a private
    :class:`PhotoSource`, so :meth:`image_of` can read a photo when it is
    needed. It is not a field: it is never exported, validated or saved, and
    ``model_copy`` keeps it (a case rebuilt with ``model_validate`` does not).
    """

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
    provider_checks: list[ProviderCheck] = Field(default_factory=list, max_length=200)

    _photo_source: PhotoSource | None = PrivateAttr(default=None)

    def reading_photos_from(self, source: PhotoSource | None) -> Self:
        """Return a copy of the case that reads missing photo bytes from ``source``."""
        copy = self.model_copy()
        copy._photo_source = source
        return copy

    def image_of(self, photo: Photo) -> bytes | None:
        """Return the photo's image: the bytes it carries, or else read from where it is stored.

        None when the photo is no longer stored as it was when the case was
        read (removed or replaced since). Raises ``LookupError`` for a photo
        without bytes in a case that does not know where its photos are.
        """
        if photo.image is not None:
            return photo.image
        if self._photo_source is None:
            raise LookupError(f"photo {photo.id} was read without its bytes and has no source")
        return self._photo_source.image(photo)


class CaseFileExport(Model):
    """The JSON file a person downloads, and can import again: every photo with its bytes."""

    format: Literal["reconsult-case/1"] = EXPORT_FORMAT
    exported_at: dt.datetime
    case: CaseFileData

    @field_validator("case")
    @classmethod
    def _photos_whole(cls, case: CaseFileData) -> CaseFileData:
        for photo in case.photos:
            if not photo.has_bytes:
                raise ValueError(f"the photo {photo.id} has no image and thumbnail")
        return case
