"""Archive -> Markdown pages: ``{path: markdown}``, with no knowledge of MkDocs.

Each page kind has a Jinja template in ``templates/``; links between pages are
relative ``.md`` paths so that the site builder can check every one of them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import orjson

from generator import registers, templating, urls
from generator.archive import Archive, CommitteeAttendance, Entry, Occurrence
from generator.cache import BuildCache, key_of
from generator.coverage import Coverage
from generator.labels import (
    LONDON,
    long_date,
)
from generator.marks import MarkedItem, mark_item
from generator.people import People, YearAttendance, the_role
from generator.sanitise import plain_text
from generator.schema import Committee, GlossaryTerm, Topic

# The glossary links the most recent meetings using each term: at a council's scale a
# common acronym is in thousands of meetings, and search finds the rest.
GLOSSARY_LINKS = 10


def _definitions(used: list[GlossaryTerm]) -> str:
    """Markdown abbreviation definitions for the glossary terms a page uses.

    The abbr extension then marks every use with <abbr title>, so the expansion
    shows on hover and is read out by screen readers.
    """
    return "".join(f"\n*[{t.term}]: {t.expansion}" for t in used) + ("\n" if used else "")


def _anchor(name: str) -> str:
    # attr_list syntax, built here because "{#" opens a comment in Jinja templates.
    return "{#" + name + "}"


def _render(template: str, page: str, **context: Any) -> str:
    def link(target: str) -> str:
        return urls.relative(target, page)

    if "archive" in context and "people" not in context:
        context["people"] = People.of(context["archive"])

    return (
        templating.environment()
        .get_template(template)
        .render(
            link=link,
            the_role=the_role,
            anchor=_anchor,
            urls=urls,
            feed_path=urls.feed_path,
            calendar_path=urls.calendar_path,
            filters_offered=registers.FILTERS,
            loaded_apart=registers.LOADED_APART,
            results_page=registers.RESULTS_PAGE,
            **context,
        )
    )


def _breadcrumbs(*crumbs: tuple[str, str | None]) -> str:
    """The front matter value of a page's breadcrumbs: ``[[label, address], ...]``, the last unlinked."""
    return json.dumps(
        [["Home", "./"], *[[plain_text(label), address] for label, address in crumbs]], ensure_ascii=False
    )


def _committee_crumb(committee: Committee) -> tuple[str, str]:
    return committee.name, urls.address(urls.committee_page(committee))


