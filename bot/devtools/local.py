"""Local mode: a workspace with a few people, served by the built-in Slack stand-in."""

from __future__ import annotations

from sqlalchemy import select

from bot.database import Database
from bot.devtools.standin import SlackStandin
from bot.settings import LOCAL_TEAM_ID, Settings
from models import Person
from services import people

LOCAL_CHANNEL = "C0GENERAL"
LOCAL_TEAM_NAME = "Local workspace"


def local_standin(settings: Settings) -> SlackStandin:
    standin = SlackStandin(team_id=LOCAL_TEAM_ID, team_name=LOCAL_TEAM_NAME)
    # Three people in three zones, so schedules and reminders show local times from the first minute.
    standin.add_user("U0LOCAL", name="you", real_name="You", tz=settings.default_timezone, is_admin=True)
    standin.add_user("U0ALEX", name="alex", real_name="Alex Meyer", tz="Europe/Berlin")
    standin.add_user("U0PRIYA", name="priya", real_name="Priya Raman", tz="Asia/Kolkata")
    standin.add_channel(LOCAL_CHANNEL, name="general", members=["U0LOCAL", "U0ALEX", "U0PRIYA"])
    return standin


AROUND_THE_CLOCK = "00:00-24:00 mon,tue,wed,thu,fri,sat,sun"
LOCAL_PEOPLE = ("U0LOCAL", "U0ALEX", "U0PRIYA")


async def seed_local_people(database: Database, settings: Settings) -> None:
    """The local people work around the clock, so whoever tries the app sees its messages at any hour of their
    own day; `/followthrough hours` as one of them shows DMs waiting for working hours. Only people not stored
    yet: hours someone set are kept across restarts."""
    async with database.sessions.begin() as session:
        workspace = await people.ensure_workspace(
            session, team_id=LOCAL_TEAM_ID, default_timezone=settings.default_timezone
        )
        workspace.name = workspace.name or LOCAL_TEAM_NAME  # the dashboard's header names it
        stored = set(
            (await session.scalars(select(Person.slack_user_id).where(Person.workspace_id == workspace.id))).all()
        )
        for user in LOCAL_PEOPLE:
            if user not in stored:
                person = await people.ensure_person(session, workspace=workspace, slack_user_id=user)
                person.work_hours = AROUND_THE_CLOCK
