"""What the learning loop tells people, as outbox rows: the lead's "write the retrospective" DM, the writer's
suggestions with a button each, the owner's proposed change, and an experiment's owner at its end date.

Keys are built from the rows' tokens (never their ids), so a second job run, a replayed form or a restart
between queueing and sending sends nothing twice. Every one is a DM that waits for working hours (normal), unless it
answers what its recipient has just done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.playbooks.learning import experiment_blocks, retro_blocks
from models import Experiment, Person, Playbook, PlaybookRun, ProposedChange, Retro
from services import outbox
from services.attention.policy import Urgency
from services.playbooks import library

RETRO_KIND = "playbook.retro"
SUGGESTIONS_KIND = "playbook.suggestions"
PROPOSAL_KIND = "playbook.proposal"
EXPERIMENT_KIND = "experiment.ask"


async def _dm(session: AsyncSession, *, workspace_id: int, key: str, kind: str, person: Person, text: str,
              blocks: list, now: datetime, answering: bool = False) -> None:  # fmt: skip
    await outbox.enqueue(session, workspace_id=workspace_id, key=key, kind=kind, method="chat.postMessage",
                         args={"channel": person.slack_user_id, "text": text, "blocks": blocks}, not_before=now,
                         urgency=Urgency.NORMAL, answering=answering)  # fmt: skip


async def queue_retro_ask(session: AsyncSession, *, run: PlaybookRun, playbook: Playbook, retro: Retro,
                          now: datetime) -> bool:  # fmt: skip
    """The lead's one DM: the run is resolved, write its retrospective. False when the lead has left Slack."""
    lead = await session.get(Person, run.lead_id)
    if lead is None or lead.is_deleted:
        return False
    text, blocks = retro_blocks.retro_ask_blocks(run, playbook, retro.token, blameless=retro.blameless)
    await _dm(session, workspace_id=run.workspace_id, key=f"playbook:retro:{retro.token}:ask", kind=RETRO_KIND,
              person=lead, text=text, blocks=blocks, now=now)  # fmt: skip
    return True


async def queue_suggestions(session: AsyncSession, *, run: PlaybookRun, playbook: Playbook, retro: Retro,
                            changes: list[ProposedChange], writer: Person, now: datetime) -> None:  # fmt: skip
    """The writer's DM with the new suggestions, each with "Propose a change"; keyed by the first new one."""
    if not changes:
        return
    text, blocks = retro_blocks.suggestions_blocks(run, playbook, changes)
    key = f"playbook:retro:{retro.token}:suggestions:{changes[0].token}"
    # The writer has just saved the form: this answers them, it is no interruption to hold or count.
    await _dm(session, workspace_id=run.workspace_id, key=key, kind=SUGGESTIONS_KIND, person=writer, text=text,
              blocks=blocks, now=now, answering=True)  # fmt: skip


async def queue_proposal(session: AsyncSession, *, change: ProposedChange, run: PlaybookRun, playbook: Playbook,
                         by: Person, now: datetime) -> None:  # fmt: skip
    """The owner's DM with the proposal; when the owner proposed it themselves it answers them at once."""
    owner = await session.get(Person, playbook.owner_id)
    if owner is None or owner.is_deleted:
        return
    _, names = await library.people_index(session, workspace_id=run.workspace_id)
    text, blocks = retro_blocks.proposal_blocks(change, run, playbook, names)
    await _dm(session, workspace_id=run.workspace_id, key=f"playbook:change:{change.token}:proposed",
              kind=PROPOSAL_KIND, person=owner, text=text, blocks=blocks, now=now,
              answering=owner.id == by.id)  # fmt: skip


async def queue_experiment_ask(session: AsyncSession, *, experiment: Experiment, now: datetime) -> None:
    """The owner's one DM at the end date (the attention policy holds it until their working hours)."""
    text, blocks = experiment_blocks.ask_blocks(experiment)
    await _dm(session, workspace_id=experiment.workspace_id, key=f"experiment:{experiment.token}:ask",
              kind=EXPERIMENT_KIND, person=experiment.owner, text=text, blocks=blocks, now=now)  # fmt: skip


async def cancel_experiment_ask(session: AsyncSession, *, experiment: Experiment) -> None:
    """The result is in: an ask still queued (held for working hours or the day's budget) would ask for it again."""
    await outbox.cancel(session, workspace_id=experiment.workspace_id, key_prefix=f"experiment:{experiment.token}:")


async def cancel_proposal(session: AsyncSession, *, change: ProposedChange) -> None:
    """Decided (by its buttons or by publishing from the edit form): a DM still queued would ask again."""
    await outbox.cancel(session, workspace_id=change.workspace_id, key_prefix=f"playbook:change:{change.token}:")


async def cancel_retro_ask(session: AsyncSession, *, retro: Retro) -> None:
    """The retrospective is written: the lead's request, if still held, no longer applies."""
    await outbox.cancel(session, workspace_id=retro.workspace_id, key_prefix=f"playbook:retro:{retro.token}:ask")
