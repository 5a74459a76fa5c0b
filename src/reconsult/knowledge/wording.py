"""The knowledge base's words for people, in each language besides English.

Every text a person reads (a schema field of type ``Shown``) is written in English in
the YAML files; each other language keeps its text beside the English one in a gettext
catalogue, ``<language>/wording.po``, whose message ids are the English texts. Keyed by
the English, a text whose English is edited loses its translation until someone writes
it again (``reconsult knowledge wording es`` marks it), so a Spanish reader is never
shown a translation of words the base no longer says. Loading a language with a text
missing, or fuzzy, or without the English one's {placeholders}, is a KnowledgeError, so
``reconsult knowledge check`` fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from reconsult.errors import KnowledgeError

__all__ = ["CATALOGUE", "catalogue_path", "languages_written", "texts_in", "update_catalogue"]

CATALOGUE = "wording.po"


def catalogue_path(directory: Path, language: str) -> Path:
    """Return where ``language`` keeps the base's texts: ``<directory>/<language>/wording.po``."""
    return directory / language / CATALOGUE


def languages_written(directory: Path) -> list[str]:
    """Return the languages the base is written in: English, then each with a catalogue."""
    others = sorted(p.parent.name for p in directory.glob(f"*/{CATALOGUE}"))
    return ["en", *others]


def _read(path: Path, language: str) -> Catalog:
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=language)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{language}/{CATALOGUE}: file is missing") from exc


def texts_in(directory: Path, language: str) -> Callable[[str], str]:
    """Return the function that gives each English text in ``language``, or refuses.

    It raises ValueError (which the schema turns into a KnowledgeError naming the file
    and field) when the catalogue has no text for it, or only a fuzzy one.
    """
    catalog = _read(catalogue_path(directory, language), language)
    texts = {
        m.id: m.string
        for m in catalog
        if m.id
        and isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.string.strip()
        and not m.fuzzy
    }

    def say(english: str) -> str:
        text = texts.get(english)
        if text is None:
            raise ValueError(f"no {language} text in {language}/{CATALOGUE} for {english!r}")
        return " ".join(text.split())

    return say


def update_catalogue(directory: Path, language: str, english: list[str]) -> tuple[int, int]:
    """Bring ``language``'s catalogue in step with the English texts; keep what is written.

    A new English text gets an empty entry; an edited one gets the old translation marked
    fuzzy (babel's matching), which does not count until someone checks it; a text the
    base no longer says is dropped. Returns (texts, still to write).
    """
    path = catalogue_path(directory, language)
    template = Catalog(locale=language, project="reconsult knowledge base", fuzzy=False)
    for text in dict.fromkeys(english):
        template.add(text)
    catalog = _read(path, language) if path.exists() else Catalog(locale=language)
    catalog.update(template)
    catalog.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=88, ignore_obsolete=True, omit_header=False)
    todo = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return len(catalog), todo
