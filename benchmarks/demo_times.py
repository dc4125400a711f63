"""Time every demo in quick mode in one process, as `dcgan-quiz verify` runs them.

Prints, per demo, the wall-clock seconds, whether the claim held, the resident
set size (RSS) after the demo and the process's peak RSS so far (ru_maxrss),
then the total. Targets: about 20 s per demo (adam up to 60 s), the whole
verify within 3 minutes, peak RSS below 1.5 GB. The script exits 1 when the
total or the peak misses its target; a slow single demo is only marked.

Run from the repository root:

    python benchmarks/demo_times.py [--seed 0] [--threads N] [--data-dir DIR]

The PNGs go to a temporary folder. ``--threads`` sets torch's intra-op threads
(default: torch's own choice); on a 2-core machine shared with other processes,
one thread is much faster than two.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

PAGE_SIZE = resource.getpagesize()
TARGET_SECONDS = {"adam": 60.0}
DEFAULT_TARGET_SECONDS = 20.0
TARGET_TOTAL_SECONDS = 180.0
TARGET_PEAK_MB = 1536.0


def current_rss_mb() -> float:
    """Return the resident set size now, from /proc/self/statm (Linux only)."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * PAGE_SIZE / 2**20


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the digits cache (default: the dcgan-quiz data folder)",
    )
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    start = time.perf_counter()
    import torch

    from dcgan_quiz.demos.registry import DEMOS
    from dcgan_quiz.paths import resolve_data_dir

    if arguments.threads is not None:
        torch.set_num_threads(arguments.threads)
    data_dir = resolve_data_dir(arguments.data_dir)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"data folder {data_dir}"
    )
    print(f"{'demo':<16} {'seconds':>8} {'holds':>6} {'RSS MB':>8} {'peak MB':>8}")
    demo_seconds = 0.0
    with tempfile.TemporaryDirectory() as out_root:
        for name, demo in DEMOS.items():
            result = demo.run(
                seed=arguments.seed,
                quick=True,
                out_dir=Path(out_root) / name,
                cache_dir=data_dir,
                device="cpu",
            )
            demo_seconds += result.seconds
            target = TARGET_SECONDS.get(name, DEFAULT_TARGET_SECONDS)
            slow = result.seconds > target
            print(
                f"{name:<16} {result.seconds:>8.1f} {str(result.holds):>6} "
                f"{current_rss_mb():>8.0f} {peak_rss_mb():>8.0f}"
                + (f"  (target {target:.0f} s)" if slow else "")
            )
    total = time.perf_counter() - start
    peak = peak_rss_mb()
    print(
        f"verify total: {demo_seconds:.1f} s in demos, {total:.1f} s with imports; "
        f"peak RSS {peak:.0f} MB"
    )
    # Exit 1 when the whole run misses its targets; a single demo over its
    # target is only marked in the table.
    return 0 if total <= TARGET_TOTAL_SECONDS and peak < TARGET_PEAK_MB else 1


if __name__ == "__main__":
    sys.exit(main())
