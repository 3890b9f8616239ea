"""vCard 3.0 output parses back with vobject to the same data."""

from __future__ import annotations

import base64

import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.exports.fields import clean_text, one_line, split_address
from cardscan.exports.vcard import build_vcards
from cardscan.models import Phone
from tests.support.followup_data import EVENT, HOSTILE, contact

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9"


def _cards(data: bytes):
    return list(vobject.readComponents(data.decode("utf-8")))


def test_vcard_has_every_field():
    record = contact(7, reasons=("send deck", "intro to Bob"))
    record.contact.phones.append(Phone("+1 212 555 0199", None, "fax"))
    data = build_vcards([record], {EVENT.id: EVENT}, photos={7: JPEG})
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    [card] = _cards(data)
    assert card.version.value == "3.0"
    assert card.fn.value == "Ana Ruiz"
    assert (card.n.value.given, card.n.value.family) == ("Ana", "Ruiz")
    assert card.org.value == ["Acme"]
    assert card.title.value == "Head of Sales"
    tels = {t.value: t.params["TYPE"] for t in card.contents["tel"]}
    assert tels == {
        "+351912345678": ["CELL", "VOICE"],
        "+12125550100": ["WORK", "VOICE"],
        "+12125550199": ["WORK", "FAX"],
    }
    assert [(e.value, e.params["TYPE"]) for e in card.contents["email"]] == [
        ("ana@acme.example", ["INTERNET"])
    ]
    assert card.url.value == "https://acme.example"
    adr = card.adr.value
    assert (adr.street, adr.city, adr.code, adr.country) == (
        "Rua Augusta 1",
        "Lisboa",
        "1100-048",
        "Portugal",
    )
    assert card.note.value == (
        "Met at: Web Summit (Lisbon), 2026-11-04 to 2026-11-07\nWhy: send deck; intro to Bob"
    )
    assert card.photo.value == JPEG
    assert card.photo.params["TYPE"] == ["JPEG"]
    assert b"PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(JPEG)[:40] in data


def test_an_address_that_cannot_be_split_stays_whole_in_street():
    record = contact(7)
    record.contact.address = "Building 4, somewhere near the station"
    [card] = _cards(build_vcards([record], {}))
    assert card.adr.value.street == "Building 4, somewhere near the station"
    assert card.adr.value.city == ""


def test_many_contacts_are_ordered_and_identical_on_rebuild():
    people = [contact(9, name="Zoë Ångström"), contact(3, name="山田 太郎")]
    one = build_vcards(people, {EVENT.id: EVENT})
    assert one == build_vcards(list(reversed(people)), {EVENT.id: EVENT})
    assert [c.fn.value for c in _cards(one)] == ["山田 太郎", "Zoë Ångström"]


_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(), min_size=1, max_size=60),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_text, company=_text, title=_text, address=_text, reason=_text, notes=_text)
def test_vcard_round_trips_any_text(name, company, title, address, reason, notes):
    record = contact(7, name=name, company=company, reasons=(reason,), private_notes=notes)
    record.contact.title = title
    record.contact.address = address
    [card] = _cards(build_vcards([record], {EVENT.id: EVENT}, include_private_notes=True))
    if one_line(name):
        assert card.fn.value == one_line(name)
    if one_line(company):
        assert card.org.value == [one_line(company)]
    if one_line(title):
        assert card.title.value == one_line(title)
    if clean_text(address).strip():
        parts = split_address(address)
        got = card.adr.value
        assert (got.street, got.city, got.code, got.country) == (
            parts.street,
            parts.city,
            parts.code,
            parts.country,
        )
    note = card.note.value
    if one_line(reason):
        assert f"Why: {one_line(reason)}" in note
    if clean_text(notes).strip():
        assert f"Notes: {clean_text(notes).strip()}" in note


def test_a_card_without_a_person_is_shown_as_the_company():
    [card] = _cards(build_vcards([contact(7, name=None)], {EVENT.id: EVENT}))
    assert card.fn.value == "Acme"
    assert (card.n.value.family, card.n.value.given) == ("", "")
    assert card.contents["x-abshowas"][0].value == "COMPANY"
    [person] = _cards(build_vcards([contact(7)], {EVENT.id: EVENT}))
    assert "x-abshowas" not in person.contents
