"""The Today view through the test client: groups, dates in words, acts with Undo, the
start page, drafts."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from cardscan import followups
from cardscan.models import Contact
from cardscan.store import Store
from tests.support.outreach_data import seed_people


def test_the_list_groups_and_says_days_in_words(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1, ended=3)  # thank-you two days late
    seed_people(data_dir, users["ana"], count=1, ended=1)  # due today
    html = ana.get("/today").get_data(as_text=True)
    assert html.index("Overdue") < html.index(">Today <") < html.index("Later")
    assert "2 days late" in html and ">today<" in html and "in 3 weeks" in html
    assert 'href="tel:+351912345678"' in html
    assert "mailto:ana0@acme.example?subject=Great%20to%20meet%20you%20at%20Web%20Summit" in html


def test_done_by_fetch_can_be_undone(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1)
    headers = {"X-CSRFToken": ana.csrf, "Accept": "application/json"}
    touch = ana.get("/api/touches").get_json()["touches"][0]
    done = ana.post(f"/touches/{touch['id']}/done", headers=headers).get_json()
    assert done["status"] == "done"
    assert done["act"]["message"] == "Marked done: send deck" and done["act"]["who"] == "Ana Ruiz"
    back = ana.post(done["act"]["undo"], headers=headers).get_json()
    assert (back["status"], back["due"]) == ("due", touch["due"])
    again = ana.post(done["act"]["undo"], headers=headers)
    assert again.status_code == 409 and "undone already" in again.get_json()["error"]
    html = ana.get("/today").get_data(as_text=True)
    assert "Marked done: send deck — Ana Ruiz" in html and "(undone)" in html


def test_a_form_posted_without_javascript_comes_back_with_its_undo(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1)
    touch = ana.get("/api/touches").get_json()["touches"][0]
    posted = ana.post(
        f"/touches/{touch['id']}/snooze", data={"csrf_token": ana.csrf, "next": "/today"}
    )
    location = posted.headers["Location"]
    assert location.startswith("/today?act=")
    html = ana.get(location).get_data(as_text=True)
    week = date.today() + timedelta(days=7)
    assert f"Snoozed to {week:%a} {week.day} {week:%b}" in html and "— Ana Ruiz" in html
    undo_url = html.split('id="undo-bar"')[1].split('action="')[1].split('"')[0]
    ana.post(undo_url, data={"csrf_token": ana.csrf})
    assert ana.get("/api/touches").get_json()["touches"][0]["status"] == "due"
    assert 'id="undo-bar" class="undo-bar" role="status" aria-live="polite" hidden' in ana.get(
        location
    ).get_data(as_text=True)  # undone: the banner is gone


def test_another_users_act_is_not_undone(ana, users, data_dir, client, log_in):
    seed_people(data_dir, users["ana"], count=1)
    headers = {"X-CSRFToken": ana.csrf, "Accept": "application/json"}
    touch = ana.get("/api/touches").get_json()["touches"][0]
    act = ana.post(f"/touches/{touch['id']}/done", headers=headers).get_json()["act"]
    ben = log_in(ana.application.test_client(), "ben")
    refused = ben.post(act["undo"], headers={"X-CSRFToken": ben.csrf, "Accept": "application/json"})
    assert refused.status_code == 404
    assert "Marked done" not in ben.get(f"/today?act={act['id']}").get_data(as_text=True)


def test_an_act_made_through_the_api_is_kept_for_undo_and_history(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1)
    headers = {"X-CSRFToken": ana.csrf}
    touch = ana.get("/api/touches").get_json()["touches"][0]
    skipped = ana.post(f"/api/touches/{touch['id']}/skip", headers=headers).get_json()
    assert skipped["status"] == "skipped"
    assert "Skipped: send deck" in ana.get("/today").get_data(as_text=True)
    back = ana.post(f"/api/acts/{skipped['act_id']}/undo", headers=headers).get_json()
    assert (back["status"], back["due"]) == ("due", touch["due"])
    assert ana.post(f"/api/acts/{skipped['act_id']}/undo", headers=headers).status_code == 409


def test_the_draft_api_matches_the_mailto_link(ana, users, data_dir):
    seed_people(data_dir, users["ana"], count=1)
    touch = ana.get("/api/touches").get_json()["touches"][0]
    draft = ana.get(f"/api/touches/{touch['id']}/draft").get_json()
    assert draft["to"] == "ana0@acme.example" and draft["kind"] == "thank_you"
    query = parse_qs(urlsplit(draft["mailto"]).query)
    assert query["subject"] == [draft["subject"]]
    assert query["body"] == [draft["body"].rstrip("\n").replace("\n", "\r\n")]
    assert ana.get("/api/touches/999/draft").status_code == 404


@pytest.mark.parametrize(
    "event_days, has_touches, start",
    [
        (None, False, "/capture"),  # nothing yet: capture
        ((-1, 1), True, "/capture"),  # an event on today: capture
        ((-3, -1), True, "/today"),  # the weeks after: Today
    ],
)
def test_the_start_page(ana, users, data_dir, event_days, has_touches, start):
    today = date.today()
    if event_days:
        with Store.open(data_dir) as store:
            event = store.events.add(
                users["ana"],
                "Expo",
                today + timedelta(days=event_days[0]),
                today + timedelta(days=event_days[1]),
            )
            record = store.contacts.add(users["ana"], Contact(name="Rui"), event_id=event.id)
            if has_touches:
                followups.FollowUps(store, users["ana"], today).plan_contact(record.id)
    assert ana.get("/").headers["Location"] == start
    assert ana.get("/followups").headers["Location"] == "/today"


def test_the_contact_page_lists_its_touches_with_their_acts_and_keeps_the_history(
    ana, users, data_dir
):
    [contact_id] = seed_people(data_dir, users["ana"], count=1)
    html = ana.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert html.count('class="touch ') == 3 and "mailto:ana0@acme.example?subject=" in html
    headers = {"X-CSRFToken": ana.csrf, "Accept": "application/json"}
    touch = ana.get("/api/touches").get_json()["touches"][0]
    act = ana.post(f"/touches/{touch['id']}/skip", headers=headers).get_json()["act"]
    ana.post(act["undo"], headers=headers)
    html = ana.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert "Skipped: send deck</span>" in html and "(undone)" in html


def test_a_digest_link_to_a_follow_up_done_in_the_app_says_so(ana, users, data_dir, app):
    from cardscan.outreach.links import make_token

    seed_people(data_dir, users["ana"], count=1)
    touch = ana.get("/api/touches").get_json()["touches"][0]
    token = make_token(app.config["SECRET_KEY"], users["ana"], touch["id"], "snooze")
    ana.post(f"/api/touches/{touch['id']}/done", headers={"X-CSRFToken": ana.csrf})
    signed_out = app.test_client()
    asked = signed_out.get(f"/r/{token}").get_data(as_text=True)
    assert "This follow-up is done already: nothing to do." in asked
    assert 'method="post"' not in asked.split("<main", 1)[1]  # no button to press
    refused = signed_out.post(f"/r/{token}")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and '<h1 id="link-title">Nothing to do</h1>' in page
    assert "Ana Ruiz</strong> — thank-you: send deck (done)" in page
