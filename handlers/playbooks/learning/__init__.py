"""Playbooks: the learning part (see the package's docstring): retrospectives and blameless postmortems, the
changes they propose, and experiments (/experiment).

- `commands`: `/playbook retro R-4` and /experiment; `buttons`: write the retrospective, propose a change,
  accept or decline it, record an experiment's result; `forms`: the submissions;
- `handlers.playbooks.messages.learning`: the DMs, as outbox rows (the scheduler composes its own there too);
- `retro_blocks`, `experiment_blocks`: Block Kit, pure; `ids`: action, block and view ids.
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import EXPERIMENT, PLAYBOOK
from handlers.kit.home import HomeTab
from handlers.kit.subcommands import first_word
from handlers.playbooks.learning import buttons, commands, forms
from handlers.playbooks.learning.ids import LearningIds

RETRO_WORD = "retro"
# /playbook help is answered by the library part, which shows these after its own (commands.HELP_DETAILS is
# /experiment's).
HELP_DETAILS = [
    "*Learn* a resolved run asks its lead for the retrospective (`/playbook retro R-4` opens it; for incidents a "
    "blameless postmortem; once saved, anyone can read it there). What should change in the playbook becomes a "
    "proposed change to one step, typed like a step line; its owner accepts it as the next version, whose "
    "changelog names the run.",
    "*Experiments* `/experiment new` records a bet and its end date; `/experiment help` says more.",
]


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(PLAYBOOK.name, matchers=[first_word(RETRO_WORD)])(commands.retro_command)
    app.command(EXPERIMENT.name)(commands.experiment_command)
    app.view(LearningIds.RETRO_VIEW.value)(forms.retro_submitted)
    app.view(LearningIds.PROPOSE_VIEW.value)(forms.change_proposed)
    app.view(LearningIds.EXPERIMENT_VIEW.value)(forms.experiment_created)
    app.view(LearningIds.RESULT_VIEW.value)(forms.result_recorded)
    app.options(LearningIds.METRIC.value)(forms.metric_options)
    app.action(LearningIds.OPEN_RETRO.value)(buttons.open_retro_pressed)
    app.action(LearningIds.PROPOSE.value)(buttons.propose_pressed)
    app.action(LearningIds.ACCEPT.value)(buttons.decided(accept=True))
    app.action(LearningIds.DECLINE.value)(buttons.decided(accept=False))
    app.action(LearningIds.RESULT.value)(buttons.result_pressed)
