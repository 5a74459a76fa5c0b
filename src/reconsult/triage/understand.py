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

Findings that are negated, hypothetical, past, resolved or someone else's
are kept and marked, never dropped.

Two medspaCy 1.3.1 quirks are handled here (see docs/decisions.md):
``medspacy.util.tuple_overlaps`` is not symmetric, so a terminator ("but")
whose scope wholly contains a negation's scope does not end it, and a cue
inside a target can modify that target. Terminators therefore get a scope
of one token, and a modifier counts only when it lies outside its target
and the target lies wholly inside the modifier's scope ("doubt keeps a
finding": safety rule 4 of DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ConceptRole, ContextCategory, FindingKind
from reconsult.triage.asking import asked_conditions
from reconsult.triage.frames import KIND_PRIORITY, FrameReader
from reconsult.triage.healing_day import healing_days_past
from reconsult.triage.matching import PatternMatcher
from reconsult.triage.models import DetectedFinding, FindingStatus, Unexplained
from reconsult.triage.names import named_others
from reconsult.triage.phrases import PhraseCompiler
from reconsult.triage.recall import RecallNet
from reconsult.triage.scope import (
    FIRST_PERSON,
    PRECEDENCE,
    THIRD_PERSON,
    THIRD_SUBJECTS,
    also_the_writers,
    apply_context,
    clauses_with_cues,
    coordinate_negation,
    dated_by_the_procedure,
    listed_end,
    opening_cues,
    patient_told_by_another,
    present_after_all,
    resolved_by_next_clause,
    someone_else_by_pronoun,
)
from reconsult.triage.spelling import (
    Speller,
    english_word_check,
    english_words,
    words_with_prefixes,
)
from reconsult.triage.timing import TimeExpression, days_from_words

_TERMINATOR_SCOPE = 1
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
# A full stop glued to a word ("ended up in A&E. My legs") ends its sentence when a
# capital follows, unless the word is a title or a Latin abbreviation.
_NOT_AN_END = {"dr.", "mr.", "mrs.", "ms.", "st.", "e.g.", "i.e.", "vs.", "etc.", "no.", "approx."}
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# A clause longer than this many tokens is cut at a comma or "and" (run-on messages).
_LONGEST_CLAUSE = 40
_LONGEST_UNIT = 60
_SOFT_BREAKS = {",", "and", "&", "or", "then", "so"}


_MENTION, _CONCEPT, _CUE, _NOW, _PROXY = "mention:", "concept:", "cue:", "now", "proxy"
_SOFT = "soft"
# A softener this many words before a finding, or inside it, makes it mild.
_SOFTENER_REACH = 3


@dataclass
class _Words:
    """What the language pass found: concepts, context cues, procedure mentions, 'now' words."""

    concepts: list[tuple[str, int, int]] = field(default_factory=list)
    cues: list[tuple[int, int, int]] = field(default_factory=list)  # (rule index, start, end)
    mentions: list[int] = field(default_factory=list)  # start tokens
    now: list[int] = field(default_factory=list)
    writing_for: bool = False  # the writer speaks for the patient
    softeners: list[tuple[int, int]] = field(default_factory=list)  # "slightly", "a bit"


def _group(
    concepts: list[tuple[str, int, int]], unit_of: list[int]
) -> dict[int, list[tuple[str, int, int]]]:
    """Group concept matches by the unit (clause or frame unit) they lie wholly in."""
    grouped: dict[int, list[tuple[str, int, int]]] = {}
    for code, start, end in concepts:
        if unit_of[start] == unit_of[end - 1]:
            grouped.setdefault(unit_of[start], []).append((code, start, end))
    return grouped


@dataclass(frozen=True)
class Reading:
    """What the words say: findings, when the procedure was, and what was not understood."""

    findings: list[DetectedFinding]
    timing: TimeExpression | None
    unexplained: list[Unexplained]

    @property
    def unrecognised(self) -> list[str]:
        """The person's words we could not explain, clause by clause."""
        return [u.text for u in self.unexplained]


