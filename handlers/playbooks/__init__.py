"""Playbooks on Slack: /playbook and /experiment, run checklists, step DMs and their buttons, retrospectives.

Three parts, each with its own `register(app, home)`:

- `library`: the playbooks themselves (list, show a version, diff, new, edit, publish, evergreen reviews);
- `running`: runs (start one, the checklist card, step DMs with Done / Skip / Blocked, status reminders, resolve);
- `learning`: retrospectives and postmortems, proposed changes, experiments (/experiment).

`home` is the Home tab's section for all three.

Each part's /playbook listener matches only its own first words; `library` answers everything else, so it comes
last (Bolt runs the first listener that matches).
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from handlers.kit.home import HomeTab
from handlers.playbooks import learning, library, running
from handlers.playbooks.home import home_section

PARTS = (running, learning, library)


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)  # one section for the three parts: "My steps", then the learning loop's asks
    for part in PARTS:
        part.register(app, home)
