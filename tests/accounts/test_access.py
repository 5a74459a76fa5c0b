"""Who sees a case: its owner always; a clinic's staff only while the owner's share is in force."""

from __future__ import annotations

import datetime as dt

import pytest

from reconsult.accounts.access import (
    MAX_SHARE_DAYS,
    Role,
    add_staff,
    case_access,
    create_clinic,
    list_clinics,
    owned_cases,
    remove_staff,
    revoke_share,
    share_case,
    shared_cases,
    shares_of,
)
from reconsult.accounts.sessions import signed_in, start_session
from reconsult.accounts.users import AccountError, User
from reconsult.casefile.repository import create_case, delete_case
from reconsult.storage import Database
from tests.accounts import NOW, make_owned_case, make_user

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)


class World:
    """An owner with a case, a clinic with one staff member, and another clinic with one."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.owner = make_user(db, "ana@example.org")
        self.nurse = make_user(db, "nurse@aster.example")
        self.stranger = make_user(db, "doc@zinnia.example")
        self.case_id = make_owned_case(db, self.owner, title="My lips")
        self.aster = create_clinic(db, "Aster Clinic", now=NOW).id
        self.zinnia = create_clinic(db, "Zinnia Clinic", now=NOW).id
        add_staff(db, "Aster Clinic", self.nurse.email, now=NOW)
        add_staff(db, "Zinnia Clinic", self.stranger.email, now=NOW)

    def access(self, who: User, clinics: tuple[str, ...], *, at: dt.datetime = NOW) -> Role | None:
        found = case_access(self.db, self.case_id, user_id=who.id, clinics=clinics, now=at)
        return None if found is None else found.role

    def nurse_sees(self, *, at: dt.datetime = NOW) -> bool:
        return self.access(self.nurse, (self.aster,), at=at) is Role.clinic


@pytest.fixture
def world(db: Database) -> World:
    return World(db)


def test_the_owner_sees_their_case_and_staff_do_not_until_it_is_shared(world: World) -> None:
    owner = case_access(world.db, world.case_id, user_id=world.owner.id, clinics=(), now=NOW)
    assert owner is not None
    assert (owner.role, owner.owner_id, owner.case_title) == (Role.owner, world.owner.id, "My lips")
    assert not world.nurse_sees()

    share = share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    seen = case_access(
        world.db, world.case_id, user_id=world.nurse.id, clinics=(world.aster,), now=NOW
    )
    assert seen is not None
    assert seen.role is Role.clinic
    assert seen.clinic_name == "Aster Clinic"
    assert seen.owner_id == world.owner.id
    assert seen.until == share.expires_at == NOW + 30 * DAY


def test_a_share_ends_when_it_expires(world: World) -> None:
    share_case(world.db, world.case_id, world.aster, days=7, now=NOW)
    assert world.nurse_sees(at=NOW + 7 * DAY - SECOND)
    assert not world.nurse_sees(at=NOW + 7 * DAY)
    assert world.access(world.owner, (), at=NOW + 7 * DAY) is Role.owner


def test_a_revoked_share_ends_at_once(world: World) -> None:
    share = share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    assert world.nurse_sees()
    assert revoke_share(world.db, world.case_id, share.id, now=NOW + SECOND)
    assert not world.nurse_sees(at=NOW + 2 * SECOND)
    assert not revoke_share(world.db, world.case_id, share.id, now=NOW + 2 * SECOND)


def test_a_share_is_revoked_only_through_its_own_case(world: World) -> None:
    share = share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    other_case = make_owned_case(world.db, world.stranger, title="Theirs")
    assert not revoke_share(world.db, other_case, share.id, now=NOW)
    assert world.nurse_sees()


def test_staff_of_another_clinic_never_see_it(world: World) -> None:
    share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    assert world.access(world.stranger, (world.zinnia,)) is None
    assert world.access(world.stranger, ()) is None
    # Another account is not staff of Aster just by naming nothing.
    assert world.access(world.owner, (world.zinnia,)) is Role.owner


def test_a_missing_case_and_someone_elses_case_look_the_same(world: World) -> None:
    elses = case_access(world.db, world.case_id, user_id=world.stranger.id, clinics=(), now=NOW)
    missing = case_access(world.db, "no-such-case", user_id=world.stranger.id, clinics=(), now=NOW)
    assert elses is None and missing is None


def test_a_case_without_an_owner_is_nobodys(world: World) -> None:
    unowned = create_case(world.db, title="Personal mode case").id
    assert case_access(world.db, unowned, user_id=world.owner.id, clinics=(), now=NOW) is None


def test_shared_cases_lists_only_shares_in_force(world: World) -> None:
    db, owner = world.db, world.owner
    in_force = world.case_id
    revoked = make_owned_case(db, owner, title="Revoked")
    expired = make_owned_case(db, owner, title="Expired")
    make_owned_case(db, owner, title="Never shared")
    to_zinnia = make_owned_case(db, owner, title="Shared elsewhere")
    share_case(db, in_force, world.aster, days=30, now=NOW)
    stop = share_case(db, revoked, world.aster, days=30, now=NOW)
    revoke_share(db, revoked, stop.id, now=NOW)
    share_case(db, expired, world.aster, days=1, now=NOW - 2 * DAY)
    share_case(db, to_zinnia, world.zinnia, days=30, now=NOW)

    listed = shared_cases(db, (world.aster,), now=NOW)
    assert [(c.case_id, c.title, c.owner_email, c.clinic_name) for c in listed] == [
        (in_force, "My lips", "ana@example.org", "Aster Clinic")
    ]
    assert listed[0].until == NOW + 30 * DAY
    assert shared_cases(db, (), now=NOW) == []


def test_a_case_shared_twice_is_listed_once(world: World) -> None:
    share_case(world.db, world.case_id, world.aster, days=3, now=NOW)
    share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    assert [c.case_id for c in shared_cases(world.db, (world.aster,), now=NOW)] == [world.case_id]


def test_removing_someone_from_the_staff_removes_their_access(world: World) -> None:
    share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    token = start_session(world.db, world.nurse.id, now=NOW, idle=DAY)
    who = signed_in(world.db, token, now=NOW, idle=DAY)
    assert who is not None and who.clinics == (world.aster,)
    assert world.access(world.nurse, who.clinics) is Role.clinic

    assert remove_staff(world.db, "Aster Clinic", "Nurse@Aster.example")
    who = signed_in(world.db, token, now=NOW + SECOND, idle=DAY)
    assert who is not None and who.clinics == ()
    assert world.access(world.nurse, who.clinics) is None
    assert not remove_staff(world.db, "Aster Clinic", world.nurse.email)


def test_shares_of_lists_every_share_newest_first(world: World) -> None:
    first = share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    second = share_case(world.db, world.case_id, world.zinnia, days=5, now=NOW + SECOND)
    revoke_share(world.db, world.case_id, first.id, now=NOW + 2 * SECOND)
    shares = shares_of(world.db, world.case_id)
    assert [s.id for s in shares] == [second.id, first.id]
    assert [s.clinic_name for s in shares] == ["Zinnia Clinic", "Aster Clinic"]
    assert shares[1].revoked_at == NOW + 2 * SECOND
    assert [s.in_force(NOW + 3 * SECOND) for s in shares] == [True, False]
    assert not shares[0].in_force(NOW + 5 * DAY + SECOND)


def test_deleting_a_case_ends_its_ownership_and_shares(world: World) -> None:
    share_case(world.db, world.case_id, world.aster, days=30, now=NOW)
    delete_case(world.db, world.case_id)
    assert world.access(world.owner, ()) is None
    assert shares_of(world.db, world.case_id) == []
    assert owned_cases(world.db, world.owner.id) == []


def test_owned_cases_lists_only_the_persons_own(world: World) -> None:
    second = make_owned_case(world.db, world.owner, title="Nose")
    make_owned_case(world.db, world.stranger, title="Not hers")
    assert {(i, t) for i, t, _ in owned_cases(world.db, world.owner.id)} == {
        (world.case_id, "My lips"),
        (second, "Nose"),
    }


@pytest.mark.parametrize("days", [0, -1, MAX_SHARE_DAYS + 1], ids=["zero", "negative", "too-long"])
def test_a_share_needs_a_sensible_number_of_days(world: World, days: int) -> None:
    with pytest.raises(AccountError, match=f"1 to {MAX_SHARE_DAYS}"):
        share_case(world.db, world.case_id, world.aster, days=days, now=NOW)
    assert shares_of(world.db, world.case_id) == []


def test_a_share_needs_a_clinic_that_exists(world: World) -> None:
    with pytest.raises(AccountError, match="one of the clinics in the list"):
        share_case(world.db, world.case_id, "no-such-clinic", days=3, now=NOW)


# --- clinics and staff -----------------------------------------------------------------


def test_clinics_are_listed_by_name_with_their_staff(world: World) -> None:
    add_staff(world.db, "Aster Clinic", world.owner.email, now=NOW)
    create_clinic(world.db, "  Bluebell   Group ", now=NOW)
    assert [(c.name, c.staff) for c in list_clinics(world.db)] == [
        ("Aster Clinic", ("ana@example.org", "nurse@aster.example")),
        ("Bluebell Group", ()),
        ("Zinnia Clinic", ("doc@zinnia.example",)),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Aster Clinic", "already a clinic called 'Aster Clinic'"),
        (" Aster   Clinic", "already a clinic called 'Aster Clinic'"),
        ("   ", "1 to 200 characters"),
        ("x" * 201, "1 to 200 characters"),
    ],
    ids=["taken", "taken-with-spaces", "blank", "too-long"],
)
def test_a_clinic_name_must_be_new_and_not_blank(world: World, name: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        create_clinic(world.db, name, now=NOW)
    assert len(list_clinics(world.db)) == 2


def test_staff_must_have_an_account_and_a_real_clinic(world: World) -> None:
    with pytest.raises(AccountError, match="Ask them to sign up first"):
        add_staff(world.db, "Aster Clinic", "new@aster.example", now=NOW)
    with pytest.raises(AccountError, match="no clinic called 'Lupin'"):
        add_staff(world.db, "Lupin", world.owner.email, now=NOW)
    with pytest.raises(AccountError, match="already on this clinic's staff"):
        add_staff(world.db, "aster clinic".title(), "NURSE@aster.example", now=NOW)
    with pytest.raises(AccountError, match="no clinic called 'Lupin'"):
        remove_staff(world.db, "Lupin", world.nurse.email)
    assert not remove_staff(world.db, "Aster Clinic", "nobody@example.org")


def test_a_new_case_and_its_owner_are_stored_together_or_not_at_all(db: Database) -> None:
    from reconsult.accounts.access import owned_by, owned_cases
    from reconsult.casefile.repository import list_cases

    ana = make_user(db, "ana@example.org")
    case = create_case(db, also=owned_by(ana.id))
    assert [c[0] for c in owned_cases(db, ana.id)] == [case.id]

    def dies_half_way(session: object, case_id: str) -> None:
        owned_by(ana.id)(session, case_id)  # type: ignore[arg-type]
        raise RuntimeError("the worker was killed here")

    with pytest.raises(RuntimeError):
        create_case(db, title="Lost", also=dies_half_way)
    assert [c[1] for c in list_cases(db)] == ["My case"]  # no case without an owner
