"""Sign-in limits in the database: parallel guesses on many workers are counted exactly."""

from __future__ import annotations

from reconsult.accounts.sign_in import SignInLimits, sign_in
from reconsult.storage import Database
from tests.accounts import HASHER, NOW, in_parallel, make_user

LIMITS = SignInLimits(per_source=10, per_account=100, delay=0)


def test_parallel_guesses_on_four_workers_get_no_more_checks_than_the_limit(db: Database) -> None:
    """8 threads over 4 engines send 40 wrong passwords from one address at once."""
    make_user(db)

    def guesses(worker: Database, thread: int) -> list[str]:
        outcomes = []
        for n in range(5):
            outcome = sign_in(
                worker,
                HASHER,
                "ana@example.org",
                f"guess {thread} {n}",
                source="198.51.100.7",
                device_token=None,
                limits=LIMITS,
                now=NOW,
            )
            outcomes.append("refused" if outcome.refused else "checked")
        return outcomes

    outcomes = [o for thread in in_parallel(db, guesses, threads=8, engines=4) for o in thread]
    assert 1 <= outcomes.count("checked") <= 10
    assert outcomes.count("refused") == 40 - outcomes.count("checked")


def test_an_ipv6_client_cannot_escape_the_limit_by_changing_its_address_in_its_64(
    db: Database,
) -> None:
    make_user(db)
    answers = [
        sign_in(
            db,
            HASHER,
            "ana@example.org",
            "wrong",
            source=f"2001:db8:1:2::{n:x}",
            device_token=None,
            limits=LIMITS,
            now=NOW,
        ).refused
        is None
        for n in range(1, 13)
    ]
    assert answers == [True] * 10 + [False, False]


def test_the_wait_doubles_after_five_wrong_passwords_up_to_five_minutes() -> None:
    limits = SignInLimits(per_source=10, per_account=100, delay=1.5)
    waits = [limits.wait(n).total_seconds() for n in (0, 4, 5, 6, 7, 12, 40)]
    assert waits == [0, 0, 1.5, 3, 6, 192, 300]
