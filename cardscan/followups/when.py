"""Dates in words: "coffee in March", "nächsten Dienstag", "fin du mois", "Q1" (pure).

``dateparser`` does the reading: it knows the words for months, weekdays and relative
phrases ("in 2 weeks", "dans 2 semaines", "over 2 weken") in every language cardscan is
used in, ships its language data (no download at run time), and ``search_dates`` finds the
date inside a longer reason. A thin layer here adds what it does not read, each tested
in the seven languages: quarters ("Q1", "T1", "1. Quartal"), a part of a month ("early
January", "Anfang Januar", "fin mars", "mediados de mayo"), and the end of this or next
month, week or year ("end of the month", "Ende des Monats", "fim do mês").

Rules on top of the library's reading:

- relative to the capture time, never in the past: "in March" in December is next March,
  a month named in that very month is today, and any day before the reference is the
  reference;
- a month without a day is its first day ("coffee in March" -> 1 March);
- a time alone ("at 5pm") or a bare number ("2028", "send 2 decks") is not a date;
- short words that are also common words ("may", "march", "do", "mar") are not dates
  alone: "I may intro her" stays a plain reason.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

#: The languages reasons are read in (ISO 639-1), in the order dateparser tries them.
LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl")


@dataclass(frozen=True)
class When:
    """A date found in words: the day, the words it was found in, and their language."""

    day: date
    phrase: str
    language: str


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (Jan 31 + 1 -> Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- the thin layer: quarters, parts of a month, ends of a period ---------------------------

_QUARTER = re.compile(
    r"(?<![\w-])(?:q|t)([1-4])(?:[\s/-]*((?:20)?\d\d))?(?![\w-])"
    r"|(?<![\w-])([1-4])\.?\s*(?:quartal|kwartaal|trimestre|quarter)(?:\s+((?:20)?\d\d))?",
    re.IGNORECASE,
)
_ORDINAL_QUARTER = re.compile(
    r"\b(first|second|third|fourth|erste[sn]?|zweite[sn]?|dritte[sn]?|vierte[sn]?|"
    r"premier|deuxi[eè]me|troisi[eè]me|quatri[eè]me|primer|segundo|tercer|cuarto|"
    r"primeiro|terceiro|quarto|primo|secondo|terzo|eerste|tweede|derde|vierde)\s+"
    r"(quarter|quartal|trimestre|kwartaal)\b",
    re.IGNORECASE,
)
_ORDINALS = {
    **dict.fromkeys(("first", "erste", "erstes", "ersten", "premier", "primer"), 1),
    **dict.fromkeys(("primeiro", "primo", "eerste"), 1),
    **dict.fromkeys(("second", "zweite", "zweites", "zweiten", "deuxième", "deuxieme"), 2),
    **dict.fromkeys(("segundo", "secondo", "tweede"), 2),
    **dict.fromkeys(("third", "dritte", "drittes", "dritten", "troisième", "troisieme"), 3),
    **dict.fromkeys(("tercer", "terceiro", "terzo", "derde"), 3),
    **dict.fromkeys(("fourth", "vierte", "viertes", "vierten", "quatrième", "quatrieme"), 4),
    **dict.fromkeys(("cuarto", "quarto", "vierde"), 4),
}

#: Words for a part of a month, each language's, before the month's name: early, mid, late.
_PARTS = {
    "early": (
        r"early|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of|"
        r"anfang|begin|begin\s+van|d[ée]but|d[ée]but\s+d[e']|principios\s+de|inicios\s+de|"
        r"comienzos\s+de|in[ií]cio\s+de|come[cç]o\s+de|princ[ií]pio\s+de|inizio|"
        r"inizio\s+di|primi\s+di"
    ),
    "mid": (
        r"mid|mid-|middle\s+of|the\s+middle\s+of|mitte|mi-|mi|mediados\s+de|meados\s+de|"
        r"met[àa]|a\s+met[àa]|met[àa]\s+di|half|midden|midden\s+van"
    ),
    "late": (
        r"late|end\s+of|the\s+end\s+of|ende|fin|fin\s+d[e']|fin\s+de|finales\s+de|"
        r"fines\s+de|fim\s+de|final\s+de|fine|fine\s+di|eind|einde|eind\s+van|"
        r"einde\s+van|laat"
    ),
}
_PART_OF_MONTH = re.compile(
    r"(?<!\w)(?P<part>" + "|".join(f"(?P<{k}>{v})" for k, v in _PARTS.items()) + r")"
    r"[\s-]*(?P<month>[^\W\d_]{3,}\.?)(?:\s+(?P<year>\d{4}))?(?!\w)",
    re.IGNORECASE,
)

_THIS, _NEXT = 0, 1
#: "end of the month" and its kin: (regex, period, which one).
_ENDS = [
    (
        r"end\s+of\s+(?:the\s+|this\s+)?month|month[\s-]end|ende\s+(?:des|dieses)\s+monats|"
        r"monatsende|fin\s+(?:du|de)\s+mois|fin\s+de\s+ce\s+mois|fin(?:al)?(?:es)?\s+de(?:l)?\s+mes|"
        r"fim\s+d[eo]\s+m[eê]s|final\s+do\s+m[eê]s|fine\s+(?:del\s+)?mese|"
        r"eind(?:e)?\s+(?:van\s+)?(?:de|deze)\s+maand",
        "month",
        _THIS,
    ),
    (
        r"end\s+of\s+next\s+month|ende\s+n[äa]chsten\s+monats|fin\s+du\s+mois\s+prochain|"
        r"fin(?:al)?\s+del\s+mes\s+que\s+viene|fin(?:al)?\s+del\s+pr[óo]ximo\s+mes|"
        r"fim\s+do\s+pr[óo]ximo\s+m[eê]s|fine\s+del\s+mese\s+prossimo|fine\s+mese\s+prossimo|"
        r"eind(?:e)?\s+(?:van\s+)?volgende\s+maand",
        "month",
        _NEXT,
    ),
    (
        r"end\s+of\s+(?:the\s+|this\s+)?week|ende\s+(?:der|dieser)\s+woche|"
        r"fin\s+de\s+(?:la\s+)?semaine|fin(?:al)?\s+de\s+(?:la\s+|esta\s+)?semana|"
        r"fim\s+d[ae]\s+semana|final\s+da\s+semana|fine\s+(?:della\s+)?settimana|"
        r"eind(?:e)?\s+van\s+de(?:ze)?\s+week",
        "week",
        _THIS,
    ),
    (
        r"end\s+of\s+(?:the\s+|this\s+)?year|year[\s-]end|ende\s+(?:des|dieses)\s+jahres|"
        r"jahresende|fin\s+(?:de\s+l'|d'|de\s+)?(?:l')?ann[ée]e|fin(?:al)?\s+de(?:l)?\s+a[ñn]o|"
        r"fim\s+d[eo]\s+ano|final\s+do\s+ano|fine\s+(?:dell'\s*)?anno|"
        r"eind(?:e)?\s+van\s+(?:het|dit)\s+jaar|jaareinde",
        "year",
        _THIS,
    ),
]
_ENDS_RE = [(re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE), w, n) for p, w, n in _ENDS]


def _quarter_start(quarter: int, year: int | None, reference: date) -> date:
    """The first day of a quarter: the next one of that number, or today when it is the
    current quarter (and no year says otherwise)."""
    month = 3 * (quarter - 1) + 1
    if year is not None:
        return max(date(year, month, 1), reference)
    start = date(reference.year, month, 1)
    if add_months(start, 3) <= reference:  # that quarter is over this year: next year's
        start = date(reference.year + 1, month, 1)
    return max(start, reference)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _find_quarter(text: str, reference: date) -> When | None:
    if m := _QUARTER.search(text):
        quarter = int(m[1] or m[3])
        day = _quarter_start(quarter, _year(m[2] or m[4]), reference)
        return When(day, m[0].strip(), "")
    if m := _ORDINAL_QUARTER.search(text):
        day = _quarter_start(_ORDINALS[m[1].lower()], None, reference)
        return When(day, m[0].strip(), "")
    return None


def _find_end(text: str, reference: date) -> When | None:
    for pattern, period, which in _ENDS_RE:
        if m := pattern.search(text):
            if period == "month":
                first = add_months(reference.replace(day=1), which)
                day = _last_day(first.year, first.month)
            elif period == "week":  # the week's working end: its Friday
                day = reference + timedelta(days=(4 - reference.weekday()) % 7)
            else:
                day = date(reference.year, 12, 31)
            return When(day, m[0].strip(), "")
    return None


def _find_part_of_month(text: str, reference: date) -> When | None:
    for m in _PART_OF_MONTH.finditer(text):
        found = _month_number(m["month"].rstrip("."))
        if found is None:
            continue
        month, language = found
        year = int(m["year"]) if m["year"] else None
        if year is None:
            year = reference.year + (month < reference.month)
        if m["early"]:
            day = date(year, month, 1)
        elif m["mid"]:
            day = date(year, month, 15)
        else:
            day = _last_day(year, month)
        return When(max(day, reference), m[0].strip(), language)
    return None


@functools.lru_cache(maxsize=512)
def _month_number(word: str) -> tuple[int, str] | None:
    """A month's number and language from its name in any of the languages, else None."""
    data = _parser().get_date_data(word)
    if data.date_obj is None or data.period != "month" or word.isdigit():
        return None
    return data.date_obj.month, data.locale or ""


