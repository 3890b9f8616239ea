"""Duplicate scoring and field merging: pure functions over contacts."""

from __future__ import annotations

import pytest

from cardscan.dedupe import CANDIDATE_THRESHOLD, candidates, fold, merge_contacts, score_pair
from cardscan.models import Contact, Phone

ANA = Contact(
    name="Ana Ruiz",
    company="Acme S.A.",
    emails=["ana@acme.example"],
    phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
)


@pytest.mark.parametrize(
    ("other", "likely", "reason"),
    [
        (Contact(name="A. Ruiz", emails=["ANA@acme.example"]), True, "same e-mail"),
        (Contact(phones=[Phone("912345678", "+351912345678")]), True, "same phone"),
        (Contact(name="Ana  Ruíz", company="ACME"), True, "same name and company"),
        (Contact(name="Ruiz, Ana", company="Globex"), True, "similar name"),
        (Contact(name="Bo Li", company="Acme"), False, None),
        (Contact(name="Bo Li", phones=[Phone("+351 912 345 678", "+351912345678")]), False, None),
        (Contact(name="Bo Li", emails=["ana@acme.example"]), False, None),
        (Contact(name="Ana Rodrigues", company="Initech"), False, None),
        (Contact(), False, None),
    ],
)
def test_score_pair(other, likely, reason):
    similarity = score_pair(ANA, other)
    assert (similarity.score >= CANDIDATE_THRESHOLD) is likely
    assert 0 <= similarity.score <= 1
    if reason:
        assert any(r.startswith(reason) for r in similarity.reasons)
    assert score_pair(other, ANA).score == similarity.score  # symmetric


def test_more_evidence_scores_higher():
    email_only = score_pair(ANA, Contact(emails=["ana@acme.example"])).score
    everything = score_pair(ANA, ANA).score
    assert email_only < everything <= 1


def test_candidates_best_first_and_above_threshold():
    others = [
        (1, Contact(name="Ana Ruiz", company="Globex")),
        (2, Contact(name="Bo Li")),
        (3, Contact(name="Ana Ruiz", emails=["ana@acme.example"])),
    ]
    assert [i for i, _ in candidates(ANA, others)] == [3, 1]


def test_fold():
    assert fold("  José  O'Brien-Núñez ") == "jose o brien nunez"


def test_merge_keeps_the_better_value_of_each_field():
    keep = Contact(
        name="Ana Ruz",
        title="CTO",
        company="Acme",
        emails=["ana@acme.example"],
        phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
        notes="met at booth",
        confidence={"name": 0.4, "title": 0.9, "company": 0.5},
    )
    other = Contact(
        name="Ana Ruiz",
        title="Chief Technology Officer",
        company="ACME Corp",
        emails=["ANA@acme.example", "ana.ruiz@gmail.example"],
        phones=[Phone("912 345 678", "+351912345678"), Phone("+34 600 000 000", "+34600000000")],
        address="Rua X 1, Lisboa",
        notes="second meeting",
        confidence={"name": 0.95, "title": 0.3, "company": 0.4},
    )
    merged, fixed = merge_contacts(keep, other, other_fixed={"company"})
    assert merged.name == "Ana Ruiz"  # higher confidence
    assert merged.title == "CTO"  # higher confidence (keep's)
    assert merged.company == "ACME Corp"  # user-corrected wins over confidence
    assert merged.address == "Rua X 1, Lisboa"  # a value beats nothing
    assert merged.emails == ["ana@acme.example", "ana.ruiz@gmail.example"]
    assert [p.e164 for p in merged.phones] == ["+351912345678", "+34600000000"]
    assert merged.notes == "met at booth\nsecond meeting"
    assert fixed == {"company"}
    assert keep.name == "Ana Ruz"  # inputs untouched
