"""Turn a person's own words into findings, each with the words that triggered it.

The pipeline, on spaCy's blank English tokenizer and sentencizer (no model
download):

1. every finding's lay phrasings (:mod:`reconsult.triage.phrases`), matched
   once per text (:mod:`reconsult.triage.matching`) in frame units: sentences
   cut at a contrast ("but", ";");
2. findings told as frames of the lexicon's concepts where the phrasings left
   words unexplained (:mod:`reconsult.triage.frames`);
3. clauses, cut further at the lexicon's clause breaks, and medspaCy's ConText
   with our lay modifier rules from ``context_rules.yaml`` clause by clause
   (:mod:`reconsult.triage.scope`): negation ("no fever"), hypotheticals and
   worries ("what if it blocks a vessel"), history ("last year I had"), someone
   else ("my friend had") and resolved things ("it's gone now");
4. every clause ends explained, by a finding, a cue, a procedure mention or as
   ordinary context, or is reported as not understood, with what the recall
   net (:mod:`reconsult.triage.recall`) found it close to.

This module builds the reader and runs the steps in order; each step lives
beside it: cutting sentences, frame units and clauses
(:mod:`reconsult.triage.understand_clauses`), the language around the findings
(:mod:`reconsult.triage.understand_language`), choosing which matched spans
become findings (:mod:`reconsult.triage.understand_spans`), a finding's status
from the cues that reach it (:mod:`reconsult.triage.understand_finding`), and
what no finding explains (:mod:`reconsult.triage.understand_unexplained`).

Findings that are negated, hypothetical, past, resolved or someone else's
are kept and marked, never dropped.

Two medspaCy 1.3.1 quirks are handled here (see docs/decisions.md):
``medspacy.util.tuple_overlaps`` is not symmetric, so a terminator ("but")
whose scope wholly contains a negation's scope does not end it, and a cue
inside a target can modify that target. Terminators therefore get a scope
of one token, and a modifier counts only when it lies outside its target
and the target lies wholly inside the modifier's scope ("doubt keeps a
finding": safety rule 4 of docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ConceptRole, ContextCategory
from reconsult.triage.asking import asked_conditions
from reconsult.triage.frames import FrameReader
from reconsult.triage.healing_day import HealingWords, healing_days_past
from reconsult.triage.languages_read import languages_read
from reconsult.triage.matching import PatternMatcher
from reconsult.triage.models import DetectedFinding, Unexplained
from reconsult.triage.names import named_others
from reconsult.triage.phrases import PhraseCompiler, fold
from reconsult.triage.recall import RecallNet
from reconsult.triage.scope import apply_context
from reconsult.triage.scope_negation import coordinate_negation, denied_after
from reconsult.triage.scope_opening import opening_cues
from reconsult.triage.scope_others import (
    Persons,
    also_the_writers,
    narrator_is_patient,
    patient_told_by_another,
    someone_else_by_pronoun,
)
from reconsult.triage.scope_past import dated_by_the_procedure, present_after_all
from reconsult.triage.scope_resolved import ResolvingWords, resolved_by_next_clause
from reconsult.triage.spelling import Speller, dictionary_words, word_check, words_with_prefixes
from reconsult.triage.timing import TimeExpression, days_from_words
from reconsult.triage.understand_clauses import (
    answers_joined,
    ends_sentence,
    frame_units,
    mark_clauses,
    neighbourhoods,
    normalise,
)
from reconsult.triage.understand_finding import detected_finding
from reconsult.triage.understand_language import CUE, group, language_matcher, words_in
from reconsult.triage.understand_spans import longest_first, mild
from reconsult.triage.understand_unexplained import unexplained_clauses

__all__ = ["Reader", "Reading", "canonical_forms", "normalise", "reader_for"]

_TERMINATOR_SCOPE = 1


@dataclass(frozen=True)
class Reading:
    """What the words say: findings, when the procedure was, and what was not understood."""

    findings: list[DetectedFinding]
    timing: TimeExpression | None
    unexplained: list[Unexplained]
    languages: list[str]  # ISO 639-1, most words first (triage.languages_read)

    @property
    def unrecognised(self) -> list[str]:
        """The person's words we could not explain, clause by clause."""
        return [u.text for u in self.unexplained]


