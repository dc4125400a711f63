"""Print the start-up time of the light commands next to a bare Typer + Rich import.

Run: python benchmarks/startup.py [--repeat N]

Each command runs in a fresh interpreter, so the figures include Python's own
start-up; the baseline `python -c "import typer, rich"` is measured in the same
run, alternating with the commands, because timings on a shared machine drift.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    'python -c "import typer, rich"': [sys.executable, "-c", "import typer, rich"],
    "dcgan-quiz --help": [sys.executable, "-m", "dcgan_quiz", "--help"],
    "dcgan-quiz list": [sys.executable, "-m", "dcgan_quiz", "list"],
    "dcgan-quiz show why-adam": [
        sys.executable,
        "-m",
        "dcgan_quiz",
        "show",
        "why-adam",
    ],
}


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DCGAN_QUIZ_HOME": home}
        for command in COMMANDS.values():  # warm the file cache
            time_once(command, env)
        samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(arguments.repeat):
            for name, command in COMMANDS.items():
                samples[name].append(time_once(command, env))

    baseline = statistics.median(samples[next(iter(COMMANDS))])
    print(f"{'command':<34} {'median ms':>10} {'min ms':>8} {'vs baseline':>12}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:<34} {median * 1000:>10.0f} {min(values) * 1000:>8.0f}"
            f" {median / baseline:>11.2f}x"
        )


if __name__ == "__main__":
    main()
