"""Show an Assessment in a terminal: the action first, then why, what can be done, sources."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from reconsult.i18n import N_, long_date
from reconsult.i18n import gettext as _
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
# Translated where shown (``_``), in the language of the command.
_STATUS_WORDS = {
    FindingStatus.negated: N_("you said you do not have this"),
    FindingStatus.hypothetical: N_("a worry, not happening now"),
    FindingStatus.past: N_("in the past"),
    FindingStatus.someone_else: N_("about someone else"),
    FindingStatus.resolved: N_("has settled"),
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
            said = _("You said \u201c%(quote)s\u201d.") % {"quote": reason.quote}
            line.append(said + " ", style="italic")
        line.append(reason.text)
        why.append(line)
    body += _section(_("Why"), why)
    if assessment.reassess_on:
        body += _section(_("Look again on"), [long_date(assessment.reassess_on)])
    if assessment.product_fades_between:
        first, last = assessment.product_fades_between
        between = _("Between %(start)s and %(end)s.") % {
            "start": long_date(first),
            "end": long_date(last),
        }
        body += _section(_("When it wears off"), [between])
    body += _section(
        _("What you can do"),
        [f"- {o.label}. {o.explanation} ({o.time_cost})" for o in assessment.option_advice],
    )
    body += _section(_("Healing time"), [assessment.timeline_summary])
    body += _section(_("Get help at once if you notice"), [f"- {w}" for w in assessment.watch_for])
    noted = [
        f"- \u201c{f.quote}\u201d: {_(_STATUS_WORDS[f.status])}"
        for f in assessment.findings
        if f.status in _STATUS_WORDS
    ]
    body += _section(_("Also noted"), noted)
    body += _section(
        _("Words we could not match (please mention them to your provider)"),
        [f"- {t}" for t in assessment.unrecognised_text],
    )
    body += _section(
        _("Sources"),
        [f"- {s.title}, {s.publisher}, {s.year}" for s in assessment.sources],
    )
    body.append(Text(""))
    body.append(
        Text(
            _("reconsult informs; it does not diagnose. Knowledge version %(version)s.")
            % {"version": assessment.knowledge_version},
            style="dim",
        )
    )
    heading = f"{title}" + (f"  ({assessment.id})" if assessment.id else "")
    return Panel(Group(*body), title=Text(heading, style=style), title_align="left")


def print_assessment(console: Console, assessment: Assessment, kb: Knowledge | None = None) -> None:
    """Print one assessment panel."""
    console.print(render(assessment, kb))
