"""Short refs people type (O-12, P-3): parsing, and handing out the next number of a workspace."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import RefCounter

_REF = re.compile(r"^(?:([a-z]{1,2})-?)?(\d{1,9})$", re.IGNORECASE)


def parse_ref(text: str, prefix: str) -> int | None:
    """The number in `O-12`, `o-12`, `O12` or `12` (for prefix "O"; `PB-3` for "PB"); None when it is not such a ref."""
    match = _REF.match(text.strip())
    if not match or (match.group(1) and match.group(1).upper() != prefix):
        return None
    number = int(match.group(2))
    return number if number > 0 else None


def looks_like_ref(text: str) -> bool:
    """A word shaped like a ref of any kind, so "O-99" gets "not found" rather than "I don't know"."""
    return bool(_REF.match(text.strip()))


async def next_number(session: AsyncSession, *, workspace_id: int, kind: str) -> int:
    table = RefCounter.__table__
    bump = (
        update(table)
        .where(table.c.workspace_id == workspace_id, table.c.kind == kind)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    )
    number = await session.scalar(bump)
    if number is not None:
        return number
    try:
        async with session.begin_nested():
            session.add(RefCounter(workspace_id=workspace_id, kind=kind, last=1))
        return 1
    except IntegrityError:  # another request created the counter first; its row now takes our increment
        return int(await session.scalar(bump))  # type: ignore[arg-type]
