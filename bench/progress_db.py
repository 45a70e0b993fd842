"""bench/progress.py's data: the outcomes and people every target starts with, and what was stored at the end."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot import migrate
from bot.database import Database
from models import MetricReading, ProgressUpdate
from services import outcomes, people
from services.outcomes import OutcomeForm

BENCH_DB = "ft_bench_progress"  # the app's; bench/raw_app.py's is BENCH_DB + "_raw"
TEAM = "T0BENCH"
CHANNEL = "C0BENCH"


def user_id(n: int) -> str:
    return f"U{n:04d}"


async def seed(url: str, count: int, users: int) -> None:
    """Migrates and defines O-1..O-count (owners spread over the users), as the /outcome form would."""
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        async with database.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id=TEAM)
            author = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id(0))
            for n in range(count):
                form = OutcomeForm(
                    title=f"Bench outcome {n + 1}",
                    definition_of_done="The number reaches its target and stays there for a month.",
                    due=(date.today() + timedelta(days=90)).isoformat(),
                    lagging_name="Activation",
                    unit="%",
                    baseline="0",
                    target="1000",
                    leading="Demos booked: 2 -> 10",
                    owner_user_id=user_id(n % users),
                )
                await outcomes.create_outcome(
                    session,
                    workspace=workspace,
                    author=author,
                    form=form,
                    channel_id=CHANNEL,
                    today=date.today(),
                    now=datetime.now(UTC),
                )
    finally:
        await database.dispose()


async def stored_rows(url: str) -> tuple[int, int]:
    database = Database.from_url(url)
    try:
        async with database.sessions() as session:
            updates = await session.scalar(select(func.count()).select_from(ProgressUpdate))
            readings = await session.scalar(select(func.count()).select_from(MetricReading))
        return int(updates or 0), int(readings or 0)
    finally:
        await database.dispose()
