"""Plans and touches: the follow-ups' rows (owner: followups). SQL for them lives only here.

Tables (migration 0001): ``plans (id, user_id, name, steps_json, is_default)`` and
``touches (id, user_id, contact_id, kind, title, due, status, snoozed_until, sequence, step,
created, updated)``. Scheduling logic is in ``cardscan.followups``; these parts only read
and writes rows, and raises ``sequence`` and sets ``updated`` on every change of a touch (the
calendar clients rely on both to notice a moved event).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from cardscan.errors import ValidationError
from cardscan.models import TOUCH_STATUSES, Plan, PlanStep, Touch
from cardscan.store._base import Part, dumps, now, to_datetime
from cardscan.store.rows import plan_from_row, touch_from_row

#: The plan every user gets the first time one is needed.
DEFAULT_PLAN_NAME = "Thank you, check in, keep in touch"
DEFAULT_PLAN_STEPS = (
    PlanStep("thank_you", "thank you", 1),
    PlanStep("check_in", "check in", 21),
    PlanStep("keep_in_touch", "keep in touch", 90),
)
#: Plans every user gets beside the default one, to pick per event or per contact.
SHIPPED_PLANS: tuple[tuple[str, tuple[PlanStep, ...]], ...] = (
    (
        "Hot lead",
        (
            PlanStep("thank_you", "thank you", 1),
            PlanStep("check_in", "check in", 7),
            PlanStep("check_in", "follow up", 0, months=1),
            PlanStep("keep_in_touch", "keep in touch", 0, months=3),
        ),
    ),
    (
        "Nurture",
        (
            PlanStep("thank_you", "thank you", 1),
            PlanStep("check_in", "check in", 21),
            PlanStep("check_in", "share something useful", 0, months=3),
            PlanStep("keep_in_touch", "keep in touch", 0, months=6),
        ),
    ),
    (
        "Personal",
        (
            PlanStep("thank_you", "thank you", 1),
            PlanStep("keep_in_touch", "keep in touch", 0, months=6),
        ),
    ),
)
#: Touch columns ``update_touch`` may change.
TOUCH_CHANGES = (
    "kind",
    "title",
    "due",
    "status",
    "snoozed_until",
    "step",
    "updated",
    "closed_by",
)


def steps_json(steps: Sequence[PlanStep]) -> str:
    """The ``steps_json`` column for a plan's steps, checked.

    Raises:
        ValidationError: no steps, or a step without kind or label, or out of range.
    """
    if not steps:
        raise ValidationError("a plan needs at least one step, e.g. 'thank you' after 1 day.")
    out = []
    for index, step in enumerate(steps, 1):
        if not str(step.kind).strip() or not str(step.label).strip():
            raise ValidationError(f"plan step {index} needs a kind and a label, got {step!r}.")
        if not isinstance(step.offset_days, int) or not 0 <= step.offset_days <= 3650:
            raise ValidationError(
                f"plan step {index} ({step.label!r}) is {step.offset_days!r} days after the"
                " event: use a whole number from 0 to 3650."
            )
        if not isinstance(step.months, int) or not 0 <= step.months <= 120:
            raise ValidationError(
                f"plan step {index} ({step.label!r}) is {step.months!r} months after the"
                " event: use a whole number from 0 to 120."
            )
        kind, label = step.kind.strip(), step.label.strip()
        row: dict[str, Any] = {"kind": kind, "label": label, "offset_days": step.offset_days}
        if step.months:
            row["months"] = step.months
        out.append(row)
    return dumps(out)


def _stamp(value: datetime | None) -> str:
    return (value or now()).isoformat()


def _later(previous: str | None, moment: datetime) -> str:
    """``moment``, or one second after ``previous`` when that is not earlier: a calendar's
    LAST-MODIFIED and DTSTAMP have whole seconds, and each change must move them."""
    before = to_datetime(previous)
    if before is not None and moment < before + _SECOND:
        moment = before.replace(microsecond=0) + _SECOND
    return moment.isoformat()


_SECOND = timedelta(seconds=1)


class Plans(Part):
    """A user's follow-up plans: named cadences of touches after an event."""

    def all(self, user_id: int) -> list[Plan]:
        """This user's plans (the default one is created the first time), oldest first."""
        self.default(user_id)
        rows = self.db.query("select * from plans where user_id = ? order by id", [user_id])
        return [plan_from_row(r) for r in rows]

    def get(self, user_id: int, plan_id: int) -> Plan:
        """One of this user's plans.

        Raises:
            NotFoundError: the user has no plan with this id.
        """
        return plan_from_row(self._row("plans", plan_id, user_id, "plan"))

    def default(self, user_id: int) -> Plan:
        """This user's default plan; the built-in one is stored the first time it is asked for.

        Raises:
            NotFoundError: no such user.
        """
        rows = list(
            self.db.query(
                "select * from plans where user_id = ? and is_default = 1 order by id limit 1",
                [user_id],
            )
        )
        if rows:
            return plan_from_row(rows[0])
        self._check_user(user_id)
        with self.atomic():
            first = not self.db.execute(
                "select 1 from plans where user_id = ? limit 1", [user_id]
            ).fetchone()
            plan = self.save(user_id, DEFAULT_PLAN_NAME, DEFAULT_PLAN_STEPS, is_default=True)
            if first:  # a new user: the shipped plans beside the default one
                for name, steps in SHIPPED_PLANS:
                    self.save(user_id, name, steps)
        return plan

    def update(
        self,
        user_id: int,
        plan_id: int,
        *,
        name: str,
        steps: Sequence[PlanStep],
        is_default: bool = False,
    ) -> Plan:
        """Rename a plan, replace its steps, or make it the default.

        Raises:
            NotFoundError: the user has no plan with this id.
            ValidationError: an empty or taken name, or bad steps.
        """
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("a plan needs a name, e.g. 'Hot lead'.")
        encoded = steps_json(steps)
        with self.atomic():
            current = self._row("plans", plan_id, user_id, "plan")
            self._check_name_free("plans", "a plan", user_id, name, plan_id)
            if is_default:
                self.db.execute("update plans set is_default = 0 where user_id = ?", [user_id])
            self.db.table("plans").update(
                plan_id,
                {
                    "name": name,
                    "steps_json": encoded,
                    "is_default": int(is_default or bool(current["is_default"])),
                },
            )
        return self.get(user_id, plan_id)

    def delete(self, user_id: int, plan_id: int) -> None:
        """Delete a plan; its contacts and events follow the default plan from then on.

        Raises:
            NotFoundError: the user has no plan with this id.
            ValidationError: it is the default plan (make another the default first).
        """
        with self.atomic():
            row = self._row("plans", plan_id, user_id, "plan")
            if row["is_default"]:
                raise ValidationError(
                    f"{row['name']!r} is your default plan: make another plan the default first."
                )
            self.db.execute("delete from plans where id = ?", [plan_id])

    def add(self, user_id: int, name: str, steps: Sequence[PlanStep]) -> Plan:
        """A new plan of this user's (the plan editor's "add").

        Raises:
            ValidationError: an empty name, one another plan of the user has, or bad steps.
        """
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("a plan needs a name, e.g. 'Investors'.")
        with self.atomic():
            self._check_name_free("plans", "a plan", user_id, name, None)
            return self.save(user_id, name, steps)

    def save(
        self, user_id: int, name: str, steps: Sequence[PlanStep], is_default: bool = False
    ) -> Plan:
        """Create a plan, or replace the steps of this user's plan with the same name.

        Args:
            user_id: the owner.
            name: the plan's name (unique per user by this method).
            steps: its touches, each with an offset in days from the event's last day.
            is_default: make it the plan new contacts get.

        Returns:
            The saved plan.

        Raises:
            ValidationError: an empty name or bad steps.
        """
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("a plan needs a name, e.g. 'Quick: thank you and check in'.")
        encoded = steps_json(steps)
        with self.atomic():
            if is_default:
                self.db.execute("update plans set is_default = 0 where user_id = ?", [user_id])
            found = self.db.execute(
                "select id, is_default from plans where user_id = ? and name = ?", [user_id, name]
            ).fetchone()
            if found:
                plan_id = found[0]
                self.db.table("plans").update(
                    plan_id,
                    {"steps_json": encoded, "is_default": int(is_default or bool(found[1]))},
                )
            else:
                plan_id = self._insert(
                    "plans",
                    {
                        "user_id": user_id,
                        "name": name,
                        "steps_json": encoded,
                        "is_default": int(is_default),
                    },
                )
        return self.get(user_id, plan_id)


