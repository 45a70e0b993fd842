"""Typed answers become view_submission state values in Slack's shape."""

import pytest

from bot.devtools.shell.directory import Directory
from bot.devtools.shell.filler import Cancelled, ModalFiller
from bot.devtools.shell.modal import (
    AnswerError,
    empty_state,
    initial_state,
    input_fields,
    parse_answer,
    prepare_view,
)

PEOPLE = Directory.from_users(
    [
        {"id": "U0LOCAL", "name": "you", "real_name": "You", "tz": "UTC"},
        {"id": "U0ALEX", "name": "alex", "real_name": "Alex Kim", "tz": "Europe/Berlin"},
        {"id": "U0PRIYA", "name": "priya", "real_name": "Priya Das", "tz": "Asia/Kolkata"},
    ]
)


def plain(text):
    return {"type": "plain_text", "text": text}


def opt(text, value):
    return {"text": plain(text), "value": value}


STATUS = {"type": "static_select", "action_id": "s", "options": [opt("On track", "on"), opt("At risk", "risk")]}


def test_text_inputs():
    assert parse_answer({"type": "plain_text_input"}, " hello ", PEOPLE) == {
        "type": "plain_text_input",
        "value": "hello",
    }
    assert parse_answer({"type": "url_text_input"}, "https://x.io", PEOPLE)["value"] == "https://x.io"
    assert parse_answer({"type": "email_text_input"}, "a@b.io", PEOPLE)["value"] == "a@b.io"
    with pytest.raises(AnswerError):
        parse_answer({"type": "url_text_input"}, "x.io", PEOPLE)
    with pytest.raises(AnswerError, match="at most 3"):
        parse_answer({"type": "plain_text_input", "max_length": 3}, "four", PEOPLE)
    steps = {"type": "plain_text_input", "multiline": True, "max_length": 3000}
    with pytest.raises(AnswerError) as caught:
        parse_answer(steps, "day 1 | A step\n" * 244, PEOPLE)  # 3,660 characters, the last newline dropped
    assert str(caught.value) == (
        "at most 3,000 characters, and this is 3,659 (659 too many); shorten it and type it again"
    )


def test_number_input_is_a_string_value_and_respects_bounds():
    element = {"type": "number_input", "is_decimal_allowed": True, "min_value": "0", "max_value": "100"}
    assert parse_answer(element, "42.5", PEOPLE) == {"type": "number_input", "value": "42.5"}
    with pytest.raises(AnswerError, match="at most 100"):
        parse_answer(element, "101", PEOPLE)
    with pytest.raises(AnswerError, match="whole"):
        parse_answer({"type": "number_input", "is_decimal_allowed": False}, "1.5", PEOPLE)


def test_selects_by_number_or_label():
    assert parse_answer(STATUS, "2", PEOPLE) == {"type": "static_select", "selected_option": opt("At risk", "risk")}
    assert parse_answer(STATUS, "on track", PEOPLE)["selected_option"]["value"] == "on"
    radio = {**STATUS, "type": "radio_buttons"}
    assert parse_answer(radio, "1", PEOPLE) == {"type": "radio_buttons", "selected_option": opt("On track", "on")}
    with pytest.raises(AnswerError):
        parse_answer(STATUS, "3", PEOPLE)


def test_option_groups_are_flattened():
    grouped = {
        "type": "static_select",
        "option_groups": [
            {"label": plain("A"), "options": [opt("x", "1")]},
            {"label": plain("B"), "options": [opt("y", "2")]},
        ],
    }
    assert parse_answer(grouped, "2", PEOPLE)["selected_option"]["value"] == "2"


def test_multi_selects_and_checkboxes():
    multi = {**STATUS, "type": "multi_static_select"}
    assert parse_answer(multi, "1, 2", PEOPLE)["selected_options"] == [opt("On track", "on"), opt("At risk", "risk")]
    boxes = {**STATUS, "type": "checkboxes"}
    assert parse_answer(boxes, "2", PEOPLE) == {"type": "checkboxes", "selected_options": [opt("At risk", "risk")]}
    with pytest.raises(AnswerError, match="at most 1"):
        parse_answer({**multi, "max_selected_items": 1}, "1,2", PEOPLE)


def test_people_and_channels():
    assert parse_answer({"type": "users_select"}, "@alex", PEOPLE) == {
        "type": "users_select",
        "selected_user": "U0ALEX",
    }
    assert parse_answer({"type": "multi_users_select"}, "Priya Das, U0ALEX", PEOPLE) == {
        "type": "multi_users_select",
        "selected_users": ["U0PRIYA", "U0ALEX"],
    }
    assert parse_answer({"type": "conversations_select"}, "#general", PEOPLE) == {
        "type": "conversations_select",
        "selected_conversation": "C0GENERAL",
    }
    assert parse_answer({"type": "channels_select"}, "C0123", PEOPLE)["selected_channel"] == "C0123"
    assert parse_answer({"type": "multi_channels_select"}, "#general", PEOPLE)["selected_channels"] == ["C0GENERAL"]
    with pytest.raises(AnswerError, match="no user"):
        parse_answer({"type": "users_select"}, "nobody", PEOPLE)


