"""geometry: a card's pixels and its photo's, both ways, for every turn and in perspective."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cardscan.models import Box, CardOutline
from cardscan.reading.geometry import (
    box_to_photo,
    card_to_fraction_matrix,
    flatten_card,
    native_size,
    photo_to_card,
    scale_outline,
)
from tests.support.render import encode, photo_of_card

CARD = (800, 500)  # the flat, upright card the OCR read: width, height
MARK = Box(120, 300, 200, 70)  # a "word" on it, in the card's pixels
PHOTO = (1600, 1200)
# The card's corners as they appear in the photo (photo's top-left first): in perspective.
SEEN = np.array([[330, 240], [1270, 330], [1190, 930], [370, 860]], dtype=np.float32)


def _card_image() -> np.ndarray:
    card = np.full((CARD[1], CARD[0], 3), 250, np.uint8)
    cv2.rectangle(card, (40, 40), (700, 90), (120, 120, 120), -1)  # a grey band: not the mark
    cv2.rectangle(card, (MARK.x, MARK.y), (MARK.right - 1, MARK.bottom - 1), (0, 0, 0), -1)
    return card


def _photograph(rotation: int) -> tuple[np.ndarray, CardOutline, np.ndarray]:
    """The card on a grey table, turned: the card's own top-left lands on the corner of the
    photo ``rotation // 90`` steps back (as ``cardscan.reading.detect`` orders the corners). Also
    returns the matrix the photo was drawn with (card pixels to photo pixels)."""
    own = np.roll(SEEN, rotation // 90, axis=0)
    w, h = CARD
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, own)
    photo = cv2.warpPerspective(
        _card_image(), matrix, PHOTO, borderMode=cv2.BORDER_CONSTANT, borderValue=(90, 90, 90)
    )
    outline = CardOutline(
        quad=tuple((float(x), float(y)) for x, y in own),
        photo_size=PHOTO,
        card_size=CARD,
        rotation=rotation,
    )
    return photo, outline, matrix


def _dark(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) < 40


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_word_box_lands_on_the_word_in_the_photo(rotation):
    photo, outline, drawn_with = _photograph(rotation)
    polygon = np.array(box_to_photo(outline, MARK), dtype=np.float32)
    # Where the word's pixels really are in the photo: the polygon covers them.
    covered = np.zeros(photo.shape[:2], np.uint8)
    cv2.fillPoly(covered, [polygon.round().astype(np.int32)], 1)
    mark = _dark(photo)
    overlap = (covered.astype(bool) & mark).sum() / (covered.astype(bool) | mark).sum()
    assert overlap > 0.9
    # The polygon starts at the word's own top-left, wherever the turn put it.
    own_top_left = cv2.perspectiveTransform(
        np.array([[[MARK.x, MARK.y]]], np.float64), drawn_with.astype(np.float64)
    )[0, 0]
    assert tuple(polygon[0]) == pytest.approx(tuple(own_top_left), abs=1.5)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_card_flattened_from_the_photo_has_the_word_where_the_ocr_saw_it(rotation):
    photo, outline, _ = _photograph(rotation)
    flat = flatten_card(photo, outline)
    h, w = flat.shape[:2]
    assert abs(w / h - CARD[0] / CARD[1]) < 0.01
    scale = w / CARD[0]
    ys, xs = np.nonzero(_dark(flat))
    assert xs.min() == pytest.approx(MARK.x * scale, abs=4)
    assert xs.max() == pytest.approx(MARK.right * scale, abs=4)
    assert ys.min() == pytest.approx(MARK.y * scale, abs=4)
    assert ys.max() == pytest.approx(MARK.bottom * scale, abs=4)
    # A thumbnail keeps the aspect ratio and the word's place too.
    thumb = flatten_card(photo, outline, 320)
    assert max(thumb.shape[:2]) == 320
    ys, xs = np.nonzero(_dark(thumb))
    assert xs.mean() / thumb.shape[1] == pytest.approx((MARK.x + MARK.w / 2) / CARD[0], abs=0.02)
    assert ys.mean() / thumb.shape[0] == pytest.approx((MARK.y + MARK.h / 2) / CARD[1], abs=0.02)


def test_the_stored_photo_may_be_larger_than_the_working_copy():
    photo, outline, _ = _photograph(90)
    working = CardOutline(
        quad=tuple((x / 2, y / 2) for x, y in outline.quad),
        photo_size=(PHOTO[0] // 2, PHOTO[1] // 2),
        card_size=CARD,
        rotation=90,
    )
    big = scale_outline(working, *PHOTO)
    assert np.allclose(big.quad, outline.quad)
    flat = flatten_card(photo, working)  # the same outline, the photo at twice its size
    assert max(flat.shape[:2]) == pytest.approx(max(native_size(outline)), abs=1)
    # Through fractions of the photo, any display size works.
    matrix = card_to_fraction_matrix(working)
    x, y, s = matrix @ np.array([MARK.x, MARK.y, 1.0])
    expected = box_to_photo(outline, MARK)[0]
    assert (x / s * PHOTO[0], y / s * PHOTO[1]) == pytest.approx(expected, abs=0.5)


def test_photo_to_card_undoes_card_to_photo():
    _, outline, _ = _photograph(270)
    corners = box_to_photo(outline, MARK)
    back = photo_to_card(outline, corners)
    expected = [
        (MARK.x, MARK.y),
        (MARK.right, MARK.y),
        (MARK.right, MARK.bottom),
        (MARK.x, MARK.bottom),
    ]
    assert np.allclose(back, expected, atol=1e-3)


def test_outline_json_round_trip_and_bad_data():
    _, outline, _ = _photograph(180)
    again = CardOutline.from_dict(outline.to_dict())
    assert again is not None and again.rotation == 180 and again.card_size == CARD
    assert np.allclose(again.quad, outline.quad, atol=0.05)
    for bad in (None, {}, {"quad": [[0, 0]], "photo": [1, 1], "card": [1, 1]}, {"quad": "x"}):
        assert CardOutline.from_dict(bad) is None


# --- with the real pipeline and real OCR ----------------------------------------------------


def _padded(outline, box: Box, pad: float) -> Box:
    grow = round(pad * box.h)
    return Box(box.x - grow, box.y - grow, box.w + 2 * grow, box.h + 2 * grow)


def _word_on_photo(photo, outline, box: Box) -> np.ndarray:
    """Cut the word out of the photo through its mapped corners, upright."""
    corners = box_to_photo(outline, box)
    word = CardOutline(tuple(corners), outline.photo_size, (box.w, box.h))
    return flatten_card(photo, word)


@pytest.mark.parametrize(
    ("image", "rotation", "enlarge"),
    [
        ("sample_16_upside_down_hr.jpg", 180, 1.0),
        ("sample_08_coloured_rot90_it.jpg", 270, 1.6),  # stored larger than the working copy
        ("sample_01_classic_pt.jpg", 0, 1.0),  # EXIF orientation 6, perspective
    ],
)
def test_real_ocr_words_map_back_onto_the_photo(
    image, rotation, enlarge, settings, rapidocr_engine, sample_cards
):
    """Read a sample photo with the pipeline, map some words' boxes back onto the photo
    through the reading's outline, cut them out there and read them again: same words."""
    from cardscan.reading.imaging import load_image
    from cardscan.reading.pipeline import scan_image

    data = (sample_cards / "images" / image).read_bytes()
    photo = load_image(data, max_megapixels=50)
    if enlarge != 1.0:
        photo = cv2.resize(photo, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_CUBIC)
        data = encode(photo)
    (reading,) = scan_image(data, settings, engine=rapidocr_engine)
    assert reading.detection == "quad" and reading.rotation == rotation
    outline = CardOutline(
        reading.quad, reading.photo_size, (reading.ocr.width, reading.ocr.height), rotation
    )
    outline = scale_outline(outline, photo.shape[1], photo.shape[0])
    words = [w for line in reading.ocr.lines for w in line.words if len(w.text) >= 6]
    words = sorted(words, key=lambda w: -w.confidence)[:4]
    assert len(words) >= 3
    for word in words:
        cut = _word_on_photo(photo, outline, _padded(outline, word.box, 0.4))
        again = rapidocr_engine.read(cv2.copyMakeBorder(cut, 20, 20, 20, 20, cv2.BORDER_REPLICATE))
        assert word.text.casefold() in again.text.casefold().replace(" ", ""), (word, again.text)


def test_rendered_card_turned_a_quarter(settings, rapidocr_engine):
    """The test renderer's card in a photo turned 270 degrees: the card is turned 90 degrees
    back, and its e-mail's box, mapped onto the photo, holds the e-mail."""
    from cardscan.reading.pipeline import scan_image

    photo = photo_of_card(270)
    (reading,) = scan_image(encode(photo), settings, engine=rapidocr_engine)
    assert reading.rotation == 90
    outline = CardOutline(reading.quad, reading.photo_size, (reading.ocr.width, reading.ocr.height))
    line = next(line for line in reading.ocr.lines if "@" in line.text)
    cut = _word_on_photo(photo, outline, _padded(outline, line.box, 0.4))
    again = rapidocr_engine.read(cv2.copyMakeBorder(cut, 20, 20, 20, 20, cv2.BORDER_REPLICATE))
    assert "ana.ruiz@northwind.example" in again.text.replace(" ", "")
