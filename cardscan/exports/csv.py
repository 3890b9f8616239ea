"""CSV contact exports with the Google Contacts, Outlook and HubSpot column sets.

- **google**: the columns Google Contacts writes in its own export today and maps by name on
  import (``First Name``, ``Middle Name``, ``Last Name``, ``Name Prefix``, ``Name Suffix``,
  ``Organization Name``, ``Organization Title``, ``Birthday``, ``Notes``, ``Labels``,
  ``E-mail 1 - Label``/``Value``..., ``Phone 1 - Label``/``Value``..., ``Address 1 -
  Formatted``/``Street``/``City``/``Region``/``Postal Code``/``Country``, ``Website 1 -
  Label``/``Value``..., ``Event 1 - Label``/``Value`` for an anniversary). Social profiles are
  websites labelled ``Profile``. UTF-8 without BOM.
- **outlook**: the headers Outlook's own CSV export uses and its import wizard maps (``First
  Name``, ``Last Name``, ``E-mail Address``, ``Business Phone``, ``Mobile Phone``, ``Business
  Fax``, ``Company``, ``Job Title``, ``Business Street``/``City``/``State``/``Postal
  Code``/``Country/Region``, ``Birthday``, ``Anniversary``...). UTF-8 *with* a BOM: classic
  Outlook for Windows (and Excel, where people check such files) read a CSV without a BOM in
  the system's ANSI code page and garble non-Latin names; with the BOM they read UTF-8.
- **hubspot**: HubSpot's default contact property labels (``First Name``, ``Last Name``,
  ``Email``, ``Additional email addresses`` (``;``-separated), ``Phone Number``, ``Mobile Phone
  Number``, ``Fax Number``, ``Company Name``, ``Job Title``, ``Website URL``, ``Street
  Address``, ``City``, ``State/Region``, ``Postal Code``, ``Country/Region``, ``Date of
  birth``), which its import tool maps automatically, and ``Notes``. UTF-8 without BOM.

Every format carries every e-mail, phone and website: what has no column of its own goes in
the notes ("Phone: ...", "Web: ..."), beside where you met and why. Formula injection (CSV
injection) is defused: a cell starting with ``= + - @``, tab or carriage return gets a leading
``'`` so spreadsheets show it as text, *except* a phone cell, which holds only a phone number
(E.164 where it parses; what is not a number goes to the notes instead), so importers get the
number unchanged. :func:`restore` undoes the guard when reading a file back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cardscan.errors import ValidationError
from cardscan.exports.fields import (
    clean_text,
    contact_note,
    e164,
    important_date,
    iso_date,
    one_line,
    social_type,
    split_address,
    split_name,
    web_uri,
)
from cardscan.models import ContactRecord, Event, Phone

#: Characters a spreadsheet may treat as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: What a phone cell may hold: digits, a leading +, spaces, ( ) . - / and an extension.
_PHONE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)


def phone_cell(phone: Phone) -> str:
    """The phone for a phone column: E.164 where it parses, else as printed when it is made
    of digits and phone punctuation only; "" for anything else (it goes to the notes)."""
    number = e164(phone)
    return number if _PHONE.fullmatch(number) else ""


def neutralise(value: str, *, phone: bool = False) -> str:
    """Defuse a cell that a spreadsheet would run as a formula (prefix ``'``).

    A phone cell made only of digits and phone punctuation (see :func:`phone_cell`) is left
    alone: no spreadsheet runs it, and importers must get the plus sign.
    """
    if value.startswith("'") or (
        value.startswith(FORMULA_START) and not (phone and _PHONE.fullmatch(value))
    ):
        # A value that already starts with a quote gets one more, so restore() is exact.
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise` (for reading an exported file back)."""
    if value.startswith("'") and value[1:].startswith((*FORMULA_START, "'")):
        return value[1:]
    return value


@dataclass(frozen=True)
class _Phones:
    mobile: list[str]
    office: list[str]
    fax: list[str]
    other: list[str]
    unreadable: list[str]  # as printed, for the notes


def _phones(record: ContactRecord) -> _Phones:
    groups: dict[str, list[str]] = {"mobile": [], "office": [], "fax": [], "other": []}
    unreadable: list[str] = []
    for phone in record.contact.phones:
        if number := phone_cell(phone):
            groups.get(phone.kind, groups["other"]).append(number)
        elif one_line(phone.number):
            unreadable.append(one_line(phone.number))
    return _Phones(groups["mobile"], groups["office"], groups["fax"], groups["other"], unreadable)


def _clean(values: Iterable[str | None]) -> list[str]:
    return [one_line(v) for v in values if one_line(v)]


def _sites(record: ContactRecord) -> list[str]:
    """Websites, then social profiles, as URIs."""
    return [web_uri(v) for v in [*record.contact.websites, *record.contact.socials] if one_line(v)]


def _notes(text: str, extra: list[str]) -> str:
    return "\n".join(v for v in [text, *extra] if v)


def _date(record: ContactRecord, kind: str) -> str:
    value = important_date(record, kind)
    return iso_date(value) if value else ""


def _address_cells(address: str | None, columns: tuple[str, ...]) -> dict[str, str]:
    """The address's street, city, region, postcode and country under one format's column
    names, in that order ({} for no address)."""
    if not one_line(address):
        return {}
    a = split_address(address)
    return dict(zip(columns, (a.street, a.city, a.region, a.code, a.country), strict=True))


# --- Google ---------------------------------------------------------------------------------

_GOOGLE_PHONE_LABELS = {"mobile": "Mobile", "office": "Work", "fax": "Work Fax", "other": "Other"}
_GOOGLE_NAME = ["First Name", "Middle Name", "Last Name", "Phonetic First Name"]
_GOOGLE_NAME += ["Phonetic Middle Name", "Phonetic Last Name", "Name Prefix", "Name Suffix"]
_GOOGLE_NAME += ["Nickname", "File As", "Organization Name", "Organization Title"]
_GOOGLE_NAME += ["Organization Department", "Birthday", "Notes", "Photo", "Labels"]
_GOOGLE_ADDRESS = ["Label", "Formatted", "Street", "City", "PO Box", "Region", "Postal Code"]
_GOOGLE_ADDRESS += ["Country", "Extended Address"]
#: Where an address's street, city, region, postcode and country go, per format.
_GOOGLE_ADDRESS_PARTS = tuple(
    f"Address 1 - {part}" for part in ("Street", "City", "Region", "Postal Code", "Country")
)


def _google(records: list[ContactRecord], notes: Callable[[ContactRecord], str]) -> _Table:
    phones_of = {r.id: [p for p in r.contact.phones if phone_cell(p)] for r in records}
    n_email = max([len(_clean(r.contact.emails)) for r in records] + [1])
    n_phone = max([len(v) for v in phones_of.values()] + [1])
    n_site = max([len(_sites(r)) for r in records] + [1])
    headers = list(_GOOGLE_NAME)
    for i in range(1, n_email + 1):
        headers += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, n_phone + 1):
        headers += [f"Phone {i} - Label", f"Phone {i} - Value"]
    headers += [f"Address 1 - {column}" for column in _GOOGLE_ADDRESS]
    for i in range(1, n_site + 1):
        headers += [f"Website {i} - Label", f"Website {i} - Value"]
    if any(important_date(r, "anniversary") for r in records):
        headers += ["Event 1 - Label", "Event 1 - Value"]
    phone_columns = {f"Phone {i} - Value" for i in range(1, n_phone + 1)}
    rows = []
    for r in records:
        c = r.contact
        name = split_name(c.name)
        row = {
            "First Name": name.given,
            "Middle Name": name.additional,
            "Last Name": name.family,
            "Name Prefix": name.prefix,
            "Name Suffix": name.suffix,
            "Organization Name": one_line(c.company),
            "Organization Title": one_line(c.title),
            "Birthday": _date(r, "birthday"),
            "Notes": _notes(notes(r), [f"Phone: {p}" for p in _phones(r).unreadable]),
            "Labels": "* myContacts",
        }
        if not name.given and not name.family and one_line(c.name):
            row["First Name"] = one_line(c.name)
        for i, email in enumerate(_clean(c.emails), 1):
            row[f"E-mail {i} - Label"] = "Work"
            row[f"E-mail {i} - Value"] = email
        for i, phone in enumerate(phones_of[r.id], 1):
            row[f"Phone {i} - Label"] = _GOOGLE_PHONE_LABELS.get(phone.kind, "Other")
            row[f"Phone {i} - Value"] = phone_cell(phone)
        if one_line(c.address):
            row["Address 1 - Label"] = "Work"
            row["Address 1 - Formatted"] = clean_text(c.address).strip()
        row.update(_address_cells(c.address, _GOOGLE_ADDRESS_PARTS))
        for i, site in enumerate(_sites(r), 1):
            row[f"Website {i} - Label"] = "Profile" if social_type(site) else "Work"
            row[f"Website {i} - Value"] = site
        if anniversary := _date(r, "anniversary"):
            row["Event 1 - Label"] = "Anniversary"
            row["Event 1 - Value"] = anniversary
        rows.append(row)
    return _Table(headers, rows, phone_columns, bom=False)


