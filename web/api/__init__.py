"""The JSON API: what scripts (with a Bearer token) and the app's own pages call.

One module per area, like the HTML pages: ``session``, ``events``, ``cards``, ``captures``
(the capture page's prompt), ``triage``, ``contacts``, ``followups``; all add their routes to
one blueprint (``api.*`` endpoints).
Request conversion shared with the pages is in ``web/forms.py``.
"""

from __future__ import annotations

from web.api import captures, cards, contacts, events, followups, session, triage
from web.api.blueprint import bp

__all__ = ["bp", "captures", "cards", "contacts", "events", "followups", "session", "triage"]
