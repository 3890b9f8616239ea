"""Latin cards never seen: kinds of failure, each on an invented card."""

from __future__ import annotations

import pytest

from cardscan.models import Box, Line, OcrResult
from cardscan.reading.extract import extract_contact
from tests.support.extract_support import check_fields


def _card(*rows: tuple[str, int, int, int]) -> OcrResult:
    """Lines as (text, x, y, glyph height) on a 1600 x 1000 card."""
    lines = tuple(
        Line(text, Box(x, y, max(20, len(text) * h // 2), h), 0.98) for text, x, y, h in rows
    )
    return OcrResult(lines=lines, engine="test", width=1600, height=1000)


#: (id, the card's lines as (text, x, y, glyph height), what is read). Besides the contact's
#: fields: "e164" (the phones' numbers), "address_ends" (the address's end) and
#: "address_lacks" (a text the address must not hold).
CARDS = [
    (
        "the_legal_form_printed_under_the_name_of_the_company_joins_it",
        [
            ("Priya Raman", 60, 250, 60),
            ("Solutions Architect", 60, 320, 50),
            ("priya@brightwave.example", 60, 450, 50),
            ("Brightwave", 850, 420, 100),
            ("Media Limited", 860, 515, 70),
            ("Phone: +91-40-2323 3444", 850, 750, 50),
        ],
        {"company": "Brightwave Media Limited"},
    ),
    (
        "the_work_address_wins_over_the_home_address",
        [
            ("Dr Arun Mehta", 300, 200, 70),
            ("Associate Professor", 300, 290, 60),
            ("Hillview Institute of Technology", 80, 420, 70),
            ("Gachibowli, Hyderabad - 500 032, India", 200, 520, 70),
            ("Residence : Flat No. 7C, Lake View Towers, Madhapur,", 80, 640, 60),
            ("Hyderabad-500081, Telangana, India.", 300, 700, 60),
        ],
        {"address_ends": "Gachibowli, Hyderabad - 500 032, India", "address_lacks": "Flat"},
    ),
    (
        "the_legal_name_wins_over_the_wordmark_that_abbreviates_it",
        [
            ("ncsplus", 80, 60, 110),
            ("Dana Whitley", 80, 300, 60),
            ("Regional Sales Lead", 80, 370, 45),
            ("dana.whitley@ncsplus.example", 80, 450, 45),
            ("Northern Cargo Systems Limited", 80, 800, 45),
        ],
        {"company": "Northern Cargo Systems Limited"},
    ),
    (
        "a_title_stops_at_the_college_it_is_held_at",
        [
            ("Dr. S. K. Bhaskar", 400, 200, 70),
            ("Professor & Head", 560, 290, 55),
            ("Department of Civil Engineering", 360, 350, 55),
            ("GREENFIELD ENGINEERING COLLEGE", 220, 420, 60),
            ("Guntur - 522 002, A.P.", 500, 500, 55),
            ("E-mail : skbhaskar@greenfield.example", 300, 620, 50),
        ],
        {
            "title": "Professor & Head, Department of Civil Engineering",
            "company": "GREENFIELD ENGINEERING COLLEGE",
        },
    ),
    (
        "the_organisation_heading_and_its_aside_stay_out_of_the_address",
        [
            ("Dr Meera Pillai", 400, 180, 70),
            ("Senior Scientist", 480, 260, 55),
            ("CENTRAL INSTITUTE OF FISHERIES", 200, 380, 65),
            ("(Indian Council of Agricultural Research, Govt. of India)", 120, 455, 55),
            ("Matsyapuri, Visakhapatnam - 530 003, India", 180, 520, 55),
            ("Phone : 0891 2543 210", 300, 640, 50),
        ],
        {"address": "Matsyapuri, Visakhapatnam - 530 003, India"},
    ),
    (
        "an_address_printed_on_the_phone_line_is_found",
        [
            ("118 Harbour Road, Eastport, ME 04631 Tel: (207) 555-0142", 80, 80, 40),
            ("www.harbourcycles.example", 400, 140, 40),
            ("DANA MORROW", 420, 260, 60),
            ("Service Manager", 450, 340, 45),
        ],
        {"address": "118 Harbour Road, Eastport, ME 04631", "e164": ["+12075550142"]},
    ),
    (
        "a_phone_line_with_a_city_name_is_no_address",
        [
            ("Lena Vogt", 80, 100, 60),
            ("Head of Design", 80, 180, 45),
            ("Studio Vogt GmbH", 80, 260, 45),
            ("Mobil Berlin: +49 151 2345 6789", 80, 400, 40),
        ],
        {"address": None},
    ),
    (
        "an_institute_heading_wins_over_a_logo_word_and_its_bracketed_ministry",
        [
            ("Kirat", 60, 60, 150),
            ("Dr Meera Iyer", 400, 300, 70),
            ("Associate Professor", 400, 380, 60),
            ("NATIONAL INSTITUTE OF OCEAN STUDIES", 100, 500, 70),
            ("(Ministry of Earth Sciences, Government of India)", 150, 580, 70),
            ("REGIONAL FIELD CENTRE", 300, 660, 60),
            ("Kochi - 682 018, Kerala, India", 300, 740, 60),
        ],
        {"company": "NATIONAL INSTITUTE OF OCEAN STUDIES", "address_lacks": "Ministry"},
    ),
    (
        "a_title_carries_on_over_unit_lines_when_the_company_is_printed_elsewhere",
        [
            ("Anil Varma", 900, 80, 60),
            ("Head of Delivery", 900, 150, 50),
            ("Cloud Platform Services", 900, 210, 50),
            ("Nimbus Data Systems Pvt. Ltd.", 80, 600, 70),
            ("anil.varma@nimbusdata.example", 80, 800, 50),
        ],
        {
            "title": "Head of Delivery, Cloud Platform Services",
            "company": "Nimbus Data Systems Pvt. Ltd.",
        },
    ),
    (
        "a_company_under_the_title_stays_the_company_when_no_legal_name_is_elsewhere",
        [
            ("Anil Varma", 900, 80, 60),
            ("Head of Delivery", 900, 150, 50),
            ("Cloud Platform Services", 900, 210, 50),
            ("anil.varma@cloudplatform.example", 80, 800, 50),
        ],
        {"title": "Head of Delivery", "company": "Cloud Platform Services"},
    ),
    (
        # An organisation word on a line read with 0.98 confidence used to fall just under the
        # company bar; a dental practice or a grill is a company.
        "a_practice_named_by_its_business_word_is_the_company",
        [
            ("JANE R. OKAFOR, D.D.S.", 300, 200, 55),
            ("Riverside Family Dental", 330, 270, 50),
            ("88 Harbor Street, Suite 4", 800, 600, 40),
            ("Portland, ME 04101", 800, 650, 40),
            ("Tel: 207-555-0187", 80, 600, 40),
        ],
        {"company": "Riverside Family Dental"},
    ),
    (
        # A zero read for the o of a dotted legal form: still the legal form, mended.
        "a_legal_form_with_a_zero_for_an_o",
        [
            ("Marel Sustavi d.o.0.", 80, 80, 70),
            ("ivana horvat", 80, 220, 90),
            ("Voditeljica prodaje", 80, 310, 60),
            ("Email ivana.horvat@marel.example", 80, 520, 55),
        ],
        {"company": "Marel Sustavi d.o.o."},
    ),
    (
        # A slogan of name shape is no person when nothing on the card says one is there.
        "a_restaurant_card_with_no_person_has_no_name",
        [
            ("Fresh Taste", 430, 120, 90),
            ("Osteria", 560, 260, 120),
            ("* Unique & Courteous Dining Experience *", 70, 420, 60),
            ("TAKEOUT (Delivery Available)", 240, 520, 60),
            ("Tel: (650) 555 - 0187", 100, 620, 60),
            ("2200 Alma Street, Palo Alto, CA 94301", 70, 720, 60),
        ],
        {"name": None, "company": "Osteria", "address": "2200 Alma Street, Palo Alto, CA 94301"},
    ),
    (
        # An e-mail like the name, or initials, say a person: the name stays without a title.
        "no_title_name_stays_by_mail",
        [
            ("Marta Keller", 80, 120, 80),
            ("Keller Orchards", 80, 300, 60),
            ("marta.keller@orchards.example", 80, 420, 50),
            ("Tel: (650) 555 - 0188", 80, 500, 50),
        ],
        {"name": "Marta Keller"},
    ),
    (
        "no_title_name_stays_initials",
        [
            ("MARK D. WENTZ", 80, 120, 80),
            ("Comprehensive Dental Care", 80, 300, 60),
            ("Ph: 412-555-0133", 80, 420, 50),
        ],
        {"name": "MARK D. WENTZ"},
    ),
    (
        # No title and nothing that says person, but no shop or restaurant either.
        "no_title_name_stays_plain",
        [
            ("Ana Ruiz", 80, 120, 60),
            ("Maria Lopez", 80, 220, 60),
            ("info@northwind.example", 80, 320, 50),
        ],
        {"name": "Ana Ruiz"},
    ),
    (
        # The address sits in the right column under the company and its list of services.
        "an_indian_address_with_floors_by_ordinal_and_a_pin_in_two_groups",
        [
            ("RAVI SHANKAR", 60, 250, 60),
            ("Network Engineer", 60, 320, 50),
            ("ravi@brightwave.example", 60, 450, 50),
            ("Brightwave", 850, 420, 100),
            ("Media Limited", 860, 515, 70),
            ("Broadband • Hosting • Design Studio", 860, 600, 45),
            ("2nd & 3rd Floors, Lakshmi Towers", 860, 655, 50),
            ("Begumpet, Hyderabad 500 016", 860, 705, 50),
            ("Phone:+91-40-2323 3444", 860, 760, 50),
        ],
        {"address": "2nd & 3rd Floors, Lakshmi Towers, Begumpet, Hyderabad 500 016"},
    ),
    (
        "a_city_and_pin_line_alone_is_the_address_over_a_residence",
        [
            ("Dr. K. S. RAO", 400, 380, 80),
            ("Professor & Head", 580, 520, 60),
            ("Department of Civil Engineering", 340, 570, 70),
            ("GODAVARI INSTITUTE OF TECHNOLOGY", 210, 630, 70),
            ("Rajahmundry - 533 103, A.P.", 470, 700, 70),
            ("Residence : D.No. 4-12-7, Gandhi St., Rajahmundry-533 101.", 20, 780, 70),
        ],
        {"address": "Rajahmundry - 533 103, A.P."},
    ),
]


@pytest.mark.parametrize(("rows", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CARDS])
def test_a_kind_of_latin_card(rows, expected):
    check_fields(extract_contact(_card(*rows)), expected)


def test_titles_in_more_languages_and_of_academia():
    from cardscan.reading.extract.lexicon import title_hits

    for title in ("Visiting Scholar", "Research Fellow", "Genel Müdür", "Voditeljica prodaje",
                  "Dyrektor handlowy", "Kierownik projektu"):  # fmt: skip
        assert title_hits(title), title
