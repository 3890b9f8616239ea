"""CSV contact exports with the Google Contacts, Outlook and HubSpot column sets.

- **google**: the "Google CSV" headers Google Contacts imports and maps by name (``Name``,
  ``Given Name``, ``Family Name``, ``E-mail 1 - Type``/``Value``, ``Phone 1 - Type``/``Value``,
  ``Organization 1 - Name``/``Title``, ``Address 1 - ...``, ``Website 1 - ...``, ``Notes``).
  UTF-8 without BOM.
- **outlook**: the headers Outlook's own CSV export uses and its import wizard maps (``First
  Name``, ``Last Name``, ``E-mail Address``, ``Business Phone``, ``Mobile Phone``, ``Business
  Fax``, ``Company``, ``Job Title``, ``Business Street``...). UTF-8 *with* a BOM: classic Outlook
  for Windows (and Excel, where people check such files) read a CSV without a BOM in the
  system's ANSI code page and garble non-Latin names; with the BOM they read UTF-8. Outlook on
  the web and new Outlook accept the BOM too.
- **hubspot**: HubSpot's default contact property labels (``First Name``, ``Last Name``,
  ``Email``, ``Phone Number``, ``Mobile Phone Number``, ``Company Name``, ``Job Title``,
  ``Website URL``...), which its import tool maps automatically. UTF-8 without BOM.

Phones are written in E.164 where known. Formula injection (CSV injection) is defused: a cell
starting with ``= + - @``, tab or carriage return gets a leading ``'`` so spreadsheets show it as
text, *except* a phone cell holding a valid E.164 number (``+351912345678``), which a
spreadsheet can only read as a number and which importers need unchanged. :func:`restore`
undoes the guard when reading a file back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cardscan.errors import ValidationError
from cardscan.exports.fields import (
    clean_text,
    contact_note,
    e164,
    is_e164,
    one_line,
    split_address,
    split_name,
)
from cardscan.models import ContactRecord, Event

#: Characters a spreadsheet may treat as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str, *, phone: bool = False) -> str:
    """Defuse a cell that a spreadsheet would run as a formula (prefix ``'``).

    A phone cell holding exactly an E.164 number is left alone: "+351912345678" is a number,
    not a formula, and importers must get the plus sign.
    """
    if value.startswith("'") or (
        value.startswith(FORMULA_START) and not (phone and is_e164(value))
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


def _phones(record: ContactRecord) -> _Phones:
    groups: dict[str, list[str]] = {"mobile": [], "office": [], "fax": [], "other": []}
    for phone in record.contact.phones:
        number = e164(phone)
        if number:
            groups.get(phone.kind, groups["other"]).append(number)
    return _Phones(groups["mobile"], groups["office"], groups["fax"], groups["other"])


def _clean(values: Iterable[str | None]) -> list[str]:
    return [one_line(v) for v in values if one_line(v)]


# --- Google ---------------------------------------------------------------------------------

_GOOGLE_PHONE_TYPES = {"mobile": "Mobile", "office": "Work", "fax": "Work Fax", "other": "Other"}


def _google(records: list[ContactRecord], notes: Callable[[ContactRecord], str]) -> _Table:
    n_email = max([len(_clean(r.contact.emails)) for r in records] + [1])
    n_phone = max([len([p for p in r.contact.phones if e164(p)]) for r in records] + [1])
    n_site = max([len(_clean(r.contact.websites)) for r in records] + [1])
    headers = ["Name", "Given Name", "Additional Name", "Family Name", "Name Prefix"]
    headers += ["Name Suffix", "Notes", "Group Membership"]
    for i in range(1, n_email + 1):
        headers += [f"E-mail {i} - Type", f"E-mail {i} - Value"]
    for i in range(1, n_phone + 1):
        headers += [f"Phone {i} - Type", f"Phone {i} - Value"]
    headers += ["Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street"]
    headers += ["Address 1 - City", "Address 1 - Postal Code", "Address 1 - Country"]
    headers += ["Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Title"]
    for i in range(1, n_site + 1):
        headers += [f"Website {i} - Type", f"Website {i} - Value"]
    phone_columns = {f"Phone {i} - Value" for i in range(1, n_phone + 1)}
    rows = []
    for r in records:
        c = r.contact
        name = split_name(c.name)
        row = {
            "Name": one_line(c.name),
            "Given Name": name.given,
            "Additional Name": name.additional,
            "Family Name": name.family,
            "Name Prefix": name.prefix,
            "Name Suffix": name.suffix,
            "Notes": notes(r),
            "Group Membership": "* myContacts",
        }
        for i, email in enumerate(_clean(c.emails), 1):
            row[f"E-mail {i} - Type"] = "Work"
            row[f"E-mail {i} - Value"] = email
        phones = [p for p in c.phones if e164(p)]
        for i, phone in enumerate(phones, 1):
            row[f"Phone {i} - Type"] = _GOOGLE_PHONE_TYPES.get(phone.kind, "Other")
            row[f"Phone {i} - Value"] = e164(phone)
        if one_line(c.address):
            a = split_address(c.address)
            row["Address 1 - Type"] = "Work"
            row["Address 1 - Formatted"] = clean_text(c.address).strip()
            row["Address 1 - Street"] = a.street
            row["Address 1 - City"] = a.city
            row["Address 1 - Postal Code"] = a.code
            row["Address 1 - Country"] = a.country
        if one_line(c.company) or one_line(c.title):
            row["Organization 1 - Type"] = "Work"
            row["Organization 1 - Name"] = one_line(c.company)
            row["Organization 1 - Title"] = one_line(c.title)
        for i, site in enumerate(_clean(c.websites), 1):
            row[f"Website {i} - Type"] = "Work"
            row[f"Website {i} - Value"] = site
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
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Notes",
]
_OUTLOOK_PHONES = {"Business Phone", "Business Phone 2", "Mobile Phone", "Other Phone"}


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
        if one_line(c.address):
            a = split_address(c.address)
            row["Business Street"] = a.street
            row["Business City"] = a.city
            row["Business Postal Code"] = a.code
            row["Business Country/Region"] = a.country
        sites = _clean(c.websites)
        if sites:
            row["Web Page"] = sites[0]
        extra += [f"Web: {s}" for s in sites[1:]]
        row["Notes"] = "\n".join(v for v in [notes(r), *extra] if v)
        rows.append(row)
    return _Table(list(_OUTLOOK_HEADERS), rows, _OUTLOOK_PHONES | {"Business Fax"}, bom=True)


# --- HubSpot --------------------------------------------------------------------------------

_HUBSPOT_HEADERS = [
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Fax Number",
    "Company Name",
    "Job Title",
    "Website URL",
    "Street Address",
    "City",
    "Postal Code",
    "Country/Region",
]


def _hubspot(records: list[ContactRecord], notes: Callable[[ContactRecord], str]) -> _Table:
    # HubSpot has no default contact property for free notes: "where you met and why" is not
    # exported here (import notes separately, or use the Google/Outlook files).
    rows = []
    for r in records:
        c = r.contact
        name = split_name(c.name)
        phones = _phones(r)
        emails = _clean(c.emails)
        sites = _clean(c.websites)
        landline = (phones.office + phones.other)[:1]
        row = {
            "First Name": " ".join(v for v in (name.given, name.additional) if v),
            "Last Name": " ".join(v for v in (name.family, name.suffix) if v),
            "Email": emails[0] if emails else "",
            "Phone Number": landline[0] if landline else "",
            "Mobile Phone Number": phones.mobile[0] if phones.mobile else "",
            "Fax Number": phones.fax[0] if phones.fax else "",
            "Company Name": one_line(c.company),
            "Job Title": one_line(c.title),
            "Website URL": sites[0] if sites else "",
        }
        if one_line(c.address):
            a = split_address(c.address)
            row.update(
                {
                    "Street Address": a.street,
                    "City": a.city,
                    "Postal Code": a.code,
                    "Country/Region": a.country,
                }
            )
        rows.append(row)
    phone_columns = {"Phone Number", "Mobile Phone Number", "Fax Number"}
    return _Table(list(_HUBSPOT_HEADERS), rows, phone_columns, bom=False)


@dataclass
class _Table:
    headers: list[str]
    rows: list[dict[str, str]]
    phone_columns: set[str]
    bom: bool


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
        writer.writerow(
            {h: neutralise(row.get(h, ""), phone=h in table.phone_columns) for h in table.headers}
        )
    text = out.getvalue()
    return ("\ufeff" + text if table.bom else text).encode("utf-8")


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Read an exported CSV back (BOM dropped, formula guard undone): one dict per row."""
    text = data.decode("utf-8-sig")
    return [
        {k: restore(v) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]
