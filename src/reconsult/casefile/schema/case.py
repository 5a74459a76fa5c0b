"""The whole case file, and the JSON file it is exported as."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal, Self

from pydantic import Field, PrivateAttr, field_validator

from reconsult.casefile.schema.fields import Id, LongText, Model, Text
from reconsult.casefile.schema.journal import JournalEntry
from reconsult.casefile.schema.photos import Photo, PhotoSource
from reconsult.casefile.schema.procedures import ProcedureRecord
from reconsult.casefile.schema.records import Consultation, ProviderCheck, RecordsRequestLog

__all__ = ["EXPORT_FORMAT", "CaseFileData", "CaseFileExport"]

EXPORT_FORMAT: Final = "reconsult-case/1"


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
