"""Block Kit for check-ins, pure functions from domain values to payloads: `ids` (block and action ids),
`text` (small phrases), `setup` (the set-up form), `answer` (the answer form), `thread` (the round's thread,
asks, reminders, answers), `digest`, `listing` (`/checkin list`).

Names, never mentions, for people in round messages: a reminder goes by direct message, and nobody is
@-tagged in the channel for not having answered.
"""
