"""The right of access to medical records, per jurisdiction, as validated data.

``records_access.yaml`` (legal bases, deadlines, fees, what to ask for per
procedure, the letter's fixed words) is part of the knowledge base: it is
loaded, and checked by ``reconsult knowledge check``, with the rest of it
(``Knowledge.records_access``). Its models are strict: unknown keys are
errors, every jurisdiction and record set cites sources that exist, every
procedure code has its record sets, and the deadline a text states agrees
with the period the data declares. Errors are
:class:`~reconsult.errors.KnowledgeError` naming the file and the field.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from reconsult.errors import KnowledgeError
from reconsult.knowledge.loader import parse_yaml
from reconsult.knowledge.schema import SHOWN, Code, PlainText, ProcedureCode, RuleId, Shown

__all__ = [
    "DATA_FILE",
    "Jurisdiction",
    "Period",
    "RecordItem",
    "RecordSet",
    "RecordsAccess",
    "parse_records_access",
]

DATA_FILE = "records_access.yaml"

JurisdictionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z]{2})?$")]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
Spelling = Literal["us", "gb"]

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


class Strict(BaseModel):
    """Base for every model here: unknown keys are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(Strict):
    """A time limit: so many days, business days or months."""

    amount: int = Field(ge=1, le=366)
    unit: Literal["days", "business_days", "months"]

    def words(self) -> str:
        """Return the period as a letter says it: "30 days", "15 business days", "one month"."""
        if self.unit == "months":
            count = _NUMBER_WORDS.get(self.amount, str(self.amount))
            return f"{count} month" + ("s" if self.amount > 1 else "")
        unit = "business days" if self.unit == "business_days" else "days"
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class AccessSource(Strict):
    """A citable source: a statute, regulation, regulator's guidance or write-up."""

    id: RuleId
    title: PlainText
    publisher: PlainText
    year: int = Field(ge=1950, le=2100)
    url: HttpUrl | None = None
    note: PlainText | None = None

    @model_validator(mode="after")
    def _url_or_reason(self) -> Self:
        if self.url is None and (self.note is None or "not verified" not in self.note):
            raise ValueError("a source without `url` needs a note saying the URL is not verified")
        return self


class Jurisdiction(Strict):
    """One jurisdiction's legal basis for a records request, and how its letter looks."""

    code: JurisdictionCode
    name: Shown
    page_size: Literal["letter", "A4"]
    language: LanguageTag  # BCP 47, for the PDF's /Lang and <html lang>
    spelling: Spelling
    date_order: Literal["mdy", "dmy"]
    sign_off: Shown
    citations: list[PlainText] = Field(min_length=1)  # legal references the letter names
    basis: Shown
    deadline: Period
    deadline_text: Shown
    extension: Period | None = None  # None: the law sets no extension of its own
    extension_text: Shown
    fees: Shown
    fee_estimate: Shown
    format_electronic: Shown
    format_paper: Shown
    third_party: Shown
    complaint: Shown
    person_notes: list[Shown] = Field(default_factory=list)
    sources: list[RuleId] = Field(min_length=1)

    @model_validator(mode="after")
    def _texts_agree_with_periods(self, info: ValidationInfo) -> Self:
        # The periods' words are English: another language's texts are checked against
        # them when the base is loaded in English (wording.py keeps the two in step).
        if (info.context or {}).get(SHOWN) is None:
            self._say_the_periods()
        letter_text = " ".join((self.basis, self.deadline_text))
        missing = [c for c in self.citations if c not in letter_text]
        if missing:
            raise ValueError(
                f"citations not named word for word in basis or deadline_text: {missing}"
            )
        return self

    def _say_the_periods(self) -> None:
        if self.deadline.words() not in self.deadline_text:
            raise ValueError(f"deadline_text does not say the deadline {self.deadline.words()!r}")
        if self.extension and self.extension.words() not in self.extension_text:
            raise ValueError(
                f"extension_text does not say the extension {self.extension.words()!r}"
            )


class RecordItem(Strict):
    """One thing to ask for: US wording, and UK/EU wording where spelling or law differ."""

    id: Code
    text: Shown
    text_gb: Shown | None = None

    def for_spelling(self, spelling: Spelling) -> str:
        """Return the item's text in the jurisdiction's spelling."""
        return self.text_gb if spelling == "gb" and self.text_gb else self.text


class RecordSet(Strict):
    """A group of records to ask for, shown under one heading."""

    id: Code
    heading: Shown
    items: list[RecordItem] = Field(min_length=1)
    sources: list[RuleId] = Field(min_length=1)


class ProcedureRecords(Strict):
    """What to ask for after one procedure, and how the letter names it."""

    code: ProcedureCode
    name: Shown
    record_sets: list[Code] = Field(min_length=1)


