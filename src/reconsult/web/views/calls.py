"""Numbers to call, as tap-to-call links, the person's own emergency number first.

The numbers and where they work are knowledge (``policy.yaml``: help_now's
emergency_lines and crisis_lines). The region comes from the RECONSULT_REGION
setting, or else from the browser's preferred languages (Accept-Language: the
first tag with a region, such as en-GB, in order of preference). Without either,
the knowledge base's order stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconsult import i18n
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import PhoneLine

__all__ = ["Call", "Calls", "calls_for", "region_from"]


@dataclass(frozen=True)
class Call:
    """One number: as shown ("116 123"), as dialled ("116123"), where it works."""

    number: str
    dial: str
    where: str
    name: str | None
    text: bool
    note: str | None = None  # what to press once through ("To speak Spanish, press 2.")


@dataclass(frozen=True)
class Calls:
    """The emergency numbers and the crisis lines, each list with the local one first."""

    emergency: list[Call]
    crisis: list[Call]


def region_from(accept_language: str | None, setting: str | None) -> str | None:
    """Return the person's two-letter region: the setting, or the first regional language tag.

    The tags are the browser's languages in order of preference (``i18n.accepted``).
    """
    if setting:
        return setting.upper()
    for tag in i18n.accepted(accept_language):
        subtags = tag.replace("_", "-").split("-")
        region = next((s for s in subtags[1:] if len(s) == 2 and s.isalpha()), None)
        if region is not None:
            return region.upper()
    return None


def _local_first(lines: list[PhoneLine], region: str | None) -> list[Call]:
    local = [line for line in lines if region in line.regions]
    ordered = local + [line for line in lines if line not in local]
    return [
        Call(
            number=line.number,
            dial=line.number.replace(" ", ""),
            where=line.where,
            name=line.name,
            text=line.text,
            note=line.note,
        )
        for line in ordered
    ]


def calls_for(kb: Knowledge, region: str | None) -> Calls:
    """Return the numbers to show, the local emergency number and crisis line first."""
    help_now = kb.policy.help_now
    return Calls(
        emergency=_local_first(help_now.emergency_lines, region),
        crisis=_local_first(help_now.crisis_lines, region),
    )
