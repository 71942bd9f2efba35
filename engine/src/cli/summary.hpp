// The readable summary printed at the end of `skillsim run`.
#pragma once

#include <string>

#include "skillsim/core/numbers.hpp" // thousands(), used by the summary and its callers
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim::cli {

/// Skilled and high-skilled workers at start and end (median, and 5th to 95th percentile at the
/// end, over replicates), the programmes, funds and evaluators if the scenario has them, and each
/// target with the attained value and in how many replicates it was met. The figures over
/// replicates are those of the results' statistics (statistics.hpp: the NAME_stats variables, or
/// replicate_statistics for totals over the run). Columns are laid out from their widest cells;
/// money is shown to the nearest 1,000 yuan.
std::string summarize(const Results& results, const Scenario& scenario);

} // namespace skillsim::cli
