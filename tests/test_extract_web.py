"""Websites and social profiles, and dotted words that are not websites."""

from __future__ import annotations

import pytest

from cardscan.reading.extract.web import find_web


@pytest.mark.parametrize(
    ("line", "sites", "socials"),
    [
        ("www.exemplo.com.br", ["www.exemplo.com.br"], []),
        ("Website:www.Beispiel.DE", ["www.beispiel.de"], []),
        ("https://studio-nove.it/contatti/", ["studio-nove.it/contatti"], []),
        ("EXEMPLO.PT", ["exemplo.pt"], []),
        ("acme.io | linkedin.com/in/ana-ruiz", ["acme.io"], ["linkedin.com/in/ana-ruiz"]),
        ("x.com/anaruiz", [], ["x.com/anaruiz"]),
        ("Twitter: @anaruiz", [], ["x.com/anaruiz"]),
        ("IG: @padaria.sol", [], ["instagram.com/padaria.sol"]),
        ("skype: ana.ruiz-acme", [], ["skype:ana.ruiz-acme"]),
        ("github.com/octo-dev", [], ["github.com/octo-dev"]),
        ("ana@exemplo.pt", [], []),
        ("Dr.A.K. Rao MD., Ph.D., FRCS.", [], []),
        ("R.S.Puram road, A.B.Colony", [], []),
        ("Salem Dt., Kerala. India.", [], []),
        ("S.RAMAN", [], []),
        ("Austin.TX 78701", [], []),
        ("Co.Ltd", [], []),
        # A network's host with one OCR slip, before a profile path, is that network.
        ("hinkedin.com/in/kevin-obrien", [], ["linkedin.com/in/kevin-obrien"]),
        ("www.linkedln.com/in/ana", [], ["linkedin.com/in/ana"]),
        ("instagran.com/padaria.sol", [], ["instagram.com/padaria.sol"]),
        # ...but never a site without a path.
        ("acebook.com", ["acebook.com"], []),
        # The dot OCR dropped after www.
        ("wwwromar.hr", ["www.romar.hr"], []),
        ("www2.example.com", ["www2.example.com"], []),
    ],
)
def test_find_web(line, sites, socials):
    hits = find_web(line)
    assert [h.url for h in hits if not h.social] == sites
    assert [h.url for h in hits if h.social] == socials
