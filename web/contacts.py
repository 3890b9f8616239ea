"""Contacts: search, the briefing page before a meeting, edits, notes and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from cardscan import followups
from cardscan.errors import NotFoundError, ValidationError
from cardscan.store.contacts import EXTRACTED_FIELDS
from web.auth import login_required, user_followups, user_id, user_today
from web.db import get_store
from web.forms import parse_contact_changes, parse_reason, parse_reason_changes
from web.present import thumb_url

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

LIST_FIELDS = ("emails", "phones", "websites")


@bp.app_template_filter("day")
def day_filter(day: date) -> str:
    """A day as people write it: "Fri 12 Dec" ("Tue 10 Mar 2027" in another year)."""
    return followups.day_label(day, user_today())


@bp.get("/")
@login_required
def index() -> Any:
    """All contacts, or the ones matching ``?q=``."""
    store = get_store()
    text = request.args.get("q", "").strip()[:200]
    records = store.contacts.search(user_id(), text) if text else store.contacts.all(user_id())
    events = {e.id: e for e in store.events.all(user_id())}
    records = sorted(records, key=lambda r: ((r.contact.name or "~").lower(), r.id))
    cards = {c.id: c for c in store.cards.all(user_id())}
    thumbs = {
        r.id: thumb_url(cards[r.card_id], r.card_index) for r in records if r.card_id in cards
    }
    return render_template("contacts.html", records=records, q=text, events=events, thumbs=thumbs)


def _touches(store: Any, contact_id: int) -> tuple[list[Any], list[Any]]:
    items = store.touches.all(user_id(), contact_id=contact_id, open_only=False)
    open_ = sorted((t for t in items if t.is_open), key=lambda t: t.when)
    closed = sorted((t for t in items if not t.is_open), key=lambda t: t.updated or t.due)
    return open_, closed


@bp.get("/<int:contact_id>")
@login_required
def show(contact_id: int) -> Any:
    """A contact, laid out to brief you before you meet them."""
    store = get_store()
    record = store.contacts.get(user_id(), contact_id)
    events = {e.id: e for e in store.events.all(user_id())}
    open_touches, past_touches = _touches(store, contact_id)
    cards = [c for c in store.cards.all(user_id()) if c.contact_id == contact_id]
    thumbs = {c.id: thumb_url(c, record.card_index if c.id == record.card_id else 0) for c in cards}
    met = list(dict.fromkeys(m.event_id for m in record.meetings if m.event_id in events))
    merged_in = [
        r for r in store.contacts.all(user_id(), include_merged=True) if r.merged_into == contact_id
    ]
    return render_template(
        "contact.html",
        record=record,
        c=record.contact,
        events=events,
        open_touches=open_touches,
        past_touches=past_touches,
        cards=cards,
        thumbs=thumbs,
        plans=store.plans.all(user_id()),
        met=[events[i] for i in met],
        merged_in=merged_in,
        jobs=followups.job_history(
            store.contacts.corrections(user_id(), contact_id), record.contact
        ),
        closed_words=followups.closed_words,
        words={
            t.id: followups.touch_words(t, record.contact, today=user_today()) for t in open_touches
        },
    )


@bp.get("/<int:contact_id>/delete")
@login_required
def confirm_delete(contact_id: int) -> Any:
    """Say what deleting the contact removes, and ask."""
    store = get_store()
    record = store.contacts.get(user_id(), contact_id)
    gone = store.deletions.contact_deletion(user_id(), contact_id)
    return render_template("contact_delete.html", record=record, c=record.contact, gone=gone)


@bp.post("/<int:contact_id>/delete")
@login_required
def delete(contact_id: int) -> Any:
    """Delete the contact for good, then back to the list."""
    store = get_store()
    record = store.contacts.get(user_id(), contact_id)
    store.deletions.delete_contact(user_id(), contact_id)
    flash(f"Deleted {record.contact.name or 'the contact'} and everything kept about them.", "ok")
    return redirect(url_for("contacts.index"))


@bp.post("/<int:contact_id>/unmerge/<int:other_id>")
@login_required
def unmerge(contact_id: int, other_id: int) -> Any:
    """Split a contact merged into this one back out (edits made since stay here)."""
    store = get_store()
    if store.contacts.get(user_id(), other_id).merged_into != contact_id:
        raise NotFoundError(f"contact {other_id} is not merged into {contact_id}.")
    store.duplicates.unmerge(user_id(), other_id)
    flash("Unmerged: both contacts are back; edits made since the merge stay here.", "ok")
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.get("/<int:contact_id>.vcf")
@login_required
def vcard(contact_id: int) -> Any:
    """The contact as a vCard file for the phone's address book."""
    return redirect(url_for("calendar.export", kind="vcf", contact=contact_id))


