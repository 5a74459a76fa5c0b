"""How each case-file model is stored: the one place that turns a model into its row and back.

Every model in :mod:`reconsult.casefile.schema` that has a table has one row
class in :mod:`reconsult.casefile.tables` (:data:`ROW_OF`). The mapping is
derived from the model's fields, never written out field by field:

- a field whose name is a column of the row is stored in that column: as JSON
  (``model_dump(mode="json")``) when the column is JSON, else as the Python
  value, an enum as its value;
- a field whose name is a relationship of the row (a case's procedures, a
  procedure's products and implants, ...) is a list of child rows, each made
  the same way and given its ``position`` in the list;
- reading a row back gives each field the row's attribute of the same name
  and lets the model validate it (JSON back to nested models, strings back to
  enums).

The exceptions, all of them (``tests/casefile/test_mapping.py`` fails when a
model gains a field its table lacks, or a table a column its model lacks):

- :data:`ROW_ONLY`: the columns that are not the model's to say: every child
  row's surrogate key (``pk``), its parent (``case_id`` or ``procedure_pk``,
  set by the relationship or by the caller) and its ``position`` in the list;
  the case's ``created_at`` and ``updated_at``, which the store sets;
- :data:`PHOTO_BYTES`: a photo's ``image`` and ``thumbnail`` are read only
  when asked (``images=True``); otherwise they are deferred columns that must
  not be touched, and the photo comes without its bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from functools import cache
from typing import Any, Final, TypeVar

from pydantic import BaseModel
from sqlalchemy import JSON
from sqlalchemy import inspect as sa_inspect

from reconsult.casefile.schema import (
    CaseFileData,
    Consultation,
    Implant,
    JournalEntry,
    Photo,
    ProcedureRecord,
    Product,
    ProviderCheck,
    RecordsRequestLog,
)
from reconsult.casefile.tables import (
    CaseRow,
    ConsultationRow,
    ImplantRow,
    JournalRow,
    PhotoRow,
    ProcedureRow,
    ProductRow,
    ProviderCheckRow,
    RecordsRequestRow,
)
from reconsult.storage.models import Base

__all__ = [
    "PHOTO_BYTES",
    "ROW_OF",
    "ROW_ONLY",
    "column_values",
    "from_row",
    "to_row",
]

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=Base)

# Each stored model and the table that holds it.
ROW_OF: Final[Mapping[type[BaseModel], type[Base]]] = {
    CaseFileData: CaseRow,
    ProcedureRecord: ProcedureRow,
    Product: ProductRow,
    Implant: ImplantRow,
    JournalEntry: JournalRow,
    Photo: PhotoRow,
    Consultation: ConsultationRow,
    RecordsRequestLog: RecordsRequestRow,
    ProviderCheck: ProviderCheckRow,
}
_MODEL_OF: Final = {row: model for model, row in ROW_OF.items()}

_CHILD_ROW: Final = frozenset({"pk", "position"})
# The columns of each table that are not a field of its model.
ROW_ONLY: Final[Mapping[type[Base], frozenset[str]]] = {
    CaseRow: frozenset({"created_at", "updated_at"}),
    ProcedureRow: _CHILD_ROW | {"case_id"},
    ProductRow: _CHILD_ROW | {"procedure_pk"},
    ImplantRow: _CHILD_ROW | {"procedure_pk"},
    JournalRow: _CHILD_ROW | {"case_id"},
    PhotoRow: _CHILD_ROW | {"case_id"},
    ConsultationRow: _CHILD_ROW | {"case_id"},
    RecordsRequestRow: _CHILD_ROW | {"case_id"},
    ProviderCheckRow: _CHILD_ROW | {"case_id"},
}

# A photo's bytes: read only when asked (deferred with raiseload otherwise).
PHOTO_BYTES: Final = frozenset({"image", "thumbnail"})


@cache
def _layout(row_class: type[Base]) -> tuple[frozenset[str], frozenset[str], dict[str, type[Base]]]:
    """The row's columns, which of them hold JSON, and its relationships with their row class."""
    mapper = sa_inspect(row_class)
    columns = frozenset(c.key for c in mapper.column_attrs)
    json = frozenset(c.key for c in mapper.column_attrs if isinstance(c.columns[0].type, JSON))
    children = {r.key: r.mapper.class_ for r in mapper.relationships}
    return columns, json, children


def column_values(model: BaseModel) -> dict[str, Any]:
    """The model's fields that are columns of its row, as the columns hold them."""
    columns, json, _ = _layout(ROW_OF[type(model)])
    names = [name for name in type(model).model_fields if name in columns]
    plain = model.model_dump(include={n for n in names if n not in json})
    as_json = model.model_dump(mode="json", include={n for n in names if n in json})
    values: dict[str, Any] = {}
    for name in names:
        value = as_json[name] if name in json else plain[name]
        values[name] = value.value if isinstance(value, Enum) else value
    return values


def to_row(model: BaseModel, row_class: type[R], **extra: Any) -> R:
    """Return a new row for ``model`` with its child rows; ``extra`` sets the row-only columns."""
    if ROW_OF[type(model)] is not row_class:
        raise TypeError(f"{type(model).__name__} is stored in {ROW_OF[type(model)].__name__}")
    _, _, children = _layout(row_class)
    nested = {
        name: [
            to_row(item, child, position=position)
            for position, item in enumerate(getattr(model, name))
        ]
        for name, child in children.items()
    }
    return row_class(**column_values(model), **nested, **extra)


def from_row(model_class: type[M], row: Base, *, images: bool = True) -> M:
    """Return the model stored in ``row`` and its child rows.

    Without ``images``, photos come without their bytes (:data:`PHOTO_BYTES`
    are not read).
    """
    columns, _, children = _layout(ROW_OF[model_class])
    skip = PHOTO_BYTES if model_class is Photo and not images else frozenset()
    fields: dict[str, Any] = {}
    for name in model_class.model_fields:
        if name in children:
            child = _MODEL_OF[children[name]]
            fields[name] = [from_row(child, r, images=images) for r in getattr(row, name)]
        elif name in columns and name not in skip:
            fields[name] = getattr(row, name)
    return model_class(**fields)
