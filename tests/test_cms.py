"""The editor's form (admin/config.yml) is the record model's: every field, its hint, whether it is required."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator import cms
from generator.cli import main
from generator.schema import PRIVATE_ITEM_FIELDS, Item, Meeting
from tests.fixtures import ROOT


def _form() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load((ROOT / cms.CONFIG).read_text(encoding="utf-8"))
    return loaded


def _meetings() -> dict[str, Any]:
    return next(c for c in _form()["collections"] if c["name"] == "meetings")


def _by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def test_the_committed_configuration_is_the_one_the_model_makes() -> None:
    assert (ROOT / cms.CONFIG).read_text(encoding="utf-8") == cms.rendered()


def test_cms_config_check_fails_on_a_stale_configuration_and_writing_it_makes_it_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(main, ["cms-config", "--check"])
    assert missing.exit_code == 1 and "out of date: admin/config.yml; run `minutes cms-config`" in missing.output
    assert runner.invoke(main, ["cms-config"]).output == "wrote admin/config.yml\n"
    assert runner.invoke(main, ["cms-config", "--check"]).exit_code == 0
    stale = Path("admin/config.yml")
    stale.write_text(stale.read_text(encoding="utf-8").replace("Minute number", "Number"), encoding="utf-8")
    assert runner.invoke(main, ["cms-config", "--check"]).exit_code == 1


@pytest.mark.parametrize("model, fields", [(Meeting, None), (Item, "public"), (Item, "private")])
def test_every_field_of_the_model_is_in_the_form_with_its_hint_and_required_when_the_model_requires_it(
    model: Any, fields: str | None
) -> None:
    meeting = _by_name(_meetings()["fields"])
    if fields is None:
        form = meeting
        names = list(model.model_fields)
    else:
        types = {t["name"]: t for t in meeting["items"]["types"]}
        form = _by_name(types[fields]["fields"])
        names = [n for n in model.model_fields if n not in ("private_under", "public_summary")]
        if fields == "private":
            names = [n for n in model.model_fields if n in PRIVATE_ITEM_FIELDS]
    assert list(form) == ([cms.HEADER] if fields is None else []) + names
    for name in names:
        info = model.model_fields[name]
        assert form[name]["hint"] == info.description, name
        required = info.is_required() or (fields == "private" and name == "private_under")
        if form[name]["widget"] != "list":
            assert form[name].get("required", True) == required, name


def test_dates_and_times_are_written_as_the_records_write_them() -> None:
    meeting = _by_name(_meetings()["fields"])
    assert (meeting["date"]["format"], meeting["date"]["time_format"]) == ("YYYY-MM-DD", False)
    assert (meeting["start_time"]["format"], meeting["start_time"]["date_format"]) == ("HH:mm", False)
    action = _by_name(_by_name(_by_name(meeting["items"]["types"])["public"]["fields"])["actions"]["fields"])
    assert action["due"]["format"] == "YYYY-MM-DD"


def _names(fields: list[dict[str, Any]], path: str = "") -> dict[str, str]:
    """Every `name` field of the form, at any depth, by where it is: its widget."""
    found = {}
    for field in fields:
        where = f"{path}/{field['name']}"
        if field["name"] == "name" and "fields" not in field:
            found[where] = field["widget"]
        for inner in (field.get("fields"), field.get("types"), [field["field"]] if "field" in field else None):
            found.update(_names(inner or [], where))
    return found


def test_committees_topics_and_people_are_offered_from_their_registries() -> None:
    meeting = _by_name(_meetings()["fields"])
    item = _by_name(_by_name(meeting["items"]["types"])["public"]["fields"])
    assert (meeting["committee"]["widget"], meeting["committee"]["value_field"]) == ("relation", "committees.*.id")
    assert (item["topics"]["widget"], item["topics"]["multiple"]) == ("relation", True)
    registries = next(c for c in _form()["collections"] if c["name"] == "registries")
    files = {f["file"] for f in registries["files"]}
    assert files == {"content/committees.yml", "content/topics.yml", "content/people.yml"}
    assert registries["hide"] is True
    # Every name in a meeting is a person's: chairs, attendees, owners of actions, officers, interests.
    names = _names(_meetings()["fields"])
    assert {"/chairs/name", "/attendance/present/name", "/items/public/actions/who/name", "/contact/name"} <= set(names)
    assert set(names.values()) == {cms.PERSON_NAME}
    script = (ROOT / "overrides" / "admin" / "minutes-cms.js").read_text()
    assert f'const PERSON_NAME = "{cms.PERSON_NAME}"' in script and f'const NEEDED = "{cms.NEEDED}"' in script
    assert f'const NO_MEDIA = "{cms.NO_MEDIA}"' in script and _form()["media_library"] == {"name": cms.NO_MEDIA}


def test_what_an_optional_part_needs_is_marked_for_the_check_on_saving() -> None:
    meeting = _by_name(_meetings()["fields"])
    next_meeting = _by_name(meeting["next_meeting"]["fields"])
    assert meeting["next_meeting"]["required"] is False
    assert next_meeting["date"]["required"] is False and next_meeting["date"][cms.NEEDED] is True
    assert cms.NEEDED not in next_meeting["time"]


def test_a_new_meeting_is_written_where_minutes_new_writes_it_and_reviewed_as_a_pull_request() -> None:
    meetings = _meetings()
    assert (meetings["folder"], meetings["path"], meetings["slug"]) == (
        "content/meetings",
        "{{year}}/{{slug}}",
        "{{fields.date}}-{{fields.committee}}",
    )
    assert meetings["identifier_field"] == "date"  # the date field Decap CMS takes {{year}} from
    assert _form()["publish_mode"] == "editorial_workflow"
    assert meetings["format"] == cms.FORMAT
    assert f'const FORMAT = "{cms.FORMAT}"' in (ROOT / "overrides" / "admin" / "minutes-cms.js").read_text()
