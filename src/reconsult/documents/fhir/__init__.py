"""Export a case file as a FHIR R4 Bundle (validated with fhir.resources' R4B models).

What goes where:
- Patient: the person (name, date of birth);
- Procedure: each procedure, with its provider, date, products used and notes;
- Device: each implant (manufacturer, style, lot, serial, UDI), linked from its Procedure;
- Observation: each journal entry and each concern, in the person's words, with
  the urgency reconsult gave at the time as a note. These are patient-reported
  observations, never a diagnosis, so no Condition is asserted;
- Observation: each worrying sign a journal entry's answer left open (issue 15),
  derived from that entry, coded by reconsult's finding code and named by its
  label, the person's words as its value. Its status says what became of it:
  ``preliminary`` while open (reported, not yet followed up), ``final`` once the
  person said it was seen and treated or went away, ``entered-in-error`` when
  they said it was written by mistake; the note says which, by whom and when,
  and that the person said so;
- Observation: each provider check, made by the person (performer: the
  Patient) about a provider (focus: a reference by name and NPI, with no
  Practitioner resource, as reconsult knows no more of them). One component
  per checklist item (its result as a code, what they found as its text) and
  one per red flag noticed;
- DocumentReference: each photo (the cleaned image, inline: read one at a
  time with ``CaseFileData.image_of`` when the case was read without its
  photo bytes; a photo removed since is left out), and each records-request
  letter kept with the case (its plain text, inline, written by the person
  to the provider it names);
- QuestionnaireResponse: the intake (goals, concerns, consultations, records requests).

Resource ids are UUIDs derived from the case's own ids, so exporting the same
case twice gives the same Bundle. Any text a case holds can be exported: a
FHIR string must hold a character other than white space, so text without
words is left out (an empty note says why it has no value), never sent.

The modules: :mod:`.bundle` (the Bundle, the Patient and the intake),
:mod:`.procedures`, :mod:`.observations`, :mod:`.attachments` (photos and
letters), and :mod:`.ids` (ids, references and words they share).
"""

from __future__ import annotations

from reconsult.documents.fhir.bundle import case_bundle

__all__ = ["case_bundle"]
