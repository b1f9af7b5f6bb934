import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


def pytest_terminal_summary(terminalreporter):
    """Lines the suite wants on the record whatever the verbosity (e.g. how
    many shared-table cases were left out, and why)."""
    for line in harness.REPORT:
        terminalreporter.write_line(line)
