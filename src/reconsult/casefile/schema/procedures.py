"""A procedure the person had, and the injected products and implants it used."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from reconsult.casefile.schema.fields import Id, LongText, Model, Text
from reconsult.knowledge.schema import ProcedureCode

__all__ = [
    "Implant",
    "ImplantFill",
    "ImplantSurface",
    "ProcedureRecord",
    "Product",
    "ProductSite",
    "Side",
]


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
