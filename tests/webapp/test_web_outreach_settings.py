"""Settings for the digest and the drafted messages, through the test client."""

from __future__ import annotations

from dataclasses import replace

from cardscan.outreach.links import DigestLinks
from cardscan.store import Store
from tests.support.mailbox import serving
from tests.support.outreach_data import seed_people


def test_the_digest_section_saves_and_checks_its_choices(ana, users, data_dir):
    html = ana.get("/settings/").get_data(as_text=True)
    assert 'id="digest"' in html and 'id="templates"' in html
    assert "No mail server is set up yet" in html
    form = {
        "csrf_token": ana.csrf,
        "email": "Ana@Example.org",
        "digest": "weekly",
        "digest_weekday": "4",
        "digest_hour": "7",
        "timezone": "Europe/Lisbon",
        "my_name": "Ana Ruiz",
        "signature": "Partner, Northwind\n+351 912 345 678",
    }
    saved = ana.post("/settings/digest", data=form)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#digest")
    with Store.open(data_dir) as store:
        prefs = store.outreach.prefs(users["ana"])
    assert (prefs.email, prefs.digest, prefs.digest_weekday, prefs.digest_hour) == (
        "Ana@example.org",
        "weekly",
        4,
        7,
    )
    html = ana.get("/settings/").get_data(as_text=True)
    assert '<option value="Europe/Lisbon" selected>' in html
    assert '<option value="7" selected>07:00</option>' in html
    bad = ana.post("/settings/digest", data={**form, "email": "nope"})
    assert bad.status_code == 400 and "is not an e-mail address" in bad.get_data(as_text=True)
    bad = ana.post("/settings/digest", data={**form, "digest_hour": "25"})
    assert bad.status_code == 400
    with Store.open(data_dir) as store:
        assert store.outreach.prefs(users["ana"]).email == "Ana@example.org"  # nothing lost


def test_a_template_is_previewed_live_saved_and_reset(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1)
    headers = {"X-CSRFToken": ana.csrf}
    shown = ana.post(
        "/settings/templates/preview",
        json={"kind": "thank_you", "subject": "Hi {{ first_name }}", "body": "At {{ event }}."},
        headers=headers,
    ).get_json()
    # Filled with the user's own next thank-you: Ana Ruiz, met at Web Summit 1.
    assert shown == {
        "ok": True,
        "subject": "Hi Ana",
        "body": "At Web Summit 1.\n",
        "to": "ana0@acme.example",
    }
    broken = ana.post(
        "/settings/templates/preview",
        json={"kind": "thank_you", "subject": "x", "body": "{{ nmae }}"},
        headers=headers,
    ).get_json()
    assert broken["ok"] is False and "{{ nmae }}, which is not a placeholder" in broken["error"]
    sample = ana.post(
        "/settings/templates/preview",
        json={"kind": "birthday", "subject": "Happy birthday, {{ first_name }}!", "body": "x"},
        headers=headers,
    ).get_json()
    assert sample["subject"] == "Happy birthday, Ana!"  # no birthday due: the sample contact
    form = {
        "csrf_token": ana.csrf,
        "kind": "thank_you",
        "subject": "Hi {{ first_name }}",
        "body": "Short and sweet, {{ first_name }}.",
        "action": "save",
    }
    assert ana.post("/settings/templates", data=form).status_code == 302
    touch = ana.get("/api/touches").get_json()["touches"][0]
    draft = ana.get(f"/api/touches/{touch['id']}/draft").get_json()
    assert (draft["subject"], draft["body"]) == ("Hi Ana", "Short and sweet, Ana.\n")
    assert "yours</span>" in ana.get("/settings/").get_data(as_text=True)
    ana.post("/settings/templates", data={**form, "action": "reset"})
    draft = ana.get(f"/api/touches/{touch['id']}/draft").get_json()
    assert draft["subject"] == "Great to meet you at Web Summit 1"
    bad = ana.post("/settings/templates", data={**form, "body": "{% if %}"})
    assert bad.status_code == 400 and "does not read" in bad.get_data(as_text=True)


def test_a_test_digest_goes_out_and_the_last_one_is_shown(ana, users, data_dir, app):
    seed_people(data_dir, users["ana"], count=2)
    ana.post(
        "/settings/digest",
        data={
            "csrf_token": ana.csrf,
            "email": "ana@example.org",
            "digest": "daily",
            "digest_weekday": "0",
            "digest_hour": "8",
            "timezone": "UTC",
        },
    )
    no_server = ana.post("/settings/digest/test", data={"csrf_token": ana.csrf})
    page = ana.get(no_server.headers["Location"]).get_data(as_text=True)
    assert "No test sent: no SMTP server is set" in page
    with serving() as box:
        settings = app.config["CARDSCAN_SETTINGS"]
        app.config["CARDSCAN_SETTINGS"] = replace(settings, **box.settings())
        ana.post("/settings/digest/test", data={"csrf_token": ana.csrf})
    [message] = box.messages
    assert message["Subject"].startswith("Test: Two follow-ups today")
    assert "http://localhost/r/" in message.get_body(("plain",)).get_content()
    preview = ana.get("/settings/digest/preview")
    csp = preview.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-hashes' 'sha256-" in csp and "unsafe-inline" not in csp
    assert "Ana Ruiz 1" in preview.get_data(as_text=True)
    with Store.open(data_dir) as store:
        assert store.digests.last(users["ana"]) is None  # a test is not the day's digest


def test_a_failed_digest_is_shown_with_its_error_and_retry(ana, users, data_dir, app):
    from datetime import UTC, datetime

    from cardscan.outreach.digest import Digests
    from cardscan.settings import load_settings
    from tests.support.hardening import free_port

    seed_people(data_dir, users["ana"], count=1)
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": free_port(),
        "smtp_tls": "none",
        "smtp_from": "cards@example.org",
    }
    settings = load_settings({"data": str(data_dir), **values}, environ={})
    with Store.open(data_dir) as store:
        outreach_prefs = store.outreach.prefs(users["ana"])
        store.outreach.save_prefs(replace(outreach_prefs, email="ana@example.org", timezone="UTC"))
        now = datetime.now(UTC).replace(hour=9, minute=0)
        user = store.users.get(users["ana"])
        Digests(store, settings, DigestLinks("https://x.example", "s")).deliver(user, now=now)
    html = ana.get("/settings/").get_data(as_text=True)
    assert "Last digest: failed today at 09:00: cannot reach 127.0.0.1" in html
    assert "Trying again at 09:05." in html
