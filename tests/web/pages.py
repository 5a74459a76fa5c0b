"""Helpers to read pages by structure and to walk the guided journey with a test client."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from starlette.testclient import TestClient

from tests.conftest import TODAY


def title(html: str) -> str:
    """Return the page's <title> text."""
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "page has no <title>"
    return unescape(match.group(1)).strip()


def h1(html: str) -> str:
    """Return the text of the page's single <h1>, tags stripped."""
    found = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert len(found) == 1, f"expected one <h1>, found {len(found)}"
    return unescape(re.sub(r"<[^>]+>", "", found[0])).strip()


def care_cards(html: str) -> list[str]:
    """Return the kinds of care card on the page, in order (emergency, urgent, non-urgent)."""
    return re.findall(r'class="care-card care-card--([a-z-]+)"', html)


def error_links(html: str) -> dict[str, str]:
    """Return the error summary's entries: the field id each links to, and the message."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    if summary is None:
        return {}
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0))
    return {target: unescape(text) for target, text in links}


def back_link(html: str) -> str:
    """Return where the page's back link goes."""
    match = re.search(r'<a class="back-link" href="([^"]+)"', html)
    assert match, "page has no back link"
    return match.group(1)


def start(client: TestClient) -> None:
    """Press 'Start now' and answer the first question, 'Is any of this happening now?', no."""
    response = client.post("/assessment/start")
    assert response.status_code == 303
    assert response.headers["location"] == "/assessment/emergency-check"
    answer = client.post("/assessment/emergency-check", data={"now": "none"})
    assert answer.headers["location"] == "/assessment/procedure"


def describe(client: TestClient, *, procedure: str, days_ago: int | None, description: str) -> str:
    """Answer the procedure, the date and the words; return where the words sent us."""
    start(client)
    client.post("/assessment/procedure", data={"procedure": procedure})
    if days_ago is None:
        client.post("/assessment/when", data={"action": "unknown"})
    else:
        day = TODAY - dt.timedelta(days=days_ago)
        client.post("/assessment/when", data={"day": day.day, "month": day.month, "year": day.year})
    location = client.post("/assessment/description", data={"description": description})
    return str(location.headers["location"])


def walk(
    client: TestClient,
    *,
    procedure: str,
    description: str,
    days_ago: int | None = 5,
    signs: list[str] | None = None,
    confirm: bool = True,
) -> str:
    """Answer every question in order; return the path the last answer redirected to."""
    where = describe(client, procedure=procedure, days_ago=days_ago, description=description)
    if where.endswith("/warning-signs"):
        answer = client.post("/assessment/warning-signs", data={"signs": signs or ["none"]})
        where = answer.headers["location"]
    if where.endswith("/check") and confirm:
        where = client.post("/assessment/check").headers["location"]
    return str(where)
