// Apprenticeship (企业新型学徒制, programmes.apprenticeship): admitted workers are held at 学徒工
// while enrolled, each completer sits the assessment for the programme's target level (passes
// within 4 standard errors of the closed form), failures stay 学徒工 (the level's stock balances
// its flows), the route and its start in the pathway graph, thread independence, and every
// validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scenario_builders.hpp"
#include "skillsim/core/pathways.hpp"
#include "skillsim/core/replicate.hpp"
#include "skillsim/core/simulation.hpp"

using namespace skillsim;
using test::at;
using test::dump;
using test::has_issue;
using test::total_over_months;

namespace {

// One apprenticeship for employed workers at 无证 or 学徒工, six months, to 中级工 with pass 0.6;
// everything else off.
Scenario apprenticeship(std::map<std::string, std::string> changes = {}, int months = 12) {
  auto settings = test::one_apprenticeship();
  for (auto& [k, v] : changes) settings[k] = v;
  return test::programme_scenario(settings, months);
}

std::vector<Issue> issues_of(std::map<std::string, std::string> changes) {
  Parameters p = apprenticeship().parameters();
  auto& pr = p.programmes;
  for (auto& [key, value] : changes) {
    if (key == "statuses") pr.eligible_statuses.values = {0, 1, 1, 0, 0, 0};
    if (key == "not_employed") pr.eligible_statuses.values = {0, 0, 1, 0, 0, 0};
    if (key == "target") pr.target_level = {std::stoll(value)};
    if (key == "full_time") pr.full_time = {1};
  }
  return check(p);
}

} // namespace

// While enrolled every apprentice holds 学徒工 (or its level, if higher); admission from 无证 is a
// promotion into 学徒工.
TEST(Apprenticeship, ApprenticesHoldTheApprenticeLevelWhileEnrolled) {
  const Scenario s = apprenticeship();
  ReplicateState state(s, 1, 0);
  std::int64_t enrolled_seen = 0;
  for (int m = 0; m < 8; ++m) {
    std::int64_t at_zero = 0;
    for (std::size_t i = 0; i < state.population().size(); ++i) at_zero += state.population().level[i] == 0;
    state.step();
    const Population& pop = state.population();
    for (std::size_t i = 0; i < pop.size(); ++i)
      if (pop.programme[i] == 0 && pop.programme_months_left[i] > 0) {
        ++enrolled_seen;
        EXPECT_GE(pop.level[i], 1) << "agent " << i << " is an apprentice below 学徒工";
        EXPECT_EQ(pop.status[i], static_cast<std::uint8_t>(Status::Employed));
      }
    std::int64_t at_zero_after = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) at_zero_after += pop.level[i] == 0;
    EXPECT_EQ(at_zero - at_zero_after, state.last_flows().promotions_out[0]);
    EXPECT_EQ(state.last_flows().promotions[1], state.last_flows().promotions_out[0]) << "only into 学徒工";
  }
  EXPECT_GT(enrolled_seen, 0);
}

// Every completer sits the target level's assessment; passes are binomial(completers, 0.6)
// within 4 standard errors; the passed move to 中级工, the failed stay 学徒工, so the 学徒工 stock
// balances: start + promotions into it - promotions out of it.
TEST(Apprenticeship, CompletersAreAssessedForTheTargetAndFailuresStayApprentices) {
  const Results r = run_scenario(apprenticeship({}, 18), RunOptions{});
  const std::int64_t completions = total_over_months(r, "completions"),
                     certificates = total_over_months(r, "certificates");
  ASSERT_GT(completions, 1000);
  std::int64_t assessed = 0;
  for (std::size_t t = 1; t <= 18; ++t)
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      const std::int64_t sat = at(r, "programme_assessments", 0, t, l); // programme 0 x level l
      assessed += sat;
      if (l != 3) {
        EXPECT_EQ(sat, 0) << "level " << l;
      }
    }
  EXPECT_EQ(assessed, completions);
  const double n = static_cast<double>(completions);
  EXPECT_NEAR(static_cast<double>(certificates), 0.6 * n, 4 * std::sqrt(n * 0.6 * 0.4));
  EXPECT_EQ(total_over_months(r, "promotions", 3), certificates) << "every certificate moves a 学徒工 to 中级工";
  EXPECT_EQ(total_over_months(r, "promotions_out", 1), certificates);
  // The stock of 学徒工 (summed over statuses) balances its flows: failures stay.
  const auto apprentices = [&](std::size_t t) {
    std::int64_t s = 0;
    for (std::size_t st = 0; st < kStatusCount; ++st) s += at(r, "workers", 0, t, 1 * kStatusCount + st);
    return s;
  };
  EXPECT_EQ(apprentices(18),
            apprentices(0) + total_over_months(r, "promotions", 1) - total_over_months(r, "promotions_out", 1));
  EXPECT_GT(apprentices(18), apprentices(0)) << "the failed and the enrolled are 学徒工";
}

TEST(Apprenticeship, IdenticalForOneAndTwoThreads) {
  const Scenario s = apprenticeship({{"programmes.completion_probability", "[0.8]"}});
  const Results r = test::expect_same_for_one_and_two_threads(s, 2);
  EXPECT_GT(total_over_months(r, "certificates"), 0);
}

// Pathways: admission is a route 无证 -> 学徒工, the programme a route to 中级工 from both levels.
TEST(Apprenticeship, ThePathwayGraphShowsTheApprenticeship) {
  const Parameters p = apprenticeship().parameters();
  int starts = 0, routes = 0;
  for (const Route& r : pathway_routes(p)) {
    if (r.kind != RouteKind::Programme) continue;
    if (r.to == 1) {
      ++starts;
      EXPECT_EQ(r.label, "new_apprenticeship (apprenticeship start, wait shortened)");
    } else {
      ++routes;
      EXPECT_EQ(r.to, 3);
      EXPECT_EQ(r.label, "new_apprenticeship (apprenticeship, wait shortened)");
    }
  }
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(routes, 2); // from 无证 and from 学徒工
  for (const Route& r : pathway_routes(p, Status::Unemployed)) EXPECT_NE(r.kind, RouteKind::Programme);
}

TEST(Apprenticeship, EveryValidationMessageNamesTheKey) {
  EXPECT_TRUE(issues_of({}).empty()) << dump(issues_of({}));
  EXPECT_TRUE(has_issue(issues_of({{"statuses", ""}}), "programmes.eligible_statuses[0][2]", "employed workers only"));
  EXPECT_TRUE(has_issue(issues_of({{"not_employed", ""}}), "programmes.eligible_statuses[0][1]", "must be 1"));
  EXPECT_TRUE(has_issue(issues_of({{"target", "1"}}), "programmes.target_level[0]", "above 学徒工 (1)"));
  EXPECT_TRUE(has_issue(issues_of({{"full_time", ""}}), "programmes.full_time[0]", "keep their job"));
}
