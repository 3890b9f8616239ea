"""One-tap acts on a touch (done, snooze, skip), each kept so it can be undone and shown.

The change itself is the follow-ups' (``cardscan.followups``: a birthday marked done makes
next year's touch, and so on); this module records what the touch was before and what the
act made, in the same transaction, so that Undo puts everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from cardscan import followups
from cardscan.errors import ConflictError, ValidationError
from cardscan.followups.wording import day_label
from cardscan.models import Touch, TouchAct

if TYPE_CHECKING:  # pragma: no cover - typing only
    from cardscan.store import Store

_VIA = ("web", "mail", "cli")


def _before(touch: Touch) -> dict[str, str | None]:
    return {
        "status": touch.status,
        "due": touch.due.isoformat(),
        "snoozed_until": touch.snoozed_until.isoformat() if touch.snoozed_until else None,
    }


def act(
    mine: followups.FollowUps,
    touch_id: int,
    action: str,
    *,
    until: date | None = None,
    via: str = "web",
) -> TouchAct:
    """Mark a touch done, snooze it (a week, or until a day) or skip it, and keep the act.

    Args:
        mine: the user's follow-ups on their day (a snooze must end after it), and the time
            to record.
        touch_id: the touch.
        action: "done", "snooze" or "skip".
        until: the day a snoozed touch comes back (default: a week from today).
        via: where it was done: "web", "mail" (a digest link) or "cli".

    Returns:
        The act, to undo or show.

    Raises:
        ValidationError: an unknown action, a closed touch, a snooze day not after today.
        NotFoundError: the user has no such touch.
    """
    if via not in _VIA:
        raise ValidationError(f"unknown source {via!r} of an act.")
    store, user_id, now = mine.store, mine.user_id, mine.now
    with store.atomic():
        touch = store.touches.get(user_id, touch_id)
        had = {
            t.id for t in store.touches.all(user_id, contact_id=touch.contact_id, open_only=False)
        }
        changed = mine.act_on_touch(touch_id, action, until=until)
        after = store.touches.all(user_id, contact_id=touch.contact_id, open_only=False)
        before = _before(touch)
        if changed.status == "snoozed" and changed.snoozed_until is not None:
            before["until"] = changed.snoozed_until.isoformat()  # for the history line
        return store.acts.add(
            user_id,
            touch_id,
            touch.contact_id,
            action,
            via=via,
            before=before,
            sequence=changed.sequence,
            made=sorted(t.id for t in after if t.id not in had),
            now=now,
        )


def undo(store: Store, user_id: int, act_id: int, *, now: datetime | None = None) -> Touch:
    """Put a touch back as it was before an act; touches the act made go again.

    The touch's sequence still rises (a calendar sees the change back as a change).

    Returns:
        The touch as it is again.

    Raises:
        NotFoundError: the user has no such act.
        ConflictError: the act was undone already, or the touch changed since.
    """
    now = now or datetime.now(UTC)
    with store.atomic():
        done = store.acts.get(user_id, act_id)
        if done.undone is not None:
            raise ConflictError("that was undone already.")
        touch = store.touches.get(user_id, done.touch_id)
        if touch.sequence != done.sequence:
            raise ConflictError(
                "the follow-up changed after that, so it cannot be undone: change it on the"
                " contact's page."
            )
        before = done.before
        restored = store.touches.update(
            user_id,
            touch.id,
            status=before["status"],
            due=date.fromisoformat(before["due"]),
            snoozed_until=date.fromisoformat(before["snoozed_until"])
            if before.get("snoozed_until")
            else None,
            updated=now,
        )
        store.acts.delete_made(user_id, done.made)
        store.acts.mark_undone(user_id, act_id, now)
    return restored


@dataclass(frozen=True)
class HistoryLine:
    """One act as a history shows it."""

    act_id: int
    contact_id: int
    when: datetime
    text: str  # "Marked done: send deck (from the digest e-mail)"
    undone: bool
    can_undo: bool  # not undone, and the touch has not changed since


_VERBS = {"done": "Marked done", "skip": "Skipped", "snooze": "Snoozed"}
_FROM = {"web": "", "mail": " (from the digest e-mail)", "cli": " (from the command line)"}


def describe(done: TouchAct, touch: Touch | None, *, source: bool = True) -> str:
    """ "Marked done: send deck (from the digest e-mail)"; a snooze says until when."""
    title = touch.title if touch is not None else "a follow-up"
    verb = _VERBS.get(done.action, done.action)
    if done.action == "snooze" and done.before.get("until"):
        until = date.fromisoformat(done.before["until"])
        verb = f"Snoozed to {day_label(until, (done.created or datetime.now(UTC)).date())}"
    return f"{verb}: {title}" + (_FROM.get(done.via, "") if source else "")


def history(
    store: Store,
    user_id: int,
    *,
    contact_id: int | None = None,
    since: datetime | None = None,
) -> list[HistoryLine]:
    """The user's acts, newest first (a contact's only; only those since a time), undone
    ones marked, and whether each can still be undone."""
    acts = store.acts.all(user_id, contact_id=contact_id, since=since)
    touches: dict[int, Touch] = {}
    for contact in {a.contact_id for a in acts}:
        for each in store.touches.all(user_id, contact_id=contact, open_only=False):
            touches[each.id] = each
    lines = []
    for done in acts:
        touch = touches.get(done.touch_id)
        lines.append(
            HistoryLine(
                act_id=done.id,
                contact_id=done.contact_id,
                when=done.created or datetime.now(UTC),
                text=describe(done, touch),
                undone=done.undone is not None,
                can_undo=done.undone is None
                and touch is not None
                and touch.sequence == done.sequence,
            )
        )
    return lines
