"""Photos are stored and served without their metadata (GPS, camera, time, comments), still
upright, with the same pixels."""

from __future__ import annotations

import io

import numpy as np
import pytest
import vobject
from PIL import Image, PngImagePlugin

from cardscan.photometa import strip_metadata
from cardscan.reading.imaging import load_image
from cardscan.store import Store
from tests.support import hardening as h

GPS = {1: "N", 2: (38.0, 42.0, 0.0), 3: "W", 4: (9.0, 8.0, 0.0)}


def _camera_jpeg(orientation: int = 6) -> bytes:
    """A phone-like JPEG: EXIF with GPS, maker and orientation, XMP and a comment."""
    image = Image.new("RGB", (640, 480), "white")
    image.paste((200, 30, 30), (0, 0, 320, 120))  # a mark that shows which way is up
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Phone Maker"
    exif[0x0132] = "2026:11:05 10:31:00"
    exif[0x8825] = GPS
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Lisbon, 38.7 N</x:xmpmeta>'
    image.save(out, "JPEG", exif=exif, comment=b"taken at home", xmp=xmp, quality=90)
    return out.getvalue()


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def test_a_jpeg_loses_everything_but_its_orientation_and_keeps_its_pixels():
    data = _camera_jpeg()
    assert b"Phone Maker" in data and b"Lisbon" in data and b"taken at home" in data
    clean = strip_metadata(data)
    for secret in (b"Phone Maker", b"Lisbon", b"taken at home", b"2026:11:05"):
        assert secret not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert dict(image.getexif()) == {0x0112: 6}  # still shown upright
        assert "comment" not in image.info and "xmp" not in image.info
    assert np.array_equal(_pixels(clean), _pixels(data))  # lossless
    assert np.array_equal(load_image(clean, max_megapixels=40), load_image(data, max_megapixels=40))
    assert strip_metadata(clean) == clean  # once is enough


def test_a_second_image_after_the_first_one_goes_too():
    data = _camera_jpeg(1) + _camera_jpeg(1)  # an MPO keeps a second JPEG (with EXIF) after
    clean = strip_metadata(data)
    assert clean.count(b"\xff\xd8") == 1 and b"Phone Maker" not in clean


def test_a_png_loses_its_text_and_exif_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Lisbon, 38.7 N")
    info.add_itxt("Author", "Ana")
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = GPS
    Image.new("RGB", (80, 40), "white").save(out, "PNG", pnginfo=info, exif=exif)
    clean = strip_metadata(out.getvalue())
    assert b"Lisbon" not in clean and b"Author" not in clean and b"eXIf" not in clean
    assert np.array_equal(_pixels(clean), _pixels(out.getvalue()))


def test_a_heic_becomes_an_upright_jpeg_without_metadata(sample_cards):
    data = (sample_cards / "images" / "sample_15_heic_photo_fr.heic").read_bytes()
    clean = strip_metadata(data)
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert load_image(clean, max_megapixels=40).shape == load_image(data, max_megapixels=40).shape


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe1\x00\x10Exif", b"\x89PNG\r\n\x1a\nshort"])
def test_a_damaged_file_is_left_for_the_checks_to_refuse(data):
    assert strip_metadata(data) == data


def test_an_uploaded_photo_is_stored_and_served_without_metadata(tmp_path):
    data = tmp_path / "data"
    app = h.make_app(data)
    h.add_users(data, "ana")
    client = h.logged_in(app, "ana")
    response = h.api_upload(client, _camera_jpeg())
    assert response.status_code == 202, response.get_data()
    card_id = response.get_json()["id"]
    served = client.get(f"/api/cards/{card_id}/photo").data
    assert b"Phone Maker" not in served and b"Lisbon" not in served
    stored = b"".join(p.read_bytes() for p in (data / "photos").rglob("*.jpg"))
    assert b"Phone Maker" not in stored and b"taken at home" not in stored
    with Image.open(io.BytesIO(served)) as image:
        assert dict(image.getexif()) == {0x0112: 6}


def test_the_vcard_export_with_photos_carries_the_card_without_metadata(tmp_path):
    from tests.support.fake_reader import _reading

    data = tmp_path / "data"
    app = h.make_app(data)
    h.add_users(data, "ana")
    client = h.logged_in(app, "ana")
    assert h.api_upload(client, _camera_jpeg()).status_code == 202
    with Store.open(data) as store:
        card = store.cards.claim_next()
        store.cards.finish(card.id, [_reading(["Ana Ruiz", "Acme", "ana@acme.example"], 0)])
    without = client.get("/exports/vcf")
    assert without.status_code == 200 and b"PHOTO" not in without.data
    card = vobject.readOne(client.get("/exports/vcf?photos=1").get_data(as_text=True))
    assert card.fn.value == "Ana Ruiz"
    with Image.open(io.BytesIO(card.photo.value)) as photo:
        assert photo.format == "JPEG" and not photo.getexif()  # upright, no GPS, no maker
        assert photo.size == (480, 640)  # turned by its orientation (6: a quarter turn)
