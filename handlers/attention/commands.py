"""`/followthrough hours | focus | budget`: a person's own working hours, focus time and daily budget of DMs.
Every answer is private; times are shown in the person's own zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc, plural
from models import Person, Workspace
from services.attention import focus, settings, stored
from services.attention.hours import EXAMPLE
from services.errors import Invalid
from services.people import person_zone

DEFAULT = ("default", "reset")
HELD = "DMs that aren't urgent wait"


def _unsaid(exc: Invalid) -> str:
    return "Nothing was changed. " + esc(" ".join(exc.errors.values()))  # it may repeat what was typed


async def hours_command(ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace,
                        person: Person, now: datetime) -> None:  # fmt: skip
    _, typed = split(command)
    typed = "" if typed.lower() == "help" else typed  # help: what it is and how to change it
    zone = person_zone(person, workspace).key
    if not typed:
        which = "your own" if person.work_hours else "the default"
        said = (f"Your working hours are *{stored(person.work_hours).describe()}* ({which}), in your zone, {zone}. "
                f"Outside them, {HELD} for your next working morning.\nChange them with {EXAMPLE}; "
                "`/followthrough hours default` goes back to 09:00–18:00 Mon–Fri.")  # fmt: skip
        await ack(**reply(said))
        return
    try:
        hours = await settings.set_hours(db, person=person, typed=None if typed.lower() in DEFAULT else typed, now=now)
    except Invalid as exc:
        await ack(**reply(_unsaid(exc)))
        return
    await ack(**reply(f"Saved: your working hours are *{hours.describe()}*, in {zone}. Outside them, {HELD}."))


def _local(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    return f"{local:%H:%M}" + ("" if local.date() == today else f" tomorrow ({local:%a %-d %b})")


async def focus_command(ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace, person: Person,
                        now: datetime) -> None:  # fmt: skip
    _, typed = split(command)
    typed = "" if typed.lower() == "help" else typed  # help: what it is and how to change it
    zone = person_zone(person, workspace)
    if not typed:
        current = person.focus_until
        if current and current > now:
            said = (f"You're focusing until *{_local(current, now, zone)}* ({zone.key}). `/followthrough focus off` "
                    "ends it; `focus 1h` or `focus until 15:00` sets another end.")  # fmt: skip
        else:
            said = "You're not in focus time. Start with `/followthrough focus 2h` or `focus until 15:00`."
        await ack(**reply(said))
        return
    try:
        until = focus.read(typed, now=now, zone=zone)
        await settings.set_focus(db, person=person, until=until, now=now)
    except Invalid as exc:
        await ack(**reply(_unsaid(exc)))
        return
    if until is None:
        await ack(**reply("Focus time is off. DMs reach you as usual again."))
        return
    said = (f"You're in focus time until *{_local(until, now, zone)}* ({zone.key}). Until then, {HELD} for later; "
            "urgent ones still reach you. `/followthrough focus off` ends it early.")  # fmt: skip
    await ack(**reply(said))


async def budget_command(ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace,
                         person: Person) -> None:  # fmt: skip
    _, typed = split(command)
    typed = "" if typed.lower() == "help" else typed  # help: what it is and how to change it
    workspace_budget = (await settings.settings_of(db, workspace_id=workspace.id)).daily_budget
    if not typed:
        budget, _ = await settings.effective(db, workspace.id, person)
        whose = f"your own; the workspace allows {workspace_budget}" if budget < workspace_budget else "the workspace's"
        lower = [f"Lower it with `/followthrough budget {budget - 1}`."] if budget > 1 else []
        back = ["`/followthrough budget default` goes back to the workspace's."] if budget < workspace_budget else []
        change = " ".join(lower + back)
        said = (f"Your daily budget is {_dms(budget)} per working day ({whose}). Past it, the rest wait for one "
                f"round-up the next working morning. {change}").strip()  # fmt: skip
        await ack(**reply(said))
        return
    if typed.lower() in DEFAULT:
        chosen = None
    elif typed.isdigit():
        chosen = int(typed)
    else:
        await ack(**reply("Nothing was changed. Give a number, like `/followthrough budget 2`, or `budget default`."))
        return
    try:
        budget = await settings.set_budget(db, workspace_id=workspace.id, person=person, budget=chosen)
    except Invalid as exc:
        await ack(**reply(_unsaid(exc)))
        return
    await ack(**reply(f"Saved: at most {_dms(budget)} per working day; past it, "
                      "the rest wait for one round-up the next working morning."))  # fmt: skip


def _dms(budget: int) -> str:
    verb = "isn't" if budget == 1 else "aren't"
    return f"*{plural(budget, 'DM')}* that {verb} urgent"
