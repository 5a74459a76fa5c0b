"""The language a person reads the pages in: their browser's, or the one they chose (issue 18)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.web.test_api import ASSESSMENTS, EMERGENCY_WORDS, case_body

SPANISH = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', html)
    assert found, "no <html lang> on the page"
    return found.group(1)


def test_a_spanish_browser_reads_the_pages_in_spanish(client: TestClient) -> None:
    page = client.get("/help", headers=SPANISH)
    assert page.status_code == 200
    assert _lang(page.text) == "es"
    assert page.headers["content-language"] == "es"
    assert "Accept-Language" in page.headers["vary"]
    assert "Ayuda urgente" in page.text
    # Mexico's numbers first for a browser in Mexico, its crisis line in Spanish.
    calls = re.findall(r'href="tel:([0-9]+)"', page.text)
    assert calls[0] == "911"
    assert "8009112000" in calls
    assert "Para hablar en español, marque 2." in page.text


def test_an_english_browser_reads_english_and_sees_the_switch(client: TestClient) -> None:
    page = client.get("/help", headers={"accept-language": "en-US"})
    assert _lang(page.text) == "en"
    assert page.headers["content-language"] == "en"
    switch = re.search(r'<a class="header__language" href="([^"]+)" lang="es"', page.text)
    assert switch and switch.group(1) == "/language/es?back=/help"


def test_the_switch_is_kept_whatever_the_browser_says(client: TestClient) -> None:
    answer = client.get("/language/es?back=/about")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/about"
    assert "language=es" in answer.headers["set-cookie"]
    assert "HttpOnly" in answer.headers["set-cookie"]
    page = client.get("/about", headers={"accept-language": "en-GB"})
    assert _lang(page.text) == "es"
    back = client.get("/language/en?back=/about")
    assert back.headers["location"] == "/about"
    assert _lang(client.get("/about", headers=SPANISH).text) == "en"


def test_the_switch_never_leaves_the_site_and_ignores_unknown_languages(
    client: TestClient,
) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil"):
        answer = client.get("/language/es", params={"back": target})
        assert answer.headers["location"] == "/"
    answer = client.get("/language/xx?back=/help")
    assert answer.status_code == 303 and "set-cookie" not in answer.headers
    assert _lang(client.get("/help").text) == "es"  # as chosen before


def test_the_api_answers_in_the_language_asked_with_the_same_decision(client: TestClient) -> None:
    body = case_body(
        procedure="filler_hyaluronic_acid", days_since_procedure=0, description=EMERGENCY_WORDS
    )
    english = client.post(ASSESSMENTS, json=body, headers={"accept-language": "en"}).json()
    spanish = client.post(ASSESSMENTS, json=body, headers=SPANISH).json()
    assert spanish["urgency"] == english["urgency"] == "emergency"
    assert spanish["options"] == english["options"]
    assert spanish["rules_fired"] == english["rules_fired"]
    assert spanish["headline"] != english["headline"]
    assert "emergencia" in (spanish["headline"] + spanish["detail"]).lower()


def test_a_page_never_mixes_in_english_headings_in_spanish(client: TestClient) -> None:
    """The start page, the first question and the help page: every heading in Spanish."""
    client.post("/assessment/start", headers=SPANISH)
    for path in ("/", "/help", "/assessment/emergency-check", "/guides"):
        page = client.get(path, headers=SPANISH)
        assert page.status_code == 200, path
        headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page.text, re.S)
        english = [h for h in headings if re.search(r"\b(the|your|you|what|and|if)\b", h)]
        assert not english, f"{path}: {english}"
