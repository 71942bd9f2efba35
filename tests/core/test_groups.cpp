// People changing group (groups.*) and the heterogeneity of assessment and pass rates
// (skills.*_factor_by_*), docs/model.md: each rule checked alone against its closed form, the
// stocks by group balanced with entries, deaths and moves, and the validation messages.
//
// Tolerance: a count k out of n with probability p must lie within 4 binomial standard errors,
// |k - n p| <= 4 sqrt(n p (1 - p)) (the seeds are fixed, so the outcome is reproducible).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/rates.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/core/sweep.hpp"

using namespace skillsim;
using test::everything_off;
using test::operator+;

namespace {

constexpr double kSigmas = 4;
constexpr auto kUnemployedGroup = static_cast<std::size_t>(Group::Unemployed);
constexpr auto kUrban = static_cast<std::size_t>(Group::UrbanEmployee);
constexpr auto kGraduate = static_cast<std::size_t>(Group::CollegeGraduate);
constexpr auto kPoverty = static_cast<std::size_t>(Group::PovertyRegistered);

void expect_count(double observed, double mean, double variance, const std::string& what) {
  const double se = std::sqrt(variance);
  EXPECT_LE(std::abs(observed - mean), kSigmas * se + 1e-9)
      << what << ": observed " << observed << ", expected " << mean << " +- " << se;
}

// A group list in TOML with every group kept except `changes` (group -> destination).
std::string groups_list(std::vector<std::pair<std::size_t, std::string>> changes) {
  std::vector<std::string> ids(kGroupIds.begin(), kGroupIds.end());
  for (auto& [g, to] : changes) ids[g] = to;
  std::string out = "[";
  for (std::size_t g = 0; g < ids.size(); ++g) out += (g ? ", \"" : "\"") + ids[g] + "\"";
  return out + "]";
}

// Everybody in `group` at the start.
std::string only_group(std::size_t group) {
  std::string out = "population.group_shares=[";
  for (std::size_t g = 0; g < kGroupCount; ++g) out += std::string(g ? ", " : "") + (g == group ? "1" : "0");
  return out + "]";
}

std::int64_t count_in_group(const Population& pop, std::size_t group) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < pop.size(); ++i)
    n += pop.status[i] != static_cast<std::uint8_t>(Status::Removed) && pop.group[i] == group;
  return n;
}

// A scenario with every group rule on: the unemployed join urban employees on finding a job,
// graduates stay 24 months, the poverty registration closes after `close_after` months.
Scenario rules_scenario(std::vector<std::string> more, int months, int close_after) {
  const Scenario s = test::small_scenario(
      std::vector<std::string>{"groups.after_job_found=" + groups_list({{kUnemployedGroup, "urban_employee"}}),
                               "groups.leave_after_months=[0, 0, 0, 24, 12, 0, 0, 0]",
                               "groups.after_leaving=" +
                                   groups_list({{kGraduate, "urban_employee"},
                                                {static_cast<std::size_t>(Group::TechnicalStudent), "urban_employee"},
                                                {kPoverty, "rural_labour"}})} +
          more,
      60000, 1, months);
  std::vector<std::uint8_t> closed(kGroupCount, 0);
  closed[kPoverty] = 1;
  return Scenario::make(s.parameters(), {{s.start() + close_after, "groups.closed", closed}}, {});
}

} // namespace

TEST(Groups, StocksByGroupBalanceWithEntriesExitsAndMoves) {
  // stock(t) = stock(t-1) + entries - deaths + moves in - moves out, for every group and month,
  // with every process and every group rule on; and the same for 1 and 2 threads.
  const Scenario s = rules_scenario({}, 24, 6);
  const Results r = test::expect_same_for_one_and_two_threads(s, 2);
  std::int64_t moved[kGroupCount][kGroupCount] = {};
  for (std::size_t rep = 0; rep < 2; ++rep)
    for (std::size_t t = 1; t <= 24; ++t)
      for (std::size_t g = 0; g < kGroupCount; ++g) {
        const auto stock = [&](std::size_t time) {
          std::int64_t sum = 0;
          for (std::size_t l = 0; l < kLevelCount; ++l)
            sum += test::at(r, "workers_by_group", rep, time, g * kLevelCount + l);
          return sum;
        };
        std::int64_t in = 0, out = 0;
        for (std::size_t h = 0; h < kGroupCount; ++h) {
          in += test::at(r, "group_changes", rep, t, h * kGroupCount + g);
          out += test::at(r, "group_changes", rep, t, g * kGroupCount + h);
          moved[g][h] += test::at(r, "group_changes", rep, t, g * kGroupCount + h);
        }
        EXPECT_EQ(stock(t), stock(t - 1) + test::at(r, "entries_by_group", rep, t, g) -
                                test::at(r, "exits_by_group", rep, t, g) + in - out)
            << "replicate " << rep << ", month " << t << ", group " << kGroupIds[g];
      }
  EXPECT_GT(moved[kUnemployedGroup][kUrban], 0);
  EXPECT_GT(moved[kGraduate][kUrban], 0);
  EXPECT_GT(moved[kPoverty][static_cast<std::size_t>(Group::RuralLabour)], 0);
  // Only the moves the rules name.
  for (std::size_t g = 0; g < kGroupCount; ++g)
    for (std::size_t h = 0; h < kGroupCount; ++h)
      if (g == h || (h != kUrban && !(g == kPoverty && h == static_cast<std::size_t>(Group::RuralLabour)))) {
        EXPECT_EQ(moved[g][h], 0) << kGroupIds[g] << " -> " << kGroupIds[h];
      }
}

