"""Person A cannot read, change or delete anything of B's, on any route the app has.

The routes are enumerated from the app's router, so a route added later is
tested without anyone remembering to: a route with a path parameter this
file does not know fails the test until an id for it is added to ``ids``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from reconsult.accounts.access import add_staff, claim_case, create_clinic, share_case
from reconsult.accounts.users import find_user
from reconsult.casefile.repository import add_journal_entry, export_case, save_case
from reconsult.web.access.guard import STAFF_PAGES
from tests.casefile.test_repository import full_case
from tests.conftest import TODAY
from tests.server.conftest import new_case
from tests.server.route_table import app_routes

SECRET = "ALICE-PRIVATE"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PARAM = re.compile(r"{(\w+)}")
# Routes that end the asker's own session: asked last, or the rest would be asked signed out.
SIGN_OUTS = {
    ("POST", "/account/sign-out"),
    ("POST", "/account/sign-out-elsewhere"),
    ("DELETE", "/api/v1/sessions/current"),
}


def routes_in_order(app: FastAPI) -> list[tuple[str, str]]:
    """Every route, the sign-outs last."""
    routes = app_routes(app)
    return [r for r in routes if r not in SIGN_OUTS] + [r for r in routes if r in SIGN_OUTS]


@dataclass
class World:
    """Alice's full case, shared with her clinic; Bob; Carol, staff of another clinic."""

    app: FastAPI
    alice: TestClient
    bob: TestClient
    carol: TestClient
    case_id: str
    ids: dict[str, str]


