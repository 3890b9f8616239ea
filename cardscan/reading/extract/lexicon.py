"""Word lists the extractor matches against, in English, Portuguese, Spanish, French, German,
Italian and Dutch: job-title words, legal-form suffixes, organisation words, honorifics.

Everything is matched case- and accent-insensitively on whole words (see :func:`fold`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Letters without a Unicode decomposition, spelled the way e-mail addresses write them.
_LETTERS = str.maketrans(
    {"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th"}
)


def fold(text: str) -> str:
    """Case-fold and strip accents: ``"Geschäftsführer"`` becomes ``"geschaftsfuhrer"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_LETTERS)


#: Words and phrases that make a line a job title (folded form is derived).
TITLE_WORDS = """
ceo cto cfo coo cmo cio cso cpo cro vp svp evp avp md gm
president vice-president chairman chairwoman chairperson chair founder co-founder cofounder
owner proprietor principal partner managing partner director manager head chief officer
executive lead leader engineer developer programmer architect designer analyst scientist
researcher consultant advisor adviser specialist coordinator co-ordinator administrator
assistant associate representative rep agent broker attorney lawyer solicitor counsel
accountant auditor controller treasurer secretary editor journalist producer photographer
teacher professor lecturer instructor tutor counselor counsellor coach trainer nurse
physician surgeon dentist pharmacist therapist veterinarian technician supervisor foreman
officer apprentice intern trainee student promoter salesman saleswoman salesperson buyer
merchandiser recruiter writer author evangelist strategist planner estimator inspector
superintendent curator librarian dean provost rector registrar chancellor clerk receptionist
sales marketing
scholar fellow postdoc ambassador mentor chemist economist physicist statistician
mudur uzman yonetici muhendis danisman direktor direktorica voditelj voditeljica savjetnik
savjetnica dyrektor kierownik prezes specjalista inzynier menedzer direktur manajer
diretor diretora gerente engenheiro engenheira socio socia fundador fundadora cofundador
cofundadora presidente consultor consultora coordenador coordenadora tecnico tecnica
analista assistente vendedor vendedora comercial administrador administradora advogado
advogada professora responsavel chefe supervisora gestor gestora
director directora ingeniero ingeniera jefe jefa coordinador coordinadora asesor asesora
ejecutivo ejecutiva abogado abogada representante gerenta responsable
directeur directrice gerant gerante ingenieur fondateur fondatrice associe associee
consultante conseiller conseillere commerciale avocat avocate technicien technicienne
assistante chef president presidente
geschaftsfuhrer geschaftsfuhrerin leiter leiterin inhaber inhaberin grunder grunderin
mitgrunder berater beraterin ingenieurin vorstand prokurist vertrieb entwickler
entwicklerin referent referentin sachbearbeiter sachbearbeiterin kaufmann kauffrau
direttore direttrice responsabile ingegnere fondatore fondatrice consulente titolare
avvocato amministratore
eigenaar oprichter medeoprichter adviseur bedrijfsleider verkoper accountmanager
projectleider medewerker medewerkster vennoot
co-owner coowner co-director co-ceo cofundadora cofondateur cofondatrice cofondatore
директор менеджер инженер руководитель начальник заместитель специалист бухгалтер
президент консультант управляющий аналитик юрист председатель
partnerin managerin direktorin assistentin ingenieurin architektin analystin designerin
entwicklerin verkauferin teilhaber teilhaberin gesellschafter gesellschafterin vorsitzender
vorsitzende prokuristin
socia-gerente gerenta ingeniera arquitecta arquiteta abogada asesora coordinadora
fundadora presidenta directora gestora tesorera secretaria contadora contable
avvocata ingegnera architetto consulenta direttrice fondatrice titolare amministratrice
directrice fondatrice gerante associee conseillere avocate ingenieure architecte
adviseuse eigenares oprichtster directrice
hoofd direktor direktoru direktorica uzman uzmani yonetici yoneticisi muhendis muhendisi
danisman sorumlu direktorin menadzer manazer voditelj voditeljica mudur muduru
realtor notary notar notarin notaire notaio notario notaria notaris rechtsanwalt
rechtsanwaltin anwalt anwaltin advocaat advocate barrister paralegal steuerberater
""".split()

