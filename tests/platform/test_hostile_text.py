"""Text people type, and names people give themselves in Slack, never turn into markup: hostile text goes
through every field of every feature, and everything the app then showed (messages, updates, private answers,
views, Home tabs, response_url posts, the HTTP answers themselves) is scanned. No `<!channel>`, `<!here>`,
`<!everyone>`, link or mention may come from it; the only mentions are of the people the app itself names
(the hostile text mentions <@U0ALEX>, whom these stories never give a role). And every piece shows up escaped
exactly once, never `&amp;amp;`. Action items too: the one-line form, the form, a message's shortcut, a decision's
follow-up, the drop reason, the check-in's "I will…", and where they show (card, lists, DMs, digest, Home). And
execution health: findings naming those titles, questions and people, listed,
on the Home tab, in the forms and direct messages their buttons lead to. And attention: working hours, focus
time, budgets and settings typed wrong are repeated back as text.
Meetings are in test_hostile_text_meetings.py, playbooks in test_hostile_text_playbooks.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from handlers.actions.blocks.ids import ActionIds
from handlers.checkins.blocks.ids import CheckinIds
from handlers.decisions.blocks.ids import DecisionIds
from handlers.kit.shared_ids import SharedIds
from handlers.outcomes.blocks.ids import OutcomeIds
from models import Decision, Outcome
from tests.support.actions import Nudges, form_values, submit_latest
from tests.support.actions import press as press_action
from tests.support.actions import shortcut as action_shortcut
from tests.support.checkins import deliver, rounds, set_up, setup_values
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    ask,
    decide,
    define_path,
    install_clock,
    one,
    press,
    submit_form,
    submit_opened,
    text_state,
)
from tests.support.hostile import (
    BREAKING_LINK,
    GOOD_LINK,
    MENTIONED,
    NAMES,
    SHORT,
    as_shown,
    assert_nothing_foreign,
    command,
    hostile,
    open_home,
    record_acks,
    slack_escaped,
    with_hostile_names,
)
from tests.support.outcomes import define, opened_view, outcome_values, progress_values

pytest_plugins = ["tests.support.outbox_fixtures"]
# Months ahead of the real date, which these forms check against: a fixed date would turn past one day.
DUE_LATER = (datetime.now(UTC).date() + timedelta(days=210)).isoformat()


def card_button(action: str, block: str, ref: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action, "block_id": block, "value": ref,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


# outcomes, progress and priorities ---------------------------------------------------------------------------


async def priorities_with_hostile_titles(harness) -> list[str]:
    me = harness.me
    assert "P-1" in (await command(harness, me, "/priority", f"add {hostile('priority')}"))["text"]
    await command(harness, me, "/priority", f"rename P-1 {hostile('priority renamed')}")
    await command(harness, me, "/priority", "list")
    await command(harness, me, "/priority", "rank <!here> 1")  # no such priority: the ref is repeated back
    await command(harness, me, "/priority", "rename <!here>")  # the title is missing: the ref is repeated back
    # The Home tab's start opens the priority form.
    await harness.slack.block_action(me, card_button(OutcomeIds.ADD_PRIORITY, "start", ""), view={"type": "home"})
    values = {OutcomeIds.PRIORITY_TITLE.value: {OutcomeIds.PRIORITY_TITLE.value: text_state(hostile("form priority"))}}
    assert (await harness.slack.view_submission(me, opened_view(harness), values)).text == ""
    await command(harness, me, "/priority", "list")
    return [hostile("priority"), hostile("priority renamed"), hostile("form priority")]


async def outcome_with_hostile_fields(harness) -> list[str]:
    me = harness.me
    await command(harness, me, "/outcome", f"new {hostile('prefilled title')}")
    refused = await harness.slack.view_submission(
        me, opened_view(harness), outcome_values(lagging_name=SHORT, unit=SHORT, due=DUE_LATER)
    )
    assert set(refused.json()["errors"]) == {OutcomeIds.LAGGING_NAME, OutcomeIds.UNIT}  # names are words
    fields = {"title": hostile("title"), "definition": hostile("done when")}
    await define(harness, due=DUE_LATER, parent="P-1", lagging_name="Activation _x_",
                 leading="Demos _x_: 2 -> 10", **fields)  # fmt: skip
    return list(fields.values())


async def progress_with_hostile_notes(harness) -> list[str]:
    me = harness.me
    note, blocker, worse = hostile("note"), hostile("blocker"), hostile("at risk because")
    await command(harness, me, "/progress", f"O-1 25 {note} blocker: {blocker}")
    await command(harness, me, "/progress", f"O-1 at-risk {worse}")  # announced in the channel
    await command(harness, me, "/progress", "O-1 activation-x=<!channel>")  # repeated back in the refusal
    await command(harness, me, "/progress", "O-1 x<!here>=5")  # not a metric name: repeated back
    await command(harness, me, "/progress", "O-1")
    form_note = hostile("form note")
    await harness.slack.view_submission(me, opened_view(harness), progress_values("O-1", "30", note=form_note))
    return [note, blocker, worse, form_note]


async def card_buttons_with_hostile_reason(harness) -> list[str]:
    me, priya = harness.me, harness.actor("U0PRIYA")
    drop = card_button(OutcomeIds.DROP, OutcomeIds.CARD_ACTIONS, "O-1")
    await harness.slack.block_action(me, drop, message={"ts": "1.000001"})
    reason = hostile("dropped because")
    values = {OutcomeIds.DROP_REASON.value: {OutcomeIds.DROP_REASON.value: text_state(reason)}}
    assert (await harness.slack.view_submission(me, opened_view(harness), values)).status_code == 200
    await harness.slack.block_action(priya, card_button(OutcomeIds.EDIT, OutcomeIds.CARD_ACTIONS, "O-1"),
                                     message={"ts": "1.000001"})  # fmt: skip
    return [reason]


async def test_outcomes_progress_and_priorities_show_hostile_text_as_text(harness) -> None:
    with_hostile_names(harness.standin)
    acks = record_acks(harness)

    typed = await priorities_with_hostile_titles(harness)
    typed += await outcome_with_hostile_fields(harness)
    typed += await progress_with_hostile_notes(harness)
    for text in ("O-1", "list all", "list mine", hostile("unknown")):
        await command(harness, harness.me, "/outcome", text)
    typed += await card_buttons_with_hostile_reason(harness)
    await command(harness, harness.me, "/followthrough", hostile("unknown"))
    await open_home(harness, harness.me)

    [outcome] = await harness.rows(Outcome)
    assert outcome.title == hostile("title")  # stored as typed
    seen = assert_nothing_foreign(harness, acks, typed=[*typed, NAMES["U0LOCAL"]], mentioned=MENTIONED)
    assert "`&lt;!channel&gt;` is not a number" in seen.joined()


# decisions and escalation paths ------------------------------------------------------------------------------


async def path_with_hostile_name(harness) -> str:
    name = hostile("P", SHORT)  # 59 characters: a path's name has 60
    saved = await define_path(harness, name, [{"people": ["U0LOCAL"], "decider": True, "channel": True,
                                               "wait": "60"}], default=True)  # fmt: skip
    assert saved["response_action"] == "update", saved
    await command(harness, harness.me, "/escalation", "list")
    await command(harness, harness.me, "/escalation", f"edit {name}")
    await command(harness, harness.me, "/escalation", f"edit {SHORT}")  # no such path: the name is repeated
    return name


async def decision_with_hostile_fields(harness, acks, priya) -> list[str]:
    fields = {"question": hostile("question"), "context": hostile("context")}
    options = [hostile("A", SHORT), hostile("B", SHORT)]
    people = {"decider": "U0PRIYA", "consulted": ["U0LOCAL"], "outcome": "O-1"}
    refused = (await submit_form(harness, link=BREAKING_LINK, options="\n".join(options), **fields, **people)).json()
    assert_nothing_foreign(harness, acks, typed=[], mentioned=MENTIONED)  # no card closed its link early
    assert set(refused["errors"]) == {DecisionIds.LINK}, refused
    assert await harness.rows(Decision) == []
    await ask(harness, link=GOOD_LINK, options="\n".join(options), **fields, **people)
    await command(harness, harness.me, "/decision", f"ask {hostile('prefilled question')}")
    await command(harness, harness.me, "/decision", hostile("unknown"))
    await command(harness, priya, "/decision", "list mine")
    return [*fields.values(), *options]


async def decision_walked_decided_and_reopened(harness, priya, walk: Scheduler) -> list[str]:
    await walk.at(DEADLINE - timedelta(hours=2))  # a reminder
    await walk.at(DEADLINE)  # the nudge at the deadline, then level 1: DMs, the thread, the channel
    await press(harness, priya, DecisionIds.ACKNOWLEDGE)
    rationale = hostile("rationale")
    assert (await decide(harness, priya, 0, rationale))["response_action"] == "update"
    await press(harness, priya, DecisionIds.DECIDE)  # decided already: the chosen option is repeated back
    reopen, withdraw = hostile("reopened because"), hostile("withdrawn because")
    await press(harness, harness.me, DecisionIds.REOPEN)
    later = {"type": "datetimepicker", "selected_date_time": int((DEADLINE + timedelta(days=3)).timestamp())}
    await submit_opened(harness, harness.me, one(DecisionIds.REASON, text_state(reopen))
                        | one(DecisionIds.DEADLINE, later))  # fmt: skip
    await press(harness, harness.me, DecisionIds.WITHDRAW)
    await submit_opened(harness, harness.me, one(DecisionIds.REASON, text_state(withdraw)))
    await command(harness, harness.me, "/decision", "D-1")
    await walk.deliver()  # who was told it was decided, then withdrawn and why
    return [rationale, reopen, withdraw]


async def decision_in_own_words(harness, priya) -> list[str]:
    choice, rationale = hostile("own words"), hostile("second rationale")
    await ask(harness, options="", question="Which room?", decider="U0PRIYA", consulted=["U0LOCAL"],
              deadline=DEADLINE + timedelta(days=2))  # fmt: skip
    await press(harness, priya, DecisionIds.DECIDE, "D-2")
    values = one(DecisionIds.CHOICE, text_state(choice)) | one(DecisionIds.RATIONALE, text_state(rationale))
    assert (await submit_opened(harness, priya, values))["response_action"] == "update"
    for search in ("", hostile("search", SHORT), "@<!here>", "<@U0PRIYA>"):
        reply = await harness.slack.command(harness.me, "/decision", f"log {slack_escaped(search)}".strip())
        assert reply.status_code == 200
    return [choice, rationale]


async def test_decisions_and_their_escalation_show_hostile_text_as_text(harness, clock, clients, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    priya = harness.actor("U0PRIYA")

    typed = [await path_with_hostile_name(harness)]
    await define(harness, due=DUE_LATER, title=hostile("affected outcome"))
    typed += await decision_with_hostile_fields(harness, acks, priya)
    typed += await decision_walked_decided_and_reopened(harness, priya, Scheduler(harness, clock, clients, sender))
    typed += await decision_in_own_words(harness, priya)
    for actor in (harness.me, priya):
        await open_home(harness, actor)

    [first, _] = sorted(await harness.rows(Decision), key=lambda d: d.id)
    assert first.link == GOOD_LINK
    seen = assert_nothing_foreign(harness, acks, typed=[*typed, *NAMES.values()], mentioned=MENTIONED)
    assert f"<{GOOD_LINK.replace('&', '&amp;')}|More context>" in seen.joined()


# check-ins ---------------------------------------------------------------------------------------------------


async def set_up_with_hostile_questions(harness) -> list[str]:
    questions = [hostile("first question"), hostile("second question")]
    await command(harness, harness.me, "/checkin")
    values = setup_values(audience="chosen", members=["U0LOCAL", "U0PRIYA"], questions="\n".join(questions))
    response = await harness.slack.view_submission(harness.me, opened_view(harness), values)
    assert response.json()["response_action"] == "update", response.text
    return questions


async def answer_form(harness, user: str, **typed: Any) -> dict:
    """`user` presses Answer in their ask and sends the form with `typed` (by block id), the rest as shown."""
    actor = harness.actor(user, channel_id=f"D{user}", channel_name="directmessage")
    ask = harness.standin.messages(user)[0]
    [button] = [e for b in ask["blocks"] for e in b.get("elements") or [] if e.get("action_id") == CheckinIds.ANSWER]
    await harness.slack.block_action(actor, {**button, "block_id": CheckinIds.ASK_ACTIONS.value}, message=ask)
    view = opened_view(harness)
    return (await harness.slack.view_submission(actor, view, as_shown(view, **typed))).json()


async def answers_by_form_and_thread(harness) -> list[str]:
    answer, blocker, reply = hostile("answer"), hostile("in the way"), hostile("thread reply")
    at_risk = {"value": "at_risk", "text": {"type": "plain_text", "text": "At risk"}}
    body = await answer_form(harness, "U0LOCAL", **{f"{CheckinIds.QUESTION}:0": answer, CheckinIds.BLOCKER: blocker,
                                                     f"{CheckinIds.OUTCOME_STATUS}:O-1": at_risk})  # fmt: skip
    assert body["response_action"] == "update", body
    [parent] = harness.standin.messages("C0GENERAL")
    # Priya replies in the thread as Slack delivers it (escaped), with a real mention of her own.
    said = f"{slack_escaped(reply)} cc <@U0LOCAL>"
    message = harness.standin.add_message("C0GENERAL", "U0PRIYA", said, thread_ts=parent["ts"])
    event = {"type": "message", "channel": "C0GENERAL", "channel_type": "channel", "user": "U0PRIYA", "text": said,
             "ts": message["ts"], "thread_ts": parent["ts"]}  # fmt: skip
    assert (await harness.slack.event(harness.actor("U0PRIYA"), event)).status_code == 200
    assert (await answer_form(harness, "U0PRIYA"))["response_action"] == "update"  # her reply, sent as the form
    return [answer, blocker, reply]


@pytest.mark.usefixtures("around_the_clock")  # what is shown, whenever it is sent
async def test_check_ins_show_hostile_text_and_names_as_text(harness, clock, sender) -> None:
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    await define(harness, channel="C0GENERAL", title=hostile("checked outcome"))

    typed = await set_up_with_hostile_questions(harness)
    assert (await command(harness, harness.me, "/checkin", "now"))["text"].startswith("Started")
    clock.set(max(clock.now(), datetime.now(UTC)))
    await deliver(sender)
    typed += await answers_by_form_and_thread(harness)
    clock.set(max(clock.now(), datetime.now(UTC)))
    await deliver(sender)
    for text in ("list", hostile("unknown"), f"away {SHORT}"):
        await command(harness, harness.me, "/checkin", text)
    await open_home(harness, harness.me)

    [round_] = await rounds(harness.db)
    assert round_.digest_posted_at is not None
    seen = assert_nothing_foreign(harness, acks, typed=[*typed, *NAMES.values()], mentioned=MENTIONED)
    assert f"{slack_escaped(NAMES['U0LOCAL'])} answered the check-in" in seen.joined()


# action items, and where they meet check-ins, decisions and outcomes ------------------------------------------


async def actions_captured_four_ways(harness, acks) -> list[str]:
    """By one line, by the form, from a message, and as a decision's follow-up; then one dropped with a reason."""
    me, priya = harness.me, harness.actor("U0PRIYA")
    one, form, said = hostile("one line"), hostile("form"), hostile("message")
    raw = f"<@U0PRIYA|priya> {slack_escaped(one)} by tomorrow O-1"  # the mention as Slack sends it
    assert "A-1" in (await harness.slack.command(me, "/action", raw)).json()["text"]
    for refused in (f"@me {one} by someday", f"@nobody {SHORT} by tomorrow", f"@me {'x' * 301} by tomorrow"):
        await command(harness, me, "/action", refused)
    await command(harness, me, "/action", "")
    assert (await submit_latest(harness, form_values(what=form, owner="U0LOCAL")))["response_action"] == "update"
    message = harness.standin.add_message("C0GENERAL", "U0PRIYA", slack_escaped(said))
    await action_shortcut(harness, message)
    assert (await submit_latest(harness, form_values(what=said, owner="U0PRIYA")))["response_action"] == "update"
    question, follow_up = hostile("decided question"), hostile("follow-up")
    await ask(harness, question=question, decider="U0PRIYA", consulted=[])
    await decide(harness, priya, 0, "Fine.")
    await harness.slack.block_action(me, card_button(SharedIds.FOLLOW_UP, "d", "D-1"), message={"ts": "1.000001"})
    assert (await submit_latest(harness, form_values(what=follow_up, owner="U0LOCAL")))["response_action"] == "update"
    reason = hostile("dropped because")
    await press_action(harness, me, ActionIds.DROP, "A-2")
    await submit_latest(harness, {ActionIds.REASON.value: {ActionIds.REASON.value: text_state(reason)}})
    return [one, form, said, question, follow_up, reason]


