"""Several pre-reads: typed one per line in the form, each stored with the required attendees as its readers (the
optional ones are not asked), each on the card with its own count and an "I've read it" beside the ones the reader
still has to read."""

from __future__ import annotations

from handlers.meetings.blocks.ids import MeetingIds
from tests.support.meetings import GOOD_LINK, at_now, buttons_of, meetings, press, schedule, show
from tests.support.outcomes import all_text

PRE_READS = f"Pricing options — {GOOD_LINK}\nhttps://docs.example.com/launch/plan"


def read_buttons(card: dict) -> list[str]:
    return [b["accessory"]["value"] for b in card["blocks"] if (b.get("accessory") or {}).get("type") == "button"]


async def test_each_pre_read_is_for_the_required_attendees_and_has_its_own_count_and_button(harness) -> None:
    at_now(harness)
    body = await schedule(harness, attendees=["U0ALEX", "U0PRIYA"], optional=["U0LOCAL"], pre_reads=PRE_READS)
    assert body["response_action"] == "update", body
    [meeting] = await meetings(harness)
    assert [(p.position, p.title) for p in meeting.pre_reads] == [(1, "Pricing options"),
                                                                  (2, "docs.example.com/plan")]  # fmt: skip
    assert [len(p.readers) for p in meeting.pre_reads] == [2, 2]

    priya = harness.actor("U0PRIYA")
    assert read_buttons(await show(harness, actor=priya)) == ["M-1:1", "M-1:2"]
    await press(harness, priya, MeetingIds.READ, "M-1:2")
    card = await show(harness, actor=priya)
    text = all_text(card["blocks"])
    assert (
        "*Pricing options* (<https://docs.example.com/pricing?v=2&amp;draft=no|open it>) · 0 of 2 have read it" in text
    )
    assert "*docs.example.com/plan* (<https://docs.example.com/launch/plan|open it>) · 1 of 2 have read it" in text
    assert read_buttons(card) == ["M-1:1"]
    assert read_buttons(await show(harness)) == []  # Dana is optional: nothing to read
    alex = await show(harness, actor=harness.actor("U0ALEX"))
    assert read_buttons(alex) == ["M-1:1", "M-1:2"] and buttons_of(alex)[:2] == [MeetingIds.READ, MeetingIds.READ]
