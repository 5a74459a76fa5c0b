"""Clinical knowledge as validated data: procedures, findings, rules, options, sources.

Also the danger questions asked before any calm answer, and on which days
(``danger_questions.yaml``), what the consultation packet asks and says
(``packet.yaml``), who can help and how to check them (``providers.yaml``:
specialties, boards, the vetting checklist and red flags), and the right of
access to medical records per jurisdiction (``records_access.yaml``).

Code holds no clinical facts. Everything a person is told, and every number
that decides an answer, lives in the YAML files beside this module, each rule
citing at least one entry of ``sources.yaml``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reconsult.errors import KnowledgeError
from reconsult.knowledge.base import Knowledge, WindowedRule
from reconsult.knowledge.languages import Reading, add_languages
from reconsult.knowledge.loader import KNOWLEDGE_DIR, parse_document, parse_entries, read_text
from reconsult.knowledge.packet_content import PacketContent
from reconsult.knowledge.provider_content import ProviderContent
from reconsult.knowledge.records_access_content import DATA_FILE as RECORDS_ACCESS_FILE
from reconsult.knowledge.records_access_content import parse_records_access
from reconsult.knowledge.schema import (
    Combination,
    ContextRuleSpec,
    DangerQuestion,
    Finding,
    Lexicon,
    OptionSpec,
    Policy,
    Procedure,
    Recall,
    Source,
)
from reconsult.knowledge.validation import validate

__all__ = ["Knowledge", "WindowedRule", "load_knowledge"]


def _load(directory: Path) -> Knowledge:
    """Read and validate every knowledge file in ``directory``."""
    sources = parse_entries(directory / "sources.yaml", "sources", Source)
    procedures = parse_entries(directory / "procedures.yaml", "procedures", Procedure)
    options = parse_entries(directory / "options.yaml", "options", OptionSpec)
    context = parse_entries(directory / "context_rules.yaml", "context_rules", ContextRuleSpec)
    policy = parse_document(directory / "policy.yaml", Policy)
    packet = parse_document(directory / "packet.yaml", PacketContent)
    providers = parse_document(directory / "providers.yaml", ProviderContent)
    combinations = parse_entries(directory / "combinations.yaml", "combinations", Combination)
    lexicon = parse_document(directory / "lexicon.yaml", Lexicon)
    recall = parse_document(directory / "recall.yaml", Recall)
    records_access = parse_records_access(
        read_text(directory / RECORDS_ACCESS_FILE), name=RECORDS_ACCESS_FILE
    )

    danger = parse_entries(directory / "danger_questions.yaml", "danger_questions", DangerQuestion)
    findings: list[Finding] = []
    for path in sorted((directory / "findings").glob("*.yaml")):
        findings.extend(parse_entries(path, "findings", Finding))
    reading = add_languages(directory, Reading(findings, procedures, lexicon, context, recall))
    findings, procedures, lexicon, context, recall = (
        reading.findings,
        reading.procedures,
        reading.lexicon,
        reading.context_rules,
        reading.recall,
    )
    problems = []
    for kind, codes in (
        ("source", [s.id for s in sources]),
        ("procedure", [p.code for p in procedures]),
        ("finding", [f.code for f in findings]),
        ("option", [o.code.value for o in options]),
        ("danger question", [q.code for q in danger]),
    ):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            problems.append(f"duplicate {kind} codes: {dupes}")
    if problems:
        raise KnowledgeError("\n".join(problems))
    kb = Knowledge(
        version=policy.version,
        sources={s.id: s for s in sources},
        procedures={p.code: p for p in procedures},
        findings={f.code: f for f in findings},
        options={o.code: o for o in options},
        policy=policy,
        context_rules=context,
        packet=packet,
        providers=providers,
        lexicon=lexicon,
        recall=recall,
        records_access=records_access,
        combinations=combinations,
        danger_questions={q.code: q for q in danger},
    )
    return validate(kb)


@lru_cache(maxsize=4)
def load_knowledge(directory: Path | None = None) -> Knowledge:
    """Load the knowledge base once per directory (the packaged one by default)."""
    return _load(directory or KNOWLEDGE_DIR)
