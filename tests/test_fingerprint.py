"""Corpus partitions are fingerprinted by the code and data that made them (issue 9).

A copy of the package is imported in a fresh process; changing one rule-data file in the copy
must change the fingerprint (a fixed version string would not), and an untouched copy must not.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = "from analysis.io.corpus import code_fingerprint; print(code_fingerprint())"


def _fingerprint_of(tree: Path) -> str:
    out = subprocess.run([sys.executable, "-c", CODE], cwd=tree, capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    return out.stdout.strip()


def test_a_changed_rule_file_changes_the_partition_fingerprint(tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(ROOT / "analysis", copy / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = _fingerprint_of(copy)
    assert len(before) == 64
    assert _fingerprint_of(copy) == before  # deterministic: same tree, same digest
    cues = sorted((copy / "analysis" / "timeline" / "data").rglob("*.csv"))[0]
    cues.write_text(cues.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _fingerprint_of(copy) != before
