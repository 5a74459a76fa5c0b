"""The records-request letter: a person asks a provider for a copy of their records.

The legal basis, deadline, extension, fees and the itemised records come from
``knowledge/records_access.yaml`` (see :mod:`reconsult.documents.records_access`);
this module only fills them in for one person and lays them out, as plain text
(:func:`records_request_text`), HTML (:func:`records_request_html`) or a tagged
PDF/UA-1 file (:func:`records_request_pdf`). All three come from one
:class:`Letter`, so they always say the same thing. What the person asks
(:class:`~reconsult.casefile.records_request_input.RecordsRequestInput`) is
the case file's; :func:`log_records_request` makes the letter and keeps it
with the case.

The PDF is printed by :mod:`reconsult.documents.printing`, which fetches nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from babel.dates import format_date
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
)

from reconsult import i18n
from reconsult.casefile.letters import keep_records_request, letter_error
from reconsult.casefile.records_request_input import (
    RecordsFormat,
    RecordsRequestInput,
    ToNewProvider,
)
from reconsult.casefile.schema import RecordsRequestLog
from reconsult.documents.printing import environment, inline_stylesheet, render_pdf
from reconsult.documents.records_access import Jurisdiction, load_records_access
from reconsult.i18n import gettext as _
from reconsult.i18n import long_date
from reconsult.storage import Database

if TYPE_CHECKING:
    from reconsult.documents.records_access import RecordsAccess

__all__ = [
    "Letter",
    "build_letter",
    "log_records_request",
    "records_request_html",
    "records_request_pdf",
    "records_request_text",
]


class RecordGroup(BaseModel):
    """Records to ask for under one heading."""

    model_config = ConfigDict(frozen=True)

    heading: str
    items: list[str]


class Letter(BaseModel):
    """The filled-in letter, ready to lay out as text, HTML or PDF."""

    model_config = ConfigDict(frozen=True)

    title: str
    language: str
    page_size: str
    sender_lines: list[str]
    date_line: str
    recipient_lines: list[str]
    subject: str
    salutation: str
    basis: str
    details_heading: str
    details: list[tuple[str, str]]
    treatments_heading: str
    treatments_intro: str
    treatments: list[str]
    records_heading: str
    records_intro: str
    record_groups: list[RecordGroup]
    format_heading: str
    format_text: str
    send_to_heading: str
    send_to_text: str
    third_party_lines: list[str]  # the new provider's name and address; empty if to self
    timing_heading: str
    timing: list[str]
    fees_heading: str
    fees: list[str]
    closing: str
    sign_off: str
    signature_label: str
    date_label: str
    signer: str
    note_language: str  # the person's: the note is theirs, the letter the provider's
    note_heading: str
    note: list[str]  # for the person, not part of the letter
    follow_up_on: dt.date
    sources_heading: str
    sources: list[str]


def _format_date(day: dt.date, jurisdiction: Jurisdiction) -> str:
    """Write a date the way the jurisdiction's letters do: "March 4, 2026" or "4 March 2026".

    In the current language (:func:`reconsult.i18n.long_date`); a language that writes
    dates one way everywhere translates the US pattern as its ordinary one.
    """
    if jurisdiction.date_order != "mdy":
        return long_date(day)
    # Translators: a date as US documents write it, in Unicode CLDR form (d day, MMMM
    # month name, y year); a language without a US order writes its usual "d MMMM y" here.
    return format_date(day, _("MMMM d, y"), locale=i18n.current())


def _letter_language(jurisdiction: Jurisdiction) -> str:
    """The language the letter is written in: the one the jurisdiction's providers read.

    The request goes to a clinic, so it is in the clinic's language whatever language
    the person reads reconsult in; the note to the person beside it is in theirs.
    """
    return i18n.supported(jurisdiction.language) or i18n.DEFAULT


def _checked(inp: RecordsRequestInput, today: dt.date) -> RecordsRequestInput:
    """Validate ``inp`` again against ``today`` (dates made on another day may now be wrong)."""
    return RecordsRequestInput.model_validate(inp.model_dump(), context={"today": today})


class Note(BaseModel):
    """What the person reads beside the letter, in their own language."""

    model_config = ConfigDict(frozen=True)

    language: str
    heading: str
    paragraphs: list[str]
    follow_up_on: dt.date
    sources_heading: str


def build_letter(inp: RecordsRequestInput, today: dt.date) -> Letter:
    """Fill in the letter for ``inp``, dated ``today``."""
    inp = _checked(inp, today)
    own: RecordsAccess = load_records_access()  # in the person's language: their note
    mine = own.jurisdiction(inp.jurisdiction)
    follow_up_on = today + dt.timedelta(days=own.follow_up_days)
    note = Note(
        language=i18n.current(),
        heading=own.wording.note_heading,
        paragraphs=[
            own.wording.note_keep_copy,
            own.wording.note_follow_up.format(date=_format_date(follow_up_on, mine)),
            mine.complaint,
            *mine.person_notes,
        ],
        follow_up_on=follow_up_on,
        sources_heading=own.wording.note_sources_heading,
    )
    with i18n.reading(_letter_language(mine)):
        return _letter(inp, today, load_records_access(), note)


def _letter(inp: RecordsRequestInput, today: dt.date, data: RecordsAccess, note: Note) -> Letter:
    """Fill in the letter itself in the current language (the provider's), with the note."""
    law = data.jurisdiction(inp.jurisdiction)
    words = data.wording

    def date(day: dt.date) -> str:
        return _format_date(day, law)

    sender = [inp.full_name, *inp.address.split("\n")]
    if inp.phone:
        sender.append(f"{words.phone}: {inp.phone}")
    if inp.email:
        sender.append(f"{words.email}: {inp.email}")
    recipient = [inp.provider_name]
    if inp.practice_name:
        recipient.append(inp.practice_name)
    recipient += inp.practice_address.split("\n")

    details = [(words.full_name, inp.full_name)]
    if inp.former_names:
        details.append((words.former_names, ", ".join(inp.former_names)))
    details.append((words.date_of_birth, date(inp.date_of_birth)))
    if inp.patient_number:
        details.append((words.patient_number, inp.patient_number))

    treatments = []
    for done in inp.procedures:
        name = data.procedure(done.code).name
        if isinstance(done.date, dt.date):
            treatments.append(words.treatment_on.format(name=name, date=date(done.date)))
        else:
            treatments.append(words.treatment_date_unknown.format(name=name))

    record_sets = data.record_sets_for([d.code for d in inp.procedures])
    groups = [
        RecordGroup(heading=s.heading, items=[i.for_spelling(law.spelling) for i in s.items])
        for s in record_sets
    ]

    if isinstance(inp.recipient, ToNewProvider):
        send_to_text = law.third_party
        third_party_lines = [inp.recipient.name, *inp.recipient.address.split("\n")]
    else:
        send_to_text, third_party_lines = words.send_to_self, []

    cited = [*law.sources, *data.follow_up_sources, *(i for s in record_sets for i in s.sources)]
    sources = []
    for source_id in dict.fromkeys(cited):  # each once, in order
        s = data.source(source_id)
        sources.append(f"{s.title}. {s.publisher}, {s.year}." + (f" {s.url}" if s.url else ""))

    return Letter(
        title=f"{words.subject}: {inp.full_name}",
        language=law.language,
        page_size=law.page_size,
        sender_lines=sender,
        date_line=date(today),
        recipient_lines=recipient,
        subject=words.subject,
        salutation=words.salutation.format(provider=inp.provider_name),
        basis=law.basis,
        details_heading=words.details_heading,
        details=details,
        treatments_heading=words.treatments_heading,
        treatments_intro=words.treatments_intro,
        treatments=treatments,
        records_heading=words.records_heading,
        records_intro=words.records_intro,
        record_groups=groups,
        format_heading=words.format_heading,
        format_text=(
            law.format_electronic
            if inp.preferred_format is RecordsFormat.electronic
            else law.format_paper
        ),
        send_to_heading=words.send_to_heading,
        send_to_text=send_to_text,
        third_party_lines=third_party_lines,
        timing_heading=words.timing_heading,
        timing=[law.deadline_text, law.extension_text],
        fees_heading=words.fees_heading,
        fees=[law.fees, law.fee_estimate],
        closing=words.closing,
        sign_off=law.sign_off,
        signature_label=words.signature,
        date_label=words.date,
        signer=inp.full_name,
        note_language=note.language,
        note_heading=note.heading,
        note=note.paragraphs,
        follow_up_on=note.follow_up_on,
        sources_heading=note.sources_heading,
        sources=sources,
    )


def records_request_text(inp: RecordsRequestInput, today: dt.date) -> str:
    """Return the letter as plain text, then (after a rule) the note for the person."""
    letter = build_letter(inp, today)
    out: list[str] = [*letter.sender_lines, "", letter.date_line, "", *letter.recipient_lines]
    out += ["", letter.subject, "", letter.salutation, "", letter.basis, ""]
    out += [letter.details_heading, *(f"{label}: {value}" for label, value in letter.details), ""]
    out += [letter.treatments_heading, letter.treatments_intro]
    out += [f"- {t}" for t in letter.treatments] + [""]
    out += [letter.records_heading, letter.records_intro, ""]
    for group in letter.record_groups:
        out += [f"{group.heading}:", *(f"- {item}" for item in group.items), ""]
    out += [letter.format_heading, letter.format_text, ""]
    out += [letter.send_to_heading, letter.send_to_text]
    if letter.third_party_lines:
        out += ["", *letter.third_party_lines]
    out += ["", letter.timing_heading, *letter.timing, ""]
    out += [letter.fees_heading, *letter.fees, ""]
    out += [letter.closing, "", letter.sign_off, ""]
    out += [f"{letter.signature_label}: ____________________________"]
    out += [f"{letter.date_label}: ____________________________", letter.signer, ""]
    out += ["-" * 60, letter.note_heading, ""]
    for paragraph in letter.note:
        out += [paragraph, ""]
    out += [letter.sources_heading, *(f"- {s}" for s in letter.sources)]
    return "\n".join(out) + "\n"


def records_request_html(inp: RecordsRequestInput, today: dt.date) -> str:
    """Return the letter as a standalone HTML page (styles inline, nothing to fetch)."""
    letter = build_letter(inp, today)
    template = environment().get_template("records_request.html")
    return template.render(letter=letter, stylesheet=inline_stylesheet("records_request.css"))


def records_request_pdf(inp: RecordsRequestInput, today: dt.date) -> bytes:
    """Return the letter as a PDF/UA-1 file: US Letter for US jurisdictions, A4 otherwise."""
    return render_pdf(records_request_html(inp, today))


def log_records_request(
    db: Database, case_id: str, inp: RecordsRequestInput, *, today: dt.date
) -> RecordsRequestLog:
    """Make the letter for ``inp`` dated ``today`` and keep it with the case; return the log.

    The log holds the plain-text letter, its jurisdiction, the provider, and
    the follow-up date the letter gives the person.
    """
    try:
        letter = build_letter(inp, today)
        text = records_request_text(inp, today)
    except ValidationError as exc:
        raise letter_error(exc) from exc
    return keep_records_request(
        db, case_id, inp, letter_text=text, follow_up_on=letter.follow_up_on, today=today
    )
