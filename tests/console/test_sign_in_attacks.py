"""Sign-in under attack: concurrent guesses, name probing, throttling, the write lock."""

from __future__ import annotations

import json
import re
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from ledger.domain import console_users, passwords
from ledger.domain.console_users import MAX_FAILURES
from ledger.service.admin import SignInOutcome
from ledger.service.throttle import SignInThrottle, SlidingWindow
from ledger.storage.models import ConsoleUser, HrAction
from tests.conftest import LiveLedger
from tests.console.conftest import PASSWORD, Browser
from tests.ledger import factory


def _error(page: str) -> str:
    found = re.search(r'<p class="error-box" role="alert">([^<]*)</p>', page)
    assert found is not None, page
    return found.group(1)


def _log(service, action: str) -> list[HrAction]:
    with service.db.read() as session:
        return session.query(HrAction).filter_by(action=action).order_by(HrAction.id).all()


def _user(service, name: str) -> ConsoleUser:
    with service.db.read() as session:
        return session.query(ConsoleUser).filter_by(name=name).one()


def test_concurrent_wrong_passwords_lock_the_account(floor) -> None:
    # The windows would refuse most of these bursts; here the database's count is on trial.
    floor.sign_in_throttle = SignInThrottle(per_account=10_000, per_address=10_000)

    def guess(i: int) -> SignInOutcome:
        return floor.sign_in("hr-wang", f"guess number {i}", f"10.0.{i // 250}.{i % 250}")

    with ThreadPoolExecutor(max_workers=40) as pool:
        for burst in range(3):
            outcomes = list(pool.map(guess, range(burst * 40, burst * 40 + 40)))
            reasons = [o.reason for o in outcomes if isinstance(o, console_users.SignInRefused)]
            assert len(reasons) == 40
            # Counted one at a time: the first burst's MAX_FAILURES-th failure locks.
            wrong = MAX_FAILURES - 1 if burst == 0 else 0
            assert reasons.count("wrong") == wrong and reasons.count("locked") == 40 - wrong
    user = _user(floor, "hr-wang")
    assert user.locked_until is not None and user.locked_until > floor.clock()
    # The right password is refused while the lock lasts...
    refused = floor.sign_in("hr-wang", PASSWORD, "10.9.9.9")
    assert isinstance(refused, console_users.SignInRefused) and refused.reason == "locked"
    # ...the lock was set once (attempts while locked neither count nor extend it)...
    assert len(_log(floor, "user.locked")) == 1
    # ...and every failure is in the log, counted per account and minute.
    lines = _log(floor, "user.sign_in_failed")
    assert sum(json.loads(line.after or "{}")["failures"] for line in lines) == 121
    floor.clock.advance(minutes=16)
    assert isinstance(floor.sign_in("hr-wang", PASSWORD, "10.9.9.9"), tuple)


def test_the_count_is_exact_under_concurrency(floor) -> None:
    # Fewer concurrent failures than the limit: every one must be counted, none lost.
    floor.sign_in_throttle = SignInThrottle(per_account=10_000, per_address=10_000)
    with ThreadPoolExecutor(max_workers=MAX_FAILURES - 1) as pool:
        list(pool.map(lambda i: floor.sign_in("hr-wang", f"x{i}", "10.1.1.1"), range(4)))
    assert _user(floor, "hr-wang").failed_logins == MAX_FAILURES - 1
    last = floor.sign_in("hr-wang", "one more guess", "10.1.1.1")
    assert isinstance(last, console_users.SignInRefused) and last.reason == "locked"


def test_unknown_wrong_and_locked_answer_alike(console: LiveLedger, clock) -> None:
    browser = Browser(console.url)
    unknown = browser.sign_in("no-such-user", "some password")
    wrong = browser.sign_in("hr-wang", "some password")
    for _ in range(MAX_FAILURES - 1):
        browser.sign_in("hr-wang", "some password")
    locked = browser.sign_in("hr-wang", "some password")
    locked_right = browser.sign_in("hr-wang")
    pages = (unknown, wrong, locked, locked_right)
    assert {p.status_code for p in pages} == {401}
    assert len({_error(p.text) for p in pages}) == 1
    assert "用户名或密码错误" in _error(unknown.text)


def _median_seconds(attempt: Callable[[], object], times: int = 5) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        attempt()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def test_unknown_names_cost_a_password_check(floor) -> None:
    floor.sign_in_throttle = SignInThrottle(per_account=10_000, per_address=10_000)
    # The dummy hash has the parameters of real ones, so checking it costs the same.
    real = _user(floor, "hr-wang").password_hash
    assert passwords.dummy_hash().split("$")[:4] == real.split("$")[:4]
    unknown = _median_seconds(lambda: floor.sign_in("nobody-here", "some password", "a"))
    wrong = _median_seconds(lambda: floor.sign_in("it-admin", "some password", "b"))
    floor.clock.advance(minutes=1)
    # Same timing class: an unknown name is not answered much faster than a known one.
    assert unknown > 0.5 * wrong, (unknown, wrong)