def test_dates_and_times():
    assert parse_answer({"type": "datepicker"}, "2024-03-31", PEOPLE) == {
        "type": "datepicker",
        "selected_date": "2024-03-31",
    }
    assert parse_answer({"type": "timepicker"}, "9:05", PEOPLE) == {"type": "timepicker", "selected_time": "09:05"}
    # Berlin switched to summer time that morning: 10:00 local is 08:00 UTC.
    state = parse_answer({"type": "datetimepicker"}, "2024-03-31 10:00", PEOPLE, tz="Europe/Berlin")
    assert state == {"type": "datetimepicker", "selected_date_time": 1711872000}
    with pytest.raises(AnswerError):
        parse_answer({"type": "datepicker"}, "31/03/2024", PEOPLE)
    with pytest.raises(AnswerError):
        parse_answer({"type": "timepicker"}, "25:00", PEOPLE)


def test_empty_and_initial_states():
    assert empty_state({"type": "plain_text_input"}) == {"type": "plain_text_input", "value": None}
    assert empty_state({"type": "multi_users_select"}) == {"type": "multi_users_select", "selected_users": []}
    assert initial_state({"type": "datepicker", "initial_date": "2024-01-02"}) == {
        "type": "datepicker",
        "selected_date": "2024-01-02",
    }
    assert initial_state({**STATUS, "initial_option": opt("At risk", "risk")})["selected_option"]["value"] == "risk"
    assert initial_state({"type": "users_select"}) is None


def modal(*blocks):
    return {"type": "modal", "id": "V1", "title": plain("Outcome"), "submit": plain("Save"), "blocks": list(blocks)}


def input_block(block_id, element, label, optional=False):
    return {"type": "input", "block_id": block_id, "label": plain(label), "optional": optional, "element": element}


def script(*answers):
    """An `ask` that returns the given lines in turn and records the prompts."""
    queue = list(answers)
    prompts = []

    async def ask(prompt):
        prompts.append(prompt)
        return queue.pop(0) if queue else None

    return ask, prompts


async def no_options(field, query):
    return []


async def test_filler_builds_slack_state_values_with_defaults_and_optional_fields():
    view = modal(
        input_block("title", {"type": "plain_text_input", "action_id": "v"}, "Title"),
        input_block("owner", {"type": "users_select", "action_id": "u", "initial_user": "U0LOCAL"}, "Owner"),
        input_block("status", STATUS, "Status"),
        input_block("done", {"type": "plain_text_input", "action_id": "v", "multiline": True}, "Done when"),
        input_block("due", {"type": "datepicker", "action_id": "d"}, "Due", optional=True),
    )
    said = []
    ask, prompts = script("", "Ship v2", "", "at risk", "Customers use it", "", "weekly", ".", "")
    values = await ModalFiller(PEOPLE, ask, said.append, no_options).fill(input_fields(view, PEOPLE))
    assert values == {
        "title": {"v": {"type": "plain_text_input", "value": "Ship v2"}},
        "owner": {"u": {"type": "users_select", "selected_user": "U0LOCAL"}},
        "status": {"s": {"type": "static_select", "selected_option": opt("At risk", "risk")}},
        "done": {"v": {"type": "plain_text_input", "value": "Customers use it\n\nweekly"}},
        "due": {"d": {"type": "datepicker", "selected_date": None}},
    }
    assert "  ! required" in said  # the first, empty title
    assert "Owner [you]: " in prompts


async def test_filler_reasks_only_fields_with_errors():
    view = modal(
        input_block("title", {"type": "plain_text_input", "action_id": "v"}, "Title"),
        input_block("due", {"type": "datepicker", "action_id": "d"}, "Due"),
    )
    fields = input_fields(view, PEOPLE)
    first = {
        "title": {"v": {"type": "plain_text_input", "value": "Ship"}},
        "due": {"d": {"type": "datepicker", "selected_date": "2020-01-01"}},
    }
    said = []
    ask, prompts = script("2030-01-01")
    values = await ModalFiller(PEOPLE, ask, said.append, no_options).fill(
        fields, first, errors={"due": "must be in the future"}
    )
    assert prompts == ["Due [2020-01-01]: "]
    assert values["title"] == first["title"]
    assert values["due"]["d"]["selected_date"] == "2030-01-01"
    assert "  ! must be in the future" in said


async def test_external_select_asks_the_app_for_options():
    view = modal(input_block("parent", {"type": "external_select", "action_id": "p", "min_query_length": 2}, "Parent"))
    queries = []

    async def options(field, query):
        queries.append((field.block_id, field.action_id, query))
        return [opt("Grow revenue", "p1"), opt("Grow team", "p2")]

    ask, _ = script("g", "grow", "2")
    values = await ModalFiller(PEOPLE, ask, lambda s: None, options).fill(input_fields(view, PEOPLE))
    assert queries == [("parent", "p", "grow")]
    assert values == {"parent": {"p": {"type": "external_select", "selected_option": opt("Grow team", "p2")}}}


async def test_cancel_and_end_of_input_leave_the_modal():
    fields = input_fields(modal(input_block("t", {"type": "plain_text_input", "action_id": "v"}, "Title")), PEOPLE)
    for answers in ((":cancel",), ()):
        ask, _ = script(*answers)
        with pytest.raises(Cancelled):
            await ModalFiller(PEOPLE, ask, lambda s: None, no_options).fill(fields)


def test_prepare_view_fills_missing_ids_like_slack():
    view = prepare_view(modal({"type": "input", "label": plain("X"), "element": {"type": "plain_text_input"}}))
    block = view["blocks"][0]
    assert block["block_id"] and block["element"]["action_id"]
    [field] = input_fields(view, PEOPLE)
    assert (field.block_id, field.action_id) == (block["block_id"], block["element"]["action_id"])
