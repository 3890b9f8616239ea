"""The digest clock inside ``cardscan serve``: a thread that wakes every minute and sends
the digests whose hour has come (each user's own time zone). Several servers on one data
directory may all run it: the store's claim lets one of them send each digest.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from cardscan.errors import CardscanError
from cardscan.outreach.digest import DigestOutcome, Digests
from cardscan.outreach.links import DigestLinks
from cardscan.settings import Settings

log = logging.getLogger("cardscan.digest")


class DigestScheduler:
    """Sends due digests from a daemon thread until stopped."""

    def __init__(
        self, data_dir: Path, settings: Settings, *, base_url: str, interval: float = 60.0
    ) -> None:
        """Args:
        data_dir: the data directory (each pass opens its own store).
        settings: the SMTP server and the rest.
        base_url: the app's public address, for the links in the mails.
        interval: seconds between passes.
        """
        self.data_dir = Path(data_dir)
        self.settings = settings
        self.base_url = base_url
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._said: str | None = None  # the last configuration problem logged

    def tick(self, now: datetime | None = None) -> list[DigestOutcome]:
        """One pass: send what is due now. A setting that stops all mail is logged once."""
        from cardscan.store import Store

        if not self.settings.smtp_host:
            return []  # no mail server: the digest is simply off
        try:
            with Store.open(self.data_dir, migrate=False) as store:
                links = DigestLinks.of(self.data_dir, self.base_url)
                digests = Digests(store, self.settings, links)
                outcomes = digests.send_due(now=now or datetime.now(UTC))
        except CardscanError as e:
            if e.message != self._said:
                log.error("digest: %s", e.message)
                self._said = e.message
            return []
        self._said = None
        for outcome in outcomes:
            (log.warning if outcome.status == "failed" else log.info)("digest: %s", outcome.message)
        return outcomes

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # keep the clock going; the next pass tries again
                log.exception("digest: a pass failed")

    def start(self) -> DigestScheduler:
        """Start the thread (the first pass comes after one interval)."""
        self._thread = threading.Thread(target=self._run, name="cardscan-digest", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the pass under way, if any."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
