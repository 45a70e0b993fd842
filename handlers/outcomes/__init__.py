"""Outcomes, progress and priorities on Slack: /outcome, /progress, /priority, the card, the forms, the Home section."""

from slack_bolt.app.async_app import AsyncApp

from bot.surface import OUTCOME, PRIORITY, PROGRESS
from handlers.kit.home import HomeTab
from handlers.kit.pickers import outcome_options
from handlers.outcomes import buttons, commands, forms, priorities, progress
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.progress import ProgressIds
from handlers.outcomes.home import home_section


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(OUTCOME.name)(commands.outcome_command)
    app.command(PROGRESS.name)(progress.progress_command)
    app.command(PRIORITY.name)(priorities.priority_command)
    app.view(OutcomeIds.CREATE_VIEW.value)(forms.outcome_created)
    app.view(OutcomeIds.EDIT_VIEW.value)(forms.outcome_edited)
    app.view(OutcomeIds.OWNER_VIEW.value)(forms.owner_changed)
    app.view(OutcomeIds.DROP_VIEW.value)(forms.outcome_dropped)
    app.view(ProgressIds.VIEW.value)(progress.progress_submitted)
    app.view(OutcomeIds.PRIORITY_VIEW.value)(priorities.priority_submitted)
    app.options(OutcomeIds.PARENT.value)(forms.parent_options)
    app.options(ProgressIds.OUTCOME.value)(outcome_options)
    app.action(OutcomeIds.CREATE.value)(buttons.create_pressed)
    app.action(OutcomeIds.EDIT.value)(buttons.edit_pressed)
    app.action(OutcomeIds.CHANGE_OWNER.value)(buttons.owner_pressed)
    app.action(OutcomeIds.DROP.value)(buttons.drop_pressed)
    app.action(OutcomeIds.MARK_DONE.value)(buttons.done_pressed)
    app.action(OutcomeIds.LOG_PROGRESS.value)(progress.log_pressed)
    app.action(OutcomeIds.ADD_PRIORITY.value)(priorities.add_pressed)