def test_argon2_never_runs_inside_a_write(floor, monkeypatch: pytest.MonkeyPatch) -> None:
    if not floor.db.is_sqlite:
        pytest.skip("the writer lock to observe is SQLite's")
    writer = floor.db._sqlite_writer
    held: list[bool] = []
    for name in ("verify", "hash_password"):
        real = getattr(passwords, name)

        def spy(*args: str, _real: Callable[..., object] = real) -> object:
            held.append(writer.locked())
            return _real(*args)

        monkeypatch.setattr(passwords, name, spy)
    floor.sign_in("hr-wang", "wrong password", "a")
    floor.sign_in("nobody", "wrong password", "a")
    floor.sign_in("hr-wang", PASSWORD, "a")
    user_id = _user(floor, "hr-wang").id
    floor.reset_password(user_id, "a fresh start for wang")
    floor.change_own_password(user_id, "a fresh start for wang", "wang's own new phrase", "")
    floor.create_user("hr-zhao", console_users.ConsoleRole.HR, "zhao reads the ledger")
    assert len(held) == 7 and not any(held)


def test_a_kiosk_order_is_not_held_up_by_sign_in_guesses(floor) -> None:
    if not floor.db.is_sqlite:
        pytest.skip("the single writer is SQLite's")
    floor.sign_in_throttle = SignInThrottle(per_account=10_000, per_address=10_000)
    stop = threading.Event()

    def guess(n: int) -> None:
        i = 0
        while not stop.is_set():
            floor.sign_in(f"guess-{n}", f"password {i}", f"10.2.0.{n}")
            i += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # let the guesses fill the machine
        started = time.perf_counter()
        placed = floor.place_order(
            factory.order_request("E1001", "card-100", 1000, placed_at=floor.clock()), None
        )
        spent = time.perf_counter() - started
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert placed.refusal is None
    assert spent < 2.0, spent


def test_throttled_per_address_with_a_clear_message(console: LiveLedger, clock) -> None:
    # A small window: each attempt costs an Argon2 check, the count is what is on trial.
    throttle = console.service.sign_in_throttle = SignInThrottle(per_address=5)
    browser = Browser(console.url)
    for i in range(throttle.addresses.limit):
        assert browser.sign_in(f"probe-{i}", "some password").status_code == 401
    refused = browser.sign_in("hr-wang")  # even the right password must wait
    assert refused.status_code == 429 and "登录尝试次数过多" in _error(refused.text)
    assert browser.sign_in("it-admin").status_code == 429
    # Logged once per address while it stays refused, not once per attempt.
    assert len(_log(console.service, "user.sign_in_throttled")) == 1
    clock.advance(minutes=16)
    assert browser.sign_in("hr-wang").status_code == 200


def test_throttled_per_account(floor) -> None:
    limit = floor.sign_in_throttle.accounts.limit
    for i in range(limit):
        outcome = floor.sign_in("ghost", "some password", f"10.3.0.{i}")
        assert isinstance(outcome, console_users.SignInRefused) and outcome.reason == "wrong"
    again = floor.sign_in("GHOST", "some password", "10.3.1.1")
    assert isinstance(again, console_users.SignInRefused) and again.reason == "throttled"
    # Other accounts are not held back by one name's guesses.
    assert isinstance(floor.sign_in("hr-wang", PASSWORD, "10.3.1.1"), tuple)


def test_right_passwords_do_not_use_up_the_window(floor) -> None:
    floor.sign_in_throttle = SignInThrottle(per_account=3, per_address=3)
    for _ in range(6):
        assert isinstance(floor.sign_in("hr-wang", PASSWORD, "10.4.0.1"), tuple)


def test_failed_sign_ins_are_logged_per_account_and_minute(floor) -> None:
    for address in ("10.5.0.1", "10.5.0.2", "10.5.0.1"):
        floor.sign_in("hr-wang", "not it", address)
    floor.sign_in("nobody", "not it", "10.5.0.3")
    lines = _log(floor, "user.sign_in_failed")
    by_name = {line.target: json.loads(line.after or "{}") for line in lines}
    assert len(lines) == 2
    assert by_name["hr-wang"] == {"addresses": ["10.5.0.1", "10.5.0.2"], "failures": 3}
    assert by_name["nobody"]["failures"] == 1
    floor.clock.advance(minutes=1)
    floor.sign_in("hr-wang", "not it", "10.5.0.1")
    assert len(_log(floor, "user.sign_in_failed")) == 3
    assert all("not it" not in (line.after or "") for line in _log(floor, "user.sign_in_failed"))


def test_the_window_keeps_a_bounded_number_of_keys(clock) -> None:
    window = SlidingWindow(limit=3, span=timedelta(minutes=1), max_keys=100)
    for i in range(1000):
        assert window.admit(f"key-{i}", clock()).admitted
    assert window.keys() == 100
    for _ in range(3):
        assert window.admit("one", clock()).admitted
    first, second = window.admit("one", clock()), window.admit("one", clock())
    assert not first.admitted and first.first_refusal
    assert not second.admitted and not second.first_refusal
    clock.advance(seconds=61)
    assert window.admit("one", clock()).admitted
