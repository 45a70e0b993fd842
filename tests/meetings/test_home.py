"""The Home tab's "My meetings this week": the meetings someone organises or is invited to in the next seven days,
each at its time in Slack's date markup, "not ready" on those they organise and how many pre-reads they still have
to read; cancelled ones, later ones and other workspaces' are not there. One query, however many meetings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from handlers.meetings.blocks.ids import MeetingIds
from models import Person
from services import meetings as meeting_service
from tests.support.meetings import NOW, STARTS, at_now, press, schedule
from tests.support.outcomes import all_text

HOME = {"type": "app_home_opened", "tab": "home"}


async def home_text(harness, actor) -> str:
    response = await harness.slack.event(actor, {**HOME, "user": actor.user_id})
    assert response.status_code == 200
    text = all_text(harness.standin.home(actor.user_id)["blocks"])
    return text[text.index("My meetings this week") :]


async def week_of_dana(harness) -> None:
    """Dana organises M-1 (no pre-read); Alex organises M-2 (Dana must read its pre-read), M-3 a fortnight away and
    M-4, which he cancels; Olga's workspace has an M-1 of its own."""
    alex = harness.actor("U0ALEX")
    short = "Pricing options — @alex — 15 decide"
    assert (await schedule(harness, pre_reads="", agenda=short))["response_action"] == "update"
    for title, start in (("Launch plan", STARTS + timedelta(days=1)), ("Quarterly", STARTS + timedelta(days=14)),
                         ("Hiring", STARTS + timedelta(days=2))):  # fmt: skip
        body = await schedule(harness, alex, title=title, start=start, attendees=["U0LOCAL"], agenda=short)
        assert body["response_action"] == "update", body
    await press(harness, alex, MeetingIds.CANCEL, "M-4")
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    await schedule(harness, stranger, title="Elsewhere", attendees=["U0OTHER"], agenda="")


async def test_my_week_flags_what_i_organise_and_what_i_must_read(harness) -> None:
    at_now(harness)
    await week_of_dana(harness)
    mine = await home_text(harness, harness.me)
    stamp = int(STARTS.timestamp())
    assert f"*M-1* Pricing review · <!date^{stamp}^{{date_short_pretty}} at {{time}}|Tue 1 Dec 05:00 EST>" in mine
    assert "you organise it\n🚧 *Not ready:* no pre-read." in mine
    assert "*M-2* Launch plan" in mine and "1 pre-read unread: `/meeting M-2` has them." in mine
    assert mine.index("M-1") < mine.index("M-2")
    assert "Quarterly" not in mine and "Hiring" not in mine and "Elsewhere" not in mine
    assert mine.count("Not ready") == 1  # M-2 is Alex's to fix, not Dana's

    priya = await home_text(harness, harness.actor("U0PRIYA"))
    assert "*M-1* Pricing review" in priya and "Not ready" not in priya and "unread" not in priya
    await press(harness, harness.me, MeetingIds.READ, "M-2:1")
    assert "unread" not in await home_text(harness, harness.me)
    olga = await home_text(harness, harness.actor("U0OTHER", team_id="T0OTHER"))
    assert "*M-1* Elsewhere" in olga and "Pricing review" not in olga and "Launch plan" not in olga
    harness.standin.add_user("U0NICK", name="nick", real_name="Nick Ross", tz="America/New_York")
    assert "No meetings for you in the next seven days" in await home_text(harness, harness.actor("U0NICK"))


async def test_the_week_is_read_in_one_query(harness) -> None:
    at_now(harness)
    await week_of_dana(harness)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    [dana] = await harness.rows(Person, Person.slack_user_id == "U0LOCAL")
    event.listen(harness.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with harness.db.sessions() as session:
            week = await meeting_service.my_week(session, workspace_id=dana.workspace_id, person=dana, now=NOW)
    finally:
        event.remove(harness.db.engine.sync_engine, "before_cursor_execute", count)
    assert [w.meeting.ref for w in week] == ["M-1", "M-2"]
    assert [(w.organises, w.missing, w.unread) for w in week] == [(True, ["no pre-read"], 0), (False, [], 1)]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