#: Multi-word title phrases (matched as phrases).
TITLE_PHRASES = (
    "head of",
    "member of technical staff",
    "technical staff",
    "managing director",
    "account executive",
    "business development",
    "amministratore delegato",
    "chef de projet",
    "charge d'affaires",
    "socio gerente",
    "socio-gerente",
    "country manager",
    "charge de",
    "chargee de",
    # Vietnamese (folded: "giám đốc" is "giam doc").
    "giam doc",
    "truong phong",
    "pho phong",
    "ke toan",
    "chuyen vien",
    "truong nhom",
    "nhan vien",
    "chu tich",
    "ky su",
    "tu van",
)

#: German compounds end in these (Vertriebsleiter, Projektmanagerin, Steuerberater).
TITLE_SUFFIXES = (
    "leiter",
    "leiterin",
    "fuhrer",
    "fuhrerin",
    "berater",
    "beraterin",
    "manager",
    "managerin",
    "ingenieur",
    "ingenieurin",
    "entwickler",
    "direktor",
    "direktorin",
    "referent",
    "referentin",
)

#: Words that continue a title on the next line: departments, units and sales regions.
DEPARTMENT_WORDS = """
department dept division unit team office faculty school
departamento divisao division abteilung bereich departement service dipartimento
afdeling
emea apac apj latam amer americas europe asia africa oceania nordics dach benelux iberia
mena middle east north south west central global international worldwide region regional
area regiao regija zona zone territory territorio gebiet
logistics logistica logistiek logistik logistique transport transportes transporte trasporti
operations operacoes operaciones operazioni finance financas finanzas finanzen compras
purchasing procurement inkoop einkauf achats acquisti vendas ventas vendite verkoop
research development desenvolvimento desarrollo sviluppo planning planeamento quality
qualidade calidad qualita qualitat
engineering
""".split()

#: Legal-form suffixes of companies. Short ambiguous ones only count at the end of a line.
LEGAL_SUFFIXES = (
    "inc",
    "inc.",
    "incorporated",
    "llc",
    "l.l.c.",
    "llp",
    "l.l.p.",
    "lp",
    "ltd",
    "ltd.",
    "limited",
    "private limited",
    "pvt ltd",
    "pvt. ltd.",
    "plc",
    "gmbh",
    "gmbh & co. kg",
    "ag",
    "kg",
    "ohg",
    "e.v.",
    "ug",
    "s.a.",
    "sa",
    "s.a.s.",
    "sas",
    "sarl",
    "s.a.r.l.",
    "eurl",
    "sasu",
    "lda",
    "lda.",
    "ltda",
    "ltda.",
    "eireli",
    "s.l.",
    "sl",
    "s.l.u.",
    "slu",
    "s.a. de c.v.",
    "bv",
    "b.v.",
    "nv",
    "n.v.",
    "vof",
    "spa",
    "s.p.a.",
    "srl",
    "s.r.l.",
    "snc",
    "oy",
    "oyj",
    "ab",
    "a/s",
    "aps",
    "as",
    "asa",
    "pty",
    "pty ltd",
    "pty. ltd.",
    "co.",
    "co",
    "corp",
    "corp.",
    "corporation",
    "company",
    "kft",
    "zrt",
    "sp. z o.o.",
    "s.r.o.",
    "a.s.",
    "d.o.o.",
    "sdn bhd",
    "bhd",
    "k.k.",
    "se",
    "mbb",
    "partg",
    "partg mbb",
    "gbr",
    "kgaa",
    "e.k.",
    "eg",
    "rl",
    "sp, rl",
    "pte ltd",
    "pte. ltd.",
    "s.c.",
    "sc",
    "ltd. sti.",
    "ltd. sti",
    "ltd.sti.",
    "a.s.",
    "d.d.",
)

