"""Strict pydantic models for the clinical knowledge base.

Every YAML file under ``reconsult/knowledge/`` is parsed into these models.
Unknown keys are errors (``extra="forbid"``) so a typo in the data can never
silently switch a rule off; enum fields name the allowed values in the error.
Cross-references (a rule naming a finding, a source, a timeline key) are
checked afterwards in :mod:`reconsult.knowledge.validation`.

The models live in one module per part of the data; this package names them
all, and code outside ``knowledge`` imports them from here:

- :mod:`.codes`: base types and codes (``Strict``, ``Urgency``, ``ProcedureCode``,
  ``OptionCode``, day windows, ``Source``);
- :mod:`.procedures`: procedures and their timelines (``procedures.yaml``);
- :mod:`.findings`: findings, their rules and frames, combinations, danger
  questions (``findings/``, ``combinations.yaml``, ``danger_questions.yaml``);
- :mod:`.language`: context cues, the lexicon and the recall net
  (``context_rules.yaml``, ``lexicon.yaml``, ``recall.yaml``);
- :mod:`.options`: options and fact rules (``options.yaml``, ``policy.yaml``);
- :mod:`.policy`: the policy's wording (``policy.yaml``).
"""

from __future__ import annotations

from reconsult.knowledge.schema.codes import (
    SHOWN,
    URGENCY_ORDER,
    Code,
    DayPoint,
    DayWindow,
    OptionCode,
    PlainText,
    ProcedureCode,
    ProcedureKind,
    RuleId,
    Shown,
    Source,
    Strict,
    TimelineKey,
    Urgency,
)
from reconsult.knowledge.schema.findings import (
    AskWindow,
    Combination,
    DangerQuestion,
    Finding,
    FindingKind,
    Frame,
    Rule,
    StaysOpen,
)
from reconsult.knowledge.schema.language import (
    QUOTED_ROLES,
    Concept,
    ConceptRole,
    ContextCategory,
    ContextRuleSpec,
    LanguageMentions,
    LanguagePhrasings,
    LanguageRecall,
    LanguageWords,
    Lexicon,
    Recall,
    RecallContext,
    RecallSign,
)
from reconsult.knowledge.schema.options import (
    NUMBER_FACTS,
    CaseFact,
    FactRule,
    FactTest,
    OptionSpec,
)
from reconsult.knowledge.schema.policy import (
    ALARM_COLOURS,
    CareCardKind,
    ClosingChoice,
    EmergencyScript,
    EmergencySign,
    HelpNow,
    OpenFindings,
    PhoneLine,
    Policy,
    TagColour,
    UrgencyText,
)
from reconsult.knowledge.schema.procedures import Procedure, ProductExamples, Timeline

__all__ = [
    "SHOWN",
    "ALARM_COLOURS",
    "NUMBER_FACTS",
    "QUOTED_ROLES",
    "URGENCY_ORDER",
    "AskWindow",
    "CareCardKind",
    "CaseFact",
    "ClosingChoice",
    "Code",
    "Combination",
    "Concept",
    "ConceptRole",
    "ContextCategory",
    "ContextRuleSpec",
    "DangerQuestion",
    "DayPoint",
    "DayWindow",
    "EmergencyScript",
    "EmergencySign",
    "FactRule",
    "FactTest",
    "Finding",
    "FindingKind",
    "Frame",
    "HelpNow",
    "LanguageMentions",
    "LanguagePhrasings",
    "LanguageRecall",
    "LanguageWords",
    "Lexicon",
    "OpenFindings",
    "OptionCode",
    "OptionSpec",
    "PhoneLine",
    "PlainText",
    "Shown",
    "Policy",
    "Procedure",
    "ProcedureCode",
    "ProcedureKind",
    "ProductExamples",
    "Recall",
    "RecallContext",
    "RecallSign",
    "Rule",
    "RuleId",
    "Source",
    "StaysOpen",
    "Strict",
    "TagColour",
    "Timeline",
    "TimelineKey",
    "Urgency",
    "UrgencyText",
]
