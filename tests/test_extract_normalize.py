"""The value fixers: examples, and idempotence for any input (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardscan.reading.extract.normalize import normalize_email, normalize_phone, normalize_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" <Ana.Ruiz@Example.COM>. ", "ana.ruiz@example.com"),
        ("mailto:joao@exemplo.pt", "joao@exemplo.pt"),
        ("li wei @ example.cn", "liwei@example.cn"),
    ],
)
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Example.com/About/", "www.example.com/About"),
        ("http://www.acme-tools.com", "www.acme-tools.com"),
        ("Example.ORG.", "example.org"),
        ("linkedin.com/in/ana-ruiz/", "linkedin.com/in/ana-ruiz"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+351 912 345 678", "", "+351912345678"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("030 1234567", "DE", "+49301234567"),
        ("0091 44 2434 5678", "IN", "+914424345678"),
        ("12-34", "", "1234"),
    ],
)
def test_normalize_phone(raw, region, expected):
    assert normalize_phone(raw, region) == expected


@given(st.text(max_size=60))
def test_normalize_email_is_idempotent(text):
    once = normalize_email(text)
    assert normalize_email(once) == once


@given(st.text(max_size=60))
def test_normalize_url_is_idempotent(text):
    once = normalize_url(text)
    assert normalize_url(once) == once


@given(
    st.text(alphabet="0123456789 +-().", max_size=25),
    st.sampled_from(["", "US", "GB", "PT", "DE", "BR", "IN"]),
)
def test_normalize_phone_is_idempotent(text, region):
    once = normalize_phone(text, region)
    assert normalize_phone(once, region) == once
