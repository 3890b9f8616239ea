"""Every export read back by a consumer that is not ours, field by field against what is stored.

vCards through vobject and through khard (Debian's address book, when installed); CSV files
through the csv module with each importer's columns. A contact carrying every field the store
keeps: three e-mails, phones of every kind (and one that is not a number), websites, social
profiles, a US address, a birthday without a year, an anniversary, reasons and a meeting.
"""

from __future__ import annotations

import base64
import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from PIL import Image

from cardscan.exports import vcard_photo
from cardscan.exports.csv import build_csv
from cardscan.exports.vcard import build_vcards
from cardscan.models import ImportantDate, Phone
from tests.support.followup_data import EVENT, contact

EVENTS = {EVENT.id: EVENT}


def _full():
    record = contact(
        7,
        name="Ana María Ruiz",
        reasons=("send deck", "intro to Bob"),
        dates=(
            ImportantDate(1, 7, "birthday", 3, 14, None),
            ImportantDate(2, 7, "anniversary", 6, 1, 2015),
        ),
    )
    c = record.contact
    c.emails = ["ana@acme.example", "ana.ruiz@gmail.example", "press@acme.example"]
    c.phones = [
        Phone("+351 912 345 678", "+351912345678", "mobile"),
        Phone("+1 212 555 0100", None, "office"),
        Phone("+1 212 555 0101", None, "office"),
        Phone("+1 212 555 0199", None, "fax"),
        Phone("+44 20 7946 0958", None, "other"),
        Phone("ask for Ana at the desk", None, "other"),
    ]
    c.websites = ["acme.example", "https://blog.acme.example/2026/deck"]
    c.socials = ["https://www.linkedin.com/in/ana-ruiz", "mastodon.social/@ana"]
    c.address = "1 Market St, Suite 300, San Francisco, CA 94179, USA"
    return record


NUMBERS = ["+351912345678", "+12125550100", "+12125550101", "+12125550199", "+442079460958"]
SITES = ["https://acme.example", "https://blog.acme.example/2026/deck"]
PROFILES = ["https://www.linkedin.com/in/ana-ruiz", "https://mastodon.social/@ana"]


def test_a_vcard_read_back_by_vobject_carries_every_field():
    card = vobject.readOne(build_vcards([_full()], EVENTS).decode("utf-8"))
    assert card.fn.value == "Ana María Ruiz"
    assert (card.n.value.given, card.n.value.additional, card.n.value.family) == (
        "Ana",
        "María",
        "Ruiz",
    )
    assert card.org.value == ["Acme"] and card.title.value == "Head of Sales"
    assert [e.value for e in card.contents["email"]] == _full().contact.emails
    tels = {t.value: {p.upper() for p in t.params["TYPE"]} for t in card.contents["tel"]}
    assert {n: tels[n] for n in NUMBERS} == {
        "+351912345678": {"CELL", "VOICE"},
        "+12125550100": {"WORK", "VOICE"},
        "+12125550101": {"WORK", "VOICE"},
        "+12125550199": {"WORK", "FAX"},  # a fax is typed as a fax
        "+442079460958": {"VOICE"},
    }
    assert [u.value for u in card.contents["url"]] == [*SITES, PROFILES[1]]  # with a scheme
    [linkedin] = card.contents["x-socialprofile"]
    assert (linkedin.value, linkedin.params["TYPE"]) == (PROFILES[0], ["linkedin"])
    adr = card.adr.value
    assert (adr.street, adr.city, adr.region, adr.code, adr.country) == (
        "1 Market St, Suite 300",
        "San Francisco",
        "CA",
        "94179",
        "USA",
    )
    assert card.bday.value == "--03-14"
    assert card.contents["x-anniversary"][0].value == "2015-06-01"
    assert card.note.value == (
        "Met at: Web Summit (Lisbon), 2026-11-04 to 2026-11-07\nWhy: send deck; intro to Bob"
    )


def test_url_values_are_uris_not_escaped_text():
    record = _full()
    record.contact.websites = ["acme.example/a,b;c"]
    text = build_vcards([record], EVENTS).decode("utf-8")
    assert "URL:https://acme.example/a%2Cb%3Bc\r\n" in text
    assert "\\," not in "".join(line for line in text.split("\r\n") if line.startswith("URL"))


def test_the_card_photo_goes_in_as_a_small_jpeg_when_asked():
    photo = Image.new("RGB", (3000, 2000), "white")
    out = io.BytesIO()
    photo.save(out, format="PNG")
    jpeg = vcard_photo(out.getvalue())
    text = build_vcards([_full()], EVENTS, photos={7: jpeg}).decode("utf-8")
    card = vobject.readOne(text)
    assert card.photo.params["TYPE"] == ["JPEG"]
    with Image.open(io.BytesIO(card.photo.value)) as image:
        assert image.format == "JPEG" and max(image.size) == 800
        assert not image.getexif()
    assert base64.b64decode(base64.b64encode(card.photo.value)) == jpeg
    assert "PHOTO" not in build_vcards([_full()], EVENTS).decode("utf-8")  # only when asked


