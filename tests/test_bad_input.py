"""Bad input: odd and hostile photos, tokens, CSRF, traversal, oversized fields and uploads.

Every answer is a clear error (a 4xx with the JSON shape ``{ok: false, error, status}`` or
a readable page) or a card that ends ``done`` (maybe empty) or ``failed`` with its reason;
the server keeps serving and nothing stored before changes (rows and photo files are
snapshotted before and after).
"""

from __future__ import annotations

import io
import json
import select
import socket
import time

import pytest

from cardscan.photometa import strip_metadata
from cardscan.store import Store
from tests.support import hardening as h
from tests.support.bad_inputs import corpus

CORPUS = corpus()


@pytest.fixture
def app(data_dir):
    app = h.make_app(data_dir)
    ids = h.add_users(data_dir, "ana", "ben")
    app.ids = ids
    return app


@pytest.fixture
def ana(app, data_dir):
    client = h.logged_in(app, "ana")
    # Something stored before, which no bad input may touch.
    first = h.api_upload(client, h.sample_photos(1)[0])  # not one of the corpus photos
    assert first.status_code == 202
    return client


# --- photos ---------------------------------------------------------------------------------


def test_empty_file_is_refused(ana, data_dir):
    before = h.snapshot(data_dir)
    message = h.error_of(h.api_upload(ana, b""), (400, 415))
    assert "empty" in message
    h.assert_unchanged(before, h.snapshot(data_dir))
    h.assert_alive(ana)


def test_no_photo_field_is_refused(ana, data_dir):
    before = h.snapshot(data_dir)
    response = ana.post("/api/cards", data={"uuid": "x"}, headers={"X-CSRFToken": ana.csrf})
    assert "photo" in h.error_of(response, 400)
    h.assert_unchanged(before, h.snapshot(data_dir))


@pytest.mark.parametrize("name", list(CORPUS))
def test_odd_photo_is_acknowledged_or_refused_cleanly(ana, data_dir, name):
    photo, _ = CORPUS[name]
    before = h.snapshot(data_dir)
    response = h.api_upload(ana, photo)
    if response.status_code == 202:
        after = h.snapshot(data_dir)
        h.assert_kept(before, after)
        assert len(after.rows["cards"]) == len(before.rows["cards"]) + 1
    else:  # refused at the door: a clear error and nothing stored
        h.error_of(response, (400, 413, 415, 422))
        h.assert_unchanged(before, h.snapshot(data_dir))
    h.assert_alive(ana)


# --- a 100 MB upload against the real server --------------------------------------------------


@pytest.fixture(params=["http (waitress)", "https (hypercorn)"])
def live(request, app):
    from web.server import make_server

    tls = request.getfixturevalue("self_signed") if request.param.startswith("https") else None
    cert, key = (str(tls[0]), str(tls[1])) if tls else (None, None)
    server = make_server(app, "127.0.0.1", 0, cert=cert, key=key).start_in_thread()
    yield server.url
    server.stop()


def _connect(url: str) -> socket.socket:
    scheme, rest = url.split("://")
    host, port = rest.split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    return h.unchecked_tls().wrap_socket(sock) if scheme == "https" else sock


