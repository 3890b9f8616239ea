"""pipeline: photos in, contacts out, with the real engine, end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cardscan.errors import ImageTooLargeError, InputImageError
from cardscan.reading.pipeline import scan_image
from tests.support.render import FONT, LINES, encode, photo_of_card, render_card


def test_photo_to_contact(settings, rapidocr_engine):
    data = encode(photo_of_card(90))
    (reading,) = scan_image(data, settings, engine=rapidocr_engine)
    contact = reading.contact
    assert contact.name == "Ana Ruiz"
    assert contact.emails == ["ana.ruiz@northwind.example"]
    assert [p.e164 for p in contact.phones] == ["+442079460321"]
    assert reading.ocr.lines[0].text.startswith("Northwind")  # upright reading order
    assert reading.seconds > 0 and reading.card_index == 0
    assert 0 < contact.confidence["emails"] <= 1


def test_sample_card_from_a_path_with_qr(settings, rapidocr_engine, sample_cards):
    path = sample_cards / "images" / "sample_10_qr_vcard_tr.jpg"
    label = json.loads((sample_cards / "labels" / "sample_10_qr_vcard_tr.json").read_text())
    (reading,) = scan_image(path, settings, engine=rapidocr_engine)
    assert [code.kind for code in reading.qr] == ["vcard"]
    assert reading.contact.emails == [e.lower() for e in label["emails"]]


def test_two_cards_in_one_photo(settings, rapidocr_engine, sample_cards):
    path = sample_cards / "images" / "sample_14_two_cards_nl_fr.jpg"
    label = json.loads((sample_cards / "labels" / "sample_14_two_cards_nl_fr.json").read_text())
    readings = scan_image(path, settings, engine=rapidocr_engine)
    assert [r.card_index for r in readings] == [0, 1]
    assert readings[0].contact.name.casefold() == label["name"].casefold()
    other = label["other_cards"][0]
    assert readings[1].contact.name.casefold() == other["name"].casefold()


def test_blank_photo_gives_an_empty_contact(settings, rapidocr_engine):
    blank = encode(np.full((900, 1200, 3), 235, np.uint8))
    (reading,) = scan_image(blank, settings, engine=rapidocr_engine)
    assert reading.contact.is_empty() and reading.ocr.lines == ()


def test_back_side_fields_are_merged(settings, rapidocr_engine):
    front = encode(render_card(lines=LINES[:3]))
    back = encode(render_card(lines=(("ana.ruiz@northwind.example", FONT, 44),)))
    (reading,) = scan_image(front, settings, engine=rapidocr_engine, back=back)
    assert reading.contact.name == "Ana Ruiz"
    assert reading.contact.emails == ["ana.ruiz@northwind.example"]
    assert reading.back_ocr is not None


def test_bad_inputs(settings, tmp_path):
    with pytest.raises(InputImageError, match="no such file"):
        scan_image(tmp_path / "missing.jpg", settings)
    (tmp_path / "note.jpg").write_text("not a photo")
    with pytest.raises(InputImageError, match="not an image"):
        scan_image(tmp_path / "note.jpg", settings)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff" * (settings.max_upload_mb * 1_000_000 + 1))
    with pytest.raises(ImageTooLargeError, match="over the limit of 30 MB"):
        scan_image(big, settings)


def test_keep_intermediates(tmp_path, rapidocr_engine):
    from cardscan.settings import load_settings

    settings = load_settings({"data": str(tmp_path), "keep_intermediates": True}, environ={})
    scan_image(encode(photo_of_card(0)), settings, engine=rapidocr_engine)
    (folder,) = (tmp_path / "intermediates").iterdir()
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["1-working.png", "2-card-0.png", "3-card-0-ocr.json"]


def test_a_card_small_in_a_big_photo_is_read_again_on_its_own(
    settings, rapidocr_engine, sample_cards, monkeypatch
):
    """The tiny-print card, a third of a 4500 px photo: the whole photo's reading loses the
    small print; the card read again on its own, enlarged, gets every number back."""
    import cv2

    import cardscan.reading.ocr.readings as readings
    from cardscan.reading.imaging import load_image
    from cardscan.reading.scoring import norm_phone

    stem = "sample_09_tiny_print_scan_uk"
    card = load_image(
        (sample_cards / "images" / f"{stem}.jpg").read_bytes(), max_megapixels=40, max_side=2000
    )
    label = json.loads((sample_cards / "labels" / f"{stem}.json").read_text())
    h, w = card.shape[:2]
    photo = np.full((int(h * 3.4), int(w * 3.4), 3), (60, 90, 120), np.uint8)
    photo[int(h * 0.6) : int(h * 0.6) + h, int(w * 0.7) : int(w * 0.7) + w] = card
    data = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()
    want = {norm_phone(p, "GB") for p in label["phones"]}

    (reading,) = scan_image(data, settings, engine=rapidocr_engine)
    assert {p.e164 for p in reading.contact.phones} == want
    assert reading.stages["reread"] > 0

    monkeypatch.setattr(readings, "REREAD_ZOOM", float("inf"))  # the whole photo alone
    (alone,) = scan_image(data, settings, engine=rapidocr_engine)
    assert {p.e164 for p in alone.contact.phones} != want
