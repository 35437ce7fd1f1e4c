"""The package itself: a fast, lazy import and a public API that resolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import analysis

ROOT = Path(__file__).resolve().parents[1]


def test_import_loads_no_heavy_module():
    code = ("import sys, analysis; heavy = [m for m in ('pandas', 'geopandas', 'matplotlib', 'numpy', "
            "'jieba', 'ahocorasick_rs', 'distributed') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves():
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name


def test_unknown_attribute_is_an_attribute_error():
    try:
        analysis.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_code = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert "make report" in first_code and "make test" in first_code
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
