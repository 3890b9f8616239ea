"""Requests into arguments: a JSON or form body, ids, dates, reasons, events and contact
changes.

Shared by the JSON API (``web/api``) and the HTML pages. This only turns what was sent
into the library's arguments (text, lists, dates, ids); what the values may be is checked
once, by the library (``cardscan.store``), with the same words for the API, the pages and
the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from flask import request

from cardscan.errors import ValidationError

T = TypeVar("T")


def json_body() -> dict[str, Any]:
    """The request's JSON object, or its form fields."""
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # json gives up on deep nesting ([[[[...) with this, not ValueError
            body = None
        if not isinstance(body, dict):
            raise ValidationError('the request body is not a JSON object: send {"field": value}.')
        return body
    return request.form.to_dict()


def int_arg(value: Any, name: str) -> int | None:
    """A whole number (an id) from a request, None when not given."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"{name} must be a whole number, got {str(value)[:40]!r}.") from None
    if abs(number) > 2**63 - 1:  # SQLite's integers are 64-bit; the query would overflow
        raise ValidationError(f"{name} {str(value)[:40]!r} is too large to be an id.")
    return number


def date_arg(value: Any, name: str) -> date | None:
    """A date (YYYY-MM-DD) from a request, None when not given."""
    return _iso(value, name, date.fromisoformat, "a date like 2026-03-31")


def datetime_arg(value: Any, name: str) -> datetime | None:
    """A time (ISO 8601, as JavaScript's toISOString writes it) from a request, None when not
    given."""
    return _iso(value, name, datetime.fromisoformat, "a time like 2026-03-31T09:30:00Z")


def _iso(value: Any, name: str, parse: Callable[[str], T], like: str) -> T | None:
    """``value`` read by ``parse`` (an ISO 8601 reader), None when not given."""
    if value in (None, ""):
        return None
    try:
        return parse(str(value))
    except ValueError:
        raise ValidationError(f"{name} must be {like}, got {str(value)[:40]!r}.") from None


def parse_reason(item: Any) -> dict[str, Any]:
    """One reason from a request as arguments: {text, kind, due}; kind defaults to "other".

    The library checks the text and kind (``cardscan.store.reasons.check_reason``).

    Raises:
        ValidationError: not a reason object, or a bad date.
    """
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise ValidationError('each reason must be an object like {"text": "send deck"}.')
    return {
        "text": str(item.get("text") or ""),
        "kind": str(item.get("kind") or "other"),
        "due": date_arg(item.get("due"), "reason due"),
    }


def parse_reason_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Changes to a reason from a request: only the keys given of text, kind and due.

    Raises:
        ValidationError: an unknown key, or a bad date.
    """
    unknown = set(body) - {"text", "kind", "due", "csrf_token"}
    if unknown:
        raise ValidationError(
            f"unknown reason field {sorted(unknown)[0][:40]!r}; send text, kind or due."
        )
    given = parse_reason(
        {"text": body.get("text"), "kind": body.get("kind"), "due": body.get("due")}
    )
    return {key: given[key] for key in ("text", "kind", "due") if key in body}


def parse_reasons(raw: str | None) -> list[dict[str, Any]]:
    """The ``reasons`` form field: a JSON list of reasons."""
    if not raw:
        return []
    try:
        items = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValidationError(
            'reasons must be a JSON list like [{"text": "send deck", "kind": "deck"}].'
        ) from None
    if not isinstance(items, list):
        raise ValidationError("reasons must be a JSON list.")
    return [parse_reason(item) for item in items]


def parse_contact_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Contact field changes from a request: text as text, and the list fields (emails,
    phones, websites, socials) as lists, a text of several split at commas and line breaks.

    The library checks the fields and values (``store.contacts.update``).

    Raises:
        ValidationError: a list field that is neither a list nor a text.
    """
    changes: dict[str, Any] = {}
    for name, value in body.items():
        if name in ("emails", "phones", "websites", "socials"):
            if isinstance(value, str):
                value = [v.strip() for v in value.replace(",", "\n").splitlines()]
            if not isinstance(value, list):
                raise ValidationError(f"{name} must be a list of strings.")
            items = []
            for v in value:
                text = str((v.get("number") if isinstance(v, dict) else v) or "").strip()
                if text:
                    items.append(v if isinstance(v, dict) else text)
            changes[name] = items
        else:
            changes[name] = str(value or "")
    return changes


def parse_event(body: dict[str, Any], today: date) -> dict[str, Any]:
    """An event's fields from a request as arguments: {name, start?, end?, place?, plan?};
    the days default to ``today`` (the user's). The store checks the name, place and days.

    Raises:
        ValidationError: a bad date or plan id.
    """
    start = date_arg(body.get("start"), "start") or today
    return {
        "name": str(body.get("name") or ""),
        "start": start,
        "end": date_arg(body.get("end"), "end") or start,
        "place": str(body.get("place") or "") or None,
        "plan_id": int_arg(body.get("plan"), "plan"),
    }
