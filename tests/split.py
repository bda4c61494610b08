"""A pytest plugin for `make test` (tests/run_suite.py): two processes share one ordered list of tests and
take its pieces as they become free, so both cores stay busy until the end.

Each process collects the same tests (``run_suite`` gives both the same arguments) and sorts them the same
way (``tests/conftest.py``), then cuts the tests that may run anywhere into *chunks*: consecutive tests of
one module, at most ``CHUNK_TESTS`` of them (one for a browser test, which takes seconds). A process first
runs the tests pinned to it, then walks the chunks in order and runs each chunk it claims; a claim is a file
created with ``O_EXCL`` in the shared folder ``SPLIT_DIR``, so each chunk runs in exactly one process. The
order inside a process stays the suite's order (the persona world's tests first), so each builds the world
once.

- Pinned to the ``main`` process: the tests of the real Celery worker (marked ``worker`` or using
  ``celery_worker_live``): `.ci/run`'s worker listens on main's database; and the modules that start Django
  in subprocesses (marked ``subprocesses``: seconds a test, a single piece), which the suite's order would
  otherwise leave last, so that one process waited for the other to finish them.
  And the tests marked ``one_process``, which share what they learn in the process (the persona sweep's axe
  verdicts: split over two processes, each ran axe again on the pages the other had checked). Main's pinned
  tests (about a minute and a half) and second's (the fuzz modules, as long) run first, so the shares of the
  rest even the two out.
- Pinned to the ``second`` process: the schemathesis modules (marked ``fuzz``), which only it collects
  (main never imports hypothesis).

Each process writes ``plan-<role>.json`` (a digest of its shared list and the number of chunks);
``run_suite`` checks that both agree and that every chunk was claimed.
"""

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHUNK_TESTS = 20
ROLES = ("main", "second")


def pinned_to(item: pytest.Item) -> str | None:
    """The process a test must run in, or None when either may run it."""
    if item.get_closest_marker("fuzz"):
        return "second"
    if item.get_closest_marker("one_process"):
        return "main"
    if item.get_closest_marker("worker") or "celery_worker_live" in getattr(item, "fixturenames", ()):
        return "main"
    if item.get_closest_marker("subprocesses"):
        return "main"
    return None


def _heavy(item: pytest.Item) -> bool:
    return item.get_closest_marker("e2e") is not None


def chunks(items: list[pytest.Item], size: int = CHUNK_TESTS) -> list[list[pytest.Item]]:
    """Consecutive tests of one module, at most ``size`` of them (a browser test alone)."""
    out: list[list[pytest.Item]] = []
    for item in items:
        last = out[-1] if out else None
        if (
            last is not None
            and last[-1].path == item.path
            and len(last) < size
            and not _heavy(item)
            and not _heavy(last[-1])
        ):
            last.append(item)
        else:
            out.append([item])
    return out


def claim(folder: Path, index: int) -> bool:
    """True for the one process that creates the chunk's claim file first."""
    try:
        fd = os.open(folder / f"chunk-{index}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as out:
        out.write(str(os.getpid()))
    return True


def plan(items: list[pytest.Item]) -> tuple[list[pytest.Item], list[pytest.Item], list[list[pytest.Item]]]:
    """(tests pinned here, tests shared, the shared tests' chunks) for this process's role."""
    role = os.environ["SPLIT_ROLE"]
    mine = [item for item in items if pinned_to(item) == role]
    shared = [item for item in items if pinned_to(item) is None]
    return mine, shared, chunks(shared)


def _agenda(folder: Path, mine, pieces) -> Iterator[pytest.Item]:
    yield from mine
    for index, piece in enumerate(pieces):
        if claim(folder, index):
            yield from piece


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session):
    """pytest's own loop (``_pytest.main.pytest_runtestloop``) over this process's share of the tests."""
    if session.testsfailed and not session.config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error(s) during collection")
    if session.config.option.collectonly:
        return True
    folder = Path(os.environ["SPLIT_DIR"])
    role = os.environ["SPLIT_ROLE"]
    mine, shared, pieces = plan(session.items)
    digest = hashlib.sha256("\n".join(item.nodeid for item in shared).encode()).hexdigest()
    (folder / f"plan-{role}.json").write_text(
        json.dumps({"digest": digest, "chunks": len(pieces), "pinned": len(mine), "shared": len(shared)})
    )
    ran = 0
    agenda = _agenda(folder, mine, pieces)
    item = next(agenda, None)
    while item is not None:
        # The next test is known before this one runs (claimed ahead), so that fixtures of a wider scope
        # are torn down only when nothing in this process needs them any more.
        following = next(agenda, None)
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        ran += 1
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        if session.shouldstop:
            raise session.Interrupted(session.shouldstop)
        item = following
    session.config.stash[_RAN] = (ran, len(mine), len(shared))
    return True


_RAN = pytest.StashKey[tuple[int, int, int]]()


def pytest_terminal_summary(terminalreporter, config) -> None:
    ran = config.stash.get(_RAN, None)
    if ran is not None:
        terminalreporter.write_line(
            f"{os.environ['SPLIT_ROLE']} process: ran {ran[0]} tests ({ran[1]} pinned to it, the rest "
            f"claimed from {ran[2]} shared by both processes)"
        )
