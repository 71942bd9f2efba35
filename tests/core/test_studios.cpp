// Master studios (技能大师工作室): the mentoring places are min(studios x places per studio,
// masters x places per master) worked out from the population, mentees pass more often by the
// factor (statistically, with and without evaluators) and wait the studios' rule, thread
// independence, continuation from a snapshot, the results only with studios, and every
// validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::at;
using test::dump;
using test::everything_off;
using test::has_issue;
using test::operator+;

namespace {

std::vector<std::string> settings(std::map<std::string, std::string> changes) {
  std::vector<std::string> out;
  for (auto& [k, v] : changes) out.push_back(k + "=" + v);
  return out;
}

// Everything off; studios as `changes` say.
Scenario quiet(std::map<std::string, std::string> changes, int months = 12, int scale = 1, double persons = 50000) {
  return test::small_scenario(everything_off() + settings(std::move(changes)), persons, scale, months);
}

// Employed masters (level >= master) and eligible mentees (employed, mentee level .. master - 1,
// in no programme, where the population has programmes) of a population, by counting.
struct Counted {
  std::int64_t masters = 0, eligible = 0;
};
Counted count(const Population& pop, int master, int mentee) {
  Counted c;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (pop.status[i] != static_cast<std::uint8_t>(Status::Employed)) continue;
    if (pop.level[i] >= master)
      ++c.masters;
    else if (pop.level[i] >= mentee && (!pop.has(Column::programme) || pop.programme[i] == kNoProgramme))
      ++c.eligible;
  }
  return c;
}

std::int64_t total(const Results& r, const std::string& name, std::size_t from, std::size_t to) {
  std::int64_t sum = 0;
  for (std::size_t t = 1; t < r.dimension("time").size(); ++t)
    for (std::size_t l = from; l <= to; ++l) sum += at(r, name, 0, t, l);
  return sum;
}

// Pass rate of ordinary assessments at levels 2..5 sought (every sitter employed, so a mentee
// when places are plenty), with `studios` open; sit rate 0.2, pass 0.3, no wait.
std::pair<std::int64_t, std::int64_t> sat_and_passed(double studios, double factor, bool evaluators) {
  std::map<std::string, std::string> c = {{"studios.count", "[" + std::to_string(studios) + "]"},
                                          {"studios.places_per_studio", "1000000"},
                                          {"studios.places_per_master", "1000000"},
                                          {"studios.pass_factor", std::to_string(factor)},
                                          {"skills.assessment_rate", "[0, 0, 0.2, 0.2, 0.2, 0.2, 0, 0, 0]"},
                                          {"skills.pass_probability", "[0, 1, 0.3, 0.3, 0.3, 0.3, 0.3, 1, 1]"},
                                          {"skills.min_months", "[0, 0, 0, 0, 0, 0, 0, 0, 0]"},
                                          {"skills.assessment_status_factor", "[0, 1, 0, 0, 0, 0]"}};
  if (evaluators) {
    c["evaluation.evaluators"] = R"(["agency"])";
    c["evaluation.labels"] = R"(["社会培训评价组织"])";
    c["evaluation.capacity_per_month"] = "[[1000000]]";
    c["evaluation.eligible_statuses"] = "[[1, 1, 1, 1, 1, 0]]";
    c["evaluation.max_level"] = "[6]";
  }
  const Results r = run_scenario(quiet(c, 6), RunOptions{});
  return {total(r, "assessments", 2, 5), total(r, "promotions", 2, 5)};
}

std::vector<Issue> issues_of(const std::vector<std::string>& changes) {
  Parameters p = quiet({}).parameters();
  for (const auto& change : changes) {
    const auto eq = change.find('=');
    const std::string key = change.substr(0, eq), value = change.substr(eq + 1);
    if (key == "count") p.studios.count = {std::stod(value)};
    if (key == "count2") p.studios.count = {1, 2};
    if (key == "mentee") p.studios.mentee_min_level = std::stoll(value);
    if (key == "master") p.studios.master_min_level = std::stoll(value);
    if (key == "waiting") p.studios.waiting = value;
    if (key == "shorten") p.studios.shorten_months = std::stoll(value);
    if (key == "factor") p.studios.pass_factor = std::stod(value);
  }
  return check(p);
}

} // namespace

TEST(Studios, WithoutStudiosNothingIsDeclaredAndNobodyIsMentored) {
  const Scenario s = test::small_scenario({}, 20000, 1, 2);
  const Results r = run_scenario(s, RunOptions{});
  EXPECT_FALSE(r.has_variable("studios"));
  EXPECT_FALSE(r.has_variable("mentored"));
  ReplicateState state(s, 1, 0);
  state.step();
  EXPECT_FALSE(state.studios().mentoring().any());
}

