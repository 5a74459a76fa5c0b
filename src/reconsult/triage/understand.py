"""Turn a person's own words into findings, each with the words that triggered it.

The pipeline is spaCy's blank English tokenizer and sentencizer (no model
download), a token Matcher built from the knowledge base's lay phrasings
(see :mod:`reconsult.triage.phrases`), and medspaCy's ConText with our lay
modifier rules from ``context.yaml``: negation ("no fever"), hypotheticals
and worries ("what if it blocks a vessel"), history ("last year I had"),
someone else ("my friend had") and resolved things ("it's gone now").
Findings that are negated, hypothetical, past, resolved or someone else's
are kept and marked, never dropped. Sentences that match nothing are
reported as not understood.

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
from reconsult.knowledge.schema import (
    QUOTED_ROLES,
    ConceptRole,
    ContextCategory,
    FindingKind,
    Frame,
)
from reconsult.triage.models import DetectedFinding, FindingStatus, Unexplained
from reconsult.triage.phrases import PatternMatcher, PhraseCompiler
from reconsult.triage.recall import RecallNet
from reconsult.triage.spelling import Speller, english_word_check
from reconsult.triage.timing import TimeExpression, days_from_words

# Status when several cues apply, strongest first: a worry about someone
# else's problem is someone else's; a negated worry is still only a worry.
_PRECEDENCE: tuple[tuple[str, FindingStatus], ...] = (
    (ContextCategory.FAMILY.value, FindingStatus.someone_else),
    (ContextCategory.HYPOTHETICAL.value, FindingStatus.hypothetical),
    (ContextCategory.NEGATED_EXISTENCE.value, FindingStatus.negated),
    (ContextCategory.RESOLVED.value, FindingStatus.resolved),
    (ContextCategory.HISTORICAL.value, FindingStatus.past),
)
_TERMINATOR_SCOPE = 1
# When two findings claim exactly the same words, the more serious reading wins.
_KIND_PRIORITY = {
    FindingKind.red_flag: 0,
    FindingKind.complication: 1,
    FindingKind.result: 2,
    FindingKind.expected: 3,
    FindingKind.context: 4,
}
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# Cues that make a clause not about the person now; pseudo cues and terminators are not.
_STATUS_CATEGORIES = {category for category, _ in _PRECEDENCE}
# A clause longer than this many tokens is cut at a comma or "and" (run-on messages).
_LONGEST_CLAUSE = 40
_LONGEST_UNIT = 60
_SOFT_BREAKS = {",", "and", "&", "or", "then", "so"}


_MENTION, _CONCEPT, _CUE, _NOW = "mention:", "concept:", "cue:", "now"


@dataclass
class _Words:
    """What the language pass found: concepts, context cues, procedure mentions, 'now' words."""

    concepts: list[tuple[str, int, int]] = field(default_factory=list)
    cues: list[tuple[int, int, int]] = field(default_factory=list)  # (rule index, start, end)
    mentions: list[int] = field(default_factory=list)  # start tokens
    now: list[int] = field(default_factory=list)


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
        from spacy.matcher import Matcher

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
                self.phrasings.add(finding.code, [compiler.compile(p) for p in finding.phrasings])
            except KnowledgeError as exc:
                raise KnowledgeError(f"findings: {finding.code}: {exc}") from exc
        # The language around the findings, matched in one pass per text: procedure
        # mentions, the lexicon's concepts, present-time words and context cues.
        self.language = PatternMatcher(nlp)
        try:
            for procedure in kb.procedures.values():
                where = f"procedures.yaml: {procedure.code}"
                patterns = [compiler.compile(m) for m in procedure.mentions]
                self.language.add(f"{_MENTION}{procedure.code}", patterns)
            for concept in kb.lexicon.concepts:
                where = f"lexicon.yaml: {concept.code}"
                patterns = [compiler.compile(w) for w in concept.words]
                self.language.add(f"{_CONCEPT}{concept.code}", patterns)
            where = "lexicon.yaml: present_time"
            self.language.add(_NOW, [compiler.compile(w) for w in kb.lexicon.present_time])
        except KnowledgeError as exc:
            raise KnowledgeError(f"{where}: {exc}") from exc
        self.symptom_concepts = {
            c.code for c in kb.lexicon.concepts if c.role is ConceptRole.symptom
        }
        self.breaks = Matcher(nlp.vocab, validate=True)
        try:
            self.breaks.add("contrast", [compiler.compile(b) for b in kb.lexicon.contrasts])
            self.breaks.add("clause", [compiler.compile(b) for b in kb.lexicon.clause_breaks])
        except KnowledgeError as exc:
            raise KnowledgeError(f"lexicon.yaml: contrasts or clause_breaks: {exc}") from exc
        self._contrast = nlp.vocab.strings["contrast"]
        roles = {c.code: c.role for c in kb.lexicon.concepts}
        self._quotable = {c for c, role in roles.items() if role in QUOTED_ROLES}
        self.frames: list[tuple[str, Frame, set[str]]] = []
        for f in kb.findings.values():
            for frame in f.frames:
                quoted = {c for c in frame.concepts if roles[c] is ConceptRole.symptom}
                quoted = quoted or {c for c in frame.concepts if roles[c] in QUOTED_ROLES}
                self.frames.append((f.code, frame, quoted))
        self.net = RecallNet(kb)
        self.context_rules = []
        for index, spec in enumerate(kb.context_rules):
            try:
                pattern = compiler.compile(spec.pattern or spec.literal)
            except KnowledgeError as exc:
                raise KnowledgeError(f"context_rules.yaml: {spec.literal!r}: {exc}") from exc
            is_terminator = spec.direction == "TERMINATE"
            self.context_rules.append(
                ConTextRule(
                    literal=spec.literal,
                    category=spec.category.value,
                    pattern=pattern,
                    direction=spec.direction,
                    max_scope=_TERMINATOR_SCOPE if is_terminator else spec.max_scope,
                )
            )
            self.language.add(f"{_CUE}{index}", [pattern])
        self.speller = Speller(compiler.vocabulary, english_word_check())
        # The component only registers medspaCy's span extensions; cues are applied
        # clause by clause in _apply_context, which is linear in the text's length.
        nlp.add_pipe("medspacy_context", config={"rules": None, "span_attrs": None})

    def read(self, text: str, today: dt.date) -> Reading:
        """Read one description: findings with their status, timing, unexplained clauses."""
        doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(normalise(text)))
        for token in doc:
            token.lemma_ = self.speller.canon(token.norm_)  # CANON: see triage.phrases
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
        ents = self._add_frames(doc, ents, _group(words.concepts, unit_of), clause_of)
        doc.ents = ents
        cues = self._apply_context(doc, words.cues, clause_of)
        findings = [self._finding(text, ent) for ent in doc.ents]
        findings = _coordinate_negation(doc, findings)
        findings = _resolved_by_next_clause(doc, clauses, findings, clause_of, cues)
        findings = _present_after_all(doc, findings, clause_of, words.now)
        mention_sentences = {doc[start].sent.start for start in words.mentions}
        timing = days_from_words(doc, mention_sentences, today)
        unexplained = self._unexplained(
            text, doc, clauses, _group(words.concepts, clause_of), clause_of, cues, words.mentions
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
            else:
                words.now.append(start)
        return words

    def _apply_context(
        self, doc: Any, cues: list[tuple[int, int, int]], clause_of: list[int]
    ) -> list[Any]:
        """Apply the context cues to the findings clause by clause; return every cue.

        medspaCy's ConText compares every cue with every other cue and every
        finding in the whole text, which grows with the square of its length.
        Cues never reach across a clause, so each clause gets its own graph.
        """
        from medspacy.common.util import prune_overlapping_matches
        from medspacy.context import ConTextGraph, ConTextModifier

        kept = prune_overlapping_matches([(rule, start, end) for rule, start, end in cues])
        by_clause: dict[int, list[Any]] = {}
        modifiers = []
        for rule, start, end in sorted(kept, key=lambda m: (m[1], m[2])):
            modifier = ConTextModifier(self.context_rules[rule], start, end, doc)
            modifiers.append(modifier)
            by_clause.setdefault(clause_of[start], []).append(modifier)
        targets: dict[int, list[Any]] = {}
        for ent in doc.ents:
            targets.setdefault(clause_of[ent.start], []).append(ent)
        for clause, spans in targets.items():
            graph = ConTextGraph(targets=spans, modifiers=by_clause.get(clause, []))
            graph.update_scopes()
            graph.apply_modifiers()
            for target, modifier in graph.edges:
                target._.modifiers += (modifier,)
        return modifiers

    def _frame_units(self, doc: Any) -> tuple[list[int], list[int]]:
        """Find the clause breaks; return each token's frame unit and where clauses start.

        A frame unit is a sentence as far as the next contrast ("but", ";"):
        phrasings and frames look inside one. Clauses, cut further at ", and
        my" or "and now", are where context cues and the recall net work.
        """
        sentences = {s.start for s in doc.sents}
        contrasts, starts = set(), []
        for match_id, start, _ in self.breaks(doc):
            if start > 0:
                starts.append(start)
                if match_id == self._contrast:
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

    def _add_frames(
        self,
        doc: Any,
        ents: list[Any],
        concepts: dict[int, list[tuple[str, int, int]]],
        clause_of: list[int],
    ) -> list[Any]:
        """Add findings told as frames where the phrasings left their symptom words unexplained.

        A frame fires when all its concepts occur within ``within`` tokens in
        one frame unit (a sentence up to a contrast). Its finding's words are
        the frame's symptom words in one clause, so context cues ("no
        blisters") apply to them as to any phrasing. Phrasings are curated and
        precise, so they go first: a frame only explains symptom words that no
        phrasing took.
        """
        # A danger sign's frame may take words from a phrasing about the look of the
        # result ("a grey shadow ... over what I see" is not a tint under the skin);
        # never from an expected part of healing ("blurry from the ointment").
        yields = {
            i
            for ent in ents
            if self.kb.findings[ent.label_].kind is FindingKind.result
            for i in range(ent.start, ent.end)
        }
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        spans: list[tuple[int, int, int, str]] = []  # (kind priority, start, end, code)
        for found in concepts.values():
            present = {code for code, _, _ in found}
            for code, frame, quoted in self.frames:
                if not set(frame.concepts) <= present:
                    continue
                best = _tightest(found, frame.concepts)
                if best is None or best[1] - best[0] > frame.within:
                    continue
                kind = self.kb.findings[code].kind
                blocked = taken - yields if kind is FindingKind.red_flag else taken
                # Any free occurrence of the quoted concepts that keeps the frame within reach.
                reach = (best[1] - frame.within, best[0] + frame.within)
                symptom = _free_words(found, quoted, reach, blocked)
                if not symptom:  # its words were taken: a more serious frame quotes the rest
                    quotable = self._quotable.intersection(frame.concepts)
                    symptom = _free_words(found, quotable, reach, blocked)
                if not symptom:
                    continue
                clause = clause_of[symptom[-1][0]]
                inside = [(a, b) for a, b in symptom if clause_of[a] == clause]
                low, high = inside[0][0], inside[-1][1]
                low, high = _free_range((low, high), blocked, inside[-1][0])
                spans.append((_KIND_PRIORITY[kind], low, high, code))
        added = list(ents)
        for _, start, end, code in sorted(spans, key=lambda s: (s[0], s[1] - s[2], s[1])):
            overlapping = [e for e in added if e.start < end and start < e.end]
            if any(self.kb.findings[e.label_].kind is not FindingKind.result for e in overlapping):
                continue
            if overlapping and self.kb.findings[code].kind is not FindingKind.red_flag:
                continue
            for ent in overlapping:  # a result phrasing gives its words to the danger sign
                added.remove(ent)
            span = doc[start:end]
            span.label_ = code
            added.append(span)
        return sorted(added, key=lambda s: s.start)

    def _unexplained(
        self,
        text: str,
        doc: Any,
        clauses: list[Any],
        concepts: dict[int, list[tuple[str, int, int]]],
        clause_of: list[int],
        cues: list[Any],
        mentions: list[int],
    ) -> list[Unexplained]:
        """Return the clauses that no finding explains and that speak of the body, or of danger.

        A clause with a finding is explained. A clause without one is explained
        as context (feelings, cost, what a partner said) unless it holds a
        symptom word from the lexicon or is close in meaning to a danger sign.
        A clause under a negation, worry, history, someone-else or resolved cue
        is explained by that cue. When nothing at all was understood, every
        clause is listed, so the answer can show the person's words back.
        """
        with_findings = {
            clause
            for ent in doc.ents
            for clause in range(clause_of[ent.start], clause_of[ent.end - 1] + 1)
        }
        modified = _clauses_with_cues(cues, clause_of)
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
        nothing_found = not doc.ents
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
        """Keep non-overlapping spans: longest, then most serious finding, then earliest."""

        def key(span: Any) -> tuple[int, int, int]:
            kind = self.kb.findings[span.label_].kind
            return (-(span.end - span.start), _KIND_PRIORITY[kind], span.start)

        kept: list[Any] = []
        taken: set[int] = set()
        for span in sorted(spans, key=key):
            if not taken.intersection(range(span.start, span.end)):
                kept.append(span)
                taken.update(range(span.start, span.end))
        return sorted(kept, key=lambda s: s.start)

    def _finding(self, text: str, ent: Any) -> DetectedFinding:
        """Build a DetectedFinding from a matched span and the context cues that modify it."""
        target = (ent.start, ent.end)
        categories: dict[str, str] = {}
        for modifier in ent._.modifiers:
            if _overlaps(modifier.modifier_span, target):
                continue  # a cue inside the phrase itself ("isn't answering")
            scope = modifier.scope_span
            if not (scope[0] <= target[0] and target[1] <= _listed_end(ent.doc, scope)):
                continue  # doubt keeps the finding: the scope must cover it wholly
            cue = ent.doc[modifier.modifier_span[0] : modifier.modifier_span[1]].text
            categories.setdefault(modifier.category, cue)
        status = FindingStatus.present
        cues: list[str] = []
        if ContextCategory.ALSO_SELF.value in categories:
            categories = {}  # "... and so did mine": whatever else was said, it is theirs too
        for category, candidate in _PRECEDENCE:
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


def _tightest(found: list[tuple[str, int, int]], wanted: list[str]) -> tuple[int, int] | None:
    """Return the shortest token range holding one occurrence of each wanted concept."""
    best: tuple[int, int] | None = None
    first = wanted[0]
    for code, start, end in found:
        if code != first:
            continue
        low, high = start, end
        for other in wanted[1:]:
            options = [(s, e) for c, s, e in found if c == other]
            if not options:
                return None
            s, e = min(options, key=lambda o: max(o[1], end) - min(o[0], start))
            low, high = min(low, s), max(high, e)
        if best is None or high - low < best[1] - best[0]:
            best = (low, high)
    return best


def _free_words(
    found: list[tuple[str, int, int]], wanted: set[str], reach: tuple[int, int], taken: set[int]
) -> list[tuple[int, int]]:
    """Return the untaken occurrences of the wanted concepts inside ``reach``, in order."""
    return sorted(
        (start, end)
        for concept, start, end in found
        if concept in wanted
        and reach[0] <= start
        and end <= reach[1]
        and not taken.intersection(range(start, end))
    )


def _free_range(span: tuple[int, int], taken: set[int], anchor: int) -> tuple[int, int]:
    """Shrink ``span`` around ``anchor`` so it holds no taken token."""
    start, end = anchor, anchor + 1
    while start > span[0] and start - 1 not in taken:
        start -= 1
    while end < span[1] and end not in taken:
        end += 1
    return start, end


def _clauses_with_cues(modifiers: list[Any], clause_of: list[int]) -> set[int]:
    """Return the clauses holding a status cue (negation, worry, history, other, resolved)."""
    return {clause_of[m.modifier_span[0]] for m in modifiers if m.category in _STATUS_CATEGORIES}


_COORDINATORS = {"or", "nor", "and", ",", "neither", "either", "any", "a", "an", "the"}
_LIST_JOINS = {"or", "nor"}


def _listed_end(doc: Any, scope: tuple[int, int]) -> int:
    """Return where a cue's scope ends, carried over a list joined by "or" / "nor".

    "not having any trouble breathing or swallowing": the scope of "not"
    reaches "breathing"; "or swallowing" belongs to the same denial.
    """
    end = scope[1]
    if end < len(doc) and doc[end].norm_ in _LIST_JOINS and not doc[end].is_sent_start:
        stop = end + 1
        while stop < min(len(doc), end + 4) and not doc[stop].is_sent_start:
            if doc[stop].norm_ in _LIST_JOINS or doc[stop].is_punct:
                break
            stop += 1
        return stop
    return end


def _resolved_by_next_clause(
    doc: Any,
    clauses: list[Any],
    findings: list[DetectedFinding],
    clause_of: list[int],
    modifiers: list[Any],
) -> list[DetectedFinding]:
    """Mark findings resolved when the next clause says "it stopped" or "it went away".

    "My vision went blurry. It stopped after five minutes." The resolving clause
    must have no finding of its own, start with a pronoun ("it", "that", "they")
    and hold a resolved cue; nothing later in its sentence may say it came back.
    """
    resolving = {
        clause_of[m.modifier_span[0]]
        for m in modifiers
        if m.category == ContextCategory.RESOLVED.value
    }
    with_findings = {
        clause_of[doc.char_span(f.start, f.end, alignment_mode="expand").start]
        for f in findings
        if f.start is not None
    }
    resolved: set[int] = set()
    for index in sorted(resolving - with_findings):
        if index == 0:
            continue
        words = [t for t in clauses[index] if t.is_alpha and t.norm_ not in _LEADING_JOINS]
        if not words or words[0].norm_ not in _PRONOUN_SUBJECTS:
            continue
        later = " ".join(t.norm_ for c in clauses[index + 1 : index + 3] for t in c)
        if any(words in later for words in _CAME_BACK):
            continue
        resolved.add(index - 1)
    if not resolved:
        return findings
    result = []
    for f in findings:
        span = (
            doc.char_span(f.start, f.end, alignment_mode="expand") if f.start is not None else None
        )
        if (
            span is not None
            and clause_of[span.start] in resolved
            and f.status is FindingStatus.present
        ):
            f = f.model_copy(update={"status": FindingStatus.resolved, "cues": ["(next words)"]})
        result.append(f)
    return result


_PRONOUN_SUBJECTS = {"it", "that", "this", "they", "which", "both", "all", "everything"}
_LEADING_JOINS = {"but", "and", "then", "so", "though", "however", "although", "yet"}
_CAME_BACK = ("came back", "come back", "coming back", "comes back", "is back", "returned", "worse")


def _coordinate_negation(doc: Any, findings: list[DetectedFinding]) -> list[DetectedFinding]:
    """Carry a negation along a list: "no trouble breathing or swallowing" denies both.

    A present finding joined to a negated one in the same clause only by
    "or", "nor", "and", commas or articles shares its negation. Doubt keeps
    a finding, so anything else between them ("but", a verb) stops it.
    """
    result = list(findings)
    for index in range(1, len(result)):
        before, this = result[index - 1], result[index]
        if this.status is not FindingStatus.present or before.status is not FindingStatus.negated:
            continue
        if before.end is None or this.start is None:
            continue
        between = doc.char_span(before.end, this.start, alignment_mode="expand")
        first = doc.char_span(before.start, before.end, alignment_mode="expand")
        if between is None or first is None or first.sent.start != between.sent.start:
            continue
        if all(t.norm_ in _COORDINATORS for t in between) and any(
            t.norm_ in {"or", "nor", ","} for t in between
        ):
            result[index] = this.model_copy(
                update={"status": FindingStatus.negated, "cues": list(before.cues)}
            )
    return result


def _present_after_all(
    doc: Any, findings: list[DetectedFinding], clause_of: list[int], now: list[int]
) -> list[DetectedFinding]:
    """Keep a finding present when its clause is also told in the present.

    "Had filler 2 years ago my lip went white this morning": the history cue
    dates the filler, "this morning" dates the white lip.
    """
    present = {clause_of[start] for start in now}
    result = []
    for f in findings:
        if f.status is FindingStatus.past and f.kind is not FindingKind.context:
            span = doc.char_span(f.start, f.end, alignment_mode="expand")
            if span is not None and clause_of[span.start] in present:
                f = f.model_copy(update={"status": FindingStatus.present, "cues": []})
        result.append(f)
    return result


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
