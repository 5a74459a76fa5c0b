"""What printed documents share: templates, inlined styles, a PDF printer that fetches nothing.

Documents (the records letter, the consultation packet) are HTML from Jinja2
templates in ``documents/templates``, with their stylesheet inlined, printed
by WeasyPrint as tagged PDF/UA-1. The printer's URL fetcher refuses every
URL, so a template that tried to load a remote image (an SSRF or tracking
risk, see CVE-2025-68616) fails loudly instead (research/ecosystem.md, s.2.3).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from PIL import ImageFile

from reconsult import i18n
from reconsult.errors import ReconsultError

__all__ = ["environment", "inline_stylesheet", "refusing_url_fetcher", "render_pdf"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Return the Jinja2 environment for document templates: autoescaped, strict about names.

    Their words are in the current language (reconsult.i18n), as the web pages' are.
    """
    return i18n.speak(
        Environment(
            loader=PackageLoader("reconsult.documents", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
    )


@cache
def inline_stylesheet(name: str) -> Markup:
    """Return a template stylesheet to inline into the HTML, so the PDF needs no fetching."""
    css = files("reconsult.documents").joinpath(f"templates/{name}")
    return Markup(css.read_text(encoding="utf-8"))  # noqa: S704 (our own package file, not user input)


@lru_cache(maxsize=1)
def _fetcher_class() -> type[Any]:
    """Build the refusing fetcher class (WeasyPrint is imported only when a PDF is made)."""
    URLFetcher = _weasyprint().urls.URLFetcher

    class RefusingURLFetcher(URLFetcher):  # type: ignore[misc, valid-type]
        """A WeasyPrint URL fetcher that refuses every URL and remembers which it refused."""

        def __init__(self) -> None:
            # fail_on_errors: a refused URL stops the render instead of being skipped.
            super().__init__(fail_on_errors=True, allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url)
            raise PermissionError(f"reconsult documents fetch nothing: refused {url}")

    return RefusingURLFetcher


def refusing_url_fetcher() -> Any:
    """Return a new WeasyPrint URL fetcher that refuses every URL (its ``refused`` lists them)."""
    return _fetcher_class()()


def _weasyprint() -> Any:
    """Import WeasyPrint, or explain which system libraries are missing.

    Importing WeasyPrint turns on Pillow's process-wide ``LOAD_TRUNCATED_IMAGES``,
    after which Pillow pads a cut-off JPEG with grey instead of refusing it.
    Photo cleaning relies on the refusal, and our documents embed only photos
    already cleaned, so the setting is turned off again.
    """
    try:
        import weasyprint  # type: ignore[import-untyped]
        import weasyprint.urls  # type: ignore[import-untyped]
    except OSError as exc:
        raise ReconsultError(
            "PDF output needs Pango and HarfBuzz. On Debian: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
        ) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def render_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """Print ``html`` to a tagged PDF/UA-1 file, fetching nothing.

    The title comes from ``<title>`` and the language from ``<html lang>``.
    Any URL the HTML refers to raises WeasyPrint's FatalURLFetchingError.
    """
    weasyprint = _weasyprint()
    fetcher = url_fetcher if url_fetcher is not None else refusing_url_fetcher()
    document = weasyprint.HTML(string=html, base_url="about:blank", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
