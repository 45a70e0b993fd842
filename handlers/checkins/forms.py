"""The set-up form and the answer form, as submitted: read the state, call the service, put any problem on
its field, or turn the form into a short thanks."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.checkins import messages
from handlers.checkins.blocks.answer import answered_view, gone_view
from handlers.checkins.blocks.ids import FIELD_BLOCKS, CheckinIds, Extra, indexed
from handlers.checkins.blocks.setup import saved_view
from handlers.checkins.channel import setup_problem
from handlers.kit import profiles
from handlers.kit.forms import chosen, chosen_all, decode_meta, field_errors, state_of, typed
from handlers.kit.replies import error_text
from models import OutcomeStatus, Person, Round, Workspace
from services import checkins, outcomes
from services.checkins import BadCommitment, BadOutcomeAnswer, CadenceForm, CheckinError, OutcomeAnswer
from services.errors import Forbidden, Invalid
from services.outcomes import BadProgress, Part, parse_values
from services.people import person_zone, today_for

# the set-up form ---------------------------------------------------------------------------------------------


def form_from_state(values: dict) -> CadenceForm:
    extras = chosen_all(values, CheckinIds.EXTRAS)
    return CadenceForm(
        audience=chosen(values, CheckinIds.AUDIENCE) or "",
        members=tuple(state_of(values, CheckinIds.MEMBERS).get("selected_users") or ()),
        interval_weeks=chosen(values, CheckinIds.FREQUENCY) or "",
        weekdays=tuple(chosen_all(values, CheckinIds.DAYS)),
        local_time=state_of(values, CheckinIds.TIME).get("selected_time"),
        zone_mode=chosen(values, CheckinIds.ZONE_MODE) or "",
        timezone=typed(values, CheckinIds.ZONE),
        starts_on=state_of(values, CheckinIds.START).get("selected_date"),
        questions=typed(values, CheckinIds.QUESTIONS),
        ask_blocker=Extra.BLOCKER in extras,
        ask_confidence=Extra.CONFIDENCE in extras,
        remind_after=chosen(values, CheckinIds.REMIND),
        digest_after=chosen(values, CheckinIds.DIGEST) or "",
    )


async def setup_submitted(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    """The form is checked (its fields, then the channel, with Slack), and only then saved."""
    channel_id = str(decode_meta(view.get("private_metadata")).get("channel") or "")
    form, today = form_from_state(view["state"]["values"]), today_for(person, workspace, now)
    await profiles.refresh_named(client, db, workspace, form.members[: checkins.MAX_MEMBERS], now)
    try:
        checkins.validate(form, today=today)
        problem = await setup_problem(client, channel_id)
        if problem:
            raise CheckinError(problem)
        cadence, created = await checkins.save_cadence(
            db, workspace=workspace, actor=person, channel_id=channel_id, form=form, now=now, today=today
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, CheckinIds.AUDIENCE))
        return
    except (Forbidden, CheckinError) as exc:
        await ack(response_action="errors", errors={CheckinIds.AUDIENCE.value: error_text(exc)})
        return
    await ack(response_action="update", view=saved_view(cadence, created=created, zone=person_zone(person, workspace)))


# the answer form ---------------------------------------------------------------------------------------------


def _first_input(view: dict) -> str:
    """Where a problem with the answer as a whole is shown: the form's first field."""
    return next((b["block_id"] for b in view.get("blocks") or [] if b.get("type") == "input"), "")


def _confidence(values: dict) -> OutcomeStatus | None:
    picked = chosen(values, CheckinIds.CONFIDENCE)
    return next((s for s in checkins.CONFIDENCE_CHOICES if s.value == picked), None)


class FieldProblem(Exception):
    """A problem with one field of the answer form; nothing was stored."""

    def __init__(self, block: str, message: str) -> None:
        super().__init__(message)
        self.errors = {block: message}


async def _outcome_answers(db: AsyncSession, workspace: Workspace, values: dict) -> list[OutcomeAnswer]:
    """What the form says of each of the person's outcomes (one status block, and a values block, per ref)."""
    items: list[OutcomeAnswer] = []
    prefix = f"{CheckinIds.OUTCOME_STATUS.value}:"
    for block_id in values:
        if not block_id.startswith(prefix):
            continue
        ref = block_id.removeprefix(prefix)
        values_block = indexed(CheckinIds.OUTCOME_VALUES, ref)
        outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref)
        try:
            status = OutcomeStatus(chosen(values, block_id) or "")
        except ValueError:
            raise FieldProblem(block_id, "Choose how it stands.") from None
        if outcome is None:
            raise FieldProblem(block_id, f"{ref} no longer exists.")
        try:
            entries = parse_values(typed(values, values_block))
        except BadProgress as exc:
            raise FieldProblem(values_block, error_text(exc)) from None
        items.append(OutcomeAnswer(outcome=outcome, status=status, entries=entries))
    return items


async def _record(
    db: AsyncSession, workspace: Workspace, round_: Round, person: Person, view: dict, now: datetime
) -> checkins.Answered:
    values = view["state"]["values"]
    first_block = _first_input(view)
    answers = [typed(values, indexed(CheckinIds.QUESTION, n)) for n in range(len(round_.questions))]
    items = await _outcome_answers(db, workspace, values)
    try:
        return await checkins.record_answer(
            db,
            round_=round_,
            person=person,
            answers=answers,
            blocker=typed(values, CheckinIds.BLOCKER),
            confidence=_confidence(values),
            outcomes=items,
            now=now,
            commitments=checkins.commitment_lines(typed(values, CheckinIds.WILL)),
        )
    except BadCommitment as exc:
        raise FieldProblem(CheckinIds.WILL.value, error_text(exc)) from None
    except BadOutcomeAnswer as exc:
        kind = CheckinIds.OUTCOME_STATUS if exc.part in (Part.STATUS, Part.OUTCOME) else CheckinIds.OUTCOME_VALUES
        raise FieldProblem(indexed(kind, exc.ref), error_text(exc)) from None
    except (CheckinError, Forbidden) as exc:
        raise FieldProblem(first_block, error_text(exc)) from None


async def answer_submitted(
    ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person, now: datetime
) -> None:
    token = str(decode_meta(view.get("private_metadata")).get("round") or "")
    round_ = await checkins.load_round(db, workspace_id=workspace.id, token=token, lock=True) if token else None
    if round_ is None:
        await ack(response_action="update", view=gone_view())
        return
    try:
        answered = await _record(db, workspace, round_, person, view, now)
    except FieldProblem as exc:
        await ack(response_action="errors", errors=exc.errors)
        return
    await messages.after_answer(db, round_, answered.invite, first=answered.first, logged=answered.logged, now=now)
    thread = await messages.thread_delivery(db, round_)
    everyone = checkins.everyone_answered(round_)
    view = answered_view(round_, everyone=everyone, thread=thread, made=answered.actions)
    await ack(response_action="update", view=view)
