"""Respecting attention on Slack: each person's working hours, focus time and daily budget of DMs, the
workspace's attention settings, the noise report, and noticing when someone answers a DM the bot started.

- `commands`: `/followthrough hours | focus | budget`; `admin`: `/followthrough attention | noise`;
- `blocks`: the noise report, pure; `responses`: the middleware that records answers.

/followthrough itself belongs to help: the listeners here match only their own first word, and are registered
before help's (Bolt runs the first listener that matches).
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import FOLLOWTHROUGH
from handlers.attention import admin, commands, responses
from handlers.kit.home import HomeTab
from handlers.kit.subcommands import first_word

LISTENERS = (
    ("hours", commands.hours_command),
    ("focus", commands.focus_command),
    ("budget", commands.budget_command),
    ("attention", admin.attention_command),
    ("noise", admin.noise_command),
)


def register(app: AsyncApp, home: HomeTab) -> None:
    app.use(responses.record_answers)
    for word, listener in LISTENERS:
        app.command(FOLLOWTHROUGH.name, matchers=[first_word(word)])(listener)
