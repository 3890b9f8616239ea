"""Deleting a contact from the web: the confirmation says what goes; the API; the feed."""

from __future__ import annotations

from datetime import date

from cardscan.followups import FollowUps
from cardscan.store import Store
from tests.webapp.test_web_followups import event_with_cards  # noqa: F401


def test_delete_from_the_contact_page_and_the_api(ana, users, data_dir, event_with_cards):  # noqa: F811
    _, ids = event_with_cards
    first, second = (ana.get(f"/api/cards/{i}").get_json()["contact_id"] for i in ids)
    with Store.open(data_dir) as store:
        for cid in (first, second):
            FollowUps(store, users["ana"], date.today()).plan_contact(cid)
        token = store.users.feed_token(users["ana"])
        photo = store.photos.path(store.cards.get(users["ana"], ids[0]).front)
    feed = ana.get(f"/calendar/{token}.ics").get_data()
    assert feed.count(b"Sure Person") >= 3
    page = ana.get(f"/contacts/{first}").get_data(as_text=True)
    assert f"/contacts/{first}/delete" in page
    confirm = ana.get(f"/contacts/{first}/delete").get_data(as_text=True)
    assert "Delete Sure Person?" in confirm
    assert "1 card and 1 photo" in confirm and "still open leave your calendar" in confirm
    assert "1 reason to follow up" in confirm
    # Another user cannot delete it, nor learn what it holds.
    ben = ana.application.test_client()
    from tests.webapp.conftest import log_in_as

    log_in_as(ben, "ben")
    headers = {"X-CSRFToken": ben.csrf, "Accept": "application/json"}
    assert ben.delete(f"/api/contacts/{first}", headers=headers).status_code == 404
    assert ben.get(f"/contacts/{first}/delete").status_code == 404
    # The page's form deletes it.
    done = ana.post(f"/contacts/{first}/delete", data={"csrf_token": ana.csrf})
    assert done.status_code == 302
    assert ana.get(f"/contacts/{first}").status_code == 404
    assert ana.get(f"/api/contacts/{first}").status_code == 404
    assert "Sure Person" not in ana.get("/contacts/").get_data(as_text=True)
    assert b"Sure Person" not in ana.get(f"/calendar/{token}.ics").get_data()
    assert not photo.exists()
    # The API: a dry run says what would go, DELETE does it.
    headers = {"X-CSRFToken": ana.csrf, "Accept": "application/json"}
    dry = ana.delete(f"/api/contacts/{second}?dry_run=1", headers=headers).get_json()
    assert dry["deleted"] is False and dry["reasons"] == 1 and dry["cards"] == [ids[1]]
    assert ana.get(f"/api/contacts/{second}").status_code == 200
    gone = ana.delete(f"/api/contacts/{second}", headers=headers)
    assert gone.status_code == 200 and gone.get_json()["deleted"] is True
    assert ana.get("/api/contacts").get_json()["contacts"] == []
    assert ana.get("/api/touches").get_json()["touches"] == []
    assert ana.delete(f"/api/contacts/{second}", headers=headers).status_code == 404