TEST(Groups, UnemployedWhoFindAJobJoinTheNamedGroup) {
  // Everybody unemployed and in 失业人员: each finds a job with probability p, and exactly those
  // who do move to 城镇职工.
  constexpr double p = 0.3;
  const Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{"population.status_shares=[0, 0, 1, 0, 0, 0]", only_group(kUnemployedGroup),
                                   "labour.job_find_rate=" + std::to_string(p),
                                   "groups.after_job_found=" + groups_list({{kUnemployedGroup, "urban_employee"}})},
      100000, 1, 2);
  ReplicateState state(s, 41, 0);
  for (int m = 0; m < 2; ++m) {
    const Population before = state.population();
    state.step();
    const Population& after = state.population();
    std::int64_t n = 0, moved = 0, found = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before.status[i] != static_cast<std::uint8_t>(Status::Unemployed) || before.group[i] != kUnemployedGroup)
        continue;
      ++n;
      found += after.status[i] == static_cast<std::uint8_t>(Status::Employed);
      moved += after.group[i] == kUrban;
      EXPECT_EQ(after.group[i] == kUrban, after.status[i] == static_cast<std::uint8_t>(Status::Employed))
          << "agent " << i;
    }
    EXPECT_EQ(moved, state.last_flows().group_changes[kUnemployedGroup][kUrban]);
    EXPECT_EQ(found, state.last_flows().job_finds);
    expect_count(static_cast<double>(moved), static_cast<double>(n) * p, static_cast<double>(n) * p * (1 - p),
                 "失业人员 -> 城镇职工 in month " + std::to_string(m));
  }
}

TEST(Groups, GraduatesLeaveAfterTheirMonthsAtAnEvenPace) {
  // Initial 高校毕业生 have served a uniform part of 24 months (a whole number in [0, 24)), so a
  // 24th of them leaves each month and none is left after 24 months.
  const Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{only_group(kGraduate), "groups.leave_after_months=[0, 0, 0, 24, 0, 0, 0, 0]",
                                   "groups.after_leaving=" + groups_list({{kGraduate, "urban_employee"}})},
      48000, 1, 24);
  ReplicateState state(s, 42, 0);
  const auto n = static_cast<double>(count_in_group(state.population(), kGraduate));
  ASSERT_EQ(n, 48000);
  for (int m = 0; m < 24; ++m) {
    state.step();
    expect_count(static_cast<double>(state.last_flows().group_changes[kGraduate][kUrban]), n / 24,
                 n / 24 * (1 - 1.0 / 24), "graduates leaving in month " + std::to_string(m));
  }
  EXPECT_EQ(count_in_group(state.population(), kGraduate), 0);
  EXPECT_EQ(count_in_group(state.population(), kUrban), 48000);
}

TEST(Groups, AnEntrantLeavesExactlyAfterTheLimit) {
  // An agent entering a group with a 3-month limit stays 3 months in it.
  Scenario s = test::small_scenario(
      everything_off() +
          std::vector<std::string>{only_group(kUrban), "groups.leave_after_months=[0, 0, 0, 3, 0, 0, 0, 0]",
                                   "groups.after_leaving=" + groups_list({{kGraduate, "urban_employee"}})},
      1000, 1, 5);
  ReplicateState state(s, 43, 0);
  Population& pop = const_cast<Population&>(state.population());
  pop.group[0] = static_cast<std::uint8_t>(kGraduate);
  pop.months_in_group[0] = 0;
  for (int m = 1; m <= 3; ++m) {
    state.step();
    EXPECT_EQ(state.population().group[0], m < 3 ? kGraduate : kUrban) << "after month " << m;
  }
}

