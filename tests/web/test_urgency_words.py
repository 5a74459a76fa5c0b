"""Each urgency level is worded once (policy.yaml), and every place a person reads it agrees."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from starlette.testclient import TestClient
from typer.testing import CliRunner

import reconsult.knowledge as knowledge_package
from reconsult.cli import app as cli_app
from reconsult.cli.render import render
from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.knowledge.loader import KNOWLEDGE_DIR
from reconsult.knowledge.schema import URGENCY_ORDER, Urgency
from reconsult.triage import Case, assess
from reconsult.triage.models import Assessment
from reconsult.web.case.view import urgency_tag
from reconsult.web.journey.result_view import result_view

TODAY = dt.date(2026, 12, 7)
LEVELS = [pytest.param(level, id=level.value) for level in URGENCY_ORDER]


@pytest.fixture(scope="module")
def answer() -> Assessment:
    case = Case(
        procedure="filler_hyaluronic_acid",
        days_since_procedure=3,
        description="My lips are a bit swollen and I do not like the shape.",
    )
    return assess(case, TODAY)


def _terminal(a: Assessment) -> str:
    console = Console(record=True, width=100, color_system=None)
    console.print(render(a))
    return console.export_text()


def test_each_level_has_one_label_and_colour(kb: Knowledge) -> None:
    words = [kb.policy.urgency(level) for level in URGENCY_ORDER]
    assert [w.level for w in words] == list(URGENCY_ORDER)
    labels = [w.label for w in words]
    assert len(set(labels)) == len(labels) == 5
    assert labels == ["Emergency", "Urgent", "Soon", "Routine", "Too early to judge"]
    # Calm answers never look urgent: no care card, no red or orange.
    for level in (Urgency.routine, Urgency.wait):
        assert kb.policy.urgency(level).card is None
        assert kb.policy.urgency(level).colour.value not in {"red", "orange"}


@pytest.mark.parametrize("level", LEVELS)
def test_terminal_case_history_and_result_card_say_the_level_the_same_way(
    kb: Knowledge, answer: Assessment, level: Urgency
) -> None:
    words = kb.policy.urgency(level)
    a = answer.model_copy(update={"urgency": level})
    title = _terminal(a).splitlines()[0]
    assert words.label.upper() in title
    if words.timing:
        assert f"{words.label.upper()}: {words.timing}" in title
    assert urgency_tag(kb, level) == (words.label, words.colour.value)
    card = result_view(kb, a).card
    if words.card is None:
        assert card is None  # routine and wait: calm content, no care card
    else:
        assert card is not None
        assert (card.kind, card.hidden_prefix) == (words.card.value, words.card_prefix)
        assert card.heading == words.card_heading


def test_a_wait_answer_page_shows_no_urgent_card(kb: Knowledge, answer: Assessment) -> None:
    assert answer.urgency is Urgency.wait  # swelling on day 3 is expected
    assert "TOO EARLY TO JUDGE" in _terminal(answer)
    assert result_view(kb, answer).card is None


def test_guides_use_the_cards_of_policy(client: TestClient, kb: Knowledge) -> None:
    page = client.get("/guides/botulinum_toxin").text
    emergency = kb.policy.urgency(Urgency.emergency)
    assert f'care-card--{emergency.card}"' in page
    assert f"{emergency.card_prefix} </span>{emergency.card_heading} if you have:" in page
    help_page = client.get("/help").text
    assert f"{emergency.card_prefix} </span>" in help_page


def test_start_page_names_the_procedures_of_the_knowledge_base(client: TestClient) -> None:
    page = client.get("/").text
    assert (
        "This is for Botox and other anti-wrinkle injections, fillers, and cosmetic surgery "
        "such as nose, facelift, eyelid, breast, liposuction and tummy tuck operations."
    ) in page


@pytest.fixture
def broken_copy(tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    yield copy
    load_knowledge.cache_clear()


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_broken_records_access_entry_fails_knowledge_check(
    broken_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_unknown_key(data: dict[str, list[dict[str, object]]]) -> None:
        data["jurisdictions"][0]["deadline_days"] = 10

    _edit(broken_copy / "records_access.yaml", add_unknown_key)
    with pytest.raises(KnowledgeError, match=r"records_access.yaml: jurisdictions.0"):
        load_knowledge(broken_copy)
    monkeypatch.setattr(knowledge_package, "KNOWLEDGE_DIR", broken_copy)
    load_knowledge.cache_clear()
    result = CliRunner().invoke(cli_app, ["knowledge", "check"])
    assert result.exit_code == 1
    assert "records_access.yaml: jurisdictions.0.deadline_days: unknown key" in result.output


@pytest.mark.parametrize(
    ("level", "change", "problem"),
    [
        ("wait", {"card": "urgent"}, "wait is a calm answer"),
        ("routine", {"colour": "red"}, "routine is a calm answer"),
        ("soon", {"card_prefix": None}, "soon: a care card needs"),
    ],
)
def test_urgency_words_are_checked_on_load(
    broken_copy: Path, level: str, change: dict[str, object], problem: str
) -> None:
    def apply(data: dict[str, list[dict[str, object]]]) -> None:
        entry = next(u for u in data["urgencies"] if u["level"] == level)
        for key, value in change.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value

    _edit(broken_copy / "policy.yaml", apply)
    with pytest.raises(KnowledgeError, match=problem):
        load_knowledge(broken_copy)


def test_a_missing_or_unknown_level_is_reported(broken_copy: Path) -> None:
    def unknown(data: dict[str, list[dict[str, object]]]) -> None:
        data["urgencies"][-1]["level"] = "later"

    _edit(broken_copy / "policy.yaml", unknown)
    with pytest.raises(KnowledgeError, match=r"urgencies.4.level.*(emergency|allowed)"):
        load_knowledge(broken_copy)
