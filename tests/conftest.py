"""Shared fixtures: the packaged knowledge base, a fixed 'today', and a case factory."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import settings

from reconsult.knowledge import Knowledge, load_knowledge
from reconsult.triage import assess
from reconsult.triage.models import Assessment, Case

# CI machines are slower and busier; never fail a property on time alone.
settings.register_profile("ci", deadline=None, derandomize=True, max_examples=150)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

TODAY = dt.date(2026, 11, 21)
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_VIGNETTES = SHARED / "benchmark" / "vignettes-dev.jsonl"


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    """The packaged knowledge base, loaded and validated once."""
    return load_knowledge()


def make_case(
    *,
    description: str,
    procedure: str = "filler_hyaluronic_acid",
    days: int | None = 5,
    prior_revisions: int = 0,
) -> Case:
    """Build a Case with keyword-only arguments and sensible defaults."""
    return Case(
        procedure=procedure,  # type: ignore[arg-type]
        days_since_procedure=days,
        prior_revisions=prior_revisions,
        description=description,
    )


def answer(description: str, **kwargs: object) -> Assessment:
    """Assess a description as of TODAY (keyword arguments go to make_case)."""
    return assess(make_case(description=description, **kwargs), TODAY)  # type: ignore[arg-type]
