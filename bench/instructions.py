#!/usr/bin/env python3
"""Instructions per agent-month of the monthly step, counted by Callgrind: a figure that does not
depend on what else the machine is doing (bench/README.md, "Instructions").

    python3 bench/instructions.py                                  # national_2016 and national_2019_2021
    python3 bench/instructions.py --build build --baseline /work/old/build -o out.json

Wall-clock figures on a shared machine move by tens of percent with the load; the number of
instructions a run executes does not (the same binary, scenario, seed and population give the
same count to a few parts per million). It is not a speed: memory stalls and instruction-level
parallelism decide how long those instructions take. But a change to the hot path that removes
instructions, or adds them, shows here exactly, and two builds can be compared on a busy
machine. Each scenario runs `bench_step` on one thread with a small population under
`valgrind --tool=callgrind` (about 50 times slower than native) and reports the instructions of
the step per agent-month, split into the per-agent rules pass, the stock count and the rest.
Since the stocks were counted in the rules pass (each month's stocks in the next month's pass),
the stock count is the one counting pass after the last month, spread over the months; against
a build from before, its column holds the monthly pass it replaced.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {"national_2016": 12, "national_2019_2021": 36}  # scenario: months stepped, as bench/suite.py
#: The parts reported: name -> the function whose inclusive count it is (callgrind_annotate's names).
PARTS = {
    "step": r"skillsim::ReplicateState::step\(\)",
    "rules_pass": r"skillsim::apply_monthly_rules\(",
    "stock_count": r"skillsim::count_stocks\(skillsim::Population const&, unsigned long, unsigned long\) \[",
}


def inclusive_counts(profile: Path) -> dict[str, int]:
    """The inclusive instruction count of each part, from callgrind_annotate's listing."""
    listing = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(profile)],
                             capture_output=True, text=True, check=True).stdout
    counts: dict[str, int] = {}
    for line in listing.splitlines():
        match = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+\S*?:(.*)", line)
        if not match:
            continue
        count, function = int(match.group(1).replace(",", "")), match.group(2)
        for part, pattern in PARTS.items():
            if part not in counts and re.search(pattern, function):
                counts[part] = count
    missing = [part for part in PARTS if part not in counts]
    if missing:
        raise SystemExit(f"bench/instructions.py: {profile}: no {', '.join(missing)} in the profile "
                         "(a build without the symbols, or a renamed function: see PARTS)")
    return counts


def measure(bench_step: Path, scenario: str, months: int, agents: int) -> dict:
    """One Callgrind run of bench_step: instructions per agent-month of each part."""
    with tempfile.TemporaryDirectory() as scratch:
        profile = Path(scratch) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={profile}", str(bench_step),
                   "--scenario", str(ROOT / "scenarios" / f"{scenario}.toml"), "--threads", "1",
                   "--agents", str(agents), "--months", str(months)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench/instructions.py: {' '.join(command)} failed ({done.returncode}):\n"
                             f"{done.stderr.strip()[-2000:]}")
        run = json.loads(done.stdout.strip().splitlines()[-1])
        counts = inclusive_counts(profile)
    agent_months = run["agents"] * months
    per = {part: counts[part] / agent_months for part in PARTS}
    per["rest_of_step"] = per["step"] - per["rules_pass"]
    per["month"] = per["step"] + per["stock_count"]  # the steps, and the counting pass(es) of the stocks
    return {"scenario": scenario, "agents": run["agents"], "months": months, "agent_months": agent_months,
            "instructions": counts, "per_agent_month": per}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/instructions.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="build directory with bin/bench_step")
    parser.add_argument("--baseline", type=Path, help="another build directory to compare with (its bin/bench_step)")
    parser.add_argument("--agents", type=int, default=300_000, help="population (default 300,000)")
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                        help="scenario to measure (repeatable; default both)")
    parser.add_argument("-o", "--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    for tool in ("valgrind", "callgrind_annotate"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench/instructions.py: needs {tool} (Debian package valgrind)")
    builds = {"build": args.build} | ({"baseline": args.baseline} if args.baseline else {})
    for name, directory in builds.items():
        if not (directory / "bin" / "bench_step").is_file():
            raise SystemExit(f"bench/instructions.py: --{name} {directory}: no bin/bench_step there "
                             "(BUILD_TARGET=bench_step bash scripts/build.sh DIR)")
    results: dict[str, list[dict]] = {name: [] for name in builds}
    print(f"{'scenario':<20} {'build':<9} {'month':>8} {'step':>8} {'rules pass':>11} {'rest of step':>13} "
          f"{'stock count':>12}   (instructions per agent-month)")
    for scenario in args.scenario or list(SCENARIOS):
        for name, directory in builds.items():
            figures = measure(directory / "bin" / "bench_step", scenario, SCENARIOS[scenario], args.agents)
            results[name].append(figures)
            per = figures["per_agent_month"]
            print(f"{scenario:<20} {name:<9} {per['month']:8.1f} {per['step']:8.1f} {per['rules_pass']:11.1f} "
                  f"{per['rest_of_step']:13.1f} {per['stock_count']:12.1f}", flush=True)
        if args.baseline:
            new, old = results["build"][-1]["per_agent_month"], results["baseline"][-1]["per_agent_month"]
            ratio = {part: new[part] / old[part] for part in new}
            print(f"{scenario:<20} {'ratio':<9} {ratio['month']:8.3f} {ratio['step']:8.3f} {ratio['rules_pass']:11.3f} "
                  f"{ratio['rest_of_step']:13.3f} {ratio['stock_count']:12.3f}")
    if args.output:
        args.output.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
