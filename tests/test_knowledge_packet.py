"""packet.yaml: the packet's questions and expectations are sourced, complete and checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, read_knowledge


def test_four_questions_in_order_each_citing_known_sources(kb: Knowledge) -> None:
    questions = list(kb.packet.questions.in_order())
    assert len(questions) == 4
    assert questions[0].text.startswith("Why")
    assert "cost" in questions[2].text and "revisions" in questions[3].text
    for question in questions:
        assert question.sources and set(question.sources) <= set(kb.sources)


def test_every_procedure_gets_expectations_that_cite_known_sources(kb: Knowledge) -> None:
    for code in kb.procedures:
        points = [e for e in kb.packet.expectations if code in kb.expand(e.procedures)]
        assert points, code
    for e in kb.packet.expectations:
        assert e.sources and set(e.sources) <= set(kb.sources), e.id


def test_seed_articles_back_the_questions_and_expectations(kb: Knowledge) -> None:
    cited = {s for q in kb.packet.questions.in_order() for s in q.sources}
    cited |= {s for e in kb.packet.expectations for s in e.sources}
    assert {"seed-secondary-surgery", "seed-botched-botox", "seed-secondary-rhinoplasty"} <= cited


def test_knowledge_version_was_bumped_for_the_packet(kb: Knowledge) -> None:
    major, minor, _ = (int(part) for part in kb.version.split("."))
    assert (major, minor) >= (0, 4)


# --- broken data is refused with the file and field named ---------------------------


def _edit(directory: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = directory / "packet.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _unknown_source(data: dict[str, Any]) -> None:
    data["questions"]["cost"]["sources"] = ["my-blog"]


def _no_sources(data: dict[str, Any]) -> None:
    data["expectations"][0]["sources"] = []


def _unknown_procedure(data: dict[str, Any]) -> None:
    data["expectations"][0]["procedures"] = ["tattoo"]


def _missing_question(data: dict[str, Any]) -> None:
    del data["questions"]["experience"]


def _placeholder_typo(data: dict[str, Any]) -> None:
    data["wording"]["urgency_said"] = "On {dtae} reconsult said: {headline}"


def _stray_brace(data: dict[str, Any]) -> None:
    data["wording"]["history_heading"] = "History {"


def _unknown_key(data: dict[str, Any]) -> None:
    data["expectations"][0]["txet"] = "typo"


def _duplicate_id(data: dict[str, Any]) -> None:
    data["expectations"][1]["id"] = data["expectations"][0]["id"]


def _uncovered(data: dict[str, Any]) -> None:
    data["expectations"] = [e for e in data["expectations"] if e["procedures"] == ["rhinoplasty"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_unknown_source, r"packet.yaml: questions.cost: unknown source 'my-blog'"),
        (_no_sources, r"packet.yaml: expectations.0.sources: List should have at least 1 item"),
        (_unknown_procedure, r"expectation no-guarantee: unknown procedure or group 'tattoo'"),
        (_missing_question, r"packet.yaml: questions.experience: Field required"),
        (_placeholder_typo, r"urgency_said: placeholders \['dtae', 'headline'\] but expected"),
        (_stray_brace, r"history_heading: Single '\{' encountered"),
        (_unknown_key, r"packet.yaml: expectations.0.txet: unknown key"),
        (_duplicate_id, r"expectation id 'no-guarantee' is used twice"),
        (_uncovered, r"no expectation applies to \['abdominoplasty'"),
    ],
    ids=[
        "unknown-source",
        "no-sources",
        "unknown-procedure",
        "missing-question",
        "placeholder-typo",
        "stray-brace",
        "unknown-key",
        "duplicate-id",
        "uncovered-procedure",
    ],
)
def test_broken_packet_data_is_rejected_with_a_clear_message(
    knowledge_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit(knowledge_copy, change)
    with pytest.raises(KnowledgeError, match=message):
        read_knowledge(knowledge_copy)


def test_missing_packet_file_is_an_error(knowledge_copy: Path) -> None:
    (knowledge_copy / "packet.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"packet.yaml: file is missing"):
        read_knowledge(knowledge_copy)
