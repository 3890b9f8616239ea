"""Accounts and headers: first run, login limits, session renewal, cookies, CSP."""

from __future__ import annotations

from cardscan.settings import load_settings
from cardscan.store import Store
from web import create_app


def _csrf(html: str) -> str:
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_first_run_offers_the_first_account_only_then(client, data_dir):
    page = client.get("/login").get_data(as_text=True)
    assert "Create the first account" in page
    token = _csrf(page)
    made = client.post(
        "/setup", data={"name": "ana", "password": "long enough pw", "csrf_token": token}
    )
    assert made.status_code == 302
    assert client.get("/capture").status_code == 200  # logged in straight away
    other = create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data_dir)}, environ={})})
    fresh = other.test_client()
    page = fresh.get("/login").get_data(as_text=True)
    assert "Create the first account" not in page and "Log in" in page
    again = fresh.post(
        "/setup", data={"name": "eve", "password": "long enough pw", "csrf_token": _csrf(page)}
    )
    assert again.status_code == 302 and again.headers["Location"].endswith("/login")
    with Store.open(data_dir) as store:
        assert [u.name for u in store.users.all()] == ["ana"]


def test_signing_in_takes_the_browser_s_time_zone_until_one_is_chosen(client, data_dir):
    token = _csrf(client.get("/login").get_data(as_text=True))
    made = client.post(
        "/setup",
        data={
            "name": "ana",
            "password": "long enough pw",
            "timezone": "Asia/Tokyo",
            "csrf_token": token,
        },
    )
    assert made.status_code == 302
    client.post(
        "/logout", data={"csrf_token": _csrf(client.get("/capture").get_data(as_text=True))}
    )
    page = client.get("/login").get_data(as_text=True)
    assert 'name="timezone" data-browser-timezone' in page  # filled in by common.js
    again = client.post(
        "/login",
        data={
            "name": "ana",
            "password": "long enough pw",
            "timezone": "Europe/Lisbon",
            "csrf_token": _csrf(page),
        },
    )
    assert again.status_code == 302
    with Store.open(data_dir) as store:
        [ana] = store.users.all()
        assert store.outreach.prefs(ana.id).timezone == "Asia/Tokyo"  # the first stays


def test_first_account_password_too_short_is_shown(client):
    token = _csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/setup", data={"name": "ana", "password": "short", "csrf_token": token})
    assert response.status_code == 400
    assert "too short" in response.get_data(as_text=True)


def test_login_is_rate_limited(data_dir, users):
    settings = load_settings({"data": str(data_dir), "login_attempts_per_minute": 3}, environ={})
    client = create_app({"CARDSCAN_SETTINGS": settings}).test_client()
    token = _csrf(client.get("/login").get_data(as_text=True))
    codes = [
        client.post(
            "/login", data={"name": "ana", "password": "wrong!", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    # Even the right password waits now: guessing cannot continue at full speed.
    right = client.post(
        "/login", data={"name": "ana", "password": "correct horse battery", "csrf_token": token}
    )
    assert right.status_code == 429
    assert "wait" in right.get_data(as_text=True)


def test_login_renews_the_session_and_sets_safe_cookie_flags(client, users):
    page = client.get("/login").get_data(as_text=True)
    before = _csrf(page)
    response = client.post(
        "/login", data={"name": "ana", "password": "correct horse battery", "csrf_token": before}
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; https sets it (next test)
    after = _csrf(client.get("/capture").get_data(as_text=True))
    assert after != before  # nothing (no token) survives from the anonymous session


def test_cookie_is_secure_under_https(client, users):
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"name": "ana", "password": "correct horse battery", "csrf_token": _csrf(page)},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_login_next_cannot_leave_the_site(client, users):
    token = _csrf(client.get("/login").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            data={
                "name": "ana",
                "password": "correct horse battery",
                "csrf_token": token,
                "next": target,
            },
        )
        assert response.headers["Location"] == "/", target
        client.post(
            "/logout", data={"csrf_token": _csrf(client.get("/capture").get_data(as_text=True))}
        )
        token = _csrf(client.get("/login").get_data(as_text=True))


def test_security_headers_on_pages_and_api(ana):
    for path in ("/capture", "/api/cards", "/login"):
        headers = ana.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert ana.get("/api/cards").headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script_or_style(app):
    from pathlib import Path

    for path in Path(app.template_folder).glob("*.html"):
        text = path.read_text()
        assert "<style" not in text and " style=" not in text, path.name
        assert "<script>" not in text and "onclick=" not in text, path.name


def test_secret_key_is_made_once_and_kept_private(data_dir, app):
    key_file = data_dir / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = create_app({"CARDSCAN_SETTINGS": load_settings({"data": str(data_dir)}, environ={})})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_two_pages_loaded_at_once_after_login_share_one_csrf_secret(client, users):
    """The first page after login and the service worker's shell fetch run at the same time:
    both start from the login's cookie, and the cookie that lands last must still accept the
    form token the page shows."""
    token = _csrf(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"name": "ana", "password": "correct horse battery", "csrf_token": token}
    )
    at_login = client.get_cookie("session").value
    shown = _csrf(client.get("/capture").get_data(as_text=True))  # the page the user sees
    client.set_cookie("session", at_login)  # the other request started from the same cookie
    client.get("/capture")  # ...and its cookie lands last
    made = client.post("/api/events", json={"name": "Race Summit"}, headers={"X-CSRFToken": shown})
    assert made.status_code == 201, made.get_data(as_text=True)
