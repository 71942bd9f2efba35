// libFuzzer target for the sweep-file reader: arbitrary bytes as a sweep file. The reader may
// only reject input by throwing skillsim::ScenarioError; a file it accepts is then checked
// against a fixed base scenario (the bundled Jincheng plan: regions, funds, programmes and
// evaluators to address rows by name) and, when its design is small, gives its points and has
// them applied. Any other exception escaping, a crash, a hang or a sanitizer report is a bug, and
// so is an accepted file whose design cannot be laid out.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined ... tests/fuzz/fuzz_sweep.cpp
//   ./fuzz_sweep -max_total_time=20 tests/fuzz/corpus_sweep
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/sweep.hpp"
#include "skillsim/io/scenario_toml.hpp"
#include "skillsim/io/sweep_toml.hpp"

namespace {

// Designs with more values than this are checked but not laid out (a file's max_runs may allow
// millions of runs).
constexpr std::int64_t kMaxValues = 4096;

const skillsim::Parameters& base() {
  static const skillsim::Scenario scenario = skillsim::io::load_scenario(SKILLSIM_FUZZ_BASE);
  return scenario.parameters();
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_sweep: %s\n", what);
  std::abort();
}

// A value the parameter refuses (say a probability of 2) is the parameters' checks to judge.
void apply(skillsim::Parameters& p, const skillsim::SweepTarget& target, double value) {
  try {
    skillsim::apply_sweep_value(p, target, value);
  } catch (const skillsim::Error&) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)skillsim::io::is_sweep_text(input);

  skillsim::io::SweepFile sweep;
  try {
    sweep = skillsim::io::parse_sweep(input, "fuzz_sweep.toml");
  } catch (const skillsim::ScenarioError& e) {
    if (e.diagnostics().empty()) fail("a ScenarioError without a problem");
    return 0;
  }
  const skillsim::SweepSpec& spec = sweep.spec;
  if (sweep.axis_positions.size() != spec.axes.size()) fail("an axis without its place in the file");
  const auto keys = skillsim::io::check_sweep_keys(sweep, base());

  // A file that was accepted has points: as many as it says, one value per axis, all finite and,
  // in sampling designs, within the ranges.
  const std::int64_t runs = skillsim::sweep_run_count(spec);
  if (runs < 1 || runs > sweep.max_runs) fail("an accepted design with no runs or more than max_runs");
  const auto axes = static_cast<std::int64_t>(spec.axes.size());
  if (axes < 1) fail("an accepted sweep that varies nothing");
  if (runs > kMaxValues / axes) return 0;
  std::vector<std::vector<double>> points;
  try {
    points = skillsim::sweep_points(spec);
  } catch (const skillsim::Error&) {
    fail("an accepted design whose points cannot be laid out");
  }
  if (static_cast<std::int64_t>(points.size()) != runs) fail("a design with another number of points than runs");
  const bool sampled =
      spec.design == skillsim::SweepDesign::LatinHypercube || spec.design == skillsim::SweepDesign::Sobol;
  for (const auto& point : points) {
    if (point.size() != spec.axes.size()) fail("a point without one value per axis");
    for (std::size_t a = 0; a < point.size(); ++a) {
      if (!std::isfinite(point[a])) fail("a point that is not finite");
      if (sampled && !(spec.axes[a].low <= point[a] && point[a] <= spec.axes[a].high)) fail("a point out of its range");
    }
  }

  // Keys that resolve take the first runs' values (the parameters' own checks judge the values).
  if (!keys.empty()) return 0;
  std::vector<skillsim::SweepTarget> targets;
  for (const auto& axis : spec.axes) {
    const auto target = skillsim::resolve_sweep_key(base(), axis.key);
    if (!std::holds_alternative<skillsim::SweepTarget>(target)) fail("a key checked but not resolved");
    targets.push_back(std::get<skillsim::SweepTarget>(target));
  }
  for (std::size_t r = 0; r < points.size() && r < 8; ++r) {
    skillsim::Parameters p = base();
    for (std::size_t a = 0; a < targets.size(); ++a) apply(p, targets[a], points[r][a]);
    (void)skillsim::check(p);
  }
  return 0;
}