def json_ld(entry: Entry, site_url: str) -> str:
    """schema.org Event markup for a meeting's page."""
    meeting = entry.meeting
    start = (
        dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON).isoformat()
        if meeting.start_time
        else meeting.date.isoformat()
    )
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{entry.committee.name}: {long_date(meeting.date)}",
        "startDate": start,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": entry.committee.name},
        "url": site_url + urls.address(urls.meeting_page(meeting)),
        "description": "Minutes: " + "; ".join(i.title for i in meeting.items),
    }
    if meeting.venue:
        event["location"] = {"@type": "Place", "name": meeting.venue, "address": meeting.venue}
    # Markup characters are escaped as JSON allows, so no text can end or confuse the script element.
    return json.dumps(event, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _occurrence_facts(found: Occurrence | None) -> list[Any] | None:
    """What a meeting page shows of another item it links to: where it is and how it is named."""
    if found is None:
        return None
    committee = found.entry.committee
    return [found.entry.slug, found.index, committee.name, committee.short_name, found.item.number, found.item.title]


def meeting_inputs(archive: Archive, entry: Entry, site_url: str, registries: str) -> str:
    """Everything a meeting's page is made from, as text: its record, and what it shows of others.

    The page's Markdown is a function of exactly this (and of the code, which the
    cache key holds too): its record, the registries (``registries``), its
    neighbours, where its minutes were agreed, the other times its topics came up,
    its actions' statuses and updates, and the actions its updates are on.
    """
    meeting = entry.meeting
    items = list(range(len(meeting.items)))
    facts = {
        "record": meeting.model_dump(mode="json"),
        "source": entry.source,
        "site_url": site_url,
        "registries": registries,
        "terms": [t.term for t in archive.terms_of(entry)],
        "neighbours": [getattr(archive.previous(entry), "slug", None), getattr(archive.next(entry), "slug", None)],
        "approved_at": _occurrence_facts(archive.approved_at(entry)),
        "arising": [_occurrence_facts(o) for o in archive.matters_arising_reported_at(entry)],
        "referenced": [
            [
                getattr(archive.referenced(entry, ref), "slug", None)
                for ref in (item.approves_minutes_of, item.matters_arising_from)
                if ref
            ]
            for item in meeting.items
        ],
        "topics": [
            [
                [_occurrence_facts(o) for o in archive.topic_neighbours(archive.topic(t), Occurrence(entry, i))]
                for t in meeting.items[i].topics
            ]
            for i in items
        ],
        "actions": [
            [
                [
                    t.id,
                    archive.status_of(t),
                    [[_occurrence_facts(u.at), u.position, u.update.status] for u in t.updates],
                ]
                for t in archive.actions_at(Occurrence(entry, i))
            ]
            for i in items
        ],
        "updated": [
            [
                [_occurrence_facts(archive.action(u.action).raised), archive.action(u.action).action.what]
                for u in meeting.items[i].action_updates
            ]
            for i in items
        ],
    }
    return orjson.dumps(facts, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _meeting_page(archive: Archive, entry: Entry, site_url: str) -> str:
    meeting = entry.meeting

    def marked(index: int) -> MarkedItem:
        tracked = archive.actions_at(Occurrence(entry, index))
        return mark_item(meeting.items[index], [urls.action_anchor(t.id) for t in tracked])

    page = _render(
        "meeting.md.j2",
        urls.meeting_page(meeting),
        archive=archive,
        entry=entry,
        meeting=meeting,
        committee=entry.committee,
        anchors=urls.item_anchors(meeting),
        previous=archive.previous(entry),
        next=archive.next(entry),
        occurrence=lambda index: Occurrence(entry, index),
        marked=marked,
        status_of=archive.status_of,
        json_ld=json_ld(entry, site_url),
        breadcrumbs=_breadcrumbs(
            ("Committees", urls.address(urls.COMMITTEES)),
            _committee_crumb(entry.committee),
            (long_date(meeting.date), None),
        ),
        section=urls.COMMITTEES,
    )
    return page + _definitions(archive.terms_of(entry))


def topic_years(archive: Archive, topic: Topic, register: registers.Register) -> str:
    """A topic's years as a strip of readable cells: each year, its meetings on the topic, a link.

    HTML, not a picture, so the labels keep the body's size at any width and wrap
    on a phone; each year with meetings links to that year's page, and a <meter>
    shows how busy the year was against the busiest.
    """
    first, last = (archive.years()[-1], archive.years()[0]) if archive.entries else (0, 0)
    meetings_in: dict[int, set[str]] = {}
    for row in register.rows:
        assert isinstance(row.subject, Occurrence)
        meetings_in.setdefault(row.year, set()).add(row.subject.entry.slug)
    busiest = max((len(found) for found in meetings_in.values()), default=0)
    total = len({slug for found in meetings_in.values() for slug in found})
    cells = []
    for year in range(last, first - 1, -1):
        count = len(meetings_in.get(year, ()))
        label = f"{count} meeting{'s' if count != 1 else ''}"
        if count:
            href = urls.served_relative(register.page(year), urls.topic_page(topic))
            year_text = f'<a href="{html.escape(href)}">{year}</a>'
        else:
            year_text = str(year)
        cells.append(
            f'<li class="topic-years__year{"" if count else " topic-years__year--none"}">{year_text}'
            f' <span class="topic-years__count">{label}</span>'
            + (f' <meter min="0" max="{busiest}" value="{count}" aria-hidden="true"></meter>' if busiest else "")
            + "</li>"
        )
    caption = (
        f"{topic.title} came up at {templating.count(total, 'meeting')} between {first} and {last}. Newest year first;"
        " each year with meetings links to them."
    )
    return (
        f'<div class="topic-years">\n<p class="topic-years__caption" id="years-{topic.id}">{html.escape(caption)}</p>\n'
        f'<ol class="topic-years__list" aria-labelledby="years-{topic.id}">{"".join(cells)}</ol>\n</div>'
    )


def _other_names(topic: Topic) -> list[str]:
    """The topic's aliases that are not its own name again, compared without regard to case."""
    seen = {topic.title.casefold()}
    names = []
    for alias in topic.aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            names.append(alias)
    return names


def _register_pages(
    archive: Archive,
    register: registers.Register,
    template: str,
    crumbs: list[tuple[str, str | None]],
    section: str,
    **context: Any,
) -> dict[str, str]:
    """Every year page of a register, and the further pages of a long year."""
    pages: dict[str, str] = {}
    years = register.years()
    for year in years:
        chunks = register.pages(year)
        for number, rows in enumerate(chunks, start=1):
            path = register.page(year, number)
            first = (number - 1) * registers.PAGE_ROWS + 1
            year_crumb = (str(year), urls.address(register.page(year)) if number > 1 else None)
            trail = [*crumbs, year_crumb] + ([(f"Page {number}", None)] if number > 1 else [])
            pages[path] = _render(
                template,
                path,
                archive=archive,
                register=register,
                year=year,
                years=years,
                rows=rows,
                number=number,
                pages=len(chunks),
                first=first,
                total=len(register.in_year(year)),
                landing=False,
                breadcrumbs=_breadcrumbs(*trail),
                section=section,
                **context,
            )
    return pages


def render_topic(archive: Archive, topic: Topic, register: registers.Register) -> dict[str, str]:
    """A topic's landing page (its latest year) and a page for each year, newest first."""
    years = register.years()
    latest = years[0] if years else None
    crumbs: list[tuple[str, str | None]] = [("Topics", urls.address(urls.TOPICS))]
    common = {
        "topic": topic,
        "other_names": _other_names(topic),
        "strip": topic_years(archive, topic, register),
    }
    landing_rows = register.pages(latest)[0] if latest is not None else []
    pages = {
        urls.topic_page(topic): _render(
            "topic.md.j2",
            urls.topic_page(topic),
            archive=archive,
            register=register,
            year=latest,
            years=years,
            rows=landing_rows,
            number=1,
            pages=len(register.pages(latest)) if latest is not None else 1,
            first=1,
            total=len(register.in_year(latest)) if latest is not None else 0,
            landing=True,
            breadcrumbs=_breadcrumbs(*crumbs, (topic.title, None)),
            section=urls.TOPICS,
            **common,
        )
    }
    crumbs.append((topic.title, urls.address(urls.topic_page(topic))))
    pages |= _register_pages(archive, register, "topic.md.j2", crumbs, urls.TOPICS, **common)
    words = topic.summary + "\n".join(
        row.subject.item.text for row in register.rows if isinstance(row.subject, Occurrence)
    )
    definitions = _definitions(archive.terms_in(words))
    return {path: markdown + definitions for path, markdown in pages.items()}


def render_register(archive: Archive, register: registers.Register, template: str) -> dict[str, str]:
    """A register's landing page (counts, and its latest year) and its year pages."""
    years = register.years()
    latest = years[0] if years else None
    title = register.noun[1].capitalize()
    landing = _render(
        template,
        register.landing,
        archive=archive,
        register=register,
        year=latest,
        years=years,
        rows=register.pages(latest)[0] if latest is not None else [],
        number=1,
        pages=len(register.pages(latest)) if latest is not None else 1,
        first=1,
        total=len(register.in_year(latest)) if latest is not None else 0,
        landing=True,
        breadcrumbs=_breadcrumbs((title, None)),
        section=register.landing,
    )
    crumbs: list[tuple[str, str | None]] = [(title, urls.address(register.landing))]
    return {register.landing: landing} | _register_pages(archive, register, template, crumbs, register.landing)


# How the attendance grid shows each mark; words, not symbols, so it reads aloud.
ATTENDANCE_MARKS = {
    "present": "Present",
    "apologies": "Apologies",
    "substitute": "Substitute",
    "substituted": "Sent substitute",
    "": "\u2013",  # an en dash: not listed
}


def render_attendance(archive: Archive, committee: Committee) -> dict[str, str]:
    """A committee's attendance: a summary by person, and a grid per year, newest meeting first."""
    attendance: CommitteeAttendance = archive.attendance(committee)
    years = sorted({e.meeting.date.year for e in attendance.recorded}, reverse=True)
    crumbs: list[tuple[str, str | None]] = [("Committees", urls.address(urls.COMMITTEES)), _committee_crumb(committee)]
    common = {
        "committee": committee,
        "attendance": attendance,
        "marks": ATTENDANCE_MARKS,
        "years": years,
        "people": People.of(archive),
    }
    landing = urls.attendance_page(committee)
    pages = {
        landing: _render(
            "attendance.md.j2",
            landing,
            year=years[0] if years else None,
            landing=True,
            breadcrumbs=_breadcrumbs(*crumbs, ("Attendance", None)),
            section=urls.COMMITTEES,
            **common,
        )
    }
    crumbs.append(("Attendance", urls.address(landing)))
    for year in years:
        path = urls.attendance_year_page(committee, year)
        pages[path] = _render(
            "attendance.md.j2",
            path,
            year=year,
            landing=False,
            breadcrumbs=_breadcrumbs(*crumbs, (str(year), None)),
            section=urls.COMMITTEES,
            **common,
        )
    return pages


# A person's or role's page lists this many actions (overdue first, then the newest); the
# actions register, filtered to them, lists every one, so no page grows without bound.
ACTIONS_SHOWN = 100


def _rate(year: YearAttendance) -> str:
    if year.rate is None:
        return "not counted"
    return f"{year.rate:.0%} of {year.counted}"


def render_people(archive: Archive) -> dict[str, str]:
    """The index of people and roles, a page per person and a page per role."""
    people = People.of(archive)
    crumbs: list[tuple[str, str | None]] = [("People", urls.address(urls.PEOPLE))]
    common = {"archive": archive, "people": people, "section": urls.PEOPLE, "shown": ACTIONS_SHOWN}
    pages = {
        urls.PEOPLE: _render(
            "people.md.j2",
            urls.PEOPLE,
            everyone=people.everyone,
            roles=people.roles,
            breadcrumbs=_breadcrumbs(("People", None)),
            **common,
        )
    }
    for profile in people.everyone:
        page = urls.person_page(profile.id)
        pages[page] = _render(
            "person.md.j2",
            page,
            profile=profile,
            rate=_rate,
            status_of=archive.status_of,
            breadcrumbs=_breadcrumbs(*crumbs, (profile.name, None)),
            **common,
        )
    for role in people.roles:
        page = urls.role_page(role.id)
        pages[page] = _render(
            "role.md.j2",
            page,
            role=role,
            status_of=archive.status_of,
            breadcrumbs=_breadcrumbs(*crumbs, (role.name, None)),
            **common,
        )
    return pages


# A committee's coverage page lists at most this many gaps, cut-short items and retrievals of
# each kind, newest first; its table by year counts every one, so no page grows without bound.
# Each listed meeting costs about 0.7 KB of HTML across the three lists: 150 of each keeps the
# page near 130 KB, within the 200 KB budget (a council's committee has about 125 meetings).
COVERAGE_LISTED = 150


def _days(days: float | None) -> str:
    """A number of days as a table cell says it: "12", "1,995", "2.5"; a dash when not known."""
    if days is None:
        return "\u2013"
    return f"{days:,.1f}".removesuffix(".0")


def _span(first: int, last: int) -> str:
    """A run of years as people say it: "2012 to 2013", or "2012" alone."""
    return str(first) if first == last else f"{first} to {last}"


def render_coverage(archive: Archive) -> dict[str, str]:
    """How complete the archive is: a summary by committee, and a page per committee year by year."""
    coverage = Coverage.of(archive)
    title = "How complete the archive is"
    common = {"coverage": coverage, "as_of": coverage.as_of, "days": _days, "span": _span, "section": urls.COMMITTEES}
    pages = {urls.COVERAGE: _render("coverage.md.j2", urls.COVERAGE, breadcrumbs=_breadcrumbs((title, None)), **common)}
    for record in coverage.committees:
        page = urls.coverage_page(record.committee)
        pages[page] = _render(
            "coverage-committee.md.j2",
            page,
            record=record,
            listed=COVERAGE_LISTED,
            breadcrumbs=_breadcrumbs((title, urls.address(urls.COVERAGE)), (record.committee.name, None)),
            **common,
        )
    return pages


def render_site(
    archive: Archive,
    site_name: str,
    site_url: str = "/",
    lists: registers.Registers | None = None,
    cache: BuildCache | None = None,
) -> dict[str, str]:
    """Every generated page of the archive, keyed by its path in the site's sources.

    ``site_url`` is the site's public address, for the absolute links that
    structured data (JSON-LD) needs; ``lists`` the archive's registers, if the
    caller has them already (the build writes their browser indexes too); with a
    ``cache``, a meeting's page is rendered again only when what it is made from
    has changed.
    """
    lists = lists or registers.Registers.of(archive)
    return render_meetings(archive, site_name, site_url, cache) | render_registers(archive, lists)


def render_meetings(
    archive: Archive, site_name: str, site_url: str = "/", cache: BuildCache | None = None
) -> dict[str, str]:
    """The meetings' own pages and the lists of meetings (home, years, committees): what a saved meeting changes first.

    Quick to make, since each meeting's page comes from the cache unless what it is
    made from has changed: the preview shows these before the registers follow.
    """
    pages = MeetingPages(archive, site_name, site_url, cache)
    return pages.complete(pages.render())


class MeetingPages:
    """The meetings' pages and the lists of meetings, made in three steps so that the middle one,
    the rendering, can be done in another process (``generator.apart``): what the cache has (made
    here), rendering the rest (which touches no cache), and keeping what was rendered (here)."""

    def __init__(self, archive: Archive, site_name: str, site_url: str, cache: BuildCache | None) -> None:
        self._archive = archive
        self._site_name = site_name
        self._site_url = site_url
        self._cache = cache
        # Each meeting's page from the cache, or its key in the cache, to keep it under once rendered.
        self._kept: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        if cache:
            registries = json.dumps(
                [
                    [c.model_dump(mode="json") for c in archive.committees],
                    [t.model_dump(mode="json") for t in archive.topics],
                ],
                sort_keys=True,
            )
            for entry in archive.entries:
                page = urls.meeting_page(entry.meeting)
                key = key_of("meeting page", meeting_inputs(archive, entry, site_url, registries))
                # An object, not bytes: the preview's cache keeps it in memory too, for the next rebuild.
                kept = cache.get_object("meeting-pages", key)
                if isinstance(kept, str):
                    self._kept[page] = kept
                else:
                    self._keys[page] = key

    @property
    def mostly_kept(self) -> bool:
        """Whether the cache has most of the meetings' pages, so that rendering the rest is quick."""
        return len(self._kept) > len(self._archive.entries) / 2

    def render(self) -> dict[str, str]:
        """The meetings' pages the cache does not have, and the lists of meetings."""
        archive = self._archive
        pages = {
            page: _meeting_page(archive, entry, self._site_url)
            for entry in archive.entries
            if (page := urls.meeting_page(entry.meeting)) not in self._kept
        }
        pages[urls.HOME] = _render("home.md.j2", urls.HOME, archive=archive, site_name=self._site_name)
        pages[urls.YEARS] = _render(
            "years.md.j2", urls.YEARS, archive=archive, breadcrumbs=_breadcrumbs(("Years", None)), section=urls.YEARS
        )
        for year in archive.years():
            page = urls.year_page(year)
            pages[page] = _render(
                "year.md.j2",
                page,
                year=year,
                entries=list(reversed(archive.in_year(year))),
                breadcrumbs=_breadcrumbs(("Years", urls.address(urls.YEARS)), (str(year), None)),
                section=urls.YEARS,
            )
        pages[urls.COMMITTEES] = _render(
            "committees.md.j2",
            urls.COMMITTEES,
            archive=archive,
            breadcrumbs=_breadcrumbs(("Committees", None)),
            section=urls.COMMITTEES,
        )
        for committee in archive.committees:
            page = urls.committee_page(committee)
            pages[page] = _render(
                "committee.md.j2",
                page,
                committee=committee,
                entries=archive.of_committee(committee),
                scheduled=archive.scheduled(committee),
                breadcrumbs=_breadcrumbs(("Committees", urls.address(urls.COMMITTEES)), (committee.name, None)),
                section=urls.COMMITTEES,
            )
        pages[urls.SEARCH] = _render(
            "search.md.j2", urls.SEARCH, archive=archive, breadcrumbs=_breadcrumbs(("Search", None)), section=""
        )
        return pages

    def complete(self, rendered: dict[str, str]) -> dict[str, str]:
        """Every page, meetings first in the archive's order: the rendered meetings' pages kept in the cache."""
        if self._cache:
            for page, key in self._keys.items():
                self._cache.put_object("meeting-pages", key, rendered[page])
            self._cache.sweep("meeting-pages")
        meetings = {}
        for entry in self._archive.entries:
            page = urls.meeting_page(entry.meeting)
            meetings[page] = self._kept[page] if page in self._kept else rendered[page]
        return meetings | {page: text for page, text in rendered.items() if page not in meetings}


# The committees' attendance pages and the people's pages: gathered across the archive, without its registers.
PeoplePages = tuple[dict[str, str], dict[str, str]]


def render_attendance_and_people(archive: Archive) -> PeoplePages:
    """Every committee's attendance pages, and the people's and roles' pages: the gathered pages that
    need no register, so that they can be made in another process (``generator.apart``)."""
    attendance: dict[str, str] = {}
    for committee in archive.committees:
        attendance |= render_attendance(archive, committee)
    return attendance, render_people(archive)


# The topics' pages; then the coverage's, the registers' and the glossary's.
RegisterPages = tuple[dict[str, str], dict[str, str]]


def render_register_pages(archive: Archive, lists: registers.Registers) -> RegisterPages:
    """The gathered pages made from the registers (``lists``): the topics', then the rest."""
    topics: dict[str, str] = {}
    topics[urls.TOPICS] = _render(
        "topics.md.j2", urls.TOPICS, archive=archive, breadcrumbs=_breadcrumbs(("Topics", None)), section=urls.TOPICS
    )
    for topic in archive.topics:
        topics |= render_topic(archive, topic, lists.topics[topic.id])
    pages = render_coverage(archive)
    pages |= render_register(archive, lists.decisions, "decisions.md.j2")
    pages |= render_register(archive, lists.actions, "actions.md.j2")
    pages[urls.GLOSSARY] = _render(
        "glossary.md.j2",
        urls.GLOSSARY,
        archive=archive,
        glossary_links=GLOSSARY_LINKS,
        breadcrumbs=_breadcrumbs(("Glossary", None)),
        section=urls.GLOSSARY,
    )
    return topics, pages


def gathered(attendance_and_people: PeoplePages, register_pages: RegisterPages) -> dict[str, str]:
    """The pages that gather across the archive, in the order they are published whichever process made them."""
    (attendance, people), (topics, rest) = attendance_and_people, register_pages
    return attendance | topics | people | rest


def render_registers(archive: Archive, lists: registers.Registers) -> dict[str, str]:
    """The pages that gather across the whole archive: attendance, topics, people, coverage, registers, glossary.

    These are the slow part of a build, and what a saved meeting changes last.
    """
    return gathered(render_attendance_and_people(archive), render_register_pages(archive, lists))
