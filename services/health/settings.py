"""The workspace's health settings: thresholds changed from their defaults, and when the weekly post goes out."""

from __future__ import annotations

from dataclasses import asdict, fields, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import HealthSettings, Person
from services.errors import Forbidden, Invalid
from services.health.findings import Thresholds

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def defaults(workspace_id: int) -> HealthSettings:
    return HealthSettings(workspace_id=workspace_id, thresholds={}, weekly_day=0, weekly_hour=9)


async def settings_of(session: AsyncSession, *, workspace_id: int, for_update: bool = False) -> HealthSettings:
    query = select(HealthSettings).where(HealthSettings.workspace_id == workspace_id)
    found = await session.scalar(query.with_for_update() if for_update else query)
    return found or defaults(workspace_id)


def thresholds_of(settings: HealthSettings) -> Thresholds:
    known = {f.name: f.type for f in fields(Thresholds)}
    chosen = {k: v for k, v in (settings.thresholds or {}).items() if k in known}
    return replace(Thresholds(), **chosen)


def threshold_names() -> dict[str, float | int]:
    return asdict(Thresholds())


async def change(session: AsyncSession, *, workspace_id: int, actor: Person, name: str, value: str) -> HealthSettings:
    """`name` is a threshold (e.g. stale_days) or `weekly` ("monday 9"); admins only; checked before storing."""
    if not actor.is_admin:
        raise Forbidden("change the health settings")
    settings = await settings_of(session, workspace_id=workspace_id, for_update=True)
    if name == "weekly":
        day, _, hour = value.lower().partition(" ")
        if day not in DAYS or not hour.strip().isdigit() or not 0 <= int(hour) <= 23:
            raise Invalid({"weekly": "Say a day and an hour, e.g. `weekly monday 9`."})
        settings.weekly_day, settings.weekly_hour = DAYS.index(day), int(hour)
    else:
        default = threshold_names().get(name)
        if default is None:
            raise Invalid({"name": f"I don't know the setting “{name[:40]}”; `/followthrough health settings` "
                                   "lists them."})  # fmt: skip
        try:
            number = type(default)(value)
        except ValueError:
            raise Invalid({"value": f"{name} takes a number like {default}."}) from None
        if number < 0 or (isinstance(default, float) and number > 1):
            raise Invalid({"value": f"{name} takes a number like {default}."})
        settings.thresholds = {**(settings.thresholds or {}), name: number}
    if settings.id is None:
        session.add(settings)
    settings.updated_by_id = actor.id
    await session.flush()
    return settings
