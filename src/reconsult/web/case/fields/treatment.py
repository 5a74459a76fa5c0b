"""What the forms about a treatment ask: the procedure, its injected products, where each
went, and implants. Examples (brands, products, makers) come from the knowledge base.
"""

from __future__ import annotations

from reconsult.casefile.schema import CaseFileData, ImplantFill, ImplantSurface, Side
from reconsult.knowledge import Knowledge
from reconsult.web.case.forms import Choice, Field
from reconsult.web.journey.forms import DATE_HINT
from reconsult.web.templating import long_date

__all__ = [
    "NAME_HINT",
    "implant_fields",
    "procedure_choices",
    "procedure_fields",
    "product_fields",
    "site_fields",
]

NAME_HINT = "As your provider knows it, for example Dr Amira Khan"


def procedure_choices(kb: Knowledge, case: CaseFileData) -> tuple[Choice, ...]:
    """Return the case's procedures as choices: '<name>, <date>' for each."""
    choices = []
    for p in case.procedures:
        name = kb.procedures[p.procedure.value].name
        when = long_date(p.performed_on) or "date unknown"
        choices.append((p.id, f"{name}, {when}", p.provider_name))
    return tuple(choices)


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


def _examples(kb: Knowledge, kind: str) -> list[str]:
    """Return the knowledge base's examples of one kind (brands, products, makers), in order."""
    found: list[str] = []
    for procedure in kb.procedures.values():
        if procedure.examples is not None:
            found.extend(n for n in getattr(procedure.examples, kind) if n not in found)
    return found


def _or(names: list[str]) -> str:
    """Return 'A or B', or 'A, B or C'."""
    return " or ".join(filter(None, (", ".join(names[:-1]), names[-1]))) if names else ""


def product_fields(kb: Knowledge) -> list[Field]:
    """An injected product, from the label or your records (examples: procedures.yaml)."""
    brands = _examples(kb, "brands")
    # One brand of each procedure for the error message: "Botox or Juvederm".
    firsts = [
        p.examples.brands[0] for p in kb.procedures.values() if p.examples and p.examples.brands
    ]
    return [
        Field(
            "brand",
            "Brand",
            required=f"Enter the brand, for example {_or(firsts)}",
            hint=f"For example {', '.join(brands)}",
        ),
        Field("product_name", "Product name", hint=f"For example {_or(_examples(kb, 'products'))}"),
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


def implant_fields(kb: Knowledge) -> list[Field]:
    """An implant, from the device card you were given (examples: procedures.yaml)."""
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
        Field(
            "manufacturer",
            "Manufacturer",
            hint=f"For example {', '.join(_examples(kb, 'makers'))}",
        ),
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
