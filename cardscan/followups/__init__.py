"""Follow-ups: plans become dated touches, and touches move (done, snoozed, skipped, logged).

- ``plans``: the pure scheduling and state changes (records in, new records out);
- ``when``: due dates in free text ("coffee in March");
- ``service``: the same over the store, one user's day at a time (:class:`FollowUps`: what
  the CLI and the web app call);
- ``wording``: a touch said as a person would ("you said: send the deck — by Fri 12 Dec");
- ``text``: text cleaning shared with the exports;
- ``clock``: the user's own day (their time zone, else the server's).
"""

from __future__ import annotations

from cardscan.followups.plans import (
    DATE_KINDS,
    DEFAULT_PLAN_NAME,
    DEFAULT_STEPS,
    REASON_KIND,
    STEP_KINDS,
    STEP_UNITS,
    date_touch,
    default_plan,
    display_name,
    is_provisional,
    lead_reasons,
    log_contact,
    mark_done,
    move,
    next_yearly,
    plan_step,
    planned_days,
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
from cardscan.followups.service import FollowUps, followup_list, remove_event
from cardscan.followups.text import clean_text, one_line
from cardscan.followups.when import (
    LANGUAGES,
    When,
    add_months,
    find_when,
    next_occurrence,
    parse_when,
)
from cardscan.followups.wording import (
    PROMISE_KIND,
    closed_words,
    day_label,
    is_promise,
    job_history,
    job_question,
    touch_words,
)

__all__ = [
    "DATE_KINDS",
    "FollowUps",
    "DEFAULT_PLAN_NAME",
    "DEFAULT_STEPS",
    "LANGUAGES",
    "PROMISE_KIND",
    "REASON_KIND",
    "STEP_KINDS",
    "STEP_UNITS",
    "When",
    "add_months",
    "clean_text",
    "closed_words",
    "date_touch",
    "day_label",
    "default_plan",
    "display_name",
    "find_when",
    "followup_list",
    "is_promise",
    "is_provisional",
    "job_question",
    "job_history",
    "lead_reasons",
    "log_contact",
    "mark_done",
    "move",
    "next_occurrence",
    "next_yearly",
    "one_line",
    "parse_when",
    "plan_step",
    "planned_days",
    "reason_due",
    "remove_event",
    "replan",
    "schedule",
    "skip",
    "snooze",
    "step_days",
    "summary_line",
    "touch_summary",
    "touch_why",
    "touch_words",
    "update_touches",
    "validate_steps",
]
