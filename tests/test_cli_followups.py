"""The follow-up and export commands, end to end on a real data directory."""

from __future__ import annotations

import csv
import io
import json

import icalendar
import pytest
import vobject
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.models import Phone
from tests.support.outreach_data import ana_met_rui_yesterday


@pytest.fixture
def data(tmp_path):
    """A data directory with Ana, an event and one contact with a reason."""
    directory = tmp_path / "data"
    ana_met_rui_yesterday(
        directory,
        3,
        "Lisbon",
        reason="send deck <script>alert(1)</script>",
        kind="other",
        phones=[Phone("+351 912 345 678", "+351912345678", "mobile")],
    )
    return directory


def run(data, *args, env=None, ok=True):
    result = CliRunner().invoke(cli, ["--data", str(data), *args], env=env or {})
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def test_plan_list_move_and_close(data):
    assert "3 follow-ups added" in run(data, "plan").output
    assert "check in (default plan)" in run(data, "followups").output  # no plan chosen yet
    rows = json.loads(run(data, "followups", "--json").output)
    assert all(r["provisional"] for r in rows)
    assert [r["summary"] for r in rows] == [
        "Follow up: Rui Costa — thank-you: send deck <script>alert(1)</script>",
        "Follow up: Rui Costa — check in",
        "Follow up: Rui Costa — still at Acme?",
    ]
    first, second, third = (r["id"] for r in rows)
    assert (
        "snoozed, 2031-01-01 (sequence 1)"
        in run(data, "snooze", str(second), "--until", "2031-01-01").output
    )
    assert "done" in run(data, "done", str(first)).output
    again = run(data, "done", str(first), ok=False)
    assert again.exit_code == 2 and "already done" in again.output
    assert "skipped" in run(data, "skip", str(third)).output
    bad = run(data, "snooze", str(second), "--until", "soon", ok=False)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    missing = run(data, "done", "999", ok=False)
    assert missing.exit_code == 5 and "no touch with id 999" in missing.output
    assert "done" in run(data, "log-contact", "1").output
    assert json.loads(run(data, "followups", "--json").output) == []


def test_exports_write_files_that_parse(data, tmp_path):
    run(data, "plan")
    ics = tmp_path / "f.ics"
    run(data, "export", "ics", "--event", "Web Summit", "-o", str(ics))
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert len(list(cal.walk("VALARM"))) == 3
    vcf = tmp_path / "f.vcf"
    run(data, "export", "vcf", "--contact", "1", "-o", str(vcf))
    assert next(vobject.readComponents(vcf.read_text())).fn.value == "Rui Costa"
    for fmt, column in (("google", "Phone 1 - Value"), ("outlook", "Mobile Phone")):
        out = tmp_path / f"{fmt}.csv"
        run(data, "export", "csv", "--format", fmt, "-o", str(out))
        [row] = csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))
        assert row[column] == "+351912345678"
    unknown = run(data, "export", "csv", "--event", "Nope", "-o", str(out), ok=False)
    assert unknown.exit_code == 5


def test_feed_url_and_rotation(data):
    missing = run(data, "user", "feed-url", "ana", ok=False)
    assert missing.exit_code == 2 and "CARDSCAN_BASE_URL" in missing.output
    env = {"CARDSCAN_BASE_URL": "https://cards.example.org"}
    webcal, https = run(data, "user", "feed-url", "ana", env=env).output.split()
    assert webcal.startswith("webcal://cards.example.org/calendar/") and webcal.endswith(".ics")
    assert https == "https://" + webcal[len("webcal://") :]
    rotated = run(data, "user", "rotate-feed", "ana", env=env).output.split()
    assert rotated[1] != https
    assert run(data, "user", "feed-url", "ana", env=env).output.split() == rotated


def test_bench_feed_runs(data):
    out = run(data, "bench-feed", "--touches", "300", "--runs", "1").output
    assert out.startswith("300 touches (100 contacts), 1 runs: median")
