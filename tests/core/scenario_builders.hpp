// Small scenarios for tests, built from the defaults with --set style overrides.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "skillsim/core/replicate.hpp"
#include "skillsim/core/results.hpp"
#include "skillsim/core/scenario.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim::test {

/// Whether `issues` holds one for `key` whose message contains `text`.
inline bool has_issue(const std::vector<Issue>& issues, const std::string& key, const std::string& text) {
  for (const auto& i : issues)
    if (i.key == key && i.message.find(text) != std::string::npos) return true;
  return false;
}

/// The issues one per line ("key: message"), for a failing expectation's message.
inline std::string dump(const std::vector<Issue>& issues) {
  std::string out;
  for (const auto& i : issues) out += i.key + ": " + i.message + "\n";
  return out;
}

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
          "skills.may_be_unreachable=" + repeat(1, kLevelCount), // no assessments: nothing need be reachable
          "skills.principal_technician_quota_per_year=0",
          "skills.chief_technician_quota_per_year=0"};
}

inline std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One fund, one programme for workers without a certificate (level 0-1) leading to 初级工.
inline std::map<std::string, std::string> one_programme() {
  return {{"funds.names", R"(["upgrading_account"])"},
          {"funds.labels", R"(["职业技能提升行动专账"])"},
          {"funds.annual_envelope", "[1000000]"},
          {"funds.carry_over", "[1]"},
          {"programmes.names", R"(["first_certificate"])"},
          {"programmes.labels", R"(["就业技能培训"])"},
          {"programmes.eligible_groups", "[[1, 1, 1, 1, 1, 1, 1, 1]]"},
          {"programmes.eligible_statuses", "[[0, 1, 1, 1, 0, 0]]"},
          {"programmes.min_level", "[0]"},
          {"programmes.max_level", "[1]"},
          {"programmes.min_age", "[16]"},
          {"programmes.max_age", "[100]"},
          {"programmes.min_contribution_months", "[0]"},
          {"programmes.application_rate", "[1]"},
          {"programmes.duration_months", "[3]"},
          {"programmes.full_time", "[0]"},
          {"programmes.target_level", "[2]"},
          {"programmes.completion_probability", "[1]"},
          {"programmes.pass_probability", "[1]"},
          {"programmes.cost_per_trainee", "[1000]"},
          {"programmes.payment", "[\"enrolment\"]"},
          {"programmes.fund_shares", "[[1]]"},
          {"programmes.seats_per_month", "[[300]]"}};
}

// one_programme() made an apprenticeship (企业新型学徒制) for employed workers at 无证 or 学徒工, six
// months long, to 中级工 with pass 0.6, paid monthly (333 yuan, the 4,000 a year of DOMAIN.md).
inline std::map<std::string, std::string> one_apprenticeship() {
  auto settings = one_programme();
  for (const auto& [k, v] : std::map<std::string, std::string>{{"programmes.names", R"(["new_apprenticeship"])"},
                                                               {"programmes.labels", R"(["企业新型学徒制"])"},
                                                               {"programmes.apprenticeship", "[1]"},
                                                               {"programmes.eligible_statuses", "[[0, 1, 0, 0, 0, 0]]"},
                                                               {"programmes.target_level", "[3]"},
                                                               {"programmes.duration_months", "[6]"},
                                                               {"programmes.pass_probability", "[0.6]"},
                                                               {"programmes.cost_per_trainee", "[333]"},
                                                               {"programmes.payment", R"(["monthly"])"},
                                                               {"funds.annual_envelope", "[1000000000]"}})
    settings[k] = v;
  return settings;
}

/// A funded upgrading course (岗位技能提升培训) as small_scenario overrides: one fund with an envelope
/// that never binds, one programme for employed workers at `level` (min_level = max_level)
/// leading to `target_level`, paid on certification, with seats that never bind. The fields are
/// what the twin's tests vary (test_twin's insured course, test_twin_evaluation's queue); numbers
/// as text, as the overrides take them.
struct FundedUpgrading {
  int level = 0;
  int target_level = 2;
  std::string min_contribution_months = "0";
  std::string application_rate = "0.01";
  int duration_months = 2;
  std::string completion_probability = "0.9";
  std::string appraisal_share = "0.9";
  std::string pass_probability = "0.8";
};

inline std::vector<std::string> funded_upgrading(const FundedUpgrading& c) {
  return {"funds.names=[\"account\"]",
          "funds.labels=[\"专账\"]",
          "funds.annual_envelope=[1e12]",
          "funds.carry_over=[1]",
          "programmes.names=[\"upgrading\"]",
          "programmes.labels=[\"岗位技能提升培训\"]",
          "programmes.eligible_groups=[[1, 1, 1, 1, 1, 1, 1, 1]]",
          "programmes.eligible_statuses=[[0, 1, 0, 0, 0, 0]]",
          "programmes.min_level=[" + std::to_string(c.level) + "]",
          "programmes.max_level=[" + std::to_string(c.level) + "]",
          "programmes.min_age=[16]",
          "programmes.max_age=[60]",
          "programmes.min_contribution_months=[" + c.min_contribution_months + "]",
          "programmes.application_rate=[" + c.application_rate + "]",
          "programmes.duration_months=[" + std::to_string(c.duration_months) + "]",
          "programmes.full_time=[0]",
          "programmes.target_level=[" + std::to_string(c.target_level) + "]",
          "programmes.completion_probability=[" + c.completion_probability + "]",
          "programmes.appraisal_share=[" + c.appraisal_share + "]",
          "programmes.pass_probability=[" + c.pass_probability + "]",
          "programmes.cost_per_trainee=[1000]",
          "programmes.payment=[\"certification\"]",
          "programmes.fund_shares=[[1]]",
          "programmes.seats_per_month=[[1000000]]"};
}

