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

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from reconsult import i18n
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
from reconsult.knowledge.schema.codes import SHOWN
from reconsult.knowledge.validation import validate
from reconsult.knowledge.wording import languages_written, texts_in, update_catalogue

__all__ = [
    "KNOWLEDGE_DIR",
    "Knowledge",
    "WindowedRule",
    "english_texts",
    "in_language",
    "languages_written",
    "load_knowledge",
    "read_knowledge",
    "update_catalogue",
]


def _load(
    directory: Path, say: Callable[[str], str] | None = None, language: str = "en"
) -> Knowledge:
    """Read and validate every knowledge file in ``directory``.

    ``say`` gives each text people read in ``language`` (None: the English as written).
    """
    ctx: dict[str, Any] | None = None if say is None else {SHOWN: say}
    sources = parse_entries(directory / "sources.yaml", "sources", Source)
    procedures = parse_entries(directory / "procedures.yaml", "procedures", Procedure, ctx)
    options = parse_entries(directory / "options.yaml", "options", OptionSpec, ctx)
    context = parse_entries(directory / "context_rules.yaml", "context_rules", ContextRuleSpec)
    policy = parse_document(directory / "policy.yaml", Policy, ctx)
    packet = parse_document(directory / "packet.yaml", PacketContent, ctx)
    providers = parse_document(directory / "providers.yaml", ProviderContent, ctx)
    combinations = parse_entries(directory / "combinations.yaml", "combinations", Combination, ctx)
    lexicon = parse_document(directory / "lexicon.yaml", Lexicon)
    recall = parse_document(directory / "recall.yaml", Recall)
    records_access = parse_records_access(
        read_text(directory / RECORDS_ACCESS_FILE), name=RECORDS_ACCESS_FILE, context=ctx
    )

    danger = parse_entries(
        directory / "danger_questions.yaml", "danger_questions", DangerQuestion, ctx
    )
    findings: list[Finding] = []
    for path in sorted((directory / "findings").glob("*.yaml")):
        findings.extend(parse_entries(path, "findings", Finding, ctx))
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
        language=language,
        directory=directory,
    )
    return validate(kb)


def load_knowledge(directory: Path | None = None, language: str | None = None) -> Knowledge:
    """Load the knowledge base once per directory and language.

    By default the packaged base, in the language of the moment (``reconsult.i18n``:
    the web request's or the command's; English unless set). In another language every
    text people read is that language's (``wording.py``); the rules, codes and numbers
    are the same, so the answers are the same.
    """
    return _cached(directory or KNOWLEDGE_DIR, i18n.supported(language) or i18n.current())


def in_language(kb: Knowledge, language: str) -> Knowledge:
    """Return the same base as ``kb`` in ``language``; a base built by hand stays as it is."""
    if kb.language == language or kb.directory is None:
        return kb
    return _cached(kb.directory, language)


@lru_cache(maxsize=8)
def _cached(directory: Path, language: str) -> Knowledge:
    return read_knowledge(directory, language)


def read_knowledge(directory: Path, language: str = i18n.DEFAULT) -> Knowledge:
    """Read the base in ``directory`` afresh, in ``language`` (load_knowledge caches it)."""
    if language == i18n.DEFAULT:
        return _load(directory)
    return _load(directory, texts_in(directory, language), language)


# Tests that edit a copy of the base start afresh with load_knowledge.cache_clear().
load_knowledge.cache_clear = _cached.cache_clear  # type: ignore[attr-defined]


def english_texts(directory: Path | None = None) -> list[str]:
    """Return every text people read in the base, in English, in the order they are read."""
    seen: list[str] = []

    def record(english: str) -> str:
        seen.append(english)
        return english

    _load(directory or KNOWLEDGE_DIR, record)
    return seen
