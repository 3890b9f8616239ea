"""Field merging: a card's back into its front, QR codes over OCR, two records of a person."""

from __future__ import annotations

from cardscan.fieldmerge import fill_gaps, merge_records, phone_key, prefer
from cardscan.models import Contact, Phone
from cardscan.reading.extract.emails import same_but_confusable


def test_the_back_fills_what_the_front_lacks():
    front = Contact(name="Ana", phones=[Phone("1", "+351912345678")], confidence={"name": 0.9})
    back = Contact(name="Other", title="CEO", phones=[Phone("2", "+351912345678")])
    merged = fill_gaps(front, back)
    assert (merged.name, merged.title, len(merged.phones)) == ("Ana", "CEO", 1)


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
    merged, fixed = merge_records(keep, other, other_fixed={"company"})
    assert merged.name == "Ana Ruiz"  # higher confidence
    assert merged.title == "CTO"  # higher confidence (keep's)
    assert merged.company == "ACME Corp"  # user-corrected wins over confidence
    assert merged.address == "Rua X 1, Lisboa"  # a value beats nothing
    assert merged.emails == ["ana@acme.example", "ana.ruiz@gmail.example"]
    assert [p.e164 for p in merged.phones] == ["+351912345678", "+34600000000"]
    assert merged.notes == "met at booth\nsecond meeting"
    assert fixed == {"company"}
    assert keep.name == "Ana Ruz"  # inputs untouched


def test_one_phone_key_everywhere():
    """The same number printed two ways (no country code, so no E.164) is one number in
    every merge; different numbers stay two."""
    a, b, c = Phone("912 345 678"), Phone("912-345-678"), Phone("+351 912 345 679", "+351912345679")
    assert phone_key(a) == phone_key(b) == "912345678" and phone_key(c) == "+351912345679"
    assert fill_gaps(Contact(phones=[a]), Contact(phones=[b, c])).phones == [a, c]
    merged, _ = merge_records(Contact(phones=[a]), Contact(phones=[b, c]))
    assert merged.phones == [a, c]
    contact, conf = Contact(phones=[b, c]), {}
    prefer(contact, Contact(phones=[a]), conf, same=same_but_confusable)
    assert contact.phones == [a, c] and conf["phones"] == 0.95


def test_a_code_wins_over_the_reading_and_keeps_what_it_lacks():
    contact = Contact(
        name="Ana Ruz", emails=["ana@acrne.example", "ana@home.example"], notes="booth 4"
    )
    conf = {"name": 0.5, "emails": 0.8}
    code = Contact(name="Ana Ruiz", emails=["ana@acme.example"], notes="from the code")
    prefer(contact, code, conf, same=same_but_confusable)
    assert contact.name == "Ana Ruiz" and conf["name"] == 0.99
    assert contact.emails == ["ana@acme.example", "ana@home.example"]  # rn/m: one address
    assert contact.notes == "booth 4\nfrom the code"
