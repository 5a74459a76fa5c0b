"""What the forms about the case's records ask: the person's details, a photo, a records-request
letter and what came back, a case file to import, the checks made about a provider.
"""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.schema import Angle, CaseFileData, CheckResult
from reconsult.i18n import N_
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.provider_content import RedFlag, VettingCheck
from reconsult.web.case.fields.treatment import procedure_choices
from reconsult.web.case.forms import Field
from reconsult.web.journey.forms import date_hint, example_date_hint

__all__ = [
    "ANGLE_GUIDE",
    "CHECK_RESULTS",
    "angle_hint",
    "angle_label",
    "details_fields",
    "import_fields",
    "letter_fields",
    "photo_fields",
    "provider_check_fields",
    "received_fields",
]

# The same-angle guide: photos taken the same way compare fairly. The words are in
# English here: say them with angle_label() and angle_hint(), in the page's language.
ANGLE_GUIDE: dict[str, tuple[str, str]] = {
    Angle.front.value: (N_("Front"), N_("Face the camera, chin level, looking straight ahead")),
    Angle.left.value: (N_("Left side"), N_("Turn so your left side faces the camera")),
    Angle.right.value: (N_("Right side"), N_("Turn so your right side faces the camera")),
    Angle.oblique_left.value: (
        N_("Half-turned to the left"),
        N_("Turn halfway, left cheek nearer"),
    ),
    Angle.oblique_right.value: (
        N_("Half-turned to the right"),
        N_("Turn halfway, right cheek nearer"),
    ),
    Angle.other.value: (N_("Another angle or a close-up"), ""),
}

# What the person found for one check of the vetting checklist, in their words
# (English here; translated where the form is made).
CHECK_RESULTS: dict[CheckResult, str] = {
    CheckResult.confirmed: N_("I checked and it was fine"),
    CheckResult.concern: N_("I checked and I am worried"),
    CheckResult.not_checked: N_("I have not checked yet"),
}


def angle_label(angle: str) -> str:
    """Return the name of an angle (an ``Angle`` value) in the current language."""
    return _(ANGLE_GUIDE[angle][0])


def angle_hint(angle: str) -> str:
    """Return how to take a photo from an angle, in the current language ("" if nothing)."""
    hint = ANGLE_GUIDE[angle][1]
    return _(hint) if hint else ""


def details_fields() -> list[Field]:
    """About the person: used on the records letter and the consultation packet."""
    places = tuple((j.code, j.name, "") for j in load_knowledge().records_access.jurisdictions)
    return [
        Field(
            "title",
            _("Name of this case file"),
            required=_("Enter a name for this case file"),
            hint=_("Only you see this, for example 'Lips, 2026'"),
        ),
        Field(
            "person_name",
            _("Your full name"),
            hint=_("As your provider knows it"),
            autocomplete="name",
        ),
        Field(
            "date_of_birth",
            _("Your date of birth"),
            "date",
            hint=date_hint(dt.date(1990, 3, 31)),
        ),
        Field(
            "jurisdiction",
            _("Where you live"),
            "select",
            choices=places,
            hint=_("This decides which law your records letter uses"),
        ),
    ]


def photo_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """A photo's date, angle and what it is about (the file itself is read separately)."""
    angles = tuple((value, angle_label(value), angle_hint(value)) for value in ANGLE_GUIDE)
    fields = [
        Field(
            "taken_on",
            _("When was it taken?"),
            "date",
            required=_("Enter the date it was taken"),
            hint=example_date_hint(),
        ),
        Field(
            "angle",
            _("Which angle?"),
            "radios",
            choices=angles,
            required=_("Select the angle"),
            hint=_(
                "Take each angle the same way every time, in the same light, "
                "so photos from different days compare fairly"
            ),
        ),
    ]
    if case.procedures:
        fields.append(
            Field(
                "procedure_id",
                _("Which procedure is it about?"),
                "select",
                choices=procedure_choices(kb, case),
            )
        )
    fields.append(
        Field("note", _("Note"), hint=_("Optional, for example 'in daylight, no make-up'"))
    )
    return fields


