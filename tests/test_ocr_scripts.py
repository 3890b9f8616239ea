"""Cards in scripts RapidOCR's model cannot read (or reads without its marks): Vietnamese,
Cyrillic, Thai, Devanagari and Arabic are read again by Tesseract's packs, decided per card
from the first reading, so a Latin card pays nothing."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardscan.reading.ocr import reread, scripts
from cardscan.reading.pipeline import scan_image
from cardscan.settings import Settings
from tests.support.generator import load_generator

NEEDED = {"vie", "rus", "tha", "hin", "ara", "osd"}

pytestmark = pytest.mark.skipif(
    not NEEDED <= reread.installed(), reason="Tesseract language packs not installed"
)


def _read(
    monkeypatch,
    tmp_path,
    engine,
    culture: str | None,
    index: int = 1,
    seed: int = 4711,
    cultures: tuple[str, ...] = (),
):
    """A generated card in ``culture``'s script (a Latin one for None; ``cultures``: the
    generator's turn of scripts), photographed, read by the pipeline; returns the contact,
    its label and the Tesseract runs it took."""
    generate = load_generator(monkeypatch)
    turn = cultures or ((culture,) if culture else ())
    stem, data, label, ext = generate.build_sample(seed, index, turn)
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


def test_a_card_is_turned_the_way_tesseract_reads_its_lines(monkeypatch, tmp_path, rapidocr_engine):
    # An upright Arabic card: RapidOCR's direction classifier, which knows no Arabic, turns
    # most of its lines over, and the card was read bottom line first (the address ran on
    # into the name). The turn Tesseract reads each line in sets the line's vote.
    contact, label, _ = _read(
        monkeypatch, tmp_path, rapidocr_engine, None, 5, 31016, ("ar", "th", "ru", "hi")
    )
    assert contact.name == label["name"]
    # Street first, and not run on into the title and the name (the city line, which
    # Tesseract's Arabic model reads or loses by the look of the crop, is not asked here).
    assert contact.address.startswith("5")
    assert contact.name not in contact.address and contact.title not in contact.address


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
    assert scripts.read_other_scripts(reread.FirstLines(crops, texts, [0.99, 0.97, 0.99])) == {}


def _words(*texts: str) -> list[reread.Word]:
    """Tesseract's words on one stripe, 60 px apart."""
    return [reread.Word(text, 40.0, 60 * k, 50) for k, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("tesseract", "first", "expected"),
    [
        (("20,", "सरदार", "पटेल", "मार्ग"), "120, ", "120, सरदार पटेल मार्ग"),  # clipped
        (("8॥,", "महात्मा"), "81, 464  ", "81, महात्मा"),  # a 1 read as a danda
        (("_१52,", "स्टेशन"), "152, 何t", "152, स्टेशन"),  # a Devanagari digit, a speck
        (("0دارع", "الكورنيش"), "180", "180 دارع الكورنيش"),  # glued to the street word
        (("जयपुर", "98084."), "198084", "जयपुर 198084"),  # a speck after it
        (("76شارع", "الملك"), "36", "76شارع الملك"),  # not alike: Tesseract's stays
        (("नई", "दिल्ली"), "371396", "नई दिल्ली"),  # none read: nothing to put back
    ],
)
def test_digits_are_put_back_as_rapidocr_read_them(tesseract, first, expected):
    words = reread.own_digits(_words(*tesseract), first)
    assert " ".join(w.text for w in words) == expected


CYRILLIC = next(s for s in scripts.SCRIPTS if s.language == "rus")


@pytest.mark.parametrize(
    ("first", "new", "borne_out"),
    [
        ("CaKT-Nep6ypr, 181388", "Санкт-Петербург, 181388", True),  # a digit inside a word
        ("MokBa, 142517", "Москва, 142517", True),  # a capital inside a word
        ("CT-Πer, 122641", "Санкт-Петербург, 122641", True),  # a Greek look-alike
        ("AO «Texocepa»", "АО «Техносфера»", True),  # letters only Cyrillic has: н, ф
        (" ., . 3", "Невский пр., д. 3", True),  # letters left blank, the digits the same
        (" ., . 3", "Невский пр., д. 5", False),
        ("Partner", "Раrtпег", False),  # a Latin word of look-alikes: could be either
        ("Sales Office", "Ѕаlеѕ Оffiсе", False),  # Latin letters with no look-alike
        ("AO «Texocepa»", "Глухой переулок", False),  # not the same line
    ],
)
def test_a_first_reading_bears_out_an_unsure_cyrillic_one(first, new, borne_out):
    assert scripts.borne_out(first, new, CYRILLIC) is borne_out


def test_a_postcode_after_a_misread_city_is_no_phone_number():
    assert not scripts._is_number("CaKT-Nep6ypr, 181388")
    assert scripts._is_number("Ten.: +7 495 522 7337")


def test_a_line_on_a_grey_card_is_read_without_its_margin():
    # A white margin round a grey line reads as a block: its edge as a bar (``Menon |``),
    # or the whole line as nothing.
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 64)
    image = Image.new("L", (960, 76), 100)
    ImageDraw.Draw(image).text((4, -6), "Ravi Shankar Menon", fill=20, font=font)
    words = reread.read_pages([reread.stripe(np.asarray(image))], "eng")[0]
    assert [w.text for w in words] == ["Ravi", "Shankar", "Menon"]


def test_thai_clusters_set_close_are_one_word_and_a_mark_never_opens_one():
    thai = next(s for s in scripts.SCRIPTS if s.language == "tha")

    def merge(*words: tuple[str, int, int]) -> str:
        found = [reread.Word(text, 93.0, x, w) for text, x, w in words]
        return reread.merge(found, "", 0.0, 400, thai.letters, min_confidence=65, glue=thai.glue)

    # Gaps Tesseract leaves inside a word (7, 8 px of a 48 px line), a space between words.
    assert merge(("กรรม", 0, 60), ("การ", 67, 30), ("ผู้จัดการ", 105, 100)) == "กรรมการผู้จัดการ"
    assert merge(("สมศักดิ์", 0, 80), ("ใจดี", 92, 40)) == "สมศักดิ์ ใจดี"
    assert merge(("จ", 0, 12), ("ํากัด", 24, 50)) == "จํากัด"  # sara am's circle leads
