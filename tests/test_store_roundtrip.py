"""Storing a contact and reading it back is lossless (hypothesis), in a file or in memory."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.models import PHONE_KINDS, Contact, Phone
from cardscan.store import Store

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
maybe = st.none() | text.filter(lambda t: t.strip() == t and t != "")
phones = st.builds(
    Phone,
    number=text,
    e164=st.none() | st.from_regex(r"\+[1-9]\d{7,13}", fullmatch=True),
    kind=st.sampled_from(PHONE_KINDS),
)
contacts = st.builds(
    Contact,
    name=maybe,
    title=maybe,
    company=maybe,
    emails=st.lists(text, max_size=3),
    phones=st.lists(phones, max_size=3),
    websites=st.lists(text, max_size=2),
    socials=st.lists(text, max_size=2),
    address=maybe,
    notes=maybe,
    confidence=st.dictionaries(
        st.sampled_from(["name", "title", "company", "emails", "phones"]),
        st.floats(0, 1).map(lambda f: round(f, 4)),
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=contacts)
def test_contacts_round_trip(store, contact):
    user = (
        store.users.all()[0]
        if store.users.all()
        else store.users.add("ana", "correct horse battery")
    )
    record = store.contacts.add(user.id, contact)
    assert store.contacts.get(user.id, record.id).contact == contact


def test_an_in_memory_store(tmp_path):
    with Store(memory=True, photos_dir=tmp_path / "photos") as store:
        store.users.password_cost = 2**10
        user = store.users.add("ana", "correct horse battery")
        card, created = store.cards.add(user.id, b"photo bytes")
        assert created and store.photos.path(card.front).read_bytes() == b"photo bytes"
