"""Channel names on the dashboard: a page never waits for Slack. It shows the ids it has no name for, asks Slack
(conversations.info) once it has been sent, and the next page names the channels; a name is asked for again only
when it is a day old, and a channel Slack won't describe is not asked about on every page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from models import ChannelName, Outcome, Person
from services.web import channels
from tests.support.outcomes import define
from tests.web.test_sign_in import new_browser, sign_in_link


def infos(harness) -> list[str]:
    return [call.args.get("channel") for call in harness.standin.calls if call.method == "conversations.info"]


async def test_the_overview_names_channels_from_the_next_page_on_and_asks_slack_once(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), channel="C0GENERAL", title="Faster onboarding")
    asked_before = len(infos(harness))
    async with new_browser(harness) as browser:
        await browser.get(await sign_in_link(harness))
        first = (await browser.get("/web/")).text
        asked = infos(harness)[asked_before:]
        second = (await browser.get("/web/")).text
        third = (await browser.get("/web/meetings")).text
    [row] = await harness.rows(ChannelName)

    assert '<option value="C0GENERAL" >#C0GENERAL</option>' in first  # the page went out without waiting
    assert asked == ["C0GENERAL"]  # ... and Slack was asked afterwards
    assert '<option value="C0GENERAL" >#general</option>' in second
    assert infos(harness)[asked_before:] == ["C0GENERAL"]  # not asked again within the day
    assert third  # another page reads the same cache
    assert (row.channel_id, row.name) == ("C0GENERAL", "general")


async def test_a_channel_slack_wont_describe_keeps_its_id_and_is_not_asked_about_on_every_page(harness) -> None:
    await define(harness, title="Faster onboarding")
    async with harness.db.sessions.begin() as session:
        first = await session.scalar(select(Outcome))
        owner = await session.get(Person, first.owner_id)
        session.add(Outcome(workspace_id=first.workspace_id, number=9, title="Gone channel", definition_of_done="x",
                            owner_id=owner.id, due_date=date(2031, 1, 1), channel_id="C0GONE"))  # fmt: skip
    async with new_browser(harness) as browser:
        await browser.get(await sign_in_link(harness))
        pages = [(await browser.get("/web/")).text for _ in range(3)]

    assert all("#C0GONE</option>" in page for page in pages)
    assert infos(harness).count("C0GONE") == 1
    stored = {row.channel_id: row.name for row in await harness.rows(ChannelName)}
    assert "C0GONE" in stored and stored["C0GONE"] is None


async def test_a_name_is_asked_for_again_once_it_is_a_day_old(harness) -> None:
    await define(harness, title="Faster onboarding")
    now = datetime.now(UTC)
    async with harness.db.sessions.begin() as session:
        workspace_id = (await session.scalar(select(Outcome))).workspace_id
        await channels.remember(session, workspace_id=workspace_id, heard={"C0GENERAL": "general"}, now=now)
    async with harness.db.sessions.begin() as session:  # a second write of the same channel keeps one row
        await channels.remember(session, workspace_id=workspace_id, heard={"C0GENERAL": "all-hands"}, now=now)
    async with harness.db.sessions() as session:
        fresh = await channels.known(session, workspace_id=workspace_id, channel_ids=["C0GENERAL", "C0NEW"], now=now)
        later = await channels.known(session, workspace_id=workspace_id, channel_ids=["C0GENERAL"],
                                     now=now + timedelta(days=1, minutes=1))  # fmt: skip

    assert fresh.names == {"C0GENERAL": "all-hands"} and fresh.stale == ["C0NEW"]
    assert later.names == {"C0GENERAL": "all-hands"} and later.stale == ["C0GENERAL"]
    assert len(await harness.rows(ChannelName)) == 1
