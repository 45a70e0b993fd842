"""Customer and field insights: someone's words attached to an outcome, so the numbers are read beside them.
`/insight O-12 "quote" — source` and the "Add as insight" message shortcut both come here."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Insight, Outcome, Person, Workspace
from services import outcomes
from services.errors import Invalid
from services.links import check_url

MAX_QUOTE = 1000
MAX_SOURCE = 200
SHOWN = 3  # the latest few beside the numbers
_QUOTED = re.compile(r'^\s*["“”](?P<quote>.+?)["“”]\s*(?:[—–-]+\s*(?P<source>.*))?$', re.DOTALL)
_DASHED = re.compile(r"^(?P<quote>.+?)\s+[—–]\s*(?P<source>[^—–]+)$|^(?P<q2>.+?)\s+-{1,2}\s+(?P<s2>[^-]+)$", re.DOTALL)
EXAMPLE = '/insight O-12 "We would pay for the export today" — Dana, Acme call'


@dataclass(frozen=True)
class Typed:
    ref: str
    quote: str
    source: str


def parse(text: str) -> Typed:
    """`O-12 "quote" — source` (curly or straight quotes; a dash or two before the source); Invalid with the
    part that is missing otherwise."""
    ref, _, rest = text.strip().partition(" ")
    if not ref:
        raise Invalid({"ref": f"Say which outcome, e.g. `{EXAMPLE}`."})
    found = _QUOTED.match(rest) or _DASHED.match(rest.strip())
    if not found:
        return Typed(ref, rest.strip().strip('"“”'), "")
    groups = found.groupdict()
    quote = groups.get("quote") or groups.get("q2") or ""
    source = groups.get("source") or groups.get("s2") or ""
    # Quote marks left at either end (`"" — Dana`, an unclosed quote) are not the words themselves.
    return Typed(ref, quote.strip().strip('"“”').strip(), source.strip())


async def add(session: AsyncSession, *, workspace: Workspace, author: Person, ref: str, quote: str, source: str,
              now: datetime, link: str | None = None) -> Insight:  # fmt: skip
    """Checks everything (errors by field: ref, quote, source), then stores it; nothing stored on a refusal."""
    errors: dict[str, str] = {}
    outcome = await outcomes.get_outcome(session, workspace_id=workspace.id, ref=ref) if ref.strip() else None
    if not ref.strip():
        errors["ref"] = "Pick the outcome these words speak to."
    elif outcome is None:
        errors["ref"] = f"I can't find {ref[:20]} in this workspace; `/outcome list` shows yours."
    quote, source = quote.strip(), " ".join(source.split())
    if not quote:
        errors["quote"] = "Give the words themselves, in quotes."
    elif len(quote) > MAX_QUOTE:
        errors["quote"] = f"Keep the quote within {MAX_QUOTE} characters (this has {len(quote)}); link the rest."
    if not source:
        errors["source"] = f"Say who said it or where it was heard, after a dash: `{EXAMPLE}`."
    elif len(source) > MAX_SOURCE:
        errors["source"] = f"Keep the source within {MAX_SOURCE} characters."
    if link:
        try:
            link = check_url(link)
        except Invalid:
            link = None  # a message's permalink Slack gave us that we can't vouch for: keep the words, not the link
    if errors:
        raise Invalid(errors)
    assert outcome is not None
    insight = Insight(workspace_id=workspace.id, outcome_id=outcome.id, quote=quote, source=source, link=link,
                      author_id=author.id, created_at=now)  # fmt: skip
    session.add(insight)
    await session.flush()
    return insight


async def latest(session: AsyncSession, *, workspace_id: int, outcome_ids: list[int],
                 per_outcome: int = SHOWN) -> dict[int, list[Insight]]:  # fmt: skip
    """The latest few insights of each outcome, newest first."""
    found: dict[int, list[Insight]] = defaultdict(list)
    if not outcome_ids:
        return found
    query = (
        select(Insight)
        .where(Insight.workspace_id == workspace_id, Insight.outcome_id.in_(outcome_ids))
        .order_by(Insight.outcome_id, Insight.created_at.desc(), Insight.id.desc())
        .options(joinedload(Insight.author))
    )
    for insight in await session.scalars(query):
        if len(found[insight.outcome_id]) < per_outcome:
            found[insight.outcome_id].append(insight)
    return found


async def since(session: AsyncSession, *, workspace_id: int, when: datetime,
                channel_id: str | None = None) -> list[tuple[str, Insight]]:  # fmt: skip
    """(outcome ref, insight) added since `when`, newest first; only outcomes defined in `channel_id` if given."""
    query = (
        select(Outcome.number, Insight)
        .join(Outcome, Outcome.id == Insight.outcome_id)
        .where(Insight.workspace_id == workspace_id, Insight.created_at >= when)
        .order_by(Insight.created_at.desc(), Insight.id.desc())
    )
    if channel_id is not None:
        query = query.where(Outcome.channel_id == channel_id)
    return [(f"O-{number}", insight) for number, insight in await session.execute(query)]
