"""The language a person reads: the interface's words from gettext catalogues.

English is the language the words are written in; every other language has a
catalogue, ``locale/<language>/LC_MESSAGES/messages.po``, made with pybabel
(``babel.cfg`` at the top of the repository says where the words are). The
catalogues are read from their ``.po`` files when first used, so nothing
generated is kept in the repository. A fuzzy or empty translation is not used:
the English words show instead, and ``tests/test_translations.py`` fails.

The language of the moment is a context variable, set for each web request and
each command, so the templates, the documents and the code that writes
messages all read the same one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from gettext import NullTranslations
from importlib.resources import files
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "N_",
    "DEFAULT",
    "LANGUAGES",
    "accepted",
    "catalogue",
    "current",
    "gettext",
    "long_date",
    "negotiate",
    "ngettext",
    "others",
    "reading",
    "speak",
    "supported",
]

DEFAULT = "en"
# The languages a person can read reconsult in: English, and each language with a catalogue.
LANGUAGES = ("en", "es")
# The name of each language in itself, for the switch that changes it.
NAMES = {"en": "English", "es": "Español"}

_current: ContextVar[str] = ContextVar("reconsult_language", default=DEFAULT)


def others() -> list[tuple[str, str]]:
    """Return the languages besides the current one, each as (code, its name in itself)."""
    return [(code, NAMES[code]) for code in LANGUAGES if code != current()]


def supported(language: str | None) -> str | None:
    """Return ``language`` ("es", "es-MX", "ES") as a supported language code, or None."""
    if not language:
        return None
    code = language.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def current() -> str:
    """Return the language of this request or command ("en" unless set)."""
    return _current.get()


@contextmanager
def reading(language: str) -> Iterator[str]:
    """Use ``language`` (a supported code) for everything said inside the block."""
    code = supported(language) or DEFAULT
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> NullTranslations:
    """Return the translations for ``language``, read from its .po file on first use."""
    if language == DEFAULT:
        return NullTranslations()
    # Babel is imported when a language besides English is first used (commands start fast).
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = files("reconsult.i18n").joinpath(f"locale/{language}/LC_MESSAGES/messages.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; ``gettext`` it where it is said.

    For words defined once, at import time (a module's table of labels), which must be
    translated later, in the language of the request that shows them.
    """
    return message


def speak(env: Environment) -> Environment:
    """Make a Jinja2 environment's templates speak the current language; return it.

    {% trans %} blocks and _("...") read this module's catalogues; newstyle gettext fills
    %(name)s placeholders and escapes them; trimmed: a block's line breaks are one space
    (as ``babel.cfg`` extracts them). ``language()`` gives the current code.
    """
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext, ngettext=ngettext, newstyle=True
    )
    env.globals["language"] = current
    return env


def gettext(message: str) -> str:
    """Return ``message`` in the current language (the English words if untranslated)."""
    return catalogue(current()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Return the singular or plural form of a message for ``count``, in the current language."""
    return catalogue(current()).ngettext(singular, plural, count)


def accepted(header: str | None) -> list[str]:
    """Return the language tags of an Accept-Language header, most preferred first.

    Tags are taken in the order of their quality values (RFC 9110 12.5.4); a tag with
    quality 0 is refused, and malformed parts are skipped, never an error.
    """
    tags: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            tags.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(tags)]


def negotiate(header: str | None) -> str:
    """Return the first supported language of an Accept-Language header, else English."""
    for tag in accepted(header):
        code = supported(tag)
        if code is not None:
            return code
    return DEFAULT


def long_date(value: dt.date | None) -> str:
    """Return a date as a person reads it in the current language: "21 November 2026".

    The pattern is itself a message ("d MMMM y"), so each catalogue says how its
    language writes a date ("d 'de' MMMM 'de' y" in Spanish).
    """
    if value is None:
        return ""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    language = current()
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):  # pragma: no cover - LANGUAGES are known locales
        locale = Locale.parse(DEFAULT)
    # Translators: a date's pattern in Unicode CLDR form; d day, MMMM month name, y year.
    return format_date(value, gettext("d MMMM y"), locale=locale)
