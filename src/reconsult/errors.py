"""Exceptions raised by reconsult.

The tree::

    ReconsultError            anything reconsult raises on purpose
    ├── KnowledgeError        the knowledge base is invalid (names file, entry, allowed values)
    └── CaseInputError        a case cannot be assessed as given (names the field and why)
"""

from __future__ import annotations


class ReconsultError(Exception):
    """Base class of every error reconsult raises on purpose."""


class KnowledgeError(ReconsultError):
    """The clinical knowledge base failed validation."""


class CaseInputError(ReconsultError):
    """A case could not be read or assessed as given."""
