"""Block Kit builders: pure functions from domain values to slack_sdk.models blocks."""
