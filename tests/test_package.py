"""The package itself: a fast, lazy import, a public API that resolves, and what a user installs.

The slow tests do a plain, non-editable ``pip install .`` into a new venv: what the library reads
at run time (the report notebook, its vendored assets, the rule data, ``py.typed``) must ship in
the wheel, not only in this checkout. Offline: the new venv sees this venv's third-party packages
through a ``.pth`` line (not ``--system-site-packages``, which would also show the editable
checkout), and pip builds without isolation, index or downloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

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


# ----------------------------------------------------------------------------- installed
SAMPLE = ROOT / "data" / "articles"


def _run(args: list, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    # the dependencies' data files (nbconvert's templates) stay in the prefix they were installed
    # into; a user's own install puts them in theirs
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    out = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                         timeout=timeout, check=False, env=env)
    assert out.returncode == 0, f"{args[:4]} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new venv with the package installed from a copy of the source (no build files here)."""
    tmp = tmp_path_factory.mktemp("pkg")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "analysis", src / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    new_site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         cwd=tmp).stdout.strip())
    (new_site / "_deps_from_dev_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # the build backend is this venv's setuptools (pyproject's lower bound), not ensurepip's older one
    for old in new_site.glob("setuptools*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    _run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
          "--quiet", str(src)], cwd=tmp)
    return python


@pytest.mark.slow
def test_installed_package_is_the_wheel_not_the_checkout(installed):
    out = _run([installed, "-c", "import analysis, importlib.resources as r; "
                "print(analysis.__file__); print(r.files('analysis').joinpath('py.typed').is_file())"],
               cwd=installed.parents[2])
    where, typed = out.stdout.split()
    assert str(ROOT) not in where and "site-packages" in where
    assert typed == "True"


@pytest.mark.slow
def test_report_renders_from_the_installed_package(installed):
    import analysis as an

    title = an.load_articles(SAMPLE)["title"].iloc[0]
    out_html = installed.parents[2] / "out" / "report.html"
    _run([installed, "-m", "analysis", "report", SAMPLE, "-o", out_html, "--no-progress"],
         cwd=installed.parents[2])
    assert out_html.is_file()
    html = out_html.read_text(encoding="utf-8")
    assert title in html
    assert "<script src=\"http" not in html  # the assets came from the package, inlined


@pytest.mark.slow
def test_every_data_file_of_the_source_is_in_the_wheel(installed):
    """A rule table left out of package-data breaks the installed package only (it did once)."""
    out = _run([installed, "-c", "import analysis, pathlib; print(pathlib.Path(analysis.__file__).parent)"],
               cwd=installed.parents[2])
    site = Path(out.stdout.strip())

    def data_files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
                and ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".py.typed")
                and p.name != "90-report.py"}  # the notebook's jupytext twin is not shipped

    missing = sorted(data_files(ROOT / "analysis") - data_files(site))
    assert missing == []
