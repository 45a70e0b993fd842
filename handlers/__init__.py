"""The Slack surface: one package per feature, each with a `register(app, home)`; `kit` is shared by all."""

from slack_bolt.app.async_app import AsyncApp

from handlers import actions, checkins, decisions, health, help, home, insights, lifecycle, meetings, outbox, outcomes
from handlers.kit.home import HomeTab

# health before help: both answer /followthrough, health only `/followthrough health …` (the first match runs);
# its Home section, "Needs attention", comes first too.
FEATURES = (health, help, home, lifecycle, outbox, outcomes, actions, checkins, decisions, meetings, insights)


def register(app: AsyncApp) -> None:
    home_tab = HomeTab()
    home_tab.install(app)
    for feature in FEATURES:
        feature.register(app, home_tab)
