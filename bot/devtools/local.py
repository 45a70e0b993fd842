"""Local mode: a workspace with a few people, served by the built-in Slack stand-in."""

from __future__ import annotations

from bot.devtools.standin import SlackStandin
from bot.settings import LOCAL_TEAM_ID, Settings

LOCAL_CHANNEL = "C0GENERAL"


def local_standin(settings: Settings) -> SlackStandin:
    standin = SlackStandin(team_id=LOCAL_TEAM_ID, team_name="Local workspace")
    # Three people in three zones, so schedules and reminders show local times from the first minute.
    standin.add_user("U0LOCAL", name="you", real_name="You", tz=settings.default_timezone, is_admin=True)
    standin.add_user("U0ALEX", name="alex", real_name="Alex Meyer", tz="Europe/Berlin")
    standin.add_user("U0PRIYA", name="priya", real_name="Priya Raman", tz="Asia/Kolkata")
    standin.add_channel(LOCAL_CHANNEL, name="general", members=["U0LOCAL", "U0ALEX", "U0PRIYA"])
    return standin
