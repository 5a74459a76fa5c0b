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

from reconsult.knowledge.schema import Code, RuleId, Shown, Strict

__all__ = ["Expectation", "PacketContent", "PacketQuestion", "PacketQuestions", "PacketWording"]


class PacketQuestion(Strict):
    """A question to ask at the consultation, with why it is worth asking."""

    text: Shown
    hint: Shown | None = None
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
    text: Shown
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

    title: Shown
    made_on: Shown
    informs: Shown
    name: Shown
    date_of_birth: Shown
    procedures_heading: Shown
    date_label: Shown
    who_label: Shown
    date_not_recorded: Shown
    days_ago: Shown
    one_day_ago: Shown
    done_today: Shown
    not_recorded: Shown
    no_procedures: Shown
    words_heading: Shown
    words_from_note: Shown
    words_shortened: Shown
    no_words: Shown
    open_heading: Shown
    open_intro: Shown
    open_told: Shown
    open_holds: Shown
    open_stale: Shown
    open_more: Shown
    urgency_heading: Shown
    urgency_said: Shown
    urgency_note: Shown
    urgency_ago: Shown
    urgency_unchecked: Shown
    urgency_look_again: Shown
    urgency_recheck: Shown
    urgency_none: Shown
    emergency_heading: Shown
    history_heading: Shown
    history_intro: Shown
    history_empty: Shown
    history_undated: Shown
    event_procedure: Shown
    event_by: Shown
    event_at: Shown
    event_journal: Shown
    event_note: Shown
    event_said: Shown
    event_raised: Shown
    event_open: Shown
    event_open_stale: Shown
    event_closed: Shown
    event_closed_by: Shown
    event_closed_on: Shown
    event_closed_said: Shown
    event_photos: Shown
    event_consultation: Shown
    event_consultation_said: Shown
    event_records_sent: Shown
    event_records_received: Shown
    concerns_heading: Shown
    products_heading: Shown
    products_intro: Shown
    products_none: Shown
    products_for: Shown
    product_heading: Shown
    implant_heading: Shown
    brand: Shown
    product_name: Shown
    material: Shown
    lot: Shown
    expiry: Shown
    sites: Shown
    manufacturer: Shown
    style: Shown
    size: Shown
    fill: Shown
    surface: Shown
    shape: Shown
    serial: Shown
    udi: Shown
    side_left: Shown
    side_right: Shown
    side_both: Shown
    fill_saline: Shown
    fill_silicone: Shown
    fill_other: Shown
    fill_unknown: Shown
    surface_smooth: Shown
    surface_textured: Shown
    surface_unknown: Shown
    photos_heading: Shown
    photos_intro: Shown
    photos_none: Shown
    photos_group: Shown
    photos_group_for: Shown
    photo_caption: Shown
    photo_day: Shown
    photo_before: Shown
    photo_day_unknown: Shown
    photo_alt: Shown
    photo_unreadable: Shown
    photo_only_one: Shown
    angle_front: Shown
    angle_left: Shown
    angle_right: Shown
    angle_oblique_left: Shown
    angle_oblique_right: Shown
    angle_other: Shown
    goals_heading: Shown
    goals_none: Shown
    vetting_heading: Shown
    vetting_intro: Shown
    vetting_checked_on: Shown
    vetting_npi: Shown
    vetting_for: Shown
    vetting_count: Shown
    vetting_confirmed: Shown
    vetting_concern: Shown
    vetting_not_checked: Shown
    vetting_flags: Shown
    vetting_no_flags: Shown
    vetting_note: Shown
    questions_heading: Shown
    questions_intro: Shown
    questions_for: Shown
    expectations_heading: Shown
    expectations_intro: Shown
    judge_label: Shown
    reversible_label: Shown
    sources_heading: Shown

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