class Reader:
    """A compiled reading pipeline for one knowledge base (build once, reuse)."""

    def __init__(self, kb: Knowledge) -> None:
        """Compile phrasings, mentions and context rules; raise KnowledgeError if any fails."""
        import spacy
        from medspacy.context import ConTextRule

        _silence_medspacy_logging()
        self.kb = kb
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        self.nlp = nlp
        compiler = PhraseCompiler(nlp, kb.lexicon.gap_stops)
        # Every finding's phrasings, matched once per text (see PatternMatcher).
        self.phrasings = PatternMatcher(nlp, compiler.gap_stops)
        for finding in kb.findings.values():
            try:
                self.phrasings.add(
                    finding.code, [way for p in finding.phrasings for way in compiler.compile(p)]
                )
            except KnowledgeError as exc:
                raise KnowledgeError(f"findings: {finding.code}: {exc}") from exc
        # The language around the findings, matched in one pass per text: procedure
        # mentions, the lexicon's concepts, present-time words and (below) context cues.
        self.language = language_matcher(kb, nlp, compiler)
        self.symptom_concepts = {
            c.code for c in kb.lexicon.concepts if c.role is ConceptRole.symptom
        }
        self.breaks = PatternMatcher(nlp, compiler.gap_stops)
        try:
            self.breaks.add(
                "contrast", [way for b in kb.lexicon.contrasts for way in compiler.compile(b)]
            )
            self.breaks.add(
                "clause", [way for b in kb.lexicon.clause_breaks for way in compiler.compile(b)]
            )
        except KnowledgeError as exc:
            raise KnowledgeError(f"lexicon.yaml: contrasts or clause_breaks: {exc}") from exc
        self.frames = FrameReader(kb)
        self.net = RecallNet(kb)
        self.context_rules = []
        for index, spec in enumerate(kb.context_rules):
            try:
                ways = compiler.compile(spec.pattern or spec.literal)
            except KnowledgeError as exc:
                raise KnowledgeError(f"context_rules.yaml: {spec.literal!r}: {exc}") from exc
            is_terminator = spec.direction == "TERMINATE"
            self.context_rules.append(
                ConTextRule(
                    literal=spec.literal,
                    category=spec.category.value,
                    pattern=ways[0],  # matched below, in every way of writing it
                    direction=spec.direction,
                    max_scope=_TERMINATOR_SCOPE if is_terminator else spec.max_scope,
                )
            )
            self.language.add(f"{CUE}{index}", ways)
        # rule id -> whether it governs from where it is said (a story), not only as an opener
        self.governing = {
            id(rule): spec.tells_a_story
            for rule, spec in zip(self.context_rules, kb.context_rules, strict=True)
            if spec.governs_sentence
        }
        words = dictionary_words(tuple(kb.lexicon.languages))
        self.relations = frozenset(kb.lexicon.relations)
        self.answers_no = frozenset(kb.lexicon.answers_no)
        self.denials = frozenset(kb.lexicon.negations)
        self.verbs = (frozenset(kb.lexicon.having), frozenset(kb.lexicon.being))
        self.persons = Persons.of(kb.lexicon)
        self.healing = HealingWords.of(kb.lexicon)
        self.resolving = ResolvingWords.of(kb.lexicon)
        self.speller = Speller(
            compiler.vocabulary | words_with_prefixes(compiler.prefixes, words),
            word_check(words),
            compiler.prefixes,
        )
        # The component only registers medspaCy's span extensions; cues are applied
        # clause by clause in _apply_context, which is linear in the text's length.
        nlp.add_pipe("medspacy_context", config={"rules": None, "span_attrs": None})

    def unmatched_cue_examples(self) -> list[str]:
        """The context rules whose own example (``literal``) their pattern does not match.

        A rule's literal is an example of what it reads, so a pattern that cannot
        read it is mis-written: "worry about|watch for" is four chunks, not two
        choices of two words, and silently matches something else.
        """
        unmatched = []
        for index, spec in enumerate(self.kb.context_rules):
            doc = self._doc(spec.literal)
            if not any(label == f"{CUE}{index}" for label, _, _ in self.language(doc)):
                unmatched.append(f"{spec.literal!r} is not matched by {spec.pattern!r}")
        return unmatched

    def _doc(self, text: str) -> Any:
        """Tokens, sentences and canonical forms of ``text``, as every reading sees them."""
        doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(normalise(text)))
        for token in doc[:-1]:
            if ends_sentence(token) and doc[token.i + 1].is_title:
                doc[token.i + 1].is_sent_start = True
        answers_joined(doc, self.answers_no)
        canonical_forms(doc, self.speller)
        return doc

    def read(self, text: str, today: dt.date, procedure_days: int | None = None) -> Reading:
        """Read one description: findings with their status, timing, unexplained clauses.

        ``procedure_days`` is how long ago the procedure was, if the form says; a time
        in the past that is the procedure's own date does not make its signs past, and
        the words' own date (``timing``) is read only when the form gives none.
        """
        doc = self._doc(text)
        sentence_of = [0] * len(doc)
        sentences = list(doc.sents)  # before clauses are marked as sentences below
        for index, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        unit_of, clause_starts = frame_units(doc, self.breaks)
        # Phrasings are matched before clauses are cut: "I coughed and there was
        # blood" is one finding, though "and there" starts a new clause.
        candidates = []
        for code, start, end in self.phrasings(doc, unit_of):
            span = doc[start:end]
            span.label_ = code
            candidates.append(span)
        ents = longest_first(self.kb, candidates)
        mark_clauses(doc, clause_starts)
        clause_of = [0] * len(doc)
        clauses = list(doc.sents)
        for index, clause in enumerate(clauses):
            for i in range(clause.start, clause.end):
                clause_of[i] = index
        words = words_in(self.language, doc, clause_of)
        ents = self.frames.add(doc, ents, group(words.concepts, unit_of), (unit_of, clause_of))
        doc.ents = mild(self.kb, ents, words.softeners, unit_of)
        cues = apply_context(doc, words.cues, self.context_rules, clause_of)
        persons = self.persons
        own = (persons.first, self.denials)
        findings = [detected_finding(self.kb, text, ent, own) for ent in doc.ents]
        findings = coordinate_negation(doc, findings)
        findings = denied_after(
            doc, findings, clause_of, self.answers_no, self.verbs, self.resolving.joins
        )
        findings = resolved_by_next_clause(
            doc, clauses, findings, (clause_of, sentence_of), cues, self.resolving
        )
        # "My sister had ...": the "my" of someone else's cue is not the writer's own clause.
        theirs = {
            i
            for m in cues
            if m.category == ContextCategory.FAMILY.value
            for i in range(*m.modifier_span)
        }
        # "I read in the leaflet that ...": the reader's "I" tells where the story comes
        # from; the story is not the writer's own clause.
        for m in cues:
            if self.governing.get(id(m.rule)):
                start = m.modifier_span[0]
                while start > 0 and clause_of[start - 1] == clause_of[m.modifier_span[0]]:
                    start -= 1
                theirs.update(range(start, m.modifier_span[1]))
        first = {clause_of[t.i] for t in doc if t.norm_ in persons.first and t.i not in theirs}
        third = {clause_of[t.i] for t in doc if t.norm_ in persons.third | persons.subjects}
        # A question, or "what (happens) if" with no question mark ("what if I get a fever
        # and ...", "she keeps asking what happens if she faints").
        questions = {unit_of[t.i] for t in doc if t.text == "?"} | {
            unit_of[t.i]
            for t in doc[1:]
            if t.norm_ == "if" and any(w.norm_ == "what" for w in doc[max(t.i - 3, 0) : t.i])
        }

        findings, told = opening_cues(
            doc, findings, cues, self.governing, unit_of, clause_of, first, questions
        )
        findings = asked_conditions(doc, findings, unit_of, questions)
        speaks_as_i = _clauses_with(doc, clause_of, {"i"})
        narrator = not words.writing_for and narrator_is_patient(
            cues, clause_of, words.mentions, speaks_as_i, third
        )
        findings = someone_else_by_pronoun(doc, findings, clause_of, narrator, persons)
        findings = named_others(doc, findings, clause_of, self.relations, narrator, persons.first)
        mentioned = {clause_of[start] for start in words.mentions}
        findings = patient_told_by_another(doc, findings, bool(mentioned & speaks_as_i), persons)
        findings = also_the_writers(doc, findings, cues)
        findings = healing_days_past(doc, findings, clause_of, procedure_days, self.healing)
        findings = present_after_all(doc, findings, clause_of, words.now)
        # "I had filler, I think in March": the date may sit in another clause of the sentence.
        # The clauses that name the procedure, then their neighbours in the sentence.
        # Read only when the form leaves the date out: the form's date always wins.
        named = {clause_of[start] for start in words.mentions} if procedure_days is None else set()
        timing = days_from_words(doc, [clauses[i] for i in sorted(named)], today)
        if timing is None and named:  # "I had filler, I think in March"
            nearby = neighbourhoods(doc, clauses, named, sentence_of)
            timing = days_from_words(doc, nearby, today)
        # Only the form's date: a date read from these words may be an earlier procedure's
        # ("Last year after filler I had a red lump. This time ...").
        if procedure_days is not None:
            dated = {clause_of[m.modifier_span[0]] for m in cues if m.category == "HISTORICAL"}
            around = neighbourhoods(doc, clauses, dated, sentence_of)
            findings = dated_by_the_procedure(doc, findings, cues, around, procedure_days, today)
        if narrator:  # "... and blurry for her": a clause about someone else is their story
            told |= third - first
        unexplained = unexplained_clauses(
            self.kb,
            self.net,
            self.symptom_concepts,
            text,
            doc,
            clauses,
            group(words.concepts, clause_of),
            clause_of,
            cues,
            words.mentions,
            told,
        )
        languages = languages_read(text, self.kb.lexicon.languages)
        return Reading(
            findings=findings, timing=timing, unexplained=unexplained, languages=languages
        )


