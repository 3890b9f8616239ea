"""CSV exports: the importers' columns, E.164 phones, no formula injection, lossless reading."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.errors import ValidationError
from cardscan.exports.csv import _PHONE, build_csv, neutralise, phone_cell, read_csv, restore
from cardscan.exports.fields import clean_text, one_line, web_uri
from cardscan.models import Phone
from tests.support.followup_data import EVENT, HOSTILE, contact

EVENTS = {EVENT.id: EVENT}
PHONE_COLUMNS = {f"Phone {i} - Value" for i in range(1, 9)} | {
    "Business Phone", "Business Phone 2", "Mobile Phone", "Other Phone", "Business Fax",
    "Phone Number", "Mobile Phone Number", "Fax Number",
}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "phone", "expected"),
    [
        ("=1+1", False, "'=1+1"),
        ("+1+1", False, "'+1+1"),
        ("-2", False, "'-2"),
        ("@SUM(A1:A2)", False, "'@SUM(A1:A2)"),
        ("\tcmd", False, "'\tcmd"),
        ("\rcmd", False, "'\rcmd"),
        ("'already quoted", False, "''already quoted"),
        ("+351912345678", True, "+351912345678"),  # a real E.164 phone survives
        ("+351912345678", False, "'+351912345678"),  # ...but only in a phone column
        ("+1 (212) 555", True, "+1 (212) 555"),  # a phone as printed: no apostrophe
        ("-12 34", True, "-12 34"),
        ("=cmd|' /C calc'!A0", True, "'=cmd|' /C calc'!A0"),
        ("Ana", False, "Ana"),
        ("", False, ""),
    ],
)
def test_formula_guard(value, phone, expected):
    assert neutralise(value, phone=phone) == expected
    assert restore(expected) == value


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_google_columns_and_values():
    record = contact(7, reasons=("send deck",))
    data = build_csv([record], EVENTS, fmt="google")
    assert not data.startswith(b"\xef\xbb\xbf")
    [row] = _rows(data)
    assert (row["First Name"], row["Last Name"]) == ("Ana", "Ruiz")
    assert (row["E-mail 1 - Label"], row["E-mail 1 - Value"]) == ("Work", "ana@acme.example")
    assert (row["Phone 1 - Label"], row["Phone 1 - Value"]) == ("Mobile", "+351912345678")
    assert (row["Phone 2 - Label"], row["Phone 2 - Value"]) == ("Work", "+12125550100")
    assert (row["Organization Name"], row["Organization Title"]) == ("Acme", "Head of Sales")
    assert row["Website 1 - Value"] == "https://acme.example"
    assert (row["Address 1 - City"], row["Address 1 - Postal Code"]) == ("Lisboa", "1100-048")
    assert row["Notes"] == ("Met at: Web Summit (Lisbon), 2026-11-04 to 2026-11-07\nWhy: send deck")
    assert row["Labels"] == "* myContacts"
    # Google Contacts' own export layout, column for column.
    head = data.split(b"\r\n")[0].decode().split(",")
    assert head[:17] == [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name",
        "Phonetic Middle Name", "Phonetic Last Name", "Name Prefix", "Name Suffix",
        "Nickname", "File As", "Organization Name", "Organization Title",
        "Organization Department", "Birthday", "Notes", "Photo", "Labels",
    ]  # fmt: skip
    assert head[17:19] == ["E-mail 1 - Label", "E-mail 1 - Value"]
    assert "Address 1 - Region" in head and "Website 1 - Label" in head


def test_outlook_has_a_bom_and_its_columns():
    record = contact(7)
    record.contact.phones.append(Phone("+1 212 555 0199", None, "fax"))
    data = build_csv([record], EVENTS, fmt="outlook")
    assert data.startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,")
    [row] = _rows(data)
    assert (row["First Name"], row["Last Name"], row["Company"], row["Job Title"]) == (
        "Ana",
        "Ruiz",
        "Acme",
        "Head of Sales",
    )
    assert row["E-mail Address"] == "ana@acme.example"
    assert row["Mobile Phone"] == "+351912345678"
    assert row["Business Phone"] == "+12125550100"
    assert row["Business Fax"] == "+12125550199"
    assert row["Business Country/Region"] == "Portugal"


def test_hubspot_columns():
    data = build_csv([contact(7)], EVENTS, fmt="hubspot")
    [row] = _rows(data)
    assert row == {
        "First Name": "Ana",
        "Last Name": "Ruiz",
        "Email": "ana@acme.example",
        "Additional email addresses": "",
        "Phone Number": "+12125550100",
        "Mobile Phone Number": "+351912345678",
        "Fax Number": "",
        "Company Name": "Acme",
        "Job Title": "Head of Sales",
        "Website URL": "https://acme.example",
        "Street Address": "Rua Augusta 1",
        "City": "Lisboa",
        "State/Region": "",
        "Postal Code": "1100-048",
        "Country/Region": "Portugal",
        "Date of birth": "",
        "Notes": "Met at: Web Summit (Lisbon), 2026-11-04 to 2026-11-07\nWhy: send deck",
    }


def test_hostile_cells_are_defused_in_the_file():
    record = contact(7, name='=HYPERLINK("http://evil","x")', company="@SUM(1+1)")
    record.contact.title = "-1+2"
    for fmt in ("google", "outlook", "hubspot"):
        data = build_csv([record], EVENTS, fmt=fmt)
        for row in _rows(data):
            for column, cell in row.items():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or (
                    column in PHONE_COLUMNS and cell[1:].isdigit()
                ), (fmt, column, cell)


def test_unknown_format_is_refused():
    with pytest.raises(ValidationError, match="unknown CSV format 'excel'"):
        build_csv([contact(7)], EVENTS, fmt="excel")


def test_same_data_gives_identical_bytes():
    people = [contact(7), contact(3, name="Bob")]
    for fmt in ("google", "outlook", "hubspot"):
        assert build_csv(people, EVENTS, fmt=fmt) == build_csv(people[::-1], EVENTS, fmt=fmt)


_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(), max_size=60),
)


_phone = st.one_of(
    _text,
    st.sampled_from(["+351912345678", "+1 212 555 0100", "=1+1", "-5", "+44 (0)20 7946 0958"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_text, company=_text, title=_text, reason=_text, site=_text, phone=_phone, email=_text)
def test_csv_round_trips_any_text(name, company, title, reason, site, phone, email):
    record = contact(7, name=name, company=company, reasons=(reason,))
    record.contact.title = title
    record.contact.websites = [site]
    record.contact.emails = [email]
    record.contact.phones = [Phone(phone, None, "mobile")]
    number = phone_cell(record.contact.phones[0])
    for fmt in ("google", "outlook", "hubspot"):
        data = build_csv([record], EVENTS, fmt=fmt)
        for raw in _rows(data):  # in the file itself, no cell can start a formula
            for column, cell in raw.items():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or (
                    column in PHONE_COLUMNS and _PHONE.fullmatch(cell)
                ), (fmt, column, cell)
        [row] = read_csv(data)
        company_col = {"google": "Organization Name", "outlook": "Company"}.get(fmt, "Company Name")
        title_col = {"google": "Organization Title"}.get(fmt, "Job Title")
        site_col = {"google": "Website 1 - Value", "outlook": "Web Page"}.get(fmt, "Website URL")
        email_col = {"google": "E-mail 1 - Value", "outlook": "E-mail Address"}.get(fmt, "Email")
        phone_col = {"google": "Phone 1 - Value", "outlook": "Mobile Phone"}.get(
            fmt, "Mobile Phone Number"
        )
        assert row[company_col] == one_line(company)
        assert row[title_col] == one_line(title)
        assert row[site_col] == web_uri(site)
        assert row[email_col] == one_line(email)
        assert row[phone_col] == number
        if not number and one_line(phone):  # not a phone number: kept in the notes
            notes_col = "Notes"
            assert f"Phone: {one_line(phone)}" in row[notes_col]
        if one_line(reason):
            assert f"Why: {one_line(reason)}" in row["Notes"]
        assert all(clean_text(v) == v for v in row.values())
