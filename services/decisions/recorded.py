"""A decision taken elsewhere and recorded afterwards (in a meeting, when its outcome is recorded): it is born
decided, with its option, rationale and decider, so nothing is asked and no reminder is planned for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import Decision, DecisionEventKind, DecisionStatus, Person, Workspace
from models.base import new_token
from services import people
from services.decisions.changes import record
from services.decisions.reading import load
from services.decisions.rules import MAX_CHOICE, MAX_QUESTION, MAX_RATIONALE, Field
from services.errors import Invalid
from services.refs import next_number


def check_decided(choice: str, rationale: str, decider: Person | None) -> dict[Field, str]:
    """What is wrong with a recorded decision (empty when nothing is): the option, why, and who decided."""
    errors: dict[Field, str] = {}
    choice, rationale = " ".join((choice or "").split()), (rationale or "").strip()
    if not choice:
        errors[Field.CHOICE] = "Say what was decided."
    elif len(choice) > MAX_CHOICE:
        errors[Field.CHOICE] = f"Keep the decision itself within {MAX_CHOICE} characters; explain in the rationale."
    if not rationale:
        errors[Field.RATIONALE] = "Say why, after the option: the rationale is what people will look for later."
    elif len(rationale) > MAX_RATIONALE:
        errors[Field.RATIONALE] = f"Keep the rationale within {MAX_RATIONALE:,} characters; link to a document."
    if decider is None:
        errors[Field.DECIDER] = "Choose who decided."
    elif refused := people.unassignable(decider):
        errors[Field.DECIDER] = refused
    return errors


async def record_decided(
    session: AsyncSession,
    *,
    workspace: Workspace,
    question: str,
    choice: str,
    rationale: str,
    decider: Person,
    recorded_by: Person,
    channel_id: str | None,
    source: str,
    now: datetime,
) -> Decision:
    """A decided D-n; `source` says where it was taken (a meeting's ref). Raises Invalid, storing nothing."""
    if errors := check_decided(choice, rationale, decider):
        raise Invalid(errors)
    decision = Decision(
        token=new_token(),
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="decision"),
        question=" ".join(question.split())[:MAX_QUESTION],
        context=f"Decided in {source}.",
        options=[],
        decider_id=decider.id,
        created_by_id=recorded_by.id,
        deadline=now,
        status=DecisionStatus.DECIDED,
        round=1,
        round_started_at=now,
        next_ping_at=None,
        chosen_option=" ".join(choice.split()),
        rationale=rationale.strip(),
        decided_at=now,
        decided_by_id=decider.id,
        channel_id=channel_id,
        created_at=now,
    )
    session.add(decision)
    await session.flush()
    record(session, decision, DecisionEventKind.CREATED, now, recorded_by, source=source)
    record(session, decision, DecisionEventKind.DECIDED, now, decider, option=decision.chosen_option,
           rationale=decision.rationale, source=source)  # fmt: skip
    loaded = await load(session, decision.id)
    assert loaded is not None
    return loaded
