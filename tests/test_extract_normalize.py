"""The value fixers: examples (tests/data/extract/normalize.toml), and idempotence for any input
(hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardscan.reading.extract.normalize import normalize_email, normalize_phone, normalize_url
from tests.support.tables import cases


@pytest.mark.parametrize(("raw", "expected"), cases("extract/normalize", "email"))
def test_normalize_email(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), cases("extract/normalize", "url"))
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(("raw", "region", "expected"), cases("extract/normalize", "phone"))
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
