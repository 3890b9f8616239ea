"""Phone numbers: kinds from labels, regions, and digit runs that are not phones."""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.phones import find_phones, guess_region
from tests.support.extract_support import lines_from_text


def _numbers(lines, region):
    return [(h.phone.e164, h.phone.kind) for h in find_phones(lines, region)]


@pytest.mark.parametrize(
    ("line", "region", "expected"),
    [
        ("Tel: +351 213 456 789", "", [("+351213456789", "office")]),
        ("Telemóvel: 912 345 678", "PT", [("+351912345678", "mobile")]),
        ("Handy 0170 1234567", "DE", [("+491701234567", "mobile")]),
        ("Fax +49 30 1234567-99", "", [("+4930123456799", "fax")]),
        ("F: 020 7946 0958", "GB", [("+442079460958", "fax")]),
        ("Tél. 01 42 61 00 00", "FR", [("+33142610000", "office")]),
        ("Móvil 612 34 56 78", "ES", [("+34612345678", "mobile")]),
        ("M: 0412 345 678", "AU", [("+61412345678", "mobile")]),
        ("Cell (415) 555-2671", "US", [("+14155552671", "mobile")]),
        (
            "T 415.555.2671 F 415.555.2672",
            "US",
            [("+14155552671", "office"), ("+14155552672", "fax")],
        ),
        ("Telefone (11) 3456-7890", "BR", [("+551134567890", "office")]),
        ("+91 98401 23456", "", [("+919840123456", "mobile")]),
        ("0091 44 2434 5678", "IN", [("+914424345678", "office")]),
        ("Direct(212)555-0147", "US", [("+12125550147", "office")]),
        ("Ph : 0866 - 2582333 (O)", "IN", [("+918662582333", "office")]),  # (O): office
        ("Tel (O2O) 7946 0958", "GB", [("+442079460958", "office")]),
    ],
)
def test_phone_kinds(line, region, expected):
    assert _numbers([line], region) == expected


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("VAT: PT509876543", "PT"),
        ("NIF 509 876 543", "PT"),
        ("USt-IdNr. DE123456789", "DE"),
        ("P.IVA 01234567890", "IT"),
        ("CNPJ 12.345.678/0001-90", "BR"),
        ("IBAN PT50 0002 0123 1234 5678 9015 4", "PT"),
        ("IBAN NL91 ABNA 0417 1643 00", "NL"),
        ("KvK 12345678", "NL"),
        ("1000-001 Lisboa", "PT"),
        ("Austin, TX 78701-1234", "US"),
        ("Chennai - 600 017", "IN"),
        ("Válido até 12.05.2024", "PT"),
        ("Since 1994 - 2024", "GB"),
        ("ISO 9001:2015 certified", "GB"),
        ("ID 35*65*43262", "BR"),
        ("GSTIN: 33AABCS1234F1Z5", "IN"),
        ("Siret 123 456 789 00012", "FR"),
        ("MST: 0301234567", "VN"),
        ("ИНН 7701234567", "RU"),
        ("TRN 100234567890003", "AE"),
    ],
)
def test_not_a_phone(line, region):
    assert _numbers([line], region) == []


def test_region_from_the_address_country():
    ocr = lines_from_text(
        """
        # Inês Carvalho
        Av. da Liberdade 110, 1250-146 Lisboa, Portugal
        Tel. 213 456 789
        """
    )
    assert [p.e164 for p in extract_contact(ocr).phones] == ["+351213456789"]


def test_default_region_is_used_when_the_card_says_nothing():
    ocr = lines_from_text(
        """
        # Kai Becker
        030 1234567
        """
    )
    assert [p.e164 for p in extract_contact(ocr, default_region="DE").phones] == ["+49301234567"]


def test_region_is_guessed_from_the_numbers_themselves():
    assert guess_region(["98401 23456", "044-2434 5678"], ()) == "IN"
    assert guess_region(["(415) 555-2671"], ()) == "US"


def test_plus_code_elsewhere_on_the_card_sets_the_region():
    ocr = lines_from_text(
        """
        # Pedro Alves
        M +351 912 345 678
        T 213 456 789
        """
    )
    assert [p.e164 for p in extract_contact(ocr).phones] == ["+351912345678", "+351213456789"]