TEST(Groups, AClosedGroupIsEmptiedInTheMonthItCloses) {
  // 建档立卡 closes from the fourth month: nobody moves before, everybody in that month.
  const Scenario s = rules_scenario(everything_off() + std::vector<std::string>{only_group(kPoverty)}, 6, 3);
  ReplicateState state(s, 44, 0);
  const std::int64_t n = count_in_group(state.population(), kPoverty);
  for (int m = 0; m < 6; ++m) {
    state.step();
    const std::int64_t moved = state.last_flows().group_changes[kPoverty][static_cast<std::size_t>(Group::RuralLabour)];
    EXPECT_EQ(moved, m == 3 ? n : 0) << "month " << m;
    EXPECT_EQ(count_in_group(state.population(), kPoverty), m < 3 ? n : 0) << "month " << m;
  }
}

TEST(Groups, FactorsMultiplyTheSittingAndPassRates) {
  // Everybody employed without a certificate: starting an apprenticeship (sit x pass, pass 1)
  // happens with probability rate x age-band, sex and group factors, capped at 1; a second run
  // scales the pass probability instead. Sum of the agents' own probabilities, within 4 standard
  // errors, and a factor of 2 on a group twice the rate of the others.
  constexpr double rate = 0.2;
  for (const bool on_pass : {false, true}) {
    const std::string which = on_pass ? "pass" : "assessment";
    const std::vector<std::string> base =
        everything_off() +
        std::vector<std::string>{
            "population.status_shares=[0, 1, 0, 0, 0, 0]",
            "population.level_shares=[1, 0, 0, 0, 0, 0, 0, 0, 0]",
            "population.group_shares=[0.5, 0.5, 0, 0, 0, 0, 0, 0]",
            "skills.assessment_rate=[0, " + std::to_string(on_pass ? 1.0 : rate) + ", 0, 0, 0, 0, 0, 0, 0]",
            "skills.pass_probability=[1, " + std::to_string(on_pass ? rate : 1.0) + ", 1, 1, 1, 1, 1, 1, 1]",
            "skills.may_be_unreachable=[0, 0, 1, 1, 1, 1, 1, 1, 1]",
            "skills." + which + "_factor_by_group=[1, 2, 1, 1, 1, 1, 1, 1]",
            "skills." + which + "_factor_by_sex=[1, 0.5]",
            "skills." + which + "_factor_by_age_band=[3, 3, 3, 2, 1, 1, 1, 1, 1, 1]"};
    const Scenario s = test::small_scenario(base, 200000, 1, 1);
    const Parameters& p = s.parameters();
    ReplicateState state(s, 45, 0);
    const Population before = state.population();
    state.step();
    const Population& after = state.population();
    double mean[2] = {}, variance[2] = {};
    std::int64_t up[2] = {}, n[2] = {};
    for (std::size_t i = 0; i < before.size(); ++i) {
      const int age = (s.start() - Month{before.birth_month[i]}) / 12;
      const auto band = static_cast<std::size_t>(age_band_of(age));
      const std::size_t g = before.group[i];
      const auto& by_band = on_pass ? p.skills.pass_factor_by_age_band : p.skills.assessment_factor_by_age_band;
      const double f = by_band[band] * (before.sex[i] ? 0.5 : 1.0) * (g == 1 ? 2.0 : 1.0);
      const double q = std::min(1.0, rate * f);
      mean[g] += q;
      variance[g] += q * (1 - q);
      up[g] += after.level[i] == static_cast<std::uint8_t>(Level::Apprentice);
      ++n[g];
    }
    for (std::size_t g = 0; g < 2; ++g)
      expect_count(static_cast<double>(up[g]), mean[g], variance[g],
                   which + " factors, group " + std::string(kGroupIds[g]));
    // Group 1's factor of 2: twice group 0's rate per head, within the two counts' errors.
    const double ratio = (static_cast<double>(up[1]) / static_cast<double>(n[1])) /
                         (static_cast<double>(up[0]) / static_cast<double>(n[0]));
    EXPECT_NEAR(ratio, (mean[1] / static_cast<double>(n[1])) / (mean[0] / static_cast<double>(n[0])), 0.05) << which;
  }
}

TEST(Groups, FactorsOfOneGiveTheBaseRatesExactly) {
  const Scenario s = test::small_scenario();
  const TransitionRates rates(s.parameters());
  EXPECT_TRUE(rates.sit_by_class.empty());
  EXPECT_FALSE(rates.group_moves);
  for (int l = 0; l < kLevelCount; ++l)
    for (int c = 0; c < kPersonClassCount; c += 7)
      EXPECT_EQ(pass_probability_of(s.parameters().skills, l, c),
                s.parameters().skills.pass_probability[static_cast<std::size_t>(l)]);
  // A factor above the cap: probability 1.
  const Scenario capped = test::small_scenario({"skills.pass_factor_by_sex=[1, 5]"});
  EXPECT_EQ(pass_probability_of(capped.parameters().skills, 4, person_class(30, 1, 0)), 1.0);
  EXPECT_EQ(TransitionRates(capped.parameters()).pass_by_class[4 * kPersonClassCount + person_class(30, 1, 0)], 1.0);
}

