// The text of `skillsim pathways`: the fastest route to each level as a table.
#pragma once

#include <string>

#include "skillsim/core/pathways.hpp"

namespace skillsim::cli {

/// The report as a plain-text table: level id, Chinese label, expected months and years, and the
/// route ("初级工 -(assessment)-> 中级工 -(upgrading)-> 高级工"), then every route considered.
std::string format_pathway_report(const PathwayReport& report);

} // namespace skillsim::cli
