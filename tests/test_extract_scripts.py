"""Cards in Vietnamese, Russian, Thai, Hindi and Arabic: name, title, company and address in
their own script (the lines as the OCR gives them once Tesseract's packs read them; the cards
are in ``tests/data/extract/scripts.toml``)."""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from tests.support.extract_support import cards


def _card(*rows: tuple[str, int]) -> OcrResult:
    """Lines (text, glyph height) stacked down a 1000 x 600 card, left-aligned."""
    lines, y = [], 40
    for text, h in rows:
        lines.append(Line(text, Box(60, y, max(20, len(text) * h // 2), h), 0.95))
        y += int(h * 1.5)
    return OcrResult(lines=tuple(lines), engine="test", width=1000, height=600)


@pytest.mark.parametrize(("card", "expected"), cards("scripts"))
def test_a_card_in_its_own_script_yields_its_fields(card, expected):
    contact = extract_contact(_card(*card["lines"]))
    got = {field: getattr(contact, field) for field in expected}
    assert got == expected
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
