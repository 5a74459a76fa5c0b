"""Exceptions raised by reconsult.

The tree::

    ReconsultError            anything reconsult raises on purpose
    ├── KnowledgeError        the knowledge base is invalid (names file, entry, allowed values)
    └── CaseInputError        a case cannot be assessed as given (names the field and why)
        ├── CaseFileError     a case file cannot be read, saved, imported or changed as asked
        └── PhotoError        a photo cannot be accepted (``problem`` names why, for programs)

Every message of a ``CaseInputError`` is written for the person, so pages and
the command line show ``str(error)`` as it is.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CaseFileError",
    "CaseInputError",
    "KnowledgeError",
    "PhotoError",
    "PhotoProblem",
    "ReconsultError",
]


class ReconsultError(Exception):
    """Base class of every error reconsult raises on purpose."""


class KnowledgeError(ReconsultError):
    """The clinical knowledge base failed validation."""


class CaseInputError(ReconsultError):
    """A case could not be read or assessed as given."""


class CaseFileError(CaseInputError):
    """A case file cannot be read, saved, imported or changed as given; the message says why."""


PhotoProblem = Literal[
    "empty", "too_large", "heic", "unsupported", "too_many_pixels", "unusual", "damaged"
]


class PhotoError(CaseInputError):
    """A photo could not be accepted; ``str(error)`` is a message for the person.

    ``problem`` names the reason for programs (for example an API error code).
    """

    def __init__(self, problem: PhotoProblem, message: str) -> None:
        super().__init__(message)
        self.problem: PhotoProblem = problem
