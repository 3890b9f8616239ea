"""Words that give a Chinese, Japanese or Korean card's lines their meaning.

Corporate forms, organisation words, job titles, address parts, contact labels and common
family names, in the three languages (Chinese in traditional and simplified forms). The
lists are what business cards print, not a dictionary: a line is recognised by the
structure these words give it (a corporate form, a title word, a chain of address units
from the region down to the floor), never by matching a whole known line.
"""

from __future__ import annotations

import re

#: One Han ideograph, kana, Hangul syllable or jamo (with compatibility and enclosed forms).
CJK_CHAR = (
    r"\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff"
)
CJK = re.compile(f"[{CJK_CHAR}]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: Corporate forms: a line carrying one is a company (or a legal name) line.
CORPORATE_FORMS = (
    # Japanese
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "（株）", "㈱", "(有)",
    "（有）", "㈲", "一般社団法人", "公益社団法人", "一般財団法人", "公益財団法人", "社団法人",
    "財団法人", "医療法人", "学校法人", "社会福祉法人", "特定非営利活動法人", "NPO法人",
    "独立行政法人", "国立大学法人", "税理士法人", "弁護士法人", "監査法人",
    # Chinese
    "股份有限公司", "有限公司", "有限责任公司", "有限責任公司", "集团", "集團", "公司",
    "企業社", "企业", "事務所", "事务所", "工作室", "商行", "工作坊",
    # Korean
    "(주)", "（주）", "㈜", "주식회사", "(유)", "유한회사", "유한책임회사", "합자회사",
    "(사)", "사단법인", "재단법인", "(재)", "의료법인", "학교법인", "법무법인", "회계법인",
    "세무법인", "감정평가법인", "사무소", "협동조합",
)  # fmt: skip

#: Words for organisations other than companies (schools, hospitals, offices, shops).
ORG_WORDS = (
    # Japanese
    "大学", "大学院", "研究所", "研究センター", "センター", "病院", "医院", "クリニック",
    "銀行", "協会", "組合", "省", "庁", "役所", "市役所", "区役所", "学校", "高校", "本社",
    "商店", "製作所", "工業", "産業", "商事", "物産", "電機", "建設", "不動産", "ホールディングス",
    "グループ", "ジャパン", "システムズ", "ソリューションズ", "テクノロジー",
    # Chinese
    "大學", "學院", "学院", "研究院", "研究中心", "中心", "醫院", "医院", "診所", "诊所",
    "銀行", "银行", "協會", "协会", "學會", "学会", "政府", "委員會", "委员会", "基金會",
    "基金会", "科技", "實業", "实业", "貿易", "贸易", "國際", "国际", "控股", "物業", "物业",
    "房屋", "地產", "地产", "建設", "建设", "餐廳", "餐厅", "酒店", "飯店", "饭店", "銀樓",
    # Korean
    "대학교", "대학원", "연구소", "연구원", "센터", "병원", "의원", "한의원", "치과", "외과",
    "내과", "정형외과", "피부과", "클리닉", "은행", "협회", "학회", "학교", "재단", "공사",
    "공단", "그룹", "산업", "전자", "건설", "부동산", "중개", "상사", "무역", "테크",
    "솔루션", "시스템", "컨설팅", "스튜디오", "약국", "식당", "카페",
)  # fmt: skip

#: Job titles and ranks (a line holding one, near the name, is the title).
TITLE_WORDS = (
    # Japanese
    "代表取締役", "取締役", "社長", "副社長", "会長", "専務", "常務", "執行役員", "役員",
    "部長", "副部長", "次長", "課長", "係長", "主任", "主査", "室長", "所長", "支店長",
    "店長", "工場長", "本部長", "事業部長", "センター長", "グループ長", "チームリーダー",
    "リーダー", "マネージャー", "マネジャー", "ディレクター", "プロデューサー", "エンジニア",
    "デザイナー", "コンサルタント", "アナリスト", "スペシャリスト", "アーキテクト",
    "プログラマー", "担当", "営業", "代表", "理事", "理事長", "監事", "顧問", "参与",
    "教授", "准教授", "助教", "講師", "研究員", "主任研究員", "院長", "医師", "看護師",
    "弁護士", "税理士", "公認会計士", "司法書士", "行政書士", "社労士", "弁理士", "技師",
    # Chinese
    "董事長", "董事长", "董事", "總裁", "总裁", "副總裁", "副总裁", "總經理", "总经理",
    "副總經理", "副总经理", "經理", "经理", "總監", "总监", "主任", "主管", "處長", "处长",
    "科長", "科长", "組長", "组长", "課長", "執行長", "执行长", "首席", "創辦人", "创始人",
    "創始人", "合夥人", "合伙人", "負責人", "负责人", "顧問", "顾问", "專員", "专员",
    "工程師", "工程师", "設計師", "设计师", "會計師", "会计师", "律師", "律师", "秘書",
    "秘书", "助理", "業務", "业务", "代表", "店長", "店长", "經紀", "经纪", "代理",
    "客戶經理", "客户经理", "教授", "副教授", "講師", "讲师", "研究員", "研究员", "院長",
    "院长", "校長", "校长", "醫師", "医师", "主席", "副主席", "秘書長", "秘书长", "會長",
    "社長", "行長", "行长", "廠長", "厂长", "部長", "部长", "協理", "协理", "襄理",
    # Korean
    "대표이사", "대표", "회장", "부회장", "사장", "부사장", "전무", "상무", "이사", "감사",
    "본부장", "부장", "차장", "과장", "대리", "주임", "사원", "팀장", "실장", "국장",
    "소장", "원장", "지점장", "점장", "센터장", "연구원", "책임연구원", "선임연구원",
    "수석연구원", "책임", "선임", "수석", "매니저", "디렉터", "엔지니어", "디자이너",
    "컨설턴트", "교수", "부교수", "조교수", "강사", "박사", "변호사", "세무사", "회계사",
    "노무사", "법무사", "변리사", "공인중개사", "감정평가사", "치료사", "물리치료사",
    "간호사", "의사", "약사", "기자", "작가", "저자", "위원", "위원장", "총장", "학장",
)  # fmt: skip

#: Endings that make a word a title even when it is not in the list (専門員, 관리사).
TITLE_ENDINGS = ("長", "长", "師", "师", "士", "員", "员", "사", "장", "원")

#: Labels printed before a contact detail or an address; they are not part of a value.
LABELS = (
    "電話", "电话", "手機", "手机", "携帯", "傳真", "传真", "地址", "住所", "所在地",
    "郵箱", "邮箱", "網址", "网址", "郵便番号", "電子郵件", "电子邮件", "ホームページ",
    "전화", "팩스", "휴대폰", "핸드폰", "휴대전화", "주소", "이메일", "홈페이지", "메일",
    "客戶權益專線", "服務專線", "服务热线", "专线", "專線", "直通", "總機", "总机",
)  # fmt: skip

#: Address units: each, following a place name or a number, makes a line more address-like.
ADDRESS_UNITS = {
    # A region (province, prefecture, city, ward) when it closes a word of 1-4 characters.
    "region": re.compile(
        r"(?:東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]{1,3}[県縣省]|[\u4e00-\u9fff]{1,4}[市區区郡鎮镇町村]"
        r"|特别行政区|特別行政區|新界|九龍|九龙|香港島|[\uac00-\ud7af]{1,4}(?:특별시|광역시|특별자치시|도|시|군|구|읍|면|동)"
        r"(?=\s|\d|$|[\uac00-\ud7af]))"
    ),
    # A street or road (路, 街, 大道, 通り, 로, 길) with or without its number.
    "street": re.compile(
        r"(?:[\u4e00-\u9fff]{1,5}(?:路|街|大道|道|巷|弄|段|通り?)|[\uac00-\ud7af\d]{1,6}(?:로|길|번길|대로))"
    ),
    # A number unit: 號/号/番地/丁目/樓/F/층/호/번지.
    "number": re.compile(
        r"\d+\s*(?:號|号|番地|番|丁目|樓|楼|階|层|層|F|室|座|棟|층|호|번지|동|가)"
        r"|[\d０-９]+[-－‐ー][\d０-９]+(?:[-－‐ー][\d０-９]+)?"
    ),
    # A building: ビル, 大廈, 大厦, 中心, 빌딩, 타워, 상가, 아파트.
    "building": re.compile(
        r"ビル|タワー|大廈|大厦|大樓|大楼|廣場|广场|빌딩|타워|상가|아파트|오피스텔"
    ),
    # A postcode: 〒123-4567 (JP), a 5-digit Korean or a 6-digit Chinese code in front.
    "postcode": re.compile(
        r"〒\s*\d{3}[-－]?\d{4}|^\(?\d{5,6}\)?(?=\s*[\u4e00-\u9fff\uac00-\ud7af])"
    ),
}

#: Short forms of Korean provinces and metropolitan cities that open an address.
KOREAN_REGIONS = (
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북",
    "충남", "전북", "전남", "경북", "경남", "제주",
)  # fmt: skip

#: Where an address opens: a postcode, or a region (a Korean province by its short name).
ADDRESS_START = re.compile(
    "〒|(?<![\\d\\w])\\(?\\d{5,6}\\)?|"
    + ADDRESS_UNITS["region"].pattern
    + "|(?<![\\uac00-\\ud7af])(?:"
    + "|".join(KOREAN_REGIONS)
    + ")"
)

#: Common family names, by script: a short line starting with one is likely a name.
SURNAMES_HAN = set(
    "王李張张劉刘陳陈楊杨黃黄趙赵吳吴周徐孫孙馬马朱胡郭何高林羅罗鄭郑梁謝谢宋唐許许韓韩"
    "馮冯鄧邓曹彭曾蕭萧田董袁潘蔡蔣蒋余于杜葉叶程魏蘇苏呂吕丁任沈姚盧卢姜崔鍾钟譚谭陸陆"
    "汪范金石廖賈贾夏韋韦付方白鄒邹孟熊秦邱江尹薛閻阎段雷侯龍龙史陶黎賀贺顧顾毛郝龔龚"
    "邵萬万錢钱嚴严覃武戴莫孔向湯汤常溫温康施文牛樊葛邢安齊齐易喬乔伍龐庞顏颜倪莊庄聶聂"
    "章魯鲁岳翟殷詹申歐欧耿關关蘭兰焦俞左柳甘祝包寧宁尚符舒阮柯紀纪梅童凌畢毕單单季裴霍"
    "涂成苗谷盛曲翁冉駱骆藍蓝路游辛靳管柴蒙鮑鲍華华喻祁蒲房滕屈饒饶解牟艾尤陽阳時时穆農农"
    "司卓古吉繆缪簡简車车項项連连芮鄔邬池洪游"
)
#: Japanese family names of two or more characters (the commonest, which start most names).
SURNAMES_JA = (
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "渡邊", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "斎藤", "斉藤", "清水", "山崎",
    "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田",
    "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "斉藤", "福田", "太田",
    "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川", "松田", "竹内",
    "小野", "田村", "中山", "和田", "石田", "森田", "上田", "原", "内田", "柴田", "酒井",
    "宮崎", "横山", "高木", "安藤", "宮本", "大野", "小島", "谷口", "今井", "工藤", "高田",
    "増田", "丸山", "杉山", "村田", "大塚", "新井", "小山", "平野", "藤本", "河野", "上野",
    "野口", "武田", "松井", "千葉", "岩崎", "菅原", "木下", "久保", "佐野", "野村", "松尾",
    "菊地", "杉本", "市川", "古川", "大西", "島田", "水野", "桜井", "高野", "渡部", "吉川",
)  # fmt: skip
#: Korean family names (one syllable; the four two-syllable ones apart).
SURNAMES_KO = set(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
    "나진지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용"
    "예경봉사부가복태목형피두감음빈동온호범좌"
)
SURNAMES_KO2 = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")


def cjk_count(text: str) -> int:
    """How many Chinese, Japanese or Korean characters ``text`` holds."""
    return len(CJK.findall(text))


def unspaced(text: str) -> str:
    """``text`` without letter-spacing: spaces between two CJK characters are dropped when
    every CJK run is one character (``李 芮 明`` -> ``李芮明``); word spaces stay."""
    tokens = text.split()
    if len(tokens) >= 2 and all(len(t) == 1 and CJK.match(t) for t in tokens):
        return "".join(tokens)
    # Runs of single characters inside a longer line ("황 선 규 (Sunkyoo Hwang)").
    return re.sub(
        f"(?<![{CJK_CHAR}\\S])([{CJK_CHAR}])((?: [{CJK_CHAR}])+)(?![{CJK_CHAR}\\S])",
        lambda m: m.group(1) + m.group(2).replace(" ", ""),
        text,
    )


def corporate_form(text: str) -> str | None:
    """The corporate form ``text`` carries (``株式会社``, ``有限公司``, ``(주)``), if any."""
    squeezed = text.replace(" ", "")
    return next((form for form in CORPORATE_FORMS if form in squeezed), None)


def org_word(text: str) -> str | None:
    """An organisation word in ``text`` (``大学``, ``病院``, ``정형외과``), if any."""
    squeezed = text.replace(" ", "")
    return next((word for word in ORG_WORDS if word in squeezed), None)


def title_words(text: str) -> list[str]:
    """The title words in ``text``, longest first where they overlap."""
    squeezed = text.replace(" ", "")
    found = [word for word in sorted(TITLE_WORDS, key=len, reverse=True) if word in squeezed]
    out: list[str] = []
    for word in found:
        if not any(word in longer for longer in out):
            out.append(word)
    return out


def is_title_token(token: str) -> bool:
    """Whether one space-separated token reads as a title (``部長``, ``공인중개사``)."""
    bare = token.strip("/|・·,、")
    if not bare or not CJK.search(bare):
        return False
    if bare in TITLE_WORDS or any(bare.endswith(w) for w in TITLE_WORDS if len(w) >= 2):
        return True
    return len(bare) >= 3 and bare.endswith(TITLE_ENDINGS) and not org_word(bare)


def address_units(text: str) -> set[str]:
    """The kinds of address unit ``text`` holds (region, street, number, building, postcode,
    and districts: two regions, one inside the other)."""
    squeezed = re.sub(r"(?<=\S) (?=\S)", " ", text)
    found = {kind for kind, pattern in ADDRESS_UNITS.items() if pattern.search(squeezed)}
    head = squeezed.lstrip("(〒 0123456789-")
    if head.startswith(KOREAN_REGIONS):
        found.add("region")
    # A prefecture or province, then its city or ward (神奈川県横浜市西区): an address even
    # when OCR lost the number after them.
    if len(ADDRESS_UNITS["region"].findall(squeezed)) >= 2:
        found.add("districts")
    return found


def surname_of(name: str) -> str | None:
    """The family name ``name`` (no spaces) starts with, when it is a common one."""
    if not name:
        return None
    if HANGUL.match(name):
        if name[:2] in SURNAMES_KO2:
            return name[:2]
        return name[0] if name[0] in SURNAMES_KO else None
    for surname in SURNAMES_JA:
        if name.startswith(surname) and len(name) > len(surname):
            return surname
    return name[0] if name[0] in SURNAMES_HAN else None


def strip_label(text: str) -> str:
    """``text`` without a contact label in front (``地址：``, ``주소 :``, ``住所``)."""
    for label in sorted(LABELS, key=len, reverse=True):
        if text.startswith(label):
            return text[len(label) :].lstrip(" :：・|/")
    return text
