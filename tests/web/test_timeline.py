"""The timeline picture: every number from the knowledge base, in day order, readable."""

from __future__ import annotations

import dataclasses
import re

import pytest

from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import ProcedureCode
from reconsult.web.templating import templates
from reconsult.web.views.timeline import (
    CHAR_WIDTH,
    MAX_CHARS,
    TimelineView,
    build_timeline,
    in_words,
)

PROCEDURES = [code.value for code in ProcedureCode]
LABELS = {
    "settle": "Swelling and bruising settle",
    "judge": "Fair time to judge the result",
    "revision": "Earliest time for a correction or revision",
    "scar": "Scars mature",
    "fade": "Product wears off",
}


def expected_days(kb: Knowledge, code: str) -> dict[str, tuple[int, int]]:
    """The knowledge base's timeline points for a procedure, as (first, last) days."""
    t = kb.procedures[code].timeline
    days = {"settle": (t.settle, t.settle), "judge": (t.judge, t.judge)}
    days["revision"] = (t.revision, t.revision)
    if t.scar is not None:
        days["scar"] = (t.scar, t.scar)
    if t.fade is not None:
        days["fade"] = t.fade
    return days


def render(view: TimelineView) -> str:
    return templates.env.get_template("_timeline.html").render(timeline=view)


@pytest.mark.parametrize("code", PROCEDURES)
def test_markers_are_the_knowledge_base_points_in_plain_words(kb: Knowledge, code: str) -> None:
    view = build_timeline(kb, code, None)
    got = {m.key: (m.day, m.last_day) for m in view.markers}
    assert got == expected_days(kb, code)
    for m in view.markers:
        assert m.label == LABELS[m.key]


@pytest.mark.parametrize("code", PROCEDURES)
def test_markers_run_in_day_order_left_to_right(kb: Knowledge, code: str) -> None:
    view = build_timeline(kb, code, None)
    days = [m.day for m in view.markers]
    assert days == sorted(days), "rows go top to bottom in day order"
    by_day = sorted(view.markers, key=lambda m: m.day)
    xs = [m.x for m in by_day]
    assert xs == sorted(xs)
    for m in view.markers:
        assert view.x0 <= m.x <= m.x_last <= view.x1
        if m.day < m.last_day:
            assert m.x < m.x_last
    assert all(a.x < b.x for a, b in zip(view.ticks, view.ticks[1:], strict=False))


@pytest.mark.parametrize("code", PROCEDURES)
def test_day_zero_is_the_left_edge_and_the_scale_reaches_every_point(
    kb: Knowledge, code: str
) -> None:
    view = build_timeline(kb, code, None)
    assert view.ticks[0].day == 0 and view.ticks[0].x == view.x0
    assert view.ticks[0].label == "Day 0"
    assert view.end_day >= max(last for _, last in expected_days(kb, code).values())


@pytest.mark.parametrize("code", PROCEDURES)
def test_early_healing_is_visible_not_squashed_at_the_left(kb: Knowledge, code: str) -> None:
    view = build_timeline(kb, code, None)
    settle = next(m for m in view.markers if m.key == "settle")
    assert settle.x - view.x0 >= 0.25 * (view.x1 - view.x0)


@pytest.mark.parametrize("code", PROCEDURES)
def test_words_fit_and_ticks_do_not_overlap(kb: Knowledge, code: str) -> None:
    view = build_timeline(kb, code, 10)
    for m in view.markers:
        assert all(len(line.text) <= MAX_CHARS for line in m.lines)
        assert m.label in " ".join(line.text for line in m.lines)
    spans = []
    for tick in view.ticks:
        width = len(tick.label) * CHAR_WIDTH
        left = {"start": tick.x, "middle": tick.x - width / 2, "end": tick.x - width}[tick.anchor]
        assert 0 <= left and left + width <= view.width
        spans.append((left, left + width))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert view.here is not None
    assert 0 <= view.here.label_x <= view.width - len(view.here.label) * 0.6 * view.font_size


def test_you_are_here_is_absent_without_a_day(kb: Knowledge) -> None:
    view = build_timeline(kb, "rhinoplasty", None)
    assert view.here is None
    assert not any(f.startswith("Now") for f in view.facts)
    assert "You are here" not in render(view)


