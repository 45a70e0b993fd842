"""Where other features' action items come from: a decided decision ("Add follow-up") and a check-in answer
("I will…"). The rules of each source live here once; the items are made by `creating.create` like any other."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, Decision, DecisionStatus, SourceKind
from services import decisions
from services.actions.creating import Source
from services.errors import NotNow


async def decision_source(session: AsyncSession, *, workspace_id: int, ref: str) -> tuple[Decision, Source]:
    """A decided decision of this workspace as a follow-up's source; NotFound or NotNow otherwise (an open one
    has no answer to follow up yet, a withdrawn one never will)."""
    decision = await decisions.find_decision(session, workspace_id=workspace_id, ref=ref)
    if decision.status is not DecisionStatus.DECIDED:
        raise NotNow(f"{decision.ref} is {decision.status.value}, so there is no decision to follow up yet.")
    return decision, Source(kind=SourceKind.DECISION, ref=decision.ref)


def checkin_source(occurs_on: date) -> Source:
    """A check-in answer: the round's day (the item's channel and owner say whose answer, in which check-in)."""
    return Source(kind=SourceKind.CHECKIN, ref=occurs_on.isoformat())


async def from_source(session: AsyncSession, *, workspace_id: int, source: Source, owner_id: int,
                      channel_id: str | None) -> list[Action]:  # fmt: skip
    """The items someone already has from one source (an answer sent again must not make them twice)."""
    query = select(Action).where(
        Action.workspace_id == workspace_id,
        Action.source_kind == source.kind,
        Action.source_ref == source.ref,
        Action.owner_id == owner_id,
        Action.channel_id == channel_id,
    )
    return list(await session.scalars(query.order_by(Action.number)))
