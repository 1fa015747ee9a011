"""Hypothesis profiles for the property tests, chosen with HYPOTHESIS_PROFILE.

- `default` (the regular suite): a bounded budget, so all property tests together stay well
  under a minute on a two-core machine.
- `long` (before resolving a change to handlers or services): at least 100,000 examples across
  the tests, no deadline; run it alone: `HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest
  tests/property -q --hypothesis-show-statistics`.

`HYPOTHESIS_MAX_EXAMPLES=N` sets another number of examples per test for one run (with either
profile), to explore or to fit a time budget.

No example database is written (`database=None`): nothing lands in the repository, and every
run starts from the seeds of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.property.world import TALLY, Shared, Template, build_template, run

#: examples per test in the default profile (6 tests: 3 roles x 2 messengers)
DEFAULT_EXAMPLES = 100
#: examples per test in the long profile: 6 x 16,700 > 100,000
LONG_EXAMPLES = 16_700

_COMMON = settings(
    database=None,
    deadline=None,
    print_blob=True,
    # the autouse fixtures of tests/conftest.py (no internet, clean environment) are function
    # scoped; they guard the whole test and hold no per-example state
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("default", _COMMON, max_examples=DEFAULT_EXAMPLES)
settings.register_profile("long", _COMMON, max_examples=LONG_EXAMPLES)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
_EXAMPLES = os.environ.get("HYPOTHESIS_MAX_EXAMPLES")  # a one-off budget per test, to explore
if _EXAMPLES:
    settings.register_profile(
        f"{_PROFILE}-{_EXAMPLES}", settings.get_profile(_PROFILE), max_examples=int(_EXAMPLES)
    )
    settings.load_profile(f"{_PROFILE}-{_EXAMPLES}")
else:
    settings.load_profile(_PROFILE)
#: how the terminal summary names this run's budget
LABEL = f"{_PROFILE} profile" + (f", {_EXAMPLES} examples per test" if _EXAMPLES else "")


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shared, Template]]:
    """The translator, registry and template database every property test starts from."""
    folder: Path = tmp_path_factory.mktemp("property")
    shared = Shared(folder)
    yield shared, run(build_template(shared))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY["examples"]:
        terminalreporter.write_line(
            f"property tests ({LABEL}): {TALLY['examples']:,} examples, "
            f"{TALLY['events']:,} events ({TALLY['presses']:,} button presses), "
            f"{TALLY['dropped']:,} updates the runtimes drop"
        )
