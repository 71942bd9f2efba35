// The readable summary printed at the end of `skillsim run`.
#pragma once

#include <string>

#include "skillsim/core/numbers.hpp" // thousands(), used by the summary and its callers
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim::cli {

/// Skilled and high-skilled workers at start and end (median and range over replicates), the
/// programmes, funds and evaluators if the scenario has them, and each target with the attained
/// value and in how many replicates it was met. Columns are laid out from their widest cells;
/// money is shown to the nearest 1,000 yuan.
std::string summarize(const Results& results, const Scenario& scenario);

} // namespace skillsim::cli