class Wording(Strict):
    """The letter's fixed words; ``{field}`` parts are filled in by the letter code."""

    subject: Shown
    salutation: Shown
    details_heading: Shown
    full_name: Shown
    former_names: Shown
    date_of_birth: Shown
    patient_number: Shown
    phone: Shown
    email: Shown
    treatments_heading: Shown
    treatments_intro: Shown
    treatment_on: Shown
    treatment_date_unknown: Shown
    records_heading: Shown
    records_intro: Shown
    format_heading: Shown
    send_to_heading: Shown
    send_to_self: Shown
    timing_heading: Shown
    fees_heading: Shown
    closing: Shown
    signature: Shown
    date: Shown
    note_heading: Shown
    note_keep_copy: Shown
    note_follow_up: Shown
    note_sources_heading: Shown

    @model_validator(mode="after")
    def _placeholders(self) -> Self:
        expected = {
            "salutation": {"provider"},
            "treatment_on": {"name", "date"},
            "treatment_date_unknown": {"name"},
            "note_follow_up": {"date"},
        }
        for field, value in self:
            found = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
            want = expected.get(field, set())
            if found != want:
                raise ValueError(
                    f"{field}: placeholders {sorted(found)} but expected {sorted(want)}"
                )
        return self


class RecordsAccess(Strict):
    """The whole file: sources, jurisdictions, record sets, procedures, wording."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    follow_up_days: int = Field(ge=1, le=366)
    follow_up_sources: list[RuleId] = Field(min_length=1)
    sources: list[AccessSource] = Field(min_length=1)
    jurisdictions: list[Jurisdiction] = Field(min_length=1)
    record_sets: list[RecordSet] = Field(min_length=1)
    procedures: list[ProcedureRecords] = Field(min_length=1)
    wording: Wording

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems: list[str] = []
        for kind, ids in (
            ("source", [s.id for s in self.sources]),
            ("jurisdiction", [j.code for j in self.jurisdictions]),
            ("record set", [r.id for r in self.record_sets]),
            ("record item", [i.id for r in self.record_sets for i in r.items]),
            ("procedure", [p.code.value for p in self.procedures]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                problems.append(f"duplicate {kind} ids: {dupes}")
        known_sources = {s.id for s in self.sources}
        citing: list[tuple[str, list[str]]] = [("follow_up_sources", self.follow_up_sources)]
        citing += [(f"jurisdiction {j.code}", j.sources) for j in self.jurisdictions]
        citing += [(f"record set {r.id}", r.sources) for r in self.record_sets]
        for where, ids in citing:
            unknown = sorted(set(ids) - known_sources)
            if unknown:
                problems.append(f"{where}: unknown sources {unknown}")
        for j in self.jurisdictions:
            if not any(self.source(s).url for s in j.sources if s in known_sources):
                problems.append(f"jurisdiction {j.code}: cites no source with a url")
        known_sets = {r.id for r in self.record_sets}
        for p in self.procedures:
            unknown = sorted(set(p.record_sets) - known_sets)
            if unknown:
                problems.append(
                    f"procedure {p.code.value}: unknown record sets {unknown} "
                    f"(allowed: {sorted(known_sets)})"
                )
        missing = sorted(set(ProcedureCode) - {p.code for p in self.procedures})
        if missing:
            problems.append(f"procedures without record sets: {[m.value for m in missing]}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def jurisdiction_codes(self) -> tuple[str, ...]:
        """Return the known jurisdiction codes, sorted."""
        return tuple(sorted(j.code for j in self.jurisdictions))

    def jurisdiction(self, code: str) -> Jurisdiction:
        """Return the jurisdiction with ``code``; KeyError names the allowed codes."""
        for j in self.jurisdictions:
            if j.code == code:
                return j
        raise KeyError(f"unknown jurisdiction {code!r} (allowed: {list(self.jurisdiction_codes)})")

    def source(self, source_id: str) -> AccessSource:
        """Return the source with ``source_id``."""
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    def procedure(self, code: ProcedureCode) -> ProcedureRecords:
        """Return what to ask for after the procedure ``code``."""
        for p in self.procedures:
            if p.code == code:
                return p
        raise KeyError(code.value)  # unreachable: every code is checked at load

    def record_sets_for(self, codes: list[ProcedureCode]) -> list[RecordSet]:
        """Return the record sets the procedures need, each once, in the file's order."""
        wanted = {s for code in codes for s in self.procedure(code).record_sets}
        return [r for r in self.record_sets if r.id in wanted]


def _describe(error: Any) -> str:
    """Turn one pydantic error into "where: message", naming allowed values."""
    where = ".".join(str(p) for p in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown key"
    message = str(error["msg"]).removeprefix("Value error, ")
    expected = (error.get("ctx") or {}).get("expected")
    if expected and "expected" not in message.lower():
        message += f" (allowed: {expected})"
    return f"{where}: {message}"


def parse_records_access(
    text: str, *, name: str = DATA_FILE, context: dict[str, Any] | None = None
) -> RecordsAccess:
    """Parse and validate the YAML ``text``; KnowledgeError names ``name`` and each problem.

    ``context`` is pydantic's validation context: the language's texts (schema.SHOWN).
    """
    raw = parse_yaml(text, name=name)
    try:
        return RecordsAccess.model_validate(raw, context=context)
    except ValidationError as exc:
        lines = [f"{name}: {_describe(e)}" for e in exc.errors()]
        raise KnowledgeError("\n".join(lines)) from exc
