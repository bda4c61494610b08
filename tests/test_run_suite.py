"""`make test`'s two processes (tests/run_suite.py, tests/split.py): every test runs once, in the process
it is pinned to if any, and a run where the two processes disagree or a piece went missing fails."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.run_suite import check_split

ROOT = Path(__file__).resolve().parents[1]

SUITE = {
    "conftest.py": """
import os, time
from pathlib import Path
def pytest_configure(config):
    for name in ("fuzz", "worker", "e2e", "one_process"):
        config.addinivalue_line("markers", name)
def pytest_collection_finish(session):
    # Both processes start taking pieces together (else the first up may take them all).
    folder = Path(os.environ["SPLIT_DIR"])
    (folder / f"ready-{os.environ['SPLIT_ROLE']}").touch()
    deadline = time.monotonic() + 60
    while len(list(folder.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
""",
    "test_many.py": """
import os, time, pytest
@pytest.mark.parametrize("n", range(45))
def test_unit(n, record):
    time.sleep(0.03)
@pytest.mark.e2e
@pytest.mark.parametrize("n", range(4))
def test_browser(n, record):
    time.sleep(0.1)
""",
    "test_pinned.py": """
import pytest
@pytest.mark.worker
def test_needs_the_worker(record):
    pass
@pytest.mark.fuzz
def test_fuzzes(record):
    pass
@pytest.mark.e2e
@pytest.mark.one_process
@pytest.mark.parametrize("n", range(3))
def test_shares_what_it_learns(n, record):
    pass
""",
}

RECORD = """
import os, pytest
@pytest.fixture
def record(request):
    with open(os.environ["RECORD"], "a") as out:
        out.write(f"{os.environ['SPLIT_ROLE']} {request.node.nodeid}\\n")
"""


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    return _run_two(tmp_path_factory.mktemp("suite"), SUITE)


def _run_two(tmp_path: Path, suite: dict[str, str]) -> tuple[list[tuple[str, str]], Path]:
    for name, text in suite.items():
        (tmp_path / name).write_text(text + (RECORD if name == "conftest.py" else ""))
    folder = tmp_path / "split"
    folder.mkdir()
    record = tmp_path / "record.txt"
    env = {**os.environ, "SPLIT_DIR": str(folder), "RECORD": str(record), "PYTHONPATH": str(ROOT)}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # schemathesis, hypothesis, django: not needed here
    command = [sys.executable, "-m", "pytest", "-p", "tests.split", "-q"]
    command += ["-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, env={**env, "SPLIT_ROLE": role}, stdout=subprocess.PIPE)
        for role in ("main", "second")
    ]
    for process in processes:
        output = process.communicate(timeout=120)[0].decode()
        assert process.returncode == 0, output
    runs = [tuple(line.split(" ", 1)) for line in record.read_text().splitlines()]
    return runs, folder


def test_two_processes_share_the_suite_and_run_each_test_once(two_processes):
    runs, folder = two_processes
    nodeids = [nodeid for _, nodeid in runs]
    assert len(nodeids) == 45 + 4 + 2 + 3 == len(set(nodeids))
    by_role = {role: {nodeid for r, nodeid in runs if r == role} for role in ("main", "second")}
    assert "test_pinned.py::test_needs_the_worker" in by_role["main"]
    assert "test_pinned.py::test_fuzzes" in by_role["second"]
    assert {f"test_pinned.py::test_shares_what_it_learns[{n}]" for n in range(3)} <= by_role["main"]
    # Both took pieces of the shared tests (the browser tests one at a time).
    assert {nodeid for nodeid in by_role["main"] if not nodeid.startswith("test_pinned.py")}
    assert by_role["second"] - {"test_pinned.py::test_fuzzes"}
    assert check_split(folder) is None
    plan = json.loads((folder / "plan-main.json").read_text())
    assert plan == {**plan, "pinned": 1 + 3, "shared": 49, "chunks": 3 + 4}


def test_a_missing_piece_or_a_different_collection_fails_the_run(two_processes):
    _, folder = two_processes
    (folder / "chunk-0").unlink()
    assert check_split(folder) == "6 of 7 pieces of the suite ran"
    plan = json.loads((folder / "plan-second.json").read_text())
    (folder / "plan-second.json").write_text(json.dumps({**plan, "digest": "other"}))
    assert "collected different tests" in check_split(folder)
    (folder / "plan-main.json").unlink()
    assert check_split(folder) == "the main process wrote no plan"


def test_each_process_has_a_cache_database_of_its_own():
    from tests.run_suite import SECOND_CACHE_DB, own_cache

    assert own_cache("redis://127.0.0.1:6379/0", SECOND_CACHE_DB) == "redis://127.0.0.1:6379/2"
    assert own_cache("redis://:secret@cache.example:6380", 2) == "redis://:secret@cache.example:6380/2"
