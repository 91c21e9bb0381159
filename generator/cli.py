"""The ``minutes`` command for editors."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import Any

import click

from generator import addresses, cms, schemafiles
from generator.build import InvalidRecords, build
from generator.importers import moderngov_text, moderngov_xml
from generator.importers.common import UnreadableSource
from generator.importers.draft import Draft, write_draft
from generator.importers.moderngov_service import harvest, progress_for_terminal
from generator.importers.service import Service
from generator.load import load_content
from generator.scaffold import ScaffoldError, new_meeting, new_meeting_path
from generator.source import Problem
from generator.synthetic import synthesize

# Every command that reads the records takes the same option for where they are.
content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder holding committees.yml and meetings/.",
)


@click.group()
@click.version_option(package_name="minutes-archive")
def main() -> None:
    """Tools for editors of the minutes archive."""


@main.command()
@content_option
def validate(content_dir: Path) -> None:
    """Check every record and registry; list every problem with file:line:column.

    In GitHub Actions each problem is also printed as a workflow annotation, so it
    shows on the pull request's changed line.
    """
    _check_content_dir(content_dir)
    content = load_content(content_dir, Path.cwd())
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in content.problems:
        click.echo(str(problem), err=problem.severity == "error")
        if annotate:
            click.echo(annotation(problem))
    errors = len(content.errors)
    warnings = len(content.problems) - errors
    summary = f"{len(content.meetings)} meeting(s) checked: {errors} error(s), {warnings} warning(s)"
    click.echo(summary, err=bool(errors))
    sys.exit(1 if errors else 0)


def _check_content_dir(content_dir: Path) -> None:
    if not (content_dir / "committees.yml").is_file() and not (content_dir / "meetings").is_dir():
        raise click.UsageError(f"{content_dir} holds no committees.yml or meetings/: is this the content folder?")


def annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that marks the problem on its line."""

    def escape(value: str, property_value: bool = False) -> str:
        # The escapes GitHub's workflow commands define for data and properties.
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if property_value else value

    kind = "error" if problem.severity == "error" else "warning"
    message = f"{problem.field}: {problem.message}" + (f" (hint: {problem.hint})" if problem.hint else "")
    return (
        f"::{kind} file={escape(problem.path, True)},line={problem.line},col={problem.column},"
        f"title={escape('minutes validate', True)}::{escape(message)}"
    )


@main.command()
@click.option("--committee", "committee_id", required=True, help="The committee's id, from content/committees.yml.")
@click.option(
    "--date",
    "day",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The meeting's date, YYYY-MM-DD.",
)
@content_option
def new(committee_id: str, day: datetime.datetime, content_dir: Path) -> None:
    """Write a new meeting record from the committee's last meeting; never overwrite one."""
    _check_content_dir(content_dir)
    content = load_content(content_dir, Path.cwd())
    try:
        path = new_meeting(content, content_dir, content_dir.resolve().parent, committee_id, day.date())
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {path}: fill it in, then run `minutes validate`")


@main.command(name="addresses")
@content_option
@click.option("--site-name", default="Safer Bromley Partnership minutes archive", show_default=True, hidden=True)
def addresses_command(content_dir: Path, site_name: str) -> None:
    """Add every address the site now publishes to content/addresses.txt (never removing one)."""
    _check_content_dir(content_dir)
    try:
        site = build(content_dir, site_name, root=Path.cwd())
    except InvalidRecords:
        raise click.ClickException("the records have errors: run `minutes validate` first") from None
    now = site.addresses
    known = addresses.read_manifest(content_dir)
    (content_dir / addresses.MANIFEST).write_text(addresses.manifest_text(known | now), encoding="utf-8")
    click.echo(f"{len(now - known)} new address(es) added to {content_dir / addresses.MANIFEST}")


@main.command()
@click.option("--check", is_flag=True, help="Only check that the committed schemas are up to date.")
def schema(check: bool) -> None:
    """Write the JSON Schemas of the record format into schema/ (for editors' tools)."""
    root = Path.cwd()
    if check:
        stale = [
            name
            for name, text in schemafiles.rendered().items()
            if not (root / schemafiles.SCHEMA_DIR / name).is_file()
            or (root / schemafiles.SCHEMA_DIR / name).read_text(encoding="utf-8") != text
        ]
        if stale:
            raise click.ClickException(f"out of date: {', '.join(stale)}; run `minutes schema`")
        click.echo("the schemas are up to date")
        return
    changed = schemafiles.write(root)
    click.echo(f"wrote {len(changed)} schema file(s)" if changed else "the schemas were up to date")


@main.command(name="cms-config")
@click.option("--check", is_flag=True, help="Only check that the committed configuration is up to date.")
def cms_config(check: bool) -> None:
    """Write the editor's (Decap CMS's) configuration, admin/config.yml, from the record model."""
    path = Path.cwd() / cms.CONFIG
    text = cms.rendered()
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if check:
        if current != text:
            raise click.ClickException(f"out of date: {cms.CONFIG}; run `minutes cms-config`")
        click.echo(f"{cms.CONFIG} is up to date")
        return
    if current == text:
        click.echo(f"{cms.CONFIG} was up to date")
        return
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {cms.CONFIG}")