def test_short_local_number_without_area_code_is_kept_as_printed():
    ocr = lines_from_text(
        """
        ## Oficina do Zé
        3456-7812
        """
    )
    phones = extract_contact(ocr).phones
    assert [p.number for p in phones] == ["3456-7812"]


def test_two_numbers_with_only_a_space_between_are_two_numbers():
    from cardscan.reading.extract.phones import find_phones

    hits = find_phones(["650 555 0143 650 555 0144 Fax"], "US")
    assert [h.phone.e164 for h in hits] == ["+16505550143", "+16505550144"]


def test_a_key_fingerprint_is_not_a_phone():
    from cardscan.reading.extract.phones import find_phones

    fingerprint = "8A21 03F6 98D1 D195 873D 3392 11E2 24D7 F75C 32B1"
    assert find_phones([fingerprint], "DE") == []
    assert len(find_phones([fingerprint, "+49 151 23456789"], "DE")) == 1


@pytest.mark.parametrize(
    ("line", "region", "expected"),
    [
        ("电话010-6552 3718", "CN", [("+861065523718", "office")]),
        ("手機0912-345-678", "TW", [("+886912345678", "mobile")]),
        ("携帯 080-4411-2293", "JP", [("+818044112293", "mobile")]),
        ("휴대폰010-2233-4455", "KR", [("+821022334455", "mobile")]),
        ("傳真：(02)2755-1234", "TW", [("+886227551234", "fax")]),
        ("型号12345678", "CN", []),  # a model number glued to another word is no phone
    ],
)
def test_chinese_japanese_and_korean_labels_glued_to_the_number(line, region, expected):
    assert _numbers([line], region) == expected


def test_a_chinese_card_keeps_both_numbers_its_labels_glue_on():
    ocr = lines_from_text(
        """
        上海华信科技有限公司
        # 林志明
        销售经理
        电话021-6283 5566
        手机139 1234 5678
        """
    )
    assert [p.e164 for p in extract_contact(ocr).phones] == ["+862162835566", "+8613912345678"]


@pytest.mark.parametrize(
    ("line", "region", "expected"),
    [
        ("2479497 (R)", "IN", [("+912479497", "office")]),  # a mark after the number
        ("98495 99497 (M)", "IN", [("+919849599497", "mobile")]),
        (
            "Tel # 553224, 763497 Fax. 0755 - 554712. 553929.",
            "IN",
            [
                ("+91553224", "office"),
                ("+91763497", "office"),
                ("+91755554712", "fax"),
                ("+91553929", "fax"),
            ],
        ),  # fmt: skip
        ("ĐT: (028) 3823 4567", "VN", [("+842838234567", "office")]),
        ("Тел.: +7 (495) 123-45-67", "", [("+74951234567", "office")]),
        ("فاكس: +971 4 123 4567", "", [("+97141234567", "fax")]),
    ],
)
def test_local_numbers_marked_after_or_listed_after_a_label(line, region, expected):
    """Indian cards print short local numbers with a mark after them or in a list after one
    label; the labels of other scripts announce numbers too."""
    assert _numbers([line], region) == expected


def test_a_bare_short_number_with_no_label_or_mark_is_not_a_phone():
    assert _numbers(["Plot 553224 Sector 7"], "IN") == []


@pytest.mark.parametrize(
    ("line", "region", "expected"),
    [
        # Two numbers OCR read as one run of digits: cut where both halves are numbers.
        ("2927318826021823", "HK", [("+85229273188", "office"), ("+85226021823", "office")]),
        ("21255501472125550148", "US", [("+12125550147", "other"), ("+12125550148", "other")]),
        # A postcode glued to the number printed after it: the number, not the postcode.
        ("KAKINADA -533 0050884-387213", "IN", [("+91884387213", "other")]),
        # A second person's number glued to their name after a label.
        ("分行主管：王嘉祺60522686", "HK", [("+85260522686", "mobile")]),
        # Runs no cut makes into numbers stay refused: accounts, order and date codes.
        ("531012-56-124592", "KR", []),
        ("Order 12345678901234", "US", []),
        ("20221231123456789", "US", []),
        ("SIRET 295 750 108 32389", "FR", []),  # a labelled company number, in any cut
    ],
)
def test_numbers_ocr_glued_to_each_other_or_to_a_postcode(line, region, expected):
    assert _numbers([line], region) == expected
