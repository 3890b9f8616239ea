"""detect: a card photographed on a table at each rotation is found, flattened and upright.

The synthetic scenes are drawn here with known corners; their text regions are where the
test drew the lines (mapped into the photo), so the outline finder is tested on its own and
fast. The committed sample photos are read with the real engine.
"""

from __future__ import annotations

import json
from functools import cache

import cv2
import numpy as np
import pytest

from cardscan.models import TextRegion
from cardscan.reading.detect import find_cards
from cardscan.reading.edges import Edges
from cardscan.reading.geometry import order_corners
from cardscan.reading.imaging import WORKING_SIZE, load_image
from cardscan.reading.ocr.readings import project_ocr
from cardscan.reading.outline import outlines_around, text_axis
from sample_cards import generate
from tests.support.render import (
    card_corners,
    card_matrix,
    line_boxes,
    photo_of_card,
    place,
    place_at,
    render_card,
    table,
)

CARD = render_card()


@cache
def _table(seed: int) -> np.ndarray:
    """The textured table (made once per seed: it takes a moment)."""
    return table(seed=seed)


def _regions(corners: np.ndarray, card: np.ndarray = CARD) -> list[TextRegion]:
    """Text regions of a ``render_card`` card placed at ``corners``, as the engine gives them."""
    matrix = card_matrix(card.shape, corners)
    regions = []
    for x0, y0, x1, y1 in line_boxes():
        box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32) + [-4, -4]
        box += [[0, 0], [8, 0], [8, 8], [0, 8]]  # the engine's boxes have a little air
        mapped = cv2.perspectiveTransform(box.reshape(-1, 1, 2), matrix).reshape(4, 2)
        regions.append(TextRegion(tuple((float(x), float(y)) for x, y in mapped)))
    return regions


def _error(found: tuple[tuple[float, float], ...], truth: np.ndarray) -> float:
    """Largest corner distance between two quads, whatever corner each starts at."""
    quad = np.asarray(found, np.float64)
    return min(
        float(np.linalg.norm(np.roll(quad, k, axis=0) - truth, axis=1).max()) for k in range(4)
    )


def _turn(image: np.ndarray, points: np.ndarray, degrees: int) -> tuple[np.ndarray, np.ndarray]:
    """``image`` and ``points`` in it, turned clockwise by 0, 90, 180 or 270 degrees."""
    h, w = image.shape[:2]
    x, y = points[..., 0], points[..., 1]
    if degrees == 90:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), np.stack([h - 1 - y, x], -1)
    if degrees == 180:
        return cv2.rotate(image, cv2.ROTATE_180), np.stack([w - 1 - x, h - 1 - y], -1)
    if degrees == 270:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE), np.stack([y, w - 1 - x], -1)
    return image, points


def _turned_regions(corners: np.ndarray, degrees: int, shape: tuple[int, ...]) -> list:
    h, w = shape[:2]
    out = []
    for region in _regions(corners):
        points = np.array(region.corners)
        _, turned = _turn(np.zeros((h, w), np.uint8), points, degrees)
        out.append(TextRegion(tuple((float(x), float(y)) for x, y in turned)))
    return out


# --- synthetic scenes with known corners ------------------------------------------------------


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize(("tilt", "perspective"), [(-7.0, 0.05), (11.0, 0.08)], ids=["a", "b"])
def test_outline_found_on_a_textured_table(rotation, tilt, perspective):
    corners = card_corners((1050, 600), (1000, 760), 1250, tilt, perspective)
    photo, truth = _turn(place_at(_table(2), CARD, corners), corners, rotation)
    regions = _turned_regions(corners, rotation, _table(2).shape)
    (crop,) = find_cards(photo, regions, max_side=1600)
    assert crop.method == "quad" and crop.confidence >= 0.8
    assert _error(crop.quad, truth) < 4
    assert crop.rotation == (360 - rotation) % 360
    assert _error(crop.quad[:1], truth[:1]) < 4  # the card's own top-left comes first
    height, width = crop.image.shape[:2]
    assert 1.6 < width / height < 1.9  # flat again: the card is 1050 x 600


