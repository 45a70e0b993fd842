"""The Slack surface: one package per feature, each with a `register(app, home)`; `kit` is shared by all."""

from slack_bolt.app.async_app import AsyncApp

from handlers import (
    actions,
    attention,
    checkins,
    decisions,
    health,
    help,
    home,
    insights,
    lifecycle,
    meetings,
    outbox,
    outcomes,
    playbooks,
    web,
)
from handlers.kit.home import HomeTab

# health and attention before help: all answer /followthrough, health only `/followthrough health …` and attention
# only its own words (the first match runs); health's Home section, "Needs attention", comes first too. Home
# sections follow this order: playbooks' "My steps" sits with "My action items", both things to do.
FEATURES = (
    health, attention, web, help, home, lifecycle, outbox, outcomes, actions, playbooks, checkins, decisions, meetings,
    insights,
)  # fmt: skip


def register(app: AsyncApp) -> None:
    home_tab = HomeTab()
    home_tab.install(app)
    for feature in FEATURES:
        feature.register(app, home_tab)