TEST(Groups, AgeBandsFollowTheInitialPopulationsBands) {
  EXPECT_EQ(age_band_of(14), 0);
  EXPECT_EQ(age_band_of(19), 0);
  EXPECT_EQ(age_band_of(20), 1);
  EXPECT_EQ(age_band_of(59), 8);
  EXPECT_EQ(age_band_of(60), 9);
  EXPECT_EQ(age_band_of(75), 9);
}

namespace {

// The problems of a scenario built from the defaults and `overrides`, one per line.
std::string problems(const std::vector<std::string>& overrides) {
  try {
    io::parse_scenario("", "<test>", overrides);
  } catch (const ScenarioError& e) {
    std::string out;
    for (const auto& d : e.diagnostics()) out += d.key + ": " + d.message + "\n";
    return out;
  }
  return "";
}

} // namespace

TEST(Groups, ValidationNamesTheBadEntry) {
  EXPECT_EQ(problems({"groups.after_job_found=" + groups_list({{kUnemployedGroup, "urban_employe"}})}),
            "groups.after_job_found[5]: unknown group 'urban_employe'; did you mean 'urban_employee'? (groups: "
            "urban_employee, migrant_worker, rural_labour, college_graduate, technical_student, unemployed, veteran, "
            "poverty_registered)\n");
  EXPECT_EQ(problems({"groups.leave_after_months=[0, 0, 0, -1, 0, 0, 0, 0]"}),
            "groups.leave_after_months[3]: must be in [0, 255], got -1\n");
  EXPECT_EQ(problems({"groups.leave_after_months=[0, 0, 0, 24, 0, 0, 0, 0]"}),
            "groups.leave_after_months[3]: group 'college_graduate' has a time limit, so groups.after_leaving[3] must "
            "name another group for its members\n");
  EXPECT_EQ(problems({"groups.closed=[0, 0, 0, 0, 0, 0, 0, 1]",
                      "groups.after_leaving=" + groups_list({{kPoverty, "veteran"}})}),
            "");
  EXPECT_EQ(
      problems({"groups.closed=[0, 0, 0, 0, 0, 0, 1, 1]",
                "groups.after_leaving=" + groups_list({{kPoverty, "veteran"}, {6, "poverty_registered"}})}),
      "groups.closed[6]: group 'veteran' is closed and sends its members to 'poverty_registered' "
      "(groups.after_leaving[6]), which is closed too\ngroups.closed[7]: group 'poverty_registered' is closed and "
      "sends its members to 'veteran' (groups.after_leaving[7]), which is closed too\n");
  // A schedule closing a group whose members have nowhere to go is told so, at the schedule.
  try {
    io::parse_scenario(
        "[scenario]\nmonths = 24\n[[schedule]]\ndate = 2017-01-01\nset = { \"groups.closed\" = [0, 0, 0, 0, "
        "0, 0, 0, 1] }\n",
        "plan.toml");
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    std::string listing;
    for (const auto& d : e.diagnostics()) listing += d.to_string() + "\n";
    EXPECT_EQ(listing, "plan.toml:5:49: schedule[0].set.groups.closed[7]: group 'poverty_registered' is closed, so "
                       "groups.after_leaving[7] must name another group for its members\n");
  }
  EXPECT_EQ(problems({"skills.assessment_factor_by_sex=[1, -0.5]"}),
            "skills.assessment_factor_by_sex[1]: must be >= 0, got -0.5\n");
  EXPECT_EQ(problems({"skills.pass_factor_by_age_band=[1, 1]"}),
            "skills.pass_factor_by_age_band: expected 10 values, one per age band (16-19, 20-24, 25-29, 30-34, "
            "35-39, 40-44, 45-49, 50-54, 55-59, 60-64), got 2\n");
}

TEST(Groups, FactorsAreAddressableByElementName) {
  // The calibration and sweeps name elements: skills.assessment_factor_by_sex[female].
  Parameters p = test::small_scenario().parameters();
  for (const auto* key :
       {"skills.assessment_factor_by_sex[female]", "skills.pass_factor_by_age_band[20-24]",
        "skills.assessment_factor_by_group[poverty_registered]", "groups.leave_after_months[college_graduate]"}) {
    const auto target = resolve_sweep_key(p, key);
    ASSERT_TRUE(std::holds_alternative<SweepTarget>(target)) << key << ": " << std::get<std::string>(target);
    apply_sweep_value(p, std::get<SweepTarget>(target), 2);
  }
  EXPECT_EQ(p.skills.assessment_factor_by_sex[1], 2);
  EXPECT_EQ(p.skills.pass_factor_by_age_band[1], 2);
  EXPECT_EQ(p.skills.assessment_factor_by_group[kPoverty], 2);
  EXPECT_EQ(p.groups.leave_after_months[kGraduate], 2);
}
