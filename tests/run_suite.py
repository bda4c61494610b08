"""`make test`: the whole suite as two pytest processes side by side, one per core, sharing the work.

Both processes collect the suite and take its pieces from one ordered list as they become free
(``tests/split.py``), so they finish together whatever the tests cost:

- *main*: on ``TEST_DATABASE_NAME`` (the database the Celery worker of `.ci/run` points at), runs the worker
  tests first, then takes pieces. It does not collect the schemathesis modules (``test_*_fuzz.py``) and never
  imports hypothesis. Its output streams live.
- *second*: on ``<TEST_DATABASE_NAME>_b``, runs the schemathesis modules (marked ``fuzz``) first, then takes
  pieces. Its output is kept in ``.run/pytest-second.log`` and printed, whole, after the main process's.

Extra arguments (``make test PYTEST_ARGS=...``) go to both, so they should be options (``-x``,
``--durations=20``); to run chosen tests, call ``.venv/bin/pytest <paths>`` directly. Either process failing
fails the run, and so does a piece of the suite that neither process ran.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
FUZZ_GLOB = "test_*_fuzz.py"
NO_TESTS_COLLECTED = 5


SECOND_CACHE_DB = 2  # the main process's cache keeps REDIS_URL's database; Celery's broker uses 1 in CI


def own_cache(redis_url: str, db: int) -> str:
    """REDIS_URL on another database of the same server: each process's cache (login rate limits, which the
    tests clear) is its own, as its test database is."""
    return urlunsplit(urlsplit(redis_url)._replace(path=f"/{db}"))


def _pytest(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "tests.split", *args]


def check_split(folder: Path) -> str | None:
    """Why the two processes' shares do not add up to the suite, or None when they do."""
    plans = {}
    for role in ("main", "second"):
        path = folder / f"plan-{role}.json"
        if not path.exists():
            return f"the {role} process wrote no plan"
        plans[role] = json.loads(path.read_text())
    if plans["main"]["digest"] != plans["second"]["digest"]:
        return f"the two processes collected different tests: {plans}"
    claimed = len(list(folder.glob("chunk-*")))
    if claimed != plans["main"]["chunks"]:
        return f"{claimed} of {plans['main']['chunks']} pieces of the suite ran"
    return None


def main(extra: list[str]) -> int:
    log = ROOT / ".run" / "pytest-second.log"
    log.parent.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="split-", dir=log.parent))
    base = os.environ.get("TEST_DATABASE_NAME", "test_wholesalehub")
    env = {**os.environ, "SPLIT_DIR": str(folder)}
    # The main process keeps TEST_DATABASE_NAME (SQLite test databases are per process anyway).
    main_env = {**env, "SPLIT_ROLE": "main"}
    second_env = {**env, "SPLIT_ROLE": "second", "TEST_DATABASE_NAME": f"{base}_b"}
    if os.environ.get("REDIS_URL"):
        second_env["REDIS_URL"] = own_cache(os.environ["REDIS_URL"], SECOND_CACHE_DB)
    try:
        with log.open("w") as out:
            second = subprocess.Popen(
                _pytest(*extra), cwd=ROOT, env=second_env, stdout=out, stderr=subprocess.STDOUT
            )
            # The hypothesis plugin is only needed where hypothesis runs; without it this process never
            # imports hypothesis (nor, by -p no:schemathesis in the addopts and the ignored modules,
            # schemathesis).
            main_status = subprocess.call(
                _pytest(f"--ignore-glob=*/{FUZZ_GLOB}", "-p", "no:hypothesispytest", *extra),
                cwd=ROOT,
                env=main_env,
            )
            if second.poll() is None:
                print("\n(the main process is done; waiting for the second process)", flush=True)
            second_status = second.wait()

        print(f"\n{'=' * 30} second process {'=' * 30}", flush=True)
        print(log.read_text(), flush=True)
        print(f"main process: exit {main_status}; second process: exit {second_status}", flush=True)
        if main_status == second_status == NO_TESTS_COLLECTED:
            return NO_TESTS_COLLECTED
        # One process with nothing to run (``-k`` matching only schemathesis tests) is not a failure.
        status = next((s for s in (main_status, second_status) if s not in (0, NO_TESTS_COLLECTED)), 0)
        if status == 0 and (problem := check_split(folder)):
            print(f"The suite was not run whole: {problem}", flush=True)
            status = 1
        return status
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
