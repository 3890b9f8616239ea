"""Chinese, Japanese and Korean cards: name, title, company and address in their own script.

Every card here is invented (names from common family names, companies from invented
words, addresses at random numbers); the layouts are the ones such cards use.
"""

from __future__ import annotations

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from cardscan.reading.extract.cjk_words import address_units, surname_of, unspaced


def _card(*rows: tuple[str, int, int, int]) -> OcrResult:
    """Lines as (text, x, y, glyph height) on a 1000 x 600 card."""
    lines = tuple(Line(text, Box(x, y, max(20, len(text) * h), h), 0.98) for text, x, y, h in rows)
    return OcrResult(lines=lines, engine="test", width=1000, height=600)


def test_a_traditional_chinese_card_keeps_its_fields_in_chinese():
    contact = extract_contact(
        _card(
            ("宏達科技股份有限公司", 60, 40, 34),
            ("王 志 明", 60, 160, 60),
            ("業務經理", 60, 240, 26),
            ("台北市信義區忠孝東路五段68號12樓", 60, 330, 24),
            ("電話：(02)2345-6789 傳真：(02)2345-6790", 60, 380, 24),
            ("wang.zm@hongda.com.tw", 60, 430, 24),
        )
    )
    assert contact.name == "王志明"
    assert contact.title == "業務經理"
    assert contact.company == "宏達科技股份有限公司"
    assert contact.address == "台北市信義區忠孝東路五段68號12樓"
    assert contact.emails == ["wang.zm@hongda.com.tw"]


def test_a_japanese_card_with_title_before_the_name_and_a_postcode_line():
    contact = extract_contact(
        _card(
            ("株式会社光明システム", 60, 40, 30),
            ("営業部 部長", 60, 150, 24),
            ("山田 太郎", 60, 190, 56),
            ("Taro Yamada", 60, 260, 20),
            ("〒100-0005 東京都千代田区丸の内1-2-3", 60, 330, 22),
            ("TEL 03-1234-5678", 60, 380, 22),
            ("yamada@komei.co.jp", 60, 420, 22),
        )
    )
    assert contact.name == "山田 太郎"
    assert contact.title == "営業部 部長"
    assert contact.company == "株式会社光明システム"
    assert contact.address == "〒100-0005 東京都千代田区丸の内1-2-3"
    assert "Taro Yamada" in (contact.notes or "")
    # Kana on the card: a number without a country code is Japanese.
    assert contact.phones[0].e164 == "+81312345678"


def test_a_korean_card_with_name_and_title_on_one_line():
    contact = extract_contact(
        _card(
            ("(주)한빛테크", 60, 40, 32),
            ("김민준 수석연구원", 60, 170, 48),
            ("서울특별시 강남구 테헤란로 152, 21층", 60, 300, 22),
            ("Tel. 02-555-1234  Mobile. 010-9876-5432", 60, 350, 22),
        )
    )
    assert contact.name == "김민준"
    assert contact.title == "수석연구원"
    assert contact.company == "(주)한빛테크"
    assert contact.address.startswith("서울특별시 강남구 테헤란로 152")
    assert {p.e164 for p in contact.phones} == {"+8225551234", "+821098765432"}


def test_the_english_forms_printed_beside_go_to_notes():
    contact = extract_contact(
        _card(
            ("美聯工商", 260, 40, 80),
            ("陳德明", 700, 200, 44),
            ("Allen Chan", 700, 250, 26),
            ("高級客戶經理", 700, 290, 30),
            ("Senior Account Manager", 700, 330, 24),
            ("新界荃灣沙咀道6號嘉達中心13樓08室", 60, 420, 26),
            ("美聯物業(工商)有限公司", 60, 520, 24),
        )
    )
    assert contact.name == "陳德明"
    assert contact.title == "高級客戶經理"
    # The legal name (with its corporate form) wins over the brand it repeats, as on Latin
    # cards.
    assert contact.company == "美聯物業(工商)有限公司"
    assert "Allen Chan" in (contact.notes or "")


def test_a_latin_card_with_one_word_in_chinese_stays_latin():
    contact = extract_contact(
        _card(
            ("Northwind Traders Ltd", 60, 40, 30),
            ("Ana Ruiz", 60, 150, 50),
            ("Sales Director", 60, 220, 24),
            ("謝謝", 800, 40, 24),
            ("ana.ruiz@northwind.example", 60, 300, 22),
        )
    )
    assert contact.name == "Ana Ruiz"
    assert contact.company == "Northwind Traders Ltd"


