"""Playbooks: the running part (see the package's docstring).

- `commands`: /playbook run PB-2, /playbook R-4, /playbook resolve R-4; `forms`: the start form and the reason
  for a skipped or blocked step; `buttons`: Done / Skip / Blocked (DM and card menu), Resolve, and Posted (the
  lead's status update is out);
- `blocks` and `form_blocks`: Block Kit, pure; what runs send goes through `handlers.playbooks.messages.runs`.
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import PLAYBOOK
from handlers.kit.home import HomeTab
from handlers.playbooks.running import buttons, commands, forms
from handlers.playbooks.running.ids import RunIds

# /playbook help is answered by the library part, which shows these after its own.
HELP_DETAILS = [
    "*Run* `/playbook run PB-2` opens the form: who fills each role (approvers too), the lead, when it starts "
    "(`now` or a date) and the channel for the checklist. The run keeps the version it started on, whatever is "
    "published later.",
    "*Steps* each step's person gets one direct message when it is due (in their working hours, except in "
    "incidents) with *Done*, *Skip…* and *Blocked…*; a step that needs approval waits for its approver's *Approve* "
    "(or *Send back…*) before it counts as done; the card's menu beside each "
    "step does the same, and a step once done or skipped can no longer be skipped or blocked. "
    "`/playbook R-4` shows the card, what is late and the timeline of every change.",
    "*Resolve* `/playbook resolve R-4` (the lead or an admin) ends the run and stops an incident's status-update "
    "reminders; finishing or skipping every step ends it too.",
]


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(PLAYBOOK.name, matchers=[commands.mine])(commands.playbook_command)
    app.view(RunIds.START_VIEW.value)(forms.run_started)
    app.view(RunIds.REASON_VIEW.value)(forms.reason_given)
    for action in (RunIds.DONE, RunIds.SKIP, RunIds.BLOCKED, RunIds.STEP_MENU):
        app.action(action.value)(buttons.step_pressed)
    app.action(RunIds.APPROVE.value)(buttons.approve_pressed)
    app.action(RunIds.SEND_BACK.value)(buttons.send_back_pressed)
    app.action(RunIds.RESOLVE.value)(buttons.resolve_pressed)
    app.action(RunIds.STATUS_POSTED.value)(buttons.status_posted_pressed)
