"""Start-up time of `coder --help` against `python -c pass`, as JSON.

Run: python benchmarks/startup.py [--runs 21]
Targets (issue 2): median under 300 ms and under 6 x the bare interpreter.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time


def median_ms(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    script = shutil.which("coder")
    coder = [script, "--help"] if script else [sys.executable, "-m", "coder", "--help"]
    baseline = median_ms([sys.executable, "-c", "pass"], args.runs)
    help_ms = median_ms(coder, args.runs)
    ratio = help_ms / baseline
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "runs": args.runs,
                "command": " ".join(coder),
                "python_pass_ms": round(baseline, 1),
                "coder_help_ms": round(help_ms, 1),
                "ratio": round(ratio, 2),
                "targets": {"under_300ms": help_ms < 300, "ratio_under_6": ratio < 6},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