def letter_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """The records letter: which procedures, your address, and where to send it."""
    return [
        Field(
            "procedure_ids",
            _("Which procedures is this letter about?"),
            "checkboxes",
            choices=procedure_choices(kb, case),
            required=_("Select at least one procedure"),
            hint=_("One letter for each clinic: choose procedures done at the same place"),
        ),
        Field(
            "address",
            _("Your postal address"),
            "textarea",
            max_length=500,
            required=_("Enter your postal address"),
            autocomplete="street-address",
        ),
        Field(
            "practice_address",
            _("The clinic's postal address"),
            "textarea",
            max_length=500,
            required=_("Enter the clinic's postal address"),
        ),
        Field("phone", _("Your phone number"), autocomplete="tel", inputmode="tel"),
        Field("email", _("Your email address"), autocomplete="email"),
        Field(
            "patient_number",
            _("Your patient or chart number"),
            hint=_("If you know it"),
            width="short",
        ),
        Field(
            "preferred_format",
            _("How would you like the copy?"),
            "radios",
            choices=(
                ("electronic", _("Electronic (files and original photos)"), ""),
                ("paper", _("Paper"), ""),
            ),
            required=_("Select electronic or paper"),
        ),
        Field(
            "send_to",
            _("Where should they send it?"),
            "radios",
            choices=(
                ("self", _("To me"), ""),
                (
                    "new_provider",
                    _("To a new provider"),
                    _("Fill in their name and address below"),
                ),
            ),
            required=_("Select where they should send it"),
        ),
        Field(
            "new_provider_name",
            _("New provider's name"),
            hint=_("Only if you chose 'To a new provider'"),
        ),
        Field(
            "new_provider_address",
            _("New provider's address"),
            "textarea",
            max_length=500,
            hint=_("Only if you chose 'To a new provider'"),
        ),
    ]


def received_fields() -> list[Field]:
    """When the records arrived."""
    return [
        Field(
            "received_on",
            _("When did your records arrive?"),
            "date",
            required=_("Enter the date your records arrived"),
            hint=example_date_hint(),
        )
    ]


def import_fields() -> list[Field]:
    """Whether an import may replace a case with the same id."""
    return [Field("replace", _("Replace my case file if I already have this one"), "checkbox")]


def provider_check_fields(checks: list[VettingCheck], flags: list[RedFlag]) -> list[Field]:
    """What the person checked about a provider: each check, then the red flags they noticed.

    Each check is a radio group named ``check-<id>`` (its "how" as the hint)
    with a short ``found-<id>`` box after it; the red flags are one group of
    checkboxes, each with what to do as its hint.
    """
    results = tuple((r.value, _(words), "") for r, words in CHECK_RESULTS.items())
    fields = [
        Field(
            "provider_name",
            _("Provider's name"),
            required=_("Enter the provider's name"),
            hint=_("For example Dr Amira Khan, or the name of the clinic"),
        ),
        Field(
            "checked_on",
            _("When you checked"),
            "date",
            required=_("Enter the date you checked"),
            hint=example_date_hint(),
        ),
    ]
    for check in checks:
        fields += [
            Field(f"check-{check.id}", check.title, "radios", hint=check.how, choices=results),
            Field(
                f"found-{check.id}",
                _("What you found for \u201c%(check)s\u201d") % {"check": check.title},
                hint=_("Optional. For example, what their website or the board's site said"),
                max_length=500,
            ),
        ]
    if flags:
        fields.append(
            Field(
                "red_flags",
                _("Did you notice any of these?"),
                "checkboxes",
                hint=_("Tick any you noticed. It is fine if you noticed none."),
                choices=tuple((f.id, f.title, f.text) for f in flags),
            )
        )
    fields.append(
        Field("note", _("Anything else you want to remember"), "textarea", max_length=10_000)
    )
    return fields
