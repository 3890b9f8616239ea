"""extract_contact end to end on small invented cards."""

from __future__ import annotations

from cardscan.reading.extract import extract_contact
from tests.support.extract_support import lines_from_text


def test_simple_card_reads_every_field():
    ocr = lines_from_text(
        """
        ## Lumentra
        # Ana Ruiz
        Head of Partnerships
        ana.ruiz@lumentra.io
        +34 612 345 678
        www.lumentra.io
        Calle de Alcalá 48, 28014 Madrid, Spain
        """
    )
    contact = extract_contact(ocr)
    assert contact.name == "Ana Ruiz"
    assert contact.title == "Head of Partnerships"
    assert contact.company == "Lumentra"
    assert contact.emails == ["ana.ruiz@lumentra.io"]
    assert [p.e164 for p in contact.phones] == ["+34612345678"]
    assert contact.websites == ["www.lumentra.io"]
    assert contact.address == "Calle de Alcalá 48, 28014 Madrid, Spain"
    for field in ("name", "title", "company", "emails", "phones", "websites", "address"):
        assert 0 < contact.confidence[field] <= 1


def test_empty_ocr_gives_empty_contact():
    contact = extract_contact(lines_from_text(""))
    assert contact.is_empty()
    assert contact.confidence == {}
