// Sweeps: many runs of one base scenario, each with some parameters changed. This file holds the
// design (which values each run takes) and how a varied key reaches the parameters; reading
// sweep files and running them come on top of it (issue 10). A varied key is a registry key as
// `--set` takes it, or one element of a vector or one cell of a matrix addressed by the names of
// its rows and columns (or their indices): "funds.annual_envelope[upgrading_account]",
// "skills.pass_probability[senior]", "programmes.seats_per_month[key_groups][晋城市]".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "skillsim/core/parameters.hpp"

namespace skillsim {

/// How the runs of a sweep are chosen.
enum class SweepDesign {
  List,           ///< run k takes the k-th value of every axis (all axes list the same number)
  Grid,           ///< every combination of the axes' values (the last axis varies fastest)
  LatinHypercube, ///< `samples` points over the axes' ranges, one in each of `samples` strata per axis
  Sobol,          ///< the first `samples` points of the Sobol sequence (origin first) over the ranges
};
inline constexpr std::string_view kSweepDesignIds[] = {"list", "grid", "latin_hypercube", "sobol"};

/// The most axes a Sobol design may have (the dimensions of Boost.Random's direction numbers).
inline constexpr std::size_t kSobolMaxAxes = 3667;

/// One varied parameter: a list of values (list and grid designs) or a range (sampling designs).
struct SweepAxis {
  std::string key;            ///< as written, e.g. "funds.annual_envelope[upgrading_account]"
  std::vector<double> values; ///< list and grid
  double low = 0, high = 0;   ///< latin_hypercube and sobol: sampled uniformly in [low, high]
};

struct SweepSpec {
  SweepDesign design = SweepDesign::Grid;
  std::vector<SweepAxis> axes;
  std::int64_t samples = 0;        ///< latin_hypercube and sobol
  std::uint64_t sampling_seed = 1; ///< latin_hypercube: its own seed, apart from the simulation's
};

/// Number of runs the design makes (for grids the product of the axes' lengths, saturating).
std::int64_t sweep_run_count(const SweepSpec& spec);

/// The design's points, one row per run, one value per axis, in run order. Deterministic: the
/// same spec gives the same points on every machine.
/// @throws Error if the spec is inconsistent (no axes, list lengths differ, no samples, low > high,
///         values that are not finite, more than kSobolMaxAxes axes in a Sobol design)
std::vector<std::vector<double>> sweep_points(const SweepSpec& spec);

/// Where a sweep key points: a registry parameter and, for one element of a vector or one cell
/// of a matrix, its flat index.
struct SweepTarget {
  const ParameterSpec* spec = nullptr;
  std::optional<std::size_t> element;
};

/// Resolves a sweep key against the base parameters (row names are looked up in the catalogue
/// the parameter is indexed by: levels, groups, funds, programmes, regions, ...). Returns the
/// target, or a message saying what is wrong (unknown key with a did-you-mean, unknown row name
/// with the names there are, a kind that cannot vary: strings and dates; a parameter every run
/// of a sweep shares: scenario.months and run.replicates, which set the results' time and
/// replicate axes, and run.seed, the same in every run for common random numbers).
std::variant<SweepTarget, std::string> resolve_sweep_key(const Parameters& base, std::string_view key);

/// Sets the target to `value` in `p`. Integers and flags take the value rounded (flags: 0 or 1).
void apply_sweep_value(Parameters& p, const SweepTarget& target, double value);

} // namespace skillsim
