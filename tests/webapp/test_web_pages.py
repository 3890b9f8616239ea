"""Every page renders for a logged-in user; PWA files are valid."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path, text",
    [
        ("/capture", "Snap a card"),
        ("/events", "Events"),
        ("/contacts/", "Contacts"),
        ("/today", "Today"),
        ("/settings/", "Calendar subscription"),
    ],
)
def test_pages_render(ana, path, text):
    response = ana.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert text in html
    assert 'rel="manifest"' in html and 'name="csrf-token"' in html


def test_capture_page_has_the_camera_input_and_live_counter(ana):
    html = ana.get("/capture").get_data(as_text=True)
    assert 'accept="image/*" capture="environment"' in html
    assert 'aria-live="polite"' in html
    assert "send deck" in html  # the default reason chips


def test_settings_show_the_subscription_links_and_qr(ana):
    html = ana.get("/settings/").get_data(as_text=True)
    assert 'href="webcal://localhost/calendar/' in html
    assert "http://localhost/calendar/" in html
    assert "8 to\n    24 hours" in html or "24 hours" in html
    svg = ana.get("/settings/feed-qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = ana.get("/settings/feed-qr.png")
    assert png.data.startswith(b"\x89PNG")


def test_rotating_the_feed_changes_the_link(ana):
    before = ana.get("/settings/").get_data(as_text=True)
    ana.post("/settings/feed/rotate", data={"csrf_token": ana.csrf})
    after = ana.get("/settings/").get_data(as_text=True)
    link = lambda html: html.split('href="webcal://', 1)[1].split('"', 1)[0]  # noqa: E731
    assert link(before) != link(after)


def test_reason_chips_are_editable(ana):
    response = ana.post(
        "/settings/chips", data={"chips": "coffee\nsend deck\n\ncoffee", "csrf_token": ana.csrf}
    )
    assert response.status_code == 302
    html = ana.get("/capture").get_data(as_text=True)
    assert "coffee" in html and "hiring" not in html


def test_api_tokens_from_settings(ana, client):
    html = ana.post("/settings/tokens", data={"label": "scanner", "csrf_token": ana.csrf}).get_data(
        as_text=True
    )
    token = html.split('id="new-token" readonly value="', 1)[1].split('"', 1)[0]
    assert "scanner" in html
    bearer = {"Authorization": f"Bearer {token}"}
    assert ana.application.test_client().get("/api/events", headers=bearer).status_code == 200


def test_manifest_is_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["display"] == "standalone" and data["start_url"] == "/capture"
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert client.get("/static/icons/apple-touch-icon.png").status_code == 200


def test_service_worker_is_served_at_root_and_skips_the_api(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and "javascript" in sw.mimetype
    assert sw.headers["Service-Worker-Allowed"] == "/"
    text = sw.get_data(as_text=True)
    assert "'/api/'" in text and "'/calendar/'" in text


def test_the_offline_shell_holds_every_script_the_capture_page_imports(client):
    """The capture page starts offline from the service worker's cache, so every module it
    imports (and they import) must be in the worker's list, and be served."""
    import re

    sw = client.get("/sw.js").get_data(as_text=True)
    cached = set(re.findall(r"'(/static/[^']+)'", sw))
    todo, seen = ["/static/js/capture.js"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        for name in re.findall(r"from '\./([\w.-]+\.js)'", response.get_data(as_text=True)):
            todo.append(f"/static/js/{name}")
    assert "/static/js/when.js" in seen
    assert seen <= cached, sorted(seen - cached)
