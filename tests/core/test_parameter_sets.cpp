// Parameter sets (run.parameter_sets): replicate r runs under set r modulo the number of sets,
// the results record which set and its values, the bits do not depend on the threads, a
// continued replicate keeps its set, and a scenario without sets runs as before.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/errors.hpp"
#include "skillsim/core/simulation.hpp"
#include "skillsim/io/scenario_toml.hpp"

namespace skillsim {
namespace {

// A small population without appointments, so that every promotion is an assessment passed
// (and levels nobody reaches are allowed).
Scenario base_scenario() {
  return test::small_scenario({"skills.principal_technician_quota_per_year=0",
                               "skills.chief_technician_quota_per_year=0",
                               "skills.may_be_unreachable=[true, true, true, true, true, true, true, true, true]"},
                              20000, 1, 6);
}

// Two sets: 0 passes nobody (every level's pass probability 0), 1 has the defaults' values.
ParameterSets two_sets(const Scenario& s) {
  ParameterSets sets;
  sets.source = "sets.csv";
  sets.text = "(the file)";
  std::vector<double> none, defaults;
  for (int level = 0; level < kLevelCount; ++level) {
    sets.keys.push_back("skills.pass_probability[" + std::to_string(level) + "]");
    none.push_back(0);
    defaults.push_back(s.parameters().skills.pass_probability[static_cast<std::size_t>(level)]);
  }
  sets.rows = {none, defaults};
  return sets;
}

Scenario with_sets(const Scenario& s, ParameterSets sets) {
  return Scenario::make(s.parameters(), s.schedule(), s.targets(), s.source_name(), s.source_text(), std::move(sets));
}

// Promotions of replicate r over the run.
std::int64_t promotions_of(const Results& results, std::size_t r) {
  const Variable& v = results.variable("promotions");
  const std::size_t per_replicate = v.data.size() / results.dimension("replicate").size();
  return std::accumulate(v.data.begin() + static_cast<std::ptrdiff_t>(r * per_replicate),
                         v.data.begin() + static_cast<std::ptrdiff_t>((r + 1) * per_replicate), std::int64_t{0});
}

TEST(ParameterSets, ReplicateRRunsUnderSetRModuloTheirNumber) {
  const Scenario base = base_scenario();
  const Scenario s = with_sets(base, two_sets(base));
  EXPECT_EQ(s.parameter_set_of(0), 0);
  EXPECT_EQ(s.parameter_set_of(3), 1);
  EXPECT_EQ(s.for_replicate(2).parameters().skills.pass_probability, std::vector<double>(kLevelCount, 0.0));
  EXPECT_EQ(s.for_replicate(1).parameters().skills.pass_probability, base.parameters().skills.pass_probability);
  EXPECT_TRUE(s.for_replicate(1).parameter_sets().empty());

  RunOptions options;
  options.replicates = 4;
  options.threads = 1;
  const Results results = run_scenario(s, options);
  for (std::size_t r = 0; r < 4; ++r) {
    if (r % 2 == 0)
      EXPECT_EQ(promotions_of(results, r), 0) << "replicate " << r;
    else
      EXPECT_GT(promotions_of(results, r), 0) << "replicate " << r;
  }
  // Which set, and its values, over replicate; the file's text as a global attribute.
  EXPECT_EQ(results.variable("parameter_set").data, (std::vector<std::int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(results.variable("parameter_set").dims, std::vector<std::string>{"replicate"});
  const Variable& senior = results.variable("skills.pass_probability[3]");
  EXPECT_EQ(senior.real_data, (std::vector<double>{0, base.parameters().skills.pass_probability[3], 0,
                                                   base.parameters().skills.pass_probability[3]}));
  EXPECT_EQ(senior.units, "probability");
  EXPECT_EQ(results.metadata.attributes.at("parameter_sets"), "(the file)");
  // The statistics over replicates carry both sets.
  EXPECT_TRUE(results.has_variable("promotions_stats"));
  EXPECT_FALSE(results.has_variable("parameter_set_stats"));

  // The bits do not depend on the threads; the replicates under set 1 are those of the run
  // without sets.
  options.threads = 2;
  test::expect_same_results(run_scenario(s, options), results);
  const Results plain = run_scenario(base, options);
  for (const char* name : {"promotions", "workers"}) {
    const Variable &a = results.variable(name), &b = plain.variable(name);
    const std::size_t per = a.data.size() / 4;
    for (std::size_t r : {1U, 3U})
      EXPECT_TRUE(std::equal(a.data.begin() + static_cast<std::ptrdiff_t>(r * per),
                             a.data.begin() + static_cast<std::ptrdiff_t>((r + 1) * per),
                             b.data.begin() + static_cast<std::ptrdiff_t>(r * per)))
          << name << " replicate " << r;
  }
  EXPECT_FALSE(plain.has_variable("parameter_set"));
  EXPECT_EQ(plain.metadata.attributes.count("parameter_sets"), 0U);
}

TEST(ParameterSets, AContinuedReplicateKeepsItsSet) {
  const Scenario base = base_scenario();
  const Scenario s = with_sets(base, two_sets(base));
  RunOptions options;
  options.replicates = 3;
  options.threads = 1;
  const Results uninterrupted = run_scenario(s, options);

  // Stopped after month 2 of replicate 2 (set 0), and continued.
  Results so_far;
  std::vector<std::int64_t> done(3, -1);
  std::map<std::int64_t, ReplicateSnapshot> snapshots;
  RunOptions first = options;
  first.checkpoint_every = 1;
  first.checkpoint = [&](const RunCheckpoint& at) {
    so_far = at.results;
    done[static_cast<std::size_t>(at.replicate)] = static_cast<std::int64_t>(at.month);
    snapshots[at.replicate] = at.state.snapshot();
    if (at.replicate == 2 && at.month == 2) throw Cancelled();
  };
  EXPECT_THROW(run_scenario(s, first), Cancelled);
  RunStart start;
  start.results = so_far;
  start.months_done = done;
  start.snapshot = [&](std::int64_t r) { return snapshots.at(r); };
  RunOptions second = options;
  second.start = &start;
  const Results continued = run_scenario(s, second);
  test::expect_same_results(continued, uninterrupted);
  EXPECT_EQ(promotions_of(continued, 2), 0);
}

// What Scenario::make says of `base` with these sets: every problem as "key: message" lines,
// empty if it accepts them.
std::string set_problems(const Scenario& base, std::vector<std::string> keys, std::vector<std::vector<double>> rows) {
  ParameterSets sets;
  sets.keys = std::move(keys);
  sets.rows = std::move(rows);
  try {
    with_sets(base, std::move(sets));
  } catch (const ScenarioError& e) {
    std::string all;
    for (const auto& d : e.diagnostics()) all += d.key + ": " + d.message + "\n";
    return all;
  }
  return std::string();
}

TEST(ParameterSets, MakeRefusesKeysThatCannotDifferAndSetsTheChecksRefuse) {
  const Scenario base = base_scenario();
  const auto problems = [&](std::vector<std::string> keys, std::vector<std::vector<double>> rows) {
    return set_problems(base, std::move(keys), std::move(rows));
  };
  EXPECT_NE(problems({"run.seed"}, {{3}}).find("cannot differ between parameter sets"), std::string::npos);
  EXPECT_NE(problems({"skills.pass_probabilty[3]"}, {{3}}).find("did you mean"), std::string::npos);
  EXPECT_NE(problems({"skills.pass_probability[3]"}, {{0.5}, {1.5}}).find("set 1"), std::string::npos);
  EXPECT_NE(problems({"skills.pass_probability[3]"}, {}).find("no sets"), std::string::npos);
  EXPECT_EQ(problems({"skills.pass_probability[senior]"}, {{0.5}}), "");
  EXPECT_EQ(problems({"skills.assessment_rate_trend[senior]"}, {{0.5}, {0}}), "");
  EXPECT_NE(problems({"skills.assessment_rate_trend[senior]"}, {{0.5}, {3}}).find("set 1"), std::string::npos);
}

// run.parameter_set_columns: the sets hold only the columns listed (the io layer reads no
// others), and the results record which were used.
TEST(ParameterSets, TheColumnsUsedAreListedAndRecorded) {
  const Scenario base = base_scenario();
  Parameters p = base.parameters();
  p.run.parameter_sets = "sets.csv";
  p.run.parameter_set_columns = {"skills.pass_probability[3]", "skills.pass_probability[4]"};
  ParameterSets sets;
  sets.keys = {"skills.pass_probability[3]", "skills.pass_probability[4]"};
  sets.rows = {{0.5, 0.25}};
  const Scenario s = Scenario::make(p, base.schedule(), base.targets(), "<memory>", "", sets);
  RunOptions options;
  options.replicates = 2;
  options.threads = 1;
  const Results results = run_scenario(s, options);
  EXPECT_EQ(results.variable("skills.pass_probability[4]").real_data, (std::vector<double>{0.25, 0.25}));
  EXPECT_EQ(results.metadata.attributes.at("parameter_set_columns"),
            "skills.pass_probability[3],skills.pass_probability[4]");
  // Without the list, no such attribute.
  EXPECT_EQ(run_scenario(with_sets(base, sets), options).metadata.attributes.count("parameter_set_columns"), 0U);

  // Sets with a column the list does not name are refused.
  sets.keys.push_back("labour.job_loss_rate");
  sets.rows = {{0.5, 0.25, 0.01}};
  try {
    Scenario::make(p, base.schedule(), base.targets(), "<memory>", "", sets);
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1U);
    EXPECT_EQ(e.diagnostics()[0].key, "run.parameter_set_columns");
    EXPECT_EQ(e.diagnostics()[0].message, "the parameter sets: column labour.job_loss_rate is not listed");
  }
}

// A column of parameter sets may set the trend of the assessment rate (by level name).
TEST(ParameterSets, TheAssessmentTrendIsAColumnLikeAnyOther) {
  const Scenario base = base_scenario();
  ParameterSets sets;
  sets.keys = {"skills.assessment_rate_trend[senior]"};
  sets.rows = {{0.5}, {0}};
  const Scenario s = with_sets(base, std::move(sets));
  EXPECT_EQ(s.for_replicate(0).parameters().skills.assessment_rate_trend[4], 0.5);
  EXPECT_EQ(s.for_replicate(1).parameters().skills.assessment_rate_trend[4], 0.0);
}

// A column of parameter sets may set a programme's appraisal share (by programme name); the
// values are checked like the parameter's.
TEST(ParameterSets, TheAppraisalShareIsAColumnLikeAnyOther) {
  const Scenario base = io::load_scenario(std::string(SKILLSIM_SOURCE_DIR) + "/tests/data/one_programme.toml");
  const auto problems = [&](std::vector<std::vector<double>> rows) {
    return set_problems(base, {"programmes.appraisal_share[employment_skills]"}, std::move(rows));
  };
  EXPECT_EQ(problems({{0.5}, {1}}), "");
  const std::string refused = problems({{0.5}, {1.5}});
  EXPECT_NE(refused.find("set 1"), std::string::npos) << refused;
  EXPECT_NE(refused.find("programmes.appraisal_share"), std::string::npos) << refused;
  ParameterSets sets;
  sets.keys = {"programmes.appraisal_share[employment_skills]"};
  sets.rows = {{0.25}, {1}};
  const Scenario s = with_sets(base, std::move(sets));
  EXPECT_EQ(s.for_replicate(0).parameters().programmes.appraisal_share, std::vector<double>{0.25});
  EXPECT_EQ(s.for_replicate(1).parameters().programmes.appraisal_share, std::vector<double>{1.0});
}

} // namespace
} // namespace skillsim
