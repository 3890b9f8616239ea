"""ocr: both real engines read a rendered card; engines are cached; failures are clear."""

from __future__ import annotations

import numpy as np
import pytest

from cardscan.errors import BadConfigError, MissingDependencyError
from cardscan.reading.ocr import get_engine
from cardscan.reading.ocr.rapidocr import RapidOcrEngine
from cardscan.reading.ocr.rapidocr_files import model_dir
from tests.support.render import render_card


@pytest.fixture(scope="module")
def card() -> np.ndarray:
    return render_card()


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["rapidocr_engine", "tesseract_engine"])
def test_engine_reads_a_rendered_card(request, card, engine_name):
    engine = request.getfixturevalue(engine_name)
    result = engine.read(card)
    text = result.text
    assert result.engine == engine.name
    assert (result.width, result.height) == (card.shape[1], card.shape[0])
    assert "ana.ruiz@northwind.example" in text.replace(" ", "")
    assert "7946" in text and "Ana Ruiz" in text
    for line in result.lines:
        assert 0 <= line.confidence <= 1
        assert 0 <= line.box.x and line.box.right <= card.shape[1] + 2
    top = min(result.lines, key=lambda ln: ln.box.y)
    assert "Northwind" in top.text
    assert any(line.words for line in result.lines)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["rapidocr_engine", "tesseract_engine"])
def test_empty_and_blank_images_give_empty_results(request, engine_name):
    engine = request.getfixturevalue(engine_name)
    assert engine.read(np.zeros((0, 0, 3), np.uint8)).lines == ()
    blank = engine.read(np.full((300, 500, 3), 255, np.uint8))
    assert blank.lines == () and blank.text == ""


def test_get_engine_is_cached(rapidocr_engine):
    assert get_engine("rapidocr") is rapidocr_engine


def test_unknown_engine():
    with pytest.raises(BadConfigError, match="unknown OCR engine 'nope'.*rapidocr, tesseract"):
        get_engine("nope")


def test_missing_tesseract_language_pack():
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr-xyz"):
        get_engine("tesseract", languages="eng+xyz")


def test_rapidocr_never_downloads(monkeypatch):
    from rapidocr.utils import download_file

    def refuse(*args, **kwargs):
        raise AssertionError("RapidOCR tried to download a model")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(refuse))
    monkeypatch.setattr(download_file.requests, "get", refuse)
    RapidOcrEngine()  # a fresh engine: loads the three models from the wheel only
    assert (model_dir() / "PP-OCRv6_det_small.onnx").is_file()


def test_regions_match_lines_and_vote_upside_down(rapidocr_engine, card):
    result, regions = rapidocr_engine.read_regions(card)
    assert len(regions) == len(result.lines) > 3
    assert np.mean([r.upside_down for r in regions]) < 0.3
    flipped_result, flipped = rapidocr_engine.read_regions(np.ascontiguousarray(card[::-1, ::-1]))
    assert np.mean([r.upside_down for r in flipped]) > 0.7
    # The direction classifier turns each line, so the text still reads right.
    assert "ana.ruiz@northwind.example" in flipped_result.text.replace(" ", "")


def test_missing_tesseract_program(monkeypatch):
    import pytesseract

    from cardscan.reading.ocr.tesseract import TesseractEngine

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
        TesseractEngine(languages="eng")


def test_rapidocr_word_boxes_of_an_upside_down_line_sit_on_their_words(rapidocr_engine, card):
    """RapidOCR places word boxes as if a line it turned half round had not been turned; the
    engine mirrors them back, so the first word of an upside-down line is on the right."""
    upside_down = np.ascontiguousarray(card[::-1, ::-1])
    result, _ = rapidocr_engine.read_regions(upside_down)
    phone = next(line for line in result.lines if line.text.startswith("+44"))
    xs = [word.box.center[0] for word in phone.words]
    assert [w.text for w in phone.words][0] == "+44" and len(xs) >= 3
    assert xs == sorted(xs, reverse=True)  # reading order runs right to left on the photo
    # And each box holds its own word: the first one starts at the line's right end.
    assert phone.words[0].box.right == pytest.approx(phone.box.right, abs=0.1 * phone.box.w)


@pytest.mark.slow
def test_rapidocr_reads_again_a_line_its_direction_classifier_turned_the_wrong_way(card):
    """The classifier now and then turns a clear line upside down, which then reads as junk
    with a low score. Made here to do it on every line: each is read again turned back."""
    import cv2

    engine = RapidOcrEngine()  # its own engine: the classifier is made wrong below
    classify = engine._ocr.cls_and_rotate

    def the_wrong_way(images):
        _, result = classify(images)
        result.img_list = [cv2.rotate(image, cv2.ROTATE_180) for image in result.img_list]
        result.cls_res = [
            ("0" if "180" in str(label) else "180", 0.99) for label, _ in result.cls_res
        ]
        return result.img_list, result

    engine._ocr.cls_and_rotate = the_wrong_way
    result, regions = engine.read_regions(card)
    assert "ana.ruiz@northwind.example" in result.text.replace(" ", "")
    assert min(line.confidence for line in result.lines) > 0.8
    # The direction votes follow the reading that won: the card is upright.
    assert np.mean([r.upside_down for r in regions]) < 0.3
