"""GET /api/when: the date a text names, shown back as the user types."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support.clock import zone_on_another_day


def test_when_reads_the_words_and_says_the_day(ana):
    got = ana.get("/api/when?text=coffee in March&from=2030-12-07").get_json()
    assert got == {
        "found": True,
        "date": "2031-03-01",
        "label": "Sat 1 Mar 2031",
        "phrase": "in March",
        "language": "en",
    }
    german = ana.get("/api/when?text=Kaffee Ende des Monats&from=2030-12-07").get_json()
    assert german["date"] == "2030-12-31"
    plain = ana.get("/api/when?text=send deck").get_json()
    assert plain == {"found": False, "date": None, "label": None}


def test_when_refuses_a_bad_reference_and_strangers(ana, client):
    bad = ana.get("/api/when?text=Q1&from=soon")
    assert bad.status_code == 400 and "'soon'" in bad.get_json()["error"]


def test_when_needs_a_login(client, users):
    assert (
        client.get("/api/when?text=Q1", headers={"Accept": "application/json"}).status_code == 401
    )


def test_a_reason_added_by_the_api_comes_back_with_the_date_its_words_name(ana, users, data_dir):
    from cardscan.followups import find_when
    from cardscan.models import Contact
    from cardscan.store import Store

    with Store.open(data_dir) as store:
        rui = store.contacts.add(users["ana"], Contact(name="Rui Costa"))
    headers = {"X-CSRFToken": ana.csrf}
    made = ana.post(
        f"/api/contacts/{rui.id}/reasons", json={"text": "coffee in March"}, headers=headers
    )
    assert made.status_code == 201
    assert made.get_json()["due"] == find_when("coffee in March", date.today()).day.isoformat()


def test_today_tomorrow_and_an_event_s_first_day_are_the_user_s_own_days(ana, users, data_dir):
    from cardscan.followups import day_label
    from cardscan.models import Contact
    from cardscan.outreach import save_prefs
    from cardscan.store import Store

    name, their_day = zone_on_another_day()
    with Store.open(data_dir) as store:
        save_prefs(store, users["ana"], timezone=name)
        rui = store.contacts.add(users["ana"], Contact(name="Rui Costa"))
    headers = {"X-CSRFToken": ana.csrf}
    made = ana.post(
        f"/api/contacts/{rui.id}/reasons", json={"text": "call tomorrow"}, headers=headers
    )
    assert made.get_json()["due"] == (their_day + timedelta(days=1)).isoformat()
    event = ana.post("/api/events", json={"name": "Web Summit"}, headers=headers).get_json()
    assert event["start"] == their_day.isoformat()
    said = ana.get("/api/when?text=call tomorrow").get_json()
    tomorrow = their_day + timedelta(days=1)
    assert (said["date"], said["label"]) == (tomorrow.isoformat(), day_label(tomorrow, their_day))
