"""Lay out a procedure's healing and product timeline as a picture and as words.

``build_timeline`` is pure: it reads the knowledge base's timeline for one
procedure and returns the coordinates and sentences ``_timeline.html`` draws.
Every clinical number comes from ``procedures.yaml``; the only numbers here are
calendar facts (a week has 7 days) and drawing sizes.

The scale is ``x = log(1 + days / 4)``, normalised so day 0 sits at the left
edge and the end of the scale at the right: nearly even spacing over the first
few days, then each doubling of time gets about the same room, so a two-week
swelling phase still takes up about a third of a one-year picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from reconsult.i18n import N_, ngettext
from reconsult.i18n import gettext as _
from reconsult.knowledge import Knowledge

__all__ = ["Here", "Marker", "TextLine", "Tick", "TimelineView", "build_timeline", "in_words"]

# Calendar, not clinical: how long a week, a month and a year are in days.
WEEK = 7
MONTH = 30
YEAR = 365
# Round lengths a picture can end at, and the ticks it may label.
CALENDAR_STEPS = (WEEK, 2 * WEEK, MONTH, 3 * MONTH, 6 * MONTH, YEAR, 2 * YEAR)

# Drawing sizes, in SVG user units. The viewBox is 320 wide so that on a 360 px
# phone (about 300 px left for the picture) 16-unit text shows at about 15 px.
WIDTH = 320
X0 = 16.0
X1 = 304.0
FONT = 16
# Generous average character widths (DejaVu Sans is among the widest system fonts).
CHAR_WIDTH = 0.6 * FONT
BOLD_CHAR_WIDTH = 0.68 * FONT
LINE_HEIGHT = 20
BAR_HEIGHT = 12
ROW_GAP = 16
TICK_GAP = 6
ARROW = 10
# The scale is log(1 + days / KNEE): about even for the first few days, then
# each doubling of time gets the same room. A drawing choice, not a clinical one.
KNEE = 4
MAX_CHARS = int((X1 - X0) / CHAR_WIDTH)

Shape = Literal["until", "from", "range"]
Anchor = Literal["start", "middle", "end"]

# Plain words for each timeline point, and how it is drawn:
# until = a bar from day 0 to the point; from = a dot, then an arrow onwards;
# range = a hatched bar between the earliest and latest day. The words are translated
# where the picture is built, in the language of the request.
_POINTS: tuple[tuple[str, str, Shape], ...] = (
    ("settle", N_("Swelling and bruising settle"), "until"),
    ("judge", N_("Fair time to judge the result"), "from"),
    ("revision", N_("Earliest time for a correction or revision"), "from"),
    ("scar", N_("Scars mature"), "until"),
    ("fade", N_("Product wears off"), "range"),
)

Unit = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class TextLine:
    """One line of text in the picture, with its baseline."""

    text: str
    y: float


@dataclass(frozen=True)
class Tick:
    """A labelled mark on the time axis."""

    day: int
    x: float
    label: str
    anchor: Anchor


@dataclass(frozen=True)
class Marker:
    """One timeline point (or range) as a row of the picture, and as a sentence."""

    key: str
    label: str
    shape: Shape
    day: int  # the point; for a range, its earliest day
    last_day: int  # for a range, its latest day; otherwise the same as ``day``
    x: float
    x_last: float
    when: str  # short words for the picture: "by 2 weeks"
    lines: tuple[TextLine, ...]
    bar_y: float
    bar_x: float  # until and range: the bar; from: the line onwards starts here
    bar_end: float
    mid_y: float
    arrow: str | None  # from: SVG path of the arrowhead, when there is room for one
    sentence: str  # the same fact in a full sentence
    status: str | None  # where "now" is relative to it, when the day is known


@dataclass(frozen=True)
class Here:
    """The "you are here" line."""

    day: int
    x: float
    clamped: bool  # beyond the right end of the scale, drawn at the edge
    label: str
    label_x: float  # where the label starts (text-anchor start)
    label_y: float
    line_top: float
    pointer: str  # SVG path of the small triangle above the line
    sentence: str


@dataclass(frozen=True)
class TimelineView:
    """Everything ``_timeline.html`` needs to draw one procedure's timeline."""

    procedure: str
    name: str
    ident: str  # prefix for element ids
    title: str
    desc: str
    caption: str
    summary: str
    end_day: int
    end_words: str
    width: int
    height: float
    x0: float
    x1: float
    font_size: int
    bar_height: int
    axis_y: float
    top: float  # where the rows (and the "you are here" line) start
    ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]  # in day order, top to bottom
    here: Here | None
    facts: tuple[str, ...]  # "Now: day 10.", then one sentence per marker
    sources: tuple[str, ...]


def _unit(days: int) -> tuple[int, Unit]:
    """Return how people count a number of days: (2, "week"), (3, "month"), (10, "day")."""
    if days > 0 and days % YEAR == 0:
        return days // YEAR, "year"
    if 0 < days <= 8 * WEEK and days % WEEK == 0:
        return days // WEEK, "week"
    if days > 0 and days % MONTH == 0:
        return days // MONTH, "month"
    return days, "day"


