"""The building blocks every case-file model shares: the strict base and the checked strings."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

__all__ = [
    "Id",
    "KnowledgeId",
    "LetterText",
    "LongText",
    "Model",
    "Name",
    "Npi",
    "Text",
]


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
