// Targets against results: for each target of the scenario and each replicate, the series'
// value month by month, the planned trajectory, the gap between them, the value attained at the
// target date and whether it was met. Computed from the results alone (so the same for results
// read back from a file), and added to them. See docs/targets.md.
#pragma once

#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim {

/// Adds dimension `target` and the variables target_value, target_planned, target_gap
/// (replicate, time, target), target_attained and target_met (replicate, target), and, with
/// programmes, cost_per_certificate (replicate, programme). Does nothing without targets or
/// programmes.
void add_target_results(Results& results, const Scenario& scenario);

} // namespace skillsim