def _as_text(contact: Any, name: str) -> str:
    """A field as the edit form shows it (lists one item a line)."""
    value = getattr(contact, name, None)
    if isinstance(value, list):
        return "\n".join(str(getattr(v, "number", v)) for v in value)
    return (value or "").strip()


@bp.post("/<int:contact_id>/edit")
@login_required
def edit(contact_id: int) -> Any:
    """Save the edit form."""
    store = get_store()
    current = store.contacts.get(user_id(), contact_id).contact
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    # Only what was edited: an untouched phone keeps its kind and E.164 form, and no
    # false "correction" is recorded.
    form = {
        k: v for k, v in form.items() if _as_text(current, k) != v.replace("\r\n", "\n").strip()
    }
    if form:
        store.contacts.update(
            user_id(), contact_id, parse_contact_changes(form), fields=EXTRACTED_FIELDS
        )
    flash("Saved.", "ok")
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/<int:contact_id>/notes")
@login_required
def notes(contact_id: int) -> Any:
    """Save the private notes."""
    get_store().contacts.set_private_notes(user_id(), contact_id, request.form.get("notes", ""))
    flash("Notes saved.", "ok")
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/<int:contact_id>/reasons")
@login_required
def add_reason(contact_id: int) -> Any:
    """Add a reason from the contact page (its follow-ups are brought up to date)."""
    reason = parse_reason(
        {"text": request.form.get("text"), "kind": "other", "due": request.form.get("due")}
    )
    user_followups().add_reason(contact_id, **reason)
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/<int:contact_id>/reasons/<int:reason_id>")
@login_required
def change_reason(contact_id: int, reason_id: int) -> Any:
    """Save a reason's text and due date, or remove it (``action=remove``)."""
    store = get_store()
    if store.reasons.get(user_id(), reason_id).contact_id != contact_id:
        raise NotFoundError(f"contact {contact_id} has no reason {reason_id}.")
    if request.form.get("action") == "remove":
        user_followups().remove_reason(reason_id)
        flash("Reason removed.", "ok")
    else:
        changes = parse_reason_changes(
            {"text": request.form.get("text", ""), "due": request.form.get("due") or None}
        )
        user_followups().change_reason(reason_id, **changes)
        flash("Reason saved.", "ok")
    return redirect(url_for("contacts.show", contact_id=contact_id))


@bp.post("/<int:contact_id>/dates")
@login_required
def add_date(contact_id: int) -> Any:
    """Add an important date (birthday, anniversary); it becomes a yearly follow-up."""
    kind = request.form.get("kind", "other")
    raw = request.form.get("date", "")
    try:
        year_s, month_s, day_s = raw.split("-")
        month, day = int(month_s), int(day_s)
        year = int(year_s) or None
    except ValueError:
        raise ValidationError(f"the date {raw[:20]!r} is not like 1990-04-23.") from None
    label = (request.form.get("label") or "").strip()[:80] or None
    user_followups().add_date(contact_id, kind, month, day, year=year, label=label)
    return redirect(url_for("contacts.show", contact_id=contact_id))
