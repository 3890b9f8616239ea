"""Invented card content for the sample-card generator: people, companies, phones, addresses.

Everything here is made up. Names are common given names and surnames of each language,
companies are invented words, numbers are random digits (UK and US numbers use the ranges
reserved for fiction). Each ``make_*`` function draws only from the ``random.Random`` it is given,
so a seed gives the same card on every machine.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

CULTURES = ("pt", "es", "de", "fr", "nl", "it", "hr", "uk", "us", "tr")

# Given names: women's names before the "/", men's after.
FIRST = {
    "pt": "Inês Conceição Mariana Beatriz Margarida / João Sebastião Gonçalo Tomás Luís Vítor",
    "es": "Lucía Begoña Nuria Mónica Pilar Ángela / Álvaro Íñigo Sebastián Jesús Ramón Raúl",
    "de": "Anneliese Käthe Friederike Mareike Hannah Jördis / Jürgen Jörg Björn Lukas Sören Götz",
    "fr": "Amélie Hélène Océane Anaïs Gaëlle Léa / François Jérôme Noël Benoît Clément Étienne",
    "nl": "Sanne Femke Lotte Eva Floor Marloes / Joost Maarten Bram Thijs Daan Sjoerd",
    "it": "Lucia Giulia Francesca Chiara Ilaria Beatrice / Niccolò Matteo Lorenzo Andrea Tommaso",
    "hr": "Ivana Marija Petra Željka Mateja Nives / Luka Tomislav Dražen Josip Ante Krešimir",
    "uk": "Charlotte Harriet Priya Grace Aisha Eleanor / Oliver James Daniel Samuel Connor Rhys",
    "us": "Madison Jasmine Olivia Camila Hannah Maya / Tyler Marcus Ethan DeShawn Kevin Andre",
    "tr": "Şebnem Ayşe Özlem Elif Tuğba Gülşen / Çağrı Gökhan Barış Ümit Emre Oğuz",
}
LAST = {
    "pt": "Gonçalves|Magalhães|Simões|Araújo|Brandão|Fonseca|Lourenço|Assunção|Pereira|Calçada",
    "es": "Fernández|Ibáñez|Muñoz|Gómez|Núñez|Peña|Ortega|Castaño|Martínez|Galán|Domínguez",
    "de": "Weißmüller|Schröder|Müller|Köhler|Brückner|Hoffmann|Bäcker|Großmann|Lübke|Krämer",
    "fr": "Lefèvre|Dubois|Fontaine|Giraud|Mercier|Chevalier|Lemaître|Bérard|Ménard|Faure",
    "nl": "van der Berg|de Vries|van Dijk|Bakker|de Jong|van den Heuvel|Visser|Smit|Hoekstra",
    "it": "Bianchi|Rossi|Lombardi|Caruso|De Luca|Galli|Sartori|Fabbri|Mancini|Ferrara",
    "hr": "Kovačević|Horvat|Šarić|Babić|Jurić|Knežević|Vuković|Marić|Perić|Grgić",
    "uk": "Whitfield|Hargreaves|O'Connor|Patel|Okafor|Bennett|Ashworth|Nguyen|McAllister|Clarke",
    "us": "Johnson|Ramirez|Washington|Kowalski|Chen|O'Brien|Thompson|Delgado|Russo|Park",
    "tr": "Yıldırım|Öztürk|Çelik|Şahin|Doğan|Aydın|Kılıç|Güneş|Erdoğdu|Kaya",
}

# Titles: "{m|f}" picks the masculine or feminine form; a tuple is a title printed on two lines.
TITLES = {
    "pt": [
        "Diretor{|a} Comercial",
        "Gestor{|a} de Projetos",
        "Diretor{|a} Executiv{o|a}",
        "Engenheir{o|a} de Software",
        "Responsável de Compras",
        ("Diretor{|a} de Operações", "Logística e Transportes"),
    ],
    "es": [
        "Director{|a} de Operaciones",
        "Jef{e|a} de Ventas",
        "Consultor{|a} Senior",
        "Responsable de Compras",
        ("Director{|a} de Desarrollo de Negocio", "Europa y Latinoamérica"),
    ],
    "de": [
        "Leiter{|in} Vertrieb",
        "Geschäftsführer{|in}",
        "Projektmanager{|in}",
        "Key Account Manager{|in}",
        ("Leiter{|in} Einkauf", "Logistik & Supply Chain"),
    ],
    "fr": [
        "Direct{eur|rice} Marketing",
        "Chef de projet",
        "Responsable commercial{|e}",
        "Ingénieur{|e} d'affaires",
        ("Direct{eur|rice} des opérations", "Europe du Sud"),
    ],
    "nl": [
        "Accountmanager",
        "Directeur",
        "Projectleider",
        "Salesmanager Benelux",
        ("Hoofd Inkoop", "Logistiek & Planning"),
    ],
    "it": [
        "Responsabile Acquisti",
        "Amministratore Delegato",
        "Dirett{ore|rice} Commerciale",
        "Ingegnere di Processo",
        ("Responsabile Sviluppo Commerciale", "Area Nord-Est"),
    ],
    "hr": [
        "Voditelj{|ica} prodaje",
        "Direktor{|ica}",
        "Projektni menadžer",
        "Voditelj{|ica} nabave",
        ("Voditelj{|ica} razvoja poslovanja", "Regija Jugoistočne Europe"),
    ],
    "uk": [
        "Head of Partnerships",
        "Operations Director",
        "Senior Account Manager",
        "Managing Director",
        ("Head of Business Development", "Europe, Middle East & Africa"),
    ],
    "us": [
        "VP of Sales",
        "Chief Technology Officer",
        "Senior Product Manager",
        "Customer Success Lead",
        ("Director of Strategic Accounts", "North America"),
    ],
    "tr": [
        "Satış Müdürü",
        "Genel Müdür",
        "Proje Yöneticisi",
        "Satın Alma Uzmanı",
        ("İş Geliştirme Direktörü", "Avrupa ve Orta Doğu"),
    ],
}

SECTORS = {
    "pt": ["Logística", "Engenharia", "Consultoria", "Tecnologias"],
    "es": ["Logística", "Soluciones", "Ingeniería", "Consultores"],
    "de": ["Logistik", "Technik", "Beratung", "Systeme"],
    "fr": ["Conseil", "Logistique", "Ingénierie", "Studio"],
    "nl": ["Logistiek", "Techniek", "Advies", "Groep"],
    "it": ["Logistica", "Ingegneria", "Consulenza", "Sistemi"],
    "hr": ["Logistika", "Inženjering", "Savjetovanje", "Sustavi"],
    "uk": ["Logistics", "Analytics", "Partners", "Consulting"],
    "us": ["Systems", "Analytics", "Labs", "Robotics"],
    "tr": ["Lojistik", "Mühendislik", "Danışmanlık", "Teknoloji"],
}
SUFFIXES = {
    "pt": ["Lda", "Lda.", "S.A.", "Unipessoal Lda"],
    "es": ["S.L.", "S.A.", "SL"],
    "de": ["GmbH", "AG", "GmbH & Co. KG"],
    "fr": ["SARL", "SAS", "S.A."],
    "nl": ["BV", "B.V.", "N.V."],
    "it": ["S.r.l.", "S.p.A."],
    "hr": ["d.o.o.", "d.d."],
    "uk": ["Ltd", "Limited", "LLP"],
    "us": ["Inc.", "LLC", "Inc"],
    "tr": ["A.Ş.", "Ltd. Şti."],
}
TLD = {
    "pt": "pt",
    "es": "es",
    "de": "de",
    "fr": "fr",
    "nl": "nl",
    "it": "it",
    "hr": "hr",
    "uk": "co.uk",
    "us": "com",
    "tr": "com.tr",
}
GENERIC_MAILBOX = {
    "pt": "geral",
    "es": "contacto",
    "de": "kontakt",
    "fr": "bonjour",
    "nl": "info",
    "it": "info",
    "hr": "info",
    "uk": "hello",
    "us": "info",
    "tr": "info",
}

# Phone labels: (office, mobile, fax), several spellings each.
PHONE_LABELS = {
    "pt": (["Tel.", "T:", "Tel:"], ["Telemóvel", "Tlm.", "M:"], ["Fax", "F:"]),
    "es": (["Tel.", "Tlf.", "T."], ["Móvil", "M.", "Móvil:"], ["Fax", "Fax:"]),
    "de": (["Tel.", "T", "Telefon"], ["Handy", "Mobil", "M"], ["Fax", "F"]),
    "fr": (["Tél.", "T.", "Tél :"], ["Mob.", "Portable", "M."], ["Fax", "Fax :"]),
    "nl": (["T", "Tel.", "T:"], ["M", "Mob.", "M:"], ["F", "Fax"]),
    "it": (["Tel.", "T."], ["Cell.", "Mob."], ["Fax"]),
    "hr": (["Tel.", "T:"], ["Mob.", "M:"], ["Fax"]),
    "uk": (["T:", "Tel", "Direct"], ["M:", "Mobile", "Mob"], ["F:", "Fax"]),
    "us": (["T:", "Office", "P"], ["M:", "Cell", "C"], ["F:", "Fax"]),
    "tr": (["Tel:", "T:"], ["Gsm:", "Cep:"], ["Faks:", "F:"]),
}

TAGLINES = {
    "pt": ["Soluções que movem o mundo", "Desde 1987 ao seu lado"],
    "es": ["Conectamos personas y mercados", "Innovación con propósito"],
    "de": ["Qualität, die bewegt", "Ihr Partner für Logistik"],
    "fr": ["L'excellence au quotidien", "Ensemble, plus loin"],
    "nl": ["Slimmer samenwerken", "Altijd een stap verder"],
    "it": ["Qualità senza compromessi", "Dal 1972, con passione"],
    "hr": ["Pouzdan partner od 1995.", "Znanje koje pokreće"],
    "uk": ["Making data make sense", "Logistics, simplified"],
    "us": ["Building what's next", "Automation for everyone"],
    "tr": ["Geleceği birlikte inşa ediyoruz", "Güvenilir çözüm ortağınız"],
}

_SYLLABLES = (
    "al va ri no ter ko ra mar be lo vel trix quan tiq lu meo sol ve ra fjor tes sa "
    "ro or bi tra zen ta ne xa ly ca mi do ra sen"
).split()


@dataclass
class Line:
    """One printed contact line: its label as printed, its value, and what it is."""

    label: str
    value: str
    kind: str  # office, mobile, fax, email, web, social, tax


@dataclass
class Person:
    """One person on a card."""

    name: str
    title: tuple[str, ...]
    female: bool
    lines: list[Line] = field(default_factory=list)


@dataclass
class Content:
    """Everything printed on one card, before layout."""

    culture: str
    people: list[Person]
    brand: str  # invented brand word, used by logos
    company: str | None  # legal/printed company line, None when not printed
    domain: str
    shared: list[Line]  # company-level lines (generic email, website, office phone, tax id)
    address: list[str]
    tagline: str | None


def fold(text: str) -> str:
    """ASCII-fold a name for an e-mail local part ('Weißmüller' -> 'weissmuller')."""
    text = text.translate(str.maketrans({"ß": "ss", "ı": "i", "đ": "d", "Đ": "D", "ø": "o"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.lower() if c.isalnum())


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def make_phone(rng: random.Random, culture: str, kind: str) -> str:
    """A phone number in the style people print in ``culture`` ('office', 'mobile', 'fax')."""
    d = lambda n: _digits(rng, n)  # noqa: E731
    mobile = kind == "mobile"
    if culture == "pt":
        return (
            f"+351 9{rng.choice('1236')}{d(1)} {d(3)} {d(3)}"
            if mobile
            else (
                rng.choice(
                    [f"+351 21 {d(3)} {d(4)}", f"+351 22 {d(3)} {d(2)} {d(2)}", f"21 {d(3)} {d(4)}"]
                )
            )
        )
    if culture == "es":
        return (
            f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}"
            if mobile
            else (
                rng.choice(
                    [
                        f"+34 91 {d(3)} {d(2)} {d(2)}",
                        f"+34 93 {d(3)} {d(2)} {d(2)}",
                        f"91 {d(3)} {d(2)} {d(2)}",
                    ]
                )
            )
        )
    if culture == "de":
        return (
            rng.choice([f"+49 171 {d(7)}", f"+49 (0)152 {d(4)} {d(4)}", f"0170 {d(7)}"])
            if mobile
            else (
                rng.choice(
                    [
                        f"+49 30 {d(7)}-{d(2)}",
                        f"+49 (0)89 {d(3)} {d(3)}-{d(2)}",
                        f"040 {d(6)}-{d(1)}",
                    ]
                )
            )
        )
    if culture == "fr":
        return (
            rng.choice([f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}", f"06 {d(2)} {d(2)} {d(2)} {d(2)}"])
            if mobile
            else (
                rng.choice(
                    [
                        f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
                        f"+33 (0)4 {d(2)} {d(2)} {d(2)} {d(2)}",
                        f"01 {d(2)} {d(2)} {d(2)} {d(2)}",
                    ]
                )
            )
        )
    if culture == "nl":
        return (
            rng.choice(
                [f"+31 6 {d(4)} {d(4)}", f"+31 (0)6 {d(2)} {d(2)} {d(2)} {d(2)}", f"06-{d(8)}"]
            )
            if mobile
            else (
                rng.choice(
                    [
                        f"+31 20 {d(3)} {d(4)}",
                        f"+31 (0)10 {d(3)} {d(2)} {d(2)}",
                        f"020 {d(3)} {d(4)}",
                    ]
                )
            )
        )
    if culture == "it":
        return (
            f"+39 3{d(2)} {d(3)} {d(4)}"
            if mobile
            else rng.choice([f"+39 02 {d(4)} {d(4)}", f"+39 06 {d(8)}", f"02 {d(8)}"])
        )
    if culture == "hr":
        return (
            f"+385 9{rng.choice('12589')} {d(3)} {d(4)}"
            if mobile
            else rng.choice([f"+385 1 {d(4)} {d(3)}", f"+385 (0)21 {d(3)} {d(3)}"])
        )
    if culture == "uk":
        return (
            rng.choice([f"+44 7700 900{d(3)}", f"07700 900{d(3)}"])
            if mobile
            else (
                rng.choice([f"+44 20 7946 0{d(3)}", f"+44 (0)20 7946 0{d(3)}", f"020 7946 0{d(3)}"])
            )
        )
    if culture == "us":
        area = rng.choice(["415", "212", "312", "617", "404"])
        return rng.choice(
            [
                f"+1 ({area}) 555-01{d(2)}",
                f"{area}.555.01{d(2)}",
                f"({area}) 555-01{d(2)}",
                f"+1 {area} 555 01{d(2)}",
            ]
        )
    if culture == "tr":
        return (
            rng.choice([f"+90 5{d(2)} {d(3)} {d(2)} {d(2)}", f"0532 {d(3)} {d(2)} {d(2)}"])
            if mobile
            else (rng.choice([f"+90 212 {d(3)} {d(2)} {d(2)}", f"+90 (312) {d(3)} {d(2)} {d(2)}"]))
        )
    raise ValueError(culture)


def make_tax_id(rng: random.Random, culture: str) -> str:
    """A tax or registry number as printed: looks like a phone, but is not one."""
    d = lambda n: _digits(rng, n)  # noqa: E731
    return {
        "pt": rng.choice([f"NIF: 5{d(2)} {d(3)} {d(3)}", f"NIPC 5{d(8)}"]),
        "es": rng.choice([f"CIF: B-{d(8)}", f"NIF B{d(8)}"]),
        "de": rng.choice(
            [f"USt-IdNr.: DE {d(3)} {d(3)} {d(3)}", f"USt-IdNr. DE{d(9)} · HRB {d(5)}"]
        ),
        "fr": rng.choice([f"SIRET {d(3)} {d(3)} {d(3)} {d(5)}", f"TVA FR{d(2)} {d(9)}"]),
        "nl": rng.choice([f"KvK {d(8)}", f"BTW NL{d(9)}B01 · KvK {d(8)}"]),
        "it": f"P.IVA {d(11)}",
        "hr": f"OIB: {d(11)}",
        "uk": rng.choice([f"Company No. 0{d(7)}", f"VAT GB {d(3)} {d(4)} {d(2)}"]),
        "us": f"EIN {d(2)}-{d(7)}",
        "tr": f"Vergi No: {d(10)}",
    }[culture]


def make_address(rng: random.Random, culture: str) -> list[str]:
    """A postal address as printed, one string per printed line."""
    n = rng.randint(2, 240)
    d = lambda k: _digits(rng, k)  # noqa: E731
    if culture == "pt":
        street, (cp, city) = (
            rng.choice(
                ["Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Carmo"]
            ),
            rng.choice([("1100", "Lisboa"), ("4000", "Porto"), ("4700", "Braga")]),
        )
        return [
            f"{street} {n}, {rng.randint(1, 6)}.º {rng.choice(['Esq.', 'Dto.'])}",
            f"{cp}-{d(3)} {city}",
            "Portugal",
        ]
    if culture == "es":
        street, (cp, city) = (
            rng.choice(
                ["Calle de Alcalá", "Calle Mayor", "Paseo de la Castellana", "Calle de Serrano"]
            ),
            rng.choice([("280", "Madrid"), ("080", "Barcelona"), ("460", "Valencia")]),
        )
        return [
            f"{street} {n}, {rng.randint(1, 9)}º {rng.choice('ABCD')}",
            f"{cp}{d(2)} {city}",
            "España",
        ]
    if culture == "de":
        street, (cp, city) = (
            rng.choice(["Friedrichstraße", "Königsallee", "Schloßstraße", "Mühlenweg"]),
            rng.choice([("10", "Berlin"), ("80", "München"), ("50", "Köln"), ("20", "Hamburg")]),
        )
        lines = [f"{street} {n}", f"{cp}{d(3)} {city}"]
        return lines + (["Deutschland"] if rng.random() < 0.5 else [])
    if culture == "fr":
        street, (cp, city) = (
            rng.choice(
                [
                    "rue de la Roquette",
                    "avenue Jean Jaurès",
                    "quai des Chartrons",
                    "boulevard Haussmann",
                ]
            ),
            rng.choice([("750", "Paris"), ("690", "Lyon"), ("330", "Bordeaux")]),
        )
        return [f"{n} {street}", f"{cp}{d(2)} {city}", "France"]
    if culture == "nl":
        street, city = (
            rng.choice(["Keizersgracht", "Coolsingel", "Oudegracht", "Stationsplein"]),
            rng.choice(["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"]),
        )
        return [
            f"{street} {n}",
            f"{rng.randint(1000, 9999)} {rng.choice('ABCDEKLM')}{rng.choice('CDJNRSTW')} {city}",
        ]
    if culture == "it":
        street, (cp, city) = (
            rng.choice(
                ["Via Giuseppe Verdi", "Corso Vittorio Emanuele II", "Via dei Servi", "Viale Monza"]
            ),
            rng.choice([("201", "Milano (MI)"), ("001", "Roma (RM)"), ("501", "Firenze (FI)")]),
        )
        return [f"{street} {n}", f"{cp}{d(2)} {city}", "Italia"]
    if culture == "hr":
        street, (cp, city) = (
            rng.choice(["Ilica", "Ulica kralja Zvonimira", "Savska cesta", "Vukovarska ulica"]),
            rng.choice([("10000", "Zagreb"), ("21000", "Split"), ("51000", "Rijeka")]),
        )
        return [f"{street} {n}", f"{cp} {city}", "Hrvatska"]
    if culture == "uk":
        street, (city, pc) = (
            rng.choice(["Old Street", "Deansgate", "Whitechapel Road", "Princes Street"]),
            rng.choice(
                [
                    ("London", f"EC1V {rng.randint(1, 9)}HL"),
                    ("Manchester", f"M3 {rng.randint(1, 9)}BW"),
                    ("Leeds", f"LS1 {rng.randint(1, 9)}EX"),
                ]
            ),
        )
        lines = [f"{rng.choice(['2nd', '3rd', '4th'])} Floor, {n} {street}", f"{city} {pc}"]
        return lines + (["United Kingdom"] if rng.random() < 0.5 else [])
    if culture == "us":
        street, city = (
            rng.choice(["Market Street", "Peachtree St NE", "N Orleans St", "Congress Ave"]),
            rng.choice(
                ["San Francisco, CA 941", "Atlanta, GA 303", "Chicago, IL 606", "Austin, TX 787"]
            ),
        )
        return [f"{n * 10 + 1} {street}, Suite {rng.randint(1, 19)}00", f"{city}{d(2)}", "USA"]
    if culture == "tr":
        street, city = (
            rng.choice(["Büyükdere Cad.", "Atatürk Bulvarı", "İstiklal Cad.", "Cumhuriyet Mah."]),
            rng.choice(["34394 Şişli / İstanbul", "06680 Çankaya / Ankara", "35220 Konak / İzmir"]),
        )
        return [f"{street} No: {n}", city, "Türkiye"]
    raise ValueError(culture)


def make_brand(rng: random.Random) -> str:
    """An invented brand word such as 'Veltrix' or 'Alvarina'."""
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice([2, 2, 3])))
    return word[:10].capitalize()


def make_name(rng: random.Random, culture: str) -> tuple[str, bool]:
    """A full name from ``culture`` (two surnames, Iberian style, now and then); True if female."""
    women, men = FIRST[culture].split(" / ")
    female = rng.random() < 0.5
    first = rng.choice((women if female else men).split())
    last_names = LAST[culture].split("|")
    last = rng.choice(last_names)
    if culture in ("pt", "es") and rng.random() < 0.5:
        last = f"{last} {rng.choice([s for s in last_names if s != last])}"
    return f"{first} {last}", female


def gendered(title: str, female: bool) -> str:
    """Resolve "{m|f}" choices in a title ("Diretor{|a}" -> "Diretora" for a woman)."""
    return re.sub(r"\{([^|}]*)\|([^}]*)\}", lambda m: m.group(2 if female else 1), title)


def make_title(
    rng: random.Random, culture: str, female: bool, two_lines: bool = False
) -> tuple[str, ...]:
    """A job title (one or two printed lines) for someone from ``culture``."""
    options = TITLES[culture]
    if two_lines:
        options = [t for t in options if isinstance(t, tuple)]
    title = rng.choice(options)
    lines = title if isinstance(title, tuple) else (title,)
    return tuple(gendered(t, female) for t in lines)


def make_email(rng: random.Random, name: str, domain: str) -> str:
    """A personal e-mail address built from the name and the company domain."""
    first_name, _, last_name = name.partition(" ")
    if " " in last_name and last_name.split()[0][0].isupper():
        last_name = last_name.split()[0]  # Iberian double surname: mail uses the first one
    first, last = fold(first_name), fold(last_name)
    local = rng.choice([f"{first}.{last}", f"{first[0]}.{last}", first, f"{first[0]}{last}"])
    return f"{local}@{domain}"


def make_content(
    rng: random.Random, culture: str, *, people: int = 1, company_printed: bool = True
) -> Content:
    """Invent one card's content for ``culture``: people, company, contact lines, address."""
    brand = make_brand(rng)
    sector = rng.choice(SECTORS[culture])
    suffix = rng.choice(SUFFIXES[culture]) if rng.random() < 0.8 else ""
    company = f"{brand} {sector}" + (f" {suffix}" if suffix else "")
    if suffix in ("Lda", "Lda.") and rng.random() < 0.5:
        company = f"{brand} {sector}, {suffix}"
    domain = f"{fold(brand)}.{TLD[culture]}"
    office_l, mobile_l, fax_l = PHONE_LABELS[culture]
    label_style = rng.randrange(3)

    def lab(options: list[str]) -> str:
        return options[min(label_style, len(options) - 1)]

    persons = []
    used: set[str] = set()
    for _ in range(people):
        name, female = make_name(rng, culture)
        while name.split()[0] in used:
            name, female = make_name(rng, culture)
        used.add(name.split()[0])
        title = make_title(rng, culture, female)
        lines = [
            Line(lab(mobile_l), make_phone(rng, culture, "mobile"), "mobile"),
            Line(
                rng.choice(["E:", "E-mail:", "", "Email"]), make_email(rng, name, domain), "email"
            ),
        ]
        if people == 1 and rng.random() < 0.6:
            lines.insert(0, Line(lab(office_l), make_phone(rng, culture, "office"), "office"))
        persons.append(Person(name, title, female, lines))
    shared = []
    if people > 1:
        shared.append(Line(lab(office_l), make_phone(rng, culture, "office"), "office"))
    if rng.random() < 0.35:
        shared.append(Line(lab(fax_l), make_phone(rng, culture, "office"), "fax"))
    if rng.random() < 0.3 or people > 1:
        shared.append(Line("", f"{GENERIC_MAILBOX[culture]}@{domain}", "email"))
    shared.append(
        Line(
            rng.choice(["", "", "W:", "Web:"]),
            rng.choice([f"www.{domain}", domain, f"https://{domain}"]),
            "web",
        )
    )
    if rng.random() < 0.3:
        handle = fold(persons[0].name.split()[0]) + "-" + fold(persons[0].name.split()[-1])
        shared.append(Line("", f"linkedin.com/in/{handle}", "social"))
    if rng.random() < 0.5:
        shared.append(Line("", make_tax_id(rng, culture), "tax"))
    tagline = rng.choice(TAGLINES[culture]) if rng.random() < 0.4 else None
    return Content(
        culture,
        persons,
        brand,
        company if company_printed else None,
        domain,
        shared,
        make_address(rng, culture),
        tagline,
    )
