"""`/meeting settings`: the workspace's meeting settings for anyone to read, changed by admins one at a time
(`gate warn|block`, `gate 24h`, `reminder 3h`, `timeboxes on|off`). After a change, coming meetings the gate
hasn't looked at yet (and reminders not sent yet) take the new timings."""

from __future__ import annotations

import re
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import refusal_text, reply
from handlers.kit.text import clip, esc, plural
from models import MeetingSettings, Person, Workspace
from services import meetings
from services.errors import Forbidden, Invalid
from services.meetings import settings as meeting_settings

_HOURS = re.compile(r"^(\d{1,3})\s*(?:h|hr|hrs|hour|hours)?$", re.IGNORECASE)
USAGE = ("`/meeting settings gate warn` (or `block`), `/meeting settings gate 24h`, `/meeting settings reminder 3h`, "
         "`/meeting settings timeboxes on` (or `off`)")  # fmt: skip
SWITCHES = {"on": True, "off": False}
GATE_MODES = {"warn": False, "block": True}


def shown(current: MeetingSettings) -> str:
    blocks = "*blocks*: a meeting still not ready at its start is cancelled, and everyone invited is told"
    warns = "*warns*: the organiser hears what is missing; the meeting goes ahead"
    mode = blocks if current.gate_blocks else warns
    lines = [
        "*Meeting settings for this workspace*",
        f"• The gate looks {current.gate_hours} h before each start (moved into the organiser's working hours) "
        f"and {mode}.",
        f"• The pre-read reminder goes {current.remind_hours} h before the start, to those who haven't read.",
        "• Time-box notes in the meeting's thread: " + ("*on*." if current.timebox_messages else "*off*."),
        f"Admins change them: {USAGE}.",
    ]
    return "\n".join(lines)


def _hours(value: str) -> int | None:
    match = _HOURS.match(value.strip())
    return int(match[1]) if match else None


def parse(rest: str) -> dict[str, int | bool] | str:
    """What to change, as keyword arguments of settings.change; or what to tell the person instead."""
    what, _, value = rest.lower().partition(" ")
    value = value.strip()
    if what == "gate" and value in GATE_MODES:
        return {"gate_blocks": GATE_MODES[value]}
    if what == "gate" and (hours := _hours(value)) is not None:
        return {"gate_hours": hours}
    if what in ("reminder", "remind") and (hours := _hours(value)) is not None:
        return {"remind_hours": hours}
    if what in ("timeboxes", "timebox", "time-boxes") and value in SWITCHES:
        return {"timebox_messages": SWITCHES[value]}
    if what in ("gate", "reminder", "remind") and re.fullmatch(r"\d+\s*[a-z]+", value):  # other units: `2d`, `30m`
        return (f"I take the {'gate' if what == 'gate' else 'reminder'} in whole hours, like `36h` "
                f"(`settings {esc(clip(rest, 60))}` isn't). Try {USAGE}.")  # fmt: skip
    return f"I don't follow `settings {esc(clip(rest, 60))}`. Try {USAGE}."


async def settings_command(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                           rest: str) -> None:  # fmt: skip
    if not rest:
        current = await meeting_settings.settings_of(db, workspace_id=workspace.id)
        await ack(**reply(shown(current)))
        return
    wanted = parse(rest)
    if isinstance(wanted, str):
        await ack(**reply(wanted))
        return
    try:
        current = await meeting_settings.change(db, workspace_id=workspace.id, actor=person, now=now, **wanted)
    except Forbidden as exc:
        await ack(**reply(refusal_text(exc)))
        return
    except Invalid as exc:
        await ack(**reply(esc(" ".join(exc.errors.values()))))
        return
    moved = await meetings.retime(db, workspace_id=workspace.id, now=now)
    note = f" {plural(moved, 'coming meeting')} {'takes' if moved == 1 else 'take'} the new timing." if moved else ""
    await ack(**reply(f"Done.{note}\n{shown(current)}"))
