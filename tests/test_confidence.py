"""Confidences as chances: the logistic fit, the features it weighs, the shipped model."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from cardscan.models import CONTACT_FIELDS, Box, Contact
from cardscan.reading.checks import fields_to_check
from cardscan.reading.extract import confidence, confidence_model
from cardscan.reading.extract.details import CardDetails
from cardscan.reading.extract.layout import TextLine
from cardscan.reading.extract.leftovers import find_leftovers
from scripts import fit_confidence


def test_fit_gives_the_observed_rate_per_confidence():
    rng = random.Random(4)
    rows = []
    for _ in range(2000):
        raw = rng.random()
        rows.append(((1.0, raw, 0.0), rng.random() < raw))  # right with p = raw
    weights = confidence.fit(rows, l2=0.01)
    for raw in (0.2, 0.5, 0.8):
        assert abs(confidence.probability(weights, (1.0, raw, 0.0)) - raw) < 0.1


def test_a_row_weighed_twice_counts_as_two_rows():
    rng = random.Random(9)
    rows = [((1.0, rng.random()), rng.random() < 0.7) for _ in range(300)]
    twice = confidence.fit(rows + rows[:100], l2=0.5)
    weighed = confidence.fit(rows, l2=0.5, weights=[2.0] * 100 + [1.0] * 200)
    assert twice == pytest.approx(weighed, abs=1e-3)


def _line(index: int, text: str, y: int, height: int = 30) -> TextLine:
    return TextLine(index, text, Box(40, y, 16 * len(text), height), 0.97, float(height))


def _card(*texts: str) -> CardDetails:
    lines = [_line(i, t, 40 + 45 * i) for i, t in enumerate(texts)]
    return CardDetails(lines=lines, rest={ln.index: ln.text for ln in lines})


def test_a_title_like_line_no_field_took_is_a_leftover_of_the_title():
    contact = Contact(name="Ana Ruiz", company="Northwind GmbH")
    left = find_leftovers(contact, _card("Ana Ruiz", "Head of Sales", "Northwind GmbH"))
    assert [ln.text for ln in left.unused] == ["Head of Sales"]
    assert left.left["title"] and not left.left["address"]
    used = Contact(name="Ana Ruiz", title="Head of Sales", company="Northwind GmbH")
    assert not find_leftovers(used, _card("Ana Ruiz", "Head of Sales", "Northwind GmbH")).unused


def test_digits_no_phone_holds_and_an_address_line_left_are_leftovers():
    card = _card("Ana Ruiz", "Calle Mayor 12, 28013 Madrid", "0866 2582333")
    left = find_leftovers(Contact(name="Ana Ruiz"), card)
    assert left.left["phones"] and left.left["address"]


def _model(monkeypatch, field: str, kind: str, weights: tuple[float, ...], below: float) -> None:
    monkeypatch.setattr(confidence_model, "WEIGHTS", {field: {kind: weights}})
    monkeypatch.setattr(confidence_model, "MARK_BELOW", {field: below})
    monkeypatch.setattr(confidence_model, "EMPTY_BELOW", {field: below})


def test_an_empty_title_with_a_title_like_line_left_unread_is_marked(monkeypatch):
    # A model whose only say is the leftover: right to be empty unless a title-like line
    # was left unread.
    weights = tuple(3.0 if f == "bias" else -5.0 if f == "left" else 0.0 for f in confidence.EMPTY)
    _model(monkeypatch, "title", "empty", weights, 0.5)
    marked = Contact(name="Ana Ruiz", confidence={"name": 0.99})
    confidence.calibrate(marked, _card("Ana Ruiz", "Head of Sales"))
    assert marked.doubts["title"] == confidence.EMPTY_DOUBTS["title"]
    assert fields_to_check(marked) == ["title"]
    clean = Contact(name="Ana Ruiz", company="Northwind GmbH", confidence={"name": 0.99})
    confidence.calibrate(clean, _card("Ana Ruiz", "Northwind GmbH"))
    assert "title" not in clean.doubts and fields_to_check(clean) == []


def test_a_doubt_lowers_the_chance_and_raises_the_mark(monkeypatch):
    weights = tuple({"bias": 3.0, "doubt": -4.0}.get(f, 0.0) for f in confidence.FILLED)
    _model(monkeypatch, "company", "filled", weights, 0.8)
    sure = Contact(company="ZEPHYRA", confidence={"company": 0.9})
    logo = Contact(company="ZEPHYRA", confidence={"company": 0.9}, doubts={"company": "logo"})
    for contact in (sure, logo):
        confidence.calibrate(contact, _card("ZEPHYRA"))
    assert sure.confidence["company"] > 0.9 > 0.8 > logo.confidence["company"]
    assert fields_to_check(logo) == ["name", "company"] and fields_to_check(sure) == ["name"]


def test_what_a_qr_code_gave_keeps_its_confidence(monkeypatch):
    weights = tuple(-3.0 if f == "bias" else 0.0 for f in confidence.FILLED)
    _model(monkeypatch, "name", "filled", weights, 0.8)
    contact = Contact(name="Ana Ruiz", confidence={"name": 0.99})
    confidence.calibrate(contact, _card("Ana Ruiz"), typed={"name"})
    assert contact.confidence["name"] == 0.99


def test_the_shipped_model_has_both_models_and_a_threshold_for_every_field():
    for name in confidence.FIELDS:
        models = confidence_model.WEIGHTS[name]
        assert len(models["filled"]) == len(confidence.FILLED)
        assert len(models["empty"]) == len(confidence.EMPTY)
        assert 0 < confidence_model.MARK_BELOW[name] < 1
        assert 0 < confidence_model.EMPTY_BELOW[name] < 1


def test_the_shipped_model_learnt_that_the_readings_doubts_mean_doubt():
    doubt = confidence.FILLED.index("doubt")
    for name in ("name", "company", "phones", "websites"):
        assert confidence_model.WEIGHTS[name]["filled"][doubt] < 0, name


def test_the_shipped_model_file_is_what_the_fit_script_writes(tmp_path: Path):
    out = tmp_path / "model.py"
    below = (confidence_model.MARK_BELOW["name"], confidence_model.EMPTY_BELOW["name"])
    fit_confidence.write_model(confidence_model.WEIGHTS, below, confidence_model.FITTED_ON, out)
    assert out.read_text(encoding="utf-8") == Path(confidence_model.__file__).read_text("utf-8")


def test_an_address_a_letter_off_the_name_or_the_website_is_a_near_miss():
    miss = confidence.FILLED.index("near_miss")

    def near_miss(**fields):
        rows = confidence.features(Contact(**fields), CardDetails(lines=[]))
        return {r.field: r.x[miss] for r in rows if r.filled and r.field != "name"}

    assert near_miss(name="Charlotte Ashworth", emails=["charfotte.ashworth@fjormar.co.uk"]) == {
        "emails": 1.0
    }
    assert near_miss(name="Marloes de Vries", emails=["m.devries@rior.nl"])["emails"] == 0.0
    # The first of two family names is a name form in every shape, so an address that
    # spells it is no slip of one (j.lourenco is a form: jlourenco is no near miss of it).
    assert near_miss(name="João Lourenço Assunção", emails=["jlourenco@nezen.pt"])["emails"] == 0.0
    assert near_miss(name="Vasala Madhava Rao", emails=["madhava@eth.net"])["emails"] == 0.0
    assert near_miss(emails=["ana@ruizlab.pt"], websites=["www.ruiziab.pt"]) == {
        "emails": 1.0,
        "websites": 1.0,
    }
    assert near_miss(emails=["ana@ruizlab.pt"], websites=["ruizlab.pt"])["websites"] == 0.0


def test_a_vat_number_or_a_fingerprint_is_no_number_left_unread():
    for printed in ("VAT GB 959 0513 32", "USt-IdNr. DE177044076", "8218 23F6 98D1 D195"):
        contact = Contact(name="Ana Ruiz", phones=[])
        assert not find_leftovers(contact, _card("Ana Ruiz", printed)).left["phones"], printed


def test_a_model_fitted_on_other_features_is_not_used(monkeypatch):
    _model(monkeypatch, "name", "filled", (5.0, 1.0), 0.8)  # two weights: stale
    contact = Contact(name="Ana Ruiz", confidence={"name": 0.7})
    confidence.calibrate(contact, _card("Ana Ruiz"))
    assert contact.confidence["name"] == 0.7


def test_a_name_the_e_mail_spells_agrees():
    agrees = confidence.FILLED.index("agrees")
    rows = confidence.features(
        Contact(name="Jane Doe", company="Acme Tools", emails=["jdoe@acmetools.com"]),
        CardDetails(lines=[]),
    )
    x = {r.field: r.x[agrees] for r in rows if r.filled}
    assert x["name"] > 0.8 and x["company"] > 0.8 and x["emails"] == 0.0


def test_a_shared_feature_gets_one_weight_for_every_field_and_one_left_out_none():
    rng = random.Random(3)
    at = confidence.FILLED.index("near_miss")
    samples = []
    for i in range(200):
        rows, right = [], dict.fromkeys(CONTACT_FIELDS, True)
        for name in ("name", "title"):
            x = [0.0] * len(confidence.FILLED)
            x[0], x[1], x[at] = 1.0, rng.random(), float(rng.random() < 0.2)
            rows.append(confidence.Row(name, True, tuple(x)))
            right[name] = rng.random() < (0.3 if x[at] else 0.9)
        both = {"name", "title"}
        samples.append(fit_confidence.Sample("s", str(i), False, rows, right, both, both))
    table = fit_confidence.Table(samples, 1.0)
    keep = [True] * len(samples)
    shared = table.fit(np.array(keep), 1.0, shared=("near_miss",))
    assert shared["name"]["filled"][at] == shared["title"]["filled"][at] < -1
    alone = table.fit(np.array(keep), 1.0)
    assert alone["name"]["filled"][at] != alone["title"]["filled"][at]
    without = fit_confidence.Table(samples, 1.0, without=("near_miss",))
    assert without.fit(np.array(keep), 1.0)["name"]["filled"][at] == 0.0
    # Every card here is generated: a feature only real photos may teach learns nothing.
    real_only = fit_confidence.Table(samples, 1.0, real_only=("near_miss",))
    assert real_only.fit(np.array(keep), 1.0)["name"]["filled"][at] == 0.0
