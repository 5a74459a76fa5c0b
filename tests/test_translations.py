"""Every word a person reads, in every language reconsult speaks (issue 18).

The interface's words are extracted as `make messages` (pybabel) extracts them, and
each must have a checked translation in each language's catalogue; the knowledge
base's texts must all be written in each language (`reconsult knowledge check`).
A Spanish answer is the English answer in Spanish: same level, options and rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from reconsult import Case, assess, i18n
from reconsult.errors import KnowledgeError
from reconsult.knowledge import KNOWLEDGE_DIR, languages_written, load_knowledge
from tests.conftest import TODAY, dev_vignettes, knowledge_check

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
OTHER_LANGUAGES = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT]


def _sources() -> Iterator[tuple[Path, str, dict[str, str]]]:
    """Yield each file babel.cfg names, with its extraction method and options.

    Python files that never name reconsult's i18n module say nothing to translate, so
    they are skipped unread by the tokenizer (seconds saved; the result is the same).
    """
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    for pattern, method in method_map:
        base, _, suffix = pattern.partition("/**")
        for path in sorted((SRC / base).rglob("*" + suffix.lstrip("*"))):
            if method == "python" and "i18n" not in path.read_text(encoding="utf-8"):
                continue
            yield path, method, options_map.get(pattern, {})


def _extracted() -> dict[str | tuple[str, str], list[str]]:
    """Return every message of the interface (singular, or singular and plural), with where."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for path, method, options in _sources():
        for line, message, _comments, _context in extract_from_file(
            method, str(path), options=options
        ):
            key = message if isinstance(message, str) else (message[0], message[1])
            if key:
                found.setdefault(key, []).append(f"{path.relative_to(SRC)}:{line}")
    return found


def _catalogue(language: str) -> Catalog:
    path = files("reconsult.i18n").joinpath(f"locale/{language}/LC_MESSAGES/messages.po")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def extracted() -> dict[str | tuple[str, str], list[str]]:
    return _extracted()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_word_of_the_interface_is_translated(
    language: str, extracted: dict[str | tuple[str, str], list[str]]
) -> None:
    catalog = _catalogue(language)
    written = {
        (m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m
        for m in catalog
        if m.id
        and not m.fuzzy
        and (all(m.string) if isinstance(m.string, tuple) else bool(m.string))
    }
    missing = [
        f"{key!r} ({', '.join(where[:2])})"
        for key, where in extracted.items()
        if key not in written
    ]
    assert not missing, (
        f"{len(missing)} words of the interface have no {language} text (run `make messages`, "
        f"then write them in src/reconsult/i18n/locale/{language}):\n" + "\n".join(missing[:40])
    )
    unused = sorted(str(key) for key in written if key not in extracted)
    assert not unused, f"{language} texts no page says any more: {unused[:20]}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}"
        for message, errors in _catalogue(language).check()
    ]
    assert not problems, "\n".join(problems)


def test_the_knowledge_base_is_written_in_every_language_of_the_interface() -> None:
    assert languages_written(KNOWLEDGE_DIR) == list(i18n.LANGUAGES)
    for language in i18n.LANGUAGES:
        assert load_knowledge(language=language).language == language


def test_a_missing_spanish_text_fails_knowledge_check(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = knowledge_copy / "es" / "wording.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    english = "Call your emergency number, or go to the emergency department now, if:"
    assert catalog[english].string
    catalog[english].string = ""
    with path.open("wb") as handle:
        write_po(handle, catalog)
    result = knowledge_check(knowledge_copy, monkeypatch)
    assert result.exit_code == 1
    assert "no es text in es/wording.po" in result.output
    assert english in result.output


def test_an_edited_english_text_is_not_shown_in_its_old_translation(
    knowledge_copy: Path,
) -> None:
    """Keyed by the English, an edit leaves the Spanish unwritten, never out of date."""
    policy = knowledge_copy / "policy.yaml"
    old = "Call your emergency number, or go to the emergency department now, if:"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(old, old.replace("now, if", "at once, if")),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match="at once"):
        load_knowledge(knowledge_copy, "es")
    load_knowledge.cache_clear()  # type: ignore[attr-defined]


def test_a_translation_that_drops_a_placeholder_is_refused(knowledge_copy: Path) -> None:
    path = knowledge_copy / "es" / "wording.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    message = next(m for m in catalog if m.id and "{procedure}" in str(m.id))
    message.string = message.string.replace("{procedure}", "el procedimiento")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    with pytest.raises(KnowledgeError, match="placeholders"):
        load_knowledge(knowledge_copy, "es")
    load_knowledge.cache_clear()  # type: ignore[attr-defined]


def test_a_spanish_answer_is_the_english_answer_in_spanish() -> None:
    """Same level, options, rules and findings for every development vignette."""
    english, spanish = load_knowledge(language="en"), load_knowledge(language="es")
    differ = []
    for vignette in dev_vignettes():
        case = Case.model_validate({k: v for k, v in vignette.items() if k != "expected"})
        a, b = assess(case, TODAY, english), assess(case, TODAY, spanish)
        same = (
            a.urgency == b.urgency
            and a.options == b.options
            and a.rules_fired == b.rules_fired
            and [f.code for f in a.findings] == [f.code for f in b.findings]
            and a.reassess_on == b.reassess_on
        )
        if not same:
            differ.append(vignette["id"])
    assert not differ
    assert b.headline != a.headline


def test_dates_are_written_as_each_language_writes_them() -> None:
    day = dt.date(2026, 12, 7)
    assert i18n.long_date(day) == "7 December 2026"
    with i18n.reading("es"):
        assert i18n.long_date(day) == "7 de diciembre de 2026"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR, es;q=0.5", "es"),
        ("de-DE", "en"),
        ("es;q=0, en", "en"),
        ("", "en"),
        (";;,q=abc,", "en"),
    ],
)
def test_the_language_comes_from_the_browser(header: str, language: str) -> None:
    assert i18n.negotiate(header) == language


def test_no_copy_of_a_catalogue_is_compiled_into_the_repository() -> None:
    """The catalogues are read from their .po files; compiled .mo files are never kept."""
    assert not list((SRC / "reconsult").rglob("*.mo"))
    assert re.search(r"\.mo\b", (ROOT / ".gitignore").read_text(encoding="utf-8"))
