"""The gate's messages: the organiser's DM when it finds a meeting not ready, and, when the workspace's gate
blocks, one message to each person invited when it cancels the meeting at its start.

Keys are built from the meeting's token (never handed out again) and the person, so a second scheduler or a
restart queues nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.blocks.prompts import blocked_dm, flag_dm
from models import Meeting, Person, Workspace
from services import meetings, outbox, people
from services.attention.policy import Urgency
from services.meetings.during import meeting_key
from services.meetings.gate import Flagged

GATE_KIND = "meeting.gate"


async def _workspace(session: AsyncSession, meeting: Meeting) -> Workspace:
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    return workspace


async def flag_to_organiser(session: AsyncSession, *, flagged: Flagged, now: datetime) -> bool:
    """The organiser hears once what is missing, with fix it, make it async and cancel; False if they can't be
    reached (they left Slack): the card still says "not ready"."""
    meeting, organiser = flagged.meeting, flagged.meeting.organiser
    if not people.reachable(organiser):
        return False
    zone = people.person_zone(organiser, await _workspace(session, meeting))
    args = flag_dm(meeting, organiser, flagged.gaps, zone, better_async=meetings.better_async(meeting),
                   blocks_at_start=flagged.settings.gate_blocks)  # fmt: skip
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=meeting_key(meeting, "gate", "flagged"),
                         kind=GATE_KIND, method="chat.postMessage", args=args, not_before=now)  # fmt: skip
    return True


def everyone_invited(meeting: Meeting) -> list[Person]:
    """The organiser, the facilitator and the attendees, each once."""
    found = [meeting.organiser, meeting.facilitator, *(a.person for a in meeting.attendees)]
    return list({p.id: p for p in found}.values())


async def tell_blocked(session: AsyncSession, *, meeting: Meeting, gaps: list[str], now: datetime) -> int:
    """One message to each person invited who can be reached; the organiser's says how many others were told.
    Returns how many were told besides the organiser."""
    workspace = await _workspace(session, meeting)
    reached = [p for p in everyone_invited(meeting) if people.reachable(p)]
    others = [p for p in reached if p.id != meeting.organiser_id]
    for person in reached:
        args = blocked_dm(meeting, person, gaps, people.person_zone(person, workspace), told=len(others))
        await outbox.enqueue(session, workspace_id=meeting.workspace_id,
                             key=meeting_key(meeting, "gate", "blocked", person.slack_user_id), kind=GATE_KIND,
                             method="chat.postMessage", args=args, not_before=now,
                             urgency=Urgency.URGENT)  # the slot is freed now: they should know now  # fmt: skip
    return len(others)
