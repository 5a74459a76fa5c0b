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
from dataclasses import dataclass
from typing import Any

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ContextCategory, FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import Anchor, PhraseCompiler, TextWords, anchor_of
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


@dataclass(frozen=True)
class Reading:
    """What the words say: findings, when the procedure was, and what was not understood."""

    findings: list[DetectedFinding]
    timing: TimeExpression | None
    unrecognised: list[str]


def normalise(text: str) -> str:
    """Straighten quotes and split hyphenated words, keeping every character offset."""
    return _HYPHEN_BETWEEN_LETTERS.sub(" ", text.translate(_QUOTES))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Return whether two [start, end) token ranges share a token."""
    return a[0] < b[1] and b[0] < a[1]


class Reader:
    """A compiled reading pipeline for one knowledge base (build once, reuse)."""

    def __init__(self, kb: Knowledge, *, skip_by_anchor: bool = True) -> None:
        """Compile phrasings, mentions and context rules; raise KnowledgeError if any fails.

        ``skip_by_anchor=False`` runs every finding's patterns on every text; it
        exists so tests can check that skipping never changes what is found.
        """
        self.skip_by_anchor = skip_by_anchor
        import spacy
        from medspacy.context import ConTextRule
        from spacy.matcher import Matcher

        _silence_medspacy_logging()
        self.kb = kb
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        self.nlp = nlp
        compiler = PhraseCompiler(nlp)
        # One matcher per finding, skipped when none of its anchor words is in the text:
        # most descriptions mention a handful of the ~90 findings (see docs/decisions.md).
        self.finding_matchers: list[tuple[list[Anchor | None], Any]] = []
        for finding in kb.findings.values():
            try:
                patterns = [compiler.compile(p) for p in finding.phrasings]
            except KnowledgeError as exc:
                raise KnowledgeError(f"findings: {finding.code}: {exc}") from exc
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add(finding.code, patterns)
            self.finding_matchers.append(([anchor_of(p) for p in patterns], matcher))
        self.mentions = Matcher(nlp.vocab, validate=True)
        for procedure in kb.procedures.values():
            try:
                patterns = [compiler.compile(m) for m in procedure.mentions]
            except KnowledgeError as exc:
                raise KnowledgeError(f"procedures.yaml: {procedure.code}: {exc}") from exc
            self.mentions.add(procedure.code, patterns)
        rules = []
        for spec in kb.context_rules:
            try:
                pattern = compiler.compile(spec.pattern or spec.literal)
            except KnowledgeError as exc:
                raise KnowledgeError(f"context_rules.yaml: {spec.literal!r}: {exc}") from exc
            is_terminator = spec.direction == "TERMINATE"
            rules.append(
                ConTextRule(
                    literal=spec.literal,
                    category=spec.category.value,
                    pattern=pattern,
                    direction=spec.direction,
                    max_scope=_TERMINATOR_SCOPE if is_terminator else spec.max_scope,
                )
            )
        self.speller = Speller(compiler.vocabulary, english_word_check())
        context: Any = nlp.add_pipe("medspacy_context", config={"rules": None, "span_attrs": None})
        context.add(rules)
        self.context = context

    def read(self, text: str, today: dt.date) -> Reading:
        """Read one description: findings with their status, timing, unrecognised sentences."""
        # Sentences first; ConText runs only after the findings are matched.
        doc = self.nlp.get_pipe("sentencizer")(self.nlp.make_doc(normalise(text)))
        for token in doc:
            token.lemma_ = self.speller.canon(token.norm_)  # CANON: see triage.phrases
        sentence_of = [0] * len(doc)
        for index, sentence in enumerate(doc.sents):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        candidates = []
        for match_id, start, end in self._matches(doc):
            if sentence_of[start] == sentence_of[end - 1]:
                span = doc[start:end]
                span.label_ = self.nlp.vocab.strings[match_id]
                candidates.append(span)
        doc.ents = self._longest_first(candidates)
        doc = self.context(doc)
        findings = [self._finding(text, ent) for ent in doc.ents]
        mention_sentences = {doc[start].sent.start for _, start, _ in self.mentions(doc)}
        timing = days_from_words(doc, mention_sentences, today)
        covered = {sentence_of[ent.start] for ent in doc.ents}
        if timing is not None:
            timing_span = doc.char_span(timing.start, timing.end, alignment_mode="expand")
            if timing_span is not None:
                covered.add(sentence_of[timing_span.start])
        unrecognised = [
            s.text.strip()
            for index, s in enumerate(doc.sents)
            if index not in covered and any(t.is_alpha for t in s)
        ]
        return Reading(findings=findings, timing=timing, unrecognised=unrecognised)

    def _matches(self, doc: Any) -> list[tuple[int, int, int]]:
        """Run each finding's matcher over the sentences holding one of its anchor words.

        A finding is never matched across sentences, so a sentence without any of
        a pattern's anchor words cannot hold a match: skipping it changes nothing
        but time (the matchers are most of the cost of reading; tested against
        ``skip_by_anchor=False``, which matches every finding on the whole text).
        """
        if not self.skip_by_anchor:
            return [m for _, matcher in self.finding_matchers for m in matcher(doc)]
        sentences = [
            (sentence, {t.lemma_ for t in sentence} | {t.norm_ for t in sentence})
            for sentence in doc.sents
        ]
        everything = TextWords.of(set().union(*(words for _, words in sentences)))
        indexed = [(sentence, TextWords.of(words)) for sentence, words in sentences]
        matches: list[tuple[int, int, int]] = []
        for anchors, matcher in self.finding_matchers:
            if not any(a is None or a.found_in(everything) for a in anchors):
                continue
            for sentence, words in indexed:
                if any(a is None or a.found_in(words) for a in anchors):
                    offset = sentence.start
                    matches.extend(
                        (match_id, start + offset, end + offset)
                        for match_id, start, end in matcher(sentence)
                    )
        return matches

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
            if not (scope[0] <= target[0] and target[1] <= scope[1]):
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
