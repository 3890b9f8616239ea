"""Invented content for Japanese, Chinese (traditional and simplified) and Korean cards.

Everything is made up from common family names, given-name characters, invented company
words and real place names at random numbers. Each ``make_*`` draws only from the
``random.Random`` it is given, so a seed gives the same card on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: Culture -> (family names, given-name pieces, romanised family names in the same order).
NAMES = {
    "ja": ("佐藤 鈴木 高橋 田中 渡辺 伊藤 山本 中村 小林 加藤 吉田 山口 松本 井上 木村 清水",
           "健太 翔 大輔 直樹 誠 拓也 美咲 陽子 由美 愛 恵子 さくら 裕子 智子 浩二 亮",
           "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida"
           " Yamaguchi Matsumoto Inoue Kimura Shimizu"),
    "zh_tw": ("陳 林 黃 張 李 王 吳 劉 蔡 楊 許 鄭 謝 郭 洪 曾",
              "志明 淑芬 家豪 怡君 俊傑 雅婷 冠宇 佳穎 建宏 美玲 承翰 欣怡 宗翰 詩涵",
              "Chen Lin Huang Chang Li Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Kuo Hung Tseng"),
    "zh_cn": ("王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林",
              "伟 芳 娜 敏 静 强 磊 军 洋 勇 艳 杰 涛 明 超 秀英",
              "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin"),
    "ko": ("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황",
           "민준 서연 지훈 수빈 현우 지은 성민 하은 도윤 예진 준호 미영 상훈 유진",
           "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang"),
}  # fmt: skip

TITLES = {
    "ja": ["代表取締役社長", "取締役", "部長", "課長", "主任", "営業部 部長", "技術部 課長",
           "マネージャー", "シニアエンジニア", "執行役員", "研究員", "係長"],
    "zh_tw": ["總經理", "副總經理", "業務經理", "產品總監", "專案經理", "資深工程師", "執行長",
              "行銷主任", "董事長", "設計師", "高級客戶經理"],
    "zh_cn": ["总经理", "副总经理", "销售经理", "技术总监", "项目经理", "高级工程师", "首席执行官",
              "市场主管", "董事长", "设计师", "客户经理"],
    "ko": ["대표이사", "이사", "부장", "차장", "과장", "팀장", "실장", "선임연구원", "수석연구원",
           "책임연구원", "매니저", "대리"],
}  # fmt: skip

#: Company words: (invented first part pieces, business words, corporate forms as prefix/suffix).
COMPANY = {
    "ja": ("光 東 明 富 新 大 和 栄 日 山 青 星 北 高 三 朝",
           ["商事", "物産", "電機", "工業", "システム", "テクノロジー", "建設", "製作所"],
           (["株式会社"], ["株式会社", "有限会社"])),
    "zh_tw": ("鴻 宏 台 新 華 興 聯 永 信 達 榮 豐 茂 泰 昌 遠",
              ["科技", "國際", "實業", "電子", "貿易", "資訊", "生技", "建設"],
              ([], ["股份有限公司", "有限公司"])),
    "zh_cn": ("华 中 东 新 宏 远 泰 恒 金 海 天 瑞 鑫 博 盛 达",
              ["科技", "国际", "实业", "电子", "贸易", "信息技术", "生物", "建设"],
              ([], ["有限公司", "股份有限公司", "集团有限公司"])),
    "ko": ("한 대 세 신 동 우 현 성 미 태 강 해 선 진 영 국",
           ["전자", "테크", "건설", "무역", "산업", "솔루션", "시스템", "바이오"],
           (["(주)", "주식회사 "], ["(주)", " 주식회사"])),
}  # fmt: skip

#: Culture -> address builders' parts.
PLACES = {
    "ja": [
        ("東京都", ["千代田区", "港区", "新宿区", "渋谷区"]),
        ("大阪府", ["大阪市北区", "大阪市中央区"]),
        ("神奈川県", ["横浜市西区", "川崎市中原区"]),
        ("愛知県", ["名古屋市中村区"]),
        ("福岡県", ["福岡市博多区"]),
    ],
    "zh_tw": [
        ("台北市", ["信義區", "大安區", "中山區", "內湖區"]),
        ("新北市", ["板橋區", "三重區"]),
        ("台中市", ["西屯區", "北屯區"]),
        ("高雄市", ["前鎮區", "苓雅區"]),
    ],
    "zh_cn": [
        ("北京市", ["朝阳区", "海淀区", "东城区"]),
        ("上海市", ["浦东新区", "徐汇区", "静安区"]),
        ("广东省深圳市", ["南山区", "福田区"]),
        ("浙江省杭州市", ["西湖区", "滨江区"]),
    ],
    "ko": [
        ("서울특별시", ["강남구", "중구", "마포구", "서초구"]),
        ("서울", ["종로구", "영등포구"]),
        ("경기도 성남시", ["분당구"]),
        ("부산광역시", ["해운대구", "수영구"]),
        ("대전광역시", ["유성구"]),
    ],
}
STREETS = {
    "ja": ["丸の内", "西新宿", "六本木", "梅田", "栄", "みなとみらい", "博多駅前", "大手町"],
    "zh_tw": ["忠孝東路", "信義路", "中山北路", "民生東路", "文心路", "中正路", "復興南路"],
    "zh_cn": ["建国路", "中关村大街", "世纪大道", "南京西路", "深南大道", "文三路", "人民路"],
    "ko": ["테헤란로", "세종대로", "을지로", "양화로", "강남대로", "센텀중앙로", "대학로"],
}  # fmt: skip
BUILDINGS = {
    "ja": ["ビル", "タワー", "センタービル"],
    "zh_tw": ["大樓", "大廈", "商業大樓"],
    "zh_cn": ["大厦", "中心", "广场"],
    "ko": ["빌딩", "타워", "센터"],
}
LABELS = {  # office, mobile, fax, e-mail, address
    "ja": (["TEL", "電話"], ["携帯", "Mobile"], ["FAX"], ["E-mail", "Mail"], ["", "住所"]),
    "zh_tw": (["電話", "TEL", "T"], ["手機", "M"], ["傳真", "FAX", "F"], ["E-mail", "Email"],
              ["", "地址"]),
    "zh_cn": (["电话", "TEL", "T"], ["手机", "M"], ["传真", "FAX", "F"], ["邮箱", "E-mail"],
              ["", "地址"]),
    "ko": (["전화", "Tel.", "T"], ["휴대폰", "Mobile.", "M"], ["팩스", "Fax.", "F"],
           ["이메일", "E-mail."], ["", "주소"]),
}  # fmt: skip
TLDS = {"ja": "co.jp", "zh_tw": "com.tw", "zh_cn": "com.cn", "ko": "co.kr"}
MAIL_HOSTS = {"ja": "gmail.com", "zh_tw": "gmail.com", "zh_cn": "163.com", "ko": "naver.com"}
LATIN_SYLLABLES = "ka to mi ra shin sei hwa dae jin tai long feng hana yu ri ko mo sa won".split()


@dataclass
class CjkContent:
    """One CJK card's printed content (the generator's layouts place it)."""

    culture: str
    name: str  # family name first, no spaces (as the label keeps it)
    name_parts: tuple[str, str]  # family, given
    romanised: str  # "Taro Yamada" style, printed on some cards
    title: str
    company: str
    company_en: str
    address: list[str]
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (label, number, kind)
    email: tuple[str, str] = ("", "")  # (label, address)
    website: str = ""


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_phone(rng: random.Random, culture: str, kind: str) -> str:
    """A phone number as printed in ``culture`` ('office', 'mobile' or 'fax')."""
    d = lambda n: _d(rng, n)  # noqa: E731
    if culture == "ja":
        if kind == "mobile":
            return f"0{rng.choice('789')}0-{d(4)}-{d(4)}"
        return rng.choice([f"03-{d(4)}-{d(4)}", f"06-{d(4)}-{d(4)}", f"045-{d(3)}-{d(4)}"])
    if culture == "zh_tw":
        if kind == "mobile":
            return f"09{d(2)}-{d(3)}-{d(3)}"
        return rng.choice([f"(02){d(4)}-{d(4)}", f"02-{d(4)}-{d(4)}", f"(04){d(4)}-{d(4)}"])
    if culture == "zh_cn":
        if kind == "mobile":
            return f"1{rng.choice('3589')}{d(1)} {d(4)} {d(4)}"
        return rng.choice([f"010-{d(4)}{d(4)}", f"021-{d(8)}", f"+86 755 {d(4)} {d(4)}"])
    if kind == "mobile":
        return f"010-{d(4)}-{d(4)}"
    return rng.choice([f"02-{d(3)}-{d(4)}", f"02) {d(3)}-{d(4)}", f"031-{d(3)}-{d(4)}"])


def make_address(rng: random.Random, culture: str) -> list[str]:
    """A postal address as printed (one or two lines), region first."""
    region, wards = rng.choice(PLACES[culture])
    ward = rng.choice(wards)
    street = rng.choice(STREETS[culture])
    building = rng.choice(["光明", "新世紀", "中央", "国際", "第一"]) + rng.choice(
        BUILDINGS[culture]
    )
    n, floor = rng.randint(1, 300), rng.randint(2, 30)
    if culture == "ja":
        line = (
            f"{region}{ward}{street}{rng.randint(1, 4)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
        )
        post = f"〒{_d(rng, 3)}-{_d(rng, 4)}"
        if rng.random() < 0.5:
            return [f"{post} {line}", f"{building} {floor}F"]
        return [f"{post}", f"{line} {building}{floor}階"]
    if culture == "zh_tw":
        section = rng.choice(["", "一段", "二段", "三段", "四段"])
        return [f"{rng.randint(100, 999)}{region}{ward}{street}{section}{n}號{floor}樓"]
    if culture == "zh_cn":
        return [f"{region}{ward}{street}{n}号{building}{floor}层"]
    line = f"{region} {ward} {street} {n}"
    if rng.random() < 0.5:
        return [f"{line}, {building.replace('第一', '제일')} {floor}층"]
    return [f"({_d(rng, 5)}) {line}", f"{floor}층"]


def make_cjk_content(rng: random.Random, culture: str) -> CjkContent:
    """Invent one card's content for ``culture`` (ja, zh_tw, zh_cn, ko)."""
    families, givens, roman = (s.split() for s in NAMES[culture])
    k = rng.randrange(len(families))
    family, given = families[k], rng.choice(givens)
    romanised_given = "".join(rng.choice(LATIN_SYLLABLES) for _ in range(2)).capitalize()
    romanised = (
        f"{romanised_given} {roman[k]}" if culture == "ja" else f"{roman[k]} {romanised_given}"
    )
    first, words, (prefixes, suffixes) = COMPANY[culture]
    stem = "".join(rng.sample(first.split(), 2))
    business = rng.choice(words)
    if prefixes and rng.random() < 0.4:
        company = f"{rng.choice(prefixes)}{stem}{business}".strip()
    else:
        company = f"{stem}{business}{rng.choice(suffixes)}".strip()
    brand = "".join(rng.choice(LATIN_SYLLABLES) for _ in range(2))
    domain = f"{brand}.{TLDS[culture]}"
    office_l, mobile_l, fax_l, mail_l, _ = LABELS[culture]
    phones = [(rng.choice(office_l), make_phone(rng, culture, "office"), "office")]
    if rng.random() < 0.7:
        phones.append((rng.choice(mobile_l), make_phone(rng, culture, "mobile"), "mobile"))
    if rng.random() < 0.5:
        phones.append((rng.choice(fax_l), make_phone(rng, culture, "fax"), "fax"))
    local = roman[k].lower() + rng.choice(["", ".", "_"]) + romanised_given.lower()[:4]
    host = domain if rng.random() < 0.75 else MAIL_HOSTS[culture]
    return CjkContent(
        culture=culture,
        name=family + given,
        name_parts=(family, given),
        romanised=romanised,
        title=rng.choice(TITLES[culture]),
        company=company,
        company_en=f"{brand.capitalize()} {rng.choice(['Co., Ltd.', 'Inc.', 'Corporation'])}",
        address=make_address(rng, culture),
        phones=phones,
        email=(rng.choice(mail_l), f"{local}@{host}"),
        website=f"www.{domain}" if rng.random() < 0.7 else "",
    )
