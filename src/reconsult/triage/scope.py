"""How far a context cue reaches: clause by clause, over lists, across to the next clause.

medspaCy's ConText decides which cue (negation, worry, history, someone else,
resolved) modifies which finding; these functions set its stage and mend what
lay writing needs beyond it:

- cues work clause by clause (``apply_context``), so a cue never reaches
  across "but", "and now" or ", and my";
- a negation carries over a list joined by "or" ("no trouble breathing or
  swallowing": ``listed_end``, ``coordinate_negation``);
- "it stopped" or "it went away" in the next clause resolves the clause
  before it, unless the person says it came back or only asks
  (``resolved_by_next_clause``);
- a clause told in the present ("this morning") keeps its findings present,
  whatever history cue dates the procedure (``present_after_all``), and so
  does a time that is the procedure's own date (``dated_by_the_procedure``);
- a story about the writer's family with nothing of the writer's own is the
  patient's (``patient_told_by_another``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from reconsult.knowledge.schema import ContextCategory, FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.timing import expressions_in

# Status when several cues apply, strongest first: a worry about someone
# else's problem is someone else's; a negated worry is still only a worry.
PRECEDENCE: tuple[tuple[str, FindingStatus], ...] = (
    (ContextCategory.FAMILY.value, FindingStatus.someone_else),
    (ContextCategory.HYPOTHETICAL.value, FindingStatus.hypothetical),
    (ContextCategory.NEGATED_EXISTENCE.value, FindingStatus.negated),
    (ContextCategory.RESOLVED.value, FindingStatus.resolved),
    (ContextCategory.HISTORICAL.value, FindingStatus.past),
)
# Cues that make a clause not about the person now; pseudo cues and terminators are not.
STATUS_CATEGORIES = {category for category, _ in PRECEDENCE}


def apply_context(
    doc: Any, cues: list[tuple[int, int, int]], rules: list[Any], clause_of: list[int]
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
        modifier = ConTextModifier(rules[rule], start, end, doc)
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
        # A cue whose words run into the finding reaches it: in "I'm worried my eye could
        # start bulging", the cue "worried my eye could" and the finding "eye could start
        # bulging" share words, and ConText leaves a target that overlaps its cue alone; so
        # does a cue that ends with the finding ("my husband nearly fainted"). A cue that
        # holds a finding in its middle does not: "worried my lip is white, will it go
        # back?" tells the white lip.
        for modifier in by_clause.get(clause, []):
            start, end = modifier.modifier_span
            if modifier.direction not in ("FORWARD", "BIDIRECTIONAL"):
                continue
            for target in spans:
                if start < target.start < end <= target.end and modifier not in target._.modifiers:
                    target._.modifiers += (modifier,)
    return modifiers


def clauses_with_cues(modifiers: list[Any], clause_of: list[int]) -> set[int]:
    """Return the clauses holding a status cue (negation, worry, history, other, resolved)."""
    return {clause_of[m.modifier_span[0]] for m in modifiers if m.category in STATUS_CATEGORIES}


_COORDINATORS = {"or", "nor", "and", ",", "neither", "either", "any", "a", "an", "the"}
_LIST_JOINS = {"or", "nor"}


def listed_end(doc: Any, scope: tuple[int, int]) -> int:
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


def finding_span(doc: Any, finding: DetectedFinding) -> Any:
    """Return the tokens a finding from the words covers (None for a ticked sign)."""
    if finding.start is None or finding.end is None:
        return None
    return doc.char_span(finding.start, finding.end, alignment_mode="expand")


Change = Callable[[DetectedFinding, Any], "tuple[FindingStatus, list[str]] | None"]


def restatus(doc: Any, findings: list[DetectedFinding], change: Change) -> list[DetectedFinding]:
    """Return the findings, each with the status and cues ``change`` gives it, if any."""
    result = []
    for f in findings:
        span = finding_span(doc, f)
        new = change(f, span) if span is not None else None
        result.append(f if new is None else f.model_copy(update={"status": new[0], "cues": new[1]}))
    return result


def resolved_by_next_clause(
    doc: Any,
    clauses: list[Any],
    findings: list[DetectedFinding],
    clause_of: list[int],
    modifiers: list[Any],
    sentence_of: list[int],
) -> list[DetectedFinding]:
    """Mark findings resolved when a following clause says "it stopped" or "it went away".

    "My vision went blurry. It stopped after five minutes." The resolving clause
    must have no finding of its own, start with a pronoun ("it", "that", "they")
    and hold a resolved cue; nothing later in its sentence may say it came back.
    It resolves the clauses before it in its sentence ("My throat felt tight and
    my tongue swelled, but it went back to normal"), or the sentence before it
    when it opens a sentence, or says "it all" and nothing before it in its
    sentence is a finding.
    """
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
                t.norm_ in _PRONOUN_SUBJECTS
                for t in doc[max(m.modifier_span[0] - 3, 0) : m.modifier_span[0]]
                if clause_of[t.i] == clause_of[m.modifier_span[0]]
            )
            or _opens_clause(doc, m.modifier_span[0], clause_of)
        )
    }
    resolved: set[int] = set()
    for index in sorted(resolving - with_findings):
        if index == 0:
            continue
        words = [t for t in clauses[index] if t.is_alpha and t.norm_ not in _LEADING_JOINS]
        if not words or (words[0].norm_ not in _PRONOUN_SUBJECTS and index not in pronoun_cue):
            continue
        if _asks(clauses[index]):
            continue  # "whether it fixed the collapse", "does that go away" asks, it does not tell
        later = " ".join(t.norm_ for c in clauses[index + 1 : index + 3] for t in c)
        if any(words in later for words in _CAME_BACK):
            continue
        own = sentence_of[clauses[index].start]
        before = sentence_of[clauses[index - 1].start]
        target = own if before == own else before
        # "The nurse gave me an antihistamine and it all cleared up": "it all" speaks of
        # the sentence before when nothing before it in its own sentence is a finding.
        if (
            target == own
            and any(t.norm_ in _ALL for t in words)
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


def _opens_clause(doc: Any, start: int, clause_of: list[int]) -> bool:
    """Whether the words from ``start`` open their clause (joins and punctuation aside)."""
    i = start - 1
    while i >= 0 and clause_of[i] == clause_of[start]:
        if doc[i].is_alpha and doc[i].norm_ not in _LEADING_JOINS:
            return False
        i -= 1
    return True


def _asks(clause: Any) -> bool:
    """Return whether a clause asks: "?", "whether", or a verb before its subject ("does it")."""
    tokens = list(clause)
    if any(t.norm_ in _ASKING or t.text == "?" for t in tokens):
        return True
    return any(
        a.norm_ in _QUESTION_VERBS and b.norm_ in _PRONOUN_SUBJECTS
        for a, b in zip(tokens, tokens[1:], strict=False)
    )


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
_PRONOUN_SUBJECTS = {"it", "that", "this", "they", "which", "both", "all", "everything"}
_ALL = {"all", "everything", "both"}
_NOW_REACH = 3  # how many words from a sign a bare "is" may be and still date it
_BARE_PRESENT = {"is", "are", "am", "'s", "'m", "'re"}
# Not "but": "no problems then, but now my lip is white" is now.
_NEGATIONS = {"no", "not", "n't", "nt", "never", "nothing", "none", "nor", "without", "zero"}
_LEADING_JOINS = {"but", "and", "then", "so", "though", "however", "although", "yet"}
_ASKING = {"whether", "if", "wondering", "hoping", "hope"}
_CAME_BACK = (
    "came back", "come back", "coming back", "comes back", "is back", "returned", "worse",
    "flaring", "flared", "flare",
)  # fmt: skip


def coordinate_negation(doc: Any, findings: list[DetectedFinding]) -> list[DetectedFinding]:
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


def present_after_all(
    doc: Any, findings: list[DetectedFinding], clause_of: list[int], now: list[int]
) -> list[DetectedFinding]:
    """Keep a finding present when its clause is also told in the present.

    "Had filler 2 years ago my lip went white this morning": the history cue
    dates the filler, "this morning" dates the white lip. A bare "is" or "am"
    must be near the finding: in "I'm on edge because I had chest pain after my
    C-section in 2019" or "what worries me is that back in 2022 my lip went
    white", they tell of the writer now, not of the sign; "now", "lately" or
    "this morning" date the whole clause, unless denied ("nothing like that now").
    """

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        past = f.status is FindingStatus.past and f.kind is not FindingKind.context
        dated = any(
            clause_of[i] == clause_of[span.start]
            and not _denied_now(doc, i)
            and (
                doc[i].norm_ not in _BARE_PRESENT
                or span.start - _NOW_REACH <= i < span.end + _NOW_REACH
            )
            for i in now
        )
        return (FindingStatus.present, []) if past and dated else None

    return restatus(doc, findings, change)


def _denied_now(doc: Any, i: int) -> bool:
    """Whether a present-time word is denied: "nothing like that now", "not now"."""
    return any(t.norm_ in _NEGATIONS for t in doc[max(i - _NOW_REACH, 0) : i])


def opening_cues(
    doc: Any,
    findings: list[DetectedFinding],
    modifiers: list[Any],
    governing: dict[int, bool],
    unit_of: list[int],
    clause_of: list[int],
    first_person: set[int],
    questions: set[int],
) -> tuple[list[DetectedFinding], set[int]]:
    """Let a cue that opens a sentence govern the rest of it, up to a contrast.

    "After my first op I couldn't breathe ..., had throbbing pressure and a
    bulge that they drained" is all history; "My sister had a fever and her
    breast went red" is all hers; "What if it spreads and I can't breathe?" is
    all a worry. Only cues the knowledge base marks ``governs_sentence`` do this
    (``governing`` maps their rules' ids to whether they tell a story, which
    governs from where it is said), when they open a clause: they then
    govern that clause and the ones after it, to the end of the unit. Someone
    else's story stops at a clause about "I" or "my"; a worry stops at one too,
    unless the sentence is a question. A clause told in the present keeps its
    findings present (``present_after_all`` runs after).

    Also returns the clauses so governed: "Saw a video where ... and it was
    cancer" is that cue's story, explained though it holds no finding.
    """
    opening = _openings(doc, modifiers, governing, unit_of, clause_of, questions)
    if not opening:
        return findings, set()
    governed = {
        clause_of[i]
        for i in range(len(doc))
        if _governing(opening, i, unit_of[i], clause_of[i], first_person, questions) is not None
    }

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        unit, clause = unit_of[span.start], clause_of[span.start]
        governs = _governing(opening, span.start, unit, clause, first_person, questions)
        return None if governs is None else (_STATUS[governs[0]], [governs[1]])

    return restatus(doc, findings, change), governed


def _governing(
    opening: dict[int, tuple[int, int, str, str]],
    token: int,
    unit: int,
    clause: int,
    first_person: set[int],
    questions: set[int],
) -> tuple[str, str] | None:
    """Return the category and words of the opening cue that governs a token's clause, if any."""
    governs = opening.get(unit)
    if governs is None or clause < governs[0] or token < governs[1]:
        return None
    first_clause, _, category, text = governs
    mine = clause in first_person
    if category == ContextCategory.FAMILY.value and (
        mine or any(first_clause < c < clause for c in first_person)
    ):
        return None  # someone else's story ends where the writer speaks of themself
    if category == ContextCategory.HYPOTHETICAL.value and mine and unit not in questions:
        return None
    return category, text


def _openings(
    doc: Any,
    modifiers: list[Any],
    governing: dict[int, bool],
    unit_of: list[int],
    clause_of: list[int],
    questions: set[int],
) -> dict[int, tuple[int, int, str, str]]:
    """Return, per unit, the first clause and token an opening cue governs, its category
    and its words."""
    opening: dict[int, tuple[int, int, str, str]] = {}
    clause_start: dict[int, int] = {}
    for i, clause in enumerate(clause_of):
        clause_start.setdefault(clause, i)
    for m in modifiers:
        start = m.modifier_span[0]
        clause = clause_of[start]
        if id(m.rule) not in governing:
            continue
        # A time in the past ("years ago", "in 2015") governs from where it is said,
        # and so do a story read or seen ("... and read about a woman whose voice
        # went croaky, and she choked") and a worry in a question ("..., what if it
        # spreads and I can't breathe?"); someone else and other worries only when
        # they open a clause.
        history = m.category == ContextCategory.HISTORICAL.value or governing[id(m.rule)]
        asked = m.category == ContextCategory.HYPOTHETICAL.value and unit_of[start] in questions
        opens = start - clause_start[clause] <= _OPENING_REACH
        if not (history or asked or opens):
            continue
        # A story told mid-clause governs from its own words on: in "my eye has started
        # bulging like the leaflet says", the bulging comes before. A question's worry
        # covers its clause ("..., what if that happens?" points back).
        told_from = start if governing[id(m.rule)] and not opens else 0
        said = doc[m.modifier_span[0] : m.modifier_span[1]].text
        opening.setdefault(unit_of[start], (clause, told_from, m.category, said))
    return opening


def someone_else_by_pronoun(
    doc: Any,
    findings: list[DetectedFinding],
    clause_of: list[int],
    patient_is_narrator: bool,
) -> list[DetectedFinding]:
    """Mark findings told about another person as someone else's.

    Only when the writer is the patient, and only from the words near a finding
    (a few before it, to its end, in its clause): "her", "his" or "him", or
    "she"/"he" with a word of how they are ("she's seeing double"), and no "I"
    or "my". "She" doing what an injector does ("while she was injecting")
    never counts. When the writer speaks for the patient, nothing is changed:
    doubt keeps a finding, since "her" is then the patient.
    """
    if not patient_is_narrator:
        return findings

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is not FindingStatus.present or f.kind is FindingKind.context:
            return None
        clause = clause_of[span.start]
        window = [
            t for t in doc[max(span.start - _WINDOW, 0) : span.end] if clause_of[t.i] == clause
        ]
        if any(t.norm_ in FIRST_PERSON for t in window):
            return None
        if any(_about_another(doc, t) for t in window):
            return FindingStatus.someone_else, ["(her, his)"]
        return None

    return restatus(doc, findings, change)


def patient_told_by_another(
    doc: Any, findings: list[DetectedFinding], writer_had_one: bool
) -> list[DetectedFinding]:
    """Keep someone else's signs present when that someone is the patient.

    "My sister had lip filler yesterday and her lip is white": when every sign
    is someone else's and nothing shows the writer had the procedure, the
    writer speaks for the patient.
    Only the writer's family or partner ("my daughter") is taken for the patient;
    a friend or someone online tells a story. "Mine is fine", or
    "I had filler" (``writer_had_one``), keeps the other person's signs theirs.
    """
    told = [f for f in findings if f.kind is not FindingKind.context and f.start is not None]
    if writer_had_one or not told or any(t.norm_ in _WRITERS_OWN for t in doc):
        return findings
    if any(f.status is not FindingStatus.someone_else for f in told):
        return findings
    if not all(_speaks_for(f.cues) for f in told):
        return findings  # "someone on reddit", "my friend" is a story, not the patient
    return [
        f.model_copy(update={"status": FindingStatus.present, "cues": []})
        if f.status is FindingStatus.someone_else
        else f
        for f in findings
    ]


def dated_by_the_procedure(
    doc: Any,
    findings: list[DetectedFinding],
    modifiers: list[Any],
    around: list[Any],
    procedure_days: int,
    today: dt.date,
) -> list[DetectedFinding]:
    """Keep signs present when the time that seemed to make them past is the procedure's date.

    "Saline implants done back in 2019 and over the weekend the left side went flat",
    with the implants put in in 2019: "back in 2019" dates the implants, not the
    flat side. A time far from the procedure's date ("two years ago my lip went
    white", filler three days ago) still makes its signs past.
    """
    same = max(_SAME_DAYS, procedure_days // 4)
    times = [  # (start, end) tokens of each time close to the procedure's date
        (span.start, span.end)
        for part in around
        for expression in expressions_in(doc, part, today)
        if abs(expression.days - procedure_days) <= same
        and (span := doc.char_span(expression.start, expression.end, alignment_mode="expand"))
    ]
    dating: set[str] = set()
    for m in modifiers:
        if m.category != ContextCategory.HISTORICAL.value:
            continue
        start, end = m.modifier_span
        if any(start - _NEAR < t_end and t_start < end + _NEAR for t_start, t_end in times):
            dating.add(doc[start:end].text)

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status is FindingStatus.past and f.cues and f.cues[0] in dating:
            return FindingStatus.present, []
        return None

    return restatus(doc, findings, change)


_NEAR = 2  # a history cue this close to a time expression is that time
_SAME_DAYS = 30  # or a quarter of the time since the procedure, whichever is more


def _speaks_for(cues: list[str]) -> bool:
    """Return whether a someone-else cue names the writer's family or partner ("my wife")."""
    words = cues[0].lower().split() if cues else []
    return len(words) >= 2 and words[0] == "my" and words[1] in _FAMILY


def _about_another(doc: Any, token: Any) -> bool:
    """Return whether a word points at another person: "her lip", "she's seeing double"."""
    if token.norm_ in THIRD_PERSON:
        return True
    if token.norm_ not in THIRD_SUBJECTS:
        return False
    following = [t.norm_ for t in doc[token.i + 1 : token.i + 3]]
    if any(word in _INJECTOR_DOING for word in following):
        return False
    return bool(following) and following[0] in _THIRD_STATES


_WINDOW = 5
_OPENING_REACH = 4
_STATUS = dict(PRECEDENCE)
# Words that put a finding about the writer, or about another person: "her",
# "his", "him", and "she"/"he" with a word of how they are. "She" doing what an
# injector does ("while she was injecting, my lip went white") is the injector,
# and "they" is often the clinic.
FIRST_PERSON = {"i", "my", "mine", "myself"}
# "Mine is fine", "mine's 3 days post op": the writer compares their own body.
_WRITERS_OWN = {"mine", "mines", "myself"}
# Whom a writer fills in the form for: family and partners, not friends or colleagues.
_FAMILY = {
    "wife",
    "husband",
    "partner",
    "girlfriend",
    "boyfriend",
    "fiance",
    "fiancee",
    "daughter",
    "son",
    "mum",
    "mom",
    "mother",
    "mam",
    "dad",
    "father",
    "sister",
    "brother",
}
THIRD_PERSON = {"her", "his", "him", "hers", "herself", "himself"}
THIRD_SUBJECTS = {"she", "he"}
_THIRD_STATES = {
    "is",
    "was",
    "has",
    "had",
    "keeps",
    "kept",
    "got",
    "gets",
    "feels",
    "felt",
    "looks",
    "seems",
    "can",
    "could",
    "ca",
    "cannot",
    "go",
    "goes",
    "went",
    "started",
    "fainted",
}
_INJECTOR_DOING = {
    "injecting",
    "injected",
    "doing",
    "did",
    "putting",
    "put",
    "using",
    "used",
    "massaging",
    "pressing",
    "treating",
    "working",
    "said",
    "says",
    "told",
    "tells",
    "busy",
    "with",
}


def also_the_writers(
    doc: Any, findings: list[DetectedFinding], modifiers: list[Any]
) -> list[DetectedFinding]:
    """Make a story's signs present when the writer says they have them too.

    "I read about a woman whose voice went croaky and she choked on her tea.
    Since this morning I've got the same thing." A "same here" cue makes every
    sign told before it, as someone else's or as a worry, the writer's own.
    """
    said = [m.modifier_span[0] for m in modifiers if m.category == ContextCategory.ALSO_SELF.value]
    if not said:
        return findings
    last = max(said)
    told = {FindingStatus.someone_else, FindingStatus.hypothetical}

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        if f.status in told and span.end <= last:
            return FindingStatus.present, []
        return None

    return restatus(doc, findings, change)