def in_words(days: int) -> str:
    """Say a number of days the way people do: '2 weeks', '3 months', '1 year', '10 days'."""
    return _count(*_unit(days))


def _count(n: int, unit: Unit) -> str:
    if unit == "year":
        return ngettext("%(num)d year", "%(num)d years", n) % {"num": n}
    if unit == "month":
        return ngettext("%(num)d month", "%(num)d months", n) % {"num": n}
    if unit == "week":
        return ngettext("%(num)d week", "%(num)d weeks", n) % {"num": n}
    return ngettext("%(num)d day", "%(num)d days", n) % {"num": n}


def _day_words(days: int) -> str:
    """'day 14 (2 weeks)', or just 'day 10' when the words would only repeat it."""
    if _unit(days)[1] == "day":
        return _("day %(day)d") % {"day": days}
    return _("day %(day)d (%(words)s)") % {"day": days, "words": in_words(days)}


def _scale_end(points: list[tuple[int, Shape]]) -> int:
    """Pick the round length the picture ends at.

    It reaches the latest point; if that point only starts something ("from
    6 months"), the next round length, so the arrow onwards has room.
    """
    latest = max(day for day, _ in points)
    room = any(shape == "from" and day == latest for day, shape in points)
    for step in CALENDAR_STEPS:
        if step > latest or (step == latest and not room):
            return step
    return (latest // YEAR + 1) * YEAR


def _position(days: int, end: int) -> float:
    """Map a day to x: log(1 + days/week), scaled so 0 and ``end`` hit the edges."""
    share = math.log1p(max(0, min(days, end)) / KNEE) / math.log1p(end / KNEE)
    return round(X0 + (X1 - X0) * share, 1)


def _wrap(text: str, width: int = MAX_CHARS) -> list[str]:
    """Break text into as few lines as fit, with lines as even as possible."""
    if len(text) <= width:
        return [text]
    words = text.split()
    best: list[str] | None = None
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if len(left) <= width and len(right) <= width:
            if best is None or max(map(len, (left, right))) < max(map(len, best)):
                best = [left, right]
    if best is not None:
        return best
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _label_lines(label: str, when: str) -> list[str]:
    """The row's words: on one line if they fit, else the name, then when."""
    whole = f"{label}: {when}"
    if len(whole) <= MAX_CHARS:
        return [whole]
    if len(label) + 1 <= MAX_CHARS:
        return [f"{label}:", when]
    return _wrap(whole)


def _status(shape: Shape, day: int, last_day: int, now: int | None) -> str | None:
    """Say where today is relative to a point or range."""
    if now is None:
        return None
    if now < day:
        ahead = day - now
        if shape == "range":
            return ngettext(
                "That starts %(num)d day from now.", "That starts %(num)d days from now.", ahead
            ) % {"num": ahead}
        return ngettext(
            "That is %(num)d day from now.", "That is %(num)d days from now.", ahead
        ) % {"num": ahead}
    if shape == "range" and now <= last_day:
        return _("You are in this time now.")
    if now == day:
        return _("That is today.")
    return _("You have reached this point.") if shape != "range" else _("You are past this time.")


def _sentence(key: str, label: str, day: int, last_day: int) -> str:
    if key == "fade":
        return _("%(label)s between about %(first)s and %(last)s.") % {
            "label": label,
            "first": _day_words(day),
            "last": _day_words(last_day),
        }
    if key in ("settle", "scar"):
        return _("%(label)s by about %(day)s.") % {"label": label, "day": _day_words(day)}
    return _("%(label)s: from about %(day)s.") % {"label": label, "day": _day_words(day)}


def _when(shape: Shape, day: int, last_day: int) -> str:
    if shape == "range":
        (first, unit), (_last, last_unit) = _unit(day), _unit(last_day)
        # "3 to 6 months" when both are counted the same way, else "2 weeks to 3 months".
        start = str(first) if unit == last_unit else in_words(day)
        # Translators: a range of time, such as "3 to 6 months" or "2 weeks to 3 months".
        return _("%(first)s to %(last)s") % {"first": start, "last": in_words(last_day)}
    if shape == "until":
        # Translators: short words in the timeline picture, such as "by 2 weeks".
        return _("by %(time)s") % {"time": in_words(day)}
    # Translators: short words in the timeline picture, such as "from 6 months".
    return _("from %(time)s") % {"time": in_words(day)}


def _ticks(end: int, marker_days: list[int]) -> tuple[Tick, ...]:
    """Choose axis labels that do not overlap: day 0, the markers' days, the end, round steps."""
    steps = (s for s in CALENDAR_STEPS if s < end)
    candidates = [0, *sorted(set(marker_days)), end, *steps]
    chosen: list[Tick] = []
    spans: list[tuple[float, float]] = []
    for day in candidates:
        if any(t.day == day for t in chosen):
            continue
        x = _position(day, end)
        label = _("Day 0") if day == 0 else in_words(day)
        width = len(label) * CHAR_WIDTH
        anchor: Anchor = "middle"
        left, right = x - width / 2, x + width / 2
        if left < 0:
            anchor, left, right = "start", x, x + width
        elif right > WIDTH:
            anchor, left, right = "end", x - width, x
        if any(left < b + TICK_GAP and a < right + TICK_GAP for a, b in spans):
            continue
        chosen.append(Tick(day=day, x=x, label=label, anchor=anchor))
        spans.append((left, right))
    return tuple(sorted(chosen, key=lambda t: t.day))


def _here(days: int, end: int, top: float) -> Here:
    x = _position(days, end)
    label = _("You are here: day %(day)d") % {"day": days}
    # Centre the bold label over the line, kept inside the picture.
    width = len(label) * BOLD_CHAR_WIDTH
    label_x = round(min(max(x - width / 2, 4.0), WIDTH - 4.0 - width), 1)
    if days < 0:
        sentence = ngettext(
            "Now: your treatment is %(num)d day away.",
            "Now: your treatment is %(num)d days away.",
            -days,
        ) % {"num": -days}
    elif days > end:
        sentence = _("Now: day %(day)d. That is past the right-hand end of the picture.") % {
            "day": days
        }
    else:
        sentence = _("Now: day %(day)d.") % {"day": days}
    return Here(
        day=days,
        x=x,
        clamped=days > end,
        label=label,
        label_x=label_x,
        label_y=top - 14,
        line_top=top - 6,
        pointer=f"M{x - 7:g} {top - 11:g}h14l-7 9z",
        sentence=sentence,
    )


def build_timeline(kb: Knowledge, procedure: str, days: int | None) -> TimelineView:
    """Lay out ``procedure``'s timeline, with "you are here" at ``days`` when it is known."""
    proc = kb.procedures[procedure]
    timeline = proc.timeline
    raw: list[tuple[str, str, Shape, int, int]] = []
    for key, label, shape in _POINTS:
        value = getattr(timeline, key)
        if value is None:
            continue
        first, last = value if isinstance(value, tuple) else (value, value)
        raw.append((key, _(label), shape, first, last))
    raw.sort(key=lambda r: (r[3], r[4]))  # stable: ties keep the order of _POINTS
    points = [(last if shape != "from" else first, shape) for _, _, shape, first, last in raw]
    end = _scale_end(points)

    top = 32.0 if days is not None else 8.0
    y = top
    markers: list[Marker] = []
    for key, label, shape, first, last in raw:
        when = _when(shape, first, last)
        texts = _label_lines(label, when)
        lines = tuple(TextLine(t, y + FONT + i * LINE_HEIGHT) for i, t in enumerate(texts))
        bar_y = y + len(texts) * LINE_HEIGHT + 4
        x, x_last = _position(first, end), _position(last, end)
        mid_y = bar_y + BAR_HEIGHT / 2
        bar_x, bar_end = (X0, x) if shape == "until" else (x, x_last)
        arrow = None
        if shape == "from":  # a line onwards to the right edge, with an arrowhead if it fits
            bar_end = x
            if X1 - x > 2 * ARROW:
                bar_end = X1 - ARROW
                arrow = f"M{X1:g} {mid_y:g}l{-ARROW:g} {-ARROW / 2:g}v{ARROW:g}z"
        markers.append(
            Marker(
                key=key,
                label=label,
                shape=shape,
                day=first,
                last_day=last,
                x=x,
                x_last=x_last,
                when=when,
                lines=lines,
                bar_y=bar_y,
                bar_x=bar_x,
                bar_end=bar_end,
                mid_y=mid_y,
                arrow=arrow,
                sentence=_sentence(key, label, first, last),
                status=_status(shape, first, last, days),
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    axis_y = y
    here = _here(days, end, top) if days is not None else None
    facts = [f"{m.sentence} {m.status}" if m.status else m.sentence for m in markers]
    if here is not None:
        facts.insert(0, here.sentence)
    end_words = in_words(end)
    short = proc.name.split(" (")[0]
    return TimelineView(
        procedure=procedure,
        name=proc.name,
        ident=f"timeline-{procedure.replace('_', '-')}",
        title=_("Timeline after %(procedure)s: what usually happens and when")
        % {"procedure": short},
        desc=_(
            "A line from the day of your treatment, on the left, to %(end)s, with a row "
            "for each stage. The list below says the same in words."
        )
        % {"end": end_words},
        caption=_(
            "Times are usual ones, counted from the day of your treatment. Yours may be "
            "a little different. The first weeks are drawn wider than later months so "
            "you can see them."
        ),
        summary=timeline.summary,
        end_day=end,
        end_words=end_words,
        width=WIDTH,
        height=axis_y + 32,
        x0=X0,
        x1=X1,
        font_size=FONT,
        bar_height=BAR_HEIGHT,
        axis_y=axis_y,
        top=top,
        ticks=_ticks(end, [p for m in markers for p in (m.day, m.last_day)]),
        markers=tuple(markers),
        here=here,
        facts=tuple(facts),
        sources=tuple(timeline.sources),
    )
