"""Chinese, Japanese and Korean cards: name, title, company and address in their own script.

Every card here is invented (names from common family names, companies from invented
words, addresses at random numbers); the layouts are the ones such cards use.
"""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.cjk_words import address_units, surname_of, unspaced
from tests.support.extract_support import check_fields


def _card(*rows: tuple[str, int, int, int]) -> OcrResult:
    """Lines as (text, x, y, glyph height) on a 1000 x 600 card."""
    lines = tuple(Line(text, Box(x, y, max(20, len(text) * h), h), 0.98) for text, x, y, h in rows)
    return OcrResult(lines=lines, engine="test", width=1000, height=600)


#: (id, the card's lines as (text, x, y, glyph height), what is read). Besides the contact's
#: fields: "e164" (the phones' numbers, in order), "kinds" (the phones' kinds), "notes_has"
#: (a text the notes hold) and "address_starts".
CARDS = [
    (
        "traditional_chinese_keeps_its_fields_in_chinese",
        [
            ("宏達科技股份有限公司", 60, 40, 34),
            ("王 志 明", 60, 160, 60),
            ("業務經理", 60, 240, 26),
            ("台北市信義區忠孝東路五段68號12樓", 60, 330, 24),
            ("電話：(02)2345-6789 傳真：(02)2345-6790", 60, 380, 24),
            ("wang.zm@hongda.com.tw", 60, 430, 24),
        ],
        {
            "name": "王志明",
            "title": "業務經理",
            "company": "宏達科技股份有限公司",
            "address": "台北市信義區忠孝東路五段68號12樓",
            "emails": ["wang.zm@hongda.com.tw"],
        },
    ),
    (
        # Kana on the card: a number without a country code is Japanese.
        "japanese_title_before_the_name_and_a_postcode_line",
        [
            ("株式会社光明システム", 60, 40, 30),
            ("営業部 部長", 60, 150, 24),
            ("山田 太郎", 60, 190, 56),
            ("Taro Yamada", 60, 260, 20),
            ("〒100-0005 東京都千代田区丸の内1-2-3", 60, 330, 22),
            ("TEL 03-1234-5678", 60, 380, 22),
            ("yamada@komei.co.jp", 60, 420, 22),
        ],
        {
            "name": "山田 太郎",
            "title": "営業部 部長",
            "company": "株式会社光明システム",
            "address": "〒100-0005 東京都千代田区丸の内1-2-3",
            "notes_has": "Taro Yamada",
            "e164": ["+81312345678"],
        },
    ),
    (
        "korean_name_and_title_on_one_line",
        [
            ("(주)한빛테크", 60, 40, 32),
            ("김민준 수석연구원", 60, 170, 48),
            ("서울특별시 강남구 테헤란로 152, 21층", 60, 300, 22),
            ("Tel. 02-555-1234  Mobile. 010-9876-5432", 60, 350, 22),
        ],
        {
            "name": "김민준",
            "title": "수석연구원",
            "company": "(주)한빛테크",
            "address_starts": "서울특별시 강남구 테헤란로 152",
            "e164": ["+8225551234", "+821098765432"],
        },
    ),
    (
        # The legal name (with its corporate form) wins over the brand it repeats, as on
        # Latin cards; the English forms printed beside go to the notes.
        "english_forms_printed_beside_go_to_notes",
        [
            ("美聯工商", 260, 40, 80),
            ("陳德明", 700, 200, 44),
            ("Allen Chan", 700, 250, 26),
            ("高級客戶經理", 700, 290, 30),
            ("Senior Account Manager", 700, 330, 24),
            ("新界荃灣沙咀道6號嘉達中心13樓08室", 60, 420, 26),
            ("美聯物業(工商)有限公司", 60, 520, 24),
        ],
        {
            "name": "陳德明",
            "title": "高級客戶經理",
            "company": "美聯物業(工商)有限公司",
            "notes_has": "Allen Chan",
        },
    ),
    (
        "latin_card_with_one_word_in_chinese_stays_latin",
        [
            ("Northwind Traders Ltd", 60, 40, 30),
            ("Ana Ruiz", 60, 150, 50),
            ("Sales Director", 60, 220, 24),
            ("謝謝", 800, 40, 24),
            ("ana.ruiz@northwind.example", 60, 300, 22),
        ],
        {"name": "Ana Ruiz", "company": "Northwind Traders Ltd"},
    ),
    (
        "japanese_address_keeps_its_postcode_line_and_its_building_line",
        [
            ("株式会社朝日工業", 60, 40, 34),
            ("課長", 60, 150, 26),
            ("佐藤 健太", 60, 190, 56),
            ("〒530-0001", 60, 300, 22),
            ("大阪府大阪市北区梅田3-1-1", 60, 326, 26),
            ("中央タワー 8階", 60, 360, 26),
            ("TEL 06-1234-5678", 60, 420, 22),
        ],
        {"address": "〒530-0001, 大阪府大阪市北区梅田3-1-1, 中央タワー 8階"},
    ),
    (
        # Kinds seen on a fresh generated set: a title alone is not a name; simplified
        # characters mean China.
        "simplified_chinese_title_above_the_name",
        [
            ("华泰科技有限公司", 60, 40, 34),
            ("董事长", 60, 150, 50),
            ("黄涛", 60, 210, 56),
            ("北京市朝阳区建国路88号光明大厦12层", 60, 330, 24),
            ("电话 010-43789547", 60, 380, 24),
        ],
        {"name": "黄涛", "title": "董事长", "e164": ["+861043789547"]},
    ),
    (
        "korean_corporate_form_read_spaced",  # "( 주 )" is "(주)"
        [
            ("( 주 ) 선한무역", 60, 40, 34),
            ("이사.", 60, 150, 26),
            ("박지훈", 60, 190, 56),
            ("서울특별시 마포구 양화로 45, 7층", 60, 300, 22),
        ],
        {"company": "(주)선한무역", "title": "이사"},
    ),
    (
        # 〒 read as T (a phone label) makes no phone of the postcode; 携帯 read with a
        # simplified character still labels a mobile.
        "japanese_postcode_whose_mark_was_read_as_a_letter_is_no_phone",
        [
            ("株式会社青葉電機", 60, 40, 30),
            ("技術部 課長", 60, 150, 24),
            ("佐藤 花子", 60, 190, 56),
            ("T530-0001", 60, 300, 22),
            ("大阪府大阪市北区梅田2-4-9 梅田ビル5階", 60, 335, 22),
            ("電話06-4321-8765", 60, 380, 22),
            ("携带090-1234-5678", 60, 410, 22),
            ("sato@aoba.co.jp", 60, 440, 22),
        ],
        {
            "e164": ["+81643218765", "+819012345678"],
            "kinds": ["office", "mobile"],
            "address": "〒530-0001, 大阪府大阪市北区梅田2-4-9 梅田ビル5階",
        },
    ),
    (
        # OCR lost the block number after the ward: prefecture, city and ward still say
        # address; 〒 read as F is mended.
        "japanese_address_whose_number_was_lost",
        [
            ("光高建設株式会社", 60, 40, 32),
            ("係長", 60, 150, 26),
            ("井上 美咲", 60, 200, 56),
            ("F635-2421", 60, 300, 22),
            ("神奈川県横浜市西区丸の内", 60, 330, 24),
            ("TEL 06-4166-4944", 60, 420, 22),
        ],
        {"address": "〒635-2421, 神奈川県横浜市西区丸の内"},
    ),
    (
        "japanese_given_name_in_kana_right_after_the_family_name",
        [
            ("株式会社日朝テクノロジー", 60, 40, 30),
            ("執行役員", 60, 150, 24),
            ("高橋ゆかり", 60, 190, 56),
            ("Yukari Takahashi", 60, 260, 20),
            ("〒812-0011 福岡県福岡市博多区博多駅前1-7-12", 60, 330, 22),
            ("takahashi@nitcho.co.jp", 60, 420, 22),
        ],
        {"name": "高橋ゆかり", "notes_has": "Yukari Takahashi"},
    ),
]


@pytest.mark.parametrize(("rows", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CARDS])
def test_a_cjk_card_is_read_in_its_own_script(rows, expected):
    check_fields(extract_contact(_card(*rows)), expected)


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
