"""The settings of the gunicorn that the POST and load benchmarks start: production settings (from the
environment) serving the bench floors beside the real routes (``tests.bench.floor``)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.floor"
