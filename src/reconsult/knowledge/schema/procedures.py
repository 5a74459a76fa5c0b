"""A procedure of the contract: its names, kind, timeline, red flags and product examples."""

from __future__ import annotations

from pydantic import Field

from reconsult.knowledge.schema.codes import Code, PlainText, ProcedureKind, RuleId, Shown, Strict


class Timeline(Strict):
    """Healing and product timeline of one procedure, in days since it was done."""

    settle: int = Field(ge=0, description="most swelling and bruising has gone")
    judge: int = Field(ge=0, description="the result can fairly be judged")
    revision: int = Field(ge=0, description="earliest sensible correction or revision")
    scar: int | None = Field(default=None, ge=0, description="scars mature")
    fade: tuple[int, int] | None = Field(
        default=None, description="(earliest, latest) day a temporary product wears off"
    )
    summary: Shown  # one or two plain sentences for people
    sources: list[RuleId] = Field(min_length=1)


class ProductExamples(Strict):
    """Names a person may find in their records for what was used: examples on the case forms.

    ``brands`` and ``products`` are of injected products (the product form);
    ``makers`` of implants (the implant form). The sources name them.
    """

    brands: list[PlainText] = Field(default_factory=list)  # "Juvederm"
    products: list[PlainText] = Field(default_factory=list)  # "Volbella"
    makers: list[PlainText] = Field(default_factory=list)  # "Mentor"
    sources: list[RuleId] = Field(min_length=1)


class Procedure(Strict):
    """One of the twelve contract procedure codes."""

    code: Code
    name: Shown  # plain name, e.g. "Botox and other anti-wrinkle injections"
    # A few words where procedures of its kind are listed together ("nose" among the
    # operations on the start page; procedures with the same short name are named
    # once); None: not named on its own there.
    short_name: Shown | None = None
    kind: ProcedureKind
    groups: list[Code] = Field(default_factory=list)  # e.g. [fillers, injectables]
    mentions: list[PlainText] = Field(min_length=1)  # words people use for it (phrases)
    timeline: Timeline
    red_flags: list[Code] = Field(min_length=1)  # finding codes to always watch for
    reversible: Shown  # what can and cannot be undone, in plain words
    questions: list[Shown] = Field(default_factory=list)  # to ask at a consultation
    examples: ProductExamples | None = None  # brands and makers, for the case forms' hints
