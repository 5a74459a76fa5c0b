"""Each case-file model and its table hold the same fields, apart from the exceptions named once."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import BaseModel
from sqlalchemy import inspect

from reconsult.casefile import tables
from reconsult.casefile.mapping import (
    PHOTO_BYTES,
    ROW_OF,
    ROW_ONLY,
    column_values,
    from_row,
    to_row,
)
from reconsult.casefile.schema import CaseFileData, Photo, ProcedureRecord
from reconsult.casefile.tables import PhotoRow
from reconsult.storage.models import Base
from tests.casefile.test_repository import full_case


def stored_names(row_class: type[Base]) -> set[str]:
    """The row's columns and relationships, less the columns that are not its model's."""
    mapper = inspect(row_class)
    names = {c.key for c in mapper.column_attrs} | {r.key for r in mapper.relationships}
    return names - ROW_ONLY[row_class]


def mismatch(model: type[BaseModel], row_class: type[Base]) -> tuple[set[str], set[str]]:
    """(fields the table lacks, columns the model lacks)."""
    fields, stored = set(model.model_fields), stored_names(row_class)
    return fields - stored, stored - fields


@pytest.mark.parametrize("model", list(ROW_OF), ids=lambda m: m.__name__)
def test_every_model_field_has_a_column_and_every_column_a_field(model: type[BaseModel]) -> None:
    assert mismatch(model, ROW_OF[model]) == (set(), set())


def test_a_field_without_a_column_is_caught() -> None:
    class Grown(Photo):
        caption: str = ""

    assert mismatch(Grown, PhotoRow) == ({"caption"}, set())


def test_every_table_and_every_stored_model_is_mapped() -> None:
    rows = {getattr(tables, name) for name in tables.__all__}
    assert set(ROW_OF.values()) == rows == set(ROW_ONLY)
    nested: set[type[BaseModel]] = set()
    for parent in (CaseFileData, ProcedureRecord):
        for name in inspect(ROW_OF[parent]).relationships.keys():
            (item,) = get_args(parent.model_fields[name].annotation)
            nested.add(item)
    assert nested | {CaseFileData} == set(ROW_OF)
    assert PHOTO_BYTES <= set(Photo.model_fields)


def test_a_case_goes_to_rows_and_back_unchanged() -> None:
    case = full_case()
    row = to_row(case, tables.CaseRow)
    assert [p.position for p in row.photos] == list(range(len(case.photos)))
    assert from_row(CaseFileData, row) == case
    without = from_row(CaseFileData, row, images=False)
    assert [p.image for p in without.photos] == [None] * len(case.photos)
    assert without.model_copy(update={"photos": case.photos}) == case
    assert column_values(case)["goals"] == case.goals
    assert "procedures" not in column_values(case)


def test_a_model_goes_only_to_its_own_table() -> None:
    with pytest.raises(TypeError):
        to_row(full_case().photos[0], tables.ConsultationRow)