# --- Outlook --------------------------------------------------------------------------------

_OUTLOOK_HEADERS = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Title",
    "Suffix",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Business Phone",
    "Business Phone 2",
    "Mobile Phone",
    "Other Phone",
    "Business Fax",
    "Company",
    "Job Title",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Birthday",
    "Anniversary",
    "Notes",
]
_OUTLOOK_PHONES = {"Business Phone", "Business Phone 2", "Mobile Phone", "Other Phone"}
_OUTLOOK_ADDRESS_PARTS = (
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
)


def _outlook(records: list[ContactRecord], notes: Callable[[ContactRecord], str]) -> _Table:
    rows = []
    for r in records:
        c = r.contact
        name = split_name(c.name)
        phones = _phones(r)
        extra: list[str] = []
        row = {
            "First Name": name.given,
            "Middle Name": name.additional,
            "Last Name": name.family,
            "Title": name.prefix,
            "Suffix": name.suffix,
            "Company": one_line(c.company),
            "Job Title": one_line(c.title),
        }
        emails = _clean(c.emails)
        for column, email in zip(
            ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"), emails, strict=False
        ):
            row[column] = email
        extra += [f"E-mail: {e}" for e in emails[3:]]
        slots = [
            ("Business Phone", phones.office[:1]),
            ("Business Phone 2", phones.office[1:2]),
            ("Mobile Phone", phones.mobile[:1]),
            ("Other Phone", phones.other[:1]),
            ("Business Fax", phones.fax[:1]),
        ]
        for column, value in slots:
            if value:
                row[column] = value[0]
        extra += [f"Phone: {p}" for p in phones.office[2:] + phones.mobile[1:] + phones.other[1:]]
        extra += [f"Fax: {p}" for p in phones.fax[1:]]
        extra += [f"Phone: {p}" for p in phones.unreadable]
        row.update(_address_cells(c.address, _OUTLOOK_ADDRESS_PARTS))
        sites = _sites(r)
        if sites:
            row["Web Page"] = sites[0]
        extra += [f"Web: {s}" for s in sites[1:]]
        # Outlook's date fields need a year: a birthday without one goes to the notes.
        for column, kind in (("Birthday", "birthday"), ("Anniversary", "anniversary")):
            if when := _date(r, kind):
                if when.startswith("--"):
                    extra.append(f"{column}: {when}")
                else:
                    row[column] = when
        row["Notes"] = _notes(notes(r), extra)
        rows.append(row)
    return _Table(list(_OUTLOOK_HEADERS), rows, _OUTLOOK_PHONES | {"Business Fax"}, bom=True)


