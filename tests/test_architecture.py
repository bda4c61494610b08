"""Rules of DESIGN.md that code can check: ``Model.objects`` appears only in selectors, services and
migrations, and Celery tasks are a thin front door that calls services."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"

MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
# Front-door modules that parse and render; a package of the same name (views/ past ~500 lines) counts too.
FRONT_DOOR_FILES = {"views.py", "serializers.py", "forms.py", "urls.py", "context_processors.py"}
FRONT_DOOR_PACKAGES = {"views", "serializers", "forms", "templatetags"}
TASK_DECORATORS = {"shared_task", "task", "periodic_task"}


def _python_files(root: Path):
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts and ".venv" not in p.parts)


def front_door_modules() -> list[Path]:
    return [
        p
        for p in _python_files(APPS)
        if p.name in FRONT_DOOR_FILES or FRONT_DOOR_PACKAGES & set(p.relative_to(APPS).parts[:-1])
    ]


def task_modules() -> list[Path]:
    return [
        p for p in _python_files(APPS) if p.name == "tasks.py" or "tasks" in p.relative_to(APPS).parts[:-1]
    ]


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
    assert "apps/accounts/tasks.py" in {_rel(p) for p in task_modules()}


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
