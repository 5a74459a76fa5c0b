"""Cross-reference checks over the whole knowledge base.

The schema checks each entry on its own; this package checks that entries fit
together, one module per concern (``sources``, ``catalogue``, ``windows``,
``policy``, ``content``, ``questions``): every reference resolves, every rule
cites a source, each finding's day windows cover every day for every procedure
it applies to with no gap and no overlap, and no rule offers an option that
options.yaml forbids for all of that rule's cases. For providers.yaml: every
procedure has a fitting specialty, fits name kept taxonomies, taxonomies name
real boards, and nurse and physician-assistant injectors never rank above
level 3. For danger_questions.yaml: every sign, procedure and source is known,
each sign is asked at most once per procedure, on days that exist, and every
red flag of a procedure is asked for it. For open findings: each level that
leaves one open says for how long, and every choice is worded. For urgencies:
each level is worded once, and a calm level (routine, wait) gets no care card
and no alarm colour. For fact rules: unique ids, known procedures, and a
procedure fact compared with a known procedure. Problems are collected and
raised together.
"""

from __future__ import annotations

import dataclasses

from reconsult.errors import KnowledgeError
from reconsult.knowledge.base import Knowledge
from reconsult.knowledge.schema import OptionCode
from reconsult.knowledge.validation.catalogue import (
    CONTRACT_PROCEDURES,
    check_combinations,
    check_lexicon_and_recall,
    check_procedures,
    check_red_flags_stay_red,
)
from reconsult.knowledge.validation.content import check_packet, check_providers
from reconsult.knowledge.validation.policy import (
    check_fact_rules,
    check_help_now,
    check_open_findings,
    check_urgencies,
)
from reconsult.knowledge.validation.questions import check_danger_questions
from reconsult.knowledge.validation.sources import check_sources
from reconsult.knowledge.validation.windows import build_windows

__all__ = ["CONTRACT_PROCEDURES", "build_windows", "validate"]


def validate(kb: Knowledge) -> Knowledge:
    """Check the whole knowledge base; return it with resolved windows or raise."""
    problems: list[str] = []
    check_procedures(kb, problems)
    check_sources(kb, problems)
    check_combinations(kb, problems)
    check_packet(kb, problems)
    check_providers(kb, problems)
    check_red_flags_stay_red(kb, problems)
    check_lexicon_and_recall(kb, problems)
    check_help_now(kb, problems)
    check_open_findings(kb, problems)
    check_urgencies(kb, problems)
    check_fact_rules(kb, problems)
    missing_options = set(OptionCode) - set(kb.options)
    if missing_options:
        problems.append(f"options.yaml: missing options {sorted(o.value for o in missing_options)}")
    windows = build_windows(kb, problems) if not missing_options else {}
    asked = check_danger_questions(kb, problems)
    if problems:
        raise KnowledgeError("the knowledge base has problems:\n" + "\n".join(problems))
    return dataclasses.replace(kb, windows=windows, asked_days=asked)
