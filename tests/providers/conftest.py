"""Small NPPES files with the real V2 header, written by tools/nppes_synthetic.py."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from reconsult.knowledge import load_knowledge
from reconsult.providers.nppes_layout import PRACTICE, taxonomy_columns
from tools.nppes_synthetic import GeneratedFile, monthly_file_name, write_monthly_csv


def kept_codes() -> frozenset[str]:
    """The taxonomy codes the knowledge base keeps (what the importer keeps)."""
    return load_knowledge().providers.taxonomy_codes()


def person(
    npi: str,
    last: str,
    zip_code: str,
    *codes: str,
    primary_slot: int = 1,
    city: str = "NEW YORK",
    state: str = "NY",
    **extra: str,
) -> Mapping[str, str]:
    """One individual provider row, keyed by V2 column name."""
    row = {
        "NPI": npi,
        "Entity Type Code": "1",
        "Provider Last Name (Legal Name)": last,
        "Provider First Name": "ALEX",
        "Provider Credential Text": "M.D.",
        PRACTICE["line1"]: "1 MAIN ST",
        PRACTICE["city"]: city,
        PRACTICE["state"]: state,
        PRACTICE["postal_code"]: zip_code,
        PRACTICE["phone"]: "2125550100",
        "Provider Enumeration Date": "05/23/2010",
        "Last Update Date": "07/08/2024",
    }
    for slot, code in enumerate(codes, start=1):
        code_col, licence_col, state_col, switch_col = taxonomy_columns(slot)
        row[code_col] = code
        row[licence_col] = f"L{slot}{npi[-4:]}"
        row[state_col] = state
        row[switch_col] = "Y" if slot == primary_slot else "N"
    row.update(extra)
    return row


@pytest.fixture
def monthly(tmp_path: Path) -> GeneratedFile:
    """A 3,000-row monthly file with every kind of broken line the generator makes."""
    from tools.nppes_synthetic import MALFORMED_KINDS

    return write_monthly_csv(
        tmp_path / monthly_file_name(),
        3000,
        seed=7,
        malformed=MALFORMED_KINDS,
        cosmetic_codes=kept_codes(),
        cosmetic_share=0.05,
    )
