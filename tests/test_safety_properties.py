"""The safety rules of docs/architecture.md, tested as properties with Hypothesis."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reconsult.knowledge import load_knowledge
from reconsult.knowledge.schema import FindingKind, OptionCode, ProcedureKind, Urgency
from reconsult.triage.danger_questions import danger_questions
from reconsult.triage.decide import decide
from reconsult.triage.models import (
    Case,
    DetectedFinding,
    EarlierFinding,
    FindingStatus,
    ProcedureCode,
)
from reconsult.triage.open_findings import stale_after
from reconsult.triage.understand import reader_for
from tests.conftest import TODAY

KB = load_knowledge()
CODES = sorted(KB.findings)
EMERGENCY_FINDINGS = sorted(
    {w.finding for ws in KB.windows.values() for w in ws if w.rule.urgency is Urgency.emergency}
)
procedures = st.sampled_from(list(ProcedureCode))
days = st.one_of(st.none(), st.integers(min_value=0, max_value=3000))
statuses = st.sampled_from(list(FindingStatus))


def _finding(code: str, status: FindingStatus = FindingStatus.present) -> DetectedFinding:
    f = KB.findings[code]
    return DetectedFinding(
        code=code, label=f.label, kind=f.kind, status=status, quote=code, start=0, end=1
    )


def _case(procedure: ProcedureCode, day: int | None) -> Case:
    return Case(procedure=procedure, days_since_procedure=day, description="(findings given)")


finding_lists = st.lists(st.builds(_finding, st.sampled_from(CODES), statuses), max_size=6)


@given(procedures, days, finding_lists.filter(bool), st.sampled_from(CODES), statuses)
def test_adding_a_finding_never_lowers_urgency(procedure, day, base, extra, status) -> None:  # type: ignore[no-untyped-def]
    # Rule 1. The empty set is excluded: "nothing understood" has its own rule (3).
    case = _case(procedure, day)
    before = decide(KB, case, base, TODAY)
    after = decide(KB, case, [*base, _finding(extra, status)], TODAY)
    if before.understood:
        assert after.urgency.rank <= before.urgency.rank


@given(procedures, days, finding_lists)
def test_a_present_emergency_finding_makes_the_answer_emergency(procedure, day, others) -> None:  # type: ignore[no-untyped-def]
    # Rule 2: for every finding whose rule for this procedure and day is an emergency.
    case = _case(procedure, day)
    for code in EMERGENCY_FINDINGS:
        windows = KB.windows.get((code, procedure.value), [])
        chosen = (
            [w for w in windows if w.contains(day)]
            if day is not None
            else [min(windows, key=lambda w: w.rule.urgency.rank if w.rule.urgency else 9)]
            if windows
            else []
        )
        if chosen and chosen[0].rule.urgency is Urgency.emergency:
            result = decide(KB, case, [*others, _finding(code)], TODAY)
            assert result.urgency is Urgency.emergency, code


@given(
    procedures,
    days,
    st.lists(
        st.builds(
            _finding,
            st.sampled_from(CODES),
            statuses.filter(lambda s: s is not FindingStatus.present),
        ),
        max_size=4,
    ),
)
def test_nothing_present_is_never_wait_and_shows_red_flags(procedure, day, absent) -> None:  # type: ignore[no-untyped-def]
    # Rule 3 (context facts in the past still count, so leave them out here).
    absent = [f for f in absent if f.kind is not FindingKind.context]
    result = decide(KB, _case(procedure, day), absent, TODAY)
    assert not result.understood
    assert result.urgency is not Urgency.wait
    # The danger signs of this procedure and stage; with the day unknown, every red flag.
    asked = {KB.findings[q.code].label for q in danger_questions(KB, procedure.value, day)}
    assert asked <= set(result.watch_for)
    if day is None:
        red_flags = {KB.findings[c].label for c in KB.procedures[procedure.value].red_flags}
        assert red_flags <= set(result.watch_for)


@given(procedures, days, finding_lists)
def test_options_never_contradict_the_facts(procedure, day, findings) -> None:  # type: ignore[no-untyped-def]
    # Rule 5.
    result = decide(KB, _case(procedure, day), findings, TODAY)
    options = set(result.options)
    proc = KB.procedures[procedure.value]
    if OptionCode.dissolve_filler in options:
        assert procedure is ProcedureCode.filler_hyaluronic_acid
    if OptionCode.revision_surgery in options:
        assert proc.kind is ProcedureKind.surgery
        assert day is not None and day >= proc.timeline.revision
    if OptionCode.corrective_injection in options:
        assert day is not None and day >= proc.timeline.judge
    if result.urgency in (Urgency.emergency, Urgency.urgent):
        assert OptionCode.wait_and_monitor not in options
    if result.urgency is Urgency.wait:
        assert result.reassess_on is not None and result.reassess_on > TODAY


@given(procedures, days, finding_lists)
def test_same_input_same_output(procedure, day, findings) -> None:  # type: ignore[no-untyped-def]
    # Rule 6.
    case = _case(procedure, day)
    assert decide(KB, case, findings, TODAY) == decide(KB, case, findings, TODAY)


NEGATABLE = ["fever", "pus", "redness spreading", "double vision", "chest pain"]
PRESENT = {
    "my lip went white": "skin_blanching",
    "the redness is spreading": "spreading_redness",
    "I can't swallow": "swallowing_difficulty",
    "I'm seeing double": "double_vision",
}


@given(
    st.sampled_from(NEGATABLE),
    st.sampled_from(sorted(PRESENT)),
    st.sampled_from(["but", "however", "though", ", but"]),
)
def test_negation_never_crosses_but(negated, present, joiner) -> None:  # type: ignore[no-untyped-def]
    # Rule 4: "no X, but Y" keeps Y.
    text = f"No {negated} {joiner} {present}."
    findings = reader_for(KB).read(text, TODAY).findings
    kept = [f for f in findings if f.code == PRESENT[present] and f.start >= text.index(present)]
    assert kept and kept[0].status is FindingStatus.present, text


earlier_findings = st.lists(
    st.builds(
        EarlierFinding,
        finding=st.sampled_from(CODES),
        urgency=st.sampled_from(KB.policy.open_findings.levels),
        said_on=st.integers(min_value=0, max_value=10).map(lambda d: TODAY - dt.timedelta(days=d)),
        words=st.just("earlier words"),
    ),
    min_size=1,
    max_size=4,
)


@given(procedures, days, finding_lists, earlier_findings)
def test_an_open_finding_never_lowers_the_answer_and_holds_it_while_fresh(  # type: ignore[no-untyped-def]
    procedure, day, found, earlier
) -> None:
    # Issue 15: an earlier sign still open holds the answer at its level until stale.
    without = decide(KB, _case(procedure, day), found, TODAY)
    case = _case(procedure, day).model_copy(update={"earlier": earlier})
    held = decide(KB, case, found, TODAY)
    assert held.urgency.rank <= without.urgency.rank
    fresh = [e for e in earlier if TODAY <= stale_after(KB, e)]
    for e in fresh:
        assert held.urgency.rank <= e.urgency.rank
    if not fresh:
        assert held.urgency is without.urgency
