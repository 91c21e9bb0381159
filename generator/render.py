"""Archive -> Markdown pages: ``{path: markdown}``, with no knowledge of MkDocs.

Each page kind has a Jinja template in ``templates/``; links between pages are
relative ``.md`` paths so that the site builder can check every one of them.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator import urls
from generator.archive import Archive, Entry, clock_time, long_date
from generator.schema import Owner, Person


def _person(person: Person) -> str:
    """ "Janet Bailey (Interim Director of Children's Social Care, MOPAC)"."""
    details = ", ".join(part for part in (getattr(person, "role", None), person.organisation) if part)
    return f"{person.name} ({details})" if details else person.name


def _owner(owner: Owner) -> str:
    if owner.name and owner.role:
        return f"{owner.name} ({owner.role})"
    return owner.name or owner.role or ""


def _front_matter_string(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    return json.dumps(value, ensure_ascii=False)


def _anchor(name: str) -> str:
    # attr_list syntax, built here because "{#" opens a comment in Jinja templates.
    return "{#" + name + "}"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is Markdown, escaped by the site builder
    )
    env.filters.update(
        long_date=long_date,
        clock_time=clock_time,
        person=_person,
        owner=_owner,
        quoted=_front_matter_string,
    )
    return env


def _render(template: str, page: str, **context: Any) -> str:
    def link(target: str) -> str:
        return urls.relative(target, page)

    return _environment().get_template(template).render(link=link, anchor=_anchor, urls=urls, **context)


def render_meeting(archive: Archive, entry: Entry) -> str:
    """The page of one meeting."""
    return _render(
        "meeting.md.j2",
        urls.meeting_page(entry.meeting),
        entry=entry,
        meeting=entry.meeting,
        committee=entry.committee,
        anchors=urls.item_anchors(entry.meeting.items),
        previous=archive.previous(entry),
        next=archive.next(entry),
    )


def render_site(archive: Archive, site_name: str) -> dict[str, str]:
    """Every generated page of the archive, keyed by its path in the site's sources."""
    pages = {urls.meeting_page(e.meeting): render_meeting(archive, e) for e in archive.entries}
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
    return pages
