"""Other languages' reading data: ``<lang>/`` folders beside the English knowledge files.

A language folder holds, keyed by the English codes:

- ``findings/*.yaml``: phrasings of findings (:class:`LanguagePhrasings`);
- ``procedures.yaml``: the words for each procedure (:class:`LanguageMentions`);
- ``lexicon.yaml``: clause words, concepts' words, gap stops, person words
  (:class:`LanguageWords`);
- ``context_rules.yaml``: context cues, in the English file's schema;
- ``recall.yaml``: descriptions of the danger signs and of ordinary context
  (:class:`LanguageRecall`).

Its words are added to the English ones at load time, so one reader matches
every language in one pass and a message that mixes two is read whole. Codes
that the English knowledge base does not have are errors, and every danger
sign (a ``red_flag`` finding) must have phrasings: a sign nobody can name in a
language is a sign missed in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reconsult.errors import KnowledgeError
from reconsult.knowledge.loader import parse_document, parse_entries
from reconsult.knowledge.schema import (
    Concept,
    ContextRuleSpec,
    Finding,
    FindingKind,
    LanguageMentions,
    LanguagePhrasings,
    LanguageRecall,
    LanguageWords,
    Lexicon,
    Procedure,
    Recall,
    RecallContext,
    RecallSign,
)

_Described = TypeVar("_Described", RecallSign, RecallContext)


@dataclass(frozen=True)
class Reading:
    """The reading data of every language: findings, lexicon, context cues, recall net."""

    findings: list[Finding]
    procedures: list[Procedure]
    lexicon: Lexicon
    context_rules: list[ContextRuleSpec]
    recall: Recall


def language_folders(directory: Path) -> list[Path]:
    """The language folders beside the knowledge files (``es/``), in name order."""
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and len(p.name) == 2 and p.name.isalpha()
    )


def add_languages(directory: Path, english: Reading) -> Reading:
    """Add every language folder's words to the English reading data; raise KnowledgeError."""
    reading = english
    for folder in language_folders(directory):
        reading = _add(folder, reading)
    return reading


def _add(folder: Path, reading: Reading) -> Reading:
    lang = folder.name
    findings = {f.code: f for f in reading.findings}
    problems: list[str] = []
    phrasings: dict[str, list[str]] = {}
    for path in sorted((folder / "findings").glob("*.yaml")):
        for code, ways in parse_document(path, LanguagePhrasings).phrasings.items():
            if code not in findings:
                problems.append(f"{lang}/findings/{path.name}: no finding {code!r}")
            phrasings.setdefault(code, []).extend(ways)
    unnamed = [
        c for c, f in findings.items() if f.kind is FindingKind.red_flag and c not in phrasings
    ]
    if unnamed:
        problems.append(f"{lang}/findings: danger signs without phrasings: {unnamed}")
    mentions = parse_document(folder / "procedures.yaml", LanguageMentions).mentions
    known = {p.code for p in reading.procedures}
    problems += [f"{lang}/procedures.yaml: no procedure {c!r}" for c in mentions if c not in known]
    words = parse_document(folder / "lexicon.yaml", LanguageWords)
    concepts = {c.code for c in reading.lexicon.concepts}
    problems += [
        f"{lang}/lexicon.yaml: no concept {c!r}" for c in words.concepts if c not in concepts
    ]
    recall = parse_document(folder / "recall.yaml", LanguageRecall)
    signs = {s.finding for s in reading.recall.signs}
    topics = {c.topic for c in reading.recall.context}
    problems += [f"{lang}/recall.yaml: no sign {c!r}" for c in recall.signs if c not in signs]
    problems += [f"{lang}/recall.yaml: no topic {c!r}" for c in recall.context if c not in topics]
    if problems:
        raise KnowledgeError("\n".join(problems))
    rules = parse_entries(folder / "context_rules.yaml", "context_rules", ContextRuleSpec)
    lexicon = reading.lexicon
    return Reading(
        findings=[
            f.model_copy(update={"phrasings": [*f.phrasings, *phrasings.get(f.code, [])]})
            for f in reading.findings
        ],
        procedures=[
            p.model_copy(update={"mentions": [*p.mentions, *mentions.get(p.code, [])]})
            for p in reading.procedures
        ],
        lexicon=lexicon.model_copy(
            update={
                **{
                    name: _joined(getattr(lexicon, name), getattr(words, name))
                    for name in LanguageWords.model_fields
                    if name != "concepts"
                },
                "concepts": [
                    _with_words(c, words.concepts.get(c.code, [])) for c in lexicon.concepts
                ],
                "languages": [*lexicon.languages, lang],
            }
        ),
        context_rules=[*reading.context_rules, *rules],
        recall=reading.recall.model_copy(
            update={
                "signs": [
                    _described(s, recall.signs.get(s.finding, [])) for s in reading.recall.signs
                ],
                "context": [
                    _described(c, recall.context.get(c.topic, [])) for c in reading.recall.context
                ],
            }
        ),
    )


def _joined(english: list[str] | dict[str, int], other: list[str] | dict[str, int]) -> Any:
    """One list of both languages' words, or one table ("first": 1, "primer": 1)."""
    if isinstance(english, dict) and isinstance(other, dict):
        return {**english, **other}
    return [*english, *other]


def _with_words(concept: Concept, words: list[str]) -> Concept:
    return concept.model_copy(update={"words": [*concept.words, *words]}) if words else concept


def _described(entry: _Described, descriptions: list[str]) -> _Described:
    if not descriptions:
        return entry
    return entry.model_copy(update={"descriptions": [*entry.descriptions, *descriptions]})
