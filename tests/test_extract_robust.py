"""Hostile text stays plain text, strange input never crashes, two-person cards."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.models import Box, Line, OcrResult, QrCode
from cardscan.reading.extract import confidence_model, extract_contact
from tests.support.extract_support import cards, check_card, lines_from_text


def test_hostile_text_is_kept_as_plain_text():
    ocr = lines_from_text(
        """
        # <script>alert(1)</script>
        '; DROP TABLE contacts; --
        Robert'); DROP TABLE students;-- Ltd
        evil@example.com
        =HYPERLINK("http://x.example")
        """
    )
    contact = extract_contact(ocr)
    assert contact.emails == ["evil@example.com"]
    values = [contact.name, contact.title, contact.company, contact.address, contact.notes]
    for value in values:
        assert value is None or "&lt;" not in value
    # Nothing hostile is taken as a name; what is kept is kept verbatim.
    assert contact.name is None
    assert contact.company in (None, "Robert'); DROP TABLE students;-- Ltd")


def test_two_people_first_and_most_prominent_wins_the_other_goes_to_notes():
    ocr = lines_from_text(
        """
        ## GREENLEAF GARDENS
        # Tomás Rivera
        Owner
        tomas@greenleafgardens.com

        Ana Rivera
        Designer
        ana@greenleafgardens.com
        """
    )
    contact = extract_contact(ocr)
    assert contact.name == "Tomás Rivera"
    assert contact.title == "Owner"
    assert contact.notes and "Ana Rivera" in contact.notes


def test_two_first_names_before_their_numbers():
    ocr = lines_from_text(
        """
        ## birch & stone
        LANDSCAPING
        NINA 555·201·3344
        OSCAR 555·201·7788
        """
    )
    contact = extract_contact(ocr, default_region="US")
    assert contact.name == "NINA"
    assert contact.notes and "OSCAR" in contact.notes
    assert [p.number for p in contact.phones] == ["555.201.3344", "555.201.7788"]


def test_lines_with_zero_sized_or_odd_boxes():
    lines = (
        Line("", Box(0, 0, 0, 0), 0.0),
        Line("Ana Ruiz", Box(10, 10, 0, 0), 0.5),
        Line("+34 612 345 678", Box(-5, -5, 3, 900), 1.0),
        Line("\x00\x1b[31m", Box(0, 0, 1, 1), 0.1),
    )
    contact = extract_contact(OcrResult(lines, "test", 0, 0))
    assert [p.e164 for p in contact.phones] == ["+34612345678"]


def test_junk_qr_codes_are_ignored():
    ocr = lines_from_text("# Ana Ruiz\nana@exemplo.pt")
    codes = [QrCode("BEGIN:VCARD\n\n:::\nTEL;:\nEND:VCARD", "vcard"), QrCode("\x00", "text")]
    assert extract_contact(ocr, codes).emails == ["ana@exemplo.pt"]


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, max_size=8), st.sampled_from(["", "US", "PT", "XX"]))
def test_any_text_gives_a_contact(texts, region):
    lines = tuple(
        Line(t, Box(20, 30 + 45 * i, max(1, 12 * len(t)), 40), 0.9) for i, t in enumerate(texts)
    )
    contact = extract_contact(OcrResult(lines, "test", 800, 500), default_region=region)
    assert all(0.0 <= v <= 1.0 for v in contact.confidence.values())


@pytest.mark.parametrize(("card", "expected"), cards("word_readings"))
def test_readings_made_of_word_boxes(card, expected):
    """Readings made of word boxes, as Tesseract gives them (data/extract/word_readings.toml)."""
    lines = tuple(Line(text, Box(x, y, w, h), conf) for text, x, y, w, h, conf in card["lines"])
    contact = extract_contact(OcrResult(lines, card["engine"], *card["size"]))
    assert check_card(contact, expected) == []


@pytest.mark.parametrize(("card", "expected"), cards("slips"))
def test_ocr_slips_are_mended(card, expected):
    """OCR slips mended on invented cards (tests/data/extract/slips.toml)."""
    assert check_card(extract_contact(lines_from_text(card["text"])), expected) == []


def test_the_only_address_on_the_card_read_with_its_at_sign_as_a_letter(monkeypatch):
    # The raw confidences: the mended address is less sure than the site read as printed (the
    # fitted calibration then says how often mended addresses turn out right on real cards).
    monkeypatch.setattr(confidence_model, "WEIGHTS", {})
    ocr = lines_from_text(
        """
        # Lukas Hoffmann
        Leiter Vertrieb
        lukasgbevel.de
        www.bevel.de
        """
    )
    contact = extract_contact(ocr)
    assert contact.emails == ["lukas@bevel.de"]
    assert contact.websites == ["www.bevel.de"]
    assert 0 < contact.confidence["emails"] < contact.confidence["websites"]
    assert contact.doubts["emails"] == "a misread letter mended"


def test_an_ocr_address_one_slip_off_the_qr_codes_is_the_same_address():
    ocr = lines_from_text(
        """
        # Ana Ruiz
        ana.rui1@exemplo.es
        www.exemp1o.es
        """
    )
    code = QrCode("MECARD:N:Ruiz,Ana;EMAIL:ana.ruil@exemplo.es;URL:www.exemplo.es;;", kind="mecard")
    contact = extract_contact(ocr, [code])
    assert contact.emails == ["ana.ruil@exemplo.es"]
    assert contact.websites == ["www.exemplo.es"]


def test_the_second_persons_address_is_mended_by_their_own_name():
    # The label glued on and misread ("Emall" + "r.dominguez") on the second person's line.
    ocr = lines_from_text(
        """
        Begoña Martínez || Raúl Domínguez
        Jefa de Ventas || Jefe de Ventas
        E: begona@nedolu.example || Emallr.dominguez@nedolu.example
        """
    )
    assert extract_contact(ocr).emails == ["begona@nedolu.example", "r.dominguez@nedolu.example"]