# --- HubSpot --------------------------------------------------------------------------------

_HUBSPOT_HEADERS = [
    "First Name",
    "Last Name",
    "Email",
    "Additional email addresses",
    "Phone Number",
    "Mobile Phone Number",
    "Fax Number",
    "Company Name",
    "Job Title",
    "Website URL",
    "Street Address",
    "City",
    "State/Region",
    "Postal Code",
    "Country/Region",
    "Date of birth",
    "Notes",
]
_HUBSPOT_ADDRESS_PARTS = ("Street Address", "City", "State/Region", "Postal Code", "Country/Region")


def _hubspot(records: list[ContactRecord], notes: Callable[[ContactRecord], str]) -> _Table:
    rows = []
    for r in records:
        c = r.contact
        name = split_name(c.name)
        phones = _phones(r)
        emails = _clean(c.emails)
        sites = _sites(r)
        landline = phones.office + phones.other
        row = {
            "First Name": " ".join(v for v in (name.given, name.additional) if v),
            "Last Name": " ".join(v for v in (name.family, name.suffix) if v),
            "Email": emails[0] if emails else "",
            "Additional email addresses": ";".join(emails[1:]),
            "Phone Number": landline[0] if landline else "",
            "Mobile Phone Number": phones.mobile[0] if phones.mobile else "",
            "Fax Number": phones.fax[0] if phones.fax else "",
            "Company Name": one_line(c.company),
            "Job Title": one_line(c.title),
            "Website URL": sites[0] if sites else "",
            "Date of birth": _date(r, "birthday"),
        }
        row.update(_address_cells(c.address, _HUBSPOT_ADDRESS_PARTS))
        extra = [f"Phone: {p}" for p in landline[1:] + phones.mobile[1:] + phones.unreadable]
        extra += [f"Fax: {p}" for p in phones.fax[1:]]
        extra += [f"Web: {s}" for s in sites[1:]]
        if anniversary := _date(r, "anniversary"):
            extra.append(f"Anniversary: {anniversary}")
        row["Notes"] = _notes(notes(r), extra)
        rows.append(row)
    phone_columns = {"Phone Number", "Mobile Phone Number", "Fax Number"}
    return _Table(list(_HUBSPOT_HEADERS), rows, phone_columns, bom=False)