def test_100_mb_upload_is_refused_without_reading_it_all(live, app, data_dir):
    with Store.open(data_dir) as store:
        token = store.users.create_api_token(app.ids["ana"], "big")
    before = h.snapshot(data_dir)
    size = 100 * 1024 * 1024
    sock = _connect(live)
    head = (
        f"POST /api/cards HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()
    sock.sendall(head)
    sent = 0
    answer = b""
    chunk = b"\xff" * (1024 * 1024)
    started = time.monotonic()
    while sent < size and time.monotonic() - started < 60:
        readable, _, _ = select.select([sock], [], [], 0.05)
        if readable:
            answer = sock.recv(65536)
            break
        try:
            sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(chunk)
    while b"\r\n\r\n" not in answer:
        more = sock.recv(65536)
        if not more:
            break
        answer += more
    sock.close()
    status_line = answer.split(b"\r\n", 1)[0].decode()
    assert " 413 " in status_line, answer[:300]
    # Refused from the headers: the server did not take the 100 MB in first.
    assert sent <= 8 * 1024 * 1024, f"the server read {sent // 2**20} MB before refusing"
    # (A token's last use may be noted; no card, contact or photo may appear.)
    h.assert_unchanged(before, h.snapshot(data_dir), ignore=("api_tokens",))
    assert h.request(live, "GET", "/api/cards", token=token)[0] == 200  # still serving


# --- tokens and CSRF ---------------------------------------------------------------------------


def test_wrong_bearer_token(app, data_dir):
    client = app.test_client()
    before = h.snapshot(data_dir)
    for token in ("wrong", "x" * 5000, "", "' OR 1=1 --"):
        response = client.post(
            "/api/cards",
            data={"photo": (io.BytesIO(CORPUS["CMYK JPEG"][0]), "c.jpg")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (400, 401)
        h.error_of(response, response.status_code)
    h.assert_unchanged(before, h.snapshot(data_dir))


@pytest.mark.parametrize("token", ["0" * 43, "../../etc/passwd", "a" * 300, "%00" * 10, "short"])
def test_wrong_feed_token_is_404(app, token):
    response = app.test_client().get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.data


def test_missing_stale_or_foreign_csrf_token(app, ana, data_dir):
    ben = h.logged_in(app, "ben")
    stale = ana.csrf
    before = h.snapshot(data_dir)
    photo = CORPUS["16-bit PNG"][0]
    cases = {
        "missing": {},
        "garbage": {"X-CSRFToken": "nonsense"},
        "another user's": {"X-CSRFToken": ben.csrf},
    }
    for name, headers in cases.items():
        response = ana.post(
            "/api/cards",
            data={"photo": (io.BytesIO(photo), "c.jpg")},
            headers={**headers, "Accept": "application/json"},
        )
        assert "security token" in h.error_of(response, 400), name
        form = ana.post("/events/new", data={"name": "x"}, headers=headers)
        assert form.status_code in (400, 404, 405), name
    h.assert_unchanged(before, h.snapshot(data_dir))
    # Stale: the token of a session that logged out.
    ana.post("/logout", data={"csrf_token": stale})
    relogged = h.logged_in(ana.application, "ana")
    before = h.snapshot(data_dir)  # the logout itself ended ana's sessions (session_epoch)
    response = relogged.post("/api/events", json={"name": "Sneaky"}, headers={"X-CSRFToken": stale})
    assert "security token" in h.error_of(response, 400)
    # A browser form without a token gets a readable page, not JSON.
    page = relogged.post("/settings/chips", data={"chips": "x"}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and b"<html" in page.data.lower()
    h.assert_unchanged(before, h.snapshot(data_dir))


# --- path traversal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/../../b.jpg", "\x00.jpg"],
)
def test_traversal_in_upload_file_names_stays_in_the_photo_store(ana, data_dir, tmp_path, name):
    photo = CORPUS["CMYK JPEG"][0] + name.encode("utf-8", "replace")
    response = h.api_upload(ana, photo, filename=name)
    assert response.status_code == 202
    card = ana.get(f"/api/cards/{response.get_json()['id']}").get_json()
    photos = {p.resolve() for p in (data_dir / "photos").rglob("*") if p.is_file()}
    everything = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    outside = {p for p in everything - photos if "photos" not in str(p)}
    assert all(
        p.parent.name in ("data",)
        or p.name.startswith("cardscan.db")
        or p.name == "secret_key"
        or p.suffix == ".json"
        for p in outside
    ), outside
    assert ana.get(card["photo"]).data == strip_metadata(photo)  # (as stored: no metadata)


@pytest.mark.parametrize(
    "digest",
    ["../../etc/passwd", "..", "/etc/passwd", "0" * 63 + "/", "%2e%2e%2fetc", "", "ab" * 40],
)
def test_traversal_in_photo_hashes_is_not_found(store, digest):
    from cardscan.errors import NotFoundError

    with pytest.raises(NotFoundError):
        store.photos.path(digest)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/api/cards/..%2f..%2fetc%2fpasswd/photo",
        "/calendar/..%2f..%2f..%2fetc%2fpasswd.ics",
        "/exports/..%2f..%2fetc%2fpasswd",
    ],
)
def test_traversal_in_urls_is_not_found(ana, path):
    response = ana.get(path)
    assert response.status_code in (404, 400), (path, response.status_code)
    assert b"root:" not in response.data


def test_hostile_event_name_does_not_reach_the_download_file_name(ana):
    made = ana.post(
        "/api/events",
        json={"name": '../../etc/passwd"; x=.bashrc'},
        headers={"X-CSRFToken": ana.csrf},
    )
    assert made.status_code == 201
    response = ana.get(f"/exports/csv?event={made.get_json()['id']}")
    disposition = response.headers["Content-Disposition"]
    filename = disposition.split("filename=", 1)[1].strip('"')
    assert "/" not in filename and ".." not in filename and '"' not in filename


# --- oversized fields ---------------------------------------------------------------------------


def _post_json(client, path, body, method="post"):
    return getattr(client, method)(
        path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": client.csrf, "Accept": "application/json"},
    )


def test_oversized_fields_are_refused(ana, data_dir):
    contact_id = None
    with Store.open(data_dir) as store:
        from tests.support.fake_reader import _reading

        card = store.cards.all(ana.application.ids["ana"])[0]
        store.cards.finish(card.id, [_reading(["Ana Ruiz", "Acme", "ana@acme.example"], 0)])
        contact_id = store.cards.get(ana.application.ids["ana"], card.id).contact_id
    before = h.snapshot(data_dir)
    big = "x" * 200_000
    answers = {
        "event name": _post_json(ana, "/api/events", {"name": big}),
        "contact name": _post_json(ana, f"/api/contacts/{contact_id}", {"name": big}, "patch"),
        "contact emails": _post_json(
            ana, f"/api/contacts/{contact_id}", {"emails": [big]}, "patch"
        ),
        "reason": _post_json(ana, f"/api/contacts/{contact_id}/reasons", {"text": big}),
        "too many reasons": h.api_upload(
            ana, CORPUS["CMYK JPEG"][0] + b"new", reasons=json.dumps(["a", "b", "c", "d", "e", "f"])
        ),
        "upload uuid": h.api_upload(ana, CORPUS["CMYK JPEG"][0] + b"new", uuid=big),
        "unknown field": _post_json(ana, f"/api/contacts/{contact_id}", {big[:50]: 1}, "patch"),
    }
    for what, response in answers.items():
        assert 400 <= response.status_code < 500, (what, response.status_code)
        h.error_of(response, response.status_code)
    notes = ana.post(f"/contacts/{contact_id}/notes", data={"notes": big, "csrf_token": ana.csrf})
    assert notes.status_code in (400, 413) and b"<html" in notes.data.lower()
    login = ana.application.test_client()
    response = login.post(
        "/login", data={"name": big, "password": big, "csrf_token": h.csrf_of(login)}
    )
    assert response.status_code in (400, 401, 413)
    h.assert_unchanged(before, h.snapshot(data_dir))
    h.assert_alive(ana)


def test_body_over_the_upload_limit_is_413_json(data_dir):
    app = h.make_app(data_dir, max_upload_mb=1)
    h.add_users(data_dir, "ana")
    client = h.logged_in(app, "ana")
    before = h.snapshot(data_dir)
    response = h.api_upload(client, CORPUS["CMYK JPEG"][0] + b"\0" * (2 * 1024 * 1024))
    h.error_of(response, 413)
    h.assert_unchanged(before, h.snapshot(data_dir))


def test_an_html_file_sent_as_a_photo_is_never_served_as_a_page(ana):
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    response = h.api_upload(ana, html, filename="card.html")
    assert response.status_code in (202, 400, 415)
    if response.status_code != 202:
        return
    photo = ana.get(f"/api/cards/{response.get_json()['id']}/photo")
    assert photo.mimetype.startswith("image/")
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in photo.headers["Content-Security-Policy"]


def test_no_cross_origin_reads(ana):
    for path in ("/api/cards", "/api/session", "/api/contacts"):
        response = ana.get(path, headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in response.headers, path


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000, "{", "null", "\xff"],
    ids=["deep list", "deep object", "cut short", "null", "not utf-8"],
)
def test_hostile_json_bodies_are_400(ana, data_dir, body):
    before = h.snapshot(data_dir)
    for method, path in (("post", "/api/events"), ("patch", "/api/contacts/1")):
        response = getattr(ana, method)(
            path,
            data=body.encode("utf-8", "surrogateescape") if body != "\xff" else b"\xff\xfe{",
            content_type="application/json",
            headers={"X-CSRFToken": ana.csrf},
        )
        h.error_of(response, (400, 404))
    deep_reasons = h.api_upload(ana, CORPUS["CMYK JPEG"][0] + b"r", reasons="[" * 100_000)
    assert "reasons" in h.error_of(deep_reasons, 400)
    h.assert_unchanged(before, h.snapshot(data_dir))
