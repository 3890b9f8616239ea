"""The check marks (reading.checks) and how they are measured (reading.calibration)."""

from __future__ import annotations

import pytest

from cardscan.models import CONTACT_FIELDS, Box, Contact, Line, OcrResult, Phone, QrCode
from cardscan.reading.calibration import MarkScore, field_results, format_marks, marks_dict
from cardscan.reading.checks import CHECK_BELOW, MISSING, UNSURE, Check, checks, fields_to_check
from cardscan.reading.extract import confidence_model, extract_contact


def _contact(**kw) -> Contact:
    base = dict(
        name="Ana Ruiz",
        company="Acme",
        emails=["ana@acme.example"],
        phones=[Phone("+1 555 0100")],
        confidence={"name": 0.9, "company": 0.9, "emails": 0.9, "phones": 0.9},
    )
    base.update(kw)
    return Contact(**base)


def test_a_sure_reading_has_nothing_to_check():
    assert checks(_contact()) == []


def test_fields_below_their_threshold_are_marked_in_field_order_with_their_reason():
    contact = _contact(
        confidence={"name": 0.9, "company": 0.2, "emails": 0.1, "phones": 0.9},
        doubts={"company": "read from a logo"},
    )
    assert checks(contact) == [Check("company", "read from a logo"), Check("emails", UNSURE)]
    assert fields_to_check(contact) == ["company", "emails"]


@pytest.mark.parametrize("name", sorted(CHECK_BELOW))
def test_each_threshold_is_the_line(name):
    value = [Phone("+1 555 0100")] if name == "phones" else "x"
    if name in ("emails", "websites"):
        value = ["x.example"]
    contact = Contact(name="Ana", **({name: value} if name != "name" else {}))
    contact.confidence = {"name": 0.99, name: CHECK_BELOW[name]}
    assert name not in fields_to_check(contact)
    contact.confidence[name] = CHECK_BELOW[name] - 0.01
    assert name in fields_to_check(contact)


def test_an_empty_name_is_marked_and_other_empty_fields_only_when_the_reading_doubts_them():
    contact = Contact(company="Acme", confidence={"company": 0.9})
    assert checks(contact) == [Check("name", MISSING)]
    assert fields_to_check(_contact(title=None, websites=[], address=None)) == []
    doubted = _contact(doubts={"title": "a line like a title left unread"})
    assert checks(doubted) == [Check("title", "a line like a title left unread")]


def test_a_doubt_on_a_sure_field_is_no_mark():
    assert checks(_contact(doubts={"name": "two candidates"})) == []


def test_a_corrected_field_is_never_marked():
    contact = _contact(confidence={"name": 1.0, "company": 0.1, "emails": 0.9, "phones": 0.9})
    assert fields_to_check(contact) == ["company"]


