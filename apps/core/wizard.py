"""The one wizard engine of the consoles (Partner Hub's *Create customer* and *Set up customer*): the steps
and their indicator, where a button leads, and the one way a wizard keeps its state.

A wizard is a few steps ending in a review. Every request posts the step on screen (``step``) and a button
(``nav``): ``next``, ``back``, ``goto:<step>`` (a step of the indicator already reached) or ``create`` (the
finish). Going back, or to a step already passed, shows what was typed, unchecked; going forward checks every
step before the target again (the wizard's own forms and the services' rules), so a stale value sends the
admin back to its step; nothing is written before the finish.

State: a plain dict (JSON-serialisable) in the session, under the wizard's name and a key the wizard picks —
the customer being set up, or a run token a new *Create customer* draws and carries in a hidden input, so
two tabs never mix. It holds the step on screen, the furthest step reached and whatever the wizard keeps (the
typed values, the rows); it survives going back and forth and a reload, and is forgotten at the finish or on
cancel. A session keeps a few runs of a wizard at most (the oldest is dropped).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

SESSION_KEY = "wizards"
RUNS_KEPT = 5
NEXT, BACK, FINISH, CANCEL = "next", "back", "create", "cancel"
GOTO = "goto:"


@dataclass(frozen=True)
class Wizard:
    """A wizard's definition: its name (the session's key) and its steps, in order, as (key, title)."""

    name: str
    steps: tuple[tuple[str, str], ...]

    @property
    def keys(self) -> list[str]:
        return [key for key, _title in self.steps]

    def step_of(self, posted, default: str) -> str:
        """The step a request was posted from (``default`` when it names none)."""
        return posted if posted in self.keys else default

    def target(self, step: str, nav: str, reached: int = 0) -> str | None:
        """Where ``nav`` leads from ``step``; None is the finish. ``goto:`` leads only to a step already
        reached (the indicator's buttons, the review's Edit links): further on, it stays."""
        keys = self.keys
        index = keys.index(step)
        if nav == BACK:
            return keys[max(index - 1, 0)]
        if nav.startswith(GOTO) and nav[len(GOTO) :] in keys:
            wanted = keys.index(nav[len(GOTO) :])
            return keys[wanted] if wanted <= max(index, reached) else step
        if nav == FINISH:
            return None
        return keys[min(index + 1, len(keys) - 1)]

    def goes_back(self, step: str, target: str | None) -> bool:
        """Back, or staying: shown as typed, unchecked. Forward (or the finish) checks the steps before."""
        return target is not None and self.keys.index(target) <= self.keys.index(step)

    def before(self, target: str | None) -> list[str]:
        """The steps to check before showing ``target`` (all of them before the finish)."""
        return self.keys if target is None else self.keys[: self.keys.index(target)]

    def previous(self, step: str) -> str | None:
        index = self.keys.index(step)
        return self.keys[index - 1] if index else None

    def indicator(self, current: str, reached: int) -> list[dict]:
        """The step indicator (components/wizard_steps.html): a step already reached is a button."""
        index = self.keys.index(current)
        return [
            {
                "key": key,
                "number": n + 1,
                "title": title,
                "state": "current" if n == index else ("done" if n < index else "upcoming"),
                "reachable": n != index and n <= reached,
            }
            for n, (key, title) in enumerate(self.steps)
        ]

    # --- the state ------------------------------------------------------------------------------------------

    def load(self, request: HttpRequest, key: str, fresh: Callable[[], dict], valid=None) -> "WizardRun":
        """The run of this wizard under ``key``: its saved state when there is one (and ``valid`` accepts
        it), else ``fresh()``."""
        state = request.session.get(SESSION_KEY, {}).get(self.name, {}).get(key)
        ok = isinstance(state, dict) and state.get("step") in self.keys and (valid is None or valid(state))
        if not ok:
            state = {"step": self.keys[0], "reached": 0, **fresh()}
        return WizardRun(self, request, key, state)

    def new_key(self) -> str:
        """A run token for a wizard that is not about one object (carried by the form as ``run``)."""
        return secrets.token_urlsafe(12)


@dataclass
class WizardRun:
    """One run of a wizard: its state, saved in the session."""

    wizard: Wizard
    request: HttpRequest
    key: str
    state: dict

    @property
    def step(self) -> str:
        return self.state["step"]

    @property
    def reached(self) -> int:
        return int(self.state.get("reached") or 0)

    def show(self, step: str) -> None:
        """The step now on screen (and the furthest reached so far)."""
        self.state["step"] = step
        self.state["reached"] = max(self.reached, self.wizard.keys.index(step))

    def save(self) -> None:
        wizards = dict(self.request.session.get(SESSION_KEY, {}))
        runs = {k: v for k, v in wizards.get(self.wizard.name, {}).items() if k != self.key}
        runs[self.key] = self.state  # the newest last: the oldest runs go first
        wizards[self.wizard.name] = dict(list(runs.items())[-RUNS_KEPT:])
        self.request.session[SESSION_KEY] = wizards

    def forget(self) -> None:
        wizards = dict(self.request.session.get(SESSION_KEY, {}))
        runs = {k: v for k, v in wizards.get(self.wizard.name, {}).items() if k != self.key}
        wizards[self.wizard.name] = runs
        self.request.session[SESSION_KEY] = wizards
