"""Insights on Slack: customers' and the field's own words beside an outcome's numbers, and the weekly
execution-health post that gathers the week's findings and insights per channel.

- `commands`: /insight; `shortcut`: the "Add as insight" message shortcut; `forms`: the form's submission;
- `messages`: the weekly health post, as an outbox row (the scheduler's job queues it there);
- `blocks/`: Block Kit, pure (the form, the list, the weekly post).
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import ADD_INSIGHT_SHORTCUT, INSIGHT
from handlers.insights import commands, forms, shortcut
from handlers.insights.blocks.ids import InsightIds
from handlers.kit.home import HomeTab
from handlers.kit.pickers import outcome_options


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(INSIGHT.name)(commands.insight_command)
    app.message_shortcut(ADD_INSIGHT_SHORTCUT.callback_id)(shortcut.message_shortcut)
    app.view(InsightIds.CREATE_VIEW.value)(forms.insight_added)
    app.options(InsightIds.OUTCOME.value)(outcome_options)
