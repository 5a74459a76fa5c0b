"""What each case-file form asks; choices that are data (procedures, places) come from data."""

from __future__ import annotations

import datetime as dt

from reconsult.casefile.schema import (
    Angle,
    CaseFileData,
    CheckResult,
    ImplantFill,
    ImplantSurface,
    Side,
)
from reconsult.documents.records_access import load_records_access
from reconsult.knowledge import Knowledge
from reconsult.knowledge.provider_content import RedFlag, VettingCheck
from reconsult.knowledge.schema import ClosingChoice
from reconsult.web.case_forms import Choice, Field
from reconsult.web.forms import DATE_HINT, date_hint
from reconsult.web.templating import long_date

__all__ = [
    "ANGLE_GUIDE",
    "CHECK_RESULTS",
    "STILL_OPEN",
    "closing_fields",
    "concern_fields",
    "consultation_fields",
    "details_fields",
    "goal_fields",
    "implant_fields",
    "import_fields",
    "journal_fields",
    "letter_fields",
    "photo_fields",
    "procedure_choices",
    "procedure_fields",
    "product_fields",
    "provider_check_fields",
    "received_fields",
    "site_fields",
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

NAME_HINT = "As your provider knows it, for example Dr Amira Khan"

# What the person found for one check of the vetting checklist, in their words.
CHECK_RESULTS: dict[CheckResult, str] = {
    CheckResult.confirmed: "I checked and it was fine",
    CheckResult.concern: "I checked and I am worried",
    CheckResult.not_checked: "I have not checked yet",
}


def procedure_choices(kb: Knowledge, case: CaseFileData) -> tuple[Choice, ...]:
    """Return the case's procedures as choices: '<name>, <date>' for each."""
    choices = []
    for p in case.procedures:
        name = kb.procedures[p.procedure.value].name
        when = long_date(p.performed_on) or "date unknown"
        choices.append((p.id, f"{name}, {when}", p.provider_name))
    return tuple(choices)


def details_fields() -> list[Field]:
    """About the person: used on the records letter and the consultation packet."""
    places = tuple((j.code, j.name, "") for j in load_records_access().jurisdictions)
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


def procedure_fields(kb: Knowledge) -> list[Field]:
    """One procedure: what, when, who, where."""
    choices = tuple((code, p.name, "") for code, p in kb.procedures.items())
    return [
        Field(
            "procedure",
            "What you had done",
            "select",
            choices=choices,
            required="Select what you had done",
        ),
        Field(
            "performed_on",
            "When you had it",
            "date",
            hint=f"{DATE_HINT}. Leave it empty if you do not know",
            procedure_date=True,
        ),
        Field("provider_name", "Who treated you", hint=NAME_HINT),
        Field("practice_name", "The clinic or practice", hint="For example, Riverside Aesthetics"),
        Field("records_obtained", "I have a copy of my records from this procedure", "checkbox"),
        Field("notes", "Anything else about this procedure", "textarea", max_length=10_000),
    ]


def product_fields() -> list[Field]:
    """An injected product, from the label or your records."""
    return [
        Field(
            "brand",
            "Brand",
            required="Enter the brand, for example Juvederm or Botox",
            hint="For example Juvederm, Restylane, Botox, Dysport",
        ),
        Field("product_name", "Product name", hint="For example Volbella or Kysse"),
        Field("material", "What it is made of", hint="For example hyaluronic acid"),
        Field("lot", "Lot or batch number", hint="On the sticker in your records", width="short"),
        Field(
            "site", "Where it went", hint="For example upper lip. Leave empty if you do not know"
        ),
        Field(
            "amount",
            "How much",
            "number",
            width="short",
            maximum=1000,
            inputmode="decimal",
            hint="For example 0.5",
        ),
        Field(
            "unit",
            "Unit",
            "radios",
            choices=(("mL", "mL (fillers)", ""), ("units", "units (Botox and similar)", "")),
        ),
    ]


def site_fields() -> list[Field]:
    """One more place a product went."""
    return [
        Field("site", "Where it went", required="Enter where it went, for example upper lip"),
        Field(
            "amount",
            "How much",
            "number",
            required="Enter how much, for example 0.5",
            width="short",
            maximum=1000,
            inputmode="decimal",
        ),
        Field(
            "unit",
            "Unit",
            "radios",
            required="Select mL or units",
            choices=(("mL", "mL (fillers)", ""), ("units", "units (Botox and similar)", "")),
        ),
    ]


def implant_fields() -> list[Field]:
    """An implant, from the device card you were given."""
    sides = (
        (Side.left.value, "Left", ""),
        (Side.right.value, "Right", ""),
        (Side.both.value, "Both (the same implant each side)", ""),
    )
    fills = tuple(
        (f.value, f.value.capitalize() if f is not ImplantFill.unknown else "I do not know", "")
        for f in ImplantFill
    )
    surfaces = tuple(
        (s.value, s.value.capitalize() if s is not ImplantSurface.unknown else "I do not know", "")
        for s in ImplantSurface
    )
    return [
        Field("side", "Which side", "radios", choices=sides, required="Select which side"),
        Field("manufacturer", "Manufacturer", hint="For example Allergan, Mentor, Motiva"),
        Field("style", "Style or model", hint="On your device card"),
        Field("size_cc", "Size in cc", "number", width="short", maximum=5000, inputmode="decimal"),
        Field("fill", "Filled with", "radios", choices=fills),
        Field(
            "surface",
            "Surface",
            "radios",
            choices=surfaces,
            hint="Textured or smooth: your device card or records say which",
        ),
        Field("shape", "Shape", hint="For example round or anatomical"),
        Field("serial", "Serial number", width="short"),
        Field("lot", "Lot number", width="short"),
        Field("udi", "UDI (the long code under the barcode)"),
    ]


def journal_fields(kb: Knowledge, case: CaseFileData) -> list[Field]:
    """What the person notices today, in their own words."""
    fields = []
    if case.procedures:
        fields.append(
            Field(
                "procedure_id",
                "Which procedure is this about?",
                "radios",
                choices=procedure_choices(kb, case),
                required="Select which procedure this is about",
            )
        )
    fields.append(
        Field(
            "text",
            "What do you notice today?",
            "textarea",
            max_length=10_000,
            required="Write what you notice, in your own words",
            hint="For example: my top lip is still swollen and one side is lumpy. "
            "Say if anything is getting worse.",
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
            "Who treated it?",
            hint="If you want to, for example the clinic or Dr Amira Khan",
        ),
        Field(
            f"treated_on-{code}",
            "When?",
            "date",
            hint=f"If you know. {DATE_HINT}",
            procedure_date=True,
        ),
    )


def goal_fields() -> list[Field]:
    """What the person hopes for."""
    return [
        Field(
            "text",
            "What do you hope for?",
            "textarea",
            max_length=10_000,
            required="Write what you hope for",
            hint="For example: I want my lips to look even again",
        )
    ]


def concern_fields() -> list[Field]:
    """What worries the person."""
    return [
        Field(
            "text",
            "What worries you?",
            "textarea",
            max_length=10_000,
            required="Write what worries you",
            hint="For example: the lump has not gone down in a month",
        )
    ]


def consultation_fields() -> list[Field]:
    """A provider the person has seen about this, and what they said."""
    return [
        Field("provider_name", "Who did you see?", required="Enter who you saw", hint=NAME_HINT),
        Field("specialty", "What kind of doctor or nurse", hint="For example plastic surgeon"),
        Field("held_on", "When", "date", hint=DATE_HINT),
        Field("what_they_said", "What they said", "textarea", max_length=10_000),
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
