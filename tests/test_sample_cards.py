"""The committed sample cards: every image has a well-formed label, files are small, and the
generator gives the same card again from its seed."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageOps

from tests.support.generator import load_generator

pillow_heif.register_heif_opener()

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "sample_cards"
IMAGES = sorted((CARDS / "images").iterdir())
LABEL_KEYS = ["name", "title", "company", "emails", "phones", "websites", "address", "notes"]


def _label(image: Path) -> dict:
    return json.loads((CARDS / "labels" / f"{image.stem}.json").read_text(encoding="utf-8"))


def _check_label(label: dict) -> None:
    assert list(label)[:8] == LABEL_KEYS
    assert set(label) <= set(LABEL_KEYS) | {"qr", "cards", "other_cards"}
    for key in ("name", "title", "company", "address", "notes"):
        assert label[key] is None or (isinstance(label[key], str) and label[key].strip()), key
    assert label["name"] and label["notes"]
    for key in ("emails", "phones", "websites"):
        assert isinstance(label[key], list) and all(isinstance(v, str) and v for v in label[key])
    assert all(re.fullmatch(r"[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}", e) for e in label["emails"])
    assert all(len(re.sub(r"\D", "", p)) >= 7 for p in label["phones"])
    assert label["emails"] or label["phones"]


def test_the_set_is_about_twenty_images_with_one_label_each():
    labels = sorted(p.stem for p in (CARDS / "labels").glob("*.json"))
    assert [p.stem for p in IMAGES] == labels
    assert 18 <= len(IMAGES) <= 30


@pytest.mark.parametrize("image", IMAGES, ids=lambda p: p.stem)
def test_every_image_decodes_and_has_a_label_with_the_schema(image: Path):
    label = _label(image)
    _check_label(label)
    for other in label.get("other_cards", []):
        _check_label(other)
    assert label.get("cards", 1) == 1 + len(label.get("other_cards", []))
    with Image.open(image) as im:
        orientation = im.getexif().get(0x0112, 1)
        upright = ImageOps.exif_transpose(im)
        assert 1200 <= max(upright.size) <= 1800
    # The notes state the EXIF tag the file carries, so tests elsewhere can rely on it.
    stated = re.search(r"EXIF orientation=(\d)", label["notes"])
    assert orientation == (int(stated.group(1)) if stated else 1)


def test_files_are_small():
    sizes = [p.stat().st_size for p in IMAGES]
    assert max(sizes) < 200_000
    assert sum(sizes) < 3_000_000


def test_the_set_covers_the_hard_cases():
    labels = [_label(p) for p in IMAGES]
    notes = " ".join(lab["notes"] for lab in labels)
    assert sum(lab.get("qr", False) for lab in labels) >= 3
    assert any(lab.get("cards") == 2 for lab in labels)
    assert any(lab["company"] is None for lab in labels)
    assert any(p.suffix == ".heic" for p in IMAGES)
    for needle in (
        "EXIF orientation=6",
        "EXIF orientation=8",
        "EXIF orientation=3",
        "in the pixels",
        "Flatbed-scan",
        "Diagonal shadow",
        "Second person",
        "not a phone",
        "not a title",
        "Dark card",
        "printed vertically",
        "Tiny print",
    ):
        assert needle in notes, needle


@pytest.mark.parametrize("stem_prefix", ["sample_01_", "sample_14_"])
def test_regenerating_a_card_from_its_seed_gives_the_same_card(tmp_path: Path, stem_prefix: str):
    committed = next(p for p in IMAGES if p.name.startswith(stem_prefix))
    subprocess.run(
        [
            sys.executable,
            str(CARDS / "generate.py"),
            "--out",
            str(tmp_path),
            "--seed",
            "1",
            "--only",
            committed.stem,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    again = tmp_path / "images" / committed.name
    assert json.loads((tmp_path / "labels" / f"{committed.stem}.json").read_text()) == _label(
        committed
    )
    with Image.open(committed) as a, Image.open(again) as b:
        assert a.size == b.size
        assert a.getexif().get(0x0112) == b.getexif().get(0x0112)
        diff = np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean()
    assert diff < 2.0  # identical with the same libraries; allow other JPEG encoder builds


def test_generator_says_which_fonts_to_install_when_they_are_missing(monkeypatch):
    load_generator(monkeypatch)
    import design

    monkeypatch.setitem(design.FAMILIES, "dejavu_sans", (Path("/nonexistent/DejaVuSans.ttf"),) * 2)
    with pytest.raises(SystemExit, match="fonts-dejavu-core fonts-liberation"):
        design.check_fonts()


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_tagged_files_show_the_photo_upright(orientation: int, monkeypatch):
    load_generator(monkeypatch)
    import camera

    upright = Image.new("RGB", (160, 90), "white")
    upright.paste((200, 0, 0), (0, 0, 40, 30))  # red mark at the top-left
    shot = camera.Shot("photo", "wood", 0, orientation, False, 0.0, "jpg", False)
    data, _ = camera.encode(upright, shot)
    with Image.open(io.BytesIO(data)) as raw:
        assert raw.getexif()[0x0112] == orientation
        shown = np.asarray(ImageOps.exif_transpose(raw))
    assert shown.shape[:2] == (90, 160)
    assert shown[10, 10, 0] > 150 and shown[10, 10, 1] < 80  # the mark is back at the top-left


def test_random_cases_past_the_plan_are_consistent(monkeypatch):
    load_generator(monkeypatch)
    import cases

    for index in range(len(cases.PLAN) + 1, len(cases.PLAN) + 150):
        rng = random.Random(f"cardscan-sample-7-{index}")
        case = cases.case_for(index, rng)
        assert not case["qr"] or case["layout"] in cases.QR_LAYOUTS
        assert not case["two_cards"] or case["mode"] == "photo"
        cases.build_spec(rng, case)  # raises on a combination it cannot draw


@pytest.mark.parametrize("index", [23, 58])
def test_random_cards_get_well_formed_labels(index: int, monkeypatch):
    generate = load_generator(monkeypatch)
    stem, data, label, ext = generate.build_sample(7, index)
    _check_label(label)
    assert stem.startswith(f"sample_{index:02d}_") and len(data) < 200_000
    with Image.open(io.BytesIO(data)) as im:
        assert 1200 <= max(im.size) <= 1800


def test_some_random_cards_are_japanese_chinese_or_korean(monkeypatch):
    generate = load_generator(monkeypatch)
    import cjk_cards

    cases = [cjk_cards.cjk_case(7, i, len(generate.PLAN)) for i in range(1, 200)]
    assert all(c is None for c in cases[: len(generate.PLAN)])  # the committed plan stays Latin
    found = [c for c in cases if c]
    assert 30 <= len(found) <= 70
    assert {c["culture"] for c in found} == set(cjk_cards.CULTURES)
    assert {c["layout"] for c in found} == {"cjk_horizontal", "cjk_vertical"}
    index = cases.index(next(c for c in found if c["layout"] == "cjk_vertical")) + 1
    stem, data, label, ext = generate.build_sample(7, index)
    _check_label(label)
    assert "cjk_vertical" in stem and " " not in label["name"] and label["address"]


def test_a_vertical_card_too_long_for_the_card_at_full_size_is_set_smaller(monkeypatch):
    generate = load_generator(monkeypatch)
    stem, data, label, ext = generate.build_sample(41012, 31)  # failed 12 tries at full size
    _check_label(label)
    assert "cjk_vertical_ja" in stem


def test_hard_cards_are_the_seeds_cards_read_worse(monkeypatch):
    generate = load_generator(monkeypatch)
    import cases
    import hard

    indexes = range(len(cases.PLAN) + 1, len(cases.PLAN) + 101)
    plain = [cases.case_for(i, random.Random(f"cardscan-sample-7-{i}")) for i in indexes]
    harder = [hard.harden(c, 7, i) for c, i in zip(plain, indexes, strict=True)]
    assert [c["culture"] for c in harder] == [c["culture"] for c in plain]  # the same cards
    for key in ("hard", "glare", "tagline", "two_line_title"):
        assert sum(bool(c.get(key)) for c in harder) > 2 * sum(bool(c.get(key)) for c in plain)
    assert sum(c["company"] != "printed" for c in harder) > sum(
        c["company"] != "printed" for c in plain
    )
    stem, data, label, ext = generate.build_sample(7, 23, hard=True)
    _check_label(label)
    assert stem == generate.build_sample(7, 23)[0] + "_hard"


def test_script_cards_print_numbers_that_exist(monkeypatch):
    """An Abu Dhabi landline with 8 digits after its area code, or a Bangkok one with 8,
    exists nowhere: phonenumbers rightly refuses it, so the label asked for a number no
    right reading gives."""
    load_generator(monkeypatch)
    import phonenumbers
    import script_cards

    for culture in script_cards.CULTURES:
        for i in range(60):
            content = script_cards.content_for({"seed": f"7-{i}", "culture": culture})
            for _, number in content.phones:
                assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    assert script_cards.valid_subscriber("+7", "495", "8080019") == "8080019"  # kept as drawn
    assert script_cards.valid_subscriber("+971", "2", "02323212") == "2232321"
