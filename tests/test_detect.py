"""detect: a card photographed on a table at each rotation is found, flattened and upright."""

from __future__ import annotations

import numpy as np
import pytest
from _render import photo_of_card, place, render_card, table

from cardscan.detect import find_cards, order_corners, project_ocr


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_card_found_and_upright(rapidocr_engine, rotation):
    photo = photo_of_card(rotation)
    result, regions = rapidocr_engine.read_regions(photo)
    crops = find_cards(photo, regions, max_side=1600)
    assert len(crops) == 1
    crop = crops[0]
    assert crop.rotation == (360 - rotation) % 360
    height, width = crop.image.shape[:2]
    assert width > height  # the card is landscape once upright
    card_ocr = project_ocr(result, crop, regions)
    assert card_ocr.lines[0].text.startswith("Northwind")
    assert "Ana Ruiz" in card_ocr.lines[1].text
    # The flat card image itself reads upright too.
    assert rapidocr_engine.read(crop.image).lines[0].text.startswith("Northwind")


def test_quad_found_on_a_plain_table(rapidocr_engine):
    photo = photo_of_card(0)
    result, regions = rapidocr_engine.read_regions(photo)
    (crop,) = find_cards(photo, regions)
    assert crop.method == "quad" and crop.confidence >= 0.8
    w, h = crop.image.shape[1], crop.image.shape[0]
    assert 1.5 < w / h < 2.0  # the warp undid the perspective: a card's shape again


def test_two_cards_are_two(rapidocr_engine):
    scene = table(seed=3)
    scene = place(scene, render_card(), (520, 700), 820, tilt_degrees=-4)
    scene = place(scene, render_card(colour=(235, 245, 250)), (1480, 760), 820, tilt_degrees=6)
    result, regions = rapidocr_engine.read_regions(scene)
    crops = find_cards(scene, regions)
    assert len(crops) == 2
    assert crops[0].box.x < crops[1].box.x
    texts = [project_ocr(result, c, regions).text for c in crops]
    assert all(t.count("Ana Ruiz") == 1 for t in texts)


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
