"""Korean lines: RapidOCR's model cannot read Hangul, so Tesseract's Korean model reads them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardscan.reading.ocr import hangul, reread

NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
KOREAN_FACE = 1


def _card(rows: list[tuple[str, int]]) -> np.ndarray:
    """A white card with one line of text per row, each at its type size, as BGR."""
    image = Image.new("RGB", (1000, 120 + 80 * len(rows)), "white")
    draw = ImageDraw.Draw(image)
    y = 40
    for text, size in rows:
        draw.text(
            (50, y), text, fill="black", font=ImageFont.truetype(NOTO, size, index=KOREAN_FACE)
        )
        y += int(size * 1.6)
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


pytestmark = pytest.mark.skipif(not hangul.available(), reason="tesseract-ocr-kor not installed")


def test_korean_lines_are_read_in_hangul_and_latin_runs_stay(rapidocr_engine):
    image = _card(
        [
            ("주식회사 한빛전자", 44),
            ("김 민 준", 60),
            ("서울특별시 강남구 테헤란로 152", 30),
            ("전화 02-555-1234", 30),
        ]
    )
    text = rapidocr_engine.read(image).text
    assert "주식회사" in text and "전자" in text
    assert "서울특별시" in text.replace(" ", "") and "테헤란로" in text
    assert "02-555-1234" in text
    assert "김 민 준" in text or "김민준" in text


def test_latin_cards_are_not_read_twice(monkeypatch, rapidocr_engine):
    calls = []
    monkeypatch.setattr(hangul, "read_hangul", lambda *a: calls.append(a) or {})
    image = np.full((300, 900, 3), 255, np.uint8)
    import cv2

    cv2.putText(
        image, "Ana Ruiz  +44 20 7946 0321", (30, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (0, 0, 0), 3
    )
    assert "Ana" in rapidocr_engine.read(image).text
    assert calls == []


def test_syllables_set_close_are_one_word_and_wide_gaps_are_spaces():
    def merge(words, first, score):
        return reread.merge(
            words, first, score, 200, hangul._HANGUL, min_confidence=70.0, glue=hangul.GLUE
        )

    words = [
        reread.Word("서울", 93, 0, 40),
        reread.Word("중", 93, 80, 20),
        reread.Word("구", 93, 102, 20),
    ]
    assert merge(words, "", 0.0) == "서울 중구"
    # RapidOCR read the number surely: its reading stands, the Korean label goes in front.
    words = [reread.Word("전화", 93, 0, 40), reread.Word("02-555-1234", 60, 50, 150)]
    assert merge(words, "导是02-555-1234", 0.95) == "전화 02-555-1234"


def test_a_korean_domain_opens_the_korean_reading_when_hangul_came_out_as_latin_junk():
    assert hangul.worth_a_look(["trlo", "E-mail. kim@hanbit.co.kr"])
    assert hangul.worth_a_look(["22()", "Mobile +82 10 1234 5678"])
    assert not hangul.worth_a_look(["Ana Ruiz", "ana@northwind.example", "+44 20 7946 0321"])


def test_a_line_read_surely_with_its_hangul_left_out_is_read_again(monkeypatch):
    # RapidOCR reads ``국선솔루션(주)`` as ``()`` with a score of 0.98: sure, Latin, and blank.
    read: list[int] = []
    monkeypatch.setattr(
        reread, "read_pages", lambda stripes, language: read.append(len(stripes)) or {}
    )
    crops = [np.zeros((50, 250, 3), np.uint8), np.zeros((30, 180, 3), np.uint8)]
    hangul.read_hangul(reread.FirstLines(crops, ["()", "Tel. 02) 162-5019"], [0.98, 0.98]))
    assert read == [2]  # the blank line, as cut and turned half round
