"""Dates in words in seven languages, resolved relative to the capture time (dateparser
plus the thin layer in ``followups.when``)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cardscan.followups import find_when, parse_when

#: The capture time every phrase is read against: Monday 7 December 2026, 10:00.
CAPTURED = datetime(2026, 12, 7, 10, 0)

#: (language, phrase, day it resolves to; None: a plain reason).
PHRASES = [
    ("en", "coffee in March", date(2027, 3, 1)),
    ("en", "next Tuesday", date(2026, 12, 8)),
    ("en", "in 2 weeks", date(2026, 12, 21)),
    ("en", "end of the month", date(2026, 12, 31)),
    ("en", "end of next month", date(2027, 1, 31)),
    ("en", "early January", date(2027, 1, 1)),
    ("en", "mid-January", date(2027, 1, 15)),
    ("en", "demo by end of February", date(2027, 2, 28)),
    ("en", "Q1", date(2027, 1, 1)),
    ("en", "pilot in Q3 2027", date(2027, 7, 1)),
    ("en", "first quarter", date(2027, 1, 1)),
    ("en", "send the deck by Friday", date(2026, 12, 11)),
    ("en", "call tomorrow", date(2026, 12, 8)),
    ("en", "lunch end of the week", date(2026, 12, 11)),
    ("en", "by the end of the year", date(2026, 12, 31)),
    ("en", "demo in a month", date(2027, 1, 7)),
    ("en", "in December", date(2026, 12, 7)),  # this month, said in it: today
    ("en", "visit in May 2028", date(2028, 5, 1)),
    ("en", "call on 3 March", date(2027, 3, 3)),
    ("en", "10.03.2027", date(2027, 3, 10)),  # day first, as six of the seven write it
    ("en", "partnership; meeting, by 2027-03-10", date(2027, 3, 10)),
    ("en", "follow up 2025-01-01", date(2026, 12, 7)),  # never in the past
    ("en", "send deck", None),
    ("en", "I may intro her", None),  # "may" the verb is not a month
    ("en", "march on", None),
    ("en", "meet at 5pm", None),  # a time is not a day
    ("en", "send 2 decks", None),
    ("en", "hiring 2028 grads", None),
    ("en", "intro to 3M", None),
    ("de", "Kaffee im März", date(2027, 3, 1)),
    ("de", "nächsten Dienstag", date(2026, 12, 8)),
    ("de", "in 2 Wochen", date(2026, 12, 21)),
    ("de", "Ende des Monats", date(2026, 12, 31)),
    ("de", "Anfang Januar", date(2027, 1, 1)),
    ("de", "Mitte Februar", date(2027, 2, 15)),
    ("de", "im 1. Quartal", date(2027, 1, 1)),
    ("de", "Deck bis Freitag", date(2026, 12, 11)),
    ("de", "übermorgen anrufen", date(2026, 12, 9)),
    ("de", "Angebot schicken", None),
    ("fr", "café en mars", date(2027, 3, 1)),
    ("fr", "mardi prochain", date(2026, 12, 8)),
    ("fr", "dans 2 semaines", date(2026, 12, 21)),
    ("fr", "fin du mois", date(2026, 12, 31)),
    ("fr", "début janvier", date(2027, 1, 1)),
    ("fr", "mi-février", date(2027, 2, 15)),
    ("fr", "fin mars", date(2027, 3, 31)),
    ("fr", "T1", date(2027, 1, 1)),
    ("fr", "d'ici vendredi", date(2026, 12, 11)),
    ("fr", "envoyer la présentation", None),
    ("es", "café en marzo", date(2027, 3, 1)),
    ("es", "el próximo martes", date(2026, 12, 8)),
    ("es", "en 2 semanas", date(2026, 12, 21)),
    ("es", "fin de mes", date(2026, 12, 31)),
    ("es", "a principios de enero", date(2027, 1, 1)),
    ("es", "mediados de febrero", date(2027, 2, 15)),
    ("es", "T1", date(2027, 1, 1)),
    ("es", "antes del viernes", date(2026, 12, 11)),
    ("es", "enviar la propuesta", None),
    ("pt", "café em março", date(2027, 3, 1)),
    ("pt", "próxima terça", date(2026, 12, 8)),
    ("pt", "em 2 semanas", date(2026, 12, 21)),
    ("pt", "fim do mês", date(2026, 12, 31)),
    ("pt", "início de janeiro", date(2027, 1, 1)),
    ("pt", "meados de fevereiro", date(2027, 2, 15)),
    ("pt", "até sexta", date(2026, 12, 11)),
    ("pt", "enviar a proposta", None),
    ("it", "caffè a marzo", date(2027, 3, 1)),
    ("it", "martedì prossimo", date(2026, 12, 8)),
    ("it", "tra 2 settimane", date(2026, 12, 21)),
    ("it", "fine del mese", date(2026, 12, 31)),
    ("it", "inizio gennaio", date(2027, 1, 1)),
    ("it", "metà febbraio", date(2027, 2, 15)),
    ("it", "primo trimestre", date(2027, 1, 1)),
    ("it", "entro venerdì", date(2026, 12, 11)),
    ("it", "mandare la proposta", None),
    ("nl", "koffie in maart", date(2027, 3, 1)),
    ("nl", "volgende dinsdag", date(2026, 12, 8)),
    ("nl", "over 2 weken", date(2026, 12, 21)),
    ("nl", "eind van de maand", date(2026, 12, 31)),
    ("nl", "begin januari", date(2027, 1, 1)),
    ("nl", "half februari", date(2027, 2, 15)),
    ("nl", "Q1", date(2027, 1, 1)),
    ("nl", "voor vrijdag", date(2026, 12, 11)),
    ("nl", "offerte sturen", None),
]


@pytest.mark.parametrize(("language", "text", "expected"), PHRASES)
def test_dates_in_words(language, text, expected):
    found = find_when(text, CAPTURED)
    assert (found.day if found else None) == expected
    if found is not None:
        assert found.phrase and found.phrase.lower() in text.lower()
        assert found.day >= CAPTURED.date()


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (date(2026, 12, 7), date(2027, 3, 1)),  # in December: next March
        (date(2027, 2, 10), date(2027, 3, 1)),  # in February: this March
        (date(2027, 3, 20), date(2027, 3, 20)),  # in March: now
    ],
)
def test_relative_to_the_capture_time_never_in_the_past(reference, expected):
    assert parse_when("coffee in March", reference) == expected


def test_a_quarter_already_running_is_today_and_one_past_is_next_years():
    assert parse_when("Q4", date(2026, 12, 7)) == date(2026, 12, 7)
    assert parse_when("Q2", date(2026, 12, 7)) == date(2027, 4, 1)


def test_no_text_no_date():
    assert find_when("", CAPTURED) is None
    assert find_when(None, CAPTURED) is None
