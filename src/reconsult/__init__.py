"""reconsult: from "something is wrong after my cosmetic procedure" to a safe, cited next step.

It informs; it never diagnoses. The public Python API::

    from datetime import date
    from reconsult import Case, assess

    answer = assess(
        Case(procedure="botulinum_toxin", days_since_procedure=4,
             description="my eyebrows look uneven"),
        today=date.today(),
    )
    print(answer.urgency, answer.headline)

Names are loaded on first use, so that ``reconsult --help`` starts fast
without importing the language pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reconsult.errors import CaseInputError, KnowledgeError, ReconsultError
    from reconsult.knowledge import Knowledge, load_knowledge
    from reconsult.knowledge.schema import OptionCode, Urgency
    from reconsult.triage import assess
    from reconsult.triage.models import Assessment, Case, DetectedFinding, FindingStatus

__all__ = [
    "Assessment",
    "Case",
    "CaseInputError",
    "DetectedFinding",
    "FindingStatus",
    "Knowledge",
    "KnowledgeError",
    "OptionCode",
    "ReconsultError",
    "Urgency",
    "assess",
    "load_knowledge",
]

_HOMES = {
    "Assessment": "reconsult.triage.models",
    "Case": "reconsult.triage.models",
    "CaseInputError": "reconsult.errors",
    "DetectedFinding": "reconsult.triage.models",
    "FindingStatus": "reconsult.triage.models",
    "Knowledge": "reconsult.knowledge",
    "KnowledgeError": "reconsult.errors",
    "OptionCode": "reconsult.knowledge.schema",
    "ReconsultError": "reconsult.errors",
    "Urgency": "reconsult.knowledge.schema",
    "assess": "reconsult.triage",
    "load_knowledge": "reconsult.knowledge",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reconsult' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names for tab completion."""
    return sorted(__all__)
