"""The package as a council installs it: a wheel, in a fresh environment, with every subpackage."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.fixtures import ROOT


@pytest.mark.site
def test_the_wheel_holds_every_subpackage_and_runs_from_a_fresh_environment(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("minutes_archive-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for module in (
        "generator/site/plugin.py",
        "generator/importers/moderngov_service.py",
        "generator/templates/meeting.md.j2",
    ):
        assert module in names, module
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True)
    pip = [str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = subprocess.run([*pip, str(wheel)], capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    # Run away from the checkout, so that nothing but the installed package can be imported.
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "content", elsewhere / "content", ignore=shutil.ignore_patterns("pages"))
    minutes = str(environment / "bin" / "minutes")
    helped = subprocess.run([minutes, "import", "moderngov", "--help"], cwd=elsewhere, capture_output=True, text=True)
    assert helped.returncode == 0, helped.stderr
    assert "--site" in helped.stdout and "--offline" in helped.stdout
    validated = subprocess.run([minutes, "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "2 meeting(s) checked: 0 error(s), 0 warning(s)" in validated.stdout + validated.stderr
