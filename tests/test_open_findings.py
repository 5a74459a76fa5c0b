"""The engine keeps a sign told earlier until it is closed or stale (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from reconsult.errors import CaseInputError
from reconsult.knowledge import Knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage import assess
from reconsult.triage.models import Case, EarlierFinding
from reconsult.triage.open_findings import stale_after, told_on
from tests.conftest import TODAY

WHITE_LIP = "My upper lip went white an hour after the filler and it really hurts"
BENIGN = "my lip is a bit swollen"


def lip(description: str, on: dt.date = TODAY, **kwargs: object) -> Case:
    days = (on - TODAY).days
    return Case(
        procedure="filler_hyaluronic_acid",  # type: ignore[arg-type]
        days_since_procedure=days,
        description=description,
        **kwargs,  # type: ignore[arg-type]
    )


def test_an_emergency_answer_lists_what_it_leaves_open() -> None:
    first = assess(lip(WHITE_LIP), TODAY)
    assert first.urgency is Urgency.emergency
    [blanching] = [e for e in first.open_findings if e.finding == "skin_blanching"]
    assert blanching.urgency is Urgency.emergency
    assert blanching.said_on == TODAY and blanching.words in WHITE_LIP


def test_the_next_answer_holds_quotes_the_date_and_asks(kb: Knowledge) -> None:
    first = assess(lip(WHITE_LIP), TODAY)
    later = assess(lip(BENIGN, earlier=first.open_findings), TODAY)
    assert later.urgency is Urgency.emergency
    held = [r for r in later.reasons if r.rule == "open-finding"]
    assert held and held == later.reasons[: len(held)]  # they decided the level: first
    words = {e.words for e in first.open_findings}
    for reason in held:
        assert reason.quote in words
        assert told_on(TODAY) in reason.text
        assert kb.policy.open_findings.question in reason.text
        assert reason.sources
    # Sent back again, they stay open with their first date: nothing new was told.
    assert later.open_findings == first.open_findings


def test_without_the_earlier_finding_the_same_words_are_calm() -> None:
    assert assess(lip(BENIGN), TODAY).urgency is Urgency.wait


def test_a_stale_finding_no_longer_holds(kb: Knowledge) -> None:
    first = assess(lip(WHITE_LIP), TODAY)
    last = max(stale_after(kb, e) for e in first.open_findings)
    assert assess(lip(BENIGN, last, earlier=first.open_findings), last).urgency is Urgency.emergency
    after = last + dt.timedelta(days=1)
    answer = assess(lip(BENIGN, after, earlier=first.open_findings), after)
    assert answer.urgency is not Urgency.emergency
    assert answer.open_findings == []
    assert not [r for r in answer.reasons if r.rule == "open-finding"]


def test_each_level_stays_open_as_long_as_the_knowledge_says(kb: Knowledge) -> None:
    policy = kb.policy.open_findings
    for level in policy.levels:
        earlier = EarlierFinding(finding="fever", urgency=level, said_on=TODAY, words="fever")
        days = (kb.findings["fever"].stays_open or policy.stays_open[level]).days
        assert stale_after(kb, earlier) == TODAY + dt.timedelta(days=days)
    # A white patch stays open for days, longer than an emergency sign's default.
    assert kb.findings["skin_blanching"].stays_open is not None
    assert kb.findings["skin_blanching"].stays_open.days > policy.stays_open[Urgency.emergency].days


def test_told_again_at_the_same_level_it_is_said_once_with_the_new_words() -> None:
    first = assess(lip(WHITE_LIP), TODAY)
    again = assess(lip("my lip is still white", earlier=first.open_findings), TODAY)
    assert again.urgency is Urgency.emergency
    blanching = [r for r in again.reasons if r.finding == "skin_blanching"]
    assert [r.rule for r in blanching] != ["open-finding"]
    assert len(blanching) == 1
    [kept] = [e for e in again.open_findings if e.finding == "skin_blanching"]
    assert kept.words in "my lip is still white"


def test_an_earlier_finding_never_lowers_the_answer() -> None:
    soon = EarlierFinding(finding="fever", urgency=Urgency.soon, said_on=TODAY, words="a temp")
    assert assess(lip(WHITE_LIP, earlier=[soon]), TODAY).urgency is Urgency.emergency


@pytest.mark.parametrize(
    ("earlier", "message"),
    [
        (
            EarlierFinding(finding="no_such", urgency=Urgency.urgent, said_on=TODAY, words="x"),
            "unknown finding",
        ),
        (
            EarlierFinding(finding="fever", urgency=Urgency.wait, said_on=TODAY, words="x"),
            "only emergency, urgent, soon",
        ),
    ],
)
def test_an_earlier_finding_the_engine_cannot_use_is_refused_plainly(
    earlier: EarlierFinding, message: str
) -> None:
    with pytest.raises(CaseInputError, match=message):
        assess(lip(BENIGN, earlier=[earlier]), TODAY)


def test_a_date_a_time_zone_ahead_holds_as_if_told_today() -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    ahead = EarlierFinding(finding="fever", urgency=Urgency.urgent, said_on=tomorrow, words="38.9")
    answer = assess(lip(BENIGN, earlier=[ahead]), TODAY)
    assert answer.urgency is Urgency.urgent
    assert answer.open_findings == [ahead]
