"""Block Kit and mrkdwn as the shell shows them."""

from bot.devtools.shell.directory import Directory
from bot.devtools.shell.render import mrkdwn, render_blocks, render_message, render_view

PEOPLE = Directory.from_users(
    [
        {"id": "U0LOCAL", "name": "you", "real_name": "You", "tz": "UTC"},
        {"id": "U0ALEX", "name": "alex", "real_name": "Alex Kim", "tz": "Europe/Berlin"},
    ]
)


def plain(text):
    return {"type": "plain_text", "text": text}


def md(text):
    return {"type": "mrkdwn", "text": text}


def button(text, action_id, value=None):
    b = {"type": "button", "text": plain(text), "action_id": action_id}
    if value is not None:
        b["value"] = value
    return b


def test_mrkdwn_mentions_links_dates_and_entities():
    text = (
        "*Due* <!date^1700000000^{date_short}|Nov 14> for <@U0ALEX> in <#C0GENERAL>: "
        "<https://x.io/a|the doc> &amp; <!here>"
    )
    assert mrkdwn(text, PEOPLE) == "*Due* Nov 14 for @alex in #general: the doc (https://x.io/a) & @here"


def test_mrkdwn_unknown_user_and_bare_link():
    assert mrkdwn("<@U0NOBODY> <https://x.io>", PEOPLE) == "@U0NOBODY https://x.io"


def test_blocks_render_header_section_fields_context_divider():
    blocks = [
        {"type": "header", "text": plain("Outcomes")},
        {
            "type": "section",
            "text": md("*Ship v2* owned by <@U0ALEX>"),
            "fields": [md("*Due*\n2024-05-01"), md("On track")],
        },
        {"type": "divider"},
        {"type": "context", "elements": [md("updated by <@U0LOCAL>"), plain("2 days ago")]},
    ]
    text = render_blocks(blocks, PEOPLE).text
    assert text.splitlines() == [
        "Outcomes",
        "========",
        "*Ship v2* owned by @alex",
        "  *Due* 2024-05-01    On track",
        "-" * 40,
        "  updated by @you · 2 days ago",
    ]


def test_buttons_are_numbered_across_blocks_with_their_block_ids():
    blocks = [
        {"type": "section", "block_id": "o1", "text": md("Ship v2"), "accessory": button("Open", "open", "1")},
        {"type": "actions", "block_id": "acts", "elements": [button("Log progress", "log"), button("Done", "done")]},
    ]
    rendered = render_blocks(blocks, PEOPLE)
    assert rendered.text.splitlines() == ["Ship v2   [1] Open", "[2] Log progress  [3] Done"]
    assert [(c.number, c.label, c.block_id) for c in rendered.controls] == [
        (1, "Open", "o1"),
        (2, "Log progress", "acts"),
        (3, "Done", "acts"),
    ]


def test_selects_and_overflow_are_numbered_controls():
    overflow = {"type": "overflow", "action_id": "more", "options": [{"text": plain("Edit"), "value": "e"}]}
    select = {"type": "static_select", "action_id": "s", "placeholder": plain("Status"), "options": []}
    rendered = render_blocks([{"type": "actions", "block_id": "b", "elements": [select, overflow]}], PEOPLE)
    assert rendered.text == "[1] Status v  [2] ... (Edit)"
    assert [c.is_button for c in rendered.controls] == [False, False]


def test_message_without_blocks_uses_text():
    assert render_message("hi <@U0ALEX>", None, PEOPLE).text == "hi @alex"
    assert render_message("fallback", [{"type": "section", "text": plain("shown")}], PEOPLE).text == "shown"


def test_rich_text_lists_and_mentions():
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [{"type": "text", "text": "Agenda for "}, {"type": "user", "user_id": "U0ALEX"}],
            },
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "metrics"}]},
                ],
            },
        ],
    }
    assert render_blocks([block], PEOPLE).text == "Agenda for @alex\n- metrics"


def test_view_shows_title_inputs_and_buttons():
    view = {
        "type": "modal",
        "title": plain("Log progress"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "section", "text": md("For *Ship v2*")},
            {
                "type": "input",
                "block_id": "note",
                "label": plain("Note"),
                "optional": True,
                "hint": plain("Short"),
                "element": {"type": "plain_text_input", "action_id": "v"},
            },
        ],
    }
    lines = render_view(view, PEOPLE).text.splitlines()
    assert lines[0].startswith("+-- Log progress ")
    assert lines[1:4] == ["| For *Ship v2*", "| Note (optional): <plain_text_input>", "|   Short"]
    assert lines[-1].startswith("+-- (Save / Cancel) ")
    assert "Note" not in render_view(view, PEOPLE, skip_inputs=True).text
