// The memory bandwidth this machine sustains, measured as STREAM's triad (a[i] = b[i] + s * c[i]
// over arrays far larger than the caches), so the engine's speed can be put against the bound
// its bytes per agent-month allow (bench/suite.py).
//
//   bench_triad [--threads T] [--mib M] [--repeat R]
//
// Defaults: 2 threads, 3 x 512 MiB arrays, best of 10 passes. Prints a table line and one JSON
// line; bytes counted as STREAM counts them (24 per element: two reads, one write).
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {
using Clock = std::chrono::steady_clock;
}

int main(int argc, char** argv) {
  int threads = 2, repeat = 10;
  long long mib = 512;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "bench_triad: %s needs a value\n", a.c_str());
      return 2;
    }
    const char* v = argv[++i];
    if (a == "--threads")
      threads = std::atoi(v);
    else if (a == "--mib")
      mib = std::atoll(v);
    else if (a == "--repeat")
      repeat = std::atoi(v);
    else {
      std::fprintf(stderr, "bench_triad: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (threads < 1 || mib < 1 || repeat < 1) {
    std::fprintf(stderr, "bench_triad: --threads, --mib and --repeat must be at least 1\n");
    return 2;
  }
  omp_set_num_threads(threads);
  const auto n = static_cast<std::ptrdiff_t>(mib * 1024 * 1024 / static_cast<long long>(sizeof(double)));
  const std::unique_ptr<double[]> a(new double[static_cast<std::size_t>(n)]),
      b(new double[static_cast<std::size_t>(n)]), c(new double[static_cast<std::size_t>(n)]);
  // First touch by the threads that will use the pages.
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    a[i] = 0.0;
    b[i] = 1.0;
    c[i] = 2.0;
  }
  const double s = 3.0;
  double best = 1e30;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = Clock::now();
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  if (a[n / 2] != 7.0) return 1; // the result is used, so the loop stays
  const double gb_per_s = 24.0 * static_cast<double>(n) / best / 1e9;
  std::printf("triad               %.1f GB/s on %d thread(s) (3 x %lld MiB, best of %d)\n", gb_per_s, threads, mib,
              repeat);
  std::printf("{\"threads\": %d, \"mib\": %lld, \"triad_gb_per_s\": %.2f}\n", threads, mib, gb_per_s);
  return 0;
}
