"""Addresses split into street, city, region, postcode and country, per country format."""

from __future__ import annotations

import pytest

from cardscan.exports.address import AddressParts, split_address


@pytest.mark.parametrize(
    ("address", "street", "city", "region", "code", "country"),
    [
        ("1 Market St, Suite 300, San Francisco, CA 94179, USA",
         "1 Market St, Suite 300", "San Francisco", "CA", "94179", "USA"),
        ("350 Fifth Avenue, New York, NY 10118", "350 Fifth Avenue", "New York", "NY", "10118", ""),
        ("Unit 5, 1 Infinite Loop, Cupertino, CA 95014, United States",
         "Unit 5, 1 Infinite Loop", "Cupertino", "CA", "95014", "United States"),
        ("Rua Augusta 1, 1100-048 Lisboa, Portugal",
         "Rua Augusta 1", "Lisboa", "", "1100-048", "Portugal"),
        ("10 Downing Street, London SW1A 2AA, United Kingdom",
         "10 Downing Street", "London", "", "SW1A 2AA", "United Kingdom"),
        ("10 Downing Street, London, SW1A 2AA, UK",
         "10 Downing Street", "London", "", "SW1A 2AA", "UK"),
        ("Keizersgracht 1, 1012 AB Amsterdam, Netherlands",
         "Keizersgracht 1", "Amsterdam", "", "1012 AB", "Netherlands"),
        ("100 King St W, Toronto, ON M5V 2T6, Canada",
         "100 King St W", "Toronto", "ON", "M5V 2T6", "Canada"),
        ("1 George St, Sydney NSW 2000, Australia",
         "1 George St", "Sydney", "NSW", "2000", "Australia"),
        ("Via Roma 1, 00184 Roma RM, Italy", "Via Roma 1", "Roma", "RM", "00184", "Italy"),
        ("Av. Paulista 1, 01310-100 São Paulo SP, Brasil",
         "Av. Paulista 1", "São Paulo", "SP", "01310-100", "Brasil"),
        ("ul. Marszałkowska 1, 00-950 Warszawa, Poland",
         "ul. Marszałkowska 1", "Warszawa", "", "00-950", "Poland"),
        ("Friedrichstr. 10, 10117 Berlin", "Friedrichstr. 10", "Berlin", "", "10117", ""),
        ("Calle Mayor 5, Madrid, Spain", "Calle Mayor 5", "Madrid", "", "", "Spain"),
    ],
)  # fmt: skip
def test_split_by_country_format(address, street, city, region, code, country):
    assert split_address(address) == AddressParts(street, city, code, country, region)


@pytest.mark.parametrize("address", ["Somewhere street 5", "Building B\nfloor 3", "", None])
def test_what_is_not_recognised_stays_whole_in_street(address):
    parts = split_address(address)
    assert (parts.city, parts.code, parts.region, parts.country) == ("", "", "", "")
    assert parts.street == " ".join((address or "").replace("\n", ", ").split())