def normalise(text: str) -> str:
    """Straighten quotes and split hyphenated words, keeping every character offset."""
    return _HYPHEN_BETWEEN_LETTERS.sub(" ", text.translate(_QUOTES))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Return whether two [start, end) token ranges share a token."""
    return a[0] < b[1] and b[0] < a[1]


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
        compiler = PhraseCompiler(nlp)
        # Every finding's phrasings, matched once per text (see PatternMatcher).
        self.phrasings = PatternMatcher(nlp)
        for finding in kb.findings.values():
            try:
                self.phrasings.add(
                    finding.code, [way for p in finding.phrasings for way in compiler.compile(p)]
                )
            except KnowledgeError as exc:
                raise KnowledgeError(f"findings: {finding.code}: {exc}") from exc
        # The language around the findings, matched in one pass per text: procedure
        # mentions, the lexicon's concepts, present-time words and context cues.
        self.language = PatternMatcher(nlp)
        try:
            for procedure in kb.procedures.values():
                where = f"procedures.yaml: {procedure.code}"
                patterns = [way for m in procedure.mentions for way in compiler.compile(m)]
                self.language.add(f"{_MENTION}{procedure.code}", patterns)
            for concept in kb.lexicon.concepts:
                where = f"lexicon.yaml: {concept.code}"
                patterns = [way for w in concept.words for way in compiler.compile(w)]
                self.language.add(f"{_CONCEPT}{concept.code}", patterns)
            where = "lexicon.yaml: present_time"
            self.language.add(
                _NOW, [way for w in kb.lexicon.present_time for way in compiler.compile(w)]
            )
            where = "lexicon.yaml: writing_for"
            self.language.add(
                _PROXY, [way for w in kb.lexicon.writing_for for way in compiler.compile(w)]
            )
            where = "lexicon.yaml: softeners"
            self.language.add(
                _SOFT, [way for w in kb.lexicon.softeners for way in compiler.compile(w)]
            )
        except KnowledgeError as exc:
            raise KnowledgeError(f"{where}: {exc}") from exc
        self.symptom_concepts = {
            c.code for c in kb.lexicon.concepts if c.role is ConceptRole.symptom
        }
        self.breaks = PatternMatcher(nlp)
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
            self.language.add(f"{_CUE}{index}", ways)
        # rule id -> whether it governs from where it is said (a story), not only as an opener
        self.governing = {
            id(rule): spec.tells_a_story
            for rule, spec in zip(self.context_rules, kb.context_rules, strict=True)
            if spec.governs_sentence
        }
        english = english_words()
        self.relations = frozenset(kb.lexicon.relations)
        self.speller = Speller(
            compiler.vocabulary | words_with_prefixes(compiler.prefixes, english),
            english_word_check(english),
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
            doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(normalise(spec.literal)))
            for token in doc:
                token.lemma_ = self.speller.canon(token.norm_)
            if not any(label == f"{_CUE}{index}" for label, _, _ in self.language(doc)):
                unmatched.append(f"{spec.literal!r} is not matched by {spec.pattern!r}")
        return unmatched

    def read(self, text: str, today: dt.date, procedure_days: int | None = None) -> Reading:
        """Read one description: findings with their status, timing, unexplained clauses.

        ``procedure_days`` is how long ago the procedure was, if the form says; a time
        in the past that is the procedure's own date does not make its signs past, and
        the words' own date (``timing``) is read only when the form gives none.
        """
        doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(normalise(text)))
        for token in doc[:-1]:
            if _ends_sentence(token) and doc[token.i + 1].is_title:
                doc[token.i + 1].is_sent_start = True
        for token in doc:
            token.lemma_ = self.speller.canon(token.norm_)  # CANON: see triage.phrases
        sentence_of = [0] * len(doc)
        sentences = list(doc.sents)  # before clauses are marked as sentences below
        for index, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        unit_of, clause_starts = self._frame_units(doc)
        # Phrasings are matched before clauses are cut: "I coughed and there was
        # blood" is one finding, though "and there" starts a new clause.
        candidates = []
        for code, start, end in self.phrasings(doc, unit_of):
            span = doc[start:end]
            span.label_ = code
            candidates.append(span)
        ents = self._longest_first(candidates)
        self._mark_clauses(doc, clause_starts)
        clause_of = [0] * len(doc)
        clauses = list(doc.sents)
        for index, clause in enumerate(clauses):
            for i in range(clause.start, clause.end):
                clause_of[i] = index
        words = self._language(doc, clause_of)
        ents = self.frames.add(doc, ents, _group(words.concepts, unit_of), (unit_of, clause_of))
        doc.ents = self._mild(ents, words.softeners, unit_of)
        cues = apply_context(doc, words.cues, self.context_rules, clause_of)
        findings = [self._finding(text, ent) for ent in doc.ents]
        findings = coordinate_negation(doc, findings)
        findings = resolved_by_next_clause(doc, clauses, findings, clause_of, cues, sentence_of)
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
        first = {clause_of[t.i] for t in doc if t.norm_ in FIRST_PERSON and t.i not in theirs}
        third = {clause_of[t.i] for t in doc if t.norm_ in THIRD_PERSON | THIRD_SUBJECTS}
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
        narrator = not words.writing_for and _narrator_is_patient(
            cues, clause_of, words.mentions, speaks_as_i, third
        )
        findings = someone_else_by_pronoun(doc, findings, clause_of, narrator)
        findings = named_others(doc, findings, clause_of, self.relations, narrator)
        mentioned = {clause_of[start] for start in words.mentions}
        findings = patient_told_by_another(doc, findings, bool(mentioned & speaks_as_i))
        findings = also_the_writers(doc, findings, cues)
        findings = healing_days_past(doc, findings, clause_of, procedure_days)
        findings = present_after_all(doc, findings, clause_of, words.now)
        # "I had filler, I think in March": the date may sit in another clause of the sentence.
        # The clauses that name the procedure, then their neighbours in the sentence.
        # Read only when the form leaves the date out: the form's date always wins.
        named = {clause_of[start] for start in words.mentions} if procedure_days is None else set()
        timing = days_from_words(doc, [clauses[i] for i in sorted(named)], today)
        if timing is None and named:  # "I had filler, I think in March"
            nearby = _neighbourhoods(doc, clauses, named, sentence_of)
            timing = days_from_words(doc, nearby, today)
        # Only the form's date: a date read from these words may be an earlier procedure's
        # ("Last year after filler I had a red lump. This time ...").
        if procedure_days is not None:
            dated = {clause_of[m.modifier_span[0]] for m in cues if m.category == "HISTORICAL"}
            around = _neighbourhoods(doc, clauses, dated, sentence_of)
            findings = dated_by_the_procedure(doc, findings, cues, around, procedure_days, today)
        if narrator:  # "... and blurry for her": a clause about someone else is their story
            told |= third - first
        unexplained = self._unexplained(
            text,
            doc,
            clauses,
            _group(words.concepts, clause_of),
            clause_of,
            cues,
            words.mentions,
            told,
        )
        return Reading(findings=findings, timing=timing, unexplained=unexplained)

    def _language(self, doc: Any, clause_of: list[int]) -> _Words:
        """Match mentions, concepts, present-time words and context cues in one pass."""
        words = _Words()
        for label, start, end in self.language(doc, clause_of):
            if label.startswith(_CONCEPT):
                words.concepts.append((label[len(_CONCEPT) :], start, end))
            elif label.startswith(_CUE):
                words.cues.append((int(label[len(_CUE) :]), start, end))
            elif label.startswith(_MENTION):
                words.mentions.append(start)
            elif label == _PROXY:
                words.writing_for = True
            elif label == _SOFT:
                words.softeners.append((start, end))
            else:
                words.now.append(start)
        return words

    def _frame_units(self, doc: Any) -> tuple[list[int], list[int]]:
        """Find the clause breaks; return each token's frame unit and where clauses start.

        A frame unit is a sentence as far as the next contrast ("but", ";"):
        phrasings and frames look inside one. Clauses, cut further at ", and
        my" or "and now", are where context cues and the recall net work.
        """
        sentences = {s.start for s in doc.sents}
        contrasts, starts = set(), []
        for label, start, _ in self.breaks(doc):
            if doc[start].is_punct and start + 1 < len(doc):
                start += 1  # "fever - no; rash - no": the ";" ends the clause before it
            if start > 0:
                starts.append(start)
                if label == "contrast":
                    contrasts.add(start)
        unit_of, unit, since = [0] * len(doc), 0, 0
        for i in range(len(doc)):
            since += 1
            # A run-on message without full stops is cut at a comma or "and" after
            # a while, and hard at the longest unit, so reading stays linear.
            run_on = since > _LONGEST_UNIT * 3 // 4 and doc[i - 1].norm_ in _SOFT_BREAKS
            if i > 0 and (i in contrasts or i in sentences or run_on or since > _LONGEST_UNIT):
                unit += 1
                since = 1
                if i not in sentences:
                    starts.append(i)
            unit_of[i] = unit
        return unit_of, starts

    @staticmethod
    def _mark_clauses(doc: Any, starts: list[int]) -> None:
        """Start a new clause at each break, and cut run-on clauses at a comma or "and"."""
        for start in starts:
            doc[start].is_sent_start = True
        for clause in list(doc.sents):
            if len(clause) <= _LONGEST_CLAUSE:
                continue
            since = 0
            for i in range(clause.start, clause.end - 1):
                since += 1
                if since > _LONGEST_CLAUSE * 3 // 4 and doc[i].norm_ in _SOFT_BREAKS:
                    doc[i + 1].is_sent_start = True
                    since = 0
                elif since >= _LONGEST_CLAUSE:
                    doc[i + 1].is_sent_start = True
                    since = 0

    def _unexplained(
        self,
        text: str,
        doc: Any,
        clauses: list[Any],
        concepts: dict[int, list[tuple[str, int, int]]],
        clause_of: list[int],
        cues: list[Any],
        mentions: list[int],
        told: set[int],
    ) -> list[Unexplained]:
        """Return the clauses that no finding explains and that speak of the body, or of danger.

        A clause with a finding is explained. A clause without one is explained
        as context (feelings, cost, what a partner said) unless it holds a
        symptom word from the lexicon or is close in meaning to a danger sign.
        A clause under a negation, worry, history, someone-else or resolved cue
        is explained by that cue. When nothing at all was understood, every
        clause is listed, so the answer can show the person's words back; so too
        beside nothing but context findings ("I'm too embarrassed to go back"
        explains no eyelid).
        """
        with_findings = {
            clause
            for ent in doc.ents
            for clause in range(clause_of[ent.start], clause_of[ent.end - 1] + 1)
        }
        modified = clauses_with_cues(cues, clause_of) | told  # or governed by one
        # "I had lip filler 5 months ago" is explained: it tells what was done, and when.
        mentioned = {clause_of[start] for start in mentions}
        asked: list[int] = []
        for index, clause in enumerate(clauses):
            if index in with_findings or index in modified:
                continue
            symptom = any(code in self.symptom_concepts for code, _, _ in concepts.get(index, []))
            if index in mentioned and not symptom:
                continue
            if any(t.is_alpha for t in clause):
                asked.append(index)
        closeness = self.net.nearest([clauses[i].text for i in asked]) if asked else []
        recall = self.kb.recall
        # Context (feelings, cost, records) explains its own clause only: beside
        # nothing but context, every other clause is shown back, as when nothing was found.
        nothing_found = all(
            self.kb.findings[ent.label_].kind is FindingKind.context for ent in doc.ents
        )
        result: list[Unexplained] = []
        for index, near in zip(asked, closeness, strict=True):
            clause = clauses[index]
            close = near.is_close(recall.similarity, recall.margin)
            symptom = any(code in self.symptom_concepts for code, _, _ in concepts.get(index, []))
            if not close and not symptom and not nothing_found:
                continue  # ordinary context beside what we understood
            start, end = clause.start_char, clause.end_char
            result.append(
                Unexplained(
                    text=text[start:end].strip(),
                    start=start,
                    end=end,
                    about_body=close or symptom,
                    possible_sign=near.finding if close else None,
                    similarity=round(near.similarity, 3),
                )
            )
        return result

    def _longest_first(self, spans: list[Any]) -> list[Any]:
        """Keep non-overlapping spans: longest, then most serious finding, then earliest.

        A phrasing about the look of the result never swallows a danger sign or a
        complication told inside or across it ("my left upper eyelid is hanging
        lower than the right" is a drooping eyelid, not only an uneven look): the
        more serious span replaces it, unless the look names it among what it
        ``contains`` (a blue-grey shadow is a tint, whose own rules carry the danger).
        Two danger signs that share words are both kept; the second keeps the words
        no other finding took ("my tongue is swelling up very fast").
        """
        kind_of = {code: f.kind for code, f in self.kb.findings.items()}

        def key(span: Any) -> tuple[int, int, int]:
            return (-(span.end - span.start), KIND_PRIORITY[kind_of[span.label_]], span.start)

        kept: list[Any] = []
        taken: set[int] = set()
        for span in sorted(spans, key=key):
            if not taken.intersection(range(span.start, span.end)):
                kept.append(span)
                taken.update(range(span.start, span.end))
                continue
            if kind_of[span.label_] not in (FindingKind.red_flag, FindingKind.complication):
                continue
            outer = [k for k in kept if k.start <= span.start and span.end <= k.end]
            sharing = [k for k in kept if k.start < span.end and span.start < k.end]
            if all(
                kind_of[k.label_] is FindingKind.result
                and span.label_ not in self.kb.findings[k.label_].contains
                for k in sharing
            ):
                # A look never swallows a danger sign or a complication told in or across
                # it ("my left eyelid sits a bit lower than the right" is a drooping lid).
                for k in sharing:
                    kept.remove(k)
                    taken.difference_update(range(k.start, k.end))
                kept.append(span)
                taken.update(range(span.start, span.end))
                continue
            if (
                not outer
                and kind_of[span.label_] is FindingKind.red_flag
                and all(k.label_ != span.label_ for k in sharing)
            ):
                # Two danger signs share a word ("my tongue is swelling up very fast"):
                # neither is lost; the second keeps the words no other finding took.
                free = [i for i in range(span.start, span.end) if i not in taken]
                rest = _trimmed(span.doc, free[0], free[-1] + 1) if free else None
                if rest is not None and free == list(range(free[0], free[-1] + 1)):
                    rest.label_ = span.label_
                    kept.append(rest)
                    taken.update(range(rest.start, rest.end))
        return sorted(kept, key=lambda s: s.start)

    def _mild(
        self, ents: list[Any], softeners: list[tuple[int, int]], unit_of: list[int]
    ) -> list[Any]:
        """Read a finding told with a softener as its calmer ``when_mild`` finding."""
        for ent in ents:
            mild = self.kb.findings[ent.label_].when_mild
            if mild is None:
                continue
            if any(
                ent.start - _SOFTENER_REACH <= start < ent.end
                and unit_of[start] == unit_of[ent.start]
                for start, _ in softeners
            ):
                ent.label_ = mild
        return ents

    def _finding(self, text: str, ent: Any) -> DetectedFinding:
        """Build a DetectedFinding from a matched span and the context cues that modify it."""
        target = (ent.start, ent.end)
        categories: dict[str, str] = {}
        for modifier in ent._.modifiers:
            # A cue that runs into the finding, or ends with it, reaches it ("worried my eye
            # could" + "eye could start bulging"; "my husband nearly fainted"); a cue inside
            # the phrase itself does not ("isn't answering"), nor one that holds it in its
            # middle ("worried my lip is white, will").
            cue_start, cue_end = modifier.modifier_span
            running_in = cue_start < target[0] < cue_end <= target[1]  # or ends with it
            # A time inside the phrase still dates it: "my eyelid used to droop".
            inside = _overlaps(modifier.modifier_span, target)
            dates = inside and modifier.category == ContextCategory.HISTORICAL.value
            if inside and not (running_in or dates):
                continue
            scope = modifier.scope_span
            covered = scope[0] <= target[0] and target[1] <= listed_end(ent.doc, scope)
            if not (covered or running_in or dates):
                continue  # doubt keeps the finding: the scope must cover it wholly
            if modifier.category == ContextCategory.NEGATED_EXISTENCE.value and _unable(
                ent.doc, modifier.modifier_span
            ):
                continue  # "can't even keep sips of water down" is a sign, not a denial
            if modifier.category == ContextCategory.FAMILY.value and _writer_between(
                ent.doc, modifier.modifier_span[1], target[1]
            ):
                continue  # "my husband is worried my lip is white": the lip is the writer's
            cue = ent.doc[modifier.modifier_span[0] : modifier.modifier_span[1]].text
            categories.setdefault(modifier.category, cue)
        status = FindingStatus.present
        cues: list[str] = []
        # "the vision in one eye will go grey": a finding told in the future is a worry.
        modal = next((t for t in ent if t.norm_ in _MODALS and not _negated_next(t)), None)
        if modal is not None and ent[0].norm_ not in _FEELING:  # "I feel like I will faint" is now
            categories.setdefault(ContextCategory.HYPOTHETICAL.value, modal.text)
        if ContextCategory.ALSO_SELF.value in categories:
            categories = {}  # "... and so did mine": whatever else was said, it is theirs too
        for category, candidate in PRECEDENCE:
            if category in categories:
                status = candidate
                cues = [categories[category]]
                break
        finding = self.kb.findings[ent.label_]
        return DetectedFinding(
            code=finding.code,
            label=finding.label,
            kind=finding.kind,
            status=status,
            quote=text[ent.start_char : ent.end_char],
            start=ent.start_char,
            end=ent.end_char,
            cues=cues,
        )


# "would" and "could" are left out: they tell real things too ("everyone would be
# better off without me", "I couldn't see").
_MODALS = {"will", "might", "may", "shall"}
_FEELING = {"feel", "feels", "felt", "feeling"}


def _unable(doc: Any, cue: tuple[int, int]) -> bool:
    """Return whether a "not" is an inability ("can't keep it down"), not a denial.

    "Can't see any redness" and "can't feel a lump" still deny: a sense that
    finds nothing is a denial.
    """
    start, end = cue
    if doc[start].norm_ not in {"not", "n't", "nt"} or start == 0:
        return False
    if doc[start - 1].norm_ not in _CAN:
        return False
    after = [t.norm_ for t in doc[end : end + 2]]
    return not any(word in _SENSES for word in after)


_CAN = {"ca", "can", "could", "wo", "cannot"}
_SENSES = {"see", "feel", "notice", "find", "spot", "tell", "detect", "hear", "smell"}


def _ends_sentence(token: Any) -> bool:
    """Return whether a word carries its sentence's full stop ("A&E.", "E.")."""
    text = token.text
    return len(text) > 1 and text.endswith(".") and text.lower() not in _NOT_AN_END


def _trimmed(doc: Any, start: int, end: int) -> Any | None:
    """Return the span without the small words at its edges, or None if nothing is left."""
    while start < end and (doc[start].is_stop or not doc[start].is_alpha):
        start += 1
    while end > start and (doc[end - 1].is_stop or not doc[end - 1].is_alpha):
        end -= 1
    return doc[start:end] if end > start else None


def _writer_between(doc: Any, start: int, end: int) -> bool:
    """Return whether the writer speaks as "I" or "my" between two token positions."""
    return any(t.norm_ in FIRST_PERSON for t in doc[start:end])


def _negated_next(token: Any) -> bool:
    """Return whether the next word denies ("won't", "could not")."""
    return bool(token.i + 1 < len(token.doc) and token.doc[token.i + 1].norm_ == "not")


def _neighbourhoods(
    doc: Any, clauses: list[Any], indices: set[int], sentence_of: list[int]
) -> list[Any]:
    """Return these clauses with their neighbours in the same sentence, as non-overlapping spans.

    Each token is in at most one span, so a message without full stops is read
    in linear time.
    """
    wanted: set[int] = set()
    for index in indices:
        own = sentence_of[clauses[index].start]
        for near in (index - 1, index, index + 1):
            if 0 <= near < len(clauses) and sentence_of[clauses[near].start] == own:
                wanted.add(near)
    spans: list[Any] = []
    for index in sorted(wanted):
        same = spans and sentence_of[spans[-1].start] == sentence_of[clauses[index].start]
        if same and spans[-1].end == clauses[index].start:
            spans[-1] = doc[spans[-1].start : clauses[index].end]
        else:
            spans.append(doc[clauses[index].start : clauses[index].end])
    return spans


def _clauses_with(doc: Any, clause_of: list[int], words: set[str]) -> set[int]:
    """Return the clauses holding any of these words."""
    return {clause_of[t.i] for t in doc if t.norm_ in words}


def _narrator_is_patient(
    cues: list[Any],
    clause_of: list[int],
    mentions: list[int],
    first: set[int],
    third: set[int],
) -> bool:
    """Return whether the writer is known to be the patient ("I had lipo", "my botox").

    Only on positive evidence: a mention of the procedure in a clause where the
    writer speaks as "I" ("I had lipo"; "my wife had" is not enough), and none
    about someone else ("my mum had filler", "she had BBL").
    Without it, "her" may be the patient, so her signs stay present (doubt
    keeps a finding). We tried more evidence ("me and my sister both had
    filler", "mine shut fine") and dropped it the same session: each time, a
    new blind set found a writer asking for the patient ("She's just after
    ringing me and her words are slurred", "Wife had a facelift ... swollen
    both sides") whose emergency became someone else's.
    """
    mentioned = {clause_of[start] for start in mentions}
    family = {clause_of[m.modifier_span[0]] for m in cues if m.category == "FAMILY"}
    return bool(mentioned & first) and not mentioned & (family | third)


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