#: Words that mark an organisation name (weaker evidence than a legal suffix).
ORG_WORDS = (
    """
university universidad universidade universite universitat universita college school
institute instituto institut istituto academy academia hospital hospitais clinic clinica
klinik bank banco banque group grupo gruppe groupe gruppo holding holdings solutions
soluciones solucoes systems sistemas systeme technologies technology tecnologia tecnologias
technologie software labs laboratory laboratorio consulting consultoria consultores
consultants partners associates associados industries industria industrie logistics
logistica services servicos servicios agency agencia agence studio studios foundation
fundacao fundacion stiftung association associacao asociacion verein center centre centro
zentrum electronics eletronica electronica elektronik enterprises ventures capital media
design store stores shop restaurant hotel pharmacy farmacia apotheke insurance seguros
versicherung airlines motors trading exports imports freight shipping transport transportes
cafe bar restaurante ristorante trattoria bistro bakery padaria panaderia boulangerie
backerei pastelaria pizzeria salon salao barbearia atelier boutique market mercado gallery
galeria garage advogados abogados avocats avvocati advocaten rechtsanwalte kanzlei
anwaltskanzlei sociedade sociedad societe societa gesellschaft realty properties
products produtos productos produits service communications comunicacoes comunicaciones
associados engineering
grill steakhouse sushi brewery winery dental architects
tnhh jsc ооо оао зао пао ао тоо ип компания группа
""".split()
    + ["cong ty", "co phan"]
)

#: Honorifics that may precede a name.
HONORIFICS = """
mr mrs ms miss mx dr prof sr sra srta dra dr.ª eng eng.ª er ir ing mag dott dott.ssa sig
sig.ra herr frau mme mlle me dipl.-ing. dipl.ing. avv arch geom rag lic arq prof.ª
""".split()

#: Labels that mark a phone line, and the kind of number they announce.
PHONE_LABELS: dict[str, str] = {
    "m": "mobile",
    "mob": "mobile",
    "mobile": "mobile",
    "mobil": "mobile",
    "cell": "mobile",
    "cel": "mobile",
    "c": "mobile",
    "h": "mobile",
    "hp": "mobile",
    "handy": "mobile",
    "gsm": "mobile",
    "celular": "mobile",
    "telemovel": "mobile",
    "telm": "mobile",
    "movil": "mobile",
    "portable": "mobile",
    "port": "mobile",
    "cellulare": "mobile",
    "cellular": "mobile",
    "whatsapp": "mobile",
    "cep": "mobile",
    "wa": "mobile",
    "t": "office",
    "tel": "office",
    "tele": "office",
    "tel.": "office",
    "telephone": "office",
    "telefone": "office",
    "telefono": "office",
    "telefon": "office",
    "phone": "office",
    "ph": "office",
    "p": "office",
    "o": "office",
    "off": "office",
    "office": "office",
    "direct": "office",
    "dir": "office",
    "d": "office",
    "work": "office",
    "fixo": "office",
    "main": "office",
    "appts": "office",
    "fax": "fax",
    "f": "fax",
    "telefax": "fax",
    "tlf": "office",
    "tf": "office",
    # Chinese, Japanese and Korean labels, often printed with no space before the number.
    "電話": "office",
    "电话": "office",
    "電話番号": "office",
    "直通": "office",
    "總機": "office",
    "总机": "office",
    "전화": "office",
    "手機": "mobile",
    "手机": "mobile",
    "携帯": "mobile",
    "携带": "mobile",  # 携帯 as a Chinese-trained reader often prints it
    "携帯電話": "mobile",
    "휴대폰": "mobile",
    "핸드폰": "mobile",
    "휴대전화": "mobile",
    "傳真": "fax",
    "传真": "fax",
    "傅真": "fax",  # 傳真 with its first character misread
    "팩스": "fax",
    # Vietnamese, Russian, Thai, Hindi and Arabic labels (folded: accents and case dropped).
    "dt": "office",
    "đt": "office",
    "dd": "mobile",
    "đd": "mobile",
    "тел": "office",
    "телефон": "office",
    "моб": "mobile",
    "мобильный": "mobile",
    "факс": "fax",
    "โทร": "office",
    "มือถือ": "mobile",
    "แฟกซ์": "fax",
    "फ़ोन": "office",
    "फोन": "office",
    "मोबाइल": "mobile",
    "फैक्स": "fax",
    "هاتف": "office",
    "جوال": "mobile",
    "فاكس": "fax",
}

#: Labels of identifiers that look like phone numbers but are not.
NOT_PHONE_LABELS = """
vat nif nipc cif nie tva mwst ust ust-idnr uid iva piva p.iva cnpj cpf gst gstin pan abn acn
kvk btw siret siren rcs ein tin tax iban bic swift id reg nr no. cod codigo iso since est
vergi vkn mersis nip regon krs steuernummer steuer-nr cf oib
est. fundada founded cp zip plz postcode rg ie crm oab cro crea license licence lic
mst cin crn uen trn npwp инн огрн кпп окпо бик р/с к/с
""".split()