# --- the library's reading -------------------------------------------------------------------

#: Dates the library would find in common words: not dates when they stand alone.
_AMBIGUOUS = frozenset(
    {"may", "march", "mar", "sun", "sat", "wed", "jun", "jul", "aug", "de", "do", "di", "mi"}
)
#: English months that are verbs too: a month only with a day ("March 3") or after a word
#: like "in" ("in March", which the library matches whole).
_VERBS = frozenset({"may", "march"})
#: A noon reference: a day the library derives from it ("in 2 weeks") keeps its time;
#: a day named outright ("in March") comes back at midnight.
_NOON = time(12, 0)


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(LANGUAGES), settings=_settings(datetime.now()))


def _settings(base: datetime) -> dict[str, Any]:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RETURN_TIME_AS_PERIOD": True,
        # Most of the seven languages write day before month (10.03.2027 is 10 March).
        "DATE_ORDER": "DMY",
        "PREFER_LOCALE_DATE_ORDER": False,
    }


def _library_when(text: str, reference: date) -> When | None:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    base = datetime.combine(reference, _NOON)
    settings = _settings(base)
    found = search_dates(
        text, languages=list(LANGUAGES), settings=settings, add_detected_language=True
    )
    if not found:
        return None
    reader = DateDataParser(languages=list(LANGUAGES), settings=settings)
    for phrase, moment, language in found:
        words = phrase.strip()
        if _is_noise(words):
            continue
        data = reader.get_date_data(words)
        period = data.period or "day"
        if period == "time" or (period == "year" and words.isdigit()):
            continue  # "at 5pm" says no day; "2028" may be a number of something
        day = moment.date()
        if period == "month" and moment.time() == time(0):  # a month named: its first day
            if moment.month == reference.month and not re.search(r"\d{4}", words):
                day = reference  # "in December", said in December: this month
            else:
                day = day.replace(day=1)
        return When(max(day, reference), words, language)
    return None


