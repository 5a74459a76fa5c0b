"""providers.yaml: who fits which procedure, where to check them, and what to watch for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconsult.errors import KnowledgeError
from reconsult.knowledge import Knowledge, read_knowledge
from reconsult.knowledge.provider_content import Moment, ProviderKind
from reconsult.knowledge.schema import ProcedureCode

FACIAL_PLASTIC = {"207YS0123X", "207YX0905X", "207YX0007X"}
OCULOPLASTIC = "207WX0200X"
INJECTORS = {"363A00000X", "363AS0400X", "363L00000X", "163WS0121X"}
SEEDS = {"seed-secondary-surgery", "seed-botched-botox", "seed-secondary-rhinoplasty"}


# --- what a person searching would notice -------------------------------------------


@pytest.mark.parametrize("procedure", [p.value for p in ProcedureCode])
def test_every_procedure_has_a_best_fitting_specialty(kb: Knowledge, procedure: str) -> None:
    fits = kb.specialty_fits(procedure)
    assert fits, procedure
    assert fits[0].level == 1, procedure
    assert [(f.level, f.id) for f in fits] == sorted((f.level, f.id) for f in fits)


def test_a_second_nose_job_points_first_to_facial_plastic_surgeons(kb: Knowledge) -> None:
    best = {code for f in kb.specialty_fits("rhinoplasty") if f.level == 1 for code in f.taxonomies}
    assert best & FACIAL_PLASTIC
    assert "208200000X" not in best  # general plastic surgery is good (2), not first


def test_eyelid_surgery_points_first_to_eyelid_plastic_surgeons(kb: Knowledge) -> None:
    best = {
        code for f in kb.specialty_fits("blepharoplasty") if f.level == 1 for code in f.taxonomies
    }
    assert best == {OCULOPLASTIC}


def test_wrong_or_too_broad_codes_are_not_kept(kb: Knowledge) -> None:
    codes = kb.providers.taxonomy_codes()
    # Pediatric ENT (not facial plastic), general surgery, general dentists, Mohs.
    for code in ("207YP0228X", "208600000X", "122300000X", "1223G0001X", "207ND0101X"):
        assert code not in codes
    assert isinstance(codes, frozenset)
    assert {"208200000X", OCULOPLASTIC} | FACIAL_PLASTIC | INJECTORS <= codes
    assert len(codes) <= 20  # every code makes the directory bigger


def test_official_names_are_nuccs_and_plain_names_are_plain(kb: Knowledge) -> None:
    official = {
        "208200000X": "Plastic Surgery Physician",
        "207YS0123X": "Facial Plastic Surgery Physician",
        "207WX0200X": "Ophthalmic Plastic and Reconstructive Surgery Physician",
        "207NS0135X": "Procedural Dermatology Physician",
        "363L00000X": "Nurse Practitioner",
    }
    for code, name in official.items():
        taxonomy = kb.providers.taxonomy(code)
        assert taxonomy is not None and taxonomy.name == name
    plastic = kb.providers.taxonomy("208200000X")
    assert plastic is not None and plastic.plain_name == "Plastic surgeon"
    assert kb.providers.taxonomy("207YP0228X") is None


def test_injectors_are_marked_and_only_ever_fit_least(kb: Knowledge) -> None:
    injectors = {t.code for t in kb.providers.taxonomies if t.kind is ProviderKind.injector}
    assert injectors == INJECTORS
    for fit in kb.providers.fits:
        if injectors & set(fit.taxonomies):
            assert fit.level == 3, fit.id
            assert kb.expand(fit.procedures) <= kb.expand(["injectables"]), fit.id
    # A nurse practitioner never beats a doctor, and never fits surgery.
    assert kb.best_fit("rhinoplasty", ["363L00000X"]) is None
    found = kb.best_fit("botulinum_toxin", ["363L00000X", "207N00000X"])
    assert found is not None and found[1] == "207N00000X"


def test_best_fit_picks_the_lower_level_and_names_the_code(kb: Knowledge) -> None:
    found = kb.best_fit("rhinoplasty", ["208200000X", "207YS0123X"])
    assert found is not None
    fit, code = found
    assert (fit.id, fit.level, code) == ("rhinoplasty-facial-plastic", 1, "207YS0123X")
    fit2, code2 = kb.best_fit("rhinoplasty", ["208200000X", "0000000000X"]) or (None, "")
    assert fit2 is not None and fit2.level == 2 and code2 == "208200000X"
    # Several listed codes in the same fit: the first given (e.g. primary) wins.
    found = kb.best_fit("facelift", ["207YS0123X", "208200000X"])
    assert found is not None and found[1] == "207YS0123X"
    assert kb.best_fit("breast_augmentation", ["207N00000X"]) is None
    assert kb.best_fit("facelift", []) is None


def test_specialty_fits_are_safe_to_change_by_the_caller(kb: Knowledge) -> None:
    kb.specialty_fits("facelift").clear()
    assert kb.specialty_fits("facelift")


def test_each_doctor_specialty_has_a_board_to_check_and_every_link_is_https(
    kb: Knowledge,
) -> None:
    pv = kb.providers
    for t in pv.taxonomies:
        if t.kind is not ProviderKind.injector:
            assert t.boards, t.code
        for board_id in t.boards:
            assert pv.board(board_id) is not None, (t.code, board_id)
    urls = [b.lookup_url for b in pv.boards]
    urls += [link.url for c in pv.checks for link in c.links]
    assert urls and all(u.startswith("https://") for u in urls)
    abps = pv.board("abps")
    assert abps is not None and "plasticsurgery" in abps.lookup_url
    assert not abps.lookup_is_home_page
    assert pv.board("no-such-board") is None


def test_the_checklist_links_licenses_and_boards(kb: Knowledge) -> None:
    checks = {c.id: c for c in kb.providers.checks}
    assert len(checks) == 10  # research section 9, items 1-9, 16 and 17
    assert checks["board-certification"].board_links
    [license_check] = [c for c in checks.values() if c.state_board]
    hosts = {link.url.split("/")[2] for link in license_check.links}
    assert {"www.docinfo.org", "www.fsmb.org"} <= hosts


def test_surgery_checks_are_not_shown_for_injections_and_back(kb: Knowledge) -> None:
    toxin = {c.id for c in kb.checks_for("botulinum_toxin")}
    nose = {c.id for c in kb.checks_for("rhinoplasty")}
    assert "injector-setting" in toxin and "injector-setting" not in nose
    assert {"anesthesia", "hospital-privileges", "accredited-facility"} <= nose - toxin
    assert {"board-certification", "license", "records-first"} <= toxin & nose
    assert [c.id for c in kb.checks_for(None)] == [c.id for c in kb.providers.checks]


def test_red_flags_filter_by_moment_and_procedure(kb: Knowledge) -> None:
    every = kb.red_flags_for(None)
    assert len(every) == 9  # research section 9, items 10-18
    returning = kb.red_flags_for(None, Moment.returning)
    assert "blames-you" in {f.id for f in returning}
    assert all(Moment.returning in f.moments for f in returning)
    assert len(returning) < len(every)
    assert "blames-you" not in {f.id for f in kb.red_flags_for(None, Moment.choosing)}
    assert "party-or-home" in {f.id for f in kb.red_flags_for("botulinum_toxin", Moment.choosing)}
    assert "party-or-home" not in {f.id for f in kb.red_flags_for("rhinoplasty")}
    for moment in Moment:
        assert kb.red_flags_for("facelift", moment), moment


def test_everything_cites_known_sources_and_the_seeds(kb: Knowledge) -> None:
    pv = kb.providers
    cited: list[str] = []
    for group in (pv.taxonomies, pv.boards, pv.fits, pv.checks, pv.red_flags):
        for entry in group:
            assert entry.sources
            cited += entry.sources
    for _, note in pv.notes.items():
        cited += note.sources
    assert set(cited) <= set(kb.sources)
    assert SEEDS <= set(cited)


def test_the_notes_say_specialties_are_self_reported_and_nothing_is_paid(kb: Knowledge) -> None:
    notes = kb.providers.notes
    assert "No one checks it" in notes.self_reported.text
    assert "board certified" in notes.self_reported.text
    assert "No one pays" in notes.reviews.text
    assert "supervises" in notes.supervisor.text
    assert "done everything right" in notes.realistic.text


def test_knowledge_version_was_bumped_for_providers(kb: Knowledge) -> None:
    major, minor, _ = (int(part) for part in kb.version.split("."))
    assert (major, minor) >= (0, 5)


# --- plain words ------------------------------------------------------------------------

JARGON = (
    "taxonomy",
    "nucc",
    "nppes",
    "otolaryngolog",
    "blepharoplasty",
    "rhinoplasty",
    "abdominoplasty",
    "diplomate",
    "credential",
    "aesthetic",
    "your fault",
)


def _texts(kb: Knowledge) -> Iterator[tuple[str, str]]:
    """Every sentence a person reads from providers.yaml, except proper names."""
    pv = kb.providers
    for t in pv.taxonomies:
        yield f"taxonomy {t.code} plain_name", t.plain_name
    for b in pv.boards:
        yield f"board {b.id}", b.how
    for fit in pv.fits:
        yield f"fit {fit.id}", fit.reason
    for c in pv.checks:
        yield f"check {c.id} title", c.title
        yield f"check {c.id}", c.how
        for link in c.links:
            yield f"check {c.id} link", link.label
    for flag in pv.red_flags:
        yield f"red flag {flag.id} title", flag.title
        yield f"red flag {flag.id}", flag.text
    for name, note in pv.notes.items():
        yield f"notes.{name}", note.text


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'-]*", text)


def _syllables(word: str) -> int:
    """Count vowel groups: rough, but steady enough for a reading-grade estimate."""
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def test_sentences_are_short_and_free_of_jargon(kb: Knowledge) -> None:
    for where, text in _texts(kb):
        for sentence in _sentences(text):
            assert len(_words(sentence)) <= 20, (where, sentence)
        lowered = text.lower()
        assert not [j for j in JARGON if j in lowered], where
    pv = kb.providers
    for where, text in [(b.id, b.how) for b in pv.boards] + [(f.id, f.text) for f in pv.red_flags]:
        assert len(_sentences(text)) <= 2, where  # one or two sentences
    for fit in pv.fits:
        assert len(_sentences(fit.reason)) <= 2, fit.id


def test_reading_grade_is_about_sixth_grade(kb: Knowledge) -> None:
    sentences = [
        s for _, text in _texts(kb) if text.rstrip()[-1:] in ".!?" for s in _sentences(text)
    ]
    words = [w for s in sentences for w in _words(s)]
    grade = (
        0.39 * len(words) / len(sentences)
        + 11.8 * sum(_syllables(w) for w in words) / len(words)
        - 15.59
    )  # Flesch-Kincaid grade level
    assert grade <= 7.0, grade


# --- broken data is refused with the file and entry named -------------------------------


def _edit(directory: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = directory / "providers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _entry(data: dict[str, Any], key: str, entry_id: str) -> dict[str, Any]:
    field = "code" if key == "taxonomies" else "id"
    entries: list[dict[str, Any]] = data[key]
    [found] = [e for e in entries if e[field] == entry_id]
    return found


def _fit_unknown_taxonomy(data: dict[str, Any]) -> None:
    _entry(data, "fits", "rhinoplasty-facial-plastic")["taxonomies"].append("207YP0228X")


def _check_unknown_source(data: dict[str, Any]) -> None:
    _entry(data, "checks", "license")["sources"] = ["my-blog"]


def _red_flag_unknown_procedure(data: dict[str, Any]) -> None:
    _entry(data, "red_flags", "pressure")["procedures"] = ["tattoo"]


def _taxonomy_unknown_board(data: dict[str, Any]) -> None:
    _entry(data, "taxonomies", "208200000X")["boards"].append("american-board-of-cool")


def _duplicate_fit_id(data: dict[str, Any]) -> None:
    data["fits"][1]["id"] = data["fits"][0]["id"]


def _no_fit_for_rhinoplasty(data: dict[str, Any]) -> None:
    data["fits"] = [f for f in data["fits"] if f["procedures"] != ["rhinoplasty"]]


def _injector_ranked_first(data: dict[str, Any]) -> None:
    _entry(data, "fits", "injectables-injectors")["level"] = 1


def _same_code_twice(data: dict[str, Any]) -> None:
    _entry(data, "fits", "rhinoplasty-facial-plastic")["taxonomies"].append("208200000X")


def _unused_taxonomy(data: dict[str, Any]) -> None:
    data["taxonomies"].append(
        {
            "code": "207Y00000X",
            "name": "Otolaryngology Physician",
            "plain_name": "Ear, nose and throat doctor",
            "kind": "physician",
            "sources": ["nucc-taxonomy-251"],
        }
    )


def _unknown_key(data: dict[str, Any]) -> None:
    data["fits"][0]["levle"] = 1


def _bad_code(data: dict[str, Any]) -> None:
    data["taxonomies"][0]["code"] = "20820000X"


def _plain_http_link(data: dict[str, Any]) -> None:
    _entry(data, "checks", "license")["links"][0]["url"] = "http://www.docinfo.org/"


def _unknown_moment(data: dict[str, Any]) -> None:
    data["red_flags"][0]["moments"] = ["someday"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_fit_unknown_taxonomy, r"fit rhinoplasty-facial-plastic: unknown taxonomy '207YP0228X'"),
        (_check_unknown_source, r"providers.yaml: check license: unknown source 'my-blog'"),
        (_red_flag_unknown_procedure, r"red flag pressure: unknown procedure or group 'tattoo'"),
        (_taxonomy_unknown_board, r"taxonomy 208200000X: unknown board 'american-board-of-cool'"),
        (_duplicate_fit_id, r"providers.yaml: fit id 'rhinoplasty-facial-plastic' is used twice"),
        (_no_fit_for_rhinoplasty, r"providers.yaml: no specialty fits \['rhinoplasty'\]"),
        (_injector_ranked_first, r"363A00000X is a nurse or physician-assistant injector"),
        (_same_code_twice, r"fits rhinoplasty-facial-plastic and rhinoplasty-plastic both give"),
        (_unused_taxonomy, r"taxonomy 207Y00000X is in no fit"),
        (_unknown_key, r"providers.yaml: fits.0.levle: unknown key"),
        (_bad_code, r"providers.yaml: taxonomies.0.code: String should match pattern"),
        (_plain_http_link, r"providers.yaml: checks.\d+.links.0.url: String should match"),
        (_unknown_moment, r"red_flags.0.moments.0: .*'choosing', 'consultation'"),
    ],
    ids=[
        "fit-unknown-taxonomy",
        "check-unknown-source",
        "red-flag-unknown-procedure",
        "taxonomy-unknown-board",
        "duplicate-fit-id",
        "procedure-without-fit",
        "injector-ranked-first",
        "same-code-twice-for-a-procedure",
        "taxonomy-in-no-fit",
        "unknown-key",
        "malformed-taxonomy-code",
        "plain-http-link",
        "unknown-moment",
    ],
)
def test_broken_provider_data_is_rejected_with_a_clear_message(
    knowledge_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit(knowledge_copy, change)
    with pytest.raises(KnowledgeError, match=message):
        read_knowledge(knowledge_copy)


def test_missing_providers_file_is_an_error(knowledge_copy: Path) -> None:
    (knowledge_copy / "providers.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"providers.yaml: file is missing"):
        read_knowledge(knowledge_copy)
