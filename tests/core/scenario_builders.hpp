// Small scenarios for tests, built from the defaults with --set style overrides.
#pragma once

#include <string>
#include <vector>

#include "skillsim/core/scenario.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim::test {

/// "[v, v, ..., v]" with n copies.
inline std::string repeat(double v, int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + std::to_string(v);
  return s + "]";
}

/// The defaults (a national population) shrunk to `persons`, with entry flows and appointment
/// quotas shrunk in proportion, plus `overrides`.
inline Scenario small_scenario(std::vector<std::string> overrides = {}, double persons = 50000, int scale = 1,
                               int months = 12) {
  const Parameters national = io::default_parameters();
  const double ratio = persons / national.population.size;
  const auto scaled = [&](const char* key, double value) {
    return std::string(key) + "=" + std::to_string(value * ratio);
  };
  std::vector<std::string> all = {
      "population.size=" + std::to_string(persons),
      "population.scale=" + std::to_string(scale),
      "scenario.months=" + std::to_string(months),
      scaled("entry.school_leavers_per_year", national.entry.school_leavers_per_year),
      scaled("entry.technical_school_graduates_per_year", national.entry.technical_school_graduates_per_year),
      scaled("skills.principal_technician_quota_per_year", national.skills.principal_technician_quota_per_year),
      scaled("skills.chief_technician_quota_per_year", national.skills.chief_technician_quota_per_year)};
  all.insert(all.end(), overrides.begin(), overrides.end());
  return io::parse_scenario("", "<test>", all);
}

/// Overrides that switch off every process: no deaths, retirements, entries, labour moves,
/// assessments or appointments. Tests switch one back on to check it alone.
inline std::vector<std::string> everything_off() {
  return {"demography.mortality_annual=" + repeat(0, kMortalityBandCount),
          "demography.retirement_age_male=80",
          "demography.retirement_age_female=80",
          "entry.school_leavers_per_year=0",
          "entry.technical_school_graduates_per_year=0",
          "labour.job_loss_rate=0",
          "labour.job_find_rate=0",
          "labour.inactivity_rate=0",
          "labour.reactivation_rate=0",
          "labour.job_loss_level_factor=" + repeat(1, kLevelCount),
          "labour.job_loss_group_factor=" + repeat(1, kGroupCount),
          "labour.job_loss_sector_factor=" + repeat(1, kSectorCount),
          "labour.job_find_level_factor=" + repeat(1, kLevelCount),
          "labour.job_find_group_factor=" + repeat(1, kGroupCount),
          "skills.assessment_rate=" + repeat(0, kLevelCount),
          "skills.principal_technician_quota_per_year=0",
          "skills.chief_technician_quota_per_year=0"};
}

inline std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace skillsim::test
