"""The templates pass djLint's linter and are in its format (configured in pyproject.toml; `make format`
applies it), which `make lint` checks too; before this check 52 findings stood (headings run into the next
tag, an orphan tag) and 109 templates were not in the format."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_templates_pass_djlint():
    result = subprocess.run(
        [sys.executable, "-m", "djlint", "apps", "templates", "--lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_templates_are_in_djlint_format():
    result = subprocess.run(
        [sys.executable, "-m", "djlint", "apps", "templates", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_make_lint_runs_djlint():
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "djlint apps templates --lint" in lint and "djlint apps templates --check" in lint
