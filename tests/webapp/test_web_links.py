"""Links the app makes and follows: redirects stay on the site, and the calendar feed never
links to whatever host a client put in its Host header."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from cardscan.followups import FollowUps
from cardscan.models import Contact
from cardscan.settings import load_settings
from cardscan.store import Store
from tests.webapp.conftest import PASSWORD
from web import create_app


@pytest.fixture
def planned(data_dir, users):
    """ana met Rui, and has follow-ups for him in her feed; returns (touch id, feed token)."""
    with Store.open(data_dir) as store:
        event = store.events.add(users["ana"], "Expo", date(2026, 11, 4), date(2026, 11, 7))
        record = store.contacts.add(
            users["ana"], Contact(name="Rui Costa", company="Acme"), event_id=event.id
        )
        store.reasons.add(users["ana"], record.id, "send deck", "deck")
        FollowUps(
            store, users["ana"], date(2026, 11, 8), datetime(2026, 11, 8, tzinfo=UTC)
        ).plan_contact(record.id)
        touch = store.touches.all(users["ana"])[0]
        return touch.id, store.users.feed_token(users["ana"])


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/\n/e.x"],
)
def test_the_follow_up_forms_do_not_redirect_off_the_site(ana, planned, target):
    touch_id, _ = planned
    response = ana.post(f"/touches/{touch_id}/skip", data={"csrf_token": ana.csrf, "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/today\?act=\d+", location), location  # Today, with the act's Undo


def test_a_path_on_the_site_is_still_followed(ana, planned):
    touch_id, _ = planned
    response = ana.post(
        f"/touches/{touch_id}/skip", data={"csrf_token": ana.csrf, "next": "/contacts/?q=x"}
    )
    assert re.fullmatch(r"/contacts/\?q=x&act=\d+", response.headers["Location"])


def _app(data_dir, **settings):
    loaded = load_settings({"data": str(data_dir), **settings}, environ={})
    return create_app({"TESTING": True, "CARDSCAN_SETTINGS": loaded})


def test_the_feed_does_not_link_to_the_host_header_a_client_chose(data_dir, planned):
    _, token = planned
    feed = (
        _app(data_dir).test_client().get(f"/calendar/{token}.ics", headers={"Host": "evil.example"})
    )
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.data
    assert b"evil.example" not in feed.data


def test_the_feed_links_to_base_url_or_an_allowed_host(data_dir, planned):
    _, token = planned
    path = f"/calendar/{token}.ics"
    with_base = _app(data_dir, base_url="https://cards.example.org").test_client()
    feed = with_base.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "https://cards.example.org/contacts/" in feed and "evil.example" not in feed
    allowed = _app(data_dir, allowed_hosts="cards.lan, 192.168.1.20").test_client()
    feed = allowed.get(path, headers={"Host": "192.168.1.20:8443"}).get_data(as_text=True)
    assert "http://192.168.1.20:8443/contacts/" in feed
    local = _app(data_dir).test_client().get(path).get_data(as_text=True)  # Host: localhost
    assert "http://localhost/contacts/" in local


def test_settings_says_what_to_set_when_the_host_is_not_allowed(data_dir, users):
    client = _app(data_dir).test_client()
    evil = "http://evil.example"  # the whole visit, cookies included, under that host
    html = client.get("/login", base_url=evil).get_data(as_text=True)
    token = html.split('name="csrf-token" content="')[1].split('"')[0]
    client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token}, base_url=evil
    )
    page = client.get("/settings/", base_url=evil)
    assert page.status_code == 200, page.headers.get("Location")
    assert "evil.example" not in page.get_data(as_text=True)
    assert "set base_url" in page.get_data(as_text=True)
    assert client.get("/settings/feed-qr.svg", base_url=evil).status_code == 404