def canonical_forms(doc: Any, speller: Speller) -> None:
    """Give each token its canonical form: NORM without accents, LEMMA spelling-corrected.

    CANON (the LEMMA) is what phrasings match: see :mod:`reconsult.triage.phrases`.
    """
    for token in doc:
        if not token.text.isascii():
            token.norm_ = fold(token.norm_)
        token.lemma_ = speller.canon(token.norm_)


def _clauses_with(doc: Any, clause_of: list[int], words: set[str]) -> set[int]:
    """Return the clauses holding any of these words."""
    return {clause_of[t.i] for t in doc if t.norm_ in words}


def _silence_medspacy_logging() -> None:
    """Keep patient words out of logs: PyRuSH logs every sentence at DEBUG via loguru."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru comes with medspaCy
        return
    logger.disable("PyRuSH")
    logger.disable("medspacy")


_READERS: dict[int, tuple[Knowledge, Reader]] = {}
_READERS_LOCK = threading.Lock()


def reader_for(kb: Knowledge) -> Reader:
    """Return the cached Reader for this knowledge base, building it on first use.

    A build takes over a second of CPU. The lock makes threads that ask at the same
    time (a web worker's first requests) wait for one build instead of each making one.
    """
    cached = _READERS.get(id(kb))
    if cached is None or cached[0] is not kb:
        with _READERS_LOCK:
            cached = _READERS.get(id(kb))
            if cached is None or cached[0] is not kb:
                cached = (kb, Reader(kb))
                _READERS[id(kb)] = cached
    return cached[1]
