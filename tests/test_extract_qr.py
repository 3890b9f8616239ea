"""QR payloads (vCard 3 and 4, MeCard, BIZCARD, URLs) and how they win over the OCR."""

from __future__ import annotations

from cardscan.models import QrCode
from cardscan.reading.extract import extract_contact, parse_qr
from tests.support.extract_support import lines_from_text

VCARD3 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreira;Beatriz;;Dra.;\r\nFN:Dra. Beatriz Moreira\r\n"
    "ORG:Clínica Sorriso;Ortodontia\r\nTITLE:Diretora Clínica\r\n"
    "TEL;TYPE=WORK,VOICE:+351 213 000 111\r\nTEL;TYPE=CELL:+351 912 000 222\r\n"
    "TEL;TYPE=FAX:+351 213 000 112\r\nEMAIL;TYPE=INTERNET:beatriz@clinicasorriso.pt\r\n"
    "URL:https://www.clinicasorriso.pt/\r\n"
    "ADR;TYPE=WORK:;;Rua Augusta 20\\, 2º;Lisboa;;1100-053;Portugal\r\n"
    "NOTE:Marcações por telefone\r\nEND:VCARD\r\n"
)

VCARD4 = (
    "BEGIN:VCARD\nVERSION:4.0\nFN:Lukas Meier\nN:Meier;Lukas;;;\n"
    'TEL;VALUE=uri;TYPE="cell,voice":tel:+41-79-123-45-67\n'
    "EMAIL:lukas@meier-\n digital.ch\nURL:https://linkedin.com/in/lukasmeier\n"
    "ORG:Meier Digital GmbH\nEND:VCARD"
)


def test_vcard3():
    c = parse_qr(QrCode(VCARD3, "vcard"))
    assert c.name == "Dra. Beatriz Moreira"
    assert c.company == "Clínica Sorriso"
    assert c.title == "Diretora Clínica"
    assert [(p.e164, p.kind) for p in c.phones] == [
        ("+351213000111", "office"),
        ("+351912000222", "mobile"),
        ("+351213000112", "fax"),
    ]
    assert c.emails == ["beatriz@clinicasorriso.pt"]
    assert c.websites == ["www.clinicasorriso.pt"]
    assert c.address == "Rua Augusta 20, 2º, Lisboa, 1100-053, Portugal"
    assert c.notes == "Marcações por telefone"


def test_vcard4_folded_lines_and_tel_uri():
    c = parse_qr(QrCode(VCARD4, "vcard"))
    assert c.name == "Lukas Meier"
    assert [(p.e164, p.kind) for p in c.phones] == [("+41791234567", "mobile")]
    assert c.emails == ["lukas@meier-digital.ch"]
    assert c.socials == ["linkedin.com/in/lukasmeier"]
    assert c.company == "Meier Digital GmbH"


def test_mecard_with_escapes():
    data = (
        "MECARD:N:Tanaka,Yuki;ORG:Sakura Labs\\; Tokyo;TEL:+81 3 1234 5678;"
        "EMAIL:yuki@sakuralabs.jp;URL:https\\://sakuralabs.jp;ADR:1-2-3 Shibuya\\, Tokyo;;"
    )
    c = parse_qr(QrCode(data, "mecard"))
    assert c.name == "Yuki Tanaka"
    assert c.company == "Sakura Labs; Tokyo"
    assert [p.e164 for p in c.phones] == ["+81312345678"]
    assert c.emails == ["yuki@sakuralabs.jp"]
    assert c.websites == ["sakuralabs.jp"]
    assert c.address == "1-2-3 Shibuya, Tokyo"


def test_bizcard():
    c = parse_qr(
        QrCode("BIZCARD:N:Sean;X:Owen;T:Engineer;C:Acme;E:sean@acme.ie;B:+353 1 234 5678;;", "text")
    )
    assert (c.name, c.title, c.company, c.emails) == (
        "Sean Owen",
        "Engineer",
        "Acme",
        ["sean@acme.ie"],
    )


def test_url_and_plain_text_codes():
    assert parse_qr(QrCode("https://www.exemplo.pt/cartao", "url")).websites == [
        "www.exemplo.pt/cartao"
    ]
    assert parse_qr(QrCode("https://www.linkedin.com/in/ana", "url")).socials == [
        "www.linkedin.com/in/ana"
    ]
    assert parse_qr(QrCode("mailto:ana@exemplo.pt", "url")).emails == ["ana@exemplo.pt"]
    assert parse_qr(QrCode("just some words", "text")).is_empty()
    assert parse_qr(QrCode("BEGIN:VCARD\nbroken", "vcard")).is_empty()


def test_qr_wins_where_it_overlaps_the_ocr():
    ocr = lines_from_text(
        """
        # Beatrlz 0liveira
        Diretora Clinica
        beatriz@clinicasorriso.pt
        Tel 213 000 111
        """
    )
    c = extract_contact(ocr, [QrCode(VCARD3, "vcard")])
    assert c.name == "Dra. Beatriz Moreira"
    assert c.title == "Diretora Clínica"
    assert c.emails == ["beatriz@clinicasorriso.pt"]
    assert [p.e164 for p in c.phones] == ["+351213000111", "+351912000222", "+351213000112"]
    assert c.confidence["name"] == 0.99


def test_a_link_code_to_a_deep_page_is_a_note_not_a_website():
    ocr = lines_from_text("*Lena Vogt*\nVerkaufsleiterin\nlena.vogt@fernhaus.de\nwww.fernhaus.de")
    contact = extract_contact(ocr, [QrCode("https://www.fernhaus.de/karte/lena-vogt", "url")])
    assert contact.websites == ["www.fernhaus.de"]
    assert "QR code: " in (contact.notes or "") and "karte/lena-vogt" in contact.notes


def test_a_link_code_to_a_home_page_is_the_website():
    ocr = lines_from_text("*Lena Vogt*\nVerkaufsleiterin\nlena.vogt@fernhaus.de")
    contact = extract_contact(ocr, [QrCode("https://fernhaus.de", "url")])
    assert contact.websites and "fernhaus.de" in contact.websites[0]
