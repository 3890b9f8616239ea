"""Phone numbers: kinds from labels, regions, and digit runs that are not phones (the one-line
cases are in ``tests/data/extract/phone_lines.toml``)."""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.phones import find_phones, guess_region
from tests.support.extract_support import lines_from_text
from tests.support.tables import cases


def _numbers(lines, region):
    return [[h.phone.e164, h.phone.kind] for h in find_phones(lines, region)]


@pytest.mark.parametrize(("line", "region", "expected"), cases("extract/phone_lines", "kinds"))
def test_phone_kinds(line, region, expected):
    assert _numbers([line], region) == expected


@pytest.mark.parametrize(("line", "region"), cases("extract/phone_lines", "not_phones"))
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


@pytest.mark.parametrize(("line", "region", "expected"), cases("extract/phone_lines", "cjk_labels"))
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
    ("line", "region", "expected"), cases("extract/phone_lines", "marked_or_listed")
)
def test_local_numbers_marked_after_or_listed_after_a_label(line, region, expected):
    """Indian cards print short local numbers with a mark after them or in a list after one
    label; the labels of other scripts announce numbers too."""
    assert _numbers([line], region) == expected


def test_a_bare_short_number_with_no_label_or_mark_is_not_a_phone():
    assert _numbers(["Plot 553224 Sector 7"], "IN") == []


@pytest.mark.parametrize(("line", "region", "expected"), cases("extract/phone_lines", "glued"))
def test_numbers_ocr_glued_to_each_other_or_to_a_postcode(line, region, expected):
    assert _numbers([line], region) == expected