// Places = min(studios x per studio, masters x per master), each case worked out from the
// population at the start of the month: studios bind, masters bind, and the eligible bind.
TEST(Studios, PlacesAreTheLeastOfStudiosAndMastersCapacity) {
  struct Case {
    double studios, per_studio, per_master;
    int scale;
  };
  for (const Case c : {Case{3, 4, 2, 1}, Case{1000, 50, 0.5, 1}, Case{100000, 100, 100000, 1}, Case{3, 4, 2, 10}}) {
    const Scenario s = quiet({{"studios.count", "[" + std::to_string(c.studios) + "]"},
                              {"studios.places_per_studio", std::to_string(c.per_studio)},
                              {"studios.places_per_master", std::to_string(c.per_master)}},
                             3, c.scale);
    ReplicateState state(s, 1, 0);
    for (int m = 0; m < 3; ++m) {
      const Counted before = count(state.population(), 5, 1);
      state.step();
      const auto& tally = state.studios().tally();
      ASSERT_EQ(tally.masters.size(), 1U);
      EXPECT_EQ(tally.studios[0], std::llround(c.studios));
      EXPECT_EQ(tally.masters[0], before.masters);
      const double persons =
          std::min(c.studios * c.per_studio, static_cast<double>(before.masters) * c.scale * c.per_master);
      const auto places = static_cast<std::int64_t>(std::floor(persons / c.scale));
      EXPECT_EQ(tally.places[0], places) << c.studios << " studios, " << before.masters << " masters";
      EXPECT_EQ(tally.mentored[0], std::min(places, before.eligible));
      EXPECT_EQ(static_cast<std::int64_t>(state.studios().mentoring().mentees.size()), tally.mentored[0]);
      EXPECT_LE(static_cast<double>(tally.mentored[0]), static_cast<double>(before.masters) * c.per_master)
          << "never beyond the masters' capacity";
    }
    EXPECT_GT(count(state.population(), 5, 1).masters, 0);
  }
}

// The same workers stay mentored month after month (priorities keyed on the id alone) while
// nothing changes; every mentee is employed, at levels 1..4, in no programme.
TEST(Studios, MenteesAreEligibleAndKeepTheirPlaces) {
  const Scenario s = quiet({{"studios.count", "[5]"}}, 3);
  ReplicateState state(s, 1, 0);
  state.step();
  const std::vector<std::size_t> first = state.studios().mentoring().mentees;
  ASSERT_EQ(first.size(), 50U);
  for (std::size_t i : first) {
    EXPECT_EQ(state.population().status[i], static_cast<std::uint8_t>(Status::Employed));
    EXPECT_GE(state.population().level[i], 1);
    EXPECT_LE(state.population().level[i], 4);
  }
  state.step();
  EXPECT_EQ(state.studios().mentoring().mentees, first);
}

// Mentees pass with pass_probability x pass_factor: 0.3 x 2 = 0.6 against 0.3 without studios,
// within 4 standard errors, assessed at once or by an evaluator.
TEST(Studios, MenteesPassMoreOftenByTheFactor) {
  for (const bool evaluators : {false, true}) {
    for (const auto& [studios, expected] : {std::pair{0.0, 0.3}, std::pair{1.0, 0.6}}) {
      const auto [sat, passed] = sat_and_passed(studios, 2, evaluators);
      ASSERT_GT(sat, 5000);
      const double n = static_cast<double>(sat);
      EXPECT_NEAR(static_cast<double>(passed) / n, expected, 4 * std::sqrt(expected * (1 - expected) / n))
          << (evaluators ? "with" : "without") << " evaluators, " << studios << " studios";
    }
  }
}

// A mentee may seek the next level after the studios' waiting rule: with "shortened" by 48
// months every employed 初级工 mentee sits for 中级工 at once (rate 1, pass 1); with "minimum"
// only those who served skills.min_months[3] = 48.
TEST(Studios, MenteesWaitTheStudiosWaitingRule) {
  for (const bool shortened : {false, true}) {
    const Scenario s = quiet({{"studios.count", "[1000000]"},
                              {"studios.places_per_master", "1000000"},
                              {"studios.waiting", shortened ? R"("shortened")" : R"("minimum")"},
                              {"studios.shorten_months", shortened ? "48" : "0"},
                              {"skills.assessment_rate", "[0, 0, 0, 1, 0, 0, 0, 0, 0]"},
                              {"skills.pass_probability", "[0, 1, 1, 1, 1, 1, 1, 1, 1]"},
                              {"skills.assessment_status_factor", "[0, 1, 0, 0, 0, 0]"}},
                             1);
    ReplicateState state(s, 1, 0);
    const Population& pop = state.population();
    std::int64_t employed = 0, served = 0;
    for (std::size_t i = 0; i < pop.size(); ++i)
      if (pop.level[i] == 2 && pop.status[i] == static_cast<std::uint8_t>(Status::Employed)) {
        ++employed;
        served += pop.months_at_level[i] >= s.parameters().skills.min_months[3];
      }
    ASSERT_LT(served, employed);
    state.step();
    EXPECT_EQ(state.last_flows().promotions[3], shortened ? employed : served);
  }
}

