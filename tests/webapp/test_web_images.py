"""Thumbnails and flattened cards over HTTP: a sample photo read by the real pipeline into a
real SQLite store, served by the real app (waitress), fetched like a browser would."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from PIL import Image

from cardscan.settings import load_settings
from cardscan.store import Store
from tests.webapp.conftest import PASSWORD

#: Cards read by the real OCR pipeline first (slow: left out of make test-fast).
pytestmark = pytest.mark.slow

TWO_CARDS = "sample_14_two_cards_nl_fr.jpg"


def _get(url: str, token: str, headers: dict | None = None):
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _logged_in_page(url: str, path: str) -> str:
    """A page fetched by a browser-like client that logged in as ana through the form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = opener.open(url + "/login", timeout=30).read().decode()
    csrf = login.split('name="csrf-token" content="')[1].split('"')[0]
    form = urllib.parse.urlencode({"name": "ana", "password": PASSWORD, "csrf_token": csrf})
    opener.open(url + "/login", data=form.encode(), timeout=30).read()
    with opener.open(url + path, timeout=30) as response:
        assert response.status == 200 and response.url.endswith(path)
        return response.read().decode()


@pytest.fixture(scope="module")
def served(quiet_server, sample_cards, rapidocr_engine):
    """Ana's card (two cards in one photo) read by the real pipeline, an unread card, a card
    whose photo file is gone and one whose file is damaged; tokens for ana and ben."""
    from cardscan.reading.pipeline import scan_image

    url, data = quiet_server
    settings = load_settings({"data": str(data)}, environ={})
    photo = (sample_cards / "images" / TWO_CARDS).read_bytes()
    with Store.open(data) as store:
        store.users.password_cost = 2**10
        ana = store.users.by_name("ana")
        ben = store.users.add("ben-images", "another long password")
        card, _ = store.cards.add(ana.id, photo)
        claimed = store.cards.claim_next()
        assert claimed is not None and claimed.id == card.id
        store.cards.finish(card.id, scan_image(photo, settings, engine=rapidocr_engine))
        # Three different photos (bytes after a JPEG's end are not kept, so they would not do).
        other, another, third = (
            (sample_cards / "images" / name).read_bytes()
            for name in (
                "sample_02_centred_fr.jpg",
                "sample_03_two_column_de.jpg",
                "sample_05_logo_band_nl.jpg",
            )
        )
        unread, _ = store.cards.add(ana.id, other)
        gone, _ = store.cards.add(ana.id, another)
        store.photos.path(gone.front).unlink()
        broken, _ = store.cards.add(ana.id, third)
        store.photos.path(broken.front).write_bytes(b"\xff\xd8\xff" + b"\x00" * 200)
        readings = store.cards.readings(ana.id, card.id)
        tokens = {
            "ana": store.users.create_api_token(ana.id, "images test"),
            "ben": store.users.create_api_token(ben.id, "images test"),
        }
    return {
        "url": url,
        "card": card.id,
        "unread": unread.id,
        "gone": gone.id,
        "broken": broken.id,
        "readings": readings,
        "tokens": tokens,
    }


def _json(served, path, who="ana"):
    status, _, body = _get(served["url"] + path, served["tokens"][who])
    assert status == 200, body[:300]
    return json.loads(body)


def test_the_stored_reading_keeps_where_each_card_is(served):
    readings = served["readings"]
    assert [r["card_index"] for r in readings] == [0, 1]
    for reading in readings:
        outline = reading["outline"]
        assert len(outline["quad"]) == 4
        assert outline["photo"] == [1600, 1200]  # the working photo (this one is small)
        assert outline["card"] == [reading["ocr"]["width"], reading["ocr"]["height"]]
        assert outline["rotation"] == 0
    # The two cards are side by side: the second one's corners are to the right.
    left = max(x for x, _ in readings[0]["outline"]["quad"])
    right = min(x for x, _ in readings[1]["outline"]["quad"])
    assert left < right + 60


def test_card_json_carries_the_outline_and_image_links(served):
    card = _json(served, f"/api/cards/{served['card']}?ocr=1")
    assert card["index"] == 0 and card["cards_in_photo"] == 2
    assert card["outline"]["card"] == [card["ocr"]["width"], card["ocr"]["height"]]
    assert len(card["outline"]["to_photo"]) == 9
    assert card["card_image"].startswith(f"/api/cards/{served['card']}/card.jpg?v=")
    assert card["thumb"].startswith(f"/api/cards/{served['card']}/thumb?v=")
    # The second card's contact knows it is card 1 of the photo.
    contacts = _json(served, "/api/contacts")["contacts"]
    mine = sorted(
        (c for c in contacts if c["card_id"] == served["card"]), key=lambda c: c["card_index"]
    )
    assert [c["card_index"] for c in mine] == [0, 1]