class Touches(Part):
    """A user's touches: the dated follow-ups, each raising its sequence when it changes."""

    def all(
        self,
        user_id: int,
        *,
        contact_id: int | None = None,
        open_only: bool = True,
        due_before: date | None = None,
    ) -> list[Touch]:
        """This user's touches, by calendar day (the snooze date for snoozed ones).

        Touches of contacts merged into another are left out.

        Args:
            user_id: the owner.
            contact_id: only this contact's.
            open_only: only due and snoozed ones (default).
            due_before: only those showing before this day.
        """
        when = "coalesce(case when t.status = 'snoozed' then t.snoozed_until end, t.due)"
        sql = (
            f"select t.*, {when} as day from touches t join contacts c on c.id = t.contact_id"
            " where t.user_id = ? and c.merged_into is null"
        )
        params: list[Any] = [user_id]
        if contact_id is not None:
            sql += " and t.contact_id = ?"
            params.append(contact_id)
        if open_only:
            sql += " and t.status in ('due', 'snoozed')"
        if due_before is not None:
            sql += " and day < ?"
            params.append(due_before.isoformat())
        return [touch_from_row(r) for r in self.db.query(sql + " order by day, t.id", params)]

    def get(self, user_id: int, touch_id: int) -> Touch:
        """One of this user's touches.

        Raises:
            NotFoundError: the user has no touch with this id.
        """
        return touch_from_row(self._row("touches", touch_id, user_id, "touch"))

    def add(self, user_id: int, touches: Iterable[Touch]) -> list[Touch]:
        """Store new touches (their ``id`` is ignored) and return them with their ids.

        Raises:
            NotFoundError: a touch is for a contact this user does not have.
            ValidationError: a touch has an unknown status.
        """
        ids: list[int] = []
        with self.atomic():
            for touch in touches:
                self._row("contacts", touch.contact_id, user_id, "contact")
                if touch.status not in TOUCH_STATUSES:
                    raise ValidationError(
                        f"touch status {touch.status!r} is not one of {', '.join(TOUCH_STATUSES)}."
                    )
                ids.append(
                    self._insert(
                        "touches",
                        {
                            "user_id": user_id,
                            "contact_id": touch.contact_id,
                            "kind": touch.kind,
                            "title": touch.title,
                            "due": touch.due.isoformat(),
                            "status": touch.status,
                            "snoozed_until": touch.snoozed_until.isoformat()
                            if touch.snoozed_until
                            else None,
                            "sequence": touch.sequence,
                            "step": touch.step,
                            "created": _stamp(touch.created),
                            "updated": _stamp(touch.updated or touch.created),
                        },
                    )
                )
        return [self.get(user_id, i) for i in ids]

    def update(self, user_id: int, touch_id: int, **changes: Any) -> Touch:
        """Change a touch; raises its ``sequence`` by one and sets ``updated``.

        Args:
            user_id: the owner.
            touch_id: the touch.
            **changes: any of kind, title, due, status, snoozed_until, step, and ``updated``
                (the timestamp to record; default now).

        Raises:
            NotFoundError: the user has no touch with this id.
            ValidationError: an unknown column or status.
        """
        unknown = set(changes) - set(TOUCH_CHANGES)
        if unknown:
            raise ValidationError(
                f"cannot change {', '.join(sorted(unknown))} of a touch: only"
                f" {', '.join(TOUCH_CHANGES)}."
            )
        status = changes.get("status")
        if status is not None and status not in TOUCH_STATUSES:
            raise ValidationError(
                f"touch status {status!r} is not one of {', '.join(TOUCH_STATUSES)}."
            )
        update: dict[str, Any] = {}
        for name, value in changes.items():
            if name in ("due", "snoozed_until"):
                update[name] = value.isoformat() if value is not None else None
            elif name == "updated":
                update[name] = _stamp(value)
            else:
                update[name] = value
        stamp = to_datetime(update.get("updated")) or now()
        with self.atomic():
            row = self._row("touches", touch_id, user_id, "touch")
            update["sequence"] = row["sequence"] + 1
            update["updated"] = _later(row["updated"], stamp)
            update["content_sha"] = None  # versioned here; the calendar's fingerprint follows
            self.db.table("touches").update(touch_id, update)
        return self.get(user_id, touch_id)

    def record_versions(
        self, user_id: int, fingerprints: Mapping[int, str], moment: datetime
    ) -> list[int]:
        """Raise the version of each touch whose calendar event now says something else.

        Args:
            user_id: the owner.
            fingerprints: touch id -> the fingerprint of what its event says now.
            moment: when the change was seen (``updated`` moves to it, or a second on).

        Returns:
            The ids of the touches whose ``sequence`` was raised. A touch with no
            fingerprint yet (new, or just changed by :meth:`update`) only records it.
        """
        if not fingerprints:
            return []
        known = self._fingerprints(user_id, fingerprints)
        stale = {i for i, sha in fingerprints.items() if i in known and known[i][0] != sha}
        if not stale:
            return []
        raised: list[int] = []
        with self.atomic():
            for touch_id, (sha, updated) in self._fingerprints(user_id, stale).items():
                new = fingerprints[touch_id]
                if sha == new:
                    continue  # another request versioned it meanwhile
                if sha is None:
                    self.db.execute(
                        "update touches set content_sha = ? where id = ?", [new, touch_id]
                    )
                    continue
                self.db.execute(
                    "update touches set content_sha = ?, sequence = sequence + 1, updated = ?"
                    " where id = ?",
                    [new, _later(updated, moment), touch_id],
                )
                raised.append(touch_id)
        return raised

    def _fingerprints(self, user_id: int, ids: Iterable[int]) -> dict[int, tuple[str | None, str]]:
        wanted = sorted(set(ids))
        found: dict[int, tuple[str | None, str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "select id, content_sha, updated from touches"
                f" where user_id = ? and id in ({marks})",
                [user_id, *chunk],
            ):
                found[row[0]] = (row[1], row[2])
        return found