#: Mailbox names that say nothing about the person.
GENERIC_MAILBOXES = """
info contact contacto contato kontakt hello hi office sales vendas ventas admin mail email
enquiries enquiry inquiries support help team hr jobs careers billing accounts booking
reservas reservations welcome service servicos ola hola bonjour hallo ciao geral comercial
marketing press presse
""".split()

#: Second-level labels under a country code that are part of the suffix (``example.co.uk``).
SECOND_LEVEL_LABELS = frozenset({"com", "co", "org", "net", "gov", "edu", "ac", "ne"})

#: Free mail providers: their domains say nothing about the company.
FREE_MAIL_DOMAINS = """
gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol gmx web t-online
protonmail proton mail yandex qq 163 126 uol bol terra ig sapo libero virgilio orange free
wanadoo laposte sfr btinternet sky comcast verizon att sbcglobal rediffmail vsnl zoho
""".split()


@lru_cache(maxsize=1)
def _title_regex() -> re.Pattern[str]:
    words = sorted({fold(w) for w in TITLE_WORDS}, key=len, reverse=True)
    phrases = sorted({fold(p) for p in TITLE_PHRASES}, key=len, reverse=True)
    suffixes = "|".join(TITLE_SUFFIXES)
    alternatives = [re.escape(p) for p in phrases] + [re.escape(w) for w in words]
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"
        r"|\b\w{3,}(?:" + suffixes + r")\b"
    )


def title_hits(text: str) -> int:
    """How many title words or phrases a text holds (none in a dated slogan: "since 1995")."""
    if re.search(r"\b(?:19|20)\d{2}\b", text):
        return 0
    return len(_title_regex().findall(fold(text)))


@lru_cache(maxsize=1)
def _department_regex() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, DEPARTMENT_WORDS)) + r")\b")


def department_hits(text: str) -> int:
    """How many department or region words a text holds."""
    return len(_department_regex().findall(fold(text)))


@lru_cache(maxsize=1)
def _legal_regex() -> re.Pattern[str]:
    suffixes = sorted(LEGAL_SUFFIXES, key=len, reverse=True)
    alternatives = "|".join(re.escape(s) for s in suffixes)
    # A suffix ends the name: followed only by punctuation, or by the line's end.
    return re.compile(r"(?:^|[\s,])(" + alternatives + r")(?=$|[\s,;)]*$)")


#: Legal forms printed before the name (folded): Russian ``ООО «...»``, Vietnamese ``Công ty
#: TNHH ...``.
LEGAL_PREFIXES = ("ооо", "оао", "зао", "пао", "ао", "нао", "ип", "тоо", "тов", "cong ty tnhh",
                  "cong ty co phan", "cong ty cp")  # fmt: skip
_LEGAL_PREFIX = re.compile(r"^(" + "|".join(map(re.escape, LEGAL_PREFIXES)) + r")(?=\s+\S)")


#: A dotted legal form at the end of a line with a zero read for an o (``d.o.0.``, ``S.r.0.``).
_ZERO_IN_FORM = re.compile(r"(?<=\s)((?:[A-Za-z0]{1,3}\.){1,3}[A-Za-z0]{0,3}\.?)\s*$")


def mend_legal_form(text: str) -> str:
    """``text`` with a zero read for an o in a dotted legal form at its end mended, when the
    mended form is one (``Losol Sustavi d.o.0.`` -> ``d.o.o.``)."""
    match = _ZERO_IN_FORM.search(text)
    if not match or "0" not in match.group(1) or not re.search("[A-Za-z]", match.group(1)):
        return text
    mended = text[: match.start(1)] + match.group(1).replace("0", "o") + text[match.end(1) :]
    return mended if legal_suffix(mended) else text


