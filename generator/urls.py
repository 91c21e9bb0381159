"""Where each page lives: one function per page kind, and the anchor of each item.

Addresses come from the data (a meeting's date and committee), never from file
names, so renaming or moving a YAML file does not move its page.
"""

from __future__ import annotations

import re

from generator.schema import Committee, Meeting, Topic, meeting_slug, slugify

HOME = "index.md"
YEARS = "years/index.md"
COMMITTEES = "committees/index.md"
TOPICS = "topics/index.md"
GLOSSARY = "glossary.md"
DECISIONS = "decisions.md"
ACTIONS = "actions.md"
SEARCH = "search.md"
PEOPLE = "people/index.md"
COVERAGE = "coverage/index.md"
# The folders of the site's data files.
FEEDS = "feeds"
CALENDARS = "calendar"
DATA = "data"


# A further page of a long year of a register: decisions/2021/2.md, topics/vrap/2021/3.md.
_CONTINUATION = re.compile(r"/\d{4}/\d+\.md$")


def is_continuation(page: str) -> bool:
    """Whether a page source is a further page of a register's year, after its first."""
    return bool(_CONTINUATION.search(page))


def meeting_page(meeting: Meeting) -> str:
    """``meetings/2021-06-17-board.md``, served at ``/meetings/2021-06-17-board/``."""
    return f"meetings/{meeting_slug(meeting)}.md"


def feed_path(kind: str, name: str = "meetings") -> str:
    """``feeds/meetings.xml``, ``feeds/committees/board.xml``, ``feeds/topics/vrap.xml``."""
    return f"{FEEDS}/{name}.xml" if kind == "archive" else f"{FEEDS}/{kind}/{name}.xml"


def calendar_path(committee: Committee | None = None) -> str:
    """``calendar/meetings.ics`` for the archive, ``calendar/board.ics`` for one committee."""
    return f"{CALENDARS}/{committee.id if committee else 'meetings'}.ics"


def year_page(year: int) -> str:
    """The page listing one year's meetings."""
    return f"years/{year}.md"


def committee_page(committee: Committee) -> str:
    """The page listing one committee's meetings."""
    return f"committees/{committee.id}.md"


def attendance_page(committee: Committee) -> str:
    """The attendance register of one committee."""
    return f"committees/{committee.id}/attendance.md"


def attendance_year_page(committee: Committee, year: int) -> str:
    """The attendance grid of one committee's meetings in one year."""
    return f"committees/{committee.id}/attendance/{year}.md"


def coverage_page(committee: Committee) -> str:
    """How complete the archive's record of one committee is, year by year: ``coverage/board.md``."""
    return f"coverage/{committee.id}.md"


def person_page(person_id: str) -> str:
    """The page of one person across the archive: ``people/joanna-stowell.md``."""
    return f"people/{person_id}.md"


def role_page(role_id: str) -> str:
    """The page of one role: who held it when, and the actions given to it."""
    return f"people/roles/{role_id}.md"


def action_anchor(action_id: str) -> str:
    """``2021-06-17-board/24/1`` -> ``action-24-1``: unique on its meeting's page."""
    return "action-" + slugify(action_id.split("/", 1)[1])


def action_link(action_id: str, meeting: Meeting) -> str:
    """Where an action is shown: on the page of the meeting that agreed it."""
    return f"{meeting_page(meeting)}#{action_anchor(action_id)}"


def update_anchor(meeting: Meeting, index: int, position: int) -> str:
    """The anchor of the ``position``-th action update recorded at an item."""
    return f"update-{meeting.item_keys()[index]}-{position + 1}"


def topic_page(topic: Topic) -> str:
    """The page following one recurring item across meetings."""
    return f"topics/{topic.id}.md"


def item_link(meeting: Meeting, index: int) -> str:
    """An item's address: its meeting's page and the item's anchor."""
    return f"{meeting_page(meeting)}#item-{meeting.item_keys()[index]}"


def item_anchors(meeting: Meeting) -> list[str]:
    """A stable anchor for each item, from its key: ``item-20``, ``item-39-20``, ``item-any-business``."""
    return [f"item-{key}" for key in meeting.item_keys()]


def term_anchor(term: str) -> str:
    """The anchor of a glossary term on the glossary page: ``term-asb``."""
    return "term-" + slugify(term)


def address(page: str) -> str:
    """The site-relative address a page source is served at: ``meetings/x.md#a`` -> ``meetings/x/#a``."""
    path, _, fragment = page.partition("#")
    stem = path.removesuffix(".md")
    url = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return url + (f"#{fragment}" if fragment else "")


def relative(target: str, page: str) -> str:
    """The link from one page's Markdown source to another's, as MkDocs resolves it.

    Worked out on the strings alone: both are paths inside the site's sources.
    """
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def served_relative(target: str, page: str) -> str:
    """The link from one page to another as the browser resolves it: between the addresses they are served at.

    For raw HTML in a page, which the site builder does not rewrite (Markdown links
    are written with ``relative`` and rewritten by it).
    """
    return relative(address(target), address(page)) or "./"