def test_a_corner_covered_by_a_thumb():
    corners = card_corners((1050, 600), (1000, 760), 1250, 6.0, 0.05)
    photo = place_at(_table(4), CARD, corners)
    tl = corners[0].astype(int)
    cv2.ellipse(
        photo, (int(tl[0]) + 10, int(tl[1]) + 20), (110, 70), 35, 0, 360, (120, 150, 215), -1
    )
    (crop,) = find_cards(photo, _regions(corners))
    assert crop.method == "quad"
    assert _error(crop.quad, corners) < 5  # the hidden corner is where the two sides meet


def test_a_card_running_off_the_frame():
    corners = card_corners((1050, 600), (1720, 760), 1250, 5.0, 0.03)  # its right end is cut
    photo = place_at(_table(5), CARD, corners)
    width = photo.shape[1]
    assert corners[:, 0].max() > width + 100
    (crop,) = find_cards(photo, _regions(corners))
    assert crop.method == "quad" and crop.confidence >= 0.8
    quad = np.asarray(crop.quad)
    right = np.argsort(quad[:, 0])[2:]
    assert np.abs(quad[right, 0] - (width - 1)).max() < 3  # the frame is the right side
    for k in (0, 3):  # the left corners are the card's own
        assert np.linalg.norm(quad - corners[k], axis=1).min() < 4
    for a, b in ((0, 1), (3, 2)):  # the top and bottom sides run along the card's edges
        y = corners[a, 1] + (corners[b, 1] - corners[a, 1]) * (width - 1 - corners[a, 0]) / (
            corners[b, 0] - corners[a, 0]
        )
        assert np.linalg.norm(quad - [width - 1, y], axis=1).min() < 4


def test_low_contrast_card_on_a_light_table():
    rng = np.random.default_rng(7)
    h, w = 1500, 2000
    light = np.linspace(0.96, 1.03, w)[None, :] * np.linspace(1.02, 0.97, h)[:, None]
    surface = np.clip(226 * light + rng.normal(0, 2.0, (h, w)), 0, 255)
    surface = np.repeat(surface[..., None], 3, axis=2)
    corners = card_corners((1050, 600), (1000, 760), 1250, -5.0, 0.05)
    white = render_card(colour=(246, 246, 244))
    photo = place_at(surface.astype(np.uint8), white, corners)
    (crop,) = find_cards(photo, _regions(corners))
    assert crop.method == "quad"
    assert _error(crop.quad, corners) < 4


def test_two_cards_are_two_with_their_own_outlines():
    left = card_corners((1050, 600), (520, 700), 820, -4.0, 0.04)
    right = card_corners((1050, 600), (1480, 760), 820, 6.0, 0.04)
    photo = place_at(place_at(_table(3), CARD, left), CARD, right)
    crops = find_cards(photo, _regions(left) + _regions(right))
    assert [c.method for c in crops] == ["quad", "quad"]
    assert _error(crops[0].quad, left) < 4 and _error(crops[1].quad, right) < 4
    n = len(line_boxes())
    assert sorted(crops[0].members) == list(range(n))
    assert sorted(crops[1].members) == list(range(n, 2 * n))


def test_a_cards_edge_that_runs_on_into_the_next_cards_text_is_still_its_edge():
    """Two cards side by side: the left card's bottom edge, run on past its corner, crosses
    the right card's text. That must not rule the edge out (it once did, and two cards close
    together were read as one): only where it could be the card's side may it not cut text."""
    left = card_corners((1050, 600), (520, 600), 800, -9.0, 0.04)
    right = card_corners((1050, 600), (1430, 800), 800, 2.0, 0.04)
    photo = place_at(place_at(_table(3), CARD, left), CARD, right)
    mine = [np.asarray(r.corners) for r in _regions(left)]
    theirs = np.concatenate([np.asarray(r.corners) for r in _regions(right)])
    found = outlines_around(Edges(photo), np.concatenate(mine), text_axis(mine), 30.0, [theirs])
    trusted = [o for o in found if o.trusted]
    assert trusted and _error(tuple(map(tuple, trusted[0].quad)), left) < 4


