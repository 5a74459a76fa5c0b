"""reconsult: from "something is wrong after my cosmetic procedure" to a safe, cited next step.

It informs; it never diagnoses. The public Python API::

    from reconsult import Case, assess
    answer = assess(Case(procedure="botulinum_toxin", days_since_procedure=4,
                         description="my eyebrows look uneven"), today=date.today())
"""

from __future__ import annotations

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
