"""Exports: the .ics feed and files, vCard 3.0 and CSV (Google, Outlook, HubSpot)."""

from __future__ import annotations
