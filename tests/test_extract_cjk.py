"""Chinese, Japanese and Korean cards: name, title, company and address in their own script.

The cards are in ``tests/data/extract/cjk.toml``. Every card there is invented (names from
common family names, companies from invented words, addresses at random numbers); the layouts
are the ones such cards use.
"""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.cjk_words import address_units, surname_of, unspaced
from tests.support.extract_support import cards, check_fields


def _card(*rows: tuple[str, int, int, int]) -> OcrResult:
    """Lines as (text, x, y, glyph height) on a 1000 x 600 card."""
    lines = tuple(Line(text, Box(x, y, max(20, len(text) * h), h), 0.98) for text, x, y, h in rows)
    return OcrResult(lines=lines, engine="test", width=1000, height=600)


@pytest.mark.parametrize(("card", "expected"), cards("cjk"))
def test_a_cjk_card_is_read_in_its_own_script(card, expected):
    check_fields(extract_contact(_card(*card["lines"])), expected)


def test_letter_spacing_goes_and_word_spaces_stay():
    assert unspaced("李 芮 明") == "李芮明"
    assert unspaced("황 선 규 (Sunkyoo Hwang)") == "황선규 (Sunkyoo Hwang)"
    assert unspaced("골드 정 공인중개사 사무소") == "골드 정 공인중개사 사무소"


def test_addresses_are_recognised_by_their_units_not_by_known_lines():
    assert {"region", "street", "number"} <= address_units("高雄市前鎮區中山二路91號")
    assert {"region", "street"} <= address_units("부산광역시 해운대구 센텀중앙로 79")
    assert "postcode" in address_units("〒530-0001 大阪府大阪市北区梅田3-1-1")
    assert len(address_units("產品總監")) == 0
    assert "districts" in address_units("神奈川県横浜市西区丸の内")
    assert "districts" not in address_units("信義房屋")


def test_family_names():
    assert surname_of("佐々木健太") == "佐々木"
    assert surname_of("남궁민") == "남궁"
    assert surname_of("陳德倫") == "陳"
    assert surname_of("信義房屋") is None


def test_columns_of_a_vertical_card_read_side_by_side_stay_apart():
    """A vertical card read upright: each column is a line, right to left; two columns side
    by side are not one row, so the title next to the company is not glued to it."""
    columns = [  # (text, x, y, glyph size): a box one glyph wide, the text's length high
        ("昌達生技股份有限公司", 938, 47, 45),
        ("資深工程師", 886, 49, 39),
        ("吳詩涵", 803, 42, 70),
        ("台中市西屯區中山北路185號10樓", 740, 46, 30),
    ]
    lines = tuple(Line(t, Box(x, y, h, len(t) * h), 0.98) for t, x, y, h in columns)
    contact = extract_contact(OcrResult(lines=lines, engine="test", width=1000, height=1300))
    assert (contact.company, contact.title) == ("昌達生技股份有限公司", "資深工程師")
