"""The learning loop's form submissions: the retrospective, a proposed change, a new experiment, its result.

A refusal lands on the form beside the field it concerns; nothing is half-stored (the services check first,
or write inside a savepoint)."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.replies import error_text
from handlers.kit.text import esc
from handlers.playbooks.learning import experiment_blocks, retro_blocks
from handlers.playbooks.learning.ids import CHANGE_FIELDS, EXPERIMENT_FIELDS, RETRO_FIELDS, LearningIds
from handlers.playbooks.messages import learning as messages
from handlers.playbooks.messages import runs as run_messages
from models import Person, Playbook, PlaybookRun, Workspace
from services import people
from services.errors import Forbidden, Invalid, NotNow
from services.playbooks import experiments, proposals, retros


def _refused(exc: Exception, fields: dict, fallback: LearningIds) -> dict[str, str]:
    if isinstance(exc, Invalid):
        return field_errors({str(k): v for k, v in exc.errors.items()}, fields, fallback)
    return {fallback.value: error_text(exc)}


def _done(title: str, text: str) -> dict:
    return {"response_action": "update", "view": experiment_blocks.done_view(title, text)}


async def retro_submitted(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                          now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    ref = str(decode_meta(view.get("private_metadata")).get("run") or "")
    run = await retros.get_run(db, workspace_id=workspace.id, ref=ref)
    first = LearningIds.SUGGESTIONS
    if run is None:
        await ack(response_action="errors", errors={first.value: "This run no longer exists here."})
        return
    form = retros.RetroForm(
        sections={name: typed(values, block) for name, block in RETRO_FIELDS.items() if block in values},
        suggestions=typed(values, LearningIds.SUGGESTIONS),
        actions=typed(values, LearningIds.ACTIONS),
        experiments=typed(values, LearningIds.EXPERIMENTS),
    )
    try:
        saved = await retros.save(db, workspace=workspace, run=run, person=person, form=form, now=now)
    except (Invalid, Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors=_refused(exc, RETRO_FIELDS, first))
        return
    playbook = await db.get(Playbook, run.playbook_id)
    assert playbook is not None
    await messages.cancel_retro_ask(db, retro=saved.retro)
    await messages.queue_suggestions(db, run=run, playbook=playbook, retro=saved.retro, changes=saved.changes,
                                     writer=person, now=now)  # fmt: skip
    await run_messages.redraw_card(db, run=run, now=now)  # it stops offering to write the retrospective
    written = retro_blocks.written_text(saved.retro.sections, blameless=saved.retro.blameless)
    await ack(**_done(f"{run.ref} retro saved", f"{retro_blocks.saved_text(run, saved)}\n\n{written}"))


async def change_proposed(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                          now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    token = str(decode_meta(view.get("private_metadata")).get("change") or "")
    change = await proposals.by_token(db, workspace_id=workspace.id, token=token, lock=True)
    if change is None:
        await ack(response_action="errors", errors={LearningIds.KIND.value: "This suggestion no longer exists."})
        return
    run = await db.get(PlaybookRun, change.run_id)
    assert run is not None
    try:
        playbook = await proposals.propose(db, change=change, run=run, kind=chosen(values, LearningIds.KIND),
                                           step_key=chosen(values, LearningIds.STEP),
                                           line=typed(values, LearningIds.LINE), by=person, now=now)  # fmt: skip
    except (Invalid, Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors=_refused(exc, CHANGE_FIELDS, LearningIds.KIND))
        return
    await messages.queue_proposal(db, change=change, run=run, playbook=playbook, by=person, now=now)
    text = (f"Proposed: {esc(proposals.describe(change))}. It is in the draft of *{playbook.ref}*, and its owner "
            "is asked to accept or decline it.")  # fmt: skip
    await ack(**_done("Change proposed", text))


async def experiment_created(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                             now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    meta = decode_meta(view.get("private_metadata"))
    try:
        experiment = await experiments.create(
            db, workspace=workspace, owner=person, hypothesis=typed(values, LearningIds.HYPOTHESIS),
            metric=chosen(values, LearningIds.METRIC), expected_effect=typed(values, LearningIds.EFFECT),
            ends_on=state_of(values, LearningIds.ENDS_ON).get("selected_date"),
            today=people.today_for(person, workspace, now), channel_id=meta.get("channel"),
        )  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=_refused(exc, EXPERIMENT_FIELDS, LearningIds.HYPOTHESIS))
        return
    text = (f"*{experiment.ref}* is running until {experiment.ends_on:%a %-d %b %Y}. That morning you are asked "
            f"how it went. `/experiment {experiment.ref}` shows it.")  # fmt: skip
    await ack(**_done(f"{experiment.ref} started", text))


async def result_recorded(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                          now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    token = str(decode_meta(view.get("private_metadata")).get("experiment") or "")
    found = await experiments.by_token(db, workspace_id=workspace.id, token=token)
    experiment = await experiments.get(db, workspace_id=workspace.id, ref=found.ref, lock=True) if found else None
    if experiment is None:
        await ack(response_action="errors", errors={LearningIds.RESULT.value: "This experiment no longer exists."})
        return
    try:
        await experiments.record_result(db, experiment=experiment, by=person, result=chosen(values, LearningIds.RESULT),
                                        learning=typed(values, LearningIds.LEARNING), now=now,
                                        today=people.today_for(person, workspace, now))  # fmt: skip
    except (Invalid, Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors=_refused(exc, EXPERIMENT_FIELDS, LearningIds.LEARNING))
        return
    await messages.cancel_experiment_ask(db, experiment=experiment)
    text = (f"*{experiment.ref}* is {experiment.result.value}. The learning goes into this week's health post: "
            "whichever way a bet goes, knowing is the result.")  # fmt: skip
    await ack(**_done(f"{experiment.ref} recorded", text))


async def metric_options(ack: AsyncAck, body: dict, db: AsyncSession, workspace: Workspace) -> None:
    """The metric picker: every open outcome's metrics, matching what was typed."""
    found = await experiments.metric_choices(db, workspace_id=workspace.id, query=str(body.get("value") or ""))
    options = [experiment_blocks.metric_option(experiments.metric_choice(o, m), o.ref, m.name) for o, m in found]
    await ack(options=options)