def _ocr(*texts: str, first_height: int = 40) -> OcrResult:
    """Lines one under another; the first ``first_height`` pixels tall (a wordmark)."""
    lines = []
    for i, text in enumerate(texts):
        height = first_height if i == 0 else 40
        lines.append(Line(text, Box(40, 40 + 100 * i, len(text) * height // 2, height), 0.97))
    return OcrResult(tuple(lines), "test", 1000, 600)


def test_the_reading_says_why_a_name_or_a_company_is_in_doubt(monkeypatch):
    # The raw confidences (no fitted calibration): a mark carries the reading's reason.
    monkeypatch.setattr(confidence_model, "WEIGHTS", {})
    two = extract_contact(_ocr("Ana Ruiz", "Maria Lopez", "info@northwind.example"))
    assert two.doubts == {"name": "two candidates"}
    assert "name" in fields_to_check(two)
    logo = extract_contact(
        _ocr(
            "ZEPHYRA",
            "Ana Ruiz",
            "Sales Manager",
            "ana@gmail.com",
            "+1 415 555 0100",
            first_height=100,
        )
    )
    assert (logo.name, logo.company) == ("Ana Ruiz", "ZEPHYRA")
    assert logo.doubts == {"company": "read from a logo"}
    # (which other fields raw confidences mark depends on the fitted thresholds: not asked here)
    assert Check("company", "read from a logo") in checks(logo)
    legal = extract_contact(_ocr("Zephyra GmbH", "Ana Ruiz", "ana@gmail.com", first_height=100))
    assert "company" not in legal.doubts


@pytest.mark.parametrize(
    ("name", "email", "doubt"),
    [
        # (igalan and i.gomez are mended now: the first of two family names is a name form)
        ("Lucía Galán Peña", "lgalam@almar.example", "one letter off the name"),
        ("Lucía Gómez Domínguez", "l.gomex@solkozen.example", "one letter off the name"),
        ("Ayşe Kaya", "1info@senra.example", "a stray character"),
        ("Ayşe Kaya", "ayse.kaya@senra.example", None),
        ("Ayşe Kaya", "info@senra.example", None),
    ],
)
def test_an_address_a_letter_off_the_name_or_with_a_stray_character_is_doubted(
    name, email, doubt, monkeypatch
):
    monkeypatch.setattr(confidence_model, "WEIGHTS", {})  # raw confidences: a doubt lowers them
    contact = extract_contact(_ocr(name, "Sales Manager", email, "+34 912 345 678"))
    assert contact.emails == [email]
    assert contact.doubts.get("emails") == doubt
    assert ("emails" in fields_to_check(contact)) == bool(doubt)


def test_what_a_qr_code_gave_is_not_in_doubt():
    card = _ocr("Ana Ruiz", "Maria Lopez", "info@northwind.example")
    qr = QrCode("BEGIN:VCARD\nVERSION:3.0\nFN:Ana Ruiz\nEND:VCARD", "vcard")
    assert "name" not in extract_contact(card, [qr]).doubts


# --- measuring the marks ---------------------------------------------------------------------


def _score() -> MarkScore:
    score = MarkScore()
    # card a: name right and sure, company wrong and marked, emails wrong and not marked
    score.results += field_results(
        "a",
        {"name": True, "company": False, "emails": False, "phones": True, "title": True},
        {"name": 0.92, "company": 0.4, "emails": 0.97, "phones": 0.55},
        ["company", "phones"],
        ["name", "company", "emails", "phones"],
        ["name", "company", "emails", "phones"],
    )
    # card b: title missed (label has one, nothing read), right-empty fields elsewhere
    score.results += field_results(
        "b",
        {"name": True, "title": False, "company": True, "emails": True},
        {"name": 0.99, "company": 0.65},
        [],
        ["name", "company"],
        ["name", "title", "company"],
    )
    # card c: no name on the card, none read, but marked "not found": a false mark
    score.results += field_results(
        "c", dict.fromkeys(CONTACT_FIELDS, True), {"emails": 0.9}, ["name"], ["emails"], ["emails"]
    )
    return score


def test_recall_and_false_marks_leave_out_fields_empty_on_both_sides():
    score = _score()
    assert [(r.card, r.field) for r in score.wrong()] == [
        ("a", "company"),
        ("a", "emails"),
        ("b", "title"),
    ]
    assert score.recall() == pytest.approx(1 / 3)
    # right and counted: a.name, a.phones, b.name, b.company, c.name (marked), c.emails
    assert score.false_marks() == pytest.approx(2 / 6)
    assert score.recall("company") == 1.0 and score.recall("emails") == 0.0
    assert [(r.card, r.field) for r in score.missed()] == [("a", "emails"), ("b", "title")]


def test_calibration_buckets_hold_each_filled_field_once():
    rows = _score().calibration()
    assert sum(b.fields for b in rows) == 7
    top = rows[-1]
    assert (top.low, top.high, top.fields, top.right) == (0.95, 1.0, 2, 1)
    low = next(b for b in rows if b.low == 0.3)
    assert (low.fields, low.right, low.marked, low.accuracy) == (1, 0, 1, 0.0)
    assert next(b for b in rows if b.low == 0.0).accuracy is None


def test_the_report_quotes_the_figures():
    text = format_marks(_score(), verbose=True)
    assert "1 of 3 wrong fields marked (recall 33%)" in text
    assert "2 of 6 right fields marked (false marks 33%)" in text
    assert "0.95-1.00" in text and "not found" in text
    assert "  b title" in text
    data = marks_dict(_score())
    assert data["wrong"] == 3 and data["right"] == 6
    assert data["unmarked_wrong"] == [
        {"card": "a", "field": "emails"},
        {"card": "b", "field": "title"},
    ]
