"""Is this the same person? Pure scoring of two contacts (their fields merge in ``fieldmerge``).

Signals: a shared e-mail, a shared phone number (E.164), a similar name (rapidfuzz) and a
similar company. Each gives a score; they combine as independent evidence
(1 - product of (1 - s)), so two weak signals make a stronger one. Nothing here touches the
store: candidates are offered to the user, never merged silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from cardscan.fieldmerge import phone_key
from cardscan.models import Contact, Phone

#: Scores at or above this are offered as likely duplicates.
CANDIDATE_THRESHOLD = 0.5

SAME_EMAIL = 0.97
SAME_PHONE = 0.9
SAME_NAME_AND_COMPANY = 0.85
SAME_NAME = 0.55  # namesakes exist; a name alone is a question, not an answer
SIMILAR_COMPANY = 0.15
SHARED_BY_OTHERS = 0.2  # the same e-mail or phone on two clearly different names

NAME_MATCH = 88  # rapidfuzz token_sort_ratio, 0..100
COMPANY_MATCH = 85
OTHER_NAME = 60  # below this, two names are different people

_COMPANY_SUFFIXES = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|sa|s\.a|sl|srl|bv|nv|plc|corp|corporation|co|company|lda)\b\.?"
)


@dataclass(frozen=True)
class Similarity:
    """How likely two contacts are the same person (0..1), and why."""

    score: float
    reasons: tuple[str, ...] = ()


def fold(text: str | None) -> str:
    """Lower case, accents off, punctuation to spaces, spaces squeezed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w@.+]+", " ", text).split())


def _company_key(company: str | None) -> str:
    return " ".join(_COMPANY_SUFFIXES.sub(" ", fold(company)).split())


def _phone_keys(phones: Iterable[Phone]) -> set[str]:
    return {k for k in (phone_key(p) for p in phones) if len(k.lstrip("+")) >= 7}


def score_pair(a: Contact, b: Contact) -> Similarity:
    """How likely ``a`` and ``b`` are the same person.

    Args:
        a: one contact.
        b: another.

    Returns:
        A score from 0 (no sign) to 1, with one reason per signal found.
    """
    signals: list[tuple[float, str]] = []
    name_a, name_b = fold(a.name), fold(b.name)
    # Two clearly different names sharing a number or a mailbox are colleagues on the
    # office line or on info@, not one person: the shared value then counts for little.
    other_person = bool(name_a and name_b) and fuzz.token_sort_ratio(name_a, name_b) < OTHER_NAME
    shared = " (but another name)" if other_person else ""
    emails = {e.casefold() for e in a.emails} & {e.casefold() for e in b.emails}
    if emails:
        score = SHARED_BY_OTHERS if other_person else SAME_EMAIL
        signals.append((score, f"same e-mail {sorted(emails)[0]}{shared}"))
    phones = _phone_keys(a.phones) & _phone_keys(b.phones)
    if phones:
        score = SHARED_BY_OTHERS if other_person else SAME_PHONE
        signals.append((score, f"same phone {sorted(phones)[0]}{shared}"))
    company_a, company_b = _company_key(a.company), _company_key(b.company)
    same_company = bool(company_a and company_b) and (
        fuzz.token_sort_ratio(company_a, company_b) >= COMPANY_MATCH
    )
    if name_a and name_b and fuzz.token_sort_ratio(name_a, name_b) >= NAME_MATCH:
        if same_company:
            signals.append((SAME_NAME_AND_COMPANY, f"same name and company ({a.company})"))
        else:
            signals.append((SAME_NAME, f"similar name ({a.name} / {b.name})"))
    elif same_company and signals:
        signals.append((SIMILAR_COMPANY, f"same company ({a.company})"))
    remaining = 1.0
    for score, _ in signals:
        remaining *= 1 - score
    return Similarity(round(1 - remaining, 4), tuple(reason for _, reason in signals))


def candidates(
    contact: Contact, others: Iterable[tuple[int, Contact]], threshold: float = CANDIDATE_THRESHOLD
) -> list[tuple[int, Similarity]]:
    """The others that are likely the same person as ``contact``, best first."""
    scored = [(other_id, score_pair(contact, other)) for other_id, other in others]
    kept = [(i, s) for i, s in scored if s.score >= threshold]
    return sorted(kept, key=lambda item: (-item[1].score, item[0]))


def surplus_touches(touches: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """Of one person's open touches after a merge, those to skip: one per plan step, reason
    or date stays, the earliest (by the day it shows: the snooze date for a snoozed one).

    Both contacts may have been planned (each card is planned when it is read), and a
    calendar must not show "check in" twice for one person.

    Args:
        touches: rows with id, kind, title, step, status, due and snoozed_until.

    Returns:
        ``[touch id, status]`` of each touch to skip, earliest first.
    """

    def when(row: dict[str, Any]) -> tuple[str, int]:
        snoozed = row["status"] == "snoozed" and row["snoozed_until"]
        return (row["snoozed_until"] if snoozed else row["due"], row["id"])

    seen: set[tuple[Any, ...]] = set()
    skipped: list[list[Any]] = []
    for row in sorted(touches, key=when):
        key = ("step", row["step"]) if row["step"] is not None else (row["kind"], row["title"])
        if key not in seen:
            seen.add(key)
            continue
        skipped.append([row["id"], row["status"]])
    return skipped
