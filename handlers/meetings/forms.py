"""The form's submission: the people it names are read from Slack first (bots and those who left are refused),
then the service checks every field; a refusal lands beside the field it concerns."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import profiles
from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.text import plural
from handlers.meetings import messages
from handlers.meetings.blocks.form import done_view
from handlers.meetings.blocks.ids import FIELD_BLOCKS, MeetingIds
from handlers.meetings.blocks.words import title, when
from models import Meeting, Person, Workspace
from services import meetings, people
from services.errors import Invalid
from services.meetings import MeetingForm

ASYNC_OFFER = (
    "💡 Status updates travel well in writing: *Make it async* on its card turns the meeting into a thread that "
    "asks each attendee for written input by a deadline, and gives everyone the time back."
)


def picked_start(values: dict) -> datetime | None:
    stamp = state_of(values, MeetingIds.START).get("selected_date_time")
    try:
        return datetime.fromtimestamp(int(stamp), UTC) if stamp is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def picked_minutes(values: dict) -> int | None:
    value = chosen(values, MeetingIds.DURATION)
    return int(value) if value and value.isdigit() else None


def picked_repeats(values: dict) -> int:
    value = chosen(values, MeetingIds.REPEATS)
    return int(value) if value and value.isdigit() else 0


def picked_users(values: dict, block: MeetingIds) -> list[str]:
    return list(state_of(values, block).get("selected_users") or [])


async def form_from_state(client: AsyncWebClient, db: AsyncSession, workspace: Workspace, values: dict,
                          now: datetime) -> MeetingForm:  # fmt: skip
    """The form as the service takes it; everyone it names found, their profiles fresh."""
    required, optional = picked_users(values, MeetingIds.ATTENDEES), picked_users(values, MeetingIds.OPTIONAL)
    agenda = typed(values, MeetingIds.AGENDA)
    facilitator = state_of(values, MeetingIds.FACILITATOR).get("selected_user")
    named = [*required, *optional, *people.mentioned_ids(agenda), *([facilitator] if facilitator else [])]
    found = {p.slack_user_id: p for p in await profiles.refresh_named(client, db, workspace, named, now)}
    return MeetingForm(
        title=typed(values, MeetingIds.TITLE),
        kind=chosen(values, MeetingIds.KIND),
        desired_outcome=typed(values, MeetingIds.OUTCOME),
        starts_at=picked_start(values),
        minutes=picked_minutes(values),
        attendees=[found[u] for u in required if u in found],
        optional=[found[u] for u in optional if u in found],
        agenda=agenda,
        pre_reads=typed(values, MeetingIds.PRE_READS),
        facilitator=found.get(facilitator) if facilitator else None,
        repeats_weeks=picked_repeats(values),
    )


def created_text(meeting: Meeting, zone) -> str:
    invited = plural(len(meeting.attendees), "person", "people")
    lines = [
        f"*{meeting.ref}* {title(meeting)}",
        f"{when(meeting.starts_at, zone)}, {meeting.minutes} min, {invited} invited.",
        f"`/meeting {meeting.ref}` shows its card: the desired outcome, the running order and the pre-reads.",
    ]
    if meetings.better_async(meeting):
        lines.append(ASYNC_OFFER)
    return "\n".join(lines)


async def meeting_created(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                          person: Person, now: datetime) -> None:  # fmt: skip
    meta = decode_meta(view.get("private_metadata"))
    form = await form_from_state(client, db, workspace, view["state"]["values"], now)
    try:
        meeting = await meetings.create(db, workspace=workspace, organiser=person, form=form,
                                        channel_id=meta.get("channel"), now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, MeetingIds.TITLE.value))
        return
    await messages.queue_pre_read_asks(db, meeting=meeting, now=now)
    zone = people.person_zone(person, workspace)
    await ack(response_action="update", view=done_view(f"{meeting.ref} scheduled", created_text(meeting, zone)))
