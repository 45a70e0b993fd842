"""Helpers for tests that need a person's attention settings (no tests here)."""

from __future__ import annotations

from sqlalchemy import select

from models import Person
from services.attention import canonical, parse


async def set_work_hours(harness, user_id: str, text: str) -> None:
    """Stores `text` as the person's working hours the way `/followthrough hours` keeps them (canonically); a
    first request makes sure the person exists, as it would when they typed the command."""
    response = await harness.slack.command(harness.actor(user_id), "/followthrough", "help")
    assert response.status_code == 200, response.text
    async with harness.db.sessions.begin() as session:
        person = await session.scalar(select(Person).where(Person.slack_user_id == user_id))
        person.work_hours = canonical(parse(text))
