"""Signs asked about in a condition: "what should I do if it starts bulging?".

A question that asks what would happen, or what to do, if something happened
is about a possibility, not about what the writer has: "If my belly button
turned black or the skin went dusky, would that be bad?", "What should I do if
I get pain behind my eye or it starts bulging?". The whole if-clause is a
worry, however long its list, up to the verb that asks ("would that be bad",
"does that mean") or a clause that tells ("if I press it, it stays white").

Doubt keeps a finding (docs/architecture.md safety rule 4), so three things must hold:
- the sentence is a question (it ends in "?");
- it asks with a word of possibility ("would", "should", "could", "will",
  "might"), before or after the "if", with "what" or "how" before it ("what
  do I do if", "how do I know if"), or with a question about it after it ("if
  I get a rash, is that it?");
- the if-clause tells no present state ("if my lip is white", "if it's still
  there", "if it keeps bleeding" say that it is so, and stay present), and no
  test the writer does ("if I press it and it stays white").

"Is it normal if my vision is blurry?" therefore keeps the blurry vision.

A question that opens with a word of possibility and its subject ("Could it
make it so I can't swallow?", "Will this give me a droopy eye?", "Like would
my calf be swollen?") asks about a possibility in the same way, under the same
rule of no present state.
"""

from __future__ import annotations

from typing import Any

from reconsult.knowledge.schema import FindingKind
from reconsult.triage.models import DetectedFinding, FindingStatus
from reconsult.triage.scope import restatus

_IF = {"if"}
_NOT_A_CONDITION = {"as", "even"}  # "as if", "even if" ("even if I press, it stays white")
_ASKING_VERBS = {"would", "should", "could", "will", "might", "wud", "shud"}
_WH = {"what", "how", "whats", "wat"}
_SUBJECTS = {"it", "this", "that", "they", "these", "i", "botox", "filler", "surgery", "my"}
_FILLERS = {"like", "and", "so", "or", "also", "then", "ok", "okay"}
_INVERTED = {"does", "do", "did", "is", "are", "was", "means", "mean"}  # "... does that mean"
_TRYING = {
    "press", "touch", "push", "poke", "pinch", "squeeze", "smile", "frown", "bend", "blink",
    "look", "lie", "stand", "walk", "move", "turn", "swallow", "breathe", "open", "close",
}  # fmt: skip
_WHILE = {"while", "whilst", "when"}
_PRESENT_STATE = {
    "is", "are", "am", "'s", "'m", "'re", "has", "have", "'ve", "keeps", "keep",
    "still", "now", "currently", "already", "rn", "atm", "been", "since", "started", "began",
}  # fmt: skip


def asked_conditions(  # noqa: C901 (one condition per kind of danger question, read top to bottom)
    doc: Any, findings: list[DetectedFinding], unit_of: list[int], questions: set[int]
) -> list[DetectedFinding]:
    """Mark findings inside an asked if-clause as a worry (see the module)."""
    ranges: list[tuple[int, int]] = []
    for token in doc:
        unit = unit_of[token.i]
        if unit not in questions:
            continue
        opening = token.i == 0 or unit_of[token.i - 1] != unit
        # "Like would my calf be swollen?": a filler word before the question still opens it.
        if token.i > 0 and unit_of[token.i - 1] == unit and doc[token.i - 1].norm_ in _FILLERS:
            opening = token.i == 1 or unit_of[token.i - 2] != unit
        if opening and token.norm_ in _ASKING_VERBS | {"can", "may"}:
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and nxt.norm_ in _SUBJECTS:
                end = token.i
                while end < len(doc) and unit_of[end] == unit:
                    end += 1
                if not any(t.norm_ in _PRESENT_STATE for t in doc[token.i : end]):
                    ranges.append((token.i, end))
            continue
        if token.norm_ not in _IF:
            continue
        if token.i > 0 and doc[token.i - 1].norm_ in _NOT_A_CONDITION:
            continue
        first = token.i
        while first > 0 and unit_of[first - 1] == unit:
            first -= 1
        last = token.i
        while last + 1 < len(doc) and unit_of[last + 1] == unit:
            last += 1
        asking = [t.i for t in doc[first : last + 1] if t.norm_ in _ASKING_VERBS]
        wh = any(
            t.norm_ in _WH for t in doc[first : token.i]
        )  # "what do I do if", "how do I know if"
        back = next((i for i in range(token.i + 1, last + 1) if _asks_back(doc, i)), None)
        if not asking and not wh and back is None:  # "if I get a rash, is that it?" asks too
            continue
        end = next(
            (
                i
                for i in range(token.i + 1, last + 1)
                if i in asking or i == back or _then_told(doc, i)
            ),
            last + 1,
        )
        if _tells_present(doc, token.i, end) or _tries(doc, token.i):
            continue
        ranges.append((token.i, end))
    if not ranges:
        return findings

    def change(f: DetectedFinding, span: Any) -> tuple[FindingStatus, list[str]] | None:
        # Whoever it is about ("my wife keeps asking what happens if she faints"), an asked
        # condition is a possibility.
        asked = (FindingStatus.present, FindingStatus.someone_else)
        if f.status not in asked or f.kind is FindingKind.context:
            return None
        for start, end in ranges:
            if start < span.start and span.end <= end:
                return FindingStatus.hypothetical, [doc[start : min(start + 4, end)].text]
        return None

    return restatus(doc, findings, change)


def _tells_present(doc: Any, start: int, end: int) -> bool:
    """Whether the if-clause from ``start`` to ``end`` tells a present state.

    A time clause inside it does not: in "if I get a high fever and feel dizzy
    while the packing is in", the "is" belongs to the packing, not to the fever.
    """
    for token in doc[start:end]:
        if token.norm_ in _WHILE:
            return False
        if token.norm_ in _PRESENT_STATE:
            return True
    return False


def _tries(doc: Any, i: int) -> bool:
    """Whether the if-clause at token i tells a test the writer does: "if I press it".

    "If I press it and it stays white, does that mean ...?" says what happens
    when they press it, now: the white stays present.
    """
    words = [t.norm_ for t in doc[i + 1 : i + 3]]
    return len(words) == 2 and words[0] == "i" and words[1] in _TRYING


def _then_told(doc: Any, i: int) -> bool:
    """Whether a told clause starts at token i: "if I press it, it stays white" tells.

    A comma followed by a subject ends the condition; a comma inside a list ("if I
    get a fever, a rash and ...") does not.
    """
    return (
        doc[i].text == ","
        and i + 1 < len(doc)
        and doc[i + 1].norm_ in {"it", "i", "my", "this", "they", "she", "he", "there"}
    )


def _asks_back(doc: Any, i: int) -> bool:
    """Whether the question proper starts at token i, after its if-clause.

    "If I get a fever and yellow gunk, does that mean it's infected": the verb
    before "that" asks; "it's infected" belongs to the question, not the condition.
    """
    return (
        doc[i].norm_ in _INVERTED
        and i + 1 < len(doc)
        and doc[i + 1].norm_ in {"that", "this", "it"}
    )