@main.command(name="synthesize")
@click.option("--meetings", type=click.IntRange(min=1), default=100, show_default=True, help="How many meetings.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same files.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def synthesize_command(meetings: int, seed: int, out: Path) -> None:
    """Write a synthetic content folder of minutes-like records, for benchmarks and scale tests."""
    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"{out} is not empty: choose a new folder")
    synthesize(out, meetings, seed)
    click.echo(f"wrote {meetings} synthetic meeting(s) to {out}")


@main.group(name="import")
def import_() -> None:
    """Turn minutes published elsewhere into draft meeting files."""


def _write_import(draft: Draft, content_dir: Path) -> None:
    """Write an imported draft where `minutes new` would, never over an existing record."""
    committee, day = draft.data.get("committee"), draft.data.get("date")
    if not committee or not day:
        name = "draft-" + "-".join(str(v) for v in (day, committee) if v) if (committee or day) else "draft"
        path = content_dir / "meetings" / "drafts" / f"{name}.yml"
    else:
        path = new_meeting_path(content_dir, committee, datetime.date.fromisoformat(day))
    if path.exists():
        raise click.ClickException(f"{path} already exists: the importer never overwrites a record")
    write_draft(draft, path, schemafiles.modeline(path, content_dir.resolve().parent), source="ModernGov")
    click.echo(f"wrote {path}")
    for note in draft.notes:
        click.echo(f"review: {note}")
    for missing in draft.to_fill_in():
        click.echo(f"fill in: {missing}")


_IMPORT_OPTIONS = [
    click.option("--committee", "committee_id", help="The committee's id, if the source does not name it."),
    content_option,
    click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
]


def _import_options(command: Any) -> Any:
    for option in reversed(_IMPORT_OPTIONS):
        command = option(command)
    return command


@import_.command(name="moderngov")
@click.option("--site", required=True, help="The council's ModernGov address, e.g. https://democracy.example.gov.uk.")
@click.option(
    "--committee",
    "committees",
    multiple=True,
    help="A ModernGov committee's id or name (repeat for more); every committee if none.",
)
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default="2000-01-01", show_default=True)
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), help="The last day; today if not given.")
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".cache/moderngov"),
    show_default=True,
    help="Where every reply is kept, so an interrupted import resumes without asking again.",
)
@click.option("--offline", is_flag=True, help="Replay the cache only: ask the service nothing.")
@click.option("--rate", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds between requests.")
@click.option("--add-committees", is_flag=True, help="Add the service's committees missing from committees.yml.")
@content_option
def import_moderngov_service(
    site: str,
    committees: tuple[str, ...],
    start: datetime.datetime,
    end: datetime.datetime | None,
    cache_dir: Path,
    offline: bool,
    rate: float,
    add_committees: bool,
    content_dir: Path,
) -> None:
    """A council's whole history from its ModernGov web service -> a draft record per meeting with minutes.

    Never overwrites a record; lists what it skipped, cancelled meetings, and meetings
    whose minutes are not yet published (run it again later to import them). Exits
    non-zero only when something failed.
    """
    _check_content_dir(content_dir)
    if not site.startswith(("https://", "http://")):
        raise click.UsageError(f"--site must be an address starting https://, not {site!r}")
    if cache_dir.resolve().is_relative_to(content_dir.resolve()):
        raise click.UsageError("--cache must be outside the content folder: the replies are not records")
    service = Service(site, cache_dir, rate=rate, offline=offline)
    last = end.date() if end else datetime.date.today()
    try:
        report = harvest(
            service,
            content_dir,
            Path.cwd(),
            list(committees),
            start.date(),
            last,
            add_committees=add_committees,
            progress=progress_for_terminal(lambda line: click.echo(line, err=True)),
        )
    except UnreadableSource as error:
        raise click.ClickException(str(error)) from None
    finally:
        service.close()
    for line in report.lines(service.counts.fetched, service.counts.replayed):
        click.echo(line)
    sys.exit(1 if report.failures else 0)


@import_.command(name="moderngov-xml")
@_import_options
def import_moderngov_xml(committee_id: str | None, content_dir: Path, source: Path) -> None:
    """A ModernGov web service GetMeeting response (XML) -> a draft meeting file."""
    _check_content_dir(content_dir)
    try:
        draft = moderngov_xml.read(source.read_text(encoding="utf-8", errors="replace"), committee_id)
    except UnreadableSource as error:
        raise click.ClickException(f"{source}: {error}") from None
    _write_import(draft, content_dir)


@import_.command(name="moderngov-text")
@_import_options
def import_moderngov_text(committee_id: str | None, content_dir: Path, source: Path) -> None:
    """The plain text of a ModernGov "Agenda and minutes" page -> a draft meeting file."""
    _check_content_dir(content_dir)
    committees = load_content(content_dir, Path.cwd()).committees
    try:
        draft = moderngov_text.read(source.read_text(encoding="utf-8", errors="replace"), committees, committee_id)
    except UnreadableSource as error:
        raise click.ClickException(f"{source}: {error}") from None
    _write_import(draft, content_dir)