TEST(Studios, IdenticalForOneAndTwoThreads) {
  const Scenario s = quiet({{"studios.count", "[40]"},
                            {"studios.places_per_studio", "20"},
                            {"studios.waiting", R"("shortened")"},
                            {"studios.shorten_months", "12"},
                            {"skills.assessment_rate", "[0, 0.01, 0.05, 0.05, 0.05, 0.02, 0, 0, 0]"},
                            {"labour.job_loss_rate", "0.01"},
                            {"labour.job_find_rate", "0.1"}},
                           12, 1, 100000);
  const Results r = test::expect_same_for_one_and_two_threads(s, 2);
  for (std::size_t t = 1; t <= 12; ++t) {
    EXPECT_GT(at(r, "mentored", 0, t), 0);
    EXPECT_LE(at(r, "mentored", 0, t), at(r, "mentoring_places", 0, t));
    EXPECT_LE(at(r, "mentoring_places", 0, t), 800);
  }
}

// Mentoring is recomputed each month from the population: a run continued from a snapshot
// mentors the same workers.
TEST(Studios, ASnapshotContinuesTheRunBitForBit) {
  const Scenario s =
      quiet({{"studios.count", "[30]"}, {"skills.assessment_rate", "[0, 0, 0.05, 0.05, 0.05, 0, 0, 0, 0]"}});
  ReplicateState straight(s, 3, 0);
  for (int m = 0; m < 4; ++m) straight.step();
  ReplicateState resumed(s, straight.snapshot());
  for (int m = 0; m < 4; ++m) {
    straight.step();
    resumed.step();
    EXPECT_EQ(straight.studios().tally(), resumed.studios().tally());
    EXPECT_EQ(straight.studios().mentoring().mentees, resumed.studios().mentoring().mentees);
  }
  EXPECT_EQ(straight.snapshot(), resumed.snapshot());
}

// Studios opened by the schedule: the results are declared, zero before the opening.
TEST(Studios, StudiosOpenedByTheScheduleAreInTheResults) {
  const std::string text = R"(
[scenario]
start = 2020-01-01
months = 6

[studios]
places_per_master = 100

[[schedule]]
date = 2020-04-01
set = { "studios.count" = [10] }
)";
  std::vector<std::string> overrides = everything_off();
  overrides.push_back("population.size=20000");
  overrides.push_back("population.scale=1");
  const Scenario s = io::parse_scenario(text, "<test>", overrides);
  const Results r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.has_variable("studios"));
  for (std::size_t t = 1; t <= 6; ++t) {
    EXPECT_EQ(at(r, "studios", 0, t), t <= 3 ? 0 : 10) << t;
    EXPECT_EQ(at(r, "mentored", 0, t), t <= 3 ? 0 : 100) << t;
    EXPECT_EQ(at(r, "mentoring_places", 0, t), t <= 3 ? 0 : 100) << t;
  }
}

TEST(Studios, EveryValidationMessageNamesTheKey) {
  EXPECT_TRUE(issues_of({}).empty()) << dump(issues_of({}));
  EXPECT_TRUE(has_issue(issues_of({"count=2.5"}), "studios.count[0]", "counted whole"));
  EXPECT_TRUE(has_issue(issues_of({"count=-1"}), "studios.count[0]", "must be in [0"));
  EXPECT_TRUE(has_issue(issues_of({"count2="}), "studios.count", "one per region"));
  EXPECT_TRUE(has_issue(issues_of({"mentee=5"}), "studios.mentee_min_level", "below studios.master_min_level"));
  EXPECT_TRUE(has_issue(issues_of({"master=1"}), "studios.master_min_level", "[2, 8]"));
  EXPECT_TRUE(has_issue(issues_of({"waiting=shorter"}), "studios.waiting", "unknown waiting rule 'shorter'"));
  EXPECT_TRUE(has_issue(issues_of({"waiting=shortend"}), "studios.waiting", "did you mean 'shortened'?"));
  EXPECT_TRUE(has_issue(issues_of({"waiting=shortened"}), "studios.shorten_months", "must be above 0"));
  EXPECT_TRUE(has_issue(issues_of({"shorten=6"}), "studios.shorten_months", "takes no months off"));
  EXPECT_TRUE(has_issue(issues_of({"factor=0.5"}), "studios.pass_factor", "[1, 100]"));
}
