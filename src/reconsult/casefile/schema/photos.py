"""A photo kept with a case, with or without its bytes, and where its bytes are kept."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, Protocol, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from reconsult.casefile.schema.fields import Id, Model, Text

__all__ = ["Angle", "Photo", "PhotoSource"]


class Angle(StrEnum):
    """The same-angle guide, so photos from different dates compare."""

    front = "front"
    left = "left"
    right = "right"
    oblique_left = "oblique_left"
    oblique_right = "oblique_right"
    other = "other"


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
