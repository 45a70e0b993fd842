"""The Home tab frame: a greeting, each feature's section, then two lines of help pointing at the rest.

Features add a section when they register (`home.add(section)`); listeners that change what a Home tab shows
declare `home: HomeTab` (injected like `db`) and call `home.refresh(...)`. So the Home tab knows no feature,
and no feature imports another's handlers to redraw it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.models.blocks import DividerBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.help import short_help_blocks
from handlers.kit.replies import SLACK_FAILURES
from handlers.kit.text import clip, esc
from models import Person, Workspace

log = logging.getLogger(__name__)
# One section's blocks, already rendered as dicts; each feature keeps its own share of Slack's 100 blocks.
Section = Callable[[AsyncSession, Workspace, Person, datetime], Awaitable[list[dict]]]


class HomeTab:
    def __init__(self) -> None:
        self.sections: list[Section] = []

    def add(self, section: Section) -> None:
        self.sections.append(section)

    def install(self, app: AsyncApp) -> None:
        """Makes this Home tab the `home` every listener of `app` can ask for."""

        async def provide_home(context: dict, next: Callable[[], Awaitable[None]]) -> None:
            context["home"] = self
            await next()

        app.use(provide_home)

    async def view(self, session: AsyncSession, *, workspace: Workspace, person: Person, now: datetime) -> dict:
        blocks: list[dict] = [greeting(person.display_name)]
        for section in self.sections:
            blocks += await section(session, workspace, person, now)
        return frame(blocks)

    async def publish(
        self, client: AsyncWebClient, session: AsyncSession, *, workspace: Workspace, person: Person, now: datetime
    ) -> None:
        view = await self.view(session, workspace=workspace, person=person, now=now)
        await client.views_publish(user_id=person.slack_user_id, view=view)

    async def refresh(
        self, client: AsyncWebClient, session: AsyncSession, *, workspace: Workspace, person: Person, now: datetime
    ) -> None:
        """Redraws the Home tab after someone acted on it; the action stands even if the redraw fails."""
        try:
            await self.publish(client, session, workspace=workspace, person=person, now=now)
        except SLACK_FAILURES as exc:
            log.warning("could not refresh the Home tab of %s: %r", person.slack_user_id, exc)


def greeting(display_name: str | None) -> dict:
    hello = f"Hello {esc(clip(display_name, 80))}!" if display_name else "Hello!"
    return SectionBlock(text=MarkdownTextObject(text=f"*{hello}* Here is what is on you.")).to_dict()


def frame(blocks: list[dict]) -> dict:
    """The whole view; the help is short (the full help is one command away), so it never buries the rest."""
    return View(type="home", blocks=blocks + [DividerBlock().to_dict()] + short_help_blocks()).to_dict()
