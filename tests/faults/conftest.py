"""The fault suite runs only when asked for (`make faults`, `-m faults`): it starts a whole stack."""

import pytest


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "faults: the fault suite (make faults): a real stack, faults injected")


def pytest_collection_modifyitems(config, items) -> None:
    if "faults" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="the fault suite runs with `make faults` (-m faults)")
    for item in items:
        if "faults" in item.keywords:
            item.add_marker(skip)
