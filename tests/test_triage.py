"""Triage ordering helpers (cardscan.triage)."""

from __future__ import annotations

from cardscan.models import Contact
from cardscan.triage import contact_certainty, low_confidence_fields


def test_certainty_counts_missing_key_fields_as_zero():
    full = Contact(
        name="A",
        company="B",
        emails=["a@b.c"],
        phones=[],
        confidence={"name": 1, "company": 1, "emails": 1},
    )
    assert contact_certainty(full) == 0.75
    assert contact_certainty(Contact()) == 0.0
    assert contact_certainty(None) == 0.0


def test_low_fields_follow_field_order_and_flag_a_missing_name():
    c = Contact(company="B", emails=["a@b.c"], confidence={"emails": 0.2, "company": 0.9})
    assert low_confidence_fields(c) == ["name", "emails"]