def legal_suffix(text: str) -> str | None:
    """The legal-form suffix ending a company name (``"GmbH"``), or the legal form opening
    it where that is the custom (``"ООО"``, ``"Công ty TNHH"``), or None."""
    if "0" in text[-6:]:
        text = mend_legal_form(text)
    cleaned = fold(text).strip().rstrip(".,;:")
    if len(cleaned.split()) < 2:
        return None
    opening = _LEGAL_PREFIX.match(cleaned)
    if opening and (len(opening.group(1)) > 3 or text.lstrip()[:1].isupper()):
        return opening.group(1)
    # OCR reads l as I at the end of "S.r.l." and "Ltda": try that slip too.
    slip = re.sub(r"i(?=[.]?$)", "l", cleaned)
    match = (
        _legal_regex().search(cleaned)
        or _legal_regex().search(cleaned + ".")
        or _legal_regex().search(slip + ".")
    )
    if not match:
        return None
    suffix = match.group(1)
    # Two-letter suffixes (SA, AG, AB, AS, SE, CO) must be printed in capitals to count.
    if len(suffix.strip(".")) <= 2 and suffix not in ("co.", "lp"):
        raw = text.strip().rstrip(".,;").split()[-1].replace(".", "")
        if not raw.isupper():
            return None
    return suffix


@lru_cache(maxsize=1)
def _org_regex() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ORG_WORDS)) + r")\b")


def org_hits(text: str) -> int:
    """How many organisation words (University, Solutions, Hospital...) a text holds."""
    return len(_org_regex().findall(fold(text)))


def names_an_organisation(text: str) -> bool:
    """True for a line that names an organisation rather than a unit of one: it holds an
    organisation word that is not also a department word ("Engineering", "Logistics") and
    does not start with a department word ("NATIONAL INSTITUTE OF HYDROLOGY", "V. R.
    SIDDHARTHA ENGINEERING COLLEGE"; not "Department of Mechanical Engineering")."""
    folded = fold(text)
    first = re.match(r"\W*(\w+)", folded)
    if first and first.group(1) in DEPARTMENT_WORDS:
        return False
    return any(word not in DEPARTMENT_WORDS for word in _org_regex().findall(folded))


#: Words that name an institution outright ("National Institute of ...", "... College").
_INSTITUTION = re.compile(
    r"\b(?:institute|institut|instituto|university|universit[yaäe]t?|universidad|universidade"
    r"|college|academy|council|hospital|foundation|association|society|authority|ministry)\b"
)


def names_an_institution(text: str) -> bool:
    """True for a line holding a word that names an institution (Institute, College...)."""
    return bool(_INSTITUTION.search(fold(text)))


#: Words of a place that serves customers (a restaurant, a shop): such cards often name no one.
_VENUE = re.compile(
    r"\b(?:restaurant|restaurante|ristorante|trattoria|osteria|pizzeria|bistro|brasserie|cafe"
    r"|diner|dining|cuisine|takeout|take-out|take away|takeaway|delivery|catering|banquet"
    r"|reservations?|sushi|steakhouse|grill|bakery|patisserie|boutique|salon|open 7 days"
    r"|opening hours|store hours|open daily)\b"
)


def names_a_venue(text: str) -> bool:
    """True for a line that speaks of a place that serves customers ("Dining", "Takeout")."""
    return bool(_VENUE.search(fold(text)))


def is_honorific(token: str) -> bool:
    """True for a courtesy title such as ``Dr.``, ``Mrs``, ``Eng.``."""
    folded = fold(token).strip(",")
    return folded in HONORIFICS or folded.rstrip(".") in HONORIFICS


def phone_label_kind(label: str) -> str | None:
    """The phone kind a label announces (``"Fax"`` gives ``"fax"``), or None."""
    key = fold(label).strip(" .:-/()")
    # Hangul labels are looked up as printed: folding splits their syllables into letters.
    return PHONE_LABELS.get(key) or PHONE_LABELS.get(label.strip(" .:-/()："))


#: A line wholly in brackets without a number: an aside about the organisation ("(Ministry of
#: Water Resources, Govt. of India)", "(A Tata Enterprise)"), neither its name nor its address.
_ASIDE = re.compile(r"\s*\([^\d()]*\)\s*")


def is_aside(text: str) -> bool:
    """True for a line wholly in brackets without a number (see ``_ASIDE``)."""
    return bool(_ASIDE.fullmatch(text))


def is_not_phone_label(label: str) -> bool:
    """True for labels of identifiers that are not phones (VAT, NIF, IBAN, ID...)."""
    key = fold(label).strip(" :#-/()")
    return key in NOT_PHONE_LABELS or key.rstrip(".") in NOT_PHONE_LABELS
