"""bench scoring rules: strict sets, phones by country when the label has one."""

from __future__ import annotations

import pytest

from cardscan.models import Contact, Phone
from cardscan.reading.scoring import ceiling_marks, norm_website, phones_right, score_contact

LABEL = {
    "name": "Ana Ruiz",
    "title": None,
    "company": "Northwind Traders Ltd",
    "emails": ["Ana.Ruiz@northwind.example"],
    "phones": ["+44 20 7946 0321"],
    "websites": ["https://www.northwind.example/"],
    "address": "1 High Street, London",
}


def _contact(**kw) -> Contact:
    base = dict(
        name="ANA RUIZ",
        company="Northwind Traders Ltd.",
        emails=["ana.ruiz@northwind.example"],
        phones=[Phone("020 7946 0321", "+442079460321")],
        websites=["northwind.example"],
        address="1 High Street\nLondon",
    )
    base.update(kw)
    return Contact(**base)


def test_all_right():
    assert all(score_contact(_contact(), LABEL).values())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "CEO"}, "title"),  # null label: anything extracted is wrong
        ({"phones": []}, "phones"),
        ({"phones": [Phone("1", "+442079460321"), Phone("2", "+442079460999")]}, "phones"),
        ({"emails": ["ana@northwind.example"]}, "emails"),
        ({"name": "Ana"}, "name"),
        ({"websites": ["northwind.example", "x.example"]}, "websites"),
    ],
)
def test_each_error_counts(change, field):
    score = score_contact(_contact(**change), LABEL)
    assert not score[field]
    assert all(v for k, v in score.items() if k != field)


def test_phone_without_country_in_the_label_compares_national_digits():
    assert phones_right([Phone("x", "+16505550143")], ["(650) 555-0143"])
    assert not phones_right([Phone("x", "+16505550144")], ["(650) 555-0143"])
    assert phones_right([Phone("x", "+914422118834")], ["0091 4422 118834"])
    assert not phones_right([Phone("x", "+14422118834")], ["0091 4422 118834"])


def test_norm_website():
    assert norm_website("HTTPS://www.Example.org/") == "example.org"


def test_ceiling_marks_parts_in_any_order():
    text = "London\nAna Ruiz\n1 High Street\nana.ruiz@northwind.example\n+44 20 7946 0321"
    marks = ceiling_marks(text, LABEL)
    assert marks["address"] and marks["emails"] and marks["phones"] and marks["name"]
    assert not marks["company"] and "title" not in marks


def test_social_profile_urls_count_as_websites_but_handles_do_not():
    contact = _contact(socials=["linkedin.com/in/ana-ruiz", "skype:ana.ruiz"])
    label = dict(LABEL, websites=["northwind.example", "https://linkedin.com/in/ana-ruiz"])
    assert score_contact(contact, label)["websites"]
    assert not score_contact(contact, LABEL)["websites"]


def test_a_photo_of_two_cards_is_scored_on_the_reading_of_the_labels_main_card():
    from cardscan.models import CardReading, Contact, OcrResult
    from cardscan.reading.bench import _main_reading

    def reading(name: str, email: str) -> CardReading:
        contact = Contact(name=name, emails=[email])
        return CardReading(contact, OcrResult((), "t", 10, 10), (), 0.0)

    other = reading("Oliver Kent", "o.kent@example.org")
    main = reading("Ana Ruiz", "ana@example.org")
    label = {"name": "Ana Ruiz", "emails": ["ana@example.org"], "other_cards": [{}]}
    assert _main_reading([other, main], label, "") is main
    # One card in the label, two readings: the pipeline split it, the first one counts.
    assert _main_reading([other, main], {**label, "other_cards": []}, "") is other


def test_cards_in_chinese_japanese_or_korean_script_get_their_own_row():
    from cardscan.reading.bench import CardScore, RunScore, format_report, report_dict
    from cardscan.reading.scoring import label_script

    assert label_script({"name": "李 芮 明", "emails": ["li@example.com"]}) == "cjk"
    assert label_script({"company": "(주)태평양"}) == "cjk"
    assert label_script({"address": "〒100-0005 東京都千代田区丸の内1-1"}) == "cjk"
    assert label_script({"name": "Đỗ Thị Hương", "company": "Công ty TNHH"}) == "latin"

    def card(name: str, script: str, right: bool) -> CardScore:
        correct = dict.fromkeys(("name", "title", "company"), right)
        return CardScore(
            name, 1.0, correct, {}, {}, cpu_seconds=2.0 if right else 4.0, script=script
        )

    run = RunScore("pipeline (x)", [card("a", "latin", True), card("b", "cjk", False)])
    assert run.only("cjk").accuracy("name") == 0.0
    assert run.only("latin").accuracy("name") == 1.0
    report = format_report([run])
    assert "pipeline CJK (1)" in report and "pipeline Latin (1)" in report
    by_script = report_dict([run])["runs"][0]["by_script"]
    assert by_script["cjk"]["photos"] == 1 and by_script["cjk"]["median_cpu_seconds"] == 4.0
    assert by_script["latin"]["accuracy"]["name"] == 1.0
