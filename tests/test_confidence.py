"""Confidences as chances: the logistic fit and its use on a contact."""

from __future__ import annotations

import random

from cardscan.models import Contact
from cardscan.reading.extract import confidence


def test_fit_gives_the_observed_rate_per_confidence():
    rng = random.Random(4)
    rows = []
    for _ in range(2000):
        raw = rng.random()
        rows.append(((1.0, raw, 0.0, 1.0, 0.0, 1.0, 0.0), rng.random() < raw))  # right with p = raw
    weights = confidence.fit(rows, l2=0.01)
    for raw in (0.2, 0.5, 0.8):
        p = confidence.probability(weights, (1.0, raw, 0.0, 1.0, 0.0, 1.0, 0.0))
        assert abs(p - raw) < 0.1


def test_calibrate_replaces_fitted_fields_only(monkeypatch):
    monkeypatch.setitem(confidence.WEIGHTS, "title", (4.0, -4.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    monkeypatch.delitem(confidence.WEIGHTS, "name", raising=False)
    contact = Contact(
        name="Ana Ruiz", title="Head of Sales", confidence={"title": 1.0, "name": 0.7}
    )
    confidence.calibrate(contact)
    assert contact.confidence["title"] == 0.5
    assert contact.confidence["name"] == 0.7


def test_a_pooled_fit_shares_what_makes_a_value_doubtful_across_fields():
    rng = random.Random(7)
    rows: dict[str, list[tuple[tuple[float, ...], bool]]] = {"name": [], "emails": []}
    for name, base in (("name", 0.95), ("emails", 0.8)):
        for _ in range(600):
            miss = rng.random() < 0.1  # a near miss halves the chance of being right
            rows[name].append(
                ((1.0, 0.9, 0.0, 1.0, 0.0, 1.0, float(miss)), rng.random() < base / (1 + miss))
            )
    weights = confidence.fit_pooled(rows, l2=0.01)
    assert weights["name"][1:] == weights["emails"][1:]  # one set of shared weights
    assert weights["name"][0] > weights["emails"][0]  # each field its own bias
    assert weights["name"][-1] < 0  # a near miss lowers the chance


def test_an_address_a_letter_off_the_name_or_the_website_is_a_near_miss():
    def near_miss(**fields):
        contact = Contact(**fields)
        return {
            name: confidence.features(contact, name, 0.9)[-1] for name in ("emails", "websites")
        }

    assert near_miss(name="Charlotte Ashworth", emails=["charfotte.ashworth@fjormar.co.uk"]) == {
        "emails": 1.0,
        "websites": 0.0,
    }
    assert near_miss(name="Marloes de Vries", emails=["m.devries@rior.nl"])["emails"] == 0.0
    assert near_miss(emails=["ana@ruizlab.pt"], websites=["www.ruiziab.pt"]) == {
        "emails": 1.0,
        "websites": 1.0,
    }
    assert near_miss(emails=["ana@ruizlab.pt"], websites=["ruizlab.pt"])["websites"] == 0.0
