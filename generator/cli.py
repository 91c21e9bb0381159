"""The ``minutes`` command for editors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.load import load_content
from generator.synthetic import synthesize as generate


@click.group()
@click.version_option(package_name="minutes-archive")
def main() -> None:
    """Tools for editors of the minutes archive."""


@main.command()
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="The content folder holding committees.yml and meetings/.",
)
def validate(content_dir: Path) -> None:
    """Check every record and registry; list every problem with file:line:column."""
    if not (content_dir / "committees.yml").is_file() and not (content_dir / "meetings").is_dir():
        raise click.UsageError(
            f"{content_dir} holds no committees.yml or meetings/: is this the content folder?"
        )
    content = load_content(content_dir, Path.cwd())
    for problem in content.problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = len(content.errors)
    warnings = len(content.problems) - errors
    summary = f"{len(content.meetings)} meeting(s) checked: {errors} error(s), {warnings} warning(s)"
    click.echo(summary, err=bool(errors))
    sys.exit(1 if errors else 0)


@main.command()
@click.option(
    "--meetings", type=click.IntRange(min=1), default=100, show_default=True, help="How many meetings."
)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same files.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def synthesize(meetings: int, seed: int, out: Path) -> None:
    """Write a synthetic content folder of minutes-like records, for benchmarks and scale tests."""
    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"{out} is not empty: choose a new folder")
    generate(out, meetings, seed)
    click.echo(f"wrote {meetings} synthetic meeting(s) to {out}")
