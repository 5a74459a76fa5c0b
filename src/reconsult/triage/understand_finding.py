"""Assemble one finding: its status from the context cues that reach it, and their words.

A cue counts only when it lies outside its target and its scope covers the
target wholly ("doubt keeps a finding": safety rule 4 of docs/architecture.md),
or when its words run into the finding; of several, the strongest status wins
(``PRECEDENCE``).
"""

from __future__ import annotations

from typing import Any

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ContextCategory
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.phrases import folded
from reconsult.triage.scope import PRECEDENCE, listed_end


def detected_finding(
    kb: Knowledge, text: str, ent: Any, words: tuple[frozenset[str], frozenset[str]]
) -> DetectedFinding:
    """Build a DetectedFinding from a matched span and the context cues that modify it.

    ``words``: the writer's words of themself (Persons.first) and the lexicon's denials.
    """
    first_person, denials = words
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
        if running_in and _own_denial(ent.doc, target[0], cue_end, denials):
            continue  # "ya no quiero seguir viviendo": the "no" is the finding's own word
        if modifier.category == ContextCategory.NEGATED_EXISTENCE.value and _unable(
            ent.doc, modifier.modifier_span
        ):
            continue  # "can't even keep sips of water down" is a sign, not a denial
        if modifier.category == ContextCategory.FAMILY.value and _writer_between(
            ent.doc, modifier.modifier_span[1], target[1], first_person
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
    finding = kb.findings[ent.label_]
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


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Return whether two [start, end) token ranges share a token."""
    return a[0] < b[1] and b[0] < a[1]


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


def _own_denial(doc: Any, start: int, cue_end: int, denials: frozenset[str]) -> bool:
    """Return whether a cue runs into a finding only by a denial the finding's words start with.

    "Ya no quiero seguir viviendo" (no longer want to go on living) is the
    wish itself: "ya no" runs into the finding by its "no", which the finding's
    own words hold, so it neither denies nor ends it.
    """
    return all(folded(t) in denials for t in doc[start:cue_end])


def _writer_between(doc: Any, start: int, end: int, first_person: frozenset[str]) -> bool:
    """Return whether the writer speaks as "I" or "my" between two token positions."""
    return any(t.norm_ in first_person for t in doc[start:end])


def _negated_next(token: Any) -> bool:
    """Return whether the next word denies ("won't", "could not")."""
    return bool(token.i + 1 < len(token.doc) and token.doc[token.i + 1].norm_ == "not")
