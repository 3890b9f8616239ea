"""Accounts: login limits that lift after their window, session renewal, logout, headers on
every response, and revocable API and feed tokens."""

from __future__ import annotations

import pytest

from cardscan.store import Store
from tests.support import hardening as h
from web.ratelimit import LoginGuard, RateLimiter


class Clock:
    """A monotonic clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world(tmp_path):
    data = tmp_path / "data"
    app = h.make_app(data, login_attempts_per_minute=3)
    ids = h.add_users(data, "ana", "ben")
    return app, data, ids


def _login(client, name, password, addr="10.0.0.1"):
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": h.csrf_of(client)},
        environ_base={"REMOTE_ADDR": addr},
    )


def test_login_limit_lifts_after_the_window(world):
    app, _, _ = world
    clock = Clock()
    app.extensions["cardscan_login_guard"] = LoginGuard(3, window=60, clock=clock)
    client = app.test_client()
    codes = [_login(client, "ana", "wrong password").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _login(client, "ana", h.PASSWORD).status_code == 429  # even the right one waits
    clock.now += 30
    assert _login(client, "ana", h.PASSWORD).status_code == 429  # still inside the window
    clock.now += 31
    assert _login(client, "ana", h.PASSWORD).status_code == 302  # allowed again


def test_guessing_one_account_from_many_addresses_gets_one_guess_per_address(world):
    app, _, _ = world
    clock = Clock()
    app.extensions["cardscan_login_guard"] = LoginGuard(3, window=60, clock=clock)
    client = app.test_client()
    # One account guessed from many addresses: once it is under attack, an address that has
    # failed for it waits; a new address may try once.
    codes = [_login(client, "ben", "guess", addr=f"10.0.1.{i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 401]
    assert _login(client, "ben", "guess", addr="10.0.1.0").status_code == 429
    # ...while ben himself, from an address that has not failed, gets in.
    assert _login(client, "ben", h.PASSWORD, addr="10.0.9.9").status_code == 302
    # Many accounts guessed from one address.
    codes = [_login(client, f"user{i}", "guess", addr="10.0.2.1").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    # Someone else, elsewhere, is not locked out.
    assert _login(app.test_client(), "ana", h.PASSWORD, addr="10.0.3.1").status_code == 302


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(tmp_path):
    """Ten wrong passwords for ana from one address (the default limit, the real clock): her
    right password from another address gets in at once; the guesser keeps waiting."""
    data = tmp_path / "data"
    app = h.make_app(data)
    h.add_users(data, "ana")
    client = app.test_client()
    codes = [_login(client, "ana", f"guess {i}", addr="10.6.6.6").status_code for i in range(11)]
    assert codes == [401] * 10 + [429]
    assert _login(app.test_client(), "ana", h.PASSWORD, addr="10.0.0.2").status_code == 302
    assert _login(client, "ana", h.PASSWORD, addr="10.6.6.6").status_code == 429


def test_an_address_that_goes_on_guessing_waits_twice_as_long_each_time(world):
    app, _, _ = world
    clock = Clock()
    app.extensions["cardscan_login_guard"] = LoginGuard(3, window=60, clock=clock)
    client = app.test_client()
    waits = []
    for _ in range(4):
        codes = [_login(client, "ana", "guess").status_code for _ in range(3)]
        assert codes == [401, 401, 401]
        refused = _login(client, "ana", h.PASSWORD)
        assert refused.status_code == 429
        wait = int(refused.get_data(as_text=True).split("wait ")[1].split(" ")[0])
        waits.append(wait)
        clock.now += wait
    assert waits == [61, 121, 241, 481]
    assert _login(client, "ana", h.PASSWORD).status_code == 302  # a right one forgives it
    assert [_login(client, "ana", "guess").status_code for _ in range(4)] == [401] * 3 + [429]
    assert "wait 61 seconds" in _login(client, "ana", "x").get_data(as_text=True)


def test_the_anonymous_session_is_not_valid_after_login(world):
    app, _, _ = world
    client = app.test_client()
    token_before = h.csrf_of(client)
    cookie_before = client.get_cookie("session").value
    response = client.post(
        "/login", data={"name": "ana", "password": h.PASSWORD, "csrf_token": token_before}
    )
    assert response.status_code == 302
    cookie_after = client.get_cookie("session").value
    assert cookie_after != cookie_before
    # An attacker who planted (or read) the pre-login cookie is not logged in with it.
    fixed = app.test_client()
    fixed.set_cookie("session", cookie_before)
    assert fixed.get("/api/cards").status_code == 401
    assert fixed.get("/capture").status_code == 302
    # And the pre-login CSRF token does not work in the new session.
    stale = client.post("/api/events", json={"name": "x"}, headers={"X-CSRFToken": token_before})
    assert stale.status_code == 400


def test_logout_ends_the_session_and_needs_a_post_with_csrf(world):
    app, _, _ = world
    ana = h.logged_in(app, "ana")
    assert ana.get("/logout").status_code == 405  # no logout by a link or an <img>
    assert ana.post("/logout").status_code == 400  # CSRF applies
    assert ana.get("/api/cards").status_code == 200
    out = ana.post("/logout", data={"csrf_token": ana.csrf})
    assert out.status_code == 302 and out.headers["Location"].endswith("/login")
    assert ana.get("/api/cards").status_code == 401
    assert ana.get("/capture").status_code == 302


def test_a_copied_session_cookie_is_dead_after_logout(world):
    app, _, _ = world
    ana = h.logged_in(app, "ana")
    copied = ana.get_cookie("session").value
    ana.post("/logout", data={"csrf_token": ana.csrf})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/api/cards").status_code == 401
    assert thief.get("/capture").status_code == 302
    # Logging in again works, and that new session is not revived by the old cookie.
    again = h.logged_in(app, "ana")
    assert again.get("/api/cards").status_code == 200
    thief.set_cookie("session", copied)
    assert thief.get("/api/cards").status_code == 401


def test_logout_ends_the_users_sessions_everywhere_but_not_other_users(world):
    app, _, _ = world
    phone, laptop, ben = h.logged_in(app, "ana"), h.logged_in(app, "ana"), h.logged_in(app, "ben")
    phone.post("/logout", data={"csrf_token": phone.csrf})
    assert laptop.get("/api/cards").status_code == 401  # "log out everywhere"
    assert ben.get("/api/cards").status_code == 200


def test_a_new_password_ends_the_old_sessions(world):
    app, data, ids = world
    ana = h.logged_in(app, "ana")
    with Store.open(data) as store:
        store.users.set_password(ids["ana"], "a brand new passphrase")
    assert ana.get("/api/cards").status_code == 401


def _own_paths(app, data, user_id):
    from datetime import date

    from cardscan import followups
    from tests.support.fake_reader import _reading

    with Store.open(data) as store:
        event = store.events.add(user_id, "Summit", "2026-11-10", "2026-11-12")
        card, _ = store.cards.add(user_id, b"photo", event_id=event.id, reasons=[("deck", "deck")])
        store.cards.finish(card.id, [_reading(["Ana Ruiz", "Acme", "a@acme.example"], 0)])
        contact_id = store.cards.get(user_id, card.id).contact_id
        followups.FollowUps(store, user_id, date(2026, 11, 20)).plan_contact(contact_id)
        feed = store.users.feed_token(user_id)
    ids = {"event_id": event.id, "card_id": card.id, "contact_id": contact_id}
    values = {**ids, "kind": "csv", "fmt": "svg", "filename": "app.css"}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or any(a not in values for a in rule.arguments):
            continue
        yield (
            rule.rule
            if not rule.arguments
            else app.url_map.bind("x").build(rule.endpoint, {a: values[a] for a in rule.arguments})
        )
    yield f"/calendar/{feed}.ics"
    yield "/no-such-page"  # 404 page
    yield "/api/cards/999999"  # 404 JSON
    yield "/api/nothing"


def test_security_headers_on_every_response(world):
    app, data, ids = world
    ana = h.logged_in(app, "ana")
    responses = {}
    for path in _own_paths(app, data, ids["ana"]):
        responses[path] = ana.get(path)
    responses["POST /logout without CSRF"] = ana.post("/logout")
    responses["anonymous"] = app.test_client().get("/capture")
    responses["405"] = ana.get("/logout")
    assert len(responses) >= 25
    statuses = {r.status_code for r in responses.values()}
    assert {200, 302, 400, 404, 405} <= statuses
    for path, response in responses.items():
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        script_src = next((p for p in csp.split(";") if "script-src" in p), "")
        assert "'self'" in script_src and "unsafe-inline" not in csp, (path, csp)
        assert "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert headers.get("X-Frame-Options") == "DENY", path
        assert headers.get("X-Content-Type-Options") == "nosniff", path


def test_revoked_api_token_is_refused(world):
    app, data, ids = world
    with Store.open(data) as store:
        token = store.users.create_api_token(ids["ana"], "phone script")
        token_id = store.users.api_tokens(ids["ana"])[0]["id"]
    script = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/cards", headers=auth).status_code == 200
    ana = h.logged_in(app, "ana")
    revoked = ana.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": ana.csrf})
    assert revoked.status_code == 302
    response = script.get("/api/cards", headers=auth)
    assert "revoked" in h.error_of(response, 401)
    assert script.post("/api/events", json={"name": "x"}, headers=auth).status_code == 401


def test_revoking_through_the_cli(world, tmp_path):
    app, data, _ = world
    token = h.cli(data, "token", "create", "cli-script", "--user", "ana").strip()
    auth = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/cards", headers=auth).status_code == 200
    listed = h.cli(data, "token", "list", "--user", "ana")
    token_id = listed.split("\t", 1)[0]
    h.cli(data, "token", "revoke", token_id, "--user", "ana")
    assert app.test_client().get("/api/cards", headers=auth).status_code == 401
    assert "revoked" in h.cli(data, "token", "list", "--user", "ana")


def test_rotated_feed_token_is_404(world):
    app, data, ids = world
    with Store.open(data) as store:
        old = store.users.feed_token(ids["ana"])
    reader = app.test_client()  # a calendar app: no session, only the URL
    assert reader.get(f"/calendar/{old}.ics").status_code == 200
    ana = h.logged_in(app, "ana")
    assert ana.post("/settings/feed/rotate", data={"csrf_token": ana.csrf}).status_code == 302
    with Store.open(data) as store:
        new = store.users.feed_token(ids["ana"])
    assert new != old
    assert reader.get(f"/calendar/{old}.ics").status_code == 404
    assert reader.get(f"/calendar/{new}.ics").status_code == 200


def test_login_limiter_forgets_old_keys():
    """Guessing with a million made-up names must not grow the server's memory for ever."""
    clock = Clock()
    limiter = RateLimiter(3, window=60, clock=clock)
    for i in range(5000):
        limiter.check(f"user:name{i}", "ip:10.0.0.1")
        limiter.hit(f"user:name{i}")
        clock.now += 0.05
    clock.now += 121
    limiter.check("user:someone")
    limiter.hit("user:someone")
    assert len(limiter._hits) < 100  # only keys with hits inside the window are kept


