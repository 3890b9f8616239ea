"""vCard 3.0 output through ``vobject``: one contact, an event's contacts, or everyone.

vCard 3.0 (RFC 2426) rather than 4.0 because it is the version every address book imports:
Google Contacts, Apple Contacts (iOS and macOS) and Outlook all read 3.0 ``.vcf`` files, and
several still mishandle 4.0. Each card has FN, N (split by nameparser), ORG, TITLE,
TEL;TYPE=CELL/WORK/FAX (E.164 where known), EMAIL;TYPE=INTERNET, URL (with its scheme),
X-SOCIALPROFILE;TYPE=linkedin... (Apple's, read by Apple Contacts; profiles on networks it
does not know are URLs), ADR (street, city, region, postcode, country), BDAY (``--MM-DD``
without a year), X-ANNIVERSARY (Evolution, KAddressBook, Thunderbird), NOTE (where you met
and why), a stable UID, and optionally the card photo (PHOTO;ENCODING=b;TYPE=JPEG).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import vobject

from cardscan.exports.fields import (
    contact_note,
    e164,
    fold,
    important_date,
    iso_date,
    one_line,
    social_type,
    split_address,
    split_name,
    web_uri,
)
from cardscan.followups import display_name
from cardscan.models import ContactRecord, Event

PRODID = "-//cardscan//cardscan 1.0//EN"

#: vCard 3.0 TEL types for each phone kind (models.PHONE_KINDS).
TEL_TYPES: dict[str, list[str]] = {
    "mobile": ["CELL", "VOICE"],
    "office": ["WORK", "VOICE"],
    "fax": ["WORK", "FAX"],
    "other": ["VOICE"],
}


def contact_uid(record: ContactRecord) -> str:
    """The contact's stable vCard UID (re-importing updates instead of duplicating, in Apple)."""
    return f"contact-{record.id}@cardscan"


def _add_uri(card: vobject.base.Component, name: str, uri: str) -> vobject.base.ContentLine:
    """A URI-valued property: written as is, not backslash-escaped like text (RFC 2426's
    URL is a uri). A comma or semicolon, which text-minded readers would split on, is
    percent-encoded; a URI has neither raw control characters nor line breaks."""
    item = card.add(name)
    item.value = uri.replace(",", "%2C").replace(";", "%3B")
    item.encoded = True  # vobject would escape it as text otherwise
    return item


def to_vcard(
    record: ContactRecord,
    events_by_id: Mapping[int, Event],
    *,
    photo: bytes | None = None,
    include_private_notes: bool = False,
) -> vobject.base.Component:
    """One contact as a vobject vCard 3.0 component."""
    c = record.contact
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("prodid").value = PRODID
    card.add("uid").value = contact_uid(record)
    card.add("fn").value = display_name(c)
    parts = split_name(c.name) if one_line(c.name) else None
    if parts:
        card.add("n").value = vobject.vcard.Name(
            family=parts.family,
            given=parts.given,
            additional=parts.additional,
            prefix=parts.prefix,
            suffix=parts.suffix,
        )
    else:
        # No person's name (a company card): N stays empty (it is required in 3.0) and Apple
        # Contacts is told to show the card as a company.
        card.add("n").value = vobject.vcard.Name()
        if one_line(c.company):
            card.add("x-abshowas").value = "COMPANY"
    if company := one_line(c.company):
        card.add("org").value = [company]
    if title := one_line(c.title):
        card.add("title").value = title
    for phone in c.phones:
        number = e164(phone)
        if not number:
            continue
        tel = card.add("tel")
        tel.value = number
        tel.type_paramlist = list(TEL_TYPES.get(phone.kind, TEL_TYPES["other"]))
    for email in c.emails:
        if one_line(email):
            item = card.add("email")
            item.value = one_line(email)
            item.type_paramlist = ["INTERNET"]
    for site in c.websites:
        if uri := web_uri(site):
            _add_uri(card, "url", uri)
    for profile in c.socials:
        if uri := web_uri(profile):
            kind = social_type(uri)
            item = _add_uri(card, "x-socialprofile" if kind else "url", uri)
            if kind:
                item.type_param = kind
    if one_line(c.address):
        a = split_address(c.address)
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=a.street, city=a.city, region=a.region, code=a.code, country=a.country
        )
        adr.type_paramlist = ["WORK"]
    if birthday := important_date(record, "birthday"):
        card.add("bday").value = iso_date(birthday)
    if anniversary := important_date(record, "anniversary"):
        card.add("x-anniversary").value = iso_date(anniversary)
    if note := contact_note(record, events_by_id, include_private_notes=include_private_notes):
        card.add("note").value = note
    if photo:
        pic = card.add("photo")
        pic.encoding_param = "b"
        pic.type_param = "JPEG"
        pic.value = photo
    return card


def build_vcards(
    records: Iterable[ContactRecord],
    events_by_id: Mapping[int, Event],
    *,
    photos: Mapping[int, bytes] | None = None,
    include_private_notes: bool = False,
) -> bytes:
    """Many contacts as one .vcf file (UTF-8, CRLF, no BOM), ordered by contact id.

    Args:
        records: the contacts.
        events_by_id: events, for the NOTE's "Met at".
        photos: JPEG bytes of the card photo per contact id, for PHOTO (optional).
        include_private_notes: add the contact's notes to NOTE.

    Returns:
        The file's bytes.
    """
    photos = photos or {}
    out: list[str] = []
    for record in sorted(records, key=lambda r: r.id):
        card = to_vcard(
            record,
            events_by_id,
            photo=photos.get(record.id),
            include_private_notes=include_private_notes,
        )
        text = card.serialize(lineLength=75)
        # vobject leaves the base64 PHOTO line unfolded: fold every long line ourselves.
        out += [fold(line) for line in text.split("\r\n") if line]
    return ("\r\n".join(out) + "\r\n").encode("utf-8") if out else b""
