"""`make test`: the whole suite as two pytest processes side by side, one per core.

- *main*: every test except the schemathesis runs, on ``TEST_DATABASE_NAME`` (the database the Celery worker
  of `.ci/run` points at: the worker and browser tests run here). Its output streams live.
- *fuzz*: the ``test_*_fuzz.py`` modules (marked ``fuzz``), on ``<TEST_DATABASE_NAME>_fuzz``. Its output is
  kept in ``.run/pytest-fuzz.log`` and printed, whole, after the main process's.

Extra arguments (``make test PYTEST_ARGS=...``) go to both, so they should be options (``-x``,
``--durations=20``); to run chosen tests, call ``.venv/bin/pytest <paths>`` directly. Either process failing
fails the run; a fuzz process that selects nothing (``-k`` matching no fuzz test) does not.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_GLOB = "test_*_fuzz.py"
NO_TESTS_COLLECTED = 5


def _pytest(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", *args]


def main(extra: list[str]) -> int:
    fuzz_modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob(FUZZ_GLOB))
    log = ROOT / ".run" / "pytest-fuzz.log"
    log.parent.mkdir(exist_ok=True)
    fuzz_env = {**os.environ}
    # The main process keeps TEST_DATABASE_NAME (SQLite test databases are per process anyway).
    fuzz_env["TEST_DATABASE_NAME"] = os.environ.get("TEST_DATABASE_NAME", "test_wholesalehub") + "_fuzz"

    with log.open("w") as out:
        fuzz = subprocess.Popen(
            _pytest("-m", "fuzz", *extra, *fuzz_modules),
            cwd=ROOT,
            env=fuzz_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        # The hypothesis plugin is only needed where hypothesis runs; without it this process never imports
        # hypothesis (nor, by -p no:schemathesis in the addopts and the ignored modules, schemathesis).
        main_status = subprocess.call(
            _pytest(f"--ignore-glob=*/{FUZZ_GLOB}", "-p", "no:hypothesispytest", *extra), cwd=ROOT
        )
        if fuzz.poll() is None:
            print("\n(the main process is done; waiting for the fuzz process)", flush=True)
        fuzz_status = fuzz.wait()

    print(f"\n{'=' * 30} fuzz process ({' '.join(fuzz_modules)}) {'=' * 30}", flush=True)
    print(log.read_text(), flush=True)
    if fuzz_status == NO_TESTS_COLLECTED:
        fuzz_status = 0
    print(f"main process: exit {main_status}; fuzz process: exit {fuzz_status}", flush=True)
    return main_status or fuzz_status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
