"""Read a form, refusing one that is too big before it is all read.

The browser says how big the request is (Content-Length) and we refuse at
once when that is over the limit; a request that does not say is counted as
it arrives and stopped at the limit. Either way nothing is parsed or saved.

:func:`read_upload` reads a form with a file in it (a photo, a case file).
:func:`read_text_form` reads a form of text boxes with a limit of its own, so
its page can answer a form that is too big with the field's own error
instead of a general one (Starlette's parser refuses any box over 1 MB with a
bare "400"; issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.types import Message, Receive

__all__ = ["Upload", "UploadTooLarge", "read_text_form", "read_upload"]

FORM_OVERHEAD = 64_000  # the other boxes on the form and the multipart boundaries


class UploadTooLarge(Exception):
    """The request is bigger than the page accepts."""


@dataclass(frozen=True)
class Upload:
    """The uploaded file's bytes (empty if none was chosen) and the rest of the form."""

    data: bytes
    filename: str
    form: FormData


def _limited(receive: Receive, max_bytes: int) -> Receive:
    seen = 0

    async def receive_limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise UploadTooLarge
        return message

    return receive_limited


async def read_upload(request: Request, *, max_bytes: int, field: str = "file") -> Upload:
    """Read a multipart form whose ``field`` is a file of at most ``max_bytes``."""
    limit = max_bytes + FORM_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise UploadTooLarge
    limited = Request(request.scope, _limited(request.receive, limit))
    form = await limited.form(max_files=1, max_fields=100)
    try:
        item = form.get(field)
        if isinstance(item, UploadFile):
            data = await item.read()
            if len(data) > max_bytes:
                raise UploadTooLarge
            return Upload(data=data, filename=item.filename or "", form=form)
        return Upload(data=b"", filename="", form=form)
    finally:
        await form.close()  # every file in the form, also one sent under another name


async def read_text_form(request: Request, *, max_bytes: int) -> dict[str, str] | None:
    """Return a form of text boxes of at most ``max_bytes`` in all, or None if it is bigger.

    A bigger form is refused before it is all read. These forms send no file:
    one sent anyway is refused by the parser, as on every other form.
    """
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        return None
    limited = Request(request.scope, _limited(request.receive, max_bytes))
    try:
        form = await limited.form(max_files=0, max_fields=100, max_part_size=max_bytes)
    except UploadTooLarge:
        return None
    try:
        return {key: value for key, value in form.items() if isinstance(value, str)}
    finally:
        await form.close()