def test_thumbnail_is_a_small_jpeg_cached_for_good(served):
    token = served["tokens"]["ana"]
    card = _json(served, f"/api/cards/{served['card']}?ocr=1")
    status, headers, body = _get(served["url"] + card["thumb"], token)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert len(body) < 25_000
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and max(image.size) == 320
    # The flattened card, not the photo: the card's own proportions.
    width, height = card["outline"]["card"]
    assert image.size[0] / image.size[1] == pytest.approx(width / height, abs=0.02)
    assert (
        "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    )
    assert "private" in headers["Cache-Control"]
    again, _, _ = _get(served["url"] + card["thumb"], token, {"If-None-Match": headers["ETag"]})
    assert again == 304
    # Without the version in the URL: the same image, but checked again each time.
    status, headers, plain = _get(served["url"] + f"/api/cards/{served['card']}/thumb", token)
    assert status == 200 and plain == body and "no-cache" in headers["Cache-Control"]


def test_second_card_of_the_photo_has_its_own_thumbnail_and_card_image(served):
    token = served["tokens"]["ana"]
    base = served["url"] + f"/api/cards/{served['card']}"
    first = Image.open(io.BytesIO(_get(base + "/card.jpg", token)[2]))
    status, headers, body = _get(base + "/card.jpg?index=1", token)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    second = Image.open(io.BytesIO(body))
    width, height = served["readings"][1]["outline"]["card"]
    assert second.size[0] / second.size[1] == pytest.approx(width / height, abs=0.02)
    assert max(second.size) <= 1600 and second.size != first.size
    thumb = Image.open(io.BytesIO(_get(base + "/thumb?index=1", token)[2]))
    assert max(thumb.size) == 320
    # The contacts list shows each contact its own card of the photo (a page: a session, as
    # API tokens reach only /api/).
    page = _logged_in_page(served["url"], "/contacts/")
    assert f"/api/cards/{served['card']}/thumb?index=1&amp;v=" in page


def test_unread_card_thumbnail_is_the_photo_and_card_image_is_not_there(served):
    token = served["tokens"]["ana"]
    base = served["url"] + f"/api/cards/{served['unread']}"
    status, headers, body = _get(base + "/thumb", token)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(body)).size == (320, 240)
    status, _, body = _get(base + "/card.jpg", token)
    assert status == 404 and "no stored outline" in json.loads(body)["error"]


@pytest.mark.parametrize("which", ["gone", "broken"])
def test_missing_or_damaged_photo_gives_a_placeholder(served, which):
    status, headers, body = _get(
        served["url"] + f"/api/cards/{served[which]}/thumb", served["tokens"]["ana"]
    )
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert headers["Cache-Control"] == "no-store" and b"no preview" in body


def test_another_users_card_images_are_not_found(served):
    for path in ("thumb", "card.jpg", "thumb?index=1", "photo"):
        status, headers, body = _get(
            served["url"] + f"/api/cards/{served['card']}/{path}", served["tokens"]["ben"]
        )
        assert status == 404 and headers["Content-Type"] == "application/json", path
        assert json.loads(body)["ok"] is False


def test_bad_index_is_refused(served):
    status, _, body = _get(
        served["url"] + f"/api/cards/{served['card']}/thumb?index=-1", served["tokens"]["ana"]
    )
    assert status == 400 and "index" in json.loads(body)["error"]


def test_triage_queue_names_each_cards_images_for_prefetching(served):
    queue = _json(served, "/api/triage")["cards"]
    # The photo's first card (the queue is ordered by certainty, so not necessarily first).
    item = next(c for c in queue if c["id"] == served["card"] and c["index"] == 0)
    assert item["thumb"].startswith(f"/api/cards/{served['card']}/thumb?v=")
    assert item["card_image"].startswith(f"/api/cards/{served['card']}/card.jpg?v=")
    second = next(c for c in queue if c["id"] == served["card"] and c["index"] == 1)
    assert second["thumb"].startswith(f"/api/cards/{served['card']}/thumb?index=1&v=")
