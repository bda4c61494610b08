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


def test_every_table_scrolls_in_its_own_frame():
    """A table outside a ``.table-wrap`` (a sideways scroll of its own) made the whole page scroll sideways on
    a phone: the operator's sub-partner set-ups ran to 573 px at 390; the indirect providers' set-up requests
    had no frame either."""
    import re

    bare = []
    for template in [*ROOT.glob("apps/*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]:
        text = template.read_text()
        for table in re.finditer(r"<table\b", text):
            opened = text[: table.start()]
            if opened.rfind('class="table-wrap"') <= opened.rfind("</table>"):
                bare.append(f"{template.relative_to(ROOT)}:{opened.count(chr(10)) + 1}")
    assert bare == []
