"""Case files: procedures, products, implants, journal, photos, consultations, records requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 10:05:47.493636
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_files",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("person_name", sa.String(length=500), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("jurisdiction", sa.String(length=500), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("concerns", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "case_consultations",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("provider_name", sa.String(length=500), nullable=False),
        sa.Column("specialty", sa.String(length=500), nullable=False),
        sa.Column("what_they_said", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_consultations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_consultations_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "case_journal",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("procedure_id", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=True),
        sa.Column("headline", sa.String(length=500), nullable=False),
        sa.Column("reassess_on", sa.Date(), nullable=True),
        sa.Column("knowledge_version", sa.String(length=500), nullable=False),
        sa.Column("rules_fired", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_journal_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_photos",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("angle", sa.String(length=16), nullable=False),
        sa.Column("procedure_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_photos_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_procedures",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=64), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=True),
        sa.Column("provider_name", sa.String(length=500), nullable=False),
        sa.Column("practice_name", sa.String(length=500), nullable=False),
        sa.Column("records_obtained", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_procedures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_procedures_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_records_requests",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("provider_name", sa.String(length=500), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("case_id", "id"),
    )
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_records_requests_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "case_implants",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("procedure_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("manufacturer", sa.String(length=500), nullable=False),
        sa.Column("style", sa.String(length=500), nullable=False),
        sa.Column("size_cc", sa.Float(), nullable=True),
        sa.Column("fill", sa.String(length=16), nullable=False),
        sa.Column("surface", sa.String(length=16), nullable=False),
        sa.Column("shape", sa.String(length=500), nullable=False),
        sa.Column("serial", sa.String(length=500), nullable=False),
        sa.Column("lot", sa.String(length=500), nullable=False),
        sa.Column("udi", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["procedure_pk"], ["case_procedures.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("procedure_pk", "id"),
    )
    with op.batch_alter_table("case_implants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_implants_procedure_pk"), ["procedure_pk"], unique=False
        )

    op.create_table(
        "case_products",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("procedure_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=500), nullable=False),
        sa.Column("product_name", sa.String(length=500), nullable=False),
        sa.Column("material", sa.String(length=500), nullable=False),
        sa.Column("lot", sa.String(length=500), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["procedure_pk"], ["case_procedures.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("procedure_pk", "id"),
    )
    with op.batch_alter_table("case_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_products_procedure_pk"), ["procedure_pk"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_products_procedure_pk"))

    op.drop_table("case_products")
    with op.batch_alter_table("case_implants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_implants_procedure_pk"))

    op.drop_table("case_implants")
    with op.batch_alter_table("case_records_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_records_requests_case_id"))

    op.drop_table("case_records_requests")
    with op.batch_alter_table("case_procedures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_procedures_case_id"))

    op.drop_table("case_procedures")
    with op.batch_alter_table("case_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_photos_case_id"))

    op.drop_table("case_photos")
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_journal_case_id"))

    op.drop_table("case_journal")
    with op.batch_alter_table("case_consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_consultations_case_id"))

    op.drop_table("case_consultations")
    op.drop_table("case_files")
