"""A council's whole history from its ModernGov web service: committees, meetings, minutes -> drafts.

Walks ``GetCommittees`` (expired committees too: they hold the history), then
``GetMeetings`` a year at a time for each committee, then ``GetMeeting`` for each
meeting, and writes a draft record for each meeting whose minutes are published,
through the GetMeeting importer. It never overwrites: a meeting already in the
archive (by its committee and date, or its ModernGov id in ``source``) or already
written is skipped; a cancelled meeting is listed, never written; a meeting whose
minutes are not yet published is listed, and a later run picks it up.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from generator import schemafiles
from generator.importers.common import UnreadableSource
from generator.importers.draft import write_draft
from generator.importers.moderngov_xml import child_text, read_element, uk_date
from generator.importers.service import Service, ServiceError
from generator.load import COMMITTEES, load_content
from generator.schema import Committee, slug_of, slugify

# Where a meeting's page is on a ModernGov site, for the record's `source`.
MEETING_PAGE = "ieListDocuments.aspx?CId={committee}&MId={meeting}"


@dataclass(frozen=True)
class Listed:
    """A meeting as the service lists it."""

    meeting_id: str
    committee: str
    day: dt.date
    # The committee's id on the service, for the meeting page's address.
    service_committee: str


@dataclass
class Report:
    """What an import found and did, for its summary."""

    committees: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    added_committees: list[str] = field(default_factory=list)
    found: int = 0
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def lines(self, fetched: int, replayed: int) -> list[str]:
        """The summary, a line each, then what each list holds."""
        out = [
            f"committees: {len(self.committees)} imported"
            + (f", {len(self.unmapped)} not in content/committees.yml" if self.unmapped else ""),
            f"meetings found: {self.found}",
            f"drafts written: {len(self.written)}",
            f"skipped: {len(self.skipped)}",
            f"cancelled: {len(self.cancelled)}",
            f"minutes not yet published: {len(self.unpublished)}",
            f"failures: {len(self.failures)}",
            f"requests: {fetched} to the service, {replayed} from the cache",
        ]
        if not self.written:
            out.append("nothing new: no draft was written")
        for heading, entries in (
            ("committees to add to content/committees.yml (or run again with --add-committees)", self.unmapped),
            ("committees added to content/committees.yml", self.added_committees),
            ("written", self.written),
            ("skipped", self.skipped),
            ("cancelled (no record is written for a cancelled meeting)", self.cancelled),
            ("minutes not yet published (a later run imports them)", self.unpublished),
            ("failed", self.failures),
        ):
            if entries:
                out.append(f"{heading}:")
                out += [f"  {entry}" for entry in entries]
        return out


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Progress:
    """A progress bar on a terminal (rich); plain lines elsewhere, as in CI or a log."""

    plain: bool
    say: Callable[[str], None]

    @contextmanager
    def task(self, description: str, total: int) -> Iterator[Callable[[str], None]]:
        """A task of ``total`` steps; the callable advances it by one, naming the step."""
        if self.plain:
            self.say(f"{description}: {total} to do")
            yield lambda step: self.say(f"  {step}")
            return
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        with Bar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda step: bar.update(task, advance=1, description=f"{description}: {step}")


def progress_for_terminal(say: Callable[[str], None]) -> Progress:
    """A bar when a person watches the terminal, plain lines when not (or in CI)."""
    plain = not sys.stderr.isatty() or os.environ.get("CI") == "true"
    return Progress(plain, say)


def _mapping(listed: list[Element], committees: list[Committee]) -> dict[str, Committee | None]:
    """Each ModernGov committee's id -> the archive's committee, by its `moderngov_id` or its name."""
    by_id = {c.moderngov_id: c for c in committees if c.moderngov_id}
    by_name = {c.name.casefold(): c for c in committees}
    found: dict[str, Committee | None] = {}
    for element in listed:
        mg_id = child_text(element, "committeeid")
        found[mg_id] = by_id.get(mg_id) or by_name.get(child_text(element, "committeetitle").casefold())
    return found


def _new_entry(title: str, mg_id: str, taken: set[str]) -> tuple[str, str]:
    """A committees.yml entry for a ModernGov committee: its id (unique) and its YAML lines."""
    base = slugify(title) or f"committee-{mg_id}"
    committee_id, count = base, 1
    while committee_id in taken:
        count += 1
        committee_id = f"{base}-{count}"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return committee_id, f'  - id: {committee_id}\n    name: "{quoted}"\n    moderngov_id: "{mg_id}"\n'


def harvest(
    service: Service,
    content_dir: Path,
    root: Path,
    wanted: list[str],
    start: dt.date,
    end: dt.date,
    add_committees: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import every meeting with published minutes between ``start`` and ``end``, as drafts."""
    today = today or dt.date.today()
    progress = progress or Progress(True, lambda line: None)
    report = Report()
    content = load_content(content_dir, root)
    registry_problems = [p for p in content.errors if p.path.endswith(COMMITTEES)]
    if registry_problems:
        raise UnreadableSource(f"content/{COMMITTEES} has errors: run `minutes validate` first")
    listed = list(service.ask("GetCommittees", final=False).iter("committee"))
    if wanted:
        chosen = {w.casefold() for w in wanted}
        listed = [
            c
            for c in listed
            if child_text(c, "committeeid") in wanted or child_text(c, "committeetitle").casefold() in chosen
        ]
        unknown = sorted(
            set(wanted)
            - {child_text(c, "committeeid") for c in listed}
            - {w for w in wanted if w.casefold() in {child_text(c, "committeetitle").casefold() for c in listed}}
        )
        if unknown:
            raise UnreadableSource(
                f"the service has no committee {', '.join(repr(u) for u in unknown)}: see GetCommittees"
            )
    listed = [c for c in listed if child_text(c, "committeedeleted").lower() != "true"]
    mapping = _mapping(listed, content.committees)
    unmapped = [c for c in listed if mapping[child_text(c, "committeeid")] is None]
    if unmapped:
        taken = {c.id for c in content.committees}
        lines = []
        for element in unmapped:
            committee_id, entry = _new_entry(
                child_text(element, "committeetitle"), child_text(element, "committeeid"), taken
            )
            taken.add(committee_id)
            lines.append(entry)
            name = f"{child_text(element, 'committeetitle')} (ModernGov id {child_text(element, 'committeeid')})"
            (report.added_committees if add_committees else report.unmapped).append(
                name if add_committees else f"{name}:\n{entry.rstrip()}"
            )
        if add_committees:
            path = content_dir / COMMITTEES
            text = path.read_text(encoding="utf-8")
            path.write_text(text.rstrip("\n") + "\n" + "".join(lines), encoding="utf-8")
            content = load_content(content_dir, root)
            mapping = _mapping(listed, content.committees)
    archived = {(m.meeting.committee, m.meeting.date) for m in content.meetings}
    by_source = {
        m.meeting.source.meeting_id for m in content.meetings if m.meeting.source and m.meeting.source.meeting_id
    }
    meetings: list[Listed] = []
    with progress.task("listing meetings", len(listed)) as step:
        for element in listed:
            committee = mapping[child_text(element, "committeeid")]
            step(child_text(element, "committeetitle"))
            if committee is None:
                continue
            report.committees.append(committee.name)
            for year in range(start.year, end.year + 1):
                first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
                params = {
                    "lCommitteeId": child_text(element, "committeeid"),
                    "sFromDate": _uk(first),
                    "sToDate": _uk(last),
                }
                try:
                    # A year that is over cannot change its listing; this year's is asked for again.
                    reply = service.ask("GetMeetings", params, final=last < today - dt.timedelta(days=1))
                except ServiceError as error:
                    report.failures.append(f"{committee.name}, {year}: {error}")
                    continue
                for meeting in reply.iter("meeting"):
                    day = uk_date(child_text(meeting, "meetingdate"))
                    mg_id = child_text(meeting, "meetingid")
                    report.found += 1
                    when = day.isoformat() if day else child_text(meeting, "meetingdate")
                    where = f"{committee.name}, {when} (meeting {mg_id})"
                    if day is None:
                        report.failures.append(f"{where}: the date is not dd/mm/yyyy")
                    elif child_text(meeting, "meetingstatus").lower() == "cancelled":
                        report.cancelled.append(where)
                    elif (committee.id, day) in archived or mg_id in by_source:
                        report.skipped.append(f"{where}: already in the archive")
                    else:
                        meetings.append(Listed(mg_id, committee.id, day, child_text(element, "committeeid")))
    names = {c.id: c.name for c in content.committees}
    with progress.task("reading meetings", len(meetings)) as step:
        for listed_meeting in meetings:
            name, held = names[listed_meeting.committee], listed_meeting.day.isoformat()
            where = f"{name}, {held} (meeting {listed_meeting.meeting_id})"
            step(where)
            _import_one(service, content_dir, listed_meeting, today, report, where)
    return report


