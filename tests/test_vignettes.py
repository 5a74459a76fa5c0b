"""The safety floor on the development vignettes (figures are in `make bench`)."""

from __future__ import annotations

import pytest

from reconsult.knowledge.schema import URGENCY_ORDER, Urgency
from reconsult.triage import assess
from reconsult.triage.models import Case
from tests.conftest import TODAY, dev_vignettes

# Collection fails, naming the folder, when ../shared/benchmark is missing.
VIGNETTES = dev_vignettes()


def _answer(vignette: dict) -> tuple[Urgency, set[str]]:  # type: ignore[type-arg]
    fields = {k: v for k, v in vignette.items() if k != "expected"}
    result = assess(Case.model_validate(fields), TODAY)
    return result.urgency, {o.value for o in result.options}


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_no_under_triage_of_urgent_cases_and_no_forbidden_options(vignette: dict) -> None:  # type: ignore[type-arg]
    expected = vignette["expected"]
    want = Urgency(expected["urgency"])
    got, options = _answer(vignette)
    forbidden = options & set(expected["options_forbidden"])
    assert not forbidden, f"offered forbidden options {sorted(forbidden)}"
    if want.rank <= URGENCY_ORDER.index(Urgency.urgent):
        assert got.rank <= want.rank, f"expected {want.value}, answered {got.value}"


def test_emergency_recall_is_complete() -> None:
    emergencies = [v for v in VIGNETTES if v["expected"]["urgency"] == "emergency"]
    missed = [v["id"] for v in emergencies if _answer(v)[0] is not Urgency.emergency]
    assert emergencies and not missed