def test_you_are_here_sits_on_its_day(kb: Knowledge) -> None:
    view = build_timeline(kb, "rhinoplasty", 10)
    assert view.here is not None and not view.here.clamped
    settle = next(m for m in view.markers if m.key == "settle")
    assert view.x0 < view.here.x < settle.x  # day 10 is before swelling settles
    assert view.facts[0] == "Now: day 10."
    html = render(view)
    assert "You are here: day 10" in html
    assert re.search(r'<li class="timeline__now">Now: day 10\.</li>', html)


def test_you_are_here_moves_right_as_days_pass(kb: Knowledge) -> None:
    xs = []
    for days in (0, 1, 3, 7, 14, 30, 90, 180, 365):
        here = build_timeline(kb, "facelift", days).here
        assert here is not None
        xs.append(here.x)
    assert xs == sorted(xs) and xs[0] == build_timeline(kb, "facelift", 0).x0


def test_you_are_here_is_clamped_beyond_the_end(kb: Knowledge) -> None:
    end = build_timeline(kb, "filler_unknown", None).end_day
    view = build_timeline(kb, "filler_unknown", end * 10)
    assert view.here is not None and view.here.clamped
    assert view.here.x == view.x1
    assert f"You are here: day {end * 10}" in render(view)
    assert "past the right-hand end of the picture" in view.facts[0]
    assert all("You have reached this point." in fact for fact in view.facts[1:])


def test_facts_say_where_now_is_relative_to_each_point(kb: Knowledge) -> None:
    view = build_timeline(kb, "filler_hyaluronic_acid", 10)
    settle = kb.procedures["filler_hyaluronic_acid"].timeline.settle
    assert f"by about day {settle}" in view.facts[1]
    assert f"That is {settle - 10} days from now." in view.facts[1]


def test_every_number_comes_from_the_knowledge_base(kb: Knowledge) -> None:
    """Change the knowledge base's timeline and the picture follows."""
    proc = kb.procedures["botulinum_toxin"]
    timeline = proc.timeline.model_copy(
        update={"settle": 3, "judge": 21, "revision": 28, "scar": 60, "fade": (100, 200)}
    )
    procedures = {**kb.procedures, proc.code: proc.model_copy(update={"timeline": timeline})}
    changed = dataclasses.replace(kb, procedures=procedures)
    view = build_timeline(changed, "botulinum_toxin", None)
    assert {m.key: (m.day, m.last_day) for m in view.markers} == {
        "settle": (3, 3),
        "judge": (21, 21),
        "revision": (28, 28),
        "scar": (60, 60),
        "fade": (100, 200),
    }
    text = " ".join(view.facts)
    assert "by about day 3." in text and "day 100 (100 days) and day 200" not in text
    assert "between about day 100 and day 200" in text


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "1 day"),
        (10, "10 days"),
        (7, "1 week"),
        (14, "2 weeks"),
        (42, "6 weeks"),
        (30, "1 month"),
        (90, "3 months"),
        (180, "6 months"),
        (365, "1 year"),
        (730, "2 years"),
    ],
)
def test_days_in_plain_words(days: int, words: str) -> None:
    assert in_words(days) == words


def test_picture_is_an_accessible_inline_svg_with_the_same_facts_in_words(kb: Knowledge) -> None:
    view = build_timeline(kb, "breast_augmentation", 40)
    html = render(view)
    assert html.lstrip().startswith('<figure class="timeline"')
    svg = re.search(r"<svg [^>]*>", html)
    assert svg is not None
    assert 'role="img"' in svg.group(0) and "viewBox=" in svg.group(0)
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg.group(0))
    described = re.search(r'aria-describedby="([^"]+)"', svg.group(0))
    assert labelled and described
    assert f'<title id="{labelled.group(1)}">' in html
    assert f'<desc id="{described.group(1)}">' in html
    assert "<figcaption" in html
    items = re.findall(r"<li[^>]*>(.*?)</li>", html)
    assert items == list(view.facts)
    for m in view.markers:
        assert any(item.startswith(m.label) for item in items)
    # No scripts and nothing fetched from elsewhere.
    assert "<script" not in html
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html)