def test_one_card_set_in_two_far_apart_columns_is_one_card():
    """Two columns of text with a wide gap and a printed rule between them, on one card: the
    ground between them is the card's, so it is one card, not two."""
    paper = (250, 250, 246)
    card = np.full((1000, 2200, 3), paper, np.uint8)
    card[200:800, 0:1050] = CARD
    card[200:800, 1150:2200] = CARD
    card[150:850, 1095:1101] = (160, 80, 20)  # a blue rule between the columns
    corners = card_corners((2200, 1000), (1000, 750), 1500, 5.0, 0.04)
    photo = place_at(_table(3), card, corners)
    matrix = card_matrix(card.shape, corners)
    regions = []
    for dx in (0, 1150):
        for x0, y0, x1, y1 in line_boxes():
            box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32) + (dx, 200)
            mapped = cv2.perspectiveTransform(box.reshape(-1, 1, 2), matrix).reshape(4, 2)
            regions.append(TextRegion(tuple((float(x), float(y)) for x, y in mapped)))
    (crop,) = find_cards(photo, regions)
    assert crop.method == "quad" and _error(crop.quad, corners) < 5


def test_text_without_an_outline_keeps_all_the_text():
    """A page filling the photo: no outline to find, so the text-bearing region is used."""
    corners = np.array([[-60, -60], [2060, -60], [2060, 1560], [-60, 1560]], np.float32)
    page = place_at(
        np.zeros((1500, 2000, 3), np.uint8), render_card(colour=(244, 244, 244)), corners
    )
    (crop,) = find_cards(page, _regions(corners))
    assert crop.method == "text"
    contour = np.asarray(crop.quad, np.float32).reshape(-1, 1, 2)
    for region in _regions(corners):
        for x, y in region.corners:
            assert cv2.pointPolygonTest(contour, (x, y), True) >= 0


def test_a_slanted_printed_line_is_not_taken_for_an_edge():
    """A scan filled by the card (its top edge showing), with a rule printed at a slant
    under the text: flattening along the rule would shear the text, so it is not used."""
    corners = np.array([[-60, 150], [2060, 150], [2060, 1670], [-60, 1670]], np.float32)
    scan = np.full((1500, 2000, 3), 200, np.uint8)
    page = place_at(scan, render_card(colour=(244, 244, 244)), corners)
    cv2.line(page, (0, 1460), (1999, 1200), (150, 120, 110), 3, cv2.LINE_AA)
    (crop,) = find_cards(page, _regions(corners))
    assert crop.method == "text"


def test_blank_photo_gives_the_whole_image():
    blank = np.full((600, 900, 3), 128, np.uint8)
    (crop,) = find_cards(blank, [])
    assert crop.method == "whole" and crop.image.shape == blank.shape
    assert crop.confidence < 0.5


def test_tiny_image():
    (crop,) = find_cards(np.zeros((3, 3, 3), np.uint8), [])
    assert crop.image.shape == (3, 3, 3)


def test_order_corners():
    points = np.array([[10, 90], [100, 10], [0, 0], [95, 100]], np.float32)
    assert order_corners(points).tolist() == [[0, 0], [100, 10], [95, 100], [10, 90]]


# --- the real engine ----------------------------------------------------------------------------


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_card_found_and_upright(rapidocr_engine, rotation):
    photo = photo_of_card(rotation)
    result, regions = rapidocr_engine.read_regions(photo)
    crops = find_cards(photo, regions, max_side=1600)
    assert len(crops) == 1
    crop = crops[0]
    assert crop.method == "quad"
    assert crop.rotation == (360 - rotation) % 360
    height, width = crop.image.shape[:2]
    assert width > height  # the card is landscape once upright
    card_ocr = project_ocr(result, crop.matrix, crop.size, crop.members, regions)
    assert card_ocr.lines[0].text.startswith("Northwind")
    assert "Ana Ruiz" in card_ocr.lines[1].text
    if rotation == 90:  # the flat card image itself reads upright too
        assert rapidocr_engine.read(crop.image).lines[0].text.startswith("Northwind")


