"""Drafted messages: templates per kind, filled from the contact; mailto links (RFC 6068)."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from cardscan.errors import ValidationError
from cardscan.models import Contact, ContactRecord, Event, Reason, Touch
from cardscan.outreach.drafts import (
    DEFAULT_TEMPLATES,
    TEMPLATE_KINDS,
    Drafter,
    Sender,
    Template,
    as_text,
    check_template,
    mailto_link,
    template_kind,
)
from cardscan.outreach.phrases import company_in_prose, first_name, personal_detail

TODAY = date(2026, 11, 14)
EVENT = Event(1, 1, "Web Summit 2026", date(2026, 11, 10), date(2026, 11, 13), "Lisbon")
SENDER = Sender("Ben Okafor", "Partner, Northwind Ventures\n+351 912 345 678")
DRAFTS = Drafter(SENDER, TODAY)


def _record(**fields) -> ContactRecord:
    reasons = fields.pop("reasons", [])
    notes = fields.pop("notes", None)
    contact = Contact(
        **{
            "name": "Ana Ruiz",
            "company": "Acme Robotics",
            "title": "CTO",
            "emails": ["ana@acme.example"],
            **fields,
        }
    )
    return ContactRecord(7, 1, contact, reasons=reasons, private_notes=notes)


def _touch(kind: str, title: str) -> Touch:
    return Touch(3, 1, 7, kind, title, TODAY)


def test_every_touch_kind_has_a_template_and_every_template_a_default():
    kinds = ["thank_you", "check_in", "keep_in_touch", "reason", "birthday", "anniversary"]
    assert {template_kind(_touch(k, "x")) for k in kinds} == set(TEMPLATE_KINDS)
    assert set(DEFAULT_TEMPLATES) == set(TEMPLATE_KINDS)
    # A plan step of the user's own kind is written as a check-in.
    assert template_kind(_touch("coffee_chat", "coffee")) == "check_in"
    for template in DEFAULT_TEMPLATES.values():
        check_template(template)


def test_thank_you_names_the_event_the_day_and_each_reason():
    reasons = [Reason(1, 7, "send deck", "deck"), Reason(2, 7, "intro", "intro")]
    draft = DRAFTS.message(_record(reasons=reasons), _touch("thank_you", "send deck; intro"), EVENT)
    assert draft.to == "ana@acme.example"
    assert draft.subject == "Great to meet you at Web Summit 2026"
    assert draft.body.startswith("Hi Ana,\n\nIt was great to meet you at Web Summit 2026 yesterday")
    assert "As promised, here is our deck." in draft.body
    assert "the introduction we talked about" in draft.body
    assert draft.body.endswith("Best,\nBen Okafor\nPartner, Northwind Ventures\n+351 912 345 678\n")
    assert "\n\n\n" not in draft.body and " ." not in draft.body


def test_a_promise_opens_with_what_was_promised():
    record = _record(reasons=[Reason(1, 7, "send deck", "deck")])
    draft = DRAFTS.message(record, _touch("reason", "send deck"), EVENT)
    assert draft.kind == "promise"
    assert draft.subject == "Our deck, as promised"
    assert "As promised when we met at Web Summit 2026, here is our deck." in draft.body


def test_a_promise_in_own_words_is_quoted():
    record = _record(reasons=[Reason(1, 7, "pricing for 50 seats")])
    draft = DRAFTS.message(record, _touch("reason", "pricing for 50 seats"), None)
    assert draft.subject == "Following up: pricing for 50 seats"
    assert "I'm following up on this: pricing for 50 seats." in draft.body


def test_keep_in_touch_asks_after_the_job():
    draft = DRAFTS.message(_record(), _touch("keep_in_touch", "keep in touch"), EVENT)
    assert draft.subject == "Still at Acme Robotics?"
    assert "Are you still at Acme Robotics as CTO?" in draft.body


def test_without_a_name_event_or_company_the_draft_still_reads():
    record = _record(name=None, company=None, title=None, emails=[])
    draft = Drafter(Sender("Ben"), TODAY).message(record, _touch("thank_you", "thank you"), None)
    assert draft.to is None
    assert draft.subject == "Great to meet you"
    expected = "Hi there,\n\nIt was great to meet you.\n\nLet's stay in touch.\n\nBest,\nBen\n"
    assert draft.body == expected
    assert as_text(draft).startswith("To: (no e-mail address on the card)\nSubject: Great")


def test_a_personal_detail_from_the_notes_becomes_a_ps():
    record = _record(notes="Met at the booth. She's training for the Berlin marathon.")
    draft = DRAFTS.message(record, _touch("check_in", "check in"), EVENT)
    assert draft.body.endswith("+351 912 345 678\n\nP.S. Good luck with the Berlin marathon!\n")


@pytest.mark.parametrize(
    "notes, ps",
    [
        ("Training for the Berlin marathon", "Good luck with the Berlin marathon!"),
        ("He is moving to Berlin in May.", "Good luck with the move to Berlin in May!"),
        ("we talked about sailing", "I enjoyed our chat about sailing."),
        ("Asked about our API", "You asked about our API: happy to tell you more."),
        ("Going to Japan in April", "Enjoy Japan in April!"),
        ("Wants pricing for 50 seats. Call Tuesday.", ""),  # nothing personal: stays private
        ("", ""),
        (None, ""),
    ],
)
def test_personal_detail(notes, ps):
    assert personal_detail(notes) == ps


@pytest.mark.parametrize(
    "name, first",
    [
        ("Dr. Ana María Ruiz", "Ana"),
        ("Ruiz, Ana", "Ana"),
        ("ANA RUIZ", "Ana"),
        ("J. Robert Smith", "Robert"),
        ("J. Smith", "J. Smith"),
        ("김민수", "김민수"),  # greeted in full
        ("山田 太郎", "山田 太郎"),
        ("", ""),
        (None, ""),
    ],
)
def test_first_name(name, first):
    assert first_name(name) == first


def test_the_users_own_template_is_used_and_checked():
    own = {"check_in": Template("Hello {{ first_name }}", "Hi {{ first_name }} from {{ event }}")}
    draft = Drafter(SENDER, TODAY, own).message(_record(), _touch("check_in", "x"), EVENT)
    assert (draft.subject, draft.body) == ("Hello Ana", "Hi Ana from Web Summit 2026\n")
    with pytest.raises(ValidationError, match=r"\{\{ frist_name \}\}, which is not a placeholder"):
        check_template(Template("Hi", "Hi {{ frist_name }}"))
    with pytest.raises(ValidationError, match="does not read"):
        check_template(Template("Hi", "Hi {% if %}"))
    with pytest.raises(ValidationError, match="needs a subject"):
        check_template(Template(" ", "Hi"))


def test_a_template_cannot_reach_python():
    sneaky = Template("x", "{{ first_name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(ValidationError):
        Drafter(SENDER, TODAY, {"check_in": sneaky}).message(
            _record(), _touch("check_in", "x"), None
        )


def test_hostile_card_text_stays_text():
    record = _record(name="<script>alert(1)</script>\r\nBcc: evil@example.org", emails=["a@x.org"])
    draft = DRAFTS.message(record, _touch("birthday", "birthday"), None)
    assert "\n" not in draft.subject and "\r" not in draft.subject
    parts = urlsplit(draft.mailto)
    assert "\n" not in draft.mailto and " " not in draft.mailto and "<" not in draft.mailto
    assert parse_qs(parts.query)["subject"] == [draft.subject]


def test_mailto_follows_rfc_6068():
    link = mailto_link("a+b@example.org", "Café & deck?", "Hi Zoë,\n\nLine two = 100%\n")
    assert link.startswith("mailto:a%2Bb@example.org?subject=Caf%C3%A9%20%26%20deck%3F&body=")
    assert "+" not in link  # a space is %20, never +
    body = link.split("&body=")[1]
    assert unquote(body) == "Hi Zoë,\r\n\r\nLine two = 100%"
    # The pieces decode back exactly (what a mail client does with them).
    message = EmailMessage()
    message["Subject"] = unquote(link.split("subject=")[1].split("&")[0])
    assert message["Subject"] == "Café & deck?"


@pytest.mark.parametrize(
    "company, prose",
    [
        ("AVTEC SYSTEMS, INC.", "Avtec Systems"),
        ("BSES Rajdhani Power Limited", "BSES Rajdhani Power"),
        ("Acme GmbH", "Acme"),
        ("Globex S.A.", "Globex"),
        ("IBM", "IBM"),
        ("shipsgo", "shipsgo"),  # a brand written small stays so
    ],
)
def test_companies_are_named_as_a_message_would(company, prose):
    assert company_in_prose(company) == prose


@pytest.mark.parametrize(
    "text, subject, opening",
    [
        ("send the API docs", "The API docs, as promised", "I'm sending over the API docs."),
        ("send pricing", "The pricing, as promised", "I'm sending over the pricing."),
        ("intro to Bea Lima", "An introduction to Bea Lima", "introduce you to Bea Lima."),
        ("coffee in March", "Coffee in March?", "about coffee in March: would that still suit"),
    ],
)
def test_a_promise_in_own_words_is_turned_into_a_sentence(text, subject, opening):
    record = _record(reasons=[Reason(1, 7, text)])
    draft = DRAFTS.message(record, _touch("reason", text), EVENT)
    assert draft.subject == subject
    assert f"As promised when we met at Web Summit 2026, {opening}"[:40] in draft.body
    assert opening in draft.body


def test_a_chip_with_a_name_keeps_the_name_in_the_thank_you():
    record = _record(company="AVTEC SYSTEMS, INC.", reasons=[Reason(1, 7, "intro to Bea", "intro")])
    draft = DRAFTS.message(record, _touch("thank_you", "intro to Bea"), EVENT)
    assert "I'll introduce you to Bea shortly." in draft.body
    assert "your work at Avtec Systems." in draft.body and ".." not in draft.body
