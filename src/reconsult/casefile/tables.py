"""The case file's database tables (SQLAlchemy 2), one row per thing the person records.

Child rows have a surrogate integer key and keep the case's own ids unique
within their case, so an imported copy of a case never collides with the
original. Every child row hangs off its case with ON DELETE CASCADE, so deleting a case
deletes everything, photos included, in one statement (the issue: "Delete a
case: everything, photos included, gone"). Photos are stored in the database,
not beside it, so a backup, an export or a delete never misses a file, and
several server workers need no shared disk.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reconsult.storage.models import Base

__all__ = [
    "CaseRow",
    "ConsultationRow",
    "ImplantRow",
    "JournalRow",
    "PhotoRow",
    "ProcedureRow",
    "ProductRow",
    "ProviderCheckRow",
    "RecordsRequestRow",
]

_CASCADE = "all, delete-orphan"


def _case_fk() -> Mapped[str]:
    return mapped_column(
        String(64), ForeignKey("case_files.id", ondelete="CASCADE"), nullable=False, index=True
    )


class CaseRow(Base):
    """A person's case file."""

    __tablename__ = "case_files"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    person_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    jurisdiction: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    goals: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    concerns: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    procedures: Mapped[list[ProcedureRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="ProcedureRow.position"
    )
    journal: Mapped[list[JournalRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="JournalRow.position"
    )
    photos: Mapped[list[PhotoRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="PhotoRow.position"
    )
    consultations: Mapped[list[ConsultationRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="ConsultationRow.position"
    )
    records_requests: Mapped[list[RecordsRequestRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="RecordsRequestRow.position"
    )
    provider_checks: Mapped[list[ProviderCheckRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="ProviderCheckRow.position"
    )


class ProcedureRow(Base):
    """One procedure in a case."""

    __tablename__ = "case_procedures"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    procedure: Mapped[str] = mapped_column(String(64), nullable=False)
    performed_on: Mapped[dt.date | None] = mapped_column(Date)
    provider_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    practice_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    records_obtained: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    products: Mapped[list[ProductRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="ProductRow.position"
    )
    implants: Mapped[list[ImplantRow]] = relationship(
        cascade=_CASCADE, passive_deletes=True, order_by="ImplantRow.position"
    )


def _procedure_fk() -> Mapped[int]:
    return mapped_column(
        Integer, ForeignKey("case_procedures.pk", ondelete="CASCADE"), nullable=False, index=True
    )


class ProductRow(Base):
    """An injected product used in a procedure."""

    __tablename__ = "case_products"
    __table_args__ = (UniqueConstraint("procedure_pk", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    procedure_pk: Mapped[int] = _procedure_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    brand: Mapped[str] = mapped_column(String(500), nullable=False)
    product_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    material: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    lot: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    expiry: Mapped[dt.date | None] = mapped_column(Date)
    sites: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)


class ImplantRow(Base):
    """An implant placed in a procedure."""

    __tablename__ = "case_implants"
    __table_args__ = (UniqueConstraint("procedure_pk", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    procedure_pk: Mapped[int] = _procedure_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    side: Mapped[str] = mapped_column(String(16), nullable=False)
    manufacturer: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    style: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    size_cc: Mapped[float | None] = mapped_column(Float)
    fill: Mapped[str] = mapped_column(String(16), nullable=False)
    surface: Mapped[str] = mapped_column(String(16), nullable=False)
    shape: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    serial: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    lot: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    udi: Mapped[str] = mapped_column(String(500), nullable=False, default="")


class JournalRow(Base):
    """A dated journal entry with the assessment made at the time."""

    __tablename__ = "case_journal"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    written_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    procedure_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    urgency: Mapped[str | None] = mapped_column(String(16))
    headline: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    reassess_on: Mapped[dt.date | None] = mapped_column(Date)
    knowledge_version: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    rules_fired: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    raised: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)


class PhotoRow(Base):
    """A cleaned photo and its thumbnail."""

    __tablename__ = "case_photos"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    taken_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    angle: Mapped[str] = mapped_column(String(16), nullable=False)
    procedure_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    image: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class ConsultationRow(Base):
    """A consultation and what the provider said."""

    __tablename__ = "case_consultations"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    provider_name: Mapped[str] = mapped_column(String(500), nullable=False)
    specialty: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    what_they_said: Mapped[str] = mapped_column(Text, nullable=False, default="")


class RecordsRequestRow(Base):
    """A records request sent, with its follow-up date and the letter itself."""

    __tablename__ = "case_records_requests"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    sent_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    provider_name: Mapped[str] = mapped_column(String(500), nullable=False)
    follow_up_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    # Added by migration 0003; the server defaults fill the rows logged before it.
    jurisdiction: Mapped[str] = mapped_column(
        String(500), nullable=False, default="", server_default=""
    )
    letter_text: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # Added by migration 0004: what the letter was made from (RecordsRequestInput as JSON).
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ProviderCheckRow(Base):
    """What the person checked about one provider, and the red flags they noticed.

    Added by migration 0006. ``items`` holds the checklist as JSON
    ([{"check", "result", "found"}]) and ``red_flags`` the ids noticed: both
    are read and written whole, never searched.
    """

    __tablename__ = "case_provider_checks"
    __table_args__ = (UniqueConstraint("case_id", "id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str] = _case_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    provider_name: Mapped[str] = mapped_column(String(500), nullable=False)
    npi: Mapped[str | None] = mapped_column(String(10))
    procedure: Mapped[str | None] = mapped_column(String(64))
    checked_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    items: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    red_flags: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
