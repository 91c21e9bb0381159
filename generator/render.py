"""Archive -> Markdown pages: ``{path: markdown}``, with no knowledge of MkDocs.

Each page kind has a Jinja template in ``templates/``; links between pages are
relative ``.md`` paths so that the site builder can check every one of them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator import urls
from generator.archive import Archive, Entry, Occurrence, TrackedAction, clock_time, long_date, private_notice
from generator.outputs import calendar_path, feed_path, json_ld
from generator.sanitise import plain_text
from generator.schema import GlossaryTerm, Owner, Person, Topic

# How much of an item's text a topic timeline shows before linking to the rest.
OPENING_WORDS = 45
# The glossary links the most recent meetings using each term: at a council's scale a
# common acronym is in thousands of meetings, and search finds the rest.
GLOSSARY_LINKS = 10


def _person(person: Person) -> str:
    """ "Janet Bailey (Interim Director of Children's Social Care, MOPAC)"."""
    details = ", ".join(part for part in (getattr(person, "role", None), person.organisation) if part)
    return f"{person.name} ({details})" if details else person.name


def _owner(owner: Owner) -> str:
    if owner.name and owner.role:
        return f"{owner.name} ({owner.role})"
    return owner.name or owner.role or ""


def _front_matter_text(value: str) -> str:
    """A page's title or description for its front matter.

    The theme writes these into <title>, <meta content="..."> and the header as
    HTML, unescaped: so they are made plain text and escaped here. A JSON string is
    a valid YAML double-quoted scalar, whatever the text holds.
    """
    return json.dumps(html.escape(plain_text(value)), ensure_ascii=False)


def _opening(text: str) -> str:
    """The first words of an item's first paragraph, as plain text for a timeline."""
    paragraph = next((p for p in text.strip().split("\n\n") if p.strip()), "")
    words = paragraph.split()
    return " ".join(words[:OPENING_WORDS]) + (" …" if len(words) > OPENING_WORDS else "")


def _definitions(used: list[GlossaryTerm]) -> str:
    """Markdown abbreviation definitions for the glossary terms a page uses.

    The abbr extension then marks every use with <abbr title>, so the expansion
    shows on hover and is read out by screen readers.
    """
    return "".join(f"\n*[{t.term}]: {t.expansion}" for t in used) + ("\n" if used else "")


STATUS_LABELS = {
    "open": "Open",
    "in-progress": "In progress",
    "carried-forward": "Carried forward",
    "done": "Done",
    "dropped": "Dropped",
}


def _status(status: str) -> str:
    return STATUS_LABELS[status]


def _short_date(day: dt.date) -> str:
    """A compact date for table headings: 17 Jun 2021."""
    return f"{day.day} {day:%b %Y}"


def _anchor(name: str) -> str:
    # attr_list syntax, built here because "{#" opens a comment in Jinja templates.
    return "{#" + name + "}"


