"""Long work says how far it is; short work says nothing (core.progress)."""

import io

from whosaidwhat.core.progress import progress


class _Log(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_a_long_run_off_a_terminal_prints_a_plain_line_per_tenth_with_counts_and_time_left():
    log = _Log()
    assert list(progress(range(100), 100, "build", stream=log, delay=0)) == list(range(100))
    lines = log.getvalue().splitlines()
    assert len(lines) == 10 and lines[0].startswith("build: 10/100 (") and "s left)" in lines[0]
    assert lines[-1].startswith("build: 100/100")


def test_a_short_run_prints_nothing():
    log = _Log()
    assert list(progress(range(100), 100, "build", stream=log)) == list(range(100))
    assert log.getvalue() == ""
