"""Rules of DESIGN.md that code can check, over every module under apps/: ``Model.objects`` appears only in
selectors, services, models and migrations; Celery tasks are a thin front door that calls services; and the
apps are one-way layers (the import-linter contract of ``make lint``, shown here to catch a violation)."""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"

MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
# Where the ORM may be reached: a module of this name, or any module of a package of this name.
ORM_LAYERS = {"models", "selectors", "services"}
TASK_DECORATORS = {"shared_task", "task", "periodic_task"}


def _python_files(root: Path):
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts and ".venv" not in p.parts)


def _layer_names(path: Path) -> set[str]:
    """The names that place a module: its own stem and the packages it sits in, below its app."""
    relative = path.relative_to(APPS)
    return {path.stem, *relative.parts[1:-1]}


def front_door_modules() -> list[Path]:
    """Every module that is not a model, selector or service module (views, API, forms, URL confs, template
    tags, tasks, commands, wizards, the hub's shell, helpers): none may reach the ORM itself."""
    return [p for p in _python_files(APPS) if not _layer_names(p) & ORM_LAYERS]


def task_modules() -> list[Path]:
    return [p for p in _python_files(APPS) if "tasks" in _layer_names(p)]


def manager_uses(source: str) -> list[tuple[int, str]]:
    """(line, expression) of every ``<something>.objects`` / ``._default_manager`` / ``._base_manager``."""
    return [
        (node.lineno, ast.unparse(node))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES
    ]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_checker_sees_managers_and_nothing_else():
    source = "User.objects.filter(x=1)\nM._default_manager.all()\nform.customer_objects\nobjects = 1\n"
    assert [line for line, _ in manager_uses(source)] == [1, 2]


def test_the_scans_find_the_modules():
    names = {_rel(p) for p in front_door_modules()}
    assert {"apps/accounts/views.py", "apps/accounts/api/views.py", "apps/partners/urls.py"} <= names
    assert {"apps/provisioning/setup/state.py", "apps/subscribers/api/serializers.py"} <= names
    assert not names & {"apps/subscribers/services/holders.py", "apps/subscribers/selectors/workspaces.py"}
    assert "apps/accounts/tasks.py" in {_rel(p) for p in task_modules()}


def test_every_module_is_either_orm_layer_or_checked():
    every = {_rel(p) for p in _python_files(APPS)}
    orm = {_rel(p) for p in _python_files(APPS) if _layer_names(p) & ORM_LAYERS}
    assert every == orm | {_rel(p) for p in front_door_modules()}


@pytest.mark.parametrize("path", front_door_modules(), ids=_rel)
def test_no_model_manager_in_front_doors(path):
    uses = manager_uses(path.read_text())
    assert not uses, (
        f"{_rel(path)} reaches the ORM directly ({', '.join(f'line {n}: {e}' for n, e in uses)}): "
        "read through a selector (starting from the scoping selector) or write through a service."
    )


def _task_functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in TASK_DECORATORS:
                    yield node


def _service_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names bound to a services module, names bound to a function of one)."""
    modules, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                if alias.name == "services":  # from . import services
                    modules.add(bound)
                elif (node.module or "").rsplit(".", 1)[-1] == "services":  # from .services import x
                    functions.add(bound)
        elif isinstance(node, ast.Import):  # import apps.x.services (as s)
            modules |= {a.asname or a.name for a in node.names if a.name.endswith(".services")}
    return modules, functions


def _calls_a_service(function: ast.AST, modules: set[str], functions: set[str]) -> bool:
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in functions:
            return True
        if isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) in modules:
            return True
    return False


def task_problems(source: str) -> list[str]:
    tree = ast.parse(source)
    problems = [f"line {n}: uses the ORM ({e})" for n, e in manager_uses(source)]
    problems += [
        f"line {node.lineno}: imports from {node.module}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").rsplit(".", 1)[-1] in {"models", "selectors"}
    ]
    modules, functions = _service_names(tree)
    tasks = list(_task_functions(tree))
    if not tasks:
        problems.append("defines no task")
    problems += [
        f"task {t.name} calls no service" for t in tasks if not _calls_a_service(t, modules, functions)
    ]
    return problems


def test_the_task_checker_tells_a_thin_task_from_a_fat_one():
    thin = (
        "from celery import shared_task\nfrom . import services\n"
        "@shared_task(bind=True)\ndef a_task(self, pk):\n    services.thing_do(pk=pk)\n"
    )
    thin_too = "from .services import thing_do\n@app.task\ndef b_task(pk):\n    thing_do(pk=pk)\n"
    fat = (
        "from .models import Thing\n@shared_task\ndef c_task(pk):\n"
        "    Thing.objects.filter(pk=pk).update(done=True)\n"
    )
    assert task_problems(thin) == task_problems(thin_too) == []
    assert len(task_problems(fat)) == 3


@pytest.mark.parametrize("path", task_modules(), ids=_rel)
def test_tasks_only_call_services(path):
    problems = task_problems(path.read_text())
    assert not problems, (
        f"{_rel(path)}: {'; '.join(problems)}. A task takes ids and calls one service that does the work."
    )


# --- the layers -------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("lint-imports") is None and not (ROOT / ".venv/bin/lint-imports").exists(),
    reason="import-linter is not installed",
)
def test_the_import_contract_holds_and_catches_an_upward_import(tmp_path):
    """`make lint` runs the contract; here it runs on the real tree (kept) and on a copy of it where core
    imports an app above it (broken), so a violation cannot pass CI unnoticed."""
    linter = shutil.which("lint-imports") or str(ROOT / ".venv/bin/lint-imports")
    config = ROOT / "pyproject.toml"
    kept = subprocess.run([linter, "--config", str(config)], cwd=ROOT, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    copy = tmp_path / "tree"
    shutil.copytree(APPS, copy / "apps", ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    (copy / "apps/core/ids.py").write_text(
        (copy / "apps/core/ids.py").read_text() + "\nfrom apps.provisioning import services  # noqa\n"
    )
    broken = subprocess.run([linter, "--config", str(config)], cwd=copy, capture_output=True, text=True)
    assert broken.returncode != 0
    assert "apps.core is not allowed to import apps.provisioning" in broken.stdout
