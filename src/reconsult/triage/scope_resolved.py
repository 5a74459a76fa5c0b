"""Resolved by the next clause: "it stopped" or "it went away" ends what was told before it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconsult.knowledge.schema import ContextCategory, Lexicon
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import fold, folded
from reconsult.triage.scope import finding_span, restatus


@dataclass(frozen=True)
class ResolvingWords:
    """The lexicon's words for a clause that ends what came before, of every language."""

    subjects: frozenset[str]
    all: frozenset[str]
    joins: frozenset[str]
    came_back: tuple[str, ...]

    @classmethod
    def of(cls, lexicon: Lexicon) -> ResolvingWords:
        """The resolving words of a knowledge base's lexicon."""
        return cls(
            frozenset(lexicon.resolving_subjects),
            frozenset(lexicon.resolving_all),
            frozenset(lexicon.leading_joins),
            tuple(fold(w) for w in lexicon.came_back),
        )


def resolved_by_next_clause(
    doc: Any,
    clauses: list[Any],
    findings: list[DetectedFinding],
    where: tuple[list[int], list[int]],
    modifiers: list[Any],
    lexicon: ResolvingWords,
) -> list[DetectedFinding]:
    """Mark findings resolved when a following clause says "it stopped" or "it went away".

    "My vision went blurry. It stopped after five minutes." The resolving clause
    must have no finding of its own, start with a pronoun ("it", "that", "they")
    and hold a resolved cue; nothing later in its sentence may say it came back.
    It resolves the clauses before it in its sentence ("My throat felt tight and
    my tongue swelled, but it went back to normal"), or the sentence before it
    when it opens a sentence, or says "it all" and nothing before it in its
    sentence is a finding. ``where`` is each token's clause and sentence; the
    words are each language's (``ResolvingWords``).
    """
    clause_of, sentence_of = where
    resolving = {
        clause_of[m.modifier_span[0]]
        for m in modifiers
        if m.category == ContextCategory.RESOLVED.value
    }
    # A denied finding beside the cue ("it settled, scar isn't red") does not stop it resolving.
    with_findings = {
        clause_of[span.start]
        for f in findings
        if f.status is not FindingStatus.negated and (span := finding_span(doc, f)) is not None
    }
    # "and then when I blinked it cleared up": a pronoun just before the cue counts too,
    # and so does a cue that opens its clause, its subject left out ("Came round
    # straight away.", "Stopped after ten minutes.").
    pronoun_cue = {
        clause_of[m.modifier_span[0]]
        for m in modifiers
        if m.category == ContextCategory.RESOLVED.value
        and (
            any(
                folded(t) in lexicon.subjects
                for t in doc[max(m.modifier_span[0] - 3, 0) : m.modifier_span[0]]
                if clause_of[t.i] == clause_of[m.modifier_span[0]]
            )
            or _opens_clause(doc, m.modifier_span[0], clause_of, lexicon.joins)
        )
    }
    resolved: set[int] = set()
    for index in sorted(resolving - with_findings):
        if index == 0:
            continue
        words = [t for t in clauses[index] if t.is_alpha and folded(t) not in lexicon.joins]
        if not words or (folded(words[0]) not in lexicon.subjects and index not in pronoun_cue):
            continue
        if _asks(clauses[index], lexicon.subjects):
            continue  # "whether it fixed the collapse", "does that go away" asks, it does not tell
        later = " ".join(folded(t) for c in clauses[index + 1 : index + 3] for t in c)
        if any(told in later for told in lexicon.came_back):
            continue
        own = sentence_of[clauses[index].start]
        before = sentence_of[clauses[index - 1].start]
        target = own if before == own else before
        # "The nurse gave me an antihistamine and it all cleared up": "it all" speaks of
        # the sentence before when nothing before it in its own sentence is a finding.
        if (
            target == own
            and any(folded(t) in lexicon.all for t in words)
            and not any(
                i in with_findings for i in range(index) if sentence_of[clauses[i].start] == own
            )
        ):
            target = own - 1 if own > 0 else own
        first = index - 1
        while first > 0 and sentence_of[clauses[first - 1].start] == target:
            first -= 1
        resolved.update(range(first, index))

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is FindingStatus.present and clause_of[span.start] in resolved:
            return FindingStatus.resolved, ["(next words)"]
        return None

    return restatus(doc, findings, change) if resolved else findings


def _opens_clause(doc: Any, start: int, clause_of: list[int], joins: frozenset[str]) -> bool:
    """Whether the words from ``start`` open their clause (joins and punctuation aside)."""
    i = start - 1
    while i >= 0 and clause_of[i] == clause_of[start]:
        if doc[i].is_alpha and folded(doc[i]) not in joins:
            return False
        i -= 1
    return True


def _asks(clause: Any, subjects: frozenset[str]) -> bool:
    """Return whether a clause asks: "?", "whether", or a verb before its subject ("does it")."""
    tokens = list(clause)
    if any(t.norm_ in _ASKING or t.text in {"?", "¿"} for t in tokens):
        return True
    return any(
        a.norm_ in _QUESTION_VERBS and folded(b) in subjects
        for a, b in zip(tokens, tokens[1:], strict=False)
    )


# "does it", "will that": one of these before the clause's subject asks (English word order).
_QUESTION_VERBS = {
    "do",
    "does",
    "did",
    "will",
    "would",
    "should",
    "could",
    "can",
    "is",
    "was",
    "has",
}
_ASKING = {"whether", "if", "wondering", "hoping", "hope"}
