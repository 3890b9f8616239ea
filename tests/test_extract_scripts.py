"""Cards in Vietnamese, Russian, Thai, Hindi and Arabic: name, title, company and address in
their own script (the lines as the OCR gives them once Tesseract's packs read them)."""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact


def _card(*rows: tuple[str, int]) -> OcrResult:
    """Lines (text, glyph height) stacked down a 1000 x 600 card, left-aligned."""
    lines, y = [], 40
    for text, h in rows:
        lines.append(Line(text, Box(60, y, max(20, len(text) * h // 2), h), 0.95))
        y += int(h * 1.5)
    return OcrResult(lines=tuple(lines), engine="test", width=1000, height=600)


CARDS = {
    "vi": (
        [("Công ty Cổ phần Đầu tư Sao Việt", 34), ("Trần Thị Hằng", 48),
         ("Trưởng phòng Kinh doanh", 24), ("Số 45 Đường Nguyễn Huệ", 20),
         ("Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", 20), ("ĐT: +84 28 3823 4567", 20),
         ("hang.tran@saoviet.vn", 20)],
        {"name": "Trần Thị Hằng", "title": "Trưởng phòng Kinh doanh",
         "company": "Công ty Cổ phần Đầu tư Sao Việt",
         "address": "Số 45 Đường Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"},
    ),
    "ru": (
        [("ООО «Восток Логистик»", 34), ("Козлов Игорь Николаевич", 48),
         ("Коммерческий директор", 24), ("ул. Ленина, д. 27", 20), ("Казань, 420111", 20),
         ("Тел.: +7 843 555 12 34", 20), ("kozlov@vostoklog.ru", 20)],
        {"name": "Козлов Игорь Николаевич", "title": "Коммерческий директор",
         "company": "ООО «Восток Логистик»", "address": "ул. Ленина, д. 27, Казань, 420111"},
    ),
    "th": (
        [("บริษัท ไทยรุ่งเรือง จำกัด", 34), ("วิชัย ศรีสุข", 48), ("ผู้อำนวยการ", 24),
         ("88 ถนนพหลโยธิน", 20), ("เขตจตุจักร กรุงเทพฯ 10900", 20), ("โทร. +66 2 123 4567", 20),
         ("wichai@thairung.co.th", 20)],
        {"name": "วิชัย ศรีสุข", "title": "ผู้อำนวยการ", "company": "บริษัท ไทยรุ่งเรือง จำกัด",
         "address": "88 ถนนพหลโยธิน, เขตจตุจักร กรุงเทพฯ 10900"},
    ),
    "hi": (
        [("नवभारत सॉफ्टवेयर प्राइवेट लिमिटेड", 34), ("पूजा मिश्रा", 48), ("महाप्रबंधक", 24),
         ("12, नेहरू रोड", 20), ("जयपुर 302001", 20), ("फ़ोन: +91 141 255 1234", 20),
         ("pooja@navbharat.in", 20)],
        {"name": "पूजा मिश्रा", "title": "महाप्रबंधक",
         "company": "नवभारत सॉफ्टवेयर प्राइवेट लिमिटेड", "address": "12, नेहरू रोड, जयपुर 302001"},
    ),
    "ar": (
        [("شركة الريادة للتقنية ذ.م.م", 34), ("خالد حسن المنصوري", 48), ("مدير المشاريع", 24),
         ("شارع الشيخ زايد", 20), ("دبي، الإمارات", 20), ("هاتف: +971 4 123 4567", 20),
         ("khalid@alriyada.ae", 20)],
        {"name": "خالد حسن المنصوري", "title": "مدير المشاريع",
         "company": "شركة الريادة للتقنية ذ.م.م", "address": "شارع الشيخ زايد, دبي، الإمارات"},
    ),
    # The house number and street line above the district line, its street word misread
    # (ถบน for ถนน): it still opens the address.
    "th-street-word-misread": (
        [("บริษัท สยามเทค จำกัด", 34), ("กิตติ ทองดี", 48), ("ผู้จัดการโครงการ", 24),
         ("20 ถบนสุขุมวิท", 20), ("แขวงสีลม เขตบางรัก กรุงเทพฯ 10110", 20),
         ("โทร. +66 2 360 5098", 20), ("info@siamtech.co.th", 20)],
        {"address": "20 ถบนสุขุมวิท, แขวงสีลม เขตบางรัก กรุงเทพฯ 10110"},
    ),
    # A zero-width joiner inside a word (as Tesseract's hin gives दिल्ली) parts no words.
    "hi-joiner": (
        [("भारत टेक्नोलॉजी प्राइवेट लिमिटेड", 34), ("संजय अग्रवाल", 48), ("महाप्रबंधक", 24),
         ("132, नेहरू रोड", 20), ("नई दिल्\u200dली 110001", 20), ("फ़ोन: +91 11 4694 7868", 20),
         ("info@bharattech.in", 20)],
        {"address": "132, नेहरू रोड, नई दिल्ली 110001"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("culture", CARDS)
def test_a_card_in_its_own_script_yields_its_fields(culture):
    rows, want = CARDS[culture]
    contact = extract_contact(_card(*rows))
    got = {field: getattr(contact, field) for field in want}
    assert got == want
    assert len(contact.phones) == 1 and len(contact.emails) == 1


def test_a_latin_card_with_a_word_of_another_script_keeps_its_latin_fields():
    contact = extract_contact(
        _card(
            ("Lumen Analytics GmbH", 34),
            ("Katrin Vogel", 48),
            ("Head of Partnerships", 24),
            ("Torstraße 12, 10119 Berlin", 20),
            ("مرحبا", 20),
            ("katrin.vogel@lumen.example", 20),
        )
    )
    assert (contact.name, contact.company) == ("Katrin Vogel", "Lumen Analytics GmbH")
