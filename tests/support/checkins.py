"""Helpers for the check-in tests (no tests here): cadences set up through the service, the scheduler's job
run at a movable clock, the outbox sender run until nothing is due, and the set-up form's state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from bot.database import Database
from bot.slack_clients import SlackClients
from models import Cadence, Delivery, Invite, Person, Round
from scheduler import checkins as checkin_jobs  # services.checkins is `checkins` here
from scheduler.runner import JobContext
from scheduler.sender import Sender
from services import checkins, people
from services.checkins import CadenceForm


async def set_up(
    db: Database,
    clock: MovableClock,
    *,
    owner: str = "U0LOCAL",
    channel: str = "C0GENERAL",
    members: tuple[str, ...] = (),
    zone: str = "Europe/Berlin",
    team_time: bool = False,
    days: tuple[int, ...] = (0,),
    at: str = "09:30",
    every: int = 1,
    starts_on: date | None = None,
    remind: int | None = 240,
    digest: int = 360,
    questions: str = "What moved?\nWhat's next?",
) -> Cadence:
    """A cadence as its owner would save it at the clock's time (chosen `members`, or the whole channel)."""
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        actor = await people.ensure_person(session, workspace=workspace, slack_user_id=owner)
        form = CadenceForm(
            audience="chosen" if members else "channel",
            members=members,
            interval_weeks=str(every),
            weekdays=tuple(str(d) for d in days),
            local_time=at,
            zone_mode="team" if team_time else "personal",
            timezone=zone,
            starts_on=(starts_on or clock.now().date()).isoformat(),
            questions=questions,
            remind_after=str(remind) if remind is not None else "never",
            digest_after=str(digest),
        )
        cadence, _ = await checkins.save_cadence(
            session,
            workspace=workspace,
            actor=actor,
            channel_id=channel,
            form=form,
            now=clock.now(),
            today=clock.now().date(),
        )
        return cadence


async def cadence_row(db: Database) -> Cadence:
    async with db.sessions() as session:
        return (await session.scalars(select(Cadence))).one()


async def run_job(db: Database, clock: MovableClock, clients: SlackClients) -> None:
    await checkin_jobs.check_ins_due(JobContext(sessions=db.sessions, clock=clock, clients=clients))


async def deliver(sender: Sender) -> int:
    """Run the sender until nothing more is due now (a reply waits for its thread, so a few passes)."""
    sent = 0
    while True:
        done = await sender.run_once()
        if not done.claimed:
            return sent
        sent += done["sent"]


async def rounds(db: Database) -> list[Round]:
    async with db.sessions() as session:
        return list(await session.scalars(select(Round).order_by(Round.occurs_on)))


async def invites(db: Database, round_id: int | None = None) -> dict[str, Invite]:
    """Invites of a round (the latest by default), by Slack user id."""
    async with db.sessions() as session:
        if round_id is None:
            round_id = await session.scalar(select(Round.id).order_by(Round.id.desc()).limit(1))
        query = select(Person.slack_user_id, Invite).join(Invite, Invite.person_id == Person.id)
        rows = await session.execute(query.where(Invite.round_id == round_id))
        return {user: invite for user, invite in rows}


async def deliveries(db: Database, kind: str | None = None) -> list[Delivery]:
    async with db.sessions() as session:
        query = select(Delivery).order_by(Delivery.id)
        if kind:
            query = query.where(Delivery.kind == kind)
        return list(await session.scalars(query))


def at(delivery: Delivery) -> datetime:
    return delivery.due_at


def setup_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """State values of the set-up form."""
    data = {
        "audience": "channel",
        "members": [],
        "frequency": "1",
        "days": ["0"],
        "time": "09:30",
        "zone_mode": "personal",
        "zone": "America/New_York",
        "start": None,
        "questions": "What moved?\nWhat's next?",
        "extras": ["blocker", "confidence"],
        "remind": "240",
        "digest": "360",
        **fields,
    }

    def option(value: str | None) -> dict | None:
        return {"text": {"type": "plain_text", "text": value}, "value": value} if value else None

    audience = {"type": "radio_buttons", "selected_option": option(data["audience"])}
    return {
        "checkin_audience": {"checkin_audience": audience},
        "checkin_members": {"checkin_members": {"type": "multi_users_select", "selected_users": data["members"]}},
        "checkin_frequency": {
            "checkin_frequency": {"type": "static_select", "selected_option": option(data["frequency"])}
        },
        "checkin_days": {"checkin_days": {"type": "checkboxes", "selected_options": [option(d) for d in data["days"]]}},
        "checkin_time": {"checkin_time": {"type": "timepicker", "selected_time": data["time"]}},
        "checkin_zone_mode": {
            "checkin_zone_mode": {"type": "radio_buttons", "selected_option": option(data["zone_mode"])}
        },
        "checkin_zone": {"checkin_zone": {"type": "plain_text_input", "value": data["zone"]}},
        "checkin_start": {"checkin_start": {"type": "datepicker", "selected_date": data["start"]}},
        "checkin_questions": {"checkin_questions": {"type": "plain_text_input", "value": data["questions"]}},
        "checkin_extras": {
            "checkin_extras": {"type": "checkboxes", "selected_options": [option(e) for e in data["extras"]]}
        },
        "checkin_remind": {"checkin_remind": {"type": "static_select", "selected_option": option(data["remind"])}},
        "checkin_digest": {"checkin_digest": {"type": "static_select", "selected_option": option(data["digest"])}},
    }


def reply_button(reply: dict, action_id: str) -> dict:
    """A button of a private reply (an ack's blocks), as block_action wants it."""
    for block in reply.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return {**element, "block_id": block["block_id"]}
    raise AssertionError(f"no {action_id} button in {reply.get('text')!r}")


async def press_in_reply(harness, actor, reply: dict, action_id: str) -> str:
    """Press a button of a private reply; returns what the message was replaced with (via response_url)."""
    before = len(harness.standin.calls)
    message = {**reply, "ts": "1700000000.000100", "is_ephemeral": True}
    response = await harness.slack.block_action(actor, reply_button(reply, action_id), message=message)
    assert response.status_code == 200, response.text
    answers = [c for c in harness.standin.calls[before:] if c.method == "response_url"]
    assert answers, "the press was not answered"
    assert answers[-1].args.get("replace_original") in (True, "true"), answers[-1].args
    return str(answers[-1].args.get("text", ""))
