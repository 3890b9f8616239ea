"""Vietnamese, Russian, Thai, Hindi and Arabic cards for the generator (``--scripts``).

Cards in scripts RapidOCR's model cannot read (or, for Vietnamese, reads without its marks):
name, title, company and address in the card's own script, e-mail, website and numbers in
Latin. Everything is invented from common names and real place names at random numbers; each
card draws from its own random stream, so asking for these cards changes no other card.
Fonts are Debian's ``fonts-noto-core`` (Noto Sans, Noto Sans Thai/Devanagari, Noto Naskh
Arabic); a line that mixes a label in the script with a number is drawn in two fonts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
from PIL import ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto")
LATIN_FONT = (NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf")
#: Culture -> (regular, bold) font of its script.
FONTS = {
    "vi": LATIN_FONT,
    "ru": LATIN_FONT,
    "th": (NOTO / "NotoSansThai-Regular.ttf", NOTO / "NotoSansThai-Bold.ttf"),
    "hi": (NOTO / "NotoSansDevanagari-Regular.ttf", NOTO / "NotoSansDevanagari-Bold.ttf"),
    "ar": (NOTO / "NotoNaskhArabic-Regular.ttf", NOTO / "NotoNaskhArabic-Bold.ttf"),
}
CULTURES = tuple(FONTS)

# Per culture: given names | family names (Vietnamese and Russian: family name first, as
# printed), titles, company words and legal forms, places, phone label, country code, TLD.
CONTENT: dict[str, dict[str, Any]] = {
    "vi": {
        "first": "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Đặng Bùi Đỗ Hồ".split(),
        "middle": "Văn Thị Minh Đức Thu Quốc Ngọc Hữu".split(),
        "last": "Đức Hương Dũng Lan Phương Tuấn Hằng Thắng Quỳnh Sơn Trường Nguyệt".split(),
        "titles": ["Giám đốc", "Phó Giám đốc", "Trưởng phòng Kinh doanh", "Kế toán trưởng",
                   "Giám đốc Kỹ thuật", "Chuyên viên Tư vấn", "Trưởng nhóm Dự án"],
        "company": (["Công ty TNHH", "Công ty Cổ phần"],
                    ["Thương mại", "Công nghệ", "Xây dựng", "Dịch vụ", "Đầu tư"],
                    ["Đông Á", "Sao Việt", "Hưng Thịnh", "Phú Mỹ", "Thành Đạt", "Ánh Dương"]),
        "streets": ["Đường Lê Lợi", "Đường Nguyễn Huệ", "Phố Huế", "Đường Trần Hưng Đạo",
                    "Đường Điện Biên Phủ"],
        "places": ["Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", "Quận Hoàn Kiếm, Hà Nội",
                   "Quận Hải Châu, Đà Nẵng", "Phường Đa Kao, Quận 1, TP. Hồ Chí Minh"],
        "phone": ("ĐT:", "+84", ["28", "24", "236"]),
        "mobile": ("DĐ:", "+84", ["90", "91", "98"]),
        "tld": "vn",
        "latin": ["dongaco", "saoviet", "hungthinh", "phumy", "thanhdat", "anhduong"],
    },
    "ru": {
        "first": "Иванов Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов".split(),
        "middle": "Сергей Андрей Алексей Дмитрий Михаил Николай Павел Игорь".split(),
        "last": "Петрович Иванович Сергеевич Андреевич Николаевич Викторович".split(),
        "titles": ["Генеральный директор", "Коммерческий директор", "Менеджер по продажам",
                   "Главный инженер", "Руководитель проекта", "Финансовый директор"],
        "company": (["ООО", "АО"], [], ["«Северный Ветер»", "«Техносфера»", "«Альфа Строй»",
                                        "«Восток Логистик»", "«Медиа Плюс»"]),
        "streets": ["ул. Тверская, д.", "пр. Мира, д.", "ул. Ленина, д.", "Невский пр., д."],
        "places": ["Москва", "Санкт-Петербург", "Казань", "Новосибирск"],
        "phone": ("Тел.:", "+7", ["495", "812", "843"]),
        "mobile": ("Моб.:", "+7", ["915", "921", "903"]),
        "tld": "ru",
        "latin": ["severveter", "technosfera", "alfastroy", "vostoklog", "mediaplus"],
    },
    "th": {
        "first": "สมชาย สมศักดิ์ วิชัย ประเสริฐ สุนทร กิตติ นภา สุดา มาลี".split(),
        "middle": [],
        "last": "ใจดี รักไทย ศรีสุข แสงทอง มั่นคง วงศ์ใหญ่ ทองดี".split(),
        "titles": ["ผู้จัดการฝ่ายขาย", "กรรมการผู้จัดการ", "ผู้อำนวยการ", "วิศวกรอาวุโส",
                   "ผู้จัดการโครงการ"],
        "company": (["บริษัท"], [], ["สยามเทค จำกัด", "ไทยรุ่งเรือง จำกัด", "กรุงเทพการค้า จำกัด",
                                     "แสงทองอินเตอร์ จำกัด"]),
        "streets": ["ถนนสุขุมวิท", "ถนนสีลม", "ถนนพหลโยธิน", "ถนนรัชดาภิเษก"],
        "places": ["แขวงคลองเตย เขตคลองเตย กรุงเทพฯ", "แขวงสีลม เขตบางรัก กรุงเทพฯ",
                   "เขตจตุจักร กรุงเทพฯ"],
        "phone": ("โทร.", "+66", ["2"]),
        "mobile": ("มือถือ", "+66", ["81", "89"]),
        "tld": "co.th",
        "latin": ["siamtech", "thairung", "krungthep", "saengthong"],
    },
    "hi": {
        "first": "राजेश सुनील अमित प्रिया अनीता विकास संजय पूजा".split(),
        "middle": [],
        "last": "शर्मा वर्मा गुप्ता सिंह कुमार अग्रवाल मिश्रा".split(),
        "titles": ["वरिष्ठ प्रबंधक", "महाप्रबंधक", "निदेशक", "परियोजना प्रबंधक", "विक्रय अधिकारी"],
        "company": ([], [], ["भारत टेक्नोलॉजी प्राइवेट लिमिटेड", "गंगा ट्रेडर्स प्राइवेट लिमिटेड",
                             "सूर्या इंजीनियरिंग लिमिटेड", "नवभारत सॉफ्टवेयर प्राइवेट लिमिटेड"]),
        "streets": ["महात्मा गांधी मार्ग", "नेहरू रोड", "स्टेशन रोड", "सरदार पटेल मार्ग"],
        "places": ["नई दिल्ली", "जयपुर", "लखनऊ", "भोपाल"],
        "phone": ("फ़ोन:", "+91", ["11", "141", "522"]),
        "mobile": ("मोबाइल:", "+91", ["98", "99", "94"]),
        "tld": "in",
        "latin": ["bharattech", "gangatraders", "suryaeng", "navbharat"],
    },
    "ar": {
        "first": "أحمد محمد خالد عمر يوسف سارة فاطمة ليلى".split(),
        "middle": "محمد علي حسن".split(),
        "last": "العلي الهاشمي المنصوري الشامسي القاسمي الزعابي".split(),
        "titles": ["مدير المبيعات", "المدير العام", "مدير المشاريع", "مهندس أول", "مدير التسويق"],
        "company": (["شركة"], [], ["النور للتجارة ذ.م.م", "الخليج للمقاولات ذ.م.م",
                                   "الريادة للتقنية ذ.م.م", "الأفق للاستثمار ذ.م.م"]),
        "streets": ["شارع الشيخ زايد", "شارع الكورنيش", "شارع الملك فهد", "شارع حمدان"],
        "places": ["دبي، الإمارات", "أبوظبي، الإمارات", "الرياض، السعودية"],
        "phone": ("هاتف:", "+971", ["4", "2"]),
        "mobile": ("جوال:", "+971", ["50", "55"]),
        "tld": "ae",
        "latin": ["alnoor", "alkhaleej", "alriyada", "alofuq"],
    },
}  # fmt: skip


@dataclass
class ScriptContent:
    """What one card prints: fields in the script, numbers and addresses in Latin."""

    culture: str
    name: str
    title: str
    company: str
    address: list[str]
    phones: list[tuple[str, str]]  # (label in the script, number)
    email: str
    website: str


def script_case(seed: int, index: int, scripts: tuple[str, ...]) -> dict[str, Any]:
    """The case of sample ``index`` when script cards are asked for (one culture per sample,
    in turn)."""
    rng = random.Random(f"cardscan-script-{seed}-{index}")
    culture = scripts[(index - 1) % len(scripts)]
    case = {
        "culture": culture,
        "layout": "script_horizontal",
        "bg": rng.choice(["wood", "grey_table", "white_paper", "desk_mat"]),
        "mode": "scan" if rng.random() < 0.2 else "photo",
        "palette": rng.choice(["light", "light", "colour"]),
        "shadow": rng.random() < 0.3,
        "glare": False,
        "bend": rng.choice([0.0, 0.0, rng.uniform(0.01, 0.02)]),
        "seed": f"{seed}-{index}",
    }
    if rng.random() < 0.2:
        case["rotate"] = rng.choice([90, 180, 270])
    case["case"] = f"script_{culture}"
    return case


def content_for(case: dict[str, Any]) -> ScriptContent:
    """The card's invented content, from its own stream."""
    rng = random.Random(f"cardscan-script-content-{case['seed']}")
    culture = case["culture"]
    c = CONTENT[culture]
    parts = [rng.choice(c["first"])]
    if c["middle"]:
        parts.append(rng.choice(c["middle"]))
    parts.append(rng.choice(c["last"]))
    forms, words, names = c["company"]
    k = rng.randrange(len(names))
    company = " ".join(
        p
        for p in (rng.choice(forms) if forms else "", rng.choice(words) if words else "", names[k])
        if p
    )
    house = str(rng.randint(2, 180))
    street = rng.choice(c["streets"])
    place = rng.choice(c["places"])
    if culture == "ru":
        address = [f"{street} {house}", f"{place}, {rng.randint(101000, 199999)}"]
    elif culture == "vi":
        address = [f"Số {house} {street}", place]
    elif culture == "th":
        address = [f"{house} {street}", f"{place} {rng.choice([10110, 10500, 10900])}"]
    elif culture == "hi":
        address = [f"{house}, {street}", f"{place} {rng.randint(110001, 462999)}"]
    else:
        address = [f"{house} {street}", place]
    phones = []
    for key in ("phone", "mobile"):
        label, code, areas = c[key]
        area = rng.choice(areas)
        digits = 9 - len(area) if culture != "ru" else 10 - len(area)
        number = "".join(str(rng.randint(0, 9)) for _ in range(digits))
        if culture == "hi":
            digits = 10 - len(area)
            number = "".join(str(rng.randint(0, 9)) for _ in range(digits))
        number = valid_subscriber(code, area, number)
        spaced = f"{number[: len(number) // 2]} {number[len(number) // 2 :]}"
        phones.append((label, f"{code} {area} {spaced}"))
    domain = f"{c['latin'][k % len(c['latin'])]}.{c['tld']}"
    return ScriptContent(
        culture=culture,
        name=" ".join(parts),
        title=rng.choice(c["titles"]),
        company=company,
        address=address,
        phones=phones,
        email=f"{rng.choice(['info', 'contact', 'sales', 'office'])}@{domain}",
        website=f"www.{domain}",
    )


