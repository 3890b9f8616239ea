"""Table-driven cards: invented people and companies in many countries and languages.

Each case is OCR lines (laid out by ``lines_from_text``) and the fields a careful reader
would write down. Only the fields named in ``expected`` are checked; ``None`` means the
field must stay empty. Phones are given in E.164 (or bare digits when they do not parse).
More cards, in the same form, are in ``test_extract_cards_more.py``.
"""

from __future__ import annotations

import pytest

from cardscan.reading.extract import extract_contact
from tests.support.extract_support import card_params, check_card, lines_from_text

CARDS = [
    (
        "pt-porto",
        """
        ## Vinhedo Azul
        # Joana Ferreira
        Diretora Comercial
        Vinhedo Azul, Lda.
        Rua das Flores 123, 4050-262 Porto
        Tel: +351 222 345 678
        Telemóvel: +351 912 345 678
        joana.ferreira@vinhedoazul.pt
        www.vinhedoazul.pt
        NIF 509 876 543
        """,
        {
            "name": "Joana Ferreira",
            "title": "Diretora Comercial",
            "company": "Vinhedo Azul, Lda.",
            "emails": ["joana.ferreira@vinhedoazul.pt"],
            "phones": ["+351222345678", "+351912345678"],
            "websites": ["www.vinhedoazul.pt"],
            "address": "Rua das Flores 123, 4050-262 Porto",
        },
    ),
    (
        "de-stuttgart",
        """
        ## NORDWERK
        # Dr. Klaus Brandt
        Geschäftsführer
        Nordwerk Maschinenbau GmbH
        Industriestraße 12
        70565 Stuttgart
        Deutschland
        Tel. +49 711 123456-0
        Fax +49 711 123456-99
        Mobil +49 171 2345678
        k.brandt@nordwerk.de
        USt-IdNr. DE123456789
        """,
        {
            "name": "Dr. Klaus Brandt",
            "title": "Geschäftsführer",
            "company": "Nordwerk Maschinenbau GmbH",
            "emails": ["k.brandt@nordwerk.de"],
            "phones": ["+497111234560", "+4971112345699", "+491712345678"],
            "address": "Industriestraße 12, 70565 Stuttgart, Deutschland",
        },
    ),
    (
        "es-madrid-two-columns",
        """
        ## TALLERES ORTEGA
        # María José Ortega
        Directora de Operaciones
        m.ortega@talleresortega.es || C/ Mayor 15, 2º B
        Móvil: 612 34 56 78 || 28013 Madrid
        Tel.: 91 123 45 67 || España
        """,
        {
            "name": "María José Ortega",
            "title": "Directora de Operaciones",
            "company": "TALLERES ORTEGA",
            "emails": ["m.ortega@talleresortega.es"],
            "phones": ["+34612345678", "+34911234567"],
            "websites": [],
            "address": "C/ Mayor 15, 2º B, 28013 Madrid, España",
        },
    ),
    (
        "fr-lyon",
        """
        # Camille Dubois
        Responsable Marketing
        ATELIER LUMIÈRE SARL
        12 rue de la République
        69002 Lyon, France
        Tél : 04 78 12 34 56
        Port : 06 12 34 56 78
        camille.dubois@atelier-lumiere.fr
        atelier-lumiere.fr
        """,
        {
            "name": "Camille Dubois",
            "title": "Responsable Marketing",
            "company": "ATELIER LUMIÈRE SARL",
            "emails": ["camille.dubois@atelier-lumiere.fr"],
            "phones": ["+33478123456", "+33612345678"],
            "websites": ["atelier-lumiere.fr"],
            "address": "12 rue de la République, 69002 Lyon, France",
        },
    ),
    (
        "it-milano",
        """
        ## Ferretti & Rossi
        # Giulia Rossi
        Responsabile Vendite
        Ferretti & Rossi S.r.l.
        Via Garibaldi 45, 20121 Milano (MI)
        Tel. +39 02 1234 5678
        Cell. +39 347 123 4567
        giulia.rossi@ferrettirossi.it
        P.IVA 01234567890
        """,
        {
            "name": "Giulia Rossi",
            "title": "Responsabile Vendite",
            "company": "Ferretti & Rossi S.r.l.",
            "emails": ["giulia.rossi@ferrettirossi.it"],
            "phones": ["+390212345678", "+393471234567"],
            "address": "Via Garibaldi 45, 20121 Milano (MI)",
        },
    ),
    (
        "nl-amsterdam-iban",
        """
        # Sanne de Vries
        Accountmanager
        Groenhuis B.V.
        Keizersgracht 221
        1016 DV Amsterdam
        T +31 20 123 4567
        M +31 6 12345678
        sanne@groenhuis.nl
        www.groenhuis.nl
        KvK 12345678
        IBAN NL91 ABNA 0417 1643 00
        """,
        {
            "name": "Sanne de Vries",
            "title": "Accountmanager",
            "company": "Groenhuis B.V.",
            "phones": ["+31201234567", "+31612345678"],
            "websites": ["www.groenhuis.nl"],
            "address": "Keizersgracht 221, 1016 DV Amsterdam",
        },
    ),
    (
        "uk-leeds-social",
        """
        ## harbour & finch
        # Oliver Bennett
        Senior Software Engineer
        Harbour & Finch Ltd
        3 Albion Place, Leeds LS1 6JL
        United Kingdom
        T: +44 113 496 0123
        M: 07912 345678
        oliver.bennett@harbourfinch.co.uk
        linkedin.com/in/oliverbennett
        """,
        {
            "name": "Oliver Bennett",
            "title": "Senior Software Engineer",
            "company": "Harbour & Finch Ltd",
            "phones": ["+441134960123", "+447912345678"],
            "websites": [],
            "socials": ["linkedin.com/in/oliverbennett"],
            "address": "3 Albion Place, Leeds LS1 6JL, United Kingdom",
        },
    ),
    (
        "us-san-francisco",
        """
        # Jessica Alvarez
        VP of Engineering
        BRIGHTLOOP, INC.
        1450 Market Street, Suite 300
        San Francisco, CA 94103
        Office (415) 555-0132
        Cell (415) 555-0178
        jalvarez@brightloop.com
        brightloop.com
        twitter: @jalvarez
        """,
        {
            "name": "Jessica Alvarez",
            "title": "VP of Engineering",
            "company": "BRIGHTLOOP, INC.",
            "emails": ["jalvarez@brightloop.com"],
            "phones": ["+14155550132", "+14155550178"],
            "websites": ["brightloop.com"],
            "socials": ["x.com/jalvarez"],
            "address": "1450 Market Street, Suite 300, San Francisco, CA 94103",
        },
    ),
    (
        "br-sao-paulo",
        """
        ## Padaria Sol
        # Carlos Eduardo Souza
        Gerente
        Padaria Sol Ltda.
        Av. Paulista, 1000 - Sala 12
        Bela Vista, São Paulo - SP, 01310-100
        (11) 3456-7890
        (11) 98765-4321
        carlos@padariasol.com.br
        CNPJ 12.345.678/0001-90
        """,
        {
            "name": "Carlos Eduardo Souza",
            "title": "Gerente",
            "company": "Padaria Sol Ltda.",
            "phones": ["+551134567890", "+5511987654321"],
            "address": "Av. Paulista, 1000 - Sala 12, Bela Vista, São Paulo - SP, 01310-100",
        },
    ),
    (
        "mx-cdmx",
        """
        # Luis Hernández
        Ingeniero de Proyectos
        Constructora Alba S.A. de C.V.
        Av. Insurgentes Sur 1234, Col. Del Valle
        03100 Ciudad de México, México
        +52 55 1234 5678
        lhernandez@constructoraalba.mx
        """,
        {
            "name": "Luis Hernández",
            "title": "Ingeniero de Proyectos",
            "company": "Constructora Alba S.A. de C.V.",
            "phones": ["+525512345678"],
            "address": "Av. Insurgentes Sur 1234, Col. Del Valle, 03100 Ciudad de México, México",
        },
    ),
    (
        "ch-zurich",
        """
        # Anna Keller
        Leiterin Finanzen
        Alpenblick AG
        Bahnhofstrasse 7, 8001 Zürich
        +41 44 123 45 67
        anna.keller@alpenblick.ch
        """,
        {
            "name": "Anna Keller",
            "title": "Leiterin Finanzen",
            "company": "Alpenblick AG",
            "phones": ["+41441234567"],
            "address": "Bahnhofstrasse 7, 8001 Zürich",
        },
    ),
    (
        "be-liege-vat",
        """
        # Thomas Lambert
        Ingénieur commercial
        Techno Wallonie SA
        Rue du Commerce 8, B-4000 Liège, Belgique
        GSM +32 475 12 34 56
        thomas.lambert@technowallonie.be
        TVA BE 0123.456.789
        """,
        {
            "name": "Thomas Lambert",
            "title": "Ingénieur commercial",
            "company": "Techno Wallonie SA",
            "phones": ["+32475123456"],
            "address": "Rue du Commerce 8, B-4000 Liège, Belgique",
        },
    ),
    (
        "in-chennai",
        """
        # R. Venkatesh
        Senior Manager - Sales
        Sri Lakshmi Textiles Pvt. Ltd.
        No. 45, Nehru Street, Anna Nagar
        Chennai - 600 017
        Mobile: 98401 23456
        Ph: 044-2434 5678
        venkatesh@srilakshmitextiles.in
        GSTIN: 33AABCS1234F1Z5
        """,
        {
            "name": "R. Venkatesh",
            "title": "Senior Manager - Sales",
            "company": "Sri Lakshmi Textiles Pvt. Ltd.",
            "phones": ["+919840123456", "+914424345678"],
            "address": "No. 45, Nehru Street, Anna Nagar, Chennai - 600 017",
        },
    ),
    (
        "au-bondi",
        """
        # Mia Thompson
        Founder & Creative Director
        Saltwater Studio Pty Ltd
        42 Beach Road, Bondi NSW 2026
        0412 345 678
        hello@saltwaterstudio.com.au
        saltwaterstudio.com.au
        instagram: @saltwaterstudio
        """,
        {
            "name": "Mia Thompson",
            "title": "Founder & Creative Director",
            "company": "Saltwater Studio Pty Ltd",
            "emails": ["hello@saltwaterstudio.com.au"],
            "phones": ["+61412345678"],
            "websites": ["saltwaterstudio.com.au"],
            "socials": ["instagram.com/saltwaterstudio"],
            "address": "42 Beach Road, Bondi NSW 2026",
        },
    ),
    (
        "se-stockholm",
        """
        # Erik Lindqvist
        Chief Technology Officer
        Nordljus AB
        Sveavägen 44, 111 34 Stockholm, Sweden
        +46 70 123 45 67
        erik.lindqvist@nordljus.se
        """,
        {
            "name": "Erik Lindqvist",
            "title": "Chief Technology Officer",
            "company": "Nordljus AB",
            "phones": ["+46701234567"],
            "address": "Sveavägen 44, 111 34 Stockholm, Sweden",
        },
    ),
    (
        "shop-no-person",
        """
        ## PIZZERIA NAPOLI
        Pizza, Pasta & Vino
        Via Roma 10, 80100 Napoli
        Tel. 081 123 4567
        www.pizzerianapoli.it
        """,
        {
            "name": None,
            "title": None,
            "company": "PIZZERIA NAPOLI",
            "phones": ["+390811234567"],
            "websites": ["www.pizzerianapoli.it"],
            "address": "Via Roma 10, 80100 Napoli",
        },
    ),
    (
        "us-name-at-bottom",
        """
        ## QUANTIX SYSTEMS
        Quantix Systems, Inc.
        200 Innovation Drive
        Austin, TX 78701
        (512) 555-0190
        Fax (512) 555-0191

        Priya Raman || praman@quantix.io
        Data Scientist || www.quantix.io
        """,
        {
            "name": "Priya Raman",
            "title": "Data Scientist",
            "company": "Quantix Systems, Inc.",
            "emails": ["praman@quantix.io"],
            "phones": ["+15125550190", "+15125550191"],
            "websites": ["www.quantix.io"],
            "address": "200 Innovation Drive, Austin, TX 78701",
        },
    ),
    (
        "pt-two-line-title",
        """
        # Sofia Marques
        Head of Product
        Payments & Risk
        sofia.marques@pagafacil.pt
        +351 210 000 111
        """,
        {
            "name": "Sofia Marques",
            "title": "Head of Product, Payments & Risk",
            "company": None,
            "phones": ["+351210000111"],
            "address": None,
        },
    ),
    (
        "pl-warszawa-caps",
        """
        ## KRONOS LOGISTICS
        # HANNA NOWAK
        hanna.nowak@kronoslogistics.pl
        +48 601 234 567
        ul. Marszałkowska 10, 00-590 Warszawa, Polska
        """,
        {
            "name": "HANNA NOWAK",
            "company": "KRONOS LOGISTICS",
            "phones": ["+48601234567"],
            "address": "ul. Marszałkowska 10, 00-590 Warszawa, Polska",
        },
    ),
    (
        "socials-only",
        """
        # Dev Patel
        Developer Advocate
        github.com/devpatel
        linkedin.com/in/dev-patel
        x.com/devpatel
        dev@opencanvas.dev
        """,
        {
            "name": "Dev Patel",
            "title": "Developer Advocate",
            "websites": [],
            "socials": ["github.com/devpatel", "linkedin.com/in/dev-patel", "x.com/devpatel"],
            "emails": ["dev@opencanvas.dev"],
        },
    ),
    (
        "glued-email-label",
        """
        # Marta Kowalczyk
        Project Manager
        Emarta.kowalczyk@bluefield.eu
        Tel +48 22 123 45 67
        """,
        {
            "name": "Marta Kowalczyk",
            "title": "Project Manager",
            "emails": ["marta.kowalczyk@bluefield.eu"],
            "phones": ["+48221234567"],
        },
    ),
]

#: Cards the extractor still reads wrong, and why (strict: they fail the day it is fixed).
KNOWN_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(("text", "expected"), card_params(CARDS, KNOWN_GAPS))
def test_card(text, expected):
    contact = extract_contact(lines_from_text(text))
    assert check_card(contact, expected) == []