def test_letter_spacing_goes_and_word_spaces_stay():
    assert unspaced("李 芮 明") == "李芮明"
    assert unspaced("황 선 규 (Sunkyoo Hwang)") == "황선규 (Sunkyoo Hwang)"
    assert unspaced("골드 정 공인중개사 사무소") == "골드 정 공인중개사 사무소"


def test_addresses_are_recognised_by_their_units_not_by_known_lines():
    assert {"region", "street", "number"} <= address_units("高雄市前鎮區中山二路91號")
    assert {"region", "street"} <= address_units("부산광역시 해운대구 센텀중앙로 79")
    assert "postcode" in address_units("〒530-0001 大阪府大阪市北区梅田3-1-1")
    assert len(address_units("產品總監")) == 0


def test_family_names():
    assert surname_of("佐々木健太") == "佐々木"
    assert surname_of("남궁민") == "남궁"
    assert surname_of("陳德倫") == "陳"
    assert surname_of("信義房屋") is None


def test_a_japanese_address_keeps_its_postcode_line_and_its_building_line():
    contact = extract_contact(
        _card(
            ("株式会社朝日工業", 60, 40, 34),
            ("課長", 60, 150, 26),
            ("佐藤 健太", 60, 190, 56),
            ("〒530-0001", 60, 300, 22),
            ("大阪府大阪市北区梅田3-1-1", 60, 326, 26),
            ("中央タワー 8階", 60, 360, 26),
            ("TEL 06-1234-5678", 60, 420, 22),
        )
    )
    assert contact.address == "〒530-0001, 大阪府大阪市北区梅田3-1-1, 中央タワー 8階"


def test_kinds_seen_on_a_fresh_generated_set():
    # A title alone is not a name; "( 주 )" is "(주)"; simplified characters mean China.
    contact = extract_contact(
        _card(
            ("华泰科技有限公司", 60, 40, 34),
            ("董事长", 60, 150, 50),
            ("黄涛", 60, 210, 56),
            ("北京市朝阳区建国路88号光明大厦12层", 60, 330, 24),
            ("电话 010-43789547", 60, 380, 24),
        )
    )
    assert (contact.name, contact.title) == ("黄涛", "董事长")
    assert [p.e164 for p in contact.phones] == ["+861043789547"]
    korean = extract_contact(
        _card(
            ("( 주 ) 선한무역", 60, 40, 34),
            ("이사.", 60, 150, 26),
            ("박지훈", 60, 190, 56),
            ("서울특별시 마포구 양화로 45, 7층", 60, 300, 22),
        )
    )
    assert (korean.company, korean.title) == ("(주)선한무역", "이사")


def test_a_japanese_postcode_whose_mark_was_read_as_a_letter_is_no_phone():
    contact = extract_contact(
        _card(
            ("株式会社青葉電機", 60, 40, 30),
            ("技術部 課長", 60, 150, 24),
            ("佐藤 花子", 60, 190, 56),
            ("T530-0001", 60, 300, 22),  # 〒 read as T, a phone label
            ("大阪府大阪市北区梅田2-4-9 梅田ビル5階", 60, 335, 22),
            ("電話06-4321-8765", 60, 380, 22),
            ("携带090-1234-5678", 60, 410, 22),  # 携帯 read with a simplified character
            ("sato@aoba.co.jp", 60, 440, 22),
        )
    )
    assert [p.e164 for p in contact.phones] == ["+81643218765", "+819012345678"]
    assert contact.phones[1].kind == "mobile"
    assert contact.address == "〒530-0001, 大阪府大阪市北区梅田2-4-9 梅田ビル5階"


def test_a_japanese_given_name_in_kana_right_after_the_family_name():
    contact = extract_contact(
        _card(
            ("株式会社日朝テクノロジー", 60, 40, 30),
            ("執行役員", 60, 150, 24),
            ("高橋ゆかり", 60, 190, 56),
            ("Yukari Takahashi", 60, 260, 20),
            ("〒812-0011 福岡県福岡市博多区博多駅前1-7-12", 60, 330, 22),
            ("takahashi@nitcho.co.jp", 60, 420, 22),
        )
    )
    assert contact.name == "高橋ゆかり"
    assert "Yukari Takahashi" in (contact.notes or "")
