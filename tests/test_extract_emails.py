"""E-mail addresses: found in a line, and OCR slips mended."""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.emails import find_emails, mend_local_with_name
from tests.support.extract_support import lines_from_text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ana.lima@exemplo.com.br", ["ana.lima@exemplo.com.br"]),
        ("E-mail: pierre.martin@societe.fr", ["pierre.martin@societe.fr"]),
        ("Email:bruno@example.com", ["bruno@example.com"]),
        ("E:sven@beispiel.de", ["sven@beispiel.de"]),
        ("Mail: kim@example.org", ["kim@example.org"]),
        ("Einfo@acme-tools.pt", ["info@acme-tools.pt"]),
        ("li.wei @ example . cn", ["li.wei@example.cn"]),
        ("ana(at)exemplo.pt", ["ana@exemplo.pt"]),
        ("ana [at] exemplo [dot] pt", ["ana@exemplo.pt"]),
        ("carla@exampIe.com", ["carla@example.com"]),
        ("rui.costa@gmaiI.com", ["rui.costa@gmail.com"]),
        ("nora@hotmai1.com", ["nora@hotmail.com"]),
        ("a@b.comWebsite", ["a@b.com"]),
        ("Tel +351 912 345 678 | joao@firma.pt | www.firma.pt", ["joao@firma.pt"]),
        ("x@y.pt, z@w.es", ["x@y.pt", "z@w.es"]),
        ("info@lovel.nlwww.lovel.nl", ["info@lovel.nl"]),  # the website glued on
        ("ana@www.example.com", ["ana@www.example.com"]),
        ("Vasala 2000@yahoo.com", ["vasala_2000@yahoo.com"]),  # an underscore read as a space
        ("E-mail 2000@yahoo.com", ["2000@yahoo.com"]),  # a label is no part of it
        ("Contact 2000@x.com", ["2000@x.com"]),
        ("QQ 12345678@qq.com", ["12345678@qq.com"]),  # QQ's addresses are digits
        ("Vasala 2000x@yahoo.com", ["2000x@yahoo.com"]),
        ("l,babic@tesor.hr", ["l.babic@tesor.hr"]),  # a comma read for the dot after an initial
        ("Zagreb, ana@x.hr", ["ana@x.hr"]),
        ("not an email: name@", []),
        ("@handle", []),
        ("user@localhost", []),
    ],
)
def test_find_emails(line, expected):
    assert [hit.email for hit in find_emails(line)] == expected


@pytest.mark.parametrize(
    ("email", "forms", "expected"),
    [
        ("ikrishnan@mail.in", ["lkrishnan", "krishnan"], "lkrishnan@mail.in"),
        ("emarta.nowak@firma.pl", ["marta.nowak"], "marta.nowak@firma.pl"),
        ("marta.nowak@firma.pl", ["marta.nowak"], "marta.nowak@firma.pl"),
        ("oparkjiho@mail.kr", ["parkjiho"], "parkjiho@mail.kr"),  # an envelope icon as "o"
        ("olivia@firma.pl", ["olivia", "livia"], "olivia@firma.pl"),
        ("unrelated@firma.pl", ["marta.nowak"], "unrelated@firma.pl"),
        # The label glued on and misread: "Email o.ramirez" read as "Emallo.ramirez".
        ("emallo.ramirez@tiqrily.com", ["o.ramirez", "ramirez"], "o.ramirez@tiqrily.com"),
        ("mailana.ruiz@x.com", ["ana.ruiz", "ruiz"], "ana.ruiz@x.com"),
        ("emma.ramirez@x.com", ["o.ramirez", "ramirez"], "emma.ramirez@x.com"),
        ("ohan_mito@momo.co.kr", ["han_mito", "han.mito"], "han_mito@momo.co.kr"),  # "_" kept
    ],
)
def test_mend_local_with_name(email, forms, expected):
    assert mend_local_with_name(email, forms) == expected


def test_capital_first_letter_is_kept_when_it_is_the_name():
    ocr = lines_from_text(
        """
        # Esther Vidal
        Esther.vidal@gmail.com
        """
    )
    assert extract_contact(ocr).emails == ["esther.vidal@gmail.com"]


def test_email_domain_one_letter_off_the_website_is_mended():
    ocr = lines_from_text(
        """
        # Étienne Marchal
        e.marchal@tisolane.fr
        contact@bisolane.fr
        www.bisolane.fr
        """
    )
    assert extract_contact(ocr).emails == ["e.marchal@bisolane.fr", "contact@bisolane.fr"]


def test_different_domains_that_are_not_slips_are_kept():
    ocr = lines_from_text(
        """
        # Ravi Menon
        ravi@menonlabs.in
        ravi.menon@gmail.com
        www.menonlabs.in
        """
    )
    assert extract_contact(ocr).emails == ["ravi@menonlabs.in", "ravi.menon@gmail.com"]
