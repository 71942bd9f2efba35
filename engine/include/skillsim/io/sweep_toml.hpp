// Reading sweep files (TOML): a base scenario and what to vary. See docs/sweeps.md.
//
//   [sweep]
//   base = "jincheng_plan_2020_2021"   # a path (relative to the sweep file) or a bundled name
//   design = "grid"                    # list | grid | latin_hypercube | sobol
//   max_runs = 10000                   # refuse designs with more runs (default 10,000)
//
//   [vary]
//   "funds.annual_envelope[upgrading_account]" = [40e6, 52e6, 70e6]
//   "labour.job_find_multiplier" = [0.8, 1.0]
//
// Sampling designs give ranges instead of lists, `samples`, and (latin_hypercube) a
// `sampling_seed` of their own: "labour.job_find_multiplier" = { low = 0.8, high = 1.2 }.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "skillsim/core/errors.hpp"
#include "skillsim/core/parameters.hpp"
#include "skillsim/core/sweep.hpp"

namespace skillsim::io {

struct SweepFile {
  std::string source_name;
  std::string source_text;
  std::string base; ///< as written: a path relative to the sweep file, or a bundled scenario's name
  SweepSpec spec;
  std::int64_t max_runs = 10000;
  std::vector<Diagnostic> axis_positions; ///< where each axis's key stands (file, line, column, key)
};

/// True if `text` is TOML with a [sweep] table: a sweep file rather than a scenario. Text that is
/// not TOML counts as a sweep file when it has a [sweep] header line, so that parse_sweep says
/// its syntax errors.
bool is_sweep_text(std::string_view text);

/// Parses a sweep file's text and checks it on its own: TOML syntax (worded as for scenarios),
/// sections and keys (with did-you-mean), the design, lists or ranges as the design needs, empty
/// lists, numbers that are not finite, low > high, samples, the axes of a Sobol design, and the
/// run count against max_runs. The axes are in the file's order.
/// @throws ScenarioError listing every problem, each with file:line:column and key
SweepFile parse_sweep(std::string_view text, const std::string& source_name);

/// Checks the varied keys against the base scenario's parameters (unknown keys and row names,
/// keys that cannot vary, including those every run of a sweep shares, and a parameter varied
/// twice), each problem at the key's place in the sweep file. Empty when fine.
std::vector<Diagnostic> check_sweep_keys(const SweepFile& sweep, const Parameters& base);

} // namespace skillsim::io
