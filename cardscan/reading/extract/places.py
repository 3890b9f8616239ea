"""Place words for addresses: countries (English and native names, with their phone region),
US states and Canadian provinces, street words in many languages, and postcode shapes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cardscan.reading.extract.lexicon import fold

#: Country names (folded) to ISO 3166 two-letter region codes.
_COUNTRIES = """
afghanistan:AF albania:AL shqiperia:AL algeria:DZ andorra:AD angola:AO argentina:AR armenia:AM
australia:AU austria:AT osterreich:AT azerbaijan:AZ bahamas:BS bahrain:BH bangladesh:BD
barbados:BB belarus:BY belgium:BE belgie:BE belgique:BE belgien:BE belgica:BE belize:BZ
benin:BJ bhutan:BT bolivia:BO bosnia:BA botswana:BW brazil:BR brasil:BR bulgaria:BG
cambodia:KH cameroon:CM canada:CA chile:CL china:CN colombia:CO congo:CG costa rica:CR
croatia:HR hrvatska:HR cuba:CU cyprus:CY czechia:CZ czech republic:CZ denmark:DK danmark:DK
dominican republic:DO ecuador:EC egypt:EG el salvador:SV estonia:EE eesti:EE ethiopia:ET
finland:FI suomi:FI france:FR franca:FR frankreich:FR francia:FR georgia:GE germany:DE
deutschland:DE alemanha:DE alemania:DE allemagne:DE germania:DE duitsland:DE ghana:GH
greece:GR hellas:GR guatemala:GT honduras:HN hong kong:HK hungary:HU magyarorszag:HU
iceland:IS india:IN indonesia:ID iran:IR iraq:IQ ireland:IE eire:IE israel:IL italy:IT
italia:IT italie:IT italien:IT jamaica:JM japan:JP jordan:JO kazakhstan:KZ kenya:KE
korea:KR south korea:KR kosovo:XK kuwait:KW latvia:LV lebanon:LB libya:LY liechtenstein:LI
lithuania:LT luxembourg:LU luxemburg:LU macau:MO malaysia:MY malta:MT mauritius:MU mexico:MX
moldova:MD monaco:MC mongolia:MN montenegro:ME morocco:MA maroc:MA mozambique:MZ mocambique:MZ
myanmar:MM namibia:NA nepal:NP netherlands:NL the netherlands:NL nederland:NL holland:NL
paises baixos:NL new zealand:NZ nicaragua:NI nigeria:NG north macedonia:MK norway:NO
norge:NO oman:OM pakistan:PK panama:PA paraguay:PY peru:PE philippines:PH poland:PL
polska:PL portugal:PT qatar:QA romania:RO russia:RU rwanda:RW saudi arabia:SA senegal:SN
serbia:RS srbija:RS singapore:SG slovakia:SK slovenia:SI slovenija:SI south africa:ZA
spain:ES espana:ES espanha:ES spanien:ES espagne:ES spagna:ES sri lanka:LK sweden:SE
sverige:SE switzerland:CH schweiz:CH suisse:CH svizzera:CH suica:CH suiza:CH taiwan:TW
tanzania:TZ thailand:TH tunisia:TN tunisie:TN turkey:TR turkiye:TR uganda:UG ukraine:UA
united arab emirates:AE uae:AE u.a.e.:AE united kingdom:GB uk:GB u.k.:GB great britain:GB
england:GB scotland:GB wales:GB northern ireland:GB united states:US united states of
america:US usa:US u.s.a.:US uruguay:UY uzbekistan:UZ venezuela:VE vietnam:VN viet nam:VN
yemen:YE zambia:ZM zimbabwe:ZW
"""

COUNTRIES: dict[str, str] = {}
for _item in re.findall(r"([a-z .]+?):([A-Z]{2})", _COUNTRIES.replace("\n", " ")):
    COUNTRIES[_item[0].strip()] = _item[1]
# The one name that wraps across lines above.
COUNTRIES["united states of america"] = "US"

#: US states and Canadian provinces: full names and postal abbreviations.
_US_STATES = """
AL:alabama AK:alaska AZ:arizona AR:arkansas CA:california CO:colorado CT:connecticut
DE:delaware FL:florida GA:georgia HI:hawaii ID:idaho IL:illinois IN:indiana IA:iowa
KS:kansas KY:kentucky LA:louisiana ME:maine MD:maryland MA:massachusetts MI:michigan
MN:minnesota MS:mississippi MO:missouri MT:montana NE:nebraska NV:nevada NH:new hampshire
NJ:new jersey NM:new mexico NY:new york NC:north carolina ND:north dakota OH:ohio
OK:oklahoma OR:oregon PA:pennsylvania RI:rhode island SC:south carolina SD:south dakota
TN:tennessee TX:texas UT:utah VT:vermont VA:virginia WA:washington WV:west virginia
WI:wisconsin WY:wyoming DC:district of columbia
AB:alberta BC:british columbia MB:manitoba NB:new brunswick NL:newfoundland NS:nova scotia
ON:ontario PE:prince edward island QC:quebec SK:saskatchewan
"""
US_STATES: dict[str, str] = {}
for _code, _name in re.findall(r"([A-Z]{2}):([a-z ]+?)(?=\s+[A-Z]{2}:|\s*$)", _US_STATES):
    US_STATES[_name.strip()] = _code
_CANADA = {"AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK"}

#: Street words (folded), as whole words, in many languages.
STREET_WORDS = """
street st st. avenue ave ave. av av. road rd rd. boulevard blvd blvd. lane ln ln. drive
court ct place pl square sq highway hwy parkway pkwy way terrace circle cir walk row close
crescent park parque parc suite ste floor fl building bldg room unit apt apartment po box p.o. box
floors
rua avenida travessa largo praca praceta estrada alameda rodovia andar sala loja lote
bloco conjunto bairro edificio
calle c/ paseo plaza carretera camino ronda via piso planta oficina local puerta esc
rue boulevard bd chemin allee impasse quai route cours etage batiment bureau cedex
strasse str. str weg platz allee gasse ring damm ufer chaussee
via viale piazza corso vicolo largo piano interno
straat laan plein gracht kade singel dreef steenweg
road nagar colony complex marg salai
cad cad. caddesi sok sok. sokak mah mah. mahallesi bulvar bulvari ulica ul. trg cesta obala
ulitsa prospekt aleja
duong phuong quan huyen
ул ул. улица пр. пр-т проспект пер. переулок шоссе наб. бульвар площадь д. дом офис корп. стр.
""".split()

_STREET_SUFFIXES = (
    "vagen",
    "gatan",
    "gata",
    "vej",
    "gade",
    "veien",
    "gate",
    "katu",
    "tie",
    "utca",
    "ulica",
    "strasse",
    "straße",
    "straat",
    "weg",
    "laan",
    "plein",
    "gracht",
    "platz",
    "gasse",
    "allee",
    "kade",
    "dreef",
    "vliet",
    "steenweg",
)

#: Words that open a postal-address block ("Address:", "Morada:", "HO:").
ADDRESS_LABELS = (
    "address", "addr", "adress", "add", "morada", "endereco", "direccion", "domicilio",
    "adresse", "indirizzo", "adres", "anschrift", "sede", "siege", "head office", "ho", "hq",
    "headquarters", "registered office", "office address", "office", "postal address",
    "mailing address", "visiting address", "bezoekadres", "postadres", "location",
)  # fmt: skip

#: Markers of a head-office address, preferred when a card prints several.
HEAD_OFFICE = (
    "ho",
    "h.o",
    "head office",
    "hq",
    "headquarters",
    "sede",
    "siege",
    "registered office",
)

#: Markers of a home address printed beside the work one; the work address wins.
HOME_ADDRESS = ("residence", "resi", "res", "home", "home address", "private", "privat")

_POSTCODE_PATTERNS = (
    # US/Canada: state then ZIP (CA 94305, TX 76247-1234) or Canadian postal code.
    r"\b[A-Z]{2}[\s,.]+\d{5}(?:-\d{4})?\b",
    r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b",
    # UK postcode.
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",
    # Netherlands: 1017 AB Amsterdam.
    r"\b\d{4}\s?[A-Z]{2}\s+[A-Z][a-z]",
    # Portugal 1000-001 City, Poland 00-950 City, Brazil CEP 01310-100.
    r"\b\d{4}-\d{3}\b",
    r"\b\d{2}-\d{3}\s+[A-Z]",
    r"\b\d{5}-\d{3}\b",
    # Most of Europe: optional country prefix, 4-5 digits, then a capitalised city.
    r"(?:\b[A-Z]{1,2}-)?\b\d{4,5}\s+[A-ZÀ-Ý][\w'’.-]+",
    r"\b\d{2}\s\d{3}\s+[A-ZÀ-Ý][a-zà-ÿ]+",
    # India PIN: City - 641 025 / City-641025 / City 500 029 (set as two groups of three).
    r"[A-Za-z]\s*[-–]\s*\d{3}\s?\d{3}\b",
    r"\b[A-Z][a-z]{2,},?\s+\d{3}\s\d{3}\b(?!\s?\d)",
    # Russia and its neighbours: Москва, 125009 / 125009, г. Москва.
    r"[А-ЯЁ][а-яё-]+,\s*\d{6}\b|\b\d{6},\s*(?:г\.\s*)?[А-ЯЁ]",
)


@lru_cache(maxsize=1)
def _postcode_regexes() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _POSTCODE_PATTERNS)


def has_postcode(text: str) -> bool:
    """True when the text holds something shaped like a postcode next to a place."""
    return any(r.search(text) for r in _postcode_regexes())


def _words(text: str) -> list[str]:
    return re.findall(r"[\w./'’-]+", fold(text))


def find_country(text: str) -> str | None:
    """The region code of a country named in the text (``"Lisboa, Portugal"`` gives ``PT``)."""
    folded = " " + re.sub(r"[^\w.]+", " ", fold(text)) + " "
    best: tuple[int, str] | None = None
    for name, code in COUNTRIES.items():
        if f" {name} " in folded or f" {name.rstrip('.')} " in folded.replace(".", " "):
            if len(name) <= 3 and name.upper().replace(".", "") not in text.replace(".", ""):
                continue  # "uk", "usa", "uae" count only in capitals
            if best is None or len(name) > best[0]:
                best = (len(name), code)
    return best[1] if best else None


def find_us_state(text: str) -> str | None:
    """The region (US or CA) when the text holds a US state or Canadian province with a ZIP."""
    match = re.search(
        r"(?<=[\w.,]\s)([A-Z]{2})[\s,.]+\d{5}(?:-\d{4})?\b|(?<=[a-z][.,])([A-Z]{2})\s*\d{5}\b", text
    )
    state = match and (match.group(1) or match.group(2))
    if state and state in set(US_STATES.values()):
        return "CA" if state in _CANADA else "US"
    folded = fold(text)
    for name, code in US_STATES.items():
        if re.search(r"\b" + name + r"\b[\s,]*\d{5}", folded):
            return "CA" if code in _CANADA else "US"
    return None


#: Street words used in one language area only: a hint for the phone region.
STREET_REGIONS = {
    "c/": "ES", "calle": "ES", "carrer": "ES", "avda": "ES", "avda.": "ES", "rua": "PT",
    "travessa": "PT", "strasse": "DE", "str.": "DE", "gasse": "AT", "rue": "FR",
    "chemin": "FR", "via": "IT", "viale": "IT", "piazza": "IT", "corso": "IT", "straat": "NL",
    "laan": "NL", "gracht": "NL", "steenweg": "BE", "ul.": "PL", "vagen": "SE", "gatan": "SE",
    "vej": "DK", "gade": "DK", "veien": "NO",
}  # fmt: skip


def street_regions(text: str) -> list[str]:
    """Regions hinted at by language-specific street words (``Rua`` -> PT, ``C/`` -> ES)."""
    out: list[str] = []
    for word in _words(text):
        bare = word.strip(",;:")
        region = STREET_REGIONS.get(bare)
        if region is None:
            for suffix in ("strasse", "straat", "gracht", "vagen", "gatan", "veien"):
                if len(bare) > len(suffix) + 2 and bare.endswith(suffix):
                    region = STREET_REGIONS[suffix]
        if region and region not in out:
            out.append(region)
    return out


def street_hits(text: str) -> int:
    """How many street words (Street, Rua, Calle, Straße, Rue, Via, Laan...) a text holds."""
    hits = 0
    for word in _words(text):
        bare = word.strip(",;:")
        if bare in STREET_WORDS or bare.rstrip(".") in STREET_WORDS:
            hits += 1
        elif len(bare) > 6 and bare.endswith(_STREET_SUFFIXES):
            hits += 1
    return hits


def address_label(text: str) -> str | None:
    """The address label opening the text (``"Address:"``, ``"HO:"``), or None."""
    match = re.match(r"\s*([A-Za-zÀ-ÿ. ]{2,20}?)\s*(?::\s*|$)", text)
    if match and fold(match.group(1)).strip(". ") in ADDRESS_LABELS:
        return match.group(0)
    return None