@dataclass
class _Table:
    headers: list[str]
    rows: list[dict[str, str]]
    phone_columns: set[str]
    bom: bool


#: Date cells as written (``1990-03-14``, ``--03-14`` without a year): never a formula.
_DATE = re.compile(r"(?:\d{4}|-)-\d{2}-\d{2}")


FORMATS: dict[str, Callable[[list[ContactRecord], Callable[[ContactRecord], str]], _Table]] = {
    "google": _google,
    "outlook": _outlook,
    "hubspot": _hubspot,
}


def build_csv(
    records: Iterable[ContactRecord],
    events_by_id: Mapping[int, Event],
    *,
    fmt: str = "google",
    include_private_notes: bool = False,
) -> bytes:
    """Contacts as CSV in one importer's column set, ordered by contact id.

    Args:
        records: the contacts.
        events_by_id: events, for the notes ("Met at", "Why").
        fmt: ``google``, ``outlook`` or ``hubspot``.
        include_private_notes: add the contact's notes to the notes column.

    Returns:
        UTF-8 bytes (with a BOM for Outlook only), CRLF row ends, every cell guarded against
        formula injection.

    Raises:
        ValidationError: an unknown format.
    """
    if fmt not in FORMATS:
        raise ValidationError(
            f"unknown CSV format {fmt!r}: use one of {', '.join(FORMATS)} (--format google)."
        )
    ordered = sorted(records, key=lambda r: r.id)

    def notes(record: ContactRecord) -> str:
        return contact_note(record, events_by_id, include_private_notes=include_private_notes)

    table = FORMATS[fmt](ordered, notes)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=table.headers, lineterminator="\r\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({h: _cell(row.get(h, ""), h in table.phone_columns) for h in table.headers})
    text = out.getvalue()
    return ("\ufeff" + text if table.bom else text).encode("utf-8")


def _cell(value: str, phone: bool) -> str:
    return value if _DATE.fullmatch(value) else neutralise(value, phone=phone)


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Read an exported CSV back (BOM dropped, formula guard undone): one dict per row."""
    text = data.decode("utf-8-sig")
    return [
        {k: restore(v) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]
