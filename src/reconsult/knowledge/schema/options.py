"""Options and when they are offered: each option's gates, and the fact rules.

A fact rule adds options from what the person told on the intake form rather
than from their words. Its ``when`` names a fact of the case and one comparison
(:class:`FactTest`), so a new kind of fact rule needs only data; a new case fact
needs an entry in :class:`CaseFact` (and the field on ``triage.Case``).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from reconsult.knowledge.schema.codes import (
    Code,
    OptionCode,
    ProcedureKind,
    RuleId,
    Shown,
    Strict,
    TimelineKey,
    Urgency,
)


class OptionSpec(Strict):
    """An option, what it means in plain words, and when it may be offered at all."""

    code: OptionCode
    label: Shown
    explanation: Shown
    time_cost: Shown  # what it costs in time
    allowed_kinds: list[ProcedureKind] | None = None  # None: any procedure
    allowed_procedures: list[Code] | None = None  # None: any procedure
    allowed_urgency: list[Urgency] | None = None  # None: any urgency
    not_before: TimelineKey | None = None  # not before this timeline point
    needs_known_days: bool = False
    sources: list[RuleId] = Field(min_length=1)


class CaseFact(StrEnum):
    """A fact of the case, besides its words, that a fact rule may test.

    Each is the name of a field of ``triage.Case``, which decide reads by that
    name (tests/test_decide.py keeps the two in step).
    """

    procedure = "procedure"  # the procedure code
    days_since_procedure = "days_since_procedure"  # a whole number, or unknown
    prior_revisions = "prior_revisions"  # revisions before this one, a whole number


# The facts that are numbers; the others are codes, compared only with ``equals``.
NUMBER_FACTS = frozenset({CaseFact.days_since_procedure, CaseFact.prior_revisions})

# The comparisons a fact test may make; each test makes exactly one.
COMPARISONS = ("equals", "at_least", "below")


class FactTest(Strict):
    """One fact of the case and one comparison, e.g. ``{fact: prior_revisions, at_least: 1}``.

    ``equals``: the fact has this value (a procedure code, or a number);
    ``at_least`` and ``below``: a number fact is at least, or below, this number
    (as day windows run: from inclusive, to exclusive). An unknown fact (no date
    given) passes no test.
    """

    fact: CaseFact
    equals: Code | int | None = None
    at_least: int | None = None
    below: int | None = None

    @model_validator(mode="after")
    def _one_comparison_that_fits_the_fact(self) -> FactTest:
        given = [name for name in COMPARISONS if getattr(self, name) is not None]
        if len(given) != 1:
            named = ", ".join(given) or "none"
            raise ValueError(f"give exactly one of {', '.join(COMPARISONS)} (given: {named})")
        number = self.fact in NUMBER_FACTS
        if not number and given != ["equals"]:
            raise ValueError(f"{self.fact.value} is a code: compare it with equals")
        if self.equals is not None and isinstance(self.equals, int) != number:
            kind = "a number" if number else "a code"
            raise ValueError(f"{self.fact.value} is {kind}: equals must be {kind} too")
        return self

    def holds(self, value: object) -> bool:
        """Return whether ``value``, the case's value of the fact, passes the comparison."""
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals
        if not isinstance(value, int):
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return self.below is not None and value < self.below


class FactRule(Strict):
    """Options added from intake facts rather than words (e.g. earlier revisions).

    The rule applies when the case's procedure is among ``procedures`` and its
    fact passes ``when``.
    """

    id: RuleId
    when: FactTest
    procedures: list[Code] = Field(default_factory=lambda: ["all"])
    options: list[OptionCode] = Field(min_length=1)
    reason: Shown
    sources: list[RuleId] = Field(min_length=1)
