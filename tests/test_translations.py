"""French beside English (issue 12, item 12): every string a person reads is marked for translation, every
catalog is complete and compiled, and the catalogs hold every marked string.

The two scanners below are the "is it marked?" half: a template's visible text and readable attributes must
sit inside ``{% translate %}``/``{% blocktranslate %}``, and Python strings that reach a page (flash messages,
form labels and help, validation errors) must go through gettext. The API keeps English (``/v1/`` answers in
English whatever the request asks), so API modules are not scanned."""

import ast
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(
    [*ROOT.glob("apps/*/locale/fr/LC_MESSAGES/django.po"), ROOT / "locale/fr/LC_MESSAGES/django.po"]
)
TEMPLATES = sorted([*ROOT.glob("apps/*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")])

# Words that are the same in every language: product and protocol names, units and codes.
NOT_TRANSLATED = {
    "Wholesale Hub", "Webex", "WH", "CSV", "API", "SCIM", "PSTN", "SSO", "DNS", "TXT", "URL", "ID", "OK",
    "E.164", "HTTP", "JSON", "PDF", "PNG", "SVG", "UTC", "e.g.", "Bearer", "Control Hub", "Partner Hub",
}  # fmt: skip
READABLE_ATTRIBUTES = (
    "title", "placeholder", "aria-label", "alt", "aria-description", "data-confirm", "data-confirm-title",
    "data-confirm-action", "data-confirm-label", "hx-confirm", "data-copied", "data-label",
)  # fmt: skip

_SKIPPED_BLOCKS = re.compile(
    r"\{#.*?#\}|\{% *comment *%\}.*?\{% *endcomment *%\}"
    r"|\{% *blocktrans(?:late)?\b.*?%\}.*?\{% *endblocktrans(?:late)? *%\}"
    r"|<script\b.*?</script>|<style\b.*?</style>",
    re.S,
)
_TEMPLATE_TAGS = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _readable(text: str) -> bool:
    """Does this text carry words a person reads (not only punctuation, numbers and fixed names)?"""
    rest = text
    for name in sorted(NOT_TRANSLATED, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return bool(_LETTERS.search(rest))


class _UnmarkedText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        if _readable(data):
            self.found.append(data.strip())

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in READABLE_ATTRIBUTES and value and _readable(value):
                self.found.append(f'{name}="{value.strip()}"')


def unmarked_template_text(source: str) -> list[str]:
    """The readable text of a template that no translate tag wraps."""
    plain = _TEMPLATE_TAGS.sub(" ", _SKIPPED_BLOCKS.sub(" ", source))
    parser = _UnmarkedText()
    parser.feed(plain)
    parser.close()
    return parser.found


def _is_plain_string(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and _readable(node.value)) or (
        isinstance(node, ast.JoinedStr)
        and any(isinstance(v, ast.Constant) and _readable(str(v.value)) for v in node.values)
    )


_MESSAGE_LEVELS = {"success", "error", "info", "warning", "debug"}
_READABLE_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}


def unmarked_python_strings(source: str) -> list[tuple[int, str]]:
    """Literal strings reaching a person without gettext: flash messages, form labels and help texts, model
    field names, validation errors and form errors added by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        candidates: list[ast.AST] = []
        if owner == "messages" and name in _MESSAGE_LEVELS and len(node.args) >= 2:
            candidates.append(node.args[1])
        if name == "ValidationError" and node.args:
            candidates.append(node.args[0])
        if name == "add_error" and len(node.args) >= 2:
            candidates.append(node.args[1])
        candidates += [kw.value for kw in node.keywords if kw.arg in _READABLE_KEYWORDS]
        found += [(c.lineno, ast.unparse(c)[:80]) for c in candidates if _is_plain_string(c)]
    return found


def _python_modules() -> list[Path]:
    modules = []
    for path in sorted(ROOT.glob("apps/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "api" in parts or path.name in {"api.py", "serializers.py"}:
            continue
        modules.append(path)
    return modules


def test_the_scanners_find_unmarked_strings():
    assert unmarked_template_text('<p>Hello {{ name }}</p><a title="Open it">{% translate "Go" %}</a>') == [
        "Hello",
        'title="Open it"',
    ]
    assert (
        unmarked_template_text("{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}<b>Webex · CSV</b>")
        == []
    )
    bad = 'messages.success(request, f"Saved {x}.")\nmessages.error(request, _("No."))\nf = F(label="Name")'
    assert [line for line, _ in unmarked_python_strings(bad)] == [1, 3]


def test_every_template_string_is_marked_for_translation():
    unmarked = {}
    for path in TEMPLATES:
        found = unmarked_template_text(path.read_text())
        if found:
            unmarked[str(path.relative_to(ROOT))] = found[:5]
    assert unmarked == {}


def test_every_python_string_a_person_reads_is_marked_for_translation():
    unmarked = {}
    for path in _python_modules():
        found = unmarked_python_strings(path.read_text())
        if found:
            unmarked[str(path.relative_to(ROOT))] = found[:5]
    assert unmarked == {}


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_entry_is_translated_with_its_placeholders(catalog):
    assert catalog.exists(), "run `make messages`"
    problems = []
    for entry in polib.pofile(str(catalog)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags or not entry.translated():
            problems.append(f"untranslated: {entry.msgid[:60]}")
            continue
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"placeholders differ: {entry.msgid[:60]}")
    assert problems == []


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_is_compiled(catalog):
    compiled = catalog.with_suffix(".mo")
    assert compiled.exists(), "run `make messages`"

    def pairs(entries):
        return {
            (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in entries if e.msgid
        }

    assert pairs(polib.mofile(str(compiled))) == pairs(
        e for e in polib.pofile(str(catalog)) if e.translated()
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="extracting messages needs GNU gettext")
def test_the_catalogs_hold_every_marked_string(tmp_path):
    """`make messages` on a copy of the code adds nothing the committed catalogs lack."""
    for name in ("apps", "templates", "config", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = {}
    for extracted in tmp_path.glob("**/locale/fr/LC_MESSAGES/django.po"):
        committed = ROOT / extracted.relative_to(tmp_path)
        known = {e.msgid for e in polib.pofile(str(committed))} if committed.exists() else set()
        new = {e.msgid[:60] for e in polib.pofile(str(extracted)) if e.msgid not in known}
        if new:
            missing[str(committed.relative_to(ROOT))] = sorted(new)[:5]
    assert missing == {}, "run `make messages` and translate"


def test_what_a_french_reader_gets_is_what_our_catalogs_say():
    """Django merges every catalog and the first source wins (LOCALE_PATHS, then INSTALLED_APPS in order:
    Django's and allauth's own French come before ours). A word two catalogs translate differently reads one
    way on every page: give it a context (``pgettext``, ``{% translate "Remove" context "button" %}``) or
    agree."""
    from django.utils import translation

    answered_otherwise = []
    with translation.override("fr"):
        for catalog in CATALOGS:
            for entry in polib.pofile(str(catalog)):
                if not entry.msgid or entry.msgid_plural or not entry.translated():
                    continue
                got = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if got != entry.msgstr:
                    answered_otherwise.append(f"{catalog.parts[-5]}: {entry.msgid[:40]!r} → {got[:40]!r}")
    assert answered_otherwise == [], "\n".join(answered_otherwise)
