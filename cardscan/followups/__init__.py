"""Follow-ups: plans become dated touches, and touches move (done, snoozed, skipped, logged).

- ``plans``: the pure scheduling and state changes (records in, new records out);
- ``when``: due dates in free text ("coffee in March");
- ``service``: the same over the store (what the CLI and the web app call);
- ``text``: text cleaning shared with the exports.
"""

from __future__ import annotations

from cardscan.followups.plans import (
    DATE_KINDS,
    DEFAULT_PLAN_NAME,
    DEFAULT_STEPS,
    REASON_KIND,
    date_touch,
    default_plan,
    display_name,
    lead_reasons,
    log_contact,
    mark_done,
    move,
    next_yearly,
    reason_due,
    replan,
    schedule,
    skip,
    snooze,
    step_days,
    summary_line,
    touch_summary,
    touch_why,
    update_touches,
    validate_steps,
)
from cardscan.followups.service import (
    add_date,
    add_reason,
    change_reason,
    done_touch,
    followup_list,
    move_touch,
    plan_contact,
    plan_contacts,
    plan_read_card,
    record_contact,
    remove_reason,
    skip_touch,
    snooze_touch,
    switch_plan,
)
from cardscan.followups.text import clean_text, one_line
from cardscan.followups.when import add_months, next_occurrence, parse_when

__all__ = [
    "DATE_KINDS",
    "DEFAULT_PLAN_NAME",
    "DEFAULT_STEPS",
    "REASON_KIND",
    "add_date",
    "add_months",
    "add_reason",
    "change_reason",
    "clean_text",
    "date_touch",
    "default_plan",
    "display_name",
    "done_touch",
    "followup_list",
    "lead_reasons",
    "log_contact",
    "mark_done",
    "move",
    "move_touch",
    "next_occurrence",
    "next_yearly",
    "one_line",
    "parse_when",
    "plan_contact",
    "plan_contacts",
    "plan_read_card",
    "reason_due",
    "record_contact",
    "remove_reason",
    "replan",
    "schedule",
    "skip",
    "skip_touch",
    "snooze",
    "snooze_touch",
    "step_days",
    "summary_line",
    "switch_plan",
    "touch_summary",
    "touch_why",
    "update_touches",
    "validate_steps",
]
