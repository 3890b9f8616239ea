"""An address read from a card, split into street, city, region, postcode and country.

US addresses ("1 Market St, Suite 300, San Francisco, CA 94179, USA") go through
``usaddress``, a conditional-random-field parser trained on US addresses whose model ships in
the wheel (nothing is downloaded). libpostal would cover every country but needs a 2 GB model
download at run time, and no other offline parser on PyPI or in Debian covers Europe, so the
other formats are split by their structure: the country last, then the part holding the
postcode, which says where the city is (``1100-048 Lisboa``, ``1012 AB Amsterdam``, ``London
SW1A 2AA``, ``London, SW1A 2AA``), with a region code beside the postcode in the countries
that write one (``Toronto, ON M5V 2T6``, ``Sydney NSW 2000``, ``00184 Roma RM``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardscan.followups import clean_text, one_line

#: Postcodes as printed: US ZIP(+4), most of Europe (4-5 digits, Portugal's 1100-048, Poland's
#: 00-950), the Netherlands (1012 AB), the UK (SW1A 2AA) and Canada (M5V 2T6).
_POSTCODE = re.compile(
    r"\b(?:\d{4}\s?[A-Z]{2}(?![A-Za-z])|\d{4,5}(?:-\d{3,4})?|\d{2}-\d{3}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
)
#: A region code written beside the postcode (US state, Canadian province, Australian state).
_REGION = re.compile(r"[A-Z]{2,3}")
_CITY_REGION = re.compile(r"(.*\S)\s+([A-Z]{2,3})")
_US = frozenset({"us", "usa", "u.s.a.", "u.s.", "united states", "united states of america"})
_REGION_COUNTRIES = _US | {"canada", "australia"}
#: Country names (and common short forms) that end an address line on a card.
COUNTRIES = (
    frozenset(
        """argentina australia austria belgium brasil brazil canada chile china colombia croatia
        czechia denmark deutschland espana españa estonia finland france germany greece
        hungary india ireland israel italia italy japan latvia lithuania luxembourg mexico
        netherlands nederland norway poland portugal romania schweiz singapore slovakia
        slovenia spain sweden switzerland uk türkiye turkey ukraine österreich""".split()
    )
    | _US
    | {
        "united kingdom",
        "south africa",
        "new zealand",
        "the netherlands",
        "south korea",
        "hong kong",
        "czech republic",
    }
)
#: usaddress labels that belong to the city, region, postcode and country; the rest is street.
_US_PLACE = {
    "PlaceName": "city",
    "StateName": "region",
    "ZipCode": "code",
    "CountryName": "country",
}
_US_TAIL = re.compile(r",?\s*\b[A-Z]{2}\s+\d{5}(?:-\d{4})?$")


@dataclass(frozen=True)
class AddressParts:
    """An address split for vCard ADR and CSV columns; unsplittable text stays in ``street``."""

    street: str = ""
    city: str = ""
    code: str = ""
    country: str = ""
    region: str = ""


def split_address(address: str | None) -> AddressParts:
    """Split an address into street, city, region, postcode and country.

    Returns:
        The parts; an address whose structure is not recognised is all ``street`` (on one
        line), so nothing is lost or put in the wrong field.
    """
    text = clean_text(address).strip()
    if not text:
        return AddressParts()
    parts = [one_line(p) for p in re.split(r"[\n,]+", text) if one_line(p)]
    country = parts[-1] if len(parts) >= 2 and parts[-1].lower() in COUNTRIES else ""
    if country.lower() in _US or (not country and _US_TAIL.search(", ".join(parts))):
        if us := _split_us(parts):
            return us
    return _split_by_structure(parts, country)


def _split_us(parts: list[str]) -> AddressParts | None:
    """A US address through usaddress; None when it cannot label it unambiguously."""
    import usaddress

    try:
        tokens = usaddress.parse(", ".join(parts))
    except Exception:  # noqa: BLE001 - usaddress raises its own errors for odd input
        return None
    fields: dict[str, list[str]] = {k: [] for k in ("street", "city", "region", "code", "country")}
    for token, label in tokens:
        fields[_US_PLACE.get(label, "street")].append(token)
    found = {k: " ".join(v).strip(" ,") for k, v in fields.items()}
    if not (found["city"] and (found["region"] or found["code"])):
        return None
    return AddressParts(**found)


def _split_by_structure(parts: list[str], country: str) -> AddressParts:
    """Any other format: the country last, the postcode's part, the city beside it."""
    rest = parts[:-1] if country else list(parts)
    for index in range(len(rest) - 1, 0, -1):  # the street is never the first part's postcode
        m = _POSTCODE.search(rest[index])
        if not m:
            continue
        code = m.group(0)
        beside = one_line(rest[index][: m.start()] + " " + rest[index][m.end() :])
        region = ""
        if _REGION.fullmatch(beside) and (country.lower() in _REGION_COUNTRIES or not country):
            region, beside = beside, ""
        elif m := _CITY_REGION.fullmatch(beside):  # "Sydney NSW", "Roma RM", "São Paulo SP"
            beside, region = m.group(1), m.group(2)
        if beside:
            return AddressParts(", ".join(rest[:index]), beside, code, country, region)
        if index >= 2:  # "London, SW1A 2AA" or "Toronto, ON M5V 2T6": the city is before
            return AddressParts(
                ", ".join(rest[: index - 1]), rest[index - 1], code, country, region
            )
        return AddressParts(rest[0], "", code, country, region)
    if country and len(rest) >= 2:
        return AddressParts(", ".join(rest[:-1]), rest[-1], "", country)
    return AddressParts(street=", ".join(parts))