def _is_noise(words: str) -> bool:
    """True for a match that is a common word, not a date ("may", "do", "2 decks")."""
    lowered = words.lower().strip(" ,.;:!?")
    if lowered in _AMBIGUOUS:
        return True
    if lowered.split()[0] in _VERBS and not re.search(r"\d", lowered):
        return True  # "march on", "may be": English verbs, not months, without a day
    letters = re.sub(r"[^\w]", "", lowered)
    return len(letters) <= 2 and not letters.isdigit()


# --- the whole reading -----------------------------------------------------------------------

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def find_when(text: str | None, reference: date | datetime) -> When | None:
    """Find the date a reason names, relative to when it was said.

    Args:
        text: a reason as typed or dictated ("coffee in March", "Kaffee im März").
        reference: the capture time (or day): relative words count from it, and no date
            found is before it.

    Returns:
        The day, the words it was found in and their language ("" when the words are the
        same in every language, like "Q1" or 2027-03-10), or ``None`` when the text names
        no date (it stays a plain reason).
    """
    if not text or not text.strip():
        return None
    ref = reference.date() if isinstance(reference, datetime) else reference
    cleaned = " ".join(text.split())
    if m := _ISO.search(cleaned):
        try:
            return When(max(date(int(m[1]), int(m[2]), int(m[3])), ref), m[0], "")
        except ValueError:
            pass
    for finder in (_find_quarter, _find_end, _find_part_of_month, _library_when):
        if (found := finder(cleaned, ref)) is not None:
            return found
    return None


def parse_when(text: str | None, reference: date | datetime) -> date | None:
    """The day :func:`find_when` finds in a text, or ``None``."""
    found = find_when(text, reference)
    return found.day if found else None


def next_occurrence(month: int, day: int, today: date) -> date:
    """The next ``month``/``day`` on or after today; Feb 29 falls on Feb 28 in other years."""
    for year in (today.year, today.year + 1, today.year + 2):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(day, last))
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: a date recurs within two years")  # pragma: no cover
