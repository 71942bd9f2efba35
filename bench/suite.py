#!/usr/bin/env python3
"""The benchmark suite: one command that builds the benchmarks (Release) and reports, in one run
and one JSON file, the engine's speed against the machine's limits (bench/README.md).

    python3 bench/suite.py                      # the full matrix, about 10 minutes on 2 cores
    python3 bench/suite.py --quick              # 1M and 10M agents only, about 2 minutes
    python3 bench/suite.py --repeat 3 -o out.json --build build

What it measures:
- the memory bandwidth (STREAM triad, bench_triad) on 1 and 2 threads;
- the hot kernels' time per operation (Google Benchmark, bench_kernels);
- agent-months per second of the monthly step (bench_step) for national_2016 (12 months) and
  national_2019_2021 (36 months: programmes, funds and evaluation active) at 1M, 10M, 100M and 200M
  agents on 2 threads, and at 10M on 1 thread;
- per run: peak resident bytes per agent, the columns' bytes per agent, and the share of step
  time in each phase (monthly rules, training, evaluation, other, counting the stocks after the
  last month);
- derived: the 1 -> 2 thread scaling, the cost per agent-month at each size relative to 10M,
  and the engine's fraction of the bandwidth bound: a month reads and writes every agent's
  columns once in the rules pass, which counts the stocks too (one counting pass after the last
  month, not counted here), so it moves at least 2 x (column bytes per agent) bytes per
  agent-month (3 x before the stocks were counted in the pass), and the triad bandwidth divided by
  that is the most agent-months per second memory could feed;
- the NumPy peer of the same rules (bench/numpy_peer.py: national_2016 at 10M agents, one
  thread, without entrants) and the engine's ratio to it;
- the targets of issue 14, each with the measured figure and whether it is met.

Run it with the Python that has the skillsim package (build-venv/bin/python bench/suite.py):
the peer starts from the engine's own population through the package.

With --repeat N the matrix runs N times, each time in the opposite order to the last (the machine
is shared and noisy: alternated runs make ratios fair), and each figure is the median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {"national_2016": 12, "national_2019_2021": 36}  # scenario: months stepped
#: Issue 14's floors of agent-months/s at 10M agents on 2 threads, by scenario (this 2-core machine).
TARGETS_M = {"national_2016": 200e6, "national_2019_2021": 150e6}


def run_json(command: list[str]) -> dict:
    """Runs a benchmark binary and returns its last line, which is JSON."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench/suite.py: {' '.join(command)} failed ({done.returncode}):\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(directory: Path) -> Path:
    for target in ("bench_step", "bench_triad", "bench_kernels"):
        env = dict(os.environ, BUILD_TARGET=target)
        subprocess.run(["bash", str(ROOT / "scripts" / "build.sh"), str(directory)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    return directory / "bin"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/suite.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1M and 10M agents only")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the matrix, alternated (default 1)")
    parser.add_argument("--build", default=str(ROOT / "build-bench"), help="the Release build directory (default build-bench)")
    parser.add_argument("-o", "--output", help="the JSON file (default bench/results/suite-DATE.json)")
    a = parser.parse_args(argv)
    if a.repeat < 1:
        parser.error("--repeat must be at least 1")
    bin_dir = build(Path(a.build))
    sizes = [1_000_000, 10_000_000] + ([] if a.quick else [100_000_000, 200_000_000])
    cells = [(s, n, 2) for s in SCENARIOS for n in sizes] + [(s, 10_000_000, 1) for s in SCENARIOS]

    triad = {t: run_json([str(bin_dir / "bench_triad"), "--threads", str(t)])["triad_gb_per_s"] for t in (1, 2)}
    print(f"triad bandwidth: {triad[1]:.1f} GB/s on 1 thread, {triad[2]:.1f} GB/s on 2")
    runs: dict[tuple, list[dict]] = {c: [] for c in cells}
    peer: list[dict] = []
    try:
        import skillsim  # noqa: F401  (the peer starts from the engine's population, through the package)

        have_package = True
    except ImportError:
        have_package = False
        print("  the NumPy peer needs the skillsim package in this interpreter (build-venv/bin/python bench/suite.py)")
    for r in range(a.repeat):
        if have_package:
            out = run_json([sys.executable, str(ROOT / "bench" / "numpy_peer.py"), "--agents", "10000000", "--months", "12"])
            peer.append(out)
            print(f"  numpy peer           national_2016 10M agents 1 thread:    {out['agent_months_per_s'] / 1e6:6.1f}M agent-months/s")
        for scenario, agents, threads in cells if r % 2 == 0 else list(reversed(cells)):
            months = SCENARIOS[scenario]
            out = run_json([str(bin_dir / "bench_step"), "--agents", str(agents), "--threads", str(threads), "--months",
                            str(months), "--scenario", str(ROOT / "scenarios" / f"{scenario}.toml")])
            out["scenario"] = scenario
            runs[(scenario, agents, threads)].append(out)
            print(f"  {scenario:<20} {agents / 1e6:>5.0f}M agents {threads} thread(s): "
                  f"{out['agent_months_per_s'] / 1e6:6.1f}M agent-months/s, {out['rss_bytes_per_agent']:.1f} bytes/agent")

    def median(scenario: str, agents: int, threads: int, key: str) -> float:
        return statistics.median(run[key] for run in runs[(scenario, agents, threads)])

    derived: dict[str, dict] = {}
    for scenario in SCENARIOS:
        speed10 = median(scenario, 10_000_000, 2, "agent_months_per_s")
        bytes_per_agent_month = 2 * runs[(scenario, 10_000_000, 2)][0]["column_bytes_per_agent"]
        bound = triad[2] * 1e9 / bytes_per_agent_month
        derived[scenario] = {
            "agent_months_per_s_10M_2_threads": speed10,
            "thread_scaling_1_to_2": speed10 / median(scenario, 10_000_000, 1, "agent_months_per_s"),
            "cost_relative_to_10M": {str(n): speed10 / median(scenario, n, 2, "agent_months_per_s") for n in sizes},
            # Peak resident memory grows by whole allocations: read per agent from 10M agents up
            # (at 1M the population fits in memory the process had already touched).
            "rss_bytes_per_agent": {str(n): median(scenario, n, 2, "rss_bytes_per_agent") for n in sizes if n >= 10_000_000},
            "bytes_per_agent_month": bytes_per_agent_month,
            "bandwidth_bound_agent_months_per_s": bound,
            "fraction_of_bandwidth_bound": speed10 / bound,
            "step_shares_10M": {k: median(scenario, 10_000_000, 2, k) for k in
                                ("rules_share", "training_share", "evaluation_share", "other_share", "counting_share")},
        }
    targets = []
    for scenario, floor in TARGETS_M.items():
        d = derived[scenario]
        targets.append({"target": f"{scenario}: at least {floor / 1e6:.0f}M agent-months/s at 10M agents on 2 threads",
                        "measured": d["agent_months_per_s_10M_2_threads"], "met": d["agent_months_per_s_10M_2_threads"] >= floor})
        targets.append({"target": f"{scenario}: thread scaling 1 -> 2 of at least 1.85x", "measured": d["thread_scaling_1_to_2"],
                        "met": d["thread_scaling_1_to_2"] >= 1.85})
        spread = max(d["cost_relative_to_10M"].values()) / min(d["cost_relative_to_10M"].values())
        targets.append({"target": f"{scenario}: cost per agent-month flat within 15% over {', '.join(f'{n // 10**6}M' for n in sizes)}",
                        "measured": spread, "met": spread <= 1.15})
        peak = max(d["rss_bytes_per_agent"].values())
        targets.append({"target": f"{scenario}: at most 22 bytes per agent resident", "measured": peak, "met": peak <= 22})
    if peer:
        ratio = derived["national_2016"]["agent_months_per_s_10M_2_threads"] / statistics.median(p["agent_months_per_s"] for p in peer)
        derived["national_2016"]["ratio_to_numpy_peer"] = ratio
        targets.append({"target": "national_2016: at least 4x the NumPy peer of the same rules (bench/numpy_peer.py, 10M agents)",
                        "measured": ratio, "met": ratio >= 4})
    else:
        targets.append({"target": "at least 4x the NumPy peer of the same rules", "measured": None, "met": None,
                        "note": "not run: the skillsim package is not installed in this interpreter"})

    # The hot kernels (Google Benchmark, bench_kernels.cpp): time per operation, for where the step's time goes.
    done = subprocess.run([str(bin_dir / "bench_kernels"), "--benchmark_format=json", f"--benchmark_repetitions={a.repeat}",
                           "--benchmark_report_aggregates_only=true"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench/suite.py: bench_kernels failed ({done.returncode}):\n{done.stderr.strip()}")
    kernels = {b["run_name"]: {"real_time": b["real_time"], "cpu_time": b["cpu_time"], "time_unit": b["time_unit"],
                               **({"items_per_second": b["items_per_second"]} if "items_per_second" in b else {})}
               for b in json.loads(done.stdout)["benchmarks"] if b.get("aggregate_name", "median") == "median"}
    for name, k in kernels.items():
        print(f"  kernel {name:<32} {k['real_time']:10.3g} {k['time_unit']}")

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    result = {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": {"cpus": os.cpu_count(), "cpu": model},
        "repeat": a.repeat,
        "triad_gb_per_s": {str(k): v for k, v in triad.items()},
        "runs": [run for cell in cells for run in runs[cell]],
        "numpy_peer": peer,
        "kernels": kernels,
        "derived": derived,
        "targets": targets,
    }
    output = Path(a.output) if a.output else ROOT / "bench" / "results" / f"suite-{dt.date.today().isoformat()}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, output)

    print()
    for scenario, d in derived.items():
        print(f"{scenario}: {d['agent_months_per_s_10M_2_threads'] / 1e6:.1f}M agent-months/s at 10M on 2 threads; "
              f"scaling 1 -> 2 threads {d['thread_scaling_1_to_2']:.2f}x; {d['fraction_of_bandwidth_bound']:.1%} of the "
              f"bandwidth bound ({d['bandwidth_bound_agent_months_per_s'] / 1e6:.0f}M at {d['bytes_per_agent_month']} bytes "
              f"per agent-month)")
    print()
    for t in targets:
        verdict = "n/a" if t["met"] is None else "met" if t["met"] else "NOT met"
        m = t["measured"]
        measured = "-" if m is None else f"{m / 1e6:.1f}M" if m > 1e5 else f"{m:.2f}"
        print(f"  [{verdict:>7}] {t['target']}: {measured}")
    print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
