"""Two builds of the same commit, in different folders and time zones, give byte-identical sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import ROOT, run_build

EPOCH = "1700000000"


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.site
def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first, site_a = run_build(ROOT / "content", tmp_path / "a", {"SOURCE_DATE_EPOCH": EPOCH, "TZ": "UTC"})
    second, site_b = run_build(
        ROOT / "content", tmp_path / "elsewhere" / "b", {"SOURCE_DATE_EPOCH": EPOCH, "TZ": "Pacific/Auckland"}
    )
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    a, b = tree(site_a), tree(site_b)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
    # The search index, feeds and sitemap are part of what must match.
    assert any(name.startswith("pagefind/") for name in a)
    assert "feeds/meetings.xml" in a and "sitemap.xml.gz" in a
