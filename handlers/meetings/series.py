"""/meeting list series, /meeting series M-4 (how the series is going) and /meeting series M-4 stop."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import refusal_text, reply
from handlers.kit.text import esc
from handlers.meetings.blocks.series import health_blocks, series_list_blocks, stopped_text
from models import Person, Workspace
from services import meetings, people
from services.errors import Forbidden, NotFound, NotNow

USAGE = "Try `/meeting list series`, `/meeting series M-4`, or `/meeting series M-4 stop`."


async def list_series(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:
    lines = await meetings.series_reading.list_series(db, workspace_id=workspace.id, person=person, now=now)
    zone = people.person_zone(person, workspace)
    await ack(**reply(f"Your series: {len(lines)}", blocks=series_list_blocks(lines, zone)))


async def series_command(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                         rest: str) -> None:  # fmt: skip
    """`rest` is what follows `series`: nothing (the list), a meeting's ref, or a ref and `stop`."""
    ref, _, verb = rest.strip().partition(" ")
    if not ref:
        await list_series(ack, db, workspace, person, now)
        return
    if verb.strip().lower() not in ("", "stop"):
        await ack(**reply(f"I don't know `series {esc(rest[:60])}`. {USAGE}"))
        return
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=bool(verb))
        if verb:
            series = await meetings.series.stop(db, meeting=meeting, actor=person, now=now)
        else:
            found = await meetings.series_reading.report(db, workspace=workspace, meeting=meeting, person=person,
                                                         now=now)  # fmt: skip
    except (NotFound, Forbidden, NotNow) as exc:
        await ack(**reply(refusal_text(exc)))
        return
    if verb:
        coming = await meetings.series.coming_after(db, meeting, now)
        await ack(**reply(stopped_text(series, meeting.ref, coming.ref if coming else None)))
        return
    zone = people.person_zone(person, workspace)
    await ack(**reply(f"How the series of {meeting.ref} is going", blocks=health_blocks(found, zone)))
