"""What the minutes resolved: routine resolutions, and lifted-out words marked where they stand."""

from __future__ import annotations

import pytest

from generator.marks import mark_item
from generator.resolutions import find, is_routine
from generator.schema import Item


@pytest.mark.parametrize(
    "resolution",
    [
        "RESOLVED that the Matters Arising report be noted.",
        "RESOLVED that the update on knife crime be noted",
        "RESOLVED: that the report be received.",
        "It was RESOLVED that the minutes of the meeting held on 25 March 2021 be agreed as a correct record.",
        "RESOLVED that the minutes of the meeting held on 12 March 2020 be agreed.",
        "RESOLVED that the minutes be confirmed and signed as a correct record and signed by the Chairman.",
        "(1) the report be noted.",
    ],
)
def test_noting_receiving_and_agreeing_minutes_are_routine(resolution: str) -> None:
    assert is_routine(resolution)


@pytest.mark.parametrize(
    "resolution",
    [
        "RESOLVED that the Assistant Director would contact members of the Board.",
        "It was AGREED that the minutes be approved as a correct record, and that more information be sought.",
        "RESOLVED that the report be noted and that officers report back in September.",
        "RESOLVED that the revised protocol be adopted by every partner from next month.",
        "RESOLVED that £20,000 be allocated to work on knife crime.",
        "RESOLVED that the plan be agreed.",
        "RESOLVED that £50,000 be approved for the project and the report be noted.",
        "(1) the strategy be approved\n(2) the report be noted",
    ],
)
def test_a_resolution_that_decides_something_is_not_routine(resolution: str) -> None:
    assert not is_routine(resolution)


def test_words_are_found_whatever_the_line_breaks_and_spaces() -> None:
    text = "The Board met.\n\nRESOLVED that the  report\nbe noted.\n\nThe next item."
    place = find("RESOLVED that the report be noted.", text)
    assert place is not None and place.whole_paragraphs
    assert text[place.start : place.end] == "RESOLVED that the  report\nbe noted."
    within = find("the report", "It was said that the report was late.")
    assert within is not None and not within.whole_paragraphs
    assert find("not there", text) is None
    # Whole words only, and the last place the words stand.
    assert find("port be noted", text) is None
    late = "the preport was late; the report was not"
    assert find("report", late).start == late.rindex(" report") + 1
    twice = "The report be noted, some said. RESOLVED that the report be noted."
    assert find("the report be noted.", twice).start == twice.rindex("the report")


def item(**fields: object) -> Item:
    return Item.model_validate({"title": "An item", **fields})


def test_a_resolution_that_is_a_paragraph_is_marked_as_a_block_and_not_set_apart() -> None:
    marked = mark_item(
        item(
            text="We talked.\n\nRESOLVED that the report be noted.", resolutions=["RESOLVED that the report be noted."]
        ),
        [],
    )
    assert marked.text == (
        'We talked.\n\n<div class="minutes-resolution" markdown>\n\nRESOLVED that the report be noted.\n\n</div>'
    )
    assert marked.set_apart == []


def test_a_resolution_within_a_paragraph_and_an_action_inside_it_are_marked_in_place() -> None:
    marked = mark_item(
        item(
            text="After discussion it was RESOLVED that the chief officer report back in May. Thanks were given.",
            resolutions=["RESOLVED that the chief officer report back in May."],
            actions=[{"what": "report back in May", "who": {"role": "Chief officer"}}],
        ),
        ["action-1-1"],
    )
    resolution = '<mark class="minutes-resolution"><span class="archive-visually-hidden">Resolution: </span>'
    action = '<mark class="minutes-action" id="action-1-1-text"><span class="archive-visually-hidden">Action: </span>'
    assert marked.text == (
        f"After discussion it was {resolution}RESOLVED that the chief officer {action}report back in May</mark>.</mark>"
        " Thanks were given."
    )
    assert marked.marked_actions == {0: "action-1-1-text"}


def test_what_the_minutes_do_not_hold_is_set_apart_and_the_words_never_change() -> None:
    text = "The Board heard the update.\n\nA second paragraph."
    marked = mark_item(
        item(
            text=text,
            resolutions=["RESOLVED that the update be noted.", "heard the update.\n\nA second"],
            actions=[{"what": "visit the estate", "who": {"role": "Housing"}}],
        ),
        ["action-1-1"],
    )
    # Not in the text, and across a paragraph break: both set apart; the text untouched.
    assert marked.set_apart == ["RESOLVED that the update be noted.", "heard the update.\n\nA second"]
    assert marked.text == text
    assert marked.marked_actions == {}


def test_a_block_and_a_mark_on_the_same_words_nest() -> None:
    marked = mark_item(
        item(
            text="RESOLVED that the plan be circulated.",
            resolutions=["RESOLVED that the plan be circulated."],
            actions=[{"what": "RESOLVED that the plan be circulated.", "who": {"role": "Clerk"}}],
        ),
        ["action-1-1"],
    )
    opening, closing = marked.text.split("RESOLVED that the plan be circulated.")
    assert opening.startswith('<div class="minutes-resolution" markdown>') and "<mark" in opening
    assert closing == "</mark>\n\n</div>"


def test_a_mark_never_breaks_a_list_or_code() -> None:
    text = "The Board agreed:\n\n1. RESOLVED that the plan be adopted;\n2. the report be noted.\n\nSee `the report be noted` too."
    marked = mark_item(
        item(
            text=text,
            resolutions=[
                "RESOLVED that the plan be adopted; the report be noted.",
                "1. RESOLVED that the plan be adopted;",
            ],
        ),
        [],
    )
    # Across two list items: set apart. At a list item's start: marked after its marker.
    assert marked.set_apart == ["RESOLVED that the plan be adopted; the report be noted."]
    assert "1. <mark" in marked.text
    inside_code = mark_item(item(text="Quote `the report be noted` here.", resolutions=["the report be noted"]), [])
    assert inside_code.set_apart == ["the report be noted"]