@pytest.mark.skipif(not shutil.which("khard"), reason="khard (Debian) is not installed")
def test_khard_reads_the_vcard(tmp_path: Path):
    yaml = pytest.importorskip("yaml")
    book = tmp_path / "book"
    book.mkdir()
    record = _full()
    record.dates = [ImportantDate(1, 7, "birthday", 3, 14, 1990), record.dates[1]]
    (book / "ana.vcf").write_bytes(build_vcards([record], EVENTS))
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[cards]]\npath = {book}\n[general]\ndefault_action = list\n"
        "editor = /bin/false\nmerge_editor = /bin/false\n"
    )
    shown = subprocess.run(
        ["khard", "-c", str(config), "show", "--format", "yaml", "Ana"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    data = yaml.safe_load(shown.stdout)
    assert (data["First name"], data["Additional"], data["Last name"]) == ("Ana", "María", "Ruiz")
    assert data["Organisation"] == [["Acme"]] and data["Title"] == "Head of Sales"
    assert data["Birthday"] == "1990-03-14" and data["Anniversary"] == "2015-06-01"
    assert data["Phone"]["WORK, FAX"] == "+12125550199"
    assert data["Address"]["WORK"] | {"Box": None, "Extended": None} == {
        "Box": None,
        "Extended": None,
        "Street": "1 Market St, Suite 300",
        "City": "San Francisco",
        "Region": "CA",
        "Code": "94179",
        "Country": "USA",
    }
    assert set(data["Email"]["INTERNET"]) == set(record.contact.emails)
    assert data["Note"].startswith("Met at: Web Summit")


def _row(fmt: str) -> dict[str, str]:
    data = build_csv([_full()], EVENTS, fmt=fmt)
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return row


@pytest.mark.parametrize("fmt", ["google", "outlook", "hubspot"])
def test_every_csv_read_back_by_the_csv_module_carries_every_field(fmt):
    row = _row(fmt)
    everything = "\n".join(row.values())
    for value in [*_full().contact.emails, *NUMBERS, *SITES, *PROFILES]:
        assert value in everything, (fmt, value)
    assert "ask for Ana at the desk" in everything  # not a number: in the notes, as printed
    notes = row["Notes"]
    assert "Met at: Web Summit (Lisbon)" in notes and "Why: send deck; intro to Bob" in notes
    for column, cell in row.items():
        assert not cell.startswith("'"), (fmt, column, cell)  # no phone gets an apostrophe


def test_google_columns_hold_the_fields():
    row = _row("google")
    assert (row["First Name"], row["Middle Name"], row["Last Name"]) == ("Ana", "María", "Ruiz")
    assert (row["Organization Name"], row["Organization Title"]) == ("Acme", "Head of Sales")
    assert row["Birthday"] == "--03-14" and row["Labels"] == "* myContacts"
    assert [row[f"E-mail {i} - Value"] for i in (1, 2, 3)] == _full().contact.emails
    phones = [(row[f"Phone {i} - Label"], row[f"Phone {i} - Value"]) for i in range(1, 6)]
    assert phones == [
        ("Mobile", "+351912345678"),
        ("Work", "+12125550100"),
        ("Work", "+12125550101"),
        ("Work Fax", "+12125550199"),
        ("Other", "+442079460958"),
    ]
    address = [row[f"Address 1 - {k}"] for k in ("Street", "City", "Region", "Postal Code")]
    assert address == ["1 Market St, Suite 300", "San Francisco", "CA", "94179"]
    assert row["Address 1 - Country"] == "USA"
    sites = [(row[f"Website {i} - Label"], row[f"Website {i} - Value"]) for i in range(1, 5)]
    assert sites == [("Work", SITES[0]), ("Work", SITES[1])] + [
        ("Profile", PROFILES[0]),
        ("Work", PROFILES[1]),
    ]
    assert (row["Event 1 - Label"], row["Event 1 - Value"]) == ("Anniversary", "2015-06-01")


def test_outlook_and_hubspot_columns_hold_the_fields():
    outlook = _row("outlook")
    assert (outlook["Business City"], outlook["Business State"]) == ("San Francisco", "CA")
    assert outlook["Business Postal Code"] == "94179"
    assert [outlook["Business Phone"], outlook["Business Phone 2"]] == NUMBERS[1:3]
    assert outlook["Business Fax"] == "+12125550199"
    assert outlook["Anniversary"] == "2015-06-01"
    assert outlook["Birthday"] == "" and "Birthday: --03-14" in outlook["Notes"]  # needs a year
    hubspot = _row("hubspot")
    assert (hubspot["City"], hubspot["State/Region"]) == ("San Francisco", "CA")
    assert hubspot["Additional email addresses"] == "ana.ruiz@gmail.example;press@acme.example"
    assert hubspot["Fax Number"] == "+12125550199"
    assert "Phone: +12125550101" in hubspot["Notes"]
