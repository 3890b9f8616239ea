"""Multi-line fields: title continuations, address blocks and what never joins them."""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.address import cut_registry, line_score
from tests.support.extract_support import lines_from_text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "# Rui Tavares\nDiretor de Operações\nLogística e Transportes\nrui@tavlog.pt",
            "Diretor de Operações, Logística e Transportes",
        ),
        (
            "# Emma Clarke\nManaging Director\nLogistics, simplified\nemma@clarkefreight.co.uk",
            "Managing Director",
        ),
        (
            "# Jonas Weber\nVertriebsleiter\nIhr Partner für Logistik\nj.weber@weberlog.de",
            "Vertriebsleiter",
        ),
        (
            "# Chiara Ferri\nResponsabile Commerciale\nArea Nord-Est\nc.ferri@ferrisrl.it",
            "Responsabile Commerciale, Area Nord-Est",
        ),
        ("# Tom Baker\nHead of Sales\nSince 1998\ntom@bakerco.com", "Head of Sales"),
        ("# Ana Costa\nGerente\nCosta Imóveis\nana@costaimoveis.pt", "Gerente"),
    ],
)
def test_title_continuation(text, title):
    assert extract_contact(lines_from_text(text)).title == title


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Rua Nova 14, 1100-924 Lisboa, NIF: 509 521 218", "Rua Nova 14, 1100-924 Lisboa"),
        ("Company No. 01234567", ""),
        ("VAT GB 123 4567 89", ""),
        (
            "Cumhuriyet Mah. No: 12, 06680 Ankara, Vergi No: 1234567890",
            "Cumhuriyet Mah. No: 12, 06680 Ankara",
        ),
        ("12 High Street, Bath BA1 1AA", "12 High Street, Bath BA1 1AA"),
    ],
)
def test_registry_numbers_are_cut_from_address_lines(line, kept):
    assert cut_registry(line) == kept


@pytest.mark.parametrize(
    ("line", "is_address"),
    [
        ("Neuer Markt 10, 20354 Hamburg", True),
        ("1401 Peachtree St NE, Suite 1100", True),
        ("Atlanta, GA 30309", True),
        ("Keizersgracht 221", True),
        ("Av. Paulista, 1000 - Sala 12", True),
        ("İstiklal Cad. No: 71", True),
        ("Americas, Africa, Oceania", False),
        ("UK | DE | PT", False),
        ("Company No. 01234567", False),
        ("Innovation for everyone", False),
    ],
)
def test_line_score(line, is_address):
    assert (line_score(line) >= 0.4) is is_address


def test_registry_line_under_the_address_is_left_out():
    ocr = lines_from_text(
        """
        # Grace Hall
        Operations Manager
        grace@hallandco.co.uk
        4th Floor, 12 Deansgate
        Manchester M3 2BW
        Company No. 01234567
        """
    )
    assert extract_contact(ocr).address == "4th Floor, 12 Deansgate, Manchester M3 2BW"


def test_second_labelled_address_is_a_separate_block_and_head_office_wins():
    ocr = lines_from_text(
        """
        # Paul Renard
        Directeur
        Agence : 22 quai de la Fosse, 44000 Nantes
        Siège : 8 rue Lafayette, 75009 Paris
        p.renard@renard-conseil.fr
        """
    )
    assert extract_contact(ocr).address == "8 rue Lafayette, 75009 Paris"
