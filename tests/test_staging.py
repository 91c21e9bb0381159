"""The preview's stage: MkDocs is handed on disk only the generated files that changed since the last rebuild."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from generator.site.staging import LatestOnly, StagedFiles


def _config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    config.plugins._current_plugin = "minutes"  # as while the plugin's own event runs
    return config


def test_only_changed_files_are_rewritten_and_gone_ones_leave_the_preview(tmp_path: Path) -> None:
    config = _config(tmp_path)
    stage = StagedFiles()
    try:
        stage.begin()
        first = {path: stage.file(config, path, text) for path, text in {"a.md": "# A", "b.md": "# B"}.items()}
        stage.file(config, "data/x.json", b"{}")
        assert "2 of 2 generated pages changed" in stage.end()
        # MkDocs builds both pages; a dirty rebuild skips a page whose source is older than what it built.
        for file in first.values():
            Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
            Path(file.abs_dest_path).write_text("built", encoding="utf-8")
            assert file.abs_src_path is not None
            os.utime(file.abs_src_path, (1, 1))

        stage.begin()
        unchanged = stage.file(config, "a.md", "# A")
        changed = stage.file(config, "b.md", "# B, revised")
        stage.file(config, "data/x.json", b"{}")
        report = stage.end()
        assert "1 of 2 generated pages changed" in report
        assert "0 of 1 data files changed" in report
        assert not unchanged.is_modified()
        assert changed.is_modified()
        assert Path(changed.abs_src_path or "").read_text(encoding="utf-8") == "# B, revised"

        # A page the archive no longer makes is gone from the preview, not left to be visited.
        stage.begin()
        stage.file(config, "b.md", "# B, revised")
        stage.file(config, "data/x.json", b"{}")
        assert "1 file(s) no longer made" in stage.end()
        assert not Path(first["a.md"].abs_dest_path).exists()
    finally:
        stage.remove()
    assert not stage.folder.exists()


def test_the_background_index_runs_one_job_at_a_time_and_only_the_latest_of_those_waiting() -> None:
    import threading

    ran: list[str] = []
    first_started, release = threading.Event(), threading.Event()

    def first() -> None:
        first_started.set()
        release.wait(10)
        ran.append("first")

    worker = LatestOnly()
    worker.request(first)
    assert first_started.wait(10)
    # Two saves while the first index is written: only the newer is indexed after it.
    worker.request(lambda: ran.append("second"))
    worker.request(lambda: ran.append("third"))
    release.set()
    worker.wait()
    assert ran == ["first", "third"]
    worker.request(lambda: ran.append("fourth"))
    worker.wait()
    assert ran == ["first", "third", "fourth"]