@cache
def environment() -> Environment:
    """The Jinja environment for every template in ``templates/`` (pages and new records)."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is Markdown or YAML, escaped where it is written
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    env.filters.update(
        status=_status,
        short_date=_short_date,
        opening=_opening,
        long_date=long_date,
        clock_time=clock_time,
        person=_person,
        owner=_owner,
        quoted=_front_matter_text,
        private_notice=private_notice,
    )
    return env


def _render(template: str, page: str, **context: Any) -> str:
    def link(target: str) -> str:
        return urls.relative(target, page)

    return (
        environment()
        .get_template(template)
        .render(link=link, anchor=_anchor, urls=urls, feed_path=feed_path, calendar_path=calendar_path, **context)
    )


def render_meeting(archive: Archive, entry: Entry, site_url: str) -> str:
    """The page of one meeting."""
    page = _render(
        "meeting.md.j2",
        urls.meeting_page(entry.meeting),
        archive=archive,
        entry=entry,
        meeting=entry.meeting,
        committee=entry.committee,
        anchors=urls.item_anchors(entry.meeting),
        previous=archive.previous(entry),
        next=archive.next(entry),
        occurrence=lambda index: Occurrence(entry, index),
        json_ld=json_ld(entry, site_url),
    )
    return page + _definitions(archive.terms_of(entry))


def topic_strip(archive: Archive, topic: Topic) -> str:
    """An inline SVG: a strip across the archive's years marking each meeting on the topic.

    Made at build time so it needs no script; the <title> and <desc> say in words
    what the picture shows, for screen readers and for anyone who cannot see it.
    """
    first, last = (archive.years()[-1], archive.years()[0]) if archive.entries else (0, 0)
    years = list(range(first, last + 1))
    year_width, height, axis = 64, 56, 30
    # Count meetings, not items, and not days: two committees may meet on one day.
    meetings = sorted({o.entry.slug: o.entry.meeting.date for o in archive.occurrences(topic)}.values())
    counts = {year: sum(1 for d in meetings if d.year == year) for year in years}
    words = ", ".join(f"{year}: {n} meeting{'s' if n != 1 else ''}" for year, n in counts.items() if n)
    description = (
        f"{topic.title} came up at {len(meetings)} meeting{'s' if len(meetings) != 1 else ''}"
        f" between {first} and {last}" + (f" ({words})." if words else ".")
    )
    marks = []
    for day in meetings:
        x = (day.year - first) * year_width + 4 + (day.timetuple().tm_yday / 366) * (year_width - 8)
        marks.append(f'<circle cx="{x:.1f}" cy="{axis}" r="6" class="topic-strip__mark"/>')
    ticks = []
    for offset, year in enumerate(years):
        x = offset * year_width
        ticks.append(f'<line x1="{x}" y1="{axis - 10}" x2="{x}" y2="{axis + 10}" class="topic-strip__tick"/>')
        ticks.append(f'<text x="{x + year_width / 2}" y="{height - 2}" class="topic-strip__year">{year}</text>')
    width = max(len(years), 1) * year_width
    title_id, desc_id = f"strip-{topic.id}-title", f"strip-{topic.id}-desc"
    return (
        f'<figure class="topic-strip">\n'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}"'
        f' xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMid meet">'
        f'<title id="{title_id}">When {html.escape(topic.title)} came up</title>'
        f'<desc id="{desc_id}">{html.escape(description)}</desc>'
        f'<line x1="0" y1="{axis}" x2="{width}" y2="{axis}" class="topic-strip__axis"/>'
        + "".join(ticks)
        + "".join(marks)
        + f"</svg>\n<figcaption>{html.escape(description)}</figcaption>\n</figure>"
    )


def render_topic(archive: Archive, topic: Topic) -> str:
    """The page following one topic across every meeting, newest first."""
    found = list(reversed(archive.occurrences(topic)))
    page = _render(
        "topic.md.j2",
        urls.topic_page(topic),
        archive=archive,
        topic=topic,
        occurrences=found,
        strip=topic_strip(archive, topic),
    )
    return page + _definitions(archive.terms_in(topic.summary + "\n".join(o.item.text for o in found)))


# How the attendance grid shows each mark; words, not symbols, so it reads aloud.
ATTENDANCE_MARKS = {
    "present": "Present",
    "apologies": "Apologies",
    "substitute": "Substitute",
    "substituted": "Sent substitute",
    "": "\u2013",  # an en dash: not listed
}

# The order in which the actions register lists statuses: what needs doing first.
STATUS_ORDER = ("overdue", "open", "in-progress", "carried-forward", "done", "dropped")


def render_actions(archive: Archive) -> str:
    """The action tracker: every action with its current status, grouped by status."""
    as_of = archive.data_date
    groups: dict[str, list[TrackedAction]] = {status: [] for status in STATUS_ORDER}
    for tracked in archive.actions():
        overdue = as_of is not None and tracked.overdue(as_of)
        groups["overdue" if overdue else tracked.status].append(tracked)
    return _render(
        "actions.md.j2",
        urls.ACTIONS,
        archive=archive,
        as_of=as_of,
        groups={status: found for status, found in groups.items() if found},
        labels={**STATUS_LABELS, "overdue": "Overdue"},
        owners=sorted({_owner(t.action.who) for t in archive.actions()}),
    )


def render_site(archive: Archive, site_name: str, site_url: str = "/") -> dict[str, str]:
    """Every generated page of the archive, keyed by its path in the site's sources.

    ``site_url`` is the site's public address, for the absolute links that
    structured data (JSON-LD) needs.
    """
    pages = {urls.meeting_page(e.meeting): render_meeting(archive, e, site_url) for e in archive.entries}
    pages[urls.HOME] = _render("home.md.j2", urls.HOME, archive=archive, site_name=site_name)
    pages[urls.YEARS] = _render("years.md.j2", urls.YEARS, archive=archive)
    for year in archive.years():
        page = urls.year_page(year)
        pages[page] = _render("year.md.j2", page, year=year, entries=archive.in_year(year))
    pages[urls.COMMITTEES] = _render("committees.md.j2", urls.COMMITTEES, archive=archive)
    for committee in archive.committees:
        page = urls.committee_page(committee)
        pages[page] = _render(
            "committee.md.j2",
            page,
            committee=committee,
            entries=archive.of_committee(committee),
            scheduled=archive.scheduled(committee),
        )
    pages[urls.TOPICS] = _render("topics.md.j2", urls.TOPICS, archive=archive)
    for topic in archive.topics:
        pages[urls.topic_page(topic)] = render_topic(archive, topic)
    pages[urls.SEARCH] = _render("search.md.j2", urls.SEARCH, archive=archive)
    pages[urls.DECISIONS] = _render("decisions.md.j2", urls.DECISIONS, archive=archive)
    pages[urls.ACTIONS] = render_actions(archive)
    for committee in archive.committees:
        page = urls.attendance_page(committee)
        pages[page] = _render(
            "attendance.md.j2",
            page,
            committee=committee,
            attendance=archive.attendance(committee),
            marks=ATTENDANCE_MARKS,
        )
    pages[urls.GLOSSARY] = _render("glossary.md.j2", urls.GLOSSARY, archive=archive, glossary_links=GLOSSARY_LINKS)
    return pages
