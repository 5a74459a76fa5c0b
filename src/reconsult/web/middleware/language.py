"""The language of each request: the person's own choice, else their browser's.

The choice is the ``language`` cookie, set by the switch on every page
(``/language/<code>``); without it, the first language of the browser's
Accept-Language that reconsult speaks; else English. Everything the request
says (pages, answers, documents, the API's texts) is then in that language
(reconsult.i18n). The answer says which (Content-Language), and that it
depends on both (Vary), so a shared cache never gives one person's
language to another.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconsult import i18n

__all__ = ["COOKIE", "LanguageMiddleware", "language_of"]

COOKIE = "language"


def language_of(headers: Headers) -> str:
    """Return the language a request asks for: its cookie's, else Accept-Language's."""
    chosen = cookie_parser(headers.get("cookie", "")).get(COOKIE)
    return i18n.supported(chosen) or i18n.negotiate(headers.get("accept-language"))


class LanguageMiddleware:
    """Read every request in its language; say so in the answer's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = language_of(Headers(scope=scope))

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"content-language", language.encode()))
                headers.append((b"vary", b"Accept-Language, Cookie"))
                message["headers"] = headers
            await send(message)

        with i18n.reading(language):
            await self.app(scope, receive, send_with_language)