def valid_subscriber(code: str, area: str, drawn: str) -> str:
    """``drawn`` made into a number that exists after ``code`` and ``area``, as printed cards'
    numbers do (an Abu Dhabi landline has 7 digits after its area code, not 8; a Delhi one
    does not start with 0 or 1): the drawn digits cut or repeated to the plan's length and,
    if need be, a first digit the plan allows. No new random draw, so the rest of the card
    is made as before."""
    lengths = sorted(range(5, 10), key=lambda n: (abs(n - len(drawn)), n))
    for first in [drawn[0]] + [d for d in "23456789" if d != drawn[0]]:
        for n in lengths:
            digits = (first + drawn[1:] * 2)[:n]
            if phonenumbers.is_valid_number(phonenumbers.parse(f"{code}{area}{digits}")):
                return digits
    raise ValueError(f"no valid number after {code} {area}")


def font(case: dict[str, Any], pixels: float, *, latin: bool = False, bold: bool = False):
    """The script's (or the Latin) font at ``pixels``."""
    path = (LATIN_FONT if latin else FONTS[case["culture"]])[int(bold)]
    return ImageFont.truetype(str(path), max(9, round(pixels)))


def drawer(case: dict[str, Any]):
    """How the card is drawn (one horizontal layout; Arabic set from the right)."""
    return draw_horizontal


