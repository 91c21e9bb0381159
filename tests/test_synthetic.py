"""The synthetic archive used by the benchmarks: valid, realistic in shape, reproducible."""

from __future__ import annotations

from pathlib import Path

from generator.archive import Archive
from generator.load import load_content
from generator.synthetic import synthesize


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.yml"))}


def test_the_same_seed_writes_the_same_archive(tmp_path: Path) -> None:
    synthesize(tmp_path / "a", 30, seed=7)
    synthesize(tmp_path / "b", 30, seed=7)
    synthesize(tmp_path / "c", 30, seed=8)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_a_synthetic_archive_passes_validation_and_has_every_kind_of_record(tmp_path: Path) -> None:
    synthesize(tmp_path / "content", 300, seed=1)
    content = load_content(tmp_path / "content")
    assert [str(p) for p in content.problems] == []
    assert len(content.meetings) == 300
    archive = Archive(
        content.committees,
        [(m.meeting, m.source) for m in content.meetings],
        content.topics,
        content.glossary,
    )
    assert len(archive.committees) == 3  # about 125 meetings a committee
    assert archive.years()[0] - archive.years()[-1] == 19  # spread over 20 years
    assert len(archive.decisions()) > 300
    tracked = archive.actions()
    assert len(tracked) > 300
    assert {t.status for t in tracked} == {"open", "done", "in-progress", "carried-forward", "dropped"}
    assert all(archive.occurrences(topic) for topic in archive.topics)
    assert all(archive.using_term(term) for term in archive.glossary if term.term in {"ASB", "VRAP", "MOPAC"})
