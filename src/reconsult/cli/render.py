"""Show an Assessment in a terminal: the action first, then why, what can be done, sources."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.schema import TagColour, Urgency
from reconsult.triage.models import Assessment, FindingStatus

# How each colour of policy.yaml's urgencies looks in a terminal (the level's label
# and colour are the knowledge base's, said once there).
_STYLES = {
    TagColour.red: "bold white on red",
    TagColour.orange: "bold black on dark_orange",
    TagColour.yellow: "bold black on yellow",
    TagColour.green: "bold black on green",
    TagColour.blue: "bold white on blue",
}
_STATUS_WORDS = {
    FindingStatus.negated: "you said you do not have this",
    FindingStatus.hypothetical: "a worry, not happening now",
    FindingStatus.past: "in the past",
    FindingStatus.someone_else: "about someone else",
    FindingStatus.resolved: "has settled",
}


def _section(title: str, lines: Sequence[Text | str]) -> list[Text | str]:
    """Return a titled block of lines, or nothing if there are no lines."""
    if not lines:
        return []
    return [Text(""), Text(title, style="bold underline"), *lines]


def render(assessment: Assessment, kb: Knowledge | None = None) -> Panel:
    """Build a coloured panel for one assessment, titled with its level's words."""
    words = (kb or load_knowledge()).policy.urgency(assessment.urgency)
    title, style = words.title, _STYLES[words.colour]
    body: list[Text | str] = [Text(assessment.headline, style="bold"), assessment.detail]
    if assessment.urgency in (Urgency.emergency, Urgency.urgent):
        body.append(Text(assessment.emergency_numbers, style="bold red"))
    why: list[Text | str] = []
    for reason in assessment.reasons:
        line = Text("- ")
        if reason.quote:
            line.append(f"You said \u201c{reason.quote}\u201d. ", style="italic")
        line.append(reason.text)
        why.append(line)
    body += _section("Why", why)
    if assessment.reassess_on:
        body += _section("Look again on", [assessment.reassess_on.strftime("%A %d %B %Y")])
    if assessment.product_fades_between:
        first, last = assessment.product_fades_between
        body += _section(
            "When it wears off",
            [f"Between {first.strftime('%d %B %Y')} and {last.strftime('%d %B %Y')}."],
        )
    body += _section(
        "What you can do",
        [f"- {o.label}. {o.explanation} ({o.time_cost})" for o in assessment.option_advice],
    )
    body += _section("Healing time", [assessment.timeline_summary])
    body += _section("Get help at once if you notice", [f"- {w}" for w in assessment.watch_for])
    noted = [
        f"- \u201c{f.quote}\u201d: {_STATUS_WORDS[f.status]}"
        for f in assessment.findings
        if f.status in _STATUS_WORDS
    ]
    body += _section("Also noted", noted)
    body += _section(
        "Words we could not match (please mention them to your provider)",
        [f"- {t}" for t in assessment.unrecognised_text],
    )
    body += _section(
        "Sources",
        [f"- {s.title}, {s.publisher}, {s.year}" for s in assessment.sources],
    )
    body.append(Text(""))
    body.append(
        Text(
            "reconsult informs; it does not diagnose. "
            f"Knowledge version {assessment.knowledge_version}.",
            style="dim",
        )
    )
    heading = f"{title}" + (f"  ({assessment.id})" if assessment.id else "")
    return Panel(Group(*body), title=Text(heading, style=style), title_align="left")


def print_assessment(console: Console, assessment: Assessment, kb: Knowledge | None = None) -> None:
    """Print one assessment panel."""
    console.print(render(assessment, kb))
