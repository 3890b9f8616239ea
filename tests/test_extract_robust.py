"""Hostile text stays plain text, strange input never crashes, two-person cards."""

from __future__ import annotations

from extract_support import lines_from_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.extract import extract_contact
from cardscan.models import Box, Line, OcrResult, QrCode


def test_hostile_text_is_kept_as_plain_text():
    ocr = lines_from_text(
        """
        # <script>alert(1)</script>
        '; DROP TABLE contacts; --
        Robert'); DROP TABLE students;-- Ltd
        evil@example.com
        =HYPERLINK("http://x.example")
        """
    )
    contact = extract_contact(ocr)
    assert contact.emails == ["evil@example.com"]
    values = [contact.name, contact.title, contact.company, contact.address, contact.notes]
    for value in values:
        assert value is None or "&lt;" not in value
    # Nothing hostile is taken as a name; what is kept is kept verbatim.
    assert contact.name is None
    assert contact.company in (None, "Robert'); DROP TABLE students;-- Ltd")


def test_two_people_first_and_most_prominent_wins_the_other_goes_to_notes():
    ocr = lines_from_text(
        """
        ## GREENLEAF GARDENS
        # Tomás Rivera
        Owner
        tomas@greenleafgardens.com

        Ana Rivera
        Designer
        ana@greenleafgardens.com
        """
    )
    contact = extract_contact(ocr)
    assert contact.name == "Tomás Rivera"
    assert contact.title == "Owner"
    assert contact.notes and "Ana Rivera" in contact.notes


def test_two_first_names_before_their_numbers():
    ocr = lines_from_text(
        """
        ## birch & stone
        LANDSCAPING
        NINA 555·201·3344
        OSCAR 555·201·7788
        """
    )
    contact = extract_contact(ocr, default_region="US")
    assert contact.name == "NINA"
    assert contact.notes and "OSCAR" in contact.notes
    assert [p.number for p in contact.phones] == ["555.201.3344", "555.201.7788"]


def test_lines_with_zero_sized_or_odd_boxes():
    lines = (
        Line("", Box(0, 0, 0, 0), 0.0),
        Line("Ana Ruiz", Box(10, 10, 0, 0), 0.5),
        Line("+34 612 345 678", Box(-5, -5, 3, 900), 1.0),
        Line("\x00\x1b[31m", Box(0, 0, 1, 1), 0.1),
    )
    contact = extract_contact(OcrResult(lines, "test", 0, 0))
    assert [p.e164 for p in contact.phones] == ["+34612345678"]


def test_junk_qr_codes_are_ignored():
    ocr = lines_from_text("# Ana Ruiz\nana@exemplo.pt")
    codes = [QrCode("BEGIN:VCARD\n\n:::\nTEL;:\nEND:VCARD", "vcard"), QrCode("\x00", "text")]
    assert extract_contact(ocr, codes).emails == ["ana@exemplo.pt"]


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, max_size=8), st.sampled_from(["", "US", "PT", "XX"]))
def test_any_text_gives_a_contact(texts, region):
    lines = tuple(
        Line(t, Box(20, 30 + 45 * i, max(1, 12 * len(t)), 40), 0.9) for i, t in enumerate(texts)
    )
    contact = extract_contact(OcrResult(lines, "test", 800, 500), default_region=region)
    assert all(0.0 <= v <= 1.0 for v in contact.confidence.values())
