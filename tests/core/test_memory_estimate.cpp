// The narrow agent columns (id, birth month, region) and their guards, and the memory estimate
// made before a run allocates anything (memory_estimate.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/memory_estimate.hpp"
#include "skillsim/core/population.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
using test::has_issue;

namespace {

const std::string kNational = std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/national_2016.toml";

TEST(Columns, TwentyTwoBytesPerAgent) { EXPECT_EQ(Population::bytes_per_agent(), 22u); }

TEST(Columns, NarrowColumnsKeepTheirValues) {
  Population pop;
  Agent a;
  a.id = kAgentIdLimit - 1;
  a.birth_month = Month::of(1930, 7).index;
  a.region = kMaxRegions;
  pop.push_back(a);
  const Agent back = pop.get(0);
  EXPECT_EQ(back.id, kAgentIdLimit - 1);
  EXPECT_EQ(back.birth_month, Month::of(1930, 7).index);
  EXPECT_EQ(back.region, kMaxRegions);
  // The latest start and an entrant born then fit the 16-bit birth month.
  a.birth_month = Month::of(kMaxStartYear, 12).index + 1200;
  EXPECT_NO_THROW(pop.push_back(a));
}

TEST(Columns, ValuesThatDoNotFitAreRefusedNotWrapped) {
  Population pop;
  Agent a;
  a.id = kAgentIdLimit;
  try {
    pop.push_back(a);
    FAIL() << "an id of 2^32 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("32-bit id column"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("population.scale"), std::string::npos) << e.what();
  }
  a.id = 0;
  a.region = kMaxRegions + 1;
  EXPECT_THROW(pop.push_back(a), Error);
  a.region = 0;
  a.birth_month = 40000;
  EXPECT_THROW(pop.push_back(a), Error);
  a.birth_month = 0;
  a.ui_months = kMaxInsuranceMonths + 1;
  EXPECT_THROW(pop.push_back(a), Error);
  EXPECT_EQ(pop.size(), 0u) << "nothing half-added";
}

TEST(Columns, ValidationRefusesScenariosThatWouldOverflowThem) {
  Parameters p = io::load_scenario(kNational).parameters();
  p.population.scale = 1;
  p.scenario.months = 120;
  EXPECT_FALSE(has_issue(check(p), "population.scale", "agent ids")) << "1:1 for ten years fits 32-bit ids";
  p.population.size = 4.2e9;
  EXPECT_TRUE(has_issue(check(p), "population.scale", "32-bit id")) << "4.2e9 agents and ten years of entrants";
  p.population.size = 9e8;
  p.scenario.months = 1200;
  p.entry.school_leavers_per_year = 4e7;
  EXPECT_TRUE(has_issue(check(p), "population.scale", "raise population.scale or shorten the run"))
      << "a century of entrants";

  Parameters plan =
      io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/scenarios/jincheng_plan_2020_2021.toml").parameters();
  plan.programmes.min_contribution_months.assign(plan.programmes.names.size(), 256);
  EXPECT_TRUE(has_issue(check(plan), "programmes.min_contribution_months[0]", "must be in [0, 255]"))
      << "the one-byte counter";

  Parameters q = io::load_scenario(kNational).parameters();
  q.scenario.start = Month::of(1850, 1);
  EXPECT_TRUE(has_issue(check(q), "scenario.start", "1900 to 2600"));
  q.scenario.start = Month::of(2016, 1);
  q.population.regions.assign(256, "r");
  for (std::size_t r = 0; r < q.population.regions.size(); ++r) q.population.regions[r] += std::to_string(r);
  EXPECT_TRUE(has_issue(check(q), "population.regions", "at most 255 regions"));
}

TEST(MemoryEstimate, CountsColumnsEntrantsResultsAndReplicates) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=100", "scenario.months=24"});
  const MemoryEstimate one = estimate_memory(s, 1, 2);
  EXPECT_EQ(one.agents_initial, 9'000'000);
  // Two years of entrants (school leavers and graduates, at scale 100).
  const auto& e = s.parameters().entry;
  const double entrants = 2 * (e.school_leavers_per_year + e.technical_school_graduates_per_year) / 100;
  EXPECT_NEAR(static_cast<double>(one.agents_peak - one.agents_initial), entrants, 60);
  EXPECT_EQ(one.population, one.agents_peak * static_cast<std::int64_t>(Population::bytes_per_agent()));
  EXPECT_EQ(one.growth, 0) << "synthesis reserves room for every entrant";
  EXPECT_EQ(one.candidates, 0) << "no programmes, no competitions";

  // Results grow with replicates by exactly one replicate's worth each; the population does not.
  const MemoryEstimate four = estimate_memory(s, 4, 2);
  const MemoryEstimate seven = estimate_memory(s, 7, 2);
  EXPECT_EQ(four.population, one.population);
  EXPECT_GT(four.results, one.results);
  EXPECT_EQ(seven.results - four.results, (four.results - one.results));
  // One replicate's results: every variable over (replicate, time, ...) of the layout.
  const Results layout = make_results_layout(s, 1);
  std::int64_t per_replicate = 0;
  for (const Variable& v : layout.variables)
    if (!v.dims.empty() && v.dims[0] == "replicate") per_replicate += static_cast<std::int64_t>(v.size()) * 8;
  EXPECT_EQ(four.results - one.results, 3 * per_replicate);
  EXPECT_GT(estimate_memory(s, 1, 8).fixed, one.fixed) << "per-thread buffers";
}

TEST(MemoryEstimate, RefusalSaysNeededAvailableAndTheScaleThatFits) {
  const Scenario s = io::load_scenario(kNational, {"population.scale=1", "scenario.months=120"});
  const MemoryEstimate e = estimate_memory(s, 1, 2);
  EXPECT_GT(e.total(), 20'000'000'000) << describe_memory(e);
  const std::string text = memory_refusal(s, e, 4'000'000'000, "--no-memory-check");
  for (const char* part : {"the run needs about", "4.0 GB is available", "Raise population.scale to at least",
                           "--set population.scale=", "--no-memory-check"})
    EXPECT_NE(text.find(part), std::string::npos) << part << " in: " << text;
  // The scale it proposes fits the memory it was given.
  const auto at = text.find("population.scale=") + 17;
  const std::string scale = text.substr(at, text.find(')', at) - at);
  const Scenario smaller = io::load_scenario(kNational, {"population.scale=" + scale, "scenario.months=120"});
  EXPECT_LE(estimate_memory(smaller, 1, 2).total(), 4'000'000'000) << scale;
}

} // namespace
} // namespace skillsim
