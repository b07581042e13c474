"""No test asserts how long something takes: a loaded machine (CI, two test runs at once) would
fail it, and speed is measured by `make bench` on a machine that is quiet. A test pins what makes
code fast instead (a fixed number of queries, work in batches)."""

import re
from pathlib import Path

import hypothesis

ROOT = Path(__file__).resolve().parents[2]
# Reading a stopwatch, or waiting a fixed time for another thread and failing after it.
TIMED = re.compile(
    r"\b(?:time\.(?:monotonic|perf_counter|process_time)(?:_ns)?\(|timeit\b)"
    r"|\.(?:join|wait)\(\s*timeout\s*="
)


def suite_files():
    for path in [*sorted(ROOT.glob("*/tests/**/*.py")), ROOT / "conftest.py"]:
        if not path.parts[len(ROOT.parts)].startswith((".", "node_modules")):
            yield path


def test_no_test_reads_a_stopwatch_or_fails_after_a_fixed_wait():
    timed = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in suite_files()
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TIMED.search(line)
    ]
    assert timed == []


def test_hypothesis_gives_each_example_as_long_as_it_takes():
    assert hypothesis.settings.default.deadline is None
    assert hypothesis.HealthCheck.too_slow in hypothesis.settings.default.suppress_health_check
