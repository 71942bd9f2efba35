#!/usr/bin/env python3
"""Sweep throughput and memory: runs per minute of a Jincheng sweep on 1 and 2 MPI ranks (1 thread
each), and the peak memory of each rank for a short and a long sweep (it must not grow with the
number of runs: finished runs go to the journal, not to memory).

Usage: bench/bench_sweep.py [--skillsim build/bin/skillsim] [--runs 200] [--replicates 4]
                            [--rounds 2] [--json out.json]

The 1-rank and 2-rank sweeps are alternated (--rounds times each), since the machine is shared
and noisy: compare the ratio of one round. Each rank runs under /usr/bin/time, which reports its
peak resident memory. Prints a table and one JSON line.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """[sweep]
base = "jincheng_plan_2020_2021"
design = "latin_hypercube"
samples = {runs}
sampling_seed = 7
max_runs = 100000

[vary]
"funds.annual_envelope[upgrading_account]" = {{ low = 30e6, high = 90e6 }}
"labour.job_find_multiplier" = {{ low = 0.8, high = 1.2 }}
"programmes.seats_per_month[key_groups][晋城市]" = {{ low = 1000, high = 5000 }}
"""


def sweep(skillsim, mpiexec, ranks, sweep_file, output, replicates):
    """Runs one sweep; returns (seconds, peak RSS in MB of each rank)."""
    command = ["/usr/bin/time", "-f", "peak_rss_kb %M", skillsim, "sweep", str(sweep_file), "--threads", "1",
               "--replicates", str(replicates), "--quiet", "--force", "-o", str(output)]
    # One rank under mpirun too: mpirun binds each rank to a core, which alone makes a run a few
    # per cent faster; the speedup then measures the ranks, not the binding.
    root = ["--allow-run-as-root"] if os.getuid() == 0 else []
    command = [mpiexec, "-n", str(ranks), "--oversubscribe"] + root + command
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench_sweep: {' '.join(command)} failed:\n{done.stderr}")
    peaks = [int(kb) / 1024 for kb in re.findall(r"peak_rss_kb (\d+)", done.stderr)]
    return seconds, peaks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skillsim", default=str(ROOT / "build" / "bin" / "skillsim"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    mpiexec = shutil.which("mpiexec") or shutil.which("mpirun")
    if not mpiexec:
        sys.exit("bench_sweep: no mpiexec (install openmpi-bin: scripts/install-deps.sh)")
    if not Path("/usr/bin/time").exists():
        sys.exit("bench_sweep: needs /usr/bin/time (Debian package time)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        long_sweep, short_sweep = tmp / "long.toml", tmp / "short.toml"
        long_sweep.write_text(SWEEP.format(runs=args.runs))
        short_sweep.write_text(SWEEP.format(runs=max(args.runs // 10, 4)))
        figures = {"runs": args.runs, "replicates": args.replicates, "rounds": []}
        for r in range(args.rounds):
            one, one_peaks = sweep(args.skillsim, mpiexec, 1, long_sweep, tmp / "one.h5", args.replicates)
            two, two_peaks = sweep(args.skillsim, mpiexec, 2, long_sweep, tmp / "two.h5", args.replicates)
            figures["rounds"].append({
                "one_rank_s": round(one, 2), "two_ranks_s": round(two, 2),
                "one_rank_runs_per_min": round(args.runs / one * 60, 1),
                "two_ranks_runs_per_min": round(args.runs / two * 60, 1),
                "speedup": round(one / two, 3),
                "peak_rss_mb_one_rank": [round(p, 1) for p in one_peaks],
                "peak_rss_mb_two_ranks": [round(p, 1) for p in two_peaks],
            })
        _, short_peaks = sweep(args.skillsim, mpiexec, 1, short_sweep, tmp / "short.h5", args.replicates)
        figures["peak_rss_mb_short_sweep"] = [round(p, 1) for p in short_peaks]
        figures["short_sweep_runs"] = max(args.runs // 10, 4)
        figures["file_mb"] = round((tmp / "one.h5").stat().st_size / 1e6, 1)

    print(f"Jincheng plan sweep: {args.runs} runs x {args.replicates} replicates, 1 thread per rank")
    print(f"{'round':>5} {'1 rank (runs/min)':>18} {'2 ranks (runs/min)':>19} {'speedup':>8} {'peak MB 1 rank':>15}")
    for i, r in enumerate(figures["rounds"]):
        print(f"{i + 1:>5} {r['one_rank_runs_per_min']:>18} {r['two_ranks_runs_per_min']:>19} {r['speedup']:>8}"
              f" {r['peak_rss_mb_one_rank'][0]:>15}")
    print(f"peak memory, {figures['short_sweep_runs']} runs: {figures['peak_rss_mb_short_sweep'][0]} MB; "
          f"{args.runs} runs: {figures['rounds'][-1]['peak_rss_mb_one_rank'][0]} MB; results file {figures['file_mb']} MB")
    line = json.dumps(figures)
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n")


if __name__ == "__main__":
    main()
