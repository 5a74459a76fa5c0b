"""What the forms about the case's records ask: the person's details, a photo, a records-request
letter and what came back, a case file to import, the checks made about a provider.
"""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.schema import Angle, CaseFileData, CheckResult
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.provider_content import RedFlag, VettingCheck
from reconsult.web.case.fields.treatment import procedure_choices
from reconsult.web.case.forms import Field
from reconsult.web.journey.forms import DATE_HINT, date_hint

__all__ = [
    "ANGLE_GUIDE",
    "CHECK_RESULTS",
    "details_fields",
    "import_fields",
    "letter_fields",
    "photo_fields",
    "provider_check_fields",
    "received_fields",
]

# The same-angle guide: photos taken the same way compare fairly.
ANGLE_GUIDE: dict[str, tuple[str, str]] = {
    Angle.front.value: ("Front", "Face the camera, chin level, looking straight ahead"),
    Angle.left.value: ("Left side", "Turn so your left side faces the camera"),
    Angle.right.value: ("Right side", "Turn so your right side faces the camera"),
    Angle.oblique_left.value: ("Half-turned to the left", "Turn halfway, left cheek nearer"),
    Angle.oblique_right.value: ("Half-turned to the right", "Turn halfway, right cheek nearer"),
    Angle.other.value: ("Another angle or a close-up", ""),
}

# What the person found for one check of the vetting checklist, in their words.
CHECK_RESULTS: dict[CheckResult, str] = {
    CheckResult.confirmed: "I checked and it was fine",
    CheckResult.concern: "I checked and I am worried",
    CheckResult.not_checked: "I have not checked yet",
}


def details_fields() -> list[Field]:
    """About the person: used on the records letter and the consultation packet."""
    places = tuple((j.code, j.name, "") for j in load_knowledge().records_access.jurisdictions)
    return [
        Field(
            "title",
            "Name of this case file",
            required="Enter a name for this case file",
            hint="Only you see this, for example 'Lips, 2026'",
        ),
        Field(
            "person_name", "Your full name", hint="As your provider knows it", autocomplete="name"
        ),
        Field("date_of_birth", "Your date of birth", "date", hint=date_hint(dt.date(1990, 3, 31))),
        Field(
            "jurisdiction",
            "Where you live",
            "select",
            choices=places,
            hint="This decides which law your records letter uses",
        ),
    ]


def photo_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """A photo's date, angle and what it is about (the file itself is read separately)."""
    angles = tuple((value, label, hint) for value, (label, hint) in ANGLE_GUIDE.items())
    fields = [
        Field(
            "taken_on",
            "When was it taken?",
            "date",
            required="Enter the date it was taken",
            hint=DATE_HINT,
        ),
        Field(
            "angle",
            "Which angle?",
            "radios",
            choices=angles,
            required="Select the angle",
            hint="Take each angle the same way every time, in the same light, "
            "so photos from different days compare fairly",
        ),
    ]
    if case.procedures:
        fields.append(
            Field(
                "procedure_id",
                "Which procedure is it about?",
                "select",
                choices=procedure_choices(kb, case),
            )
        )
    fields.append(Field("note", "Note", hint="Optional, for example 'in daylight, no make-up'"))
    return fields


def letter_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """The records letter: which procedures, your address, and where to send it."""
    return [
        Field(
            "procedure_ids",
            "Which procedures is this letter about?",
            "checkboxes",
            choices=procedure_choices(kb, case),
            required="Select at least one procedure",
            hint="One letter for each clinic: choose procedures done at the same place",
        ),
        Field(
            "address",
            "Your postal address",
            "textarea",
            max_length=500,
            required="Enter your postal address",
            autocomplete="street-address",
        ),
        Field(
            "practice_address",
            "The clinic's postal address",
            "textarea",
            max_length=500,
            required="Enter the clinic's postal address",
        ),
        Field("phone", "Your phone number", autocomplete="tel", inputmode="tel"),
        Field("email", "Your email address", autocomplete="email"),
        Field(
            "patient_number", "Your patient or chart number", hint="If you know it", width="short"
        ),
        Field(
            "preferred_format",
            "How would you like the copy?",
            "radios",
            choices=(
                ("electronic", "Electronic (files and original photos)", ""),
                ("paper", "Paper", ""),
            ),
            required="Select electronic or paper",
        ),
        Field(
            "send_to",
            "Where should they send it?",
            "radios",
            choices=(
                ("self", "To me", ""),
                ("new_provider", "To a new provider", "Fill in their name and address below"),
            ),
            required="Select where they should send it",
        ),
        Field(
            "new_provider_name", "New provider's name", hint="Only if you chose 'To a new provider'"
        ),
        Field(
            "new_provider_address",
            "New provider's address",
            "textarea",
            max_length=500,
            hint="Only if you chose 'To a new provider'",
        ),
    ]


def received_fields() -> list[Field]:
    """When the records arrived."""
    return [
        Field(
            "received_on",
            "When did your records arrive?",
            "date",
            required="Enter the date your records arrived",
            hint=DATE_HINT,
        )
    ]


def import_fields() -> list[Field]:
    """Whether an import may replace a case with the same id."""
    return [Field("replace", "Replace my case file if I already have this one", "checkbox")]


def provider_check_fields(checks: list[VettingCheck], flags: list[RedFlag]) -> list[Field]:
    """What the person checked about a provider: each check, then the red flags they noticed.

    Each check is a radio group named ``check-<id>`` (its "how" as the hint)
    with a short ``found-<id>`` box after it; the red flags are one group of
    checkboxes, each with what to do as its hint.
    """
    results = tuple((r.value, words, "") for r, words in CHECK_RESULTS.items())
    fields = [
        Field(
            "provider_name",
            "Provider's name",
            required="Enter the provider's name",
            hint="For example Dr Amira Khan, or the name of the clinic",
        ),
        Field(
            "checked_on",
            "When you checked",
            "date",
            required="Enter the date you checked",
            hint=DATE_HINT,
        ),
    ]
    for check in checks:
        fields += [
            Field(f"check-{check.id}", check.title, "radios", hint=check.how, choices=results),
            Field(
                f"found-{check.id}",
                f"What you found for \u201c{check.title}\u201d",
                hint="Optional. For example, what their website or the board's site said",
                max_length=500,
            ),
        ]
    if flags:
        fields.append(
            Field(
                "red_flags",
                "Did you notice any of these?",
                "checkboxes",
                hint="Tick any you noticed. It is fine if you noticed none.",
                choices=tuple((f.id, f.title, f.text) for f in flags),
            )
        )
    fields.append(
        Field("note", "Anything else you want to remember", "textarea", max_length=10_000)
    )
    return fields