def _fill(template: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "kind":
            return "goals" if "/words/" in template else "products"
        assert name in ids, f"{template}: add an id for the new path parameter {name!r}"
        return ids[name]

    return PARAM.sub(value, template)


@pytest.fixture
def world(server_app: FastAPI, person: Callable[[str], TestClient]) -> Iterator[World]:
    alice, bob, carol = (
        person("alice@example.org"),
        person("bob@example.org"),
        person("carol@example.org"),
    )
    db = server_app.state.reconsult.database
    now = server_app.state.reconsult.now()
    case = full_case(case_id="alice-case-0000000000").model_copy(
        update={"title": f"{SECRET} nose and lips", "person_name": f"{SECRET} Zoë"}
    )
    save_case(db, case)
    owner = find_user(db, "alice@example.org")
    assert owner is not None
    claim_case(db, case.id, owner.id)
    entry = add_journal_entry(
        db, case.id, text=f"{SECRET}: my lip is swollen", written_on=TODAY, procedure_id="p2"
    )
    own_clinic = create_clinic(db, "Alice's clinic", now=now)
    create_clinic(db, "Carol's clinic", now=now)
    add_staff(db, "Carol's clinic", "carol@example.org", now=now)
    share = share_case(db, case.id, own_clinic.id, days=30, now=now)
    ids = {
        "case_id": case.id,
        "photo_id": "ph1",
        "entry_id": entry.id,
        "request_id": "r1",
        "procedure_id": "p2",
        "product_id": "x1",
        "item_id": "x1",
        "index": "0",
        "check_id": "v1",
        "consultation_id": "c1",
        "share_id": share.id,
        "code": "rhinoplasty",
        "npi": "1234567893",
    }
    yield World(server_app, alice, bob, carol, case.id, ids)


def _snapshot(world: World) -> bytes:
    return export_case(world.app.state.reconsult.database, world.case_id, exported_at=FIXED)


def _ask(client: TestClient, method: str, path: str) -> tuple[int, str]:
    if method == "GET":
        answer = client.get(path)
    elif method == "POST":
        answer = client.post(path, data={"confirm": "yes", "title": "changed by someone else"})
    else:
        answer = client.request(method, path)
    return answer.status_code, answer.text


def test_every_route_is_enumerated_and_has_ids(world: World) -> None:
    routes = routes_in_order(world.app)
    case_routes = [r for r in routes if "{case_id}" in r[1]]
    assert len(routes) > 60 and len(case_routes) > 40  # the router really was read
    for _method, template in routes:
        _fill(template, world.ids)


def test_someone_else_cannot_read_change_or_delete_a_case_on_any_route(world: World) -> None:
    before = _snapshot(world)
    seen: list[str] = []
    for method, template in routes_in_order(world.app):
        status, body = _ask(world.bob, method, _fill(template, world.ids))
        assert status < 500, f"{method} {template}: {status}"
        assert SECRET not in body, f"{method} {template} showed Alice's case to Bob"
        if "{case_id}" in template:
            assert status == 404, f"{method} {template}: {status}, not 404"
            seen.append(template)
    assert _snapshot(world) == before
    assert len(seen) > 40
    # Alice's own view still works, and her log shows nothing of Bob's: he never reached it.
    assert world.alice.get(f"/cases/{world.case_id}").status_code == 200
    activity = world.alice.get(f"/cases/{world.case_id}/activity").text
    assert "bob@example.org" not in activity


def test_ids_from_someone_elses_case_do_not_work_inside_your_own(world: World) -> None:
    before = _snapshot(world)
    bobs = new_case(world.bob)
    ids = {**world.ids, "case_id": bobs}
    for method, template in routes_in_order(world.app):
        if "{case_id}" not in template or template == "/cases/{case_id}":
            continue
        status, body = _ask(world.bob, method, _fill(template, ids))
        assert status < 500, f"{method} {template}: {status}"
        assert SECRET not in body, f"{method} {template} showed Alice's data inside Bob's case"
    assert _snapshot(world) == before


def test_nobody_signed_in_reaches_case_pages_or_the_api(world: World) -> None:
    stranger = TestClient(world.app, base_url=str(world.alice.base_url), follow_redirects=False)
    for method, template in routes_in_order(world.app):
        path = _fill(template, world.ids)
        status, body = _ask(stranger, method, path)
        assert SECRET not in body, f"{method} {template}"
        if template.startswith("/cases"):
            assert status == 303, f"{method} {template}: {status}"
        elif template.startswith("/api/v1") and template not in (
            "/api/v1/sessions",
            "/api/v1/openapi.json",
        ):
            assert status == 401, f"{method} {template}: {status}"


def test_clinic_staff_read_a_shared_case_and_change_nothing(world: World) -> None:
    db = world.app.state.reconsult.database
    now = world.app.state.reconsult.now()
    # Not Carol's clinic: she sees nothing.
    assert world.carol.get(f"/cases/{world.case_id}").status_code == 404
    add_staff(db, "Alice's clinic", "carol@example.org", now=now)
    world.carol = TestClient(
        world.app,
        base_url=str(world.alice.base_url),
        follow_redirects=False,
        cookies=world.carol.cookies,
    )
    before = _snapshot(world)
    read = 0
    for method, template in routes_in_order(world.app):
        if "{case_id}" not in template:
            continue
        status, _body = _ask(world.carol, method, _fill(template, world.ids))
        if method == "GET" and template in STAFF_PAGES:
            owner_status, _ = _ask(world.alice, method, _fill(template, world.ids))
            assert status == owner_status, f"{method} {template}: {status}, owner {owner_status}"
            read += status == 200
        else:
            assert status == 403, f"{method} {template}: {status}, not 403"
    assert _snapshot(world) == before
    assert read >= len(STAFF_PAGES) - 2  # the overview, downloads, photos, notes and letters
    listing = world.carol.get("/cases").text
    assert SECRET in listing and "Shared with your clinic" in listing
    # Alice sees that Carol looked, and what she tried.
    activity = world.alice.get(f"/cases/{world.case_id}/activity").text
    assert "carol@example.org (Alice&#39;s clinic)" in activity
    assert "(refused)" in activity


def test_a_revoked_or_expired_share_hides_the_case_again(world: World) -> None:
    db = world.app.state.reconsult.database
    now = world.app.state.reconsult.now()
    add_staff(db, "Alice's clinic", "carol@example.org", now=now)
    assert world.carol.get(f"/cases/{world.case_id}").status_code == 200
    page = world.alice.get(f"/cases/{world.case_id}/sharing").text
    assert "Alice&#39;s clinic" in page
    stop = world.alice.post(f"/cases/{world.case_id}/sharing/{world.ids['share_id']}/stop")
    assert stop.status_code == 303
    for method, template in routes_in_order(world.app):
        if "{case_id}" in template:
            status, body = _ask(world.carol, method, _fill(template, world.ids))
            assert status == 404 and SECRET not in body, f"{method} {template}: {status}"
    assert SECRET not in world.carol.get("/cases").text