def test_an_api_token_reaches_only_the_api(world):
    """A token must not mint tokens that outlive it, nor read the calendar feed's link."""
    app, data, ids = world
    with Store.open(data) as store:
        secret = store.users.create_api_token(ids["ana"], "script")
        feed = store.users.feed_token(ids["ana"])
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/cards", headers=bearer).status_code == 200
    page = client.get("/settings/", headers=bearer)
    assert page.status_code == 401 and feed not in page.get_data(as_text=True)
    minted = client.post("/settings/tokens", data={"label": "mine now"}, headers=bearer)
    assert minted.status_code == 401
    assert "/api/" in minted.get_data(as_text=True)
    for path in ("/contacts/", "/followups/", "/export/contacts.vcf"):
        assert client.get(path, headers=bearer).status_code == 401, path
    with Store.open(data) as store:
        assert [t["label"] for t in store.users.api_tokens(ids["ana"])] == ["script"]


def _change(client, current, new, confirm=None):
    return client.post(
        "/settings/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": h.csrf_of(client, "/settings/"),
        },
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )


def test_changing_the_password_needs_the_current_one_and_logs_out_every_other_device(world):
    app, _, _ = world
    laptop, phone = app.test_client(), app.test_client()
    for client in (laptop, phone):
        assert _login(client, "ana", h.PASSWORD).status_code == 302
    wrong = _change(laptop, "not my password", "a brand new secret")
    assert wrong.status_code == 401 and "current password is wrong" in wrong.get_data(as_text=True)
    short = _change(laptop, h.PASSWORD, "short")
    assert short.status_code == 400 and "too short" in short.get_data(as_text=True)
    differ = _change(laptop, h.PASSWORD, "a brand new secret", confirm="a brand new secreT")
    assert differ.status_code == 400 and "differ" in differ.get_data(as_text=True)
    assert phone.get("/settings/").status_code == 200  # nothing changed yet
    done = _change(laptop, h.PASSWORD, "a brand new secret")
    assert done.headers["Location"].endswith("/settings/?changed=password#password")
    assert laptop.get("/settings/").status_code == 200  # this device stays logged in
    assert phone.get("/settings/").status_code == 302  # the other one is logged out
    assert _login(app.test_client(), "ana", h.PASSWORD).status_code == 401
    assert _login(app.test_client(), "ana", "a brand new secret").status_code == 302


def test_guessing_the_current_password_from_a_session_is_slowed_too(world):
    app, _, _ = world  # three failures a minute in this world
    client = app.test_client()
    assert _login(client, "ana", h.PASSWORD).status_code == 302
    codes = [_change(client, f"guess {i}", "a brand new secret").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