async def checkin_answered_with_what_i_will_do(harness, clock, sender) -> list[str]:
    """Days later, a check-in: Dana's answer says what she will do; the digest names what is overdue."""
    await set_up(harness.db, clock, members=("U0LOCAL",), zone="Europe/Berlin")
    await command(harness, harness.me, "/checkin", "now")
    await deliver(sender)
    will = hostile("I will")
    body = await answer_form(harness, "U0LOCAL", **{f"{CheckinIds.QUESTION}:0": "ok", CheckinIds.WILL: will})
    assert "I've made *A-5* your action item" in str(body), body
    await deliver(sender)  # everyone answered: the digest, with the overdue items
    return [will]


async def test_action_items_show_hostile_text_as_text(harness, clock, clients, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    title = hostile("served outcome")
    await define(harness, due=DUE_LATER, title=title)

    typed = await actions_captured_four_ways(harness, acks)
    nudges = Nudges(harness, clock, clients, sender)
    await nudges.at(START + timedelta(days=1, hours=6))  # due-day messages, with the items' text
    clock.set(START + timedelta(days=3, hours=6))
    typed += await checkin_answered_with_what_i_will_do(harness, clock, sender)
    for text in ("list", "list channel", "list overdue", "A-1", "A-2", "A-3", "A-4", "A-5", f"list {SHORT}"):
        await command(harness, harness.me, "/action", text)
    await command(harness, harness.me, "/outcome", "O-1")
    for actor in (harness.me, harness.actor("U0PRIYA")):
        await open_home(harness, actor)

    seen = assert_nothing_foreign(harness, acks, typed=[*typed, title, *NAMES.values()], mentioned=MENTIONED)
    joined = seen.joined()
    assert f"*Overdue action items*\n• A-1 {slack_escaped(hostile('one line'))[:59]}" in joined
    assert f"Dropped because: {slack_escaped(hostile('dropped because'))}" in joined


# execution health ----------------------------------------------------------------------------------------------


async def test_execution_health_shows_hostile_titles_and_names_as_text(harness, clock, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    me, title, question = harness.me, hostile("health outcome"), hostile("health question")
    await define(harness, due=DUE_LATER, title=title)
    for day, value in enumerate(("38", "34", "30")):  # falling, while marked on track
        clock.set(START + timedelta(days=day))
        await command(harness, me, "/progress", f"O-1 {value}")
    await ask(harness, question=question, decider="U0PRIYA", consulted=[])
    clock.set(DEADLINE + timedelta(days=1))
    await command(harness, me, "/followthrough", "health settings bottleneck_decisions 1")  # Priya, by name
    listed = await command(harness, me, "/followthrough", "health all")
    for element in (e for b in listed["blocks"] for e in b.get("elements") or [] if e.get("type") == "button"):
        if element["text"]["text"] in ("Remind the decider", "Mark at risk", "Delegate some"):
            await harness.slack.block_action(me, {**element, "block_id": "x"}, message={"ts": "1.000001"})
    await command(harness, me, "/followthrough", f"health {hostile('unknown')}")
    await deliver(sender)  # Priya's reminder
    for actor in (me, harness.actor("U0PRIYA")):
        await open_home(harness, actor)

    seen = assert_nothing_foreign(harness, acks, typed=[title, question, *NAMES.values()], mentioned=MENTIONED)
    assert "Marked on track, but" in seen.joined() and "Push decisions to the lowest level" in seen.joined()


# attention -------------------------------------------------------------------------------------------------------


async def test_attention_commands_repeat_what_was_typed_as_text(harness) -> None:
    acks = record_acks(harness)
    priya = harness.actor("U0PRIYA")
    for typed in ("hours <!channel> 9-5", "hours <!here>", "focus <!here>", "focus until <!channel>",
                  "budget <!channel>", "attention budget <@U0ALEX>", "attention <https://evil.example|x>"):  # fmt: skip
        await command(harness, priya, "/followthrough", typed)
        await command(harness, harness.me, "/followthrough", typed)

    seen = assert_nothing_foreign(harness, acks, typed=[], mentioned=MENTIONED)
    assert "I couldn't read “&lt;!here&gt;”" in seen.joined()
    assert "I can't read `&lt;https://evil.example|x&gt;` as a setting" in seen.joined()


async def test_api_token_names_and_what_revoke_repeats_show_as_text(harness) -> None:
    acks = record_acks(harness)
    for typed in ("token <!channel> export", "token <https://evil.example|x>", "token list",
                  "token revoke <!here>", "token revoke <!channel> export"):  # fmt: skip
        await command(harness, harness.me, "/followthrough", typed)

    seen = assert_nothing_foreign(harness, acks, typed=[], mentioned=MENTIONED)
    assert "&lt;!channel&gt; export" in seen.joined()