inline Scenario programme_scenario(std::map<std::string, std::string> changes, int months = 12,
                                   double persons = 50000) {
  auto settings = one_programme();
  for (auto& [k, v] : changes) settings[k] = v;
  std::vector<std::string> overrides = everything_off();
  for (auto& [k, v] : settings) overrides.push_back(k + "=" + v);
  return test::small_scenario(overrides, persons, 1, months);
}

/// Every variable of `expected` is in `actual` with the same dimensions, type and bits, counts
/// and reals alike (NaN included); with `same_list`, and `actual` has no other variable.
inline void expect_same_results(const Results& actual, const Results& expected, bool same_list = true) {
  if (same_list) {
    EXPECT_EQ(actual.variables.size(), expected.variables.size());
  }
  for (const Variable& e : expected.variables) {
    ASSERT_TRUE(actual.has_variable(e.name)) << e.name;
    const Variable& a = actual.variable(e.name);
    EXPECT_EQ(a.dims, e.dims) << e.name;
    EXPECT_EQ(a.is_real, e.is_real) << e.name;
    EXPECT_EQ(a.data, e.data) << e.name;
    ASSERT_EQ(a.real_data.size(), e.real_data.size()) << e.name;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.real_data.size(); ++i)
      differ += std::bit_cast<std::uint64_t>(a.real_data[i]) != std::bit_cast<std::uint64_t>(e.real_data[i]);
    EXPECT_EQ(differ, 0U) << e.name;
  }
}

/// Runs `scenario` with 1 and with 2 threads and checks that every variable is bit-identical,
/// counts and reals alike (NaN included). Returns the one-thread results for further checks.
inline Results expect_same_for_thread_counts(const Scenario& scenario, std::initializer_list<int> threads,
                                             std::int64_t replicates = 1, std::int64_t seed = 1) {
  RunOptions o;
  o.replicates = replicates;
  o.seed = seed;
  o.threads = 1;
  Results one = run_scenario(scenario, o);
  for (int t : threads) {
    if (t == 1) continue;
    o.threads = t;
    SCOPED_TRACE(std::to_string(t) + " threads against 1");
    expect_same_results(run_scenario(scenario, o), one);
  }
  return one;
}

inline Results expect_same_for_one_and_two_threads(const Scenario& scenario, std::int64_t replicates = 1,
                                                   std::int64_t seed = 1) {
  return expect_same_for_thread_counts(scenario, {1, 2}, replicates, seed);
}

/// One value of a results variable: replicate, time and flat index k over its other dimensions.
inline std::int64_t at(const Results& r, const std::string& name, std::size_t rep, std::size_t t, std::size_t k = 0) {
  const Variable& v = r.variable(name);
  const std::size_t per_time = v.data.size() / (r.dimension("replicate").size() * r.dimension("time").size());
  return v.data[(rep * r.dimension("time").size() + t) * per_time + k];
}

/// Runs `scenario`'s replicate 0 for `before` months, restores a second replicate from its
/// snapshot, and steps both `after` months: the employers' tally and the month's flows agree every
/// month and the final snapshots are equal. Returns the snapshot taken after `before` months.
/// Entry k of a variable summed over the months of replicate 0 (time points 1 on: the flows).
inline std::int64_t total_over_months(const Results& r, const std::string& name, std::size_t k = 0) {
  std::int64_t sum = 0;
  for (std::size_t t = 1; t < r.dimension("time").size(); ++t) sum += at(r, name, 0, t, k);
  return sum;
}

inline ReplicateSnapshot expect_continues_from_snapshot(const Scenario& scenario, int before, int after) {
  ReplicateState straight(scenario, 3, 0);
  for (int m = 0; m < before; ++m) straight.step();
  const ReplicateSnapshot saved = straight.snapshot();
  ReplicateState resumed(scenario, saved);
  for (int m = 0; m < after; ++m) {
    straight.step();
    resumed.step();
    EXPECT_EQ(straight.employers().tally(), resumed.employers().tally()) << "month " << before + m + 1;
    EXPECT_EQ(straight.last_flows(), resumed.last_flows()) << "month " << before + m + 1;
  }
  EXPECT_EQ(straight.snapshot(), resumed.snapshot());
  return saved;
}

/// Employers at a month's end (issue 15's consistency): every employed agent has a cell of its own
/// sector, nobody else has one, and the employers' counts per region add up to the employed there.
inline void expect_employers_consistent(const ReplicateState& state, std::size_t regions, std::size_t sizes,
                                        int month) {
  const Population& pop = state.population();
  const std::size_t cells = kSectorCount * sizes;
  std::size_t wrong = 0;
  std::vector<std::int64_t> employed_by_region(regions, 0);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const bool employed = pop.status[i] == static_cast<std::uint8_t>(Status::Employed);
    const std::uint8_t cell = pop.employer[i];
    if (employed != (cell != kNoEmployer)) ++wrong;
    if (employed && (cell >= cells || cell / sizes != pop.sector[i])) ++wrong;
    if (employed) ++employed_by_region[pop.region_of(i)];
  }
  EXPECT_EQ(wrong, 0u) << "month " << month;
  const auto& employed = state.employers().tally().employed;
  const std::size_t lg = static_cast<std::size_t>(kLevelCount) * kGroupCount;
  for (std::size_t r = 0; r < regions; ++r) {
    std::int64_t in_cells = 0;
    for (std::size_t k = r * cells * lg; k < (r + 1) * cells * lg; ++k) in_cells += employed[k];
    EXPECT_EQ(in_cells, employed_by_region[r]) << "region " << r << ", month " << month;
  }
}

} // namespace skillsim::test
