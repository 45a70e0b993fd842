"""Playbooks: the library part (see the package's docstring): /playbook list, show, diff, new and edit, their
forms, and the evergreen review DM's buttons.

- `commands`: /playbook (all but the running and learning parts' words); `forms`: the forms' submissions;
- `buttons`: Confirm and Edit on the review DM; `cards` and `views`: Block Kit, pure; `ids`: the ids, once.
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import PLAYBOOK
from handlers.kit.home import HomeTab
from handlers.playbooks.library import buttons, commands, forms
from handlers.playbooks.library.ids import LibraryIds


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(PLAYBOOK.name, matchers=[commands.not_claimed])(commands.playbook_command)
    app.view(LibraryIds.NEW_VIEW.value)(forms.new_submitted)
    app.view(LibraryIds.EDIT_VIEW.value)(forms.edit_submitted)
    app.action(LibraryIds.CONFIRM.value)(buttons.confirm_pressed)
    app.action(LibraryIds.EDIT.value)(buttons.edit_pressed)
