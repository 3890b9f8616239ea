"""Accounts: login limits that lift after their window, session renewal, logout, headers on
every response, and revocable API and feed tokens."""

from __future__ import annotations

import pytest

from cardscan.store import Store
from tests.support import hardening as h
from web.ratelimit import RateLimiter


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
    app.extensions["cardscan_login_limiter"] = RateLimiter(3, window=60, clock=clock)
    client = app.test_client()
    codes = [_login(client, "ana", "wrong password").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _login(client, "ana", h.PASSWORD).status_code == 429  # even the right one waits
    clock.now += 30
    assert _login(client, "ana", h.PASSWORD).status_code == 429  # still inside the window
    clock.now += 31
    assert _login(client, "ana", h.PASSWORD).status_code == 302  # allowed again


def test_login_limit_holds_per_user_across_addresses_and_per_address_across_users(world):
    app, _, _ = world
    clock = Clock()
    app.extensions["cardscan_login_limiter"] = RateLimiter(3, window=60, clock=clock)
    client = app.test_client()
    # One account guessed from many addresses.
    codes = [_login(client, "ben", "guess", addr=f"10.0.1.{i}").status_code for i in range(4)]
    assert codes[-1] == 429
    # Many accounts guessed from one address.
    codes = [_login(client, f"user{i}", "guess", addr="10.0.2.1").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    # Someone else, elsewhere, is not locked out.
    assert _login(app.test_client(), "ana", h.PASSWORD, addr="10.0.3.1").status_code == 302


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
        followups.plan_contact(store, user_id, contact_id, date(2026, 11, 20))
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
