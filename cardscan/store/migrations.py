"""Versioned schema changes, applied in order by ``sqlite_utils.Migrations``.

Every schema change is a new function here, never an edit of an old one: a database made
by any earlier version upgrades by running the migrations it has not seen yet
(recorded in ``_sqlite_migrations``; ``upgrade.migrate`` backs the database up first).
Tables and columns are named so that the database explains itself in Datasette: JSON
columns say so in their comment, timestamps are ISO 8601 UTC text, dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("cardscan")


@migrations(name="0001_tables")
def m0001_tables(db: sqlite_utils.Database) -> None:
    """Every table: users and tokens, events, cards, contacts and what hangs off them."""
    db.executescript(
        """
        create table users (
            id integer primary key,
            name text not null unique,
            password_hash text not null,        -- scrypt$n$r$p$salt$hash (hex)
            feed_token text not null,           -- secret in the calendar feed URL
            feed_token_sha256 text not null unique,
            created text not null
        );
        create table api_tokens (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            label text not null,
            token_sha256 text not null unique,  -- the token itself is shown once, never stored
            created text not null,
            last_used text,
            revoked text
        );
        create table events (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text not null,
            start_date text not null,
            end_date text not null,
            place text,
            created text not null,
            unique (user_id, name)
        );
        create table plans (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text not null,
            steps_json text not null,           -- [{"kind", "label", "offset_days"}, ...]
            is_default integer not null default 0
        );
        create table cards (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            event_id integer references events(id) on delete set null,
            status text not null default 'queued'
                check (status in ('queued', 'reading', 'done', 'failed')),
            front_photo text not null,          -- sha256 of the photo in photos/<2>/<sha256>.jpg
            back_photo text,
            client_uuid text,                   -- the uploader's id for this capture (idempotency)
            contact_id integer references contacts(id) on delete set null,
            engine text,
            tries integer not null default 0,
            error text,
            claimed_by text,                    -- host:pid:worker reading it now
            claimed_at text,
            read_seconds real,
            ocr_json text,                      -- [{"card_index", "ocr", "qr"}], words with boxes
            triaged integer not null default 0,
            created text not null,
            updated text not null,
            unique (user_id, client_uuid),
            unique (user_id, front_photo)
        );
        create index cards_queue on cards (status, id);
        create index cards_by_event on cards (user_id, event_id);
        create table contacts (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text,
            title text,
            company text,
            emails_json text not null default '[]',
            phones_json text not null default '[]',   -- [{"number", "e164", "kind"}]
            websites_json text not null default '[]',
            socials_json text not null default '[]',
            address text,
            notes text,                          -- notes read from the card or typed in
            private_notes text,                  -- the user's own notes, kept out of exports
            confidence_json text not null default '{}',  -- {"field": 0..1}
            extracted_json text,                 -- the fields as OCR read them (for corrections)
            corrected_fields_json text not null default '[]',
            card_id integer references cards(id) on delete set null,
            card_index integer not null default 0,  -- which card of a photo with several
            merged_into integer references contacts(id) on delete set null,
            plan_id integer references plans(id) on delete set null,
            created text not null,
            updated text not null
        );
        create index contacts_by_user on contacts (user_id, merged_into);
        create table meetings (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            event_id integer not null references events(id) on delete cascade,
            card_id integer references cards(id) on delete set null,
            created text not null
        );
        create index meetings_by_contact on meetings (contact_id);
        create table reasons (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer references contacts(id) on delete cascade,  -- null until read
            card_id integer references cards(id) on delete set null,
            event_id integer references events(id) on delete set null,
            text text not null,
            kind text not null default 'other',
            due text,
            confirmed integer not null default 0,
            created text not null
        );
        create index reasons_by_contact on reasons (contact_id);
        create index reasons_by_card on reasons (card_id);
        create table important_dates (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            kind text not null,
            month integer not null check (month between 1 and 12),
            day integer not null check (day between 1 and 31),
            year integer,
            label text
        );
        create table corrections (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            card_id integer references cards(id) on delete set null,
            event_id integer references events(id) on delete set null,
            field text not null,
            ocr_value text,                     -- JSON of what OCR read
            final_value text,                   -- JSON of what the user set
            corrected text not null
        );
        create index corrections_by_user on corrections (user_id, event_id);
        create table duplicates (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            other_id integer not null references contacts(id) on delete cascade,
            score real not null,
            reasons_json text not null,         -- why they look alike
            status text not null default 'offered'
                check (status in ('offered', 'merged', 'dismissed')),
            created text not null,
            unique (contact_id, other_id)
        );
        create table merges (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            kept_id integer not null references contacts(id) on delete cascade,
            merged_id integer not null references contacts(id) on delete cascade,
            snapshot_json text not null,        -- both rows and moved ids, for unmerge
            merged text not null,
            undone text
        );
        create table touches (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            kind text not null,
            title text not null,
            due text not null,
            status text not null default 'due'
                check (status in ('due', 'snoozed', 'done', 'skipped')),
            snoozed_until text,
            sequence integer not null default 0,
            step integer,
            created text not null,
            updated text not null
        );
        create index touches_by_user on touches (user_id, status, due);
        create virtual table contacts_fts using fts5(
            name, company, title, emails, notes, reasons,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


_INDEX_CONTACTS = """
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
"""


def _reindex(contact_id: str) -> str:
    """SQL that rewrites one contact's row in ``contacts_fts`` (``contact_id`` is an SQL
    expression such as ``new.id``)."""
    return f"""
        delete from contacts_fts where rowid = {contact_id};
        {_INDEX_CONTACTS} where c.id = {contact_id};
    """


@migrations(name="0002_search_sync")
def m0002_search_sync(db: sqlite_utils.Database) -> None:
    """Keep ``contacts_fts`` in step with contacts and reasons by triggers; index what exists."""
    db.executescript(
        f"""
        create trigger contacts_fts_insert after insert on contacts begin
            {_reindex("new.id")}
        end;
        create trigger contacts_fts_update after update on contacts begin
            {_reindex("new.id")}
        end;
        create trigger contacts_fts_delete after delete on contacts begin
            delete from contacts_fts where rowid = old.id;
        end;
        create trigger reasons_fts_insert after insert on reasons
        when new.contact_id is not null begin
            {_reindex("new.contact_id")}
        end;
        create trigger reasons_fts_update after update on reasons begin
            {_reindex("old.contact_id")}
            {_reindex("new.contact_id")}
        end;
        create trigger reasons_fts_delete after delete on reasons
        when old.contact_id is not null begin
            {_reindex("old.contact_id")}
        end;
        delete from contacts_fts;
        {_INDEX_CONTACTS};
        """
    )


#: How versions before 0003 carried a reason's date chosen at capture: in its text.
_TEXT_DUE = re.compile(r"^(?P<text>.*\S) by (?P<due>\d{4}-\d{2}-\d{2})$")


@migrations(name="0003_session_epoch_and_reason_due")
def m0003_session_epoch_and_reason_due(db: sqlite_utils.Database) -> None:
    """``users.session_epoch``, and reasons' capture dates moved from their text to ``due``.

    A login stores the user's epoch in the (signed) session cookie; every request compares
    it with this column, and logging out raises it, so a cookie copied before the logout is
    dead afterwards. Earlier versions wrote the "when" chosen at capture into the reason's
    text ("send deck by 2026-12-01"); it goes to the reason's ``due`` field now, and the
    open touches titled that way lose the suffix too.
    """
    db.table("users").add_column("session_epoch", int, not_null_default=0)
    rows = db.query("select id, text from reasons where due is null and text like '% by %'")
    for row in list(rows):
        match = _TEXT_DUE.match(row["text"])
        if match is None:
            continue
        try:
            due = date.fromisoformat(match["due"])
        except ValueError:
            continue  # not a real date: leave the text as the user sees it
        db.execute(
            "update reasons set text = ?, due = ? where id = ?",
            [match["text"], due.isoformat(), row["id"]],
        )
        db.execute(
            "update touches set title = ? where title = ? and status in ('due', 'snoozed')",
            [match["text"], row["text"]],
        )


@migrations(name="0004_contacts_triaged")
def m0004_contacts_triaged(db: sqlite_utils.Database) -> None:
    """``contacts.triaged``: triage is per card read, not per photo.

    A photo of two cards gives two contacts (``card_index`` 0 and 1), and each is checked in
    triage on its own. Before, only the photo had a ``triaged`` flag and triage showed its
    first contact, so the second was never checked. The flag goes to the contact triage
    showed (the photo's first); ``cards.triaged`` now means every card read from the photo
    is triaged, so a photo whose second card was never checked comes back to triage for it.
    """
    db.table("contacts").add_column("triaged", int, not_null_default=0)
    db.execute(
        """
        update contacts set triaged = 1
        where card_id in (select id from cards where triaged = 1)
          and card_index = (
            select min(first.card_index) from contacts first where first.card_id = contacts.card_id
          )
        """
    )
    db.execute(
        """
        update cards set triaged = 0
        where triaged = 1
          and exists (select 1 from contacts c where c.card_id = cards.id and c.triaged = 0)
        """
    )


@migrations(name="0005_touch_versions")
def m0005_touch_versions(db: sqlite_utils.Database) -> None:
    """``touches.content_sha``: a fingerprint of what the touch's calendar event says.

    The calendar's SEQUENCE and LAST-MODIFIED must move whenever the event's text changes,
    and much of that text is the contact's (name, details, reasons, where you met) or an
    event's, changed without the touch row changing. Each time calendar data is built, the
    fingerprint of every open touch's event is compared with this one; a different one
    raises ``sequence`` and moves ``updated`` (NULL: not known yet, or the touch row itself
    just changed and was versioned already).
    """
    db.table("touches").add_column("content_sha", str)


@migrations(name="0006_shipped_plans")
def m0006_shipped_plans(db: sqlite_utils.Database) -> None:
    """Every user who has plans gets the shipped ones too: "Hot lead", "Nurture", "Personal".

    Users without plans yet get them with their default plan, the first time one is needed.
    A name the user already took is left alone.
    """
    from cardscan.store.touches import SHIPPED_PLANS, steps_json

    users = [r[0] for r in db.execute("select distinct user_id from plans")]
    for user_id in users:
        for name, steps in SHIPPED_PLANS:
            if db.execute(
                "select 1 from plans where user_id = ? and name = ?", [user_id, name]
            ).fetchone():
                continue
            db.execute(
                "insert into plans (user_id, name, steps_json, is_default) values (?, ?, ?, 0)",
                [user_id, name, steps_json(steps)],
            )


@migrations(name="0007_event_plan")
def m0007_event_plan(db: sqlite_utils.Database) -> None:
    """``events.plan_id``: the plan the contacts met at an event get until one is chosen."""
    db.execute(
        "alter table events add column plan_id integer references plans(id) on delete set null"
    )


@migrations(name="0008_touch_closed_by")
def m0008_touch_closed_by(db: sqlite_utils.Database) -> None:
    """``touches.closed_by``: who closed a touch. NULL is the user (done, skipped); "merge"
    (a duplicate's step after a merge), "plan" (a plan switched or an event moved) and
    "reason" (its reason removed, or now named by the thank-you) are the app's own doing,
    so a contact's history never says the user skipped what they did not. Touches skipped
    by a merge before are marked from the merge history."""
    db.table("touches").add_column("closed_by", str)
    for row in list(db.query("select snapshot_json from merges")):
        snapshot = json.loads(row["snapshot_json"] or "{}")
        for touch_id, _ in snapshot.get("skipped_touches", []):
            db.execute(
                "update touches set closed_by = 'merge' where id = ? and status = 'skipped'",
                [touch_id],
            )


@migrations(name="0009_card_turns")
def m0009_card_turns(db: sqlite_utils.Database) -> None:
    """``cards.turn``: users take turns in the OCR queue.

    A card's turn is its place in the queue across users: a user's next card comes one turn
    after their last one still waiting, and a user with nothing waiting joins at the front,
    so one user's 30 photos do not hold back another user's one card. The OCR queue reads
    cards in turn order (``cardscan.ocrqueue``). Cards waiting now get turns by their place
    in their user's line, oldest first.
    """
    db.table("cards").add_column("turn", int, not_null_default=0)
    db.execute(
        """
        update cards set turn = (
          select count(*) from cards earlier
          where earlier.user_id = cards.user_id and earlier.status in ('queued', 'reading')
            and earlier.id < cards.id
        )
        where status in ('queued', 'reading')
        """
    )
    db.execute("create index cards_turns on cards (status, turn, id)")
    db.execute("create index cards_user_turns on cards (user_id, status, turn)")


@migrations(name="0010_preferences")
def m0010_preferences(db: sqlite_utils.Database) -> None:
    """Per-user preferences (the reason chips offered at capture) move into the database, so
    a backup holds them; those kept in ``DATA/prefs/<user_id>.json`` until now are read in
    (the files are left where they are, no longer read)."""
    db.execute(
        """
        create table preferences (
            user_id integer not null references users(id) on delete cascade,
            name text not null,
            value_json text not null,           -- any JSON value
            primary key (user_id, name)
        )
        """
    )
    data_dir = _data_dir(db)
    folder = data_dir / "prefs" if data_dir is not None else None
    if folder is None or not folder.is_dir():
        return
    users = {row[0] for row in db.execute("select id from users")}
    for path in sorted(folder.glob("*.json")):
        try:
            user_id = int(path.stem)
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue  # not a preferences file, or a damaged one: nothing to keep
        if user_id not in users or not isinstance(saved, dict):
            continue
        for name, value in saved.items():
            db.execute(
                "insert or replace into preferences (user_id, name, value_json) values (?, ?, ?)",
                [user_id, str(name), json.dumps(value, ensure_ascii=False, sort_keys=True)],
            )


def _data_dir(db: sqlite_utils.Database) -> Path | None:
    """The directory of the database's file (None in memory)."""
    path = database_file(db)
    return path.parent if path is not None else None


@migrations(name="0011_outreach")
def m0011_outreach(db: sqlite_utils.Database) -> None:
    """Reaching the user: digest and draft preferences, own templates, digest runs, used
    one-click links, and one-tap acts on touches (for undo and history).

    ``digests`` has one row per user and local day, claimed before anything is sent: the
    unique key is what keeps a digest to one a day across restarts and second servers.
    ``used_links`` holds the nonce of every signed link used, so a link acts once.
    """
    db.executescript(
        """
        create table outreach_prefs (
            user_id integer primary key references users(id) on delete cascade,
            email text,                             -- where the digest goes
            my_name text,                           -- the name under drafted messages
            signature text,                         -- lines under it
            digest text not null default 'daily',   -- daily, weekly or off
            digest_hour integer not null default 8, -- local hour
            digest_weekday integer not null default 0, -- weekly: 0 = Monday
            timezone text not null default ''       -- IANA name; '' = the server's
        );
        create table draft_templates (
            user_id integer not null references users(id) on delete cascade,
            kind text not null,                     -- thank_you, promise, check_in, ...
            subject text not null,
            body text not null,
            updated text not null,
            primary key (user_id, kind)
        );
        create table digests (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            day text not null,                      -- the user's local date
            status text not null,                   -- sending, sent, failed, empty
            attempts integer not null default 0,
            touches integer not null default 0,     -- follow-ups listed
            error text,
            claimed text not null,
            finished text,
            retry_after text,
            unique (user_id, day)
        );
        create table used_links (
            link_id text primary key,               -- the nonce inside a signed link
            user_id integer not null references users(id) on delete cascade,
            touch_id integer,
            action text not null,
            used text not null
        );
        create table touch_acts (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            touch_id integer not null references touches(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            action text not null,                   -- done, snooze, skip
            via text not null,                      -- web, mail, cli
            before_json text not null,              -- {"status", "due", "snoozed_until"}
            sequence integer not null,              -- the touch's sequence after the act
            made_json text not null default '[]',   -- ids of touches the act made
            created text not null,
            undone text
        );
        create index touch_acts_contact on touch_acts (user_id, contact_id, id);
        """
    )


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file behind ``db``'s main database (None in memory)."""
    for _seq, name, file in db.execute("pragma database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None  # pragma: no cover - every connection has a main database


@migrations(name="0012_worker_tokens")
def m0012_worker_tokens(db: sqlite_utils.Database) -> None:
    """``worker_tokens``: what an OCR worker on another machine shows the server.

    Such a worker reads any user's card photos and hands back what it read, so its token
    belongs to no user: it reaches only ``/api/worker/``. Only the token's sha256 is kept.
    """
    db.execute(
        """
        create table worker_tokens (
            id integer primary key,
            label text not null,
            token_sha256 text not null unique,
            created text not null,
            last_used text,
            revoked text
        )
        """
    )