def _import_one(
    service: Service,
    content_dir: Path,
    listed: Listed,
    today: dt.date,
    report: Report,
    where: str,
) -> None:
    path = content_dir / "meetings" / str(listed.day.year) / f"{slug_of(listed.day, listed.committee)}.yml"
    if path.exists():
        report.skipped.append(f"{where}: {path} already exists")
        return
    try:
        # Asked again on a later run until its minutes are published; kept once they are.
        root = service.ask("GetMeeting", {"lMeetingId": listed.meeting_id}, final=False)
        if child_text(root, "minutepublished").lower() != "true":
            report.unpublished.append(where)
            return
        draft = read_element(root, listed.committee)
    except UnreadableSource as error:
        report.failures.append(f"{where}: {error}")
        return
    if draft.data.get("date") != listed.day.isoformat():
        report.failures.append(f"{where}: GetMeeting gives the date {draft.data.get('date')}, not the listing's")
        return
    draft.data["source"] = {
        "url": f"{service.site.rstrip('/')}/"
        + MEETING_PAGE.format(committee=listed.service_committee, meeting=listed.meeting_id),
        "meeting_id": listed.meeting_id,
        "retrieved": today.isoformat(),
    }
    write_draft(
        draft, path, schemafiles.modeline(path, content_dir.resolve().parent), source=f"ModernGov, {service.site}"
    )
    report.written.append(str(path))
