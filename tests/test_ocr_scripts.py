"""Cards in scripts RapidOCR's model cannot read (or reads without its marks): Vietnamese,
Cyrillic, Thai, Devanagari and Arabic are read again by Tesseract's packs, decided per card
from the first reading, so a Latin card pays nothing."""

from __future__ import annotations

import numpy as np
import pytest

from cardscan.reading.ocr import reread, scripts
from cardscan.reading.pipeline import scan_image
from cardscan.settings import Settings
from tests.support.generator import load_generator

NEEDED = {"vie", "rus", "tha", "hin", "ara", "osd"}

pytestmark = pytest.mark.skipif(
    not NEEDED <= reread.installed(), reason="Tesseract language packs not installed"
)


def _read(monkeypatch, tmp_path, engine, culture: str | None, index: int = 1):
    """A generated card in ``culture``'s script (a Latin one for None), photographed, read
    by the pipeline; returns the contact, its label and the Tesseract runs it took."""
    generate = load_generator(monkeypatch)
    stem, data, label, ext = generate.build_sample(4711, index, (culture,) if culture else ())
    path = tmp_path / f"{stem}.{ext}"
    path.write_bytes(data)
    runs: list[str] = []
    pages, detect = reread.read_pages, scripts.detect_script
    monkeypatch.setattr(reread, "read_pages", lambda s, lang: runs.append(lang) or pages(s, lang))
    monkeypatch.setattr(scripts, "detect_script", lambda c: runs.append("osd") or detect(c))
    card = max(scan_image(path, Settings(), engine=engine), key=lambda c: len(c.ocr.lines))
    return card.contact, label, runs


@pytest.mark.parametrize(
    ("culture", "language", "fields"),
    [
        ("vi", "vie", ("name", "title", "company")),
        ("ru", "rus", ("name", "title", "company")),
        ("th", "tha", ("name", "title")),
        ("hi", "hin", ("name", "title", "company")),
        ("ar", "ara", ("name", "title", "company")),
    ],
)
def test_a_card_in_another_script_is_read_in_it(
    monkeypatch, tmp_path, rapidocr_engine, culture, language, fields
):
    contact, label, runs = _read(monkeypatch, tmp_path, rapidocr_engine, culture)
    assert language in runs
    for field in fields:
        assert getattr(contact, field) == label[field], field
    assert contact.phones and contact.emails == label["emails"]


def test_a_latin_card_is_not_read_again(monkeypatch, tmp_path, rapidocr_engine):
    contact, label, runs = _read(monkeypatch, tmp_path, rapidocr_engine, None, index=3)
    assert contact.name == label["name"]
    assert runs == []


def test_a_line_is_poor_when_read_with_blanks_stray_marks_or_a_low_score():
    crop = np.zeros((40, 600, 3), np.uint8)
    assert scripts.is_poor(" « »", 0.98, crop)  # Cyrillic letters left out
    assert scripts.is_poor(". , . 12, , 125009", 0.98, crop)
    assert scripts.is_poor("Sales Director", 0.6, crop)
    assert not scripts.is_poor("Tel.: +7 (495) 123-45-67 Fax 495", 0.98, crop)
    assert not scripts.is_poor("Senior Account Manager EMEA", 0.97, crop)


def test_latin_readings_open_no_second_reading(monkeypatch):
    monkeypatch.setattr(reread, "read_pages", lambda *a: pytest.fail("Tesseract was run"))
    monkeypatch.setattr(scripts, "detect_script", lambda *a: pytest.fail("osd was run"))
    crops = [np.zeros((40, 10 * len(t), 3), np.uint8) for t in ("x" * 20, "y" * 24, "z" * 20)]
    texts = ["Joana Araújo Brandão", "Diretora de Operações", "joana@exemplo.pt"]
    assert scripts.read_other_scripts(crops, texts, [0.99, 0.97, 0.99]) == {}
