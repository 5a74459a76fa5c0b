"""The knowledge base loads, is complete, cites sources, and rejects broken data clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, read_knowledge
from reconsult.knowledge.schema import FactTest, OptionCode, ProcedureCode
from reconsult.knowledge.validation import CONTRACT_PROCEDURES
from tests.conftest import knowledge_check


def test_all_contract_procedures_have_timelines_and_red_flags(kb: Knowledge) -> None:
    assert set(kb.procedures) == CONTRACT_PROCEDURES
    for p in kb.procedures.values():
        assert p.timeline.settle <= p.timeline.judge
        assert p.red_flags, p.code


def test_catalogue_is_large_enough_and_every_rule_cites_a_known_source(kb: Knowledge) -> None:
    assert len(kb.findings) >= 60
    for finding in kb.findings.values():
        assert finding.phrasings
        for rule in finding.rules:
            assert rule.sources and all(s in kb.sources for s in rule.sources), rule.id


def test_every_option_code_is_described(kb: Knowledge) -> None:
    assert set(kb.options) == set(OptionCode)


def test_seed_articles_are_cited_by_file_name(kb: Knowledge) -> None:
    files = {s.file for s in kb.sources.values() if s.file}
    assert {
        "000_95c23b7c434915b0.txt",
        "003_c6ea9476a5a583b4.txt",
        "004_d95ac5a8869f4170.txt",
    } <= files


def _edit_finding(directory: Path, code: str, change: object) -> None:
    """Apply ``change(finding_dict)`` to one finding in the copied knowledge."""
    for path in (directory / "findings").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        for finding in data["findings"]:
            if finding["code"] == code:
                change(finding)  # type: ignore[operator]
                path.write_text(yaml.safe_dump(data, sort_keys=False))
                return
    raise AssertionError(f"no finding {code}")


def _set_rule(index: int, key: str, value: object) -> object:
    """A change that sets one field of one rule of a finding ("from" sets its first day)."""

    def change(finding: dict) -> None:  # type: ignore[type-arg]
        rule = finding["rules"][index]
        if key == "from":
            rule["days"] = {**rule.get("days", {}), "from": value}
        else:
            rule[key] = value

    return change


def _copy_rule_id(finding: dict) -> None:  # type: ignore[type-arg]
    finding["rules"][1]["id"] = finding["rules"][0]["id"]


def _dissolve_toxin(finding: dict) -> None:  # type: ignore[type-arg]
    for rule in finding["rules"]:
        if rule["id"] == "asymmetry-toxin-routine":
            rule["options"].append("dissolve_filler")


@pytest.mark.parametrize(
    ("code", "change", "message"),
    [
        # blanching: rule 0 covers days 0-14
        (
            "skin_blanching",
            _set_rule(1, "from", 20),
            r"skin_blanching: .* days 14-20 are not covered",
        ),
        ("skin_blanching", _set_rule(1, "from", 10), "overlap"),
        ("fever", _set_rule(0, "sources", ["my-blog"]), "unknown source 'my-blog'"),
        ("asymmetry", _dissolve_toxin, "asymmetry-toxin-routine offers dissolve_filler"),
        ("chest_pain", _set_rule(0, "urgency", "routine"), "chest-pain-any is a red flag"),
        ("fever", _copy_rule_id, "is used twice"),
    ],
    ids=["gap", "overlap", "unknown-source", "dissolve-toxin", "calm-red-flag", "duplicate-id"],
)
def test_broken_rules_are_rejected_with_a_clear_message(
    knowledge_copy: Path, code: str, change: object, message: str
) -> None:
    _edit_finding(knowledge_copy, code, change)
    with pytest.raises(KnowledgeError, match=message):
        read_knowledge(knowledge_copy)


def test_unknown_keys_and_enum_values_name_the_file_entry_and_allowed_values(
    knowledge_copy: Path,
) -> None:
    def typo(finding: dict) -> None:  # type: ignore[type-arg]
        finding["rules"][0]["urgncy"] = "emergency"
        finding["rules"][0]["urgency"] = "asap"

    _edit_finding(knowledge_copy, "fever", typo)
    with pytest.raises(KnowledgeError) as caught:
        read_knowledge(knowledge_copy)
    message = str(caught.value)
    assert "complications.yaml" in message and "(fever)" in message
    assert "urgncy: unknown key" in message
    assert "'emergency', 'urgent', 'soon', 'routine' or 'wait'" in message


@pytest.mark.parametrize(
    ("file", "key", "field"),
    [
        ("procedures.yaml", "procedures", "red_flags"),
        ("combinations.yaml", "combinations", "any_of"),
    ],
)
def test_naming_an_unknown_finding_is_an_error(
    knowledge_copy: Path, file: str, key: str, field: str
) -> None:
    path = knowledge_copy / file
    data = yaml.safe_load(path.read_text())
    data[key][0][field].append("ghost_finding")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(KnowledgeError, match=f"{file}: .*unknown finding 'ghost_finding'"):
        read_knowledge(knowledge_copy)


def test_knowledge_check_command_fails_clearly_on_bad_data(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (knowledge_copy / "policy.yaml").write_text("version: not-a-version\n")
    result = knowledge_check(knowledge_copy, monkeypatch)
    assert result.exit_code == 1
    assert "policy.yaml" in result.stderr


def test_knowledge_check_refuses_a_context_rule_that_cannot_read_its_own_example(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "worry about|watch for" is four chunks, not two two-word choices: the rule
    # silently needs "expect about for", and never read "should I expect".
    path = knowledge_copy / "context_rules.yaml"
    data = yaml.safe_load(path.read_text())
    rule = next(r for r in data["context_rules"] if r["literal"] == "should I expect")
    rule["pattern"] = "should|do|will i ~1 expect|worry about|watch for|look out"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = knowledge_check(knowledge_copy, monkeypatch)
    assert result.exit_code == 1
    assert "'should I expect' is not matched" in result.stderr


# --- fact rules: a case fact and one comparison, checked on load ---------------------


def _edit_fact_rule(directory: Path, when: object) -> None:
    """Set the first fact rule's ``when`` in the copied policy.yaml."""
    path = directory / "policy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fact_rules"][0]["when"] = when
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"fact": "prior_revisions"}, "give exactly one of equals, at_least, below"),
        (
            {"fact": "prior_revisions", "at_least": 1, "below": 3},
            r"given: at_least, below",
        ),
        ({"fact": "procedure", "at_least": 1}, "procedure is a code: compare it with equals"),
        ({"fact": "prior_revisions", "equals": "many"}, "prior_revisions is a number"),
        ({"fact": "procedure", "equals": 2}, "procedure is a code"),
        ({"fact": "procedure", "equals": "filler_ghost"}, "unknown procedure 'filler_ghost'"),
        ({"fact": "revisions", "at_least": 1}, "'procedure', 'days_since_procedure' or"),
        ("prior_revisions", "fact_rules.0.when"),
    ],
    ids=["none", "two", "code-compared", "number-equals-code", "code-equals-number",
         "unknown-procedure", "unknown-fact", "old-form"],
)  # fmt: skip
def test_broken_fact_rules_are_rejected_naming_the_rule(
    knowledge_copy: Path, when: object, message: str
) -> None:
    _edit_fact_rule(knowledge_copy, when)
    with pytest.raises(KnowledgeError, match=message) as caught:
        read_knowledge(knowledge_copy)
    assert "policy.yaml" in str(caught.value)


@pytest.mark.parametrize(
    ("when", "value", "holds"),
    [
        ({"fact": "prior_revisions", "at_least": 1}, 0, False),
        ({"fact": "prior_revisions", "at_least": 1}, 1, True),
        ({"fact": "days_since_procedure", "below": 14}, 13, True),
        ({"fact": "days_since_procedure", "below": 14}, 14, False),
        ({"fact": "days_since_procedure", "at_least": 0}, None, False),
        ({"fact": "days_since_procedure", "equals": 0}, 0, True),
        ({"fact": "procedure", "equals": "filler_unknown"}, ProcedureCode.filler_unknown, True),
        ({"fact": "procedure", "equals": "filler_unknown"}, ProcedureCode.rhinoplasty, False),
    ],
)
def test_a_fact_test_compares_the_case_value_as_day_windows_do(
    when: dict[str, object], value: object, holds: bool
) -> None:
    assert FactTest.model_validate(when).holds(value) is holds
