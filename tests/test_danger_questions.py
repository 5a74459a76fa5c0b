"""The danger questions: which are asked when, what the answers do, and the data's checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reconsult.errors import CaseInputError, KnowledgeError
from reconsult.knowledge import Knowledge, load_knowledge, read_knowledge
from reconsult.knowledge.schema import Urgency
from reconsult.triage import assess
from reconsult.triage.danger_questions import danger_questions, questions_for, questions_left
from reconsult.triage.models import Case, FindingSource, FindingStatus
from tests.conftest import TODAY, knowledge_check


def asked(kb: Knowledge, procedure: str, days: int | None) -> list[str]:
    return [q.code for q in danger_questions(kb, procedure, days)]


# --- which questions, when ---------------------------------------------------------


def test_a_nose_at_four_months_is_not_asked_about_clots(kb: Knowledge) -> None:
    codes = asked(kb, "rhinoplasty", 120)
    assert "chest_pain" not in codes
    assert "calf_swelling" not in codes
    assert {"suicidal_thoughts", "anaphylaxis"} <= set(codes)


def test_a_nose_three_days_after_surgery_is_asked_about_clots_and_bleeding(
    kb: Knowledge,
) -> None:
    codes = asked(kb, "rhinoplasty", 3)
    assert {"chest_pain", "calf_swelling", "heavy_bleeding", "septal_haematoma"} <= set(codes)


@pytest.mark.parametrize("procedure", sorted(load_knowledge().procedures))
def test_unknown_days_ask_every_question_for_the_procedure(kb: Knowledge, procedure: str) -> None:
    unknown = asked(kb, procedure, None)
    assert unknown == [q.code for q in questions_for(kb, procedure)]
    for days in (0, 3, 20, 60, 120, 200, 400, 5000):
        assert set(asked(kb, procedure, days)) <= set(unknown)
    # Every warning sign of the procedure is among them, in the procedure's order first.
    red_flags = kb.procedures[procedure].red_flags
    assert unknown[: len(red_flags)] == red_flags


@pytest.mark.parametrize("procedure", sorted(load_knowledge().procedures))
@pytest.mark.parametrize("days", [0, 1, 30, 89, 90, 365, 3650, None])
def test_suicidal_thoughts_and_allergic_reactions_are_always_asked(
    kb: Knowledge, procedure: str, days: int | None
) -> None:
    assert {"suicidal_thoughts", "anaphylaxis"} <= set(asked(kb, procedure, days))


def test_blocked_vessel_signs_are_asked_in_the_first_weeks_after_filler(kb: Knowledge) -> None:
    vessel = {"skin_blanching", "slow_colour_return", "skin_mottling", "filler_blisters"}
    assert vessel <= set(asked(kb, "filler_hyaluronic_acid", 2))
    assert not vessel & set(asked(kb, "filler_hyaluronic_acid", 60))
    assert not vessel & set(asked(kb, "rhinoplasty", 2))  # not a filler


def test_botox_spread_signs_are_asked_while_the_toxin_works(kb: Knowledge) -> None:
    assert "swallowing_difficulty" in asked(kb, "botulinum_toxin", 100)
    assert "swallowing_difficulty" not in asked(kb, "botulinum_toxin", 200)


def test_signs_the_words_report_or_deny_are_not_asked_again(kb: Knowledge) -> None:
    words = "I have no fever. One eyelid droops a bit."
    findings = assess(
        Case(procedure="blepharoplasty", days_since_procedure=5, description=words),  # type: ignore[arg-type]
        TODAY,
        kb,
    ).findings
    left = [q.code for q in questions_left(kb, "blepharoplasty", 5, findings)]
    assert "fever" not in left
    assert "eyelid_droop" not in left
    assert "orbital_haemorrhage" in left


def test_each_question_is_plain_words_in_the_second_person(kb: Knowledge) -> None:
    for q in kb.danger_questions.values():
        assert q.question[0].isupper(), q.code
        assert not q.question.endswith("."), q.code
        assert len(q.question) <= 90, q.code


# --- what the answers do -------------------------------------------------------------


def case(**fields: Any) -> Case:
    base: dict[str, Any] = {
        "procedure": "rhinoplasty",
        "days_since_procedure": 3,
        "description": "My nose is swollen and a bit sore.",
    }
    return Case.model_validate(base | fields)


def test_a_yes_to_an_emergency_sign_gives_emergency_whatever_the_words() -> None:
    calm = case(description="I have no chest pain. My nose is swollen.")
    assert assess(calm, TODAY).urgency is not Urgency.emergency
    answer = assess(calm.model_copy(update={"signs": {"chest_pain": True}}), TODAY)
    assert answer.urgency is Urgency.emergency
    ticked = [f for f in answer.findings if f.source is FindingSource.checklist]
    assert [(f.code, f.status) for f in ticked] == [("chest_pain", FindingStatus.present)]


def test_a_no_does_not_hide_words_that_report_the_sign() -> None:
    words = "Since this morning I have chest pain and my nose is swollen."
    answer = assess(case(description=words, signs={"chest_pain": False}), TODAY)
    assert answer.urgency is Urgency.emergency
    assert [(f.status, f.source) for f in answer.findings if f.code == "chest_pain"] == [
        (FindingStatus.present, FindingSource.words)
    ]


def test_a_no_is_kept_as_a_denial_from_the_checklist() -> None:
    answer = assess(case(signs={"fever": False, "chest_pain": False}), TODAY)
    denied = {f.code for f in answer.findings if f.status is FindingStatus.negated}
    assert denied == {"fever", "chest_pain"}
    assert answer.urgency is assess(case(), TODAY).urgency


def test_a_tick_and_a_no_for_the_same_sign_count_as_a_yes() -> None:
    answer = assess(case(confirmed_signs=["chest_pain"], signs={"chest_pain": False}), TODAY)
    assert answer.urgency is Urgency.emergency


def test_unknown_sign_codes_are_named_in_the_error() -> None:
    with pytest.raises(CaseInputError, match=r"^signs: .*glowing_ears, purple_toes") as caught:
        assess(case(signs={"purple_toes": True, "glowing_ears": False, "fever": True}), TODAY)
    assert "fever" not in str(caught.value)


def test_answers_must_be_true_or_false() -> None:
    with pytest.raises(ValueError, match="valid boolean"):
        case(signs={"fever": "yes"})


ANSWERS = st.dictionaries(
    st.sampled_from(sorted(load_knowledge().danger_questions)), st.booleans(), max_size=6
)
WORDS = [
    "My nose is still swollen and it looks a bit uneven",
    "I have chest pain and my calf is swollen",
    "No fever, but the redness is spreading",
    "My lip has gone white and it hurts",
    "I am not happy with how it looks",
    "Something feels off",
]


@given(
    procedure=st.sampled_from(sorted(load_knowledge().procedures)),
    days=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
    words=st.sampled_from(WORDS),
    answers=ANSWERS,
)
def test_answers_only_ever_raise_the_urgency(
    procedure: str, days: int | None, words: str, answers: dict[str, bool]
) -> None:
    """Safety rules 1 and 8: a yes never lowers the answer; a no never changes it."""
    kb = load_knowledge()
    plain = Case.model_validate(
        {"procedure": procedure, "days_since_procedure": days, "description": words}
    )
    words_only = assess(plain, TODAY, kb).urgency
    with_answers = assess(plain.model_copy(update={"signs": answers}), TODAY, kb).urgency
    only_noes = dict.fromkeys(answers, False)
    assert with_answers.rank <= words_only.rank
    assert assess(plain.model_copy(update={"signs": only_noes}), TODAY, kb).urgency is words_only


# --- the data's checks ---------------------------------------------------------------


Data = dict[str, Any]


def _question(data: Data, code: str) -> Data:
    entry: Data = next(q for q in data["danger_questions"] if q["code"] == code)
    return entry


def _rename(data: Data) -> None:
    _question(data, "chest_pain")["code"] = "chest_ache"


def _ghost_procedure(data: Data) -> None:
    _question(data, "chest_pain")["asked"][0]["procedures"] = ["surgery", "tattoo_removal"]


def _ghost_source(data: Data) -> None:
    _question(data, "fever")["asked"][0]["sources"] = ["my-blog"]


def _never_for_noses(data: Data) -> None:
    window = _question(data, "septal_haematoma")["asked"][0]
    window["procedures"] = ["other_surgery"]


def _twice(data: Data) -> None:
    entry = _question(data, "chest_pain")
    entry["asked"].append({"procedures": ["rhinoplasty"], "sources": ["vte-after-surgery"]})


def _no_such_point(data: Data) -> None:
    _question(data, "skin_blanching")["asked"][0]["days"] = {"to": "scar"}


def _unknown_key(data: Data) -> None:
    _question(data, "fever")["asked"][0]["dayz"] = {"to": 3}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_rename, r"chest_ache: unknown finding code 'chest_ache'"),
        (_ghost_procedure, r"unknown procedure or group 'tattoo_removal'"),
        (_ghost_source, r"fever: asked\[0\]: unknown source 'my-blog'"),
        (_never_for_noses, r"rhinoplasty.red_flags: septal_haematoma is never asked"),
        (_twice, r"chest_pain: asked\[1\]: asked twice for rhinoplasty"),
        (_no_such_point, r"skin_blanching: asked\[0\]: filler_hyaluronic_acid has no such"),
        (_unknown_key, r"danger_questions.yaml: .*\(fever\): asked.0.dayz: unknown key"),
    ],
    ids=[
        "unknown-finding",
        "unknown-procedure",
        "unknown-source",
        "red-flag-never-asked",
        "asked-twice",
        "no-timeline-point",
        "unknown-key",
    ],
)
def test_broken_danger_questions_are_rejected_clearly(
    knowledge_copy: Path, change: Callable[[Data], None], message: str
) -> None:
    path = knowledge_copy / "danger_questions.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with pytest.raises(KnowledgeError, match=message):
        read_knowledge(knowledge_copy)


def test_knowledge_check_fails_on_a_red_flag_that_is_never_asked(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = knowledge_copy / "danger_questions.yaml"
    data = yaml.safe_load(path.read_text())
    _never_for_noses(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    result = knowledge_check(knowledge_copy, monkeypatch)
    assert result.exit_code == 1
    assert "septal_haematoma is never asked" in result.stderr


def test_every_window_cites_known_sources(kb: Knowledge) -> None:
    for q in kb.danger_questions.values():
        for window in q.asked:
            assert window.sources and set(window.sources) <= set(kb.sources), q.code


def test_a_ticked_sign_never_lowers_words_that_were_not_understood() -> None:
    """Found by the property above: only a ticked sign understood, the words' answer stands."""
    kb = load_knowledge()
    plain = Case(
        procedure="abdominoplasty", days_since_procedure=0, description="Something feels off"
    )
    words_only = assess(plain, TODAY, kb)
    ticked = assess(plain.model_copy(update={"signs": {"one_sided_swelling": True}}), TODAY, kb)
    assert words_only.urgency is Urgency.soon
    assert ticked.urgency.rank <= words_only.urgency.rank
    assert "Something feels off" in ticked.unrecognised_text
