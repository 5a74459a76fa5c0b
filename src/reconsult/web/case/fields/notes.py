"""What the forms about how it is going ask: a journal note, what became of a sign still open,
a goal, a concern, a provider seen.
"""

from __future__ import annotations

from reconsult.casefile.schema import CaseFileData
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ClosingChoice
from reconsult.web.case.fields.treatment import NAME_HINT, procedure_choices
from reconsult.web.case.forms import Field
from reconsult.web.journey.forms import example_date_hint

__all__ = [
    "STILL_OPEN",
    "closing_fields",
    "concern_fields",
    "consultation_fields",
    "goal_fields",
    "journal_fields",
]


def journal_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """What the person notices today, in their own words."""
    fields = []
    if case.procedures:
        fields.append(
            Field(
                "procedure_id",
                _("Which procedure is this about?"),
                "radios",
                choices=procedure_choices(kb, case),
                required=_("Select which procedure this is about"),
            )
        )
    fields.append(
        Field(
            "text",
            _("What do you notice today?"),
            "textarea",
            max_length=10_000,
            required=_("Write what you notice, in your own words"),
            hint=_(
                "For example: my top lip is still swollen and one side is lumpy. "
                "Say if anything is getting worse."
            ),
        )
    )
    return fields


# The value of the answer "Not yet, it is still there": nothing is closed.
STILL_OPEN = "open"


def closing_fields(kb: Knowledge, code: str) -> tuple[Field, Field, Field]:
    """Ask what became of one open finding: the answer, then who treated it and when.

    The question and its answers are the knowledge base's (policy ``open_findings``),
    "still there" first; who and when go with "seen" only, and are optional.
    """
    words = kb.policy.open_findings
    choices = (
        (STILL_OPEN, words.still_open, ""),
        *((choice.value, words.choices[choice], "") for choice in ClosingChoice),
    )
    return (
        Field(f"open-{code}", words.question, "radios", choices=choices),
        Field(
            f"treated_by-{code}",
            _("Who treated it?"),
            hint=_("If you want to, for example the clinic or Dr Amira Khan"),
        ),
        Field(
            f"treated_on-{code}",
            _("When?"),
            "date",
            hint=_("If you know. %(date_hint)s") % {"date_hint": example_date_hint()},
            procedure_date=True,
        ),
    )


def goal_fields() -> list[Field]:
    """What the person hopes for."""
    return [
        Field(
            "text",
            _("What do you hope for?"),
            "textarea",
            max_length=10_000,
            required=_("Write what you hope for"),
            hint=_("For example: I want my lips to look even again"),
        )
    ]


def concern_fields() -> list[Field]:
    """What worries the person."""
    return [
        Field(
            "text",
            _("What worries you?"),
            "textarea",
            max_length=10_000,
            required=_("Write what worries you"),
            hint=_("For example: the lump has not gone down in a month"),
        )
    ]


def consultation_fields() -> list[Field]:
    """A provider the person has seen about this, and what they said."""
    return [
        Field(
            "provider_name",
            _("Who did you see?"),
            required=_("Enter who you saw"),
            hint=_(NAME_HINT),
        ),
        Field(
            "specialty", _("What kind of doctor or nurse"), hint=_("For example plastic surgeon")
        ),
        Field("held_on", _("When"), "date", hint=example_date_hint()),
        Field("what_they_said", _("What they said"), "textarea", max_length=10_000),
    ]
