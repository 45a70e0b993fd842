"""The team set up and its people acting, through the same services (and the same queued messages) the Slack
listeners use: a decision asked and decided, an action item created and done, a meeting scheduled and its
pre-read read. Listeners are skipped (no signed requests): their parsing is not what is measured here, and a
month of a team through HTTP would take far longer than the scheduler's work it is meant to show.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import insert, select

from bench.attention.plan import START, Event, Plan
from bot.database import Database
from bot.devtools.standin import SlackStandin
from handlers.actions import messages as action_messages
from handlers.decisions import messages as decision_messages
from handlers.meetings.messages import pre_reads as meeting_messages
from models import Person, Workspace
from services import actions, checkins, decisions, meetings, outcomes, people
from services.checkins import CadenceForm
from services.decisions import DecisionForm
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings import MeetingForm
from services.outcomes import OutcomeForm

TEAM_ID = "T0BENCH"
log = logging.getLogger(__name__)


class World:
    """The workspace in the database and in the stand-in, and what each planned event became."""

    def __init__(self, database: Database, standin: SlackStandin, plan: Plan) -> None:
        self.database, self.standin, self.plan = database, standin, plan
        self.workspace_id = 0
        self.made: dict[tuple[str, int], int] = {}  # (decision|action|meeting, planned number) -> row id
        self.refused: dict[str, int] = {}

    async def set_up(self) -> None:
        for member in self.plan.people:
            self.standin.add_user(member.user, name=member.name, real_name=member.name.upper(), tz=member.zone)
        for cadence in self.plan.cadences:
            self.standin.add_channel(cadence.channel, name=cadence.name, members=list(cadence.members))
        async with self.database.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id=TEAM_ID, default_timezone="UTC")
            self.workspace_id = workspace.id
            rows = [{"workspace_id": workspace.id, "slack_user_id": m.user, "display_name": m.name,
                     "timezone": m.zone, "is_admin": i == 0, "profile_refreshed_at": START}
                    for i, m in enumerate(self.plan.people)]  # fmt: skip
            await session.execute(insert(Person), rows)
        async with self.database.sessions.begin() as session:
            workspace, by_user = await self._people(session)
            for member in self.plan.people:
                for n in range(self.plan.outcomes[member.user]):
                    await outcomes.create_outcome(session, workspace=workspace, author=by_user[member.user],
                                                  form=_outcome_form(member.user, n), channel_id=None,
                                                  today=START.date(), now=START)  # fmt: skip
            for cadence in self.plan.cadences:
                form = CadenceForm(audience="chosen", members=cadence.members, weekdays=(str(cadence.weekday),),
                                   local_time=cadence.at, starts_on=START.date().isoformat(),
                                   timezone=by_user[cadence.members[0]].timezone or "UTC")  # fmt: skip
                await checkins.save_cadence(session, workspace=workspace, actor=by_user[cadence.members[0]],
                                            channel_id=cadence.channel, form=form, now=START,
                                            today=START.date())  # fmt: skip

    async def _people(self, session) -> tuple[Workspace, dict[str, Person]]:
        workspace = await session.get(Workspace, self.workspace_id)
        found = await session.scalars(select(Person).where(Person.workspace_id == self.workspace_id))
        return workspace, {p.slack_user_id: p for p in found}

    async def act(self, event: Event) -> None:
        """Carry out one planned event at the clock's time (`event.at`); a refusal is counted, not raised."""
        try:
            async with self.database.sessions.begin() as session:
                workspace, by_user = await self._people(session)
                await ACTS[event.kind](self, session, workspace, by_user, event)
        except (Invalid, Forbidden, NotFound, NotNow) as exc:
            self.refused[event.kind] = self.refused.get(event.kind, 0) + 1
            log.debug("%s %s refused: %s", event.kind, event.ref, exc)

    # the acts ----------------------------------------------------------------------------------------------------
    async def ask(self, session, workspace, by_user, event: Event) -> None:
        d = event.data
        form = DecisionForm(question=f"Which way for question {event.ref}?", decider=d["decider"],
                            deadline=int(d["deadline"].timestamp()), options="Option A\nOption B",
                            consulted=list(d["consulted"]))  # fmt: skip
        decision = await decisions.create_decision(session, workspace=workspace, author=by_user[d["asker"]],
                                                   form=form, channel_id=None, now=event.at)  # fmt: skip
        await decision_messages.tell_asked(session, decision=decision, now=event.at)
        self.made[("decision", event.ref)] = decision.id

    async def decide(self, session, workspace, by_user, event: Event) -> None:
        decision = await decisions.load(session, self.made[("decision", event.ref)], for_update=True)
        if decision is None or not decision.is_open:
            return
        actor = by_user[event.data["decider"]]
        await decisions.decide(session, decision=decision, actor=actor, choice="Option A", rationale="Cheaper.",
                               now=event.at)  # fmt: skip
        await decision_messages.tell_closed(session, decision=decision, actor=actor, now=event.at)

    async def create_action(self, session, workspace, by_user, event: Event) -> None:
        d = event.data
        creator, owner = by_user[d["creator"]], by_user[d["owner"]]
        action = await actions.create(session, workspace=workspace, creator=creator, owner=owner,
                                      what=f"Follow up item {event.ref}", due_on=d["due_on"], now=event.at)  # fmt: skip
        today = event.at.astimezone(people.person_zone(owner, workspace)).date()
        await action_messages.tell_assigned(session, action=action, by=creator, today=today, now=event.at)
        self.made[("action", event.ref)] = action.id

    async def done(self, session, workspace, by_user, event: Event) -> None:
        action = await actions.load(session, self.made[("action", event.ref)], for_update=True)
        if action is None or action.closed_at is not None:
            return
        actor = by_user[event.data["owner"]]
        await actions.done(session, action=action, actor=actor, now=event.at)
        await action_messages.tell_done(session, action=action, actor=actor, now=event.at)

    async def schedule(self, session, workspace, by_user, event: Event) -> None:
        d = event.data
        organiser = by_user[d["organiser"]]
        kind = "inform" if d["inform"] else "discuss"
        agenda = "\n".join(f"Topic {i + 1} — <@{user}> — 10 {kind}" for i, user in enumerate(d["attendees"][:3]))
        form = MeetingForm(title=f"Meeting {event.ref}", kind="planning", desired_outcome="We agree the next step.",
                           starts_at=d["starts"], minutes=30, attendees=[by_user[u] for u in d["attendees"]],
                           agenda=agenda, pre_reads=f"Brief — https://docs.example.com/m{event.ref}")  # fmt: skip
        channel = f"C{d['organiser'][1:3]}TEAM"  # scheduled from their team's channel
        meeting = await meetings.create(session, workspace=workspace, organiser=organiser, form=form,
                                        channel_id=channel, now=event.at)  # fmt: skip
        meeting = await meetings.load(session, meeting.id)
        await meeting_messages.queue_pre_read_asks(session, meeting=meeting, now=event.at)
        self.made[("meeting", event.ref)] = meeting.id

    async def read(self, session, workspace, by_user, event: Event) -> None:
        meeting = await meetings.load(session, self.made[("meeting", event.ref)])
        await meetings.mark_read(session, meeting=meeting, position=1, person=by_user[event.data["reader"]],
                                 now=event.at)  # fmt: skip


ACTS = {
    "decision.ask": World.ask,
    "decision.decide": World.decide,
    "action.create": World.create_action,
    "action.done": World.done,
    "meeting.create": World.schedule,
    "meeting.read": World.read,
}


def _outcome_form(user: str, n: int) -> OutcomeForm:
    due = (START + timedelta(days=45 + 7 * n)).date().isoformat()
    return OutcomeForm(title=f"Outcome {n + 1} of {user}", definition_of_done="Shipped and measured for a month.",
                       due=due, lagging_name="Activation", unit="%", baseline="20", target="40",
                       leading="Demos booked: 2 -> 10", owner_user_id=user)  # fmt: skip
