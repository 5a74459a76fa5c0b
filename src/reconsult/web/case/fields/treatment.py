"""What the forms about a treatment ask: the procedure, its injected products, where each
went, and implants. Examples (brands, products, makers) come from the knowledge base.
"""

from __future__ import annotations

from reconsult.casefile.schema import CaseFileData, ImplantFill, ImplantSurface, Side
from reconsult.i18n import N_, long_date
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge
from reconsult.web.case.forms import Choice, Field
from reconsult.web.journey.forms import example_date_hint

__all__ = [
    "NAME_HINT",
    "implant_fields",
    "procedure_choices",
    "procedure_fields",
    "product_fields",
    "site_fields",
]

# Translated where it is shown: say _(NAME_HINT).
NAME_HINT = N_("As your provider knows it, for example Dr Amira Khan")


def procedure_choices(kb: Knowledge, case: CaseFileData) -> tuple[Choice, ...]:
    """Return the case's procedures as choices: '<name>, <date>' for each."""
    choices = []
    for p in case.procedures:
        name = kb.procedures[p.procedure.value].name
        when = long_date(p.performed_on) or _("date unknown")
        choices.append(
            (
                p.id,
                _("%(procedure)s, %(date)s") % {"procedure": name, "date": when},
                p.provider_name,
            )
        )
    return tuple(choices)


def procedure_fields(kb: Knowledge) -> list[Field]:
    """One procedure: what, when, who, where."""
    choices = tuple((code, p.name, "") for code, p in kb.procedures.items())
    return [
        Field(
            "procedure",
            _("What you had done"),
            "select",
            choices=choices,
            required=_("Select what you had done"),
        ),
        Field(
            "performed_on",
            _("When you had it"),
            "date",
            hint=_("%(date_hint)s. Leave it empty if you do not know")
            % {"date_hint": example_date_hint()},
            procedure_date=True,
        ),
        Field("provider_name", _("Who treated you"), hint=_(NAME_HINT)),
        Field(
            "practice_name",
            _("The clinic or practice"),
            hint=_("For example, Riverside Aesthetics"),
        ),
        Field("records_obtained", _("I have a copy of my records from this procedure"), "checkbox"),
        Field("notes", _("Anything else about this procedure"), "textarea", max_length=10_000),
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
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s or %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


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
            _("Brand"),
            required=_("Enter the brand, for example %(brands)s") % {"brands": _or(firsts)},
            hint=_("For example %(examples)s") % {"examples": ", ".join(brands)},
        ),
        Field(
            "product_name",
            _("Product name"),
            hint=_("For example %(examples)s") % {"examples": _or(_examples(kb, "products"))},
        ),
        Field("material", _("What it is made of"), hint=_("For example hyaluronic acid")),
        Field(
            "lot",
            _("Lot or batch number"),
            hint=_("On the sticker in your records"),
            width="short",
        ),
        Field(
            "site",
            _("Where it went"),
            hint=_("For example upper lip. Leave empty if you do not know"),
        ),
        Field(
            "amount",
            _("How much"),
            "number",
            width="short",
            maximum=1000,
            inputmode="decimal",
            hint=_("For example 0.5"),
        ),
        Field("unit", _("Unit"), "radios", choices=_unit_choices()),
    ]


def _unit_choices() -> tuple[Choice, ...]:
    """The units an amount is in (the values are kept as they are: "mL", "units")."""
    return (("mL", _("mL (fillers)"), ""), ("units", _("units (Botox and similar)"), ""))


def site_fields() -> list[Field]:
    """One more place a product went."""
    return [
        Field(
            "site",
            _("Where it went"),
            required=_("Enter where it went, for example upper lip"),
        ),
        Field(
            "amount",
            _("How much"),
            "number",
            required=_("Enter how much, for example 0.5"),
            width="short",
            maximum=1000,
            inputmode="decimal",
        ),
        Field(
            "unit",
            _("Unit"),
            "radios",
            required=_("Select mL or units"),
            choices=_unit_choices(),
        ),
    ]


def implant_fields(kb: Knowledge) -> list[Field]:
    """An implant, from the device card you were given (examples: procedures.yaml)."""
    sides = (
        (Side.left.value, _("Left"), ""),
        (Side.right.value, _("Right"), ""),
        (Side.both.value, _("Both (the same implant each side)"), ""),
    )
    # The words of each fill and surface (a value not named here is shown capitalised).
    words = {
        ImplantFill.saline.value: _("Saline"),
        ImplantFill.silicone.value: _("Silicone"),
        ImplantFill.other.value: _("Other"),
        ImplantSurface.smooth.value: _("Smooth"),
        ImplantSurface.textured.value: _("Textured"),
        ImplantFill.unknown.value: _("I do not know"),
    }
    fills = tuple((f.value, words.get(f.value, f.value.capitalize()), "") for f in ImplantFill)
    surfaces = tuple(
        (s.value, words.get(s.value, s.value.capitalize()), "") for s in ImplantSurface
    )
    return [
        Field("side", _("Which side"), "radios", choices=sides, required=_("Select which side")),
        Field(
            "manufacturer",
            _("Manufacturer"),
            hint=_("For example %(examples)s") % {"examples": ", ".join(_examples(kb, "makers"))},
        ),
        Field("style", _("Style or model"), hint=_("On your device card")),
        Field(
            "size_cc", _("Size in cc"), "number", width="short", maximum=5000, inputmode="decimal"
        ),
        Field("fill", _("Filled with"), "radios", choices=fills),
        Field(
            "surface",
            _("Surface"),
            "radios",
            choices=surfaces,
            hint=_("Textured or smooth: your device card or records say which"),
        ),
        Field("shape", _("Shape"), hint=_("For example round or anatomical")),
        Field("serial", _("Serial number"), width="short"),
        Field("lot", _("Lot number"), width="short"),
        Field("udi", _("UDI (the long code under the barcode)")),
    ]
