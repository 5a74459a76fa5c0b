"""What the consultation packet says, as validated data (``packet.yaml``).

The four questions every packet asks, the realistic-expectations points (each
citing sources, each for some procedures), and the packet's own words. Like
every knowledge model, unknown keys are errors. A wording field may only use
the ``{placeholders}`` the packet code fills in, so a typo in the data fails
at load time rather than printing ``{dtae}`` to a person. Cross-references
(sources, procedure names) are checked in :mod:`reconsult.knowledge.validation`.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Self

from pydantic import Field, model_validator

from reconsult.knowledge.schema import Code, PlainText, RuleId, Strict

__all__ = ["Expectation", "PacketContent", "PacketQuestion", "PacketQuestions", "PacketWording"]


class PacketQuestion(Strict):
    """A question to ask at the consultation, with why it is worth asking."""

    text: PlainText
    hint: PlainText | None = None
    sources: list[RuleId] = Field(min_length=1)


class PacketQuestions(Strict):
    """The four questions of every packet, in the order they are printed."""

    why: PacketQuestion
    what_can_be_done: PacketQuestion
    cost: PacketQuestion
    experience: PacketQuestion

    def in_order(self) -> Iterator[PacketQuestion]:
        """Yield the four questions in the order they are printed."""
        yield from (self.why, self.what_can_be_done, self.cost, self.experience)


class Expectation(Strict):
    """One point of the realistic-expectations page, for some procedures."""

    id: RuleId
    procedures: list[Code] = Field(min_length=1)  # codes, group names, or "all"
    text: PlainText
    sources: list[RuleId] = Field(min_length=1)


# Placeholders each wording field must use; every other field uses none.
_PLACEHOLDERS: dict[str, set[str]] = {
    "made_on": {"date"},
    "days_ago": {"days"},
    "words_from_note": {"date"},
    "open_told": {"date", "words"},
    "open_holds": {"date"},
    "open_stale": {"stale"},
    "urgency_said": {"date", "headline"},
    "urgency_note": {"date", "words"},
    "urgency_ago": {"ago"},
    "urgency_unchecked": {"date"},
    "urgency_look_again": {"date"},
    "event_procedure": {"name"},
    "event_by": {"provider"},
    "event_at": {"practice"},
    "event_said": {"headline"},
    "event_open": {"sign", "date"},
    "event_open_stale": {"sign", "date", "stale"},
    "event_closed": {"sign", "date", "how"},
    "event_closed_by": {"who"},
    "event_closed_on": {"date"},
    "event_closed_said": {"date"},
    "event_photos": {"angles"},
    "event_consultation": {"provider"},
    "event_records_sent": {"provider", "date"},
    "event_records_received": {"provider"},
    "products_for": {"name"},
    "product_heading": {"brand"},
    "implant_heading": {"side"},
    "photos_group": {"angle"},
    "photos_group_for": {"angle", "name"},
    "photo_caption": {"date", "angle"},
    "photo_day": {"days"},
    "photo_alt": {"angle", "date"},
    "questions_for": {"name"},
    "vetting_checked_on": {"date"},
    "vetting_npi": {"npi"},
    "vetting_for": {"name"},
    "vetting_count": {"done", "total"},
}


class PacketWording(Strict):
    """The packet's fixed words; ``{field}`` parts are filled in by the packet code."""

    title: PlainText
    made_on: PlainText
    informs: PlainText
    name: PlainText
    date_of_birth: PlainText
    procedures_heading: PlainText
    date_label: PlainText
    who_label: PlainText
    date_not_recorded: PlainText
    days_ago: PlainText
    one_day_ago: PlainText
    done_today: PlainText
    not_recorded: PlainText
    no_procedures: PlainText
    words_heading: PlainText
    words_from_note: PlainText
    words_shortened: PlainText
    no_words: PlainText
    open_heading: PlainText
    open_intro: PlainText
    open_told: PlainText
    open_holds: PlainText
    open_stale: PlainText
    open_more: PlainText
    urgency_heading: PlainText
    urgency_said: PlainText
    urgency_note: PlainText
    urgency_ago: PlainText
    urgency_unchecked: PlainText
    urgency_look_again: PlainText
    urgency_recheck: PlainText
    urgency_none: PlainText
    emergency_heading: PlainText
    history_heading: PlainText
    history_intro: PlainText
    history_empty: PlainText
    history_undated: PlainText
    event_procedure: PlainText
    event_by: PlainText
    event_at: PlainText
    event_journal: PlainText
    event_note: PlainText
    event_said: PlainText
    event_raised: PlainText
    event_open: PlainText
    event_open_stale: PlainText
    event_closed: PlainText
    event_closed_by: PlainText
    event_closed_on: PlainText
    event_closed_said: PlainText
    event_photos: PlainText
    event_consultation: PlainText
    event_consultation_said: PlainText
    event_records_sent: PlainText
    event_records_received: PlainText
    concerns_heading: PlainText
    products_heading: PlainText
    products_intro: PlainText
    products_none: PlainText
    products_for: PlainText
    product_heading: PlainText
    implant_heading: PlainText
    brand: PlainText
    product_name: PlainText
    material: PlainText
    lot: PlainText
    expiry: PlainText
    sites: PlainText
    manufacturer: PlainText
    style: PlainText
    size: PlainText
    fill: PlainText
    surface: PlainText
    shape: PlainText
    serial: PlainText
    udi: PlainText
    side_left: PlainText
    side_right: PlainText
    side_both: PlainText
    fill_saline: PlainText
    fill_silicone: PlainText
    fill_other: PlainText
    fill_unknown: PlainText
    surface_smooth: PlainText
    surface_textured: PlainText
    surface_unknown: PlainText
    photos_heading: PlainText
    photos_intro: PlainText
    photos_none: PlainText
    photos_group: PlainText
    photos_group_for: PlainText
    photo_caption: PlainText
    photo_day: PlainText
    photo_before: PlainText
    photo_day_unknown: PlainText
    photo_alt: PlainText
    photo_unreadable: PlainText
    photo_only_one: PlainText
    angle_front: PlainText
    angle_left: PlainText
    angle_right: PlainText
    angle_oblique_left: PlainText
    angle_oblique_right: PlainText
    angle_other: PlainText
    goals_heading: PlainText
    goals_none: PlainText
    vetting_heading: PlainText
    vetting_intro: PlainText
    vetting_checked_on: PlainText
    vetting_npi: PlainText
    vetting_for: PlainText
    vetting_count: PlainText
    vetting_confirmed: PlainText
    vetting_concern: PlainText
    vetting_not_checked: PlainText
    vetting_flags: PlainText
    vetting_no_flags: PlainText
    vetting_note: PlainText
    questions_heading: PlainText
    questions_intro: PlainText
    questions_for: PlainText
    expectations_heading: PlainText
    expectations_intro: PlainText
    judge_label: PlainText
    reversible_label: PlainText
    sources_heading: PlainText

    @model_validator(mode="after")
    def _placeholders(self) -> Self:
        problems = []
        for field, value in self:
            try:
                found = {n for _, n, _, _ in string.Formatter().parse(value) if n is not None}
            except ValueError as exc:  # an unmatched "{" or "}"
                problems.append(f"{field}: {exc}")
                continue
            want = _PLACEHOLDERS.get(field, set())
            if found != want:
                problems.append(
                    f"{field}: placeholders {sorted(found)} but expected {sorted(want)}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def label(self, prefix: str, value: str) -> str:
        """Return the words for an enum value, e.g. ``label("angle", "front")``."""
        text: str = getattr(self, f"{prefix}_{value}")
        return text


class PacketContent(Strict):
    """The whole ``packet.yaml``: questions, expectations and wording."""

    questions: PacketQuestions
    expectations: list[Expectation] = Field(min_length=1)
    wording: PacketWording
