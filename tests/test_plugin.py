"""The MkDocs plugin's contract with `mkdocs serve`."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from generator.site.plugin import MinutesPlugin


class RecordingServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args: Any, **kwargs: Any) -> None:
        self.watched.append(path)


def test_live_reload_watches_the_content_folder(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    plugin = MinutesPlugin()
    errors, warnings = plugin.load_config({"content_dir": "records"}, str(tmp_path / "mkdocs.yml"))
    assert (errors, warnings) == ([], [])
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    server = RecordingServer()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(tmp_path / "records")]


def test_a_content_folder_that_is_not_there_is_a_configuration_error(tmp_path: Path) -> None:
    plugin = MinutesPlugin()
    errors, _ = plugin.load_config({"content_dir": "records"}, str(tmp_path / "mkdocs.yml"))
    assert [(name, str(error)) for name, error in errors] == [
        ("content_dir", f"The path '{tmp_path / 'records'}' isn't an existing directory.")
    ]
