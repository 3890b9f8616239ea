"""Addresses split into street, city, region, postcode and country, per country format (the
cases: tests/data/exports/addresses.toml)."""

from __future__ import annotations

import pytest

from cardscan.exports.address import AddressParts, split_address
from tests.support.tables import cases


@pytest.mark.parametrize(
    ("address", "street", "city", "region", "code", "country"),
    cases("exports/addresses", "by_country_format"),
)
def test_split_by_country_format(address, street, city, region, code, country):
    assert split_address(address) == AddressParts(street, city, code, country, region)


@pytest.mark.parametrize("address", ["Somewhere street 5", "Building B\nfloor 3", "", None])
def test_what_is_not_recognised_stays_whole_in_street(address):
    parts = split_address(address)
    assert (parts.city, parts.code, parts.region, parts.country) == ("", "", "", "")
    assert parts.street == " ".join((address or "").replace("\n", ", ").split())