def draw_horizontal(cv: Any, case: dict[str, Any], content: ScriptContent) -> None:
    """Company on top, name and title, address, then numbers, e-mail and website."""
    s = cv.scale * cv.st.type_scale
    m = 64 * cv.scale
    rtl = content.culture == "ar"

    def put(y: float, text: str, px: float, fill: Any, bold: bool = False) -> float:
        """One line, each run in its font (the script's fonts lack Latin letters and
        digits), from the right on an Arabic card; returns the y below it."""
        x = cv.w - m if rtl else m
        one_font = FONTS[case["culture"]] == LATIN_FONT
        for run in [text] if one_font else re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
            fnt = font(case, px, latin=one_font or run.isascii(), bold=bold)
            cv.put((x, y), run, fnt, fill, "ra" if rtl else "la")
            width = cv.draw.textlength(run, font=fnt)
            x = x - width if rtl else x + width
        return y + px * 1.5

    def size(text: str, px: float, bold: bool = False) -> float:
        """The largest size up to ``px`` at which ``text`` fits the card."""
        while px > 10 and cv.draw.textlength(text, font=font(case, px, bold=bold)) > cv.w - 2 * m:
            px -= 1
        return px

    y = put(m, content.company, size(content.company, 30 * s, True), cv.st.accent, True)
    y = max(y + 20 * s, cv.h * 0.3)
    y = put(y, content.name, 44 * s, cv.st.ink, True)
    y = put(y, content.title, 22 * s, cv.st.soft) + 8 * s
    for line in content.address:
        y = put(y, line, size(line, 19 * s), cv.st.soft)
    for label, number in content.phones:
        y = put(y, f"{label} {number}", 19 * s, cv.st.ink)
    for text in (content.email, content.website):
        y = put(y, text, 19 * s, cv.st.ink)


def label_for(case: dict[str, Any], content: ScriptContent) -> dict[str, Any]:
    """The label, in the real labels' conventions: fields as printed, in their script."""
    return {
        "name": content.name,
        "title": content.title,
        "company": content.company,
        "emails": [content.email],
        "phones": [number for _, number in content.phones],
        "websites": [content.website],
        "address": ", ".join(content.address),
        "notes": f"Generated by sample_cards/generate.py --scripts: {content.culture} card.",
    }
