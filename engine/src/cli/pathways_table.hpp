// The text of `skillsim pathways`: the fastest route to each level as a table, and why the
// levels no route reaches are out of reach.
#pragma once

#include <string>

#include "skillsim/core/pathways.hpp"
#include "skillsim/core/scenario.hpp"

namespace skillsim::cli {

/// The report as a plain-text table: level id, Chinese label, expected months and years (marked
/// when beyond a working life), the chance of arriving within a working life, and the route
/// ("初级工 -(assessment)-> 中级工 -(upgrading)-> 高级工"); then, for each unreachable level, what
/// closes its routes and from which scheduled month it opens; then every route considered.
std::string format_pathway_report(const PathwayReport& report);

/// The month of `skillsim pathways --at DATE`: DATE is "YYYY-MM-DD", the first day of a month of
/// the scenario's run.
/// @throws std::invalid_argument with the problem ("dates must be the first day of a month, ...")
Month pathway_month(const Scenario& scenario, const std::string& date);

} // namespace skillsim::cli
