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
        rows.append(((1.0, raw, 0.0, 1.0, 0.0, 1.0), rng.random() < raw))  # right with p = raw
    weights = confidence.fit(rows, l2=0.01)
    for raw in (0.2, 0.5, 0.8):
        p = confidence.probability(weights, (1.0, raw, 0.0, 1.0, 0.0, 1.0))
        assert abs(p - raw) < 0.1


def test_calibrate_replaces_fitted_fields_only(monkeypatch):
    monkeypatch.setitem(confidence.WEIGHTS, "title", (4.0, -4.0, 0.0, 0.0, 0.0, 0.0))
    contact = Contact(
        name="Ana Ruiz", title="Head of Sales", confidence={"title": 1.0, "name": 0.7}
    )
    confidence.calibrate(contact)
    assert contact.confidence["title"] == 0.5
    assert contact.confidence["name"] == 0.7
