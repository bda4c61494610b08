"""``config.wsgi`` does at a worker's start what Django leaves to its first requests: the URL names' map
built for the default language, the e-mail validator's expressions compiled."""

import os
import subprocess
import sys

CHECK = """
import config.wsgi
from django.core.validators import EmailValidator
from django.urls import get_resolver
from django.utils.functional import empty
from django.utils.translation import get_language

assert get_language() in get_resolver()._reverse_dict, "reverse map not built"
assert EmailValidator.user_regex._wrapped is not empty, "e-mail expression not compiled"
print("warm")
"""


def test_a_worker_starts_warm():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "warm-" + "k" * 40}
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, env=env)
    assert done.stdout.strip() == "warm", done.stderr[-2000:]
