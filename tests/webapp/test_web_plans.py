"""The settings plan editor: add, remove and reorder steps in days, weeks or months."""

from __future__ import annotations

from cardscan.store import Store


def _form(ana, plan, **extra):
    data = {"csrf_token": ana.csrf, "name": plan.name}
    for n, step in enumerate(plan.steps):
        amount, unit = step.distance
        data |= {
            f"steps-{n}-label": step.label,
            f"steps-{n}-amount": str(amount),
            f"steps-{n}-unit": unit,
            f"steps-{n}-kind": step.kind,
        }
    return data | extra


def _plan(data_dir, user_id, name):
    with Store.open(data_dir) as store:
        return next(p for p in store.plans.all(user_id) if p.name == name)


def test_the_editor_shows_shipped_plans_and_edits_steps(ana, users, data_dir):
    page = ana.get("/settings/").get_data(as_text=True)
    for name in ("Hot lead", "Nurture", "Personal"):
        assert name in page
    assert 'name="steps-3-unit"' in page and ">months</option>" in page
    hot = _plan(data_dir, users["ana"], "Hot lead")
    url = f"/settings/plans/{hot.id}"
    # Reorder: step 2 goes up.
    assert ana.post(url, data=_form(ana, hot, op="up:1")).status_code == 302
    moved = _plan(data_dir, users["ana"], "Hot lead")
    assert [s.label for s in moved.steps][:2] == ["check in", "thank you"]
    # Change a distance to weeks and rename; add a step; remove one.
    form = _form(ana, moved, op="save", name="Hot leads")
    form |= {"steps-0-amount": "2", "steps-0-unit": "weeks"}
    assert ana.post(url, data=form).status_code == 302
    saved = _plan(data_dir, users["ana"], "Hot leads")
    assert saved.steps[0].offset_days == 14 and saved.steps[0].distance == (2, "weeks")
    ana.post(url, data=_form(ana, saved, op="add"))
    added = _plan(data_dir, users["ana"], "Hot leads")
    assert len(added.steps) == 5
    ana.post(url, data=_form(ana, added, op="remove:4"))
    assert len(_plan(data_dir, users["ana"], "Hot leads").steps) == 4
    # A bad distance is refused with a message and changes nothing.
    bad = ana.post(url, data=_form(ana, saved, **{"steps-1-amount": "soon"}))
    assert bad.status_code == 400 and "is not a whole number of days" in bad.get_data(as_text=True)
    # A new plan starts as a copy of the default; a plan can be made default and deleted.
    ana.post("/settings/plans", data={"csrf_token": ana.csrf, "name": "Investors"})
    investors = _plan(data_dir, users["ana"], "Investors")
    # A taken or empty name is refused with the library's words (nothing is added).
    for name, words in (("Investors", "already have a plan named"), ("  ", "needs a name")):
        refused = ana.post("/settings/plans", data={"csrf_token": ana.csrf, "name": name})
        assert refused.status_code == 400 and words in refused.get_data(as_text=True)
    assert [p.name for p in _plans(data_dir, users["ana"])].count("Investors") == 1
    ana.post(f"/settings/plans/{investors.id}", data=_form(ana, investors, default="1"))
    assert _plan(data_dir, users["ana"], "Investors").is_default
    personal = _plan(data_dir, users["ana"], "Personal")
    ana.post(f"/settings/plans/{personal.id}", data={"csrf_token": ana.csrf, "op": "delete"})
    assert "Plan &#39;Personal&#39; deleted" in ana.get("/settings/").get_data(as_text=True)
    assert "Personal" not in {p.name for p in _plans(data_dir, users["ana"])}
    # Another user's plan is not found.
    other = ana.application.test_client()
    from tests.webapp.conftest import log_in_as

    log_in_as(other, "ben")
    assert other.post(url, data={"csrf_token": other.csrf, "op": "delete"}).status_code == 404


def _plans(data_dir, user_id):
    with Store.open(data_dir) as store:
        return store.plans.all(user_id)
