"""Requests into arguments: a JSON or form body, ids, dates, reasons, events and contact
changes.

Shared by the JSON API (``web/api``) and the HTML pages."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import request

from cardscan.errors import ValidationError
from cardscan.models import CONTACT_FIELDS, REASON_KINDS

MAX_REASONS = 5
MAX_REASON_CHARS = 200
MAX_FIELD_CHARS = 500


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
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            f"{name} must be a date like 2026-03-31, got {str(value)[:40]!r}."
        ) from None


def parse_reason(item: Any) -> dict[str, Any]:
    """One reason from a request: {text, kind, due}; kind defaults to "other".

    Raises:
        ValidationError: no text, text too long, unknown kind or a bad date.
    """
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise ValidationError('each reason must be an object like {"text": "send deck"}.')
    text = " ".join(str(item.get("text") or "").split())
    if not text:
        raise ValidationError('a reason needs a text, e.g. {"text": "send deck"}.')
    if len(text) > MAX_REASON_CHARS:
        raise ValidationError(
            f"a reason is {len(text)} characters long; keep it under {MAX_REASON_CHARS}."
        )
    kind = str(item.get("kind") or "other")
    if kind not in REASON_KINDS:
        raise ValidationError(f"reason kind {kind[:40]!r} is unknown; use one of {REASON_KINDS}.")
    return {"text": text, "kind": kind, "due": date_arg(item.get("due"), "reason due")}


def parse_reason_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Changes to a reason from a request: only the keys given of text, kind and due.

    Raises:
        ValidationError: an unknown key, or a bad text, kind or date.
    """
    unknown = set(body) - {"text", "kind", "due", "csrf_token"}
    if unknown:
        raise ValidationError(
            f"unknown reason field {sorted(unknown)[0][:40]!r}; send text, kind or due."
        )
    current = {"text": body.get("text") or "x", "kind": body.get("kind"), "due": body.get("due")}
    checked = parse_reason(current)
    return {key: checked[key] for key in ("text", "kind", "due") if key in body}


def parse_reasons(raw: str | None) -> list[dict[str, Any]]:
    """The ``reasons`` form field: a JSON list of reasons (at most ``MAX_REASONS``)."""
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
    if len(items) > MAX_REASONS:
        raise ValidationError(f"{len(items)} reasons given; send at most {MAX_REASONS}.")
    return [parse_reason(item) for item in items]


def parse_contact_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Contact field changes from a request: text fields, and lists for emails/phones/websites.

    Raises:
        ValidationError: an unknown field or an over-long value.
    """
    changes: dict[str, Any] = {}
    for name, value in body.items():
        if name not in CONTACT_FIELDS and name not in ("notes", "socials"):
            raise ValidationError(
                f"unknown contact field {name[:40]!r}; fields are {', '.join(CONTACT_FIELDS)}."
            )
        if name in ("emails", "phones", "websites", "socials"):
            if isinstance(value, str):
                value = [v.strip() for v in value.replace(",", "\n").splitlines()]
            if not isinstance(value, list):
                raise ValidationError(f"{name} must be a list of strings.")
            items = []
            for v in value:
                text = str((v.get("number") if isinstance(v, dict) else v) or "").strip()
                if len(text) > MAX_FIELD_CHARS:
                    raise ValidationError(f"a value of {name} is too long ({len(text)} chars).")
                if text:
                    items.append(v if isinstance(v, dict) else text)
            changes[name] = items
        else:
            text = " ".join(str(value or "").split()) if name != "address" else str(value or "")
            text = text.strip()
            if len(text) > MAX_FIELD_CHARS * 4:
                raise ValidationError(f"{name} is too long ({len(text)} characters).")
            changes[name] = text or None
    return changes


def parse_event(body: dict[str, Any]) -> dict[str, Any]:
    """An event's fields from a request: {name, start?, end?, place?, plan?}; the days
    default to today (the store checks the rest).

    Raises:
        ValidationError: no name, a name or place too long, a bad date or plan id.
    """
    name = " ".join(str(body.get("name") or "").split())
    if not name or len(name) > 120:
        raise ValidationError("an event needs a name of 1 to 120 characters.")
    place = " ".join(str(body.get("place") or "").split())
    if len(place) > 120:
        raise ValidationError("an event's place is at most 120 characters.")
    start = date_arg(body.get("start"), "start") or date.today()
    return {
        "name": name,
        "start": start,
        "end": date_arg(body.get("end"), "end") or start,
        "place": place or None,
        "plan_id": int_arg(body.get("plan"), "plan"),
    }
