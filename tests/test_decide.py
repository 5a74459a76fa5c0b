"""Deciding: levels, gated options, dates, fallbacks, and what every answer carries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from reconsult.errors import CaseInputError
from reconsult.knowledge import Knowledge, read_knowledge
from reconsult.knowledge.schema import NUMBER_FACTS, CaseFact, OptionCode, Urgency
from reconsult.triage import assess
from reconsult.triage.models import Case, FindingSource, TimingSource
from tests.conftest import TODAY, answer, make_case

Opt = OptionCode


def test_filler_occlusion_signs_are_an_emergency_with_dissolving_for_ha() -> None:
    a = answer("An hour ago my lip went white and now it's blotchy purple.", days=0)
    assert a.urgency is Urgency.emergency
    assert {Opt.emergency_care, Opt.contact_provider_now, Opt.dissolve_filler} <= set(a.options)
    assert Opt.wait_and_monitor not in a.options


@pytest.mark.parametrize("procedure", ["filler_non_hyaluronic", "filler_unknown"])
def test_never_dissolving_a_filler_that_may_not_be_hyaluronic_acid(procedure: str) -> None:
    a = answer("My lip went white and now it's blotchy purple.", procedure=procedure, days=0)
    assert a.urgency is Urgency.emergency
    assert Opt.dissolve_filler not in a.options


def test_toxin_asymmetry_waits_until_day_14_then_allows_correction() -> None:
    early = answer("My eyebrows look uneven.", procedure="botulinum_toxin", days=4)
    assert early.urgency is Urgency.wait
    assert Opt.corrective_injection not in early.options
    assert early.reassess_on == TODAY + dt.timedelta(days=10)
    late = answer("My eyebrows look uneven.", procedure="botulinum_toxin", days=20)
    assert late.urgency is Urgency.routine
    assert Opt.corrective_injection in late.options
    assert Opt.dissolve_filler not in late.options


def test_no_revision_surgery_before_the_nose_has_settled() -> None:
    early = answer("I hate the bump on my nose.", procedure="rhinoplasty", days=150)
    assert early.urgency is Urgency.wait
    assert Opt.revision_surgery not in early.options
    late = answer("I hate the bump on my nose.", procedure="rhinoplasty", days=400)
    assert late.urgency is Urgency.routine
    assert Opt.revision_surgery in late.options


def test_unknown_days_take_the_more_careful_answer_and_say_so() -> None:
    a = answer("My scar is red and raised.", procedure="abdominoplasty", days=None)
    assert a.urgency is Urgency.routine  # never "wait" without a date
    assert a.timing_source is TimingSource.unknown
    assert a.reassess_on is None
    assert Opt.revision_surgery not in a.options
    assert any("do not know how long ago" in r.text for r in a.reasons)


def test_days_in_words_are_used_when_the_intake_has_none() -> None:
    a = answer(
        "3 months after my tummy tuck the scar is red and raised.",
        procedure="abdominoplasty",
        days=None,
    )
    assert a.urgency is Urgency.wait
    assert a.days_since_procedure == 91
    assert a.timing_source is TimingSource.words


def test_words_not_understood_are_never_wait_and_show_red_flags(kb: Knowledge) -> None:
    a = answer("Something feels off with it.", procedure="facelift", days=3)
    assert not a.understood
    assert a.urgency is Urgency.soon
    assert a.unrecognised_text == ["Something feels off with it."]
    red_flags = {kb.findings[c].label for c in kb.procedures["facelift"].red_flags}
    assert red_flags <= set(a.watch_for)


def test_worries_are_added_to_the_watch_list_not_to_the_level() -> None:
    a = answer("My lips are a bit swollen. What if I get a fever?", days=1)
    assert a.urgency is Urgency.wait
    assert "a fever or high temperature" in a.watch_for


def test_a_new_clause_ends_a_worry_so_a_real_sign_is_kept() -> None:
    # Deliberately conservative: after "and my" the words may describe something real.
    a = answer("I'm worried about infection and my lip went white.", days=1)
    assert a.urgency is Urgency.emergency


def test_prior_revisions_bring_a_second_opinion_and_records() -> None:
    a = answer("I don't like the shape.", procedure="rhinoplasty", days=800, prior_revisions=2)
    assert {Opt.second_opinion, Opt.request_records} <= set(a.options)
    assert "fact-prior-revision-second-opinion" in [r.rule for r in a.reasons]


def test_every_answer_carries_rules_sources_and_version(kb: Knowledge) -> None:
    a = answer("My lips are swollen.", days=1)
    assert a.rules_fired == ["swelling-injectable-early-wait"]
    assert a.knowledge_version == kb.version
    assert a.sources and all(s.id in kb.sources for s in a.sources)
    assert all(r.sources for r in a.reasons)


def test_policy_reasons_are_cited_too() -> None:
    a = answer("Something feels off with it.", procedure="facelift", days=None)
    assert a.reasons and all(r.sources for r in a.reasons)


def test_toxin_fade_dates_are_given() -> None:
    a = answer("I look frozen.", procedure="botulinum_toxin", days=30)
    assert a.product_fades_between is not None
    first, last = a.product_fades_between
    assert TODAY < first < last


def test_the_deciding_reason_comes_first() -> None:
    a = answer("My lips are a bit swollen and I have a fever.", days=3)
    assert a.urgency is Urgency.urgent
    assert a.reasons[0].finding == "fever"


class TestConfirmedSigns:
    """Warning signs ticked on the web checklist count as present findings."""

    def test_ticked_emergency_sign_makes_emergency(self) -> None:
        case = Case(
            procedure="filler_hyaluronic_acid",  # type: ignore[arg-type]
            days_since_procedure=1,
            description="My lips look uneven.",
            confirmed_signs=["skin_blanching"],
        )
        result = assess(case, TODAY)
        assert result.urgency is Urgency.emergency
        ticked = [f for f in result.findings if f.source is FindingSource.checklist]
        assert [f.code for f in ticked] == ["skin_blanching"]
        assert ticked[0].start is None

    def test_ticked_sign_overrides_a_denial_in_the_words(self) -> None:
        case = Case(
            procedure="filler_hyaluronic_acid",  # type: ignore[arg-type]
            days_since_procedure=1,
            description="No white patches. My lips look uneven.",
            confirmed_signs=["skin_blanching"],
        )
        assert assess(case, TODAY).urgency is Urgency.emergency

    def test_unknown_sign_code_is_a_clear_error(self) -> None:
        case = Case(
            procedure="botulinum_toxin",  # type: ignore[arg-type]
            description="My brow is low.",
            confirmed_signs=["no_such_sign"],
        )
        with pytest.raises(CaseInputError, match="no_such_sign"):
            assess(case, TODAY)


class TestFactRules:
    """Fact rules are data: decide reads the case fact each one names, whatever its kind."""

    def test_every_case_fact_is_a_field_of_the_case(self) -> None:
        assert {fact.value for fact in CaseFact} <= set(Case.model_fields)
        assert NUMBER_FACTS <= set(CaseFact)

    def test_the_unknown_filler_rule_asks_for_records_only_for_unknown_filler(self) -> None:
        unknown = answer("My lips look uneven.", procedure="filler_unknown", days=30)
        known = answer("My lips look uneven.", procedure="filler_hyaluronic_acid", days=30)
        assert "fact-unknown-filler-records" in [r.rule for r in unknown.reasons]
        assert Opt.request_records in unknown.options
        assert "fact-unknown-filler-records" not in [r.rule for r in known.reasons]

    def test_no_prior_revision_no_fact_reason(self) -> None:
        a = answer("I don't like the shape.", procedure="rhinoplasty", days=800)
        assert "fact-prior-revision-second-opinion" not in [r.rule for r in a.reasons]

    def test_a_new_kind_of_fact_rule_needs_only_data(self, knowledge_copy: Path) -> None:
        path = knowledge_copy / "policy.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["fact_rules"].append(
            {
                "id": "fact-a-year-on",
                "when": {"fact": "days_since_procedure", "at_least": 365},
                "procedures": ["rhinoplasty"],
                "options": ["second_opinion"],
                "reason": "A year on, the result is what it will be.",
                "sources": data["fact_rules"][0]["sources"],
            }
        )
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        kb = read_knowledge(knowledge_copy)

        def rules(days: int | None, procedure: str = "rhinoplasty") -> list[str | None]:
            case = make_case(description="I don't like the shape.", procedure=procedure, days=days)
            return [r.rule for r in assess(case, TODAY, kb).reasons]

        assert "fact-a-year-on" in rules(400)
        assert "fact-a-year-on" not in rules(364)
        assert "fact-a-year-on" not in rules(None)  # unknown days pass no test
        assert "fact-a-year-on" not in rules(400, procedure="facelift")