def test_two_cards_are_two(rapidocr_engine):
    scene = table(seed=3)
    scene = place(scene, render_card(), (520, 700), 820, tilt_degrees=-4)
    scene = place(scene, render_card(colour=(235, 245, 250)), (1480, 760), 820, tilt_degrees=6)
    result, regions = rapidocr_engine.read_regions(scene)
    crops = find_cards(scene, regions)
    assert len(crops) == 2
    assert crops[0].box.x < crops[1].box.x
    texts = [project_ocr(result, c.matrix, c.size, c.members, regions).text for c in crops]
    assert all(t.count("Ana Ruiz") == 1 for t in texts)


def test_a_rule_printed_across_a_card_does_not_make_two_cards(rapidocr_engine):
    """Generated seed 31021's card 8: a rule printed most of the way across the card between
    its two groups of text gave each half an outline of its own, and it was read as two cards.
    The ground between the groups is the card's own, so it is one."""
    _, data, _, _ = generate.build_sample(31021, 8)
    photo = load_image(data, max_megapixels=40, max_side=WORKING_SIZE)
    _, regions = rapidocr_engine.read_regions(photo)
    assert len(find_cards(photo, regions)) == 1


@pytest.mark.parametrize(
    ("stem", "rotation"),
    [
        ("sample_03_two_column_de", 0),  # white card on white paper, diagonal shadow
        ("sample_07_dark_card_logo_only_es", 0),  # dark card
        ("sample_12_qr_url_logo_only_de", 0),  # a grid of lines all around the card
        ("sample_16_upside_down_hr", 180),  # upside down, bowed
    ],
)
def test_sample_photos_are_flattened_along_their_outline(
    rapidocr_engine, sample_cards, stem, rotation
):
    data = (sample_cards / "images" / f"{stem}.jpg").read_bytes()
    photo = load_image(data, max_megapixels=40, max_side=WORKING_SIZE)
    label = json.loads((sample_cards / "labels" / f"{stem}.json").read_text())
    assert "photo" in label["notes"].lower()  # a photo with the whole card on a surface
    (crop,) = find_cards(photo, rapidocr_engine.find_text(photo))
    assert crop.method == "quad" and crop.rotation == rotation
    height, width = crop.image.shape[:2]
    assert 1.5 < width / height < 1.9
    area = cv2.contourArea(np.asarray(crop.quad, np.float32))
    assert 0.15 < area / (photo.shape[0] * photo.shape[1]) < 0.7


def test_merge_readings_adds_missing_lines_and_keeps_the_fuller_reading():
    from cardscan.models import Box, Line, OcrResult
    from cardscan.reading.ocr.readings import merge_readings

    def result(*lines):
        return OcrResult(tuple(Line(t, Box(*b), c) for t, b, c in lines), "t", 800, 500)

    reread = result(
        ("Ana Ruiz", (100, 50, 300, 60), 0.99),
        ("to@miva.es", (330, 200, 140, 30), 0.99),  # the detector cut the line short
        ("M. +34 600", (100, 300, 200, 30), 0.70),
    )
    whole = result(
        ("contacto@miva.es", (240, 198, 240, 34), 0.99),
        ("M. +34 600 000 000", (100, 298, 330, 34), 0.60),  # fuller but much less sure
        ("www.miva.es", (100, 400, 200, 30), 0.95),  # only the whole photo read it
    )
    merged = merge_readings(reread, whole)
    assert [ln.text for ln in merged.lines] == [
        "Ana Ruiz",
        "contacto@miva.es",
        "M. +34 600",
        "www.miva.es",
    ]
