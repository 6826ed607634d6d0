"""schemathesis's own command line, run once for each argument list, all in one process.

``python tests/hostile/schemathesis_runs.py RUNS.json``: ``RUNS.json`` is a list of
``[name, [argument, ...]]``; each list is what ``schemathesis`` would be given on the command
line, and runs exactly as that command does (the same ``click`` entry point, options, checks
and JSON report). Each run's output, on standard output, follows a line ``MARK`` + its name
and ends with its exit code; standard error says as each run ends how long it took, so a long
``make api-check`` that is stopped still tells how far it got.

Why one process: the API check runs schemathesis ten times (every role, anonymous and another
authority) over one schema. Each command started Python, imported schemathesis and
Hypothesis, and built every operation's data strategies again; here the imports happen once
and schemathesis keeps what it caches between runs (its JSON Schema strategies are
``functools.lru_cache``'d). Nothing of a run's result is shared: each writes its own report.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

MARK = "=== schemathesis run: "


def main(runs_file: str) -> None:
    from schemathesis.cli import schemathesis  # here: the test imports MARK without it

    for name, arguments in json.loads(Path(runs_file).read_text()):
        print(f"{MARK}{name}", flush=True)  # noqa: T201 - the parent splits the output here
        started = time.monotonic()
        try:
            code = schemathesis.main(arguments, prog_name="schemathesis", standalone_mode=False)
        except SystemExit as exit_:  # the command ends the run with sys.exit(code)
            code = exit_.code
        print(f"\nexit code {code}", flush=True)  # noqa: T201
        seconds = time.monotonic() - started
        print(f"{name}: exit code {code}, {seconds:.0f} s", file=sys.stderr, flush=True)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
