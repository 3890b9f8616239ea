"""Duplicate scoring, and which touches a merge skips: pure functions."""

from __future__ import annotations

import pytest

from cardscan.dedupe import CANDIDATE_THRESHOLD, candidates, fold, score_pair, surplus_touches
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


def test_after_a_merge_one_open_touch_per_step_or_reason_stays_the_earliest():
    def touch(id, step, due, status="due", snoozed=None, kind="step", title="t"):
        return {"id": id, "kind": kind, "title": title, "step": step, "status": status,
                "due": due, "snoozed_until": snoozed}  # fmt: skip

    rows = [
        touch(1, 0, "2025-01-10"),
        touch(2, 0, "2025-01-05"),  # the same step, earlier: it stays
        touch(3, 1, "2025-01-01", "snoozed", "2025-03-01"),
        touch(4, 1, "2025-02-01"),  # shows before the snoozed one: it stays
        touch(5, None, "2025-01-01", kind="reason", title="send deck"),
        touch(6, None, "2025-01-02", kind="reason", title="send deck"),
        touch(7, None, "2025-01-02", kind="reason", title="intro"),
    ]
    assert surplus_touches(rows) == [[6, "due"], [1, "due"], [3, "snoozed"]]
