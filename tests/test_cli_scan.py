"""``cardscan scan`` and ``cardscan bench``: JSON lines, error lines and exit codes."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.errors import OcrEngineError
from cardscan.models import Contact
from cardscan.reading.checks import MISSING, UNSURE, fields_to_check
from cardscan.reading.ocr import register_engine
from tests.support.render import encode, photo_of_card


class CrashingEngine:
    """Fault injection: reads like RapidOCR, but crashes on images wider than tall."""

    name = "crashy"

    def __init__(self, real):
        self.real = real

    def read(self, image: np.ndarray):
        if image.shape[1] > image.shape[0] * 1.2:
            raise OcrEngineError("the engine crashed (injected fault)")
        return self.real.read(image)


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("CARDSCAN_DATA", str(tmp_path / "data"))
    return CliRunner()


@pytest.fixture
def photos(tmp_path):
    good = tmp_path / "good.jpg"
    good.write_bytes(encode(photo_of_card(0)))
    bad = tmp_path / "notes.jpg"
    bad.write_text("shopping list")
    return good, bad


def test_scan_json_and_error_line(runner, photos, rapidocr_engine):
    good, bad = photos
    result = runner.invoke(cli, ["scan", str(bad), str(good), "--json"])
    assert result.exit_code == 3
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    card = json.loads(lines[0])
    assert card["file"] == str(good) and "card" not in card
    assert card["contact"]["name"] == "Ana Ruiz"
    assert card["contact"]["emails"] == ["ana.ruiz@northwind.example"]
    assert 0 < card["confidence"]["name"] <= 1 and card["seconds"] > 0
    # The fields to check are triage's marks, from the same confidences.
    # (the reading's own doubts come back as the marks' reasons; "unsure" and "not found" are
    # the rule's words, not doubts)
    doubts = {f: r for f, r in card["check_reasons"].items() if r not in (UNSURE, MISSING)}
    read = Contact.from_dict(card["contact"], card["confidence"], doubts)
    assert card["check"] == fields_to_check(read)
    assert set(card["check_reasons"]) == set(card["check"])
    assert result.stderr == (
        f"Error: {bad}: the file is not an image cardscan can read (13 bytes, unknown format):"
        " upload a JPEG, PNG, WebP, HEIC or GIF photo.\n"
    )


def test_scan_engine_crash_is_one_line_and_the_rest_are_read(
    runner, photos, tmp_path, rapidocr_engine
):
    good, _ = photos
    tall = tmp_path / "tall.png"
    tall.write_bytes(encode(np.full((900, 500, 3), 255, np.uint8), ".png"))
    register_engine("crashy", CrashingEngine(rapidocr_engine))
    result = runner.invoke(cli, ["scan", str(good), str(tall), "--engine", "crashy"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {good}: the engine crashed (injected fault)\n"
    assert str(tall) in result.stdout and "no contact details found" in result.stdout


def test_scan_summary(runner, photos, rapidocr_engine):
    good, _ = photos
    result = runner.invoke(cli, ["scan", str(good)])
    assert result.exit_code == 0
    assert "name     Ana Ruiz" in result.stdout
    assert "+442079460321" in result.stdout


def test_scan_unknown_engine(runner, photos):
    result = runner.invoke(cli, ["scan", str(photos[0]), "--engine", "nope"])
    assert result.exit_code == 9
    assert result.stderr.startswith("Error: unknown OCR engine 'nope'")


def test_bench_on_a_tiny_labelled_set(runner, tmp_path, sample_cards, rapidocr_engine):
    images, labels = tmp_path / "images", tmp_path / "labels"
    images.mkdir()
    labels.mkdir()
    for stem in ("sample_16_upside_down_hr",):
        shutil.copy(sample_cards / "images" / f"{stem}.jpg", images)
        shutil.copy(sample_cards / "labels" / f"{stem}.json", labels)
    result = runner.invoke(
        cli, ["bench", "--images", str(images), "--labels", str(labels), "--no-baseline", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (run,) = report["runs"]
    assert [c["name"] for c in run["cards"]] == ["sample_16_upside_down_hr"]
    assert run["accuracy"]["emails"] == 1.0
    assert run["ceiling"]["emails"] == 1.0
    assert run["median_seconds"] > 0
    text = runner.invoke(
        cli, ["bench", "--images", str(images), "--labels", str(labels), "--no-baseline"]
    )
    assert "fuzzy fields right at rapidfuzz ratio >= 85" in text.stdout
    # The check marks are measured on the same cards: recall, false marks, calibration.
    assert set(run["marks"]) >= {"recall", "false_marks", "calibration", "per_field"}
    assert sum(b["fields"] for b in run["marks"]["calibration"]) == sum(
        1 for value in run["cards"][0]["extracted"].values() if value
    )
    assert "wrong fields marked (recall" in text.stdout and "Calibration" in text.stdout
